/* Edit forms generated from the layer declaration, and the conflict dialog.
 *
 * Each attribute becomes a typed input: a list of its allowed values, a
 * number box with its range and unit, a date, or yes/no; required fields are
 * marked.  Validation is the server's (the feature API answers 422 with one
 * problem per field and rule) and the messages appear next to their field.
 */
/* global Twin */
"use strict";

(function (Twin) {
  function fieldId(name) { return "field-" + name; }

  function choiceSelect(field, value) {
    const select = Twin.el("select", { id: fieldId(field.name), name: field.name });
    select.append(Twin.el("option", { value: "", text: Twin.t("choose") }));
    field.choices.forEach((choice) => {
      select.append(Twin.el("option", { value: choice.value, text: choice.label,
        selected: value === choice.value }));
    });
    return select;
  }

  function booleanSelect(field, value) {
    const select = Twin.el("select", { id: fieldId(field.name), name: field.name,
      "data-type": "boolean" });
    [["", Twin.t("choose")], ["true", Twin.t("yes")], ["false", Twin.t("no")]]
      .forEach(([v, text]) => {
        select.append(Twin.el("option", { value: v, text,
          selected: value != null && String(value) === v }));
      });
    return select;
  }

  function input(field, value, readonly) {
    if (field.choices && field.choices.length) return choiceSelect(field, value);
    if (field.type === "boolean") return booleanSelect(field, value);
    const attrs = { id: fieldId(field.name), name: field.name, "data-type": field.type,
      value: value == null ? "" : String(value).slice(0, field.type === "date" ? 10 : undefined),
      readonly };
    if (field.type === "integer" || field.type === "float") {
      // A text box, not type=number: a browser's number box may read "1,5" as 15
      // before any script sees it.  Twin.readNumber reads it in the page's locale.
      // The stored number is kept beside it, so an untouched "1,234" is not ambiguous.
      Object.assign(attrs, { type: "text", inputmode: "decimal",
        value: value == null ? "" : Twin.fmt.plain(value),
        "data-number": value == null ? undefined : String(value) });
    } else if (field.type === "date") {
      attrs.type = "date";
    } else {
      attrs.type = "text";
    }
    return Twin.el("input", attrs);
  }

  function fieldRow(field, value, options) {
    const readonly = options.readonly && options.readonly.includes(field.name);
    const labelChildren = [Twin.el("span", { text: field.label })];
    if (field.unit) labelChildren.push(Twin.el("span", { class: "unit", text: " (" + field.unit + ")" }));
    if (field.required) {
      labelChildren.push(Twin.el("abbr", { class: "required", title: Twin.t("required"),
        text: " *" }));
    }
    return Twin.el("div", { class: "field", "data-field": field.name }, [
      Twin.el("label", { for: fieldId(field.name) }, labelChildren),
      input(field, value, readonly),
      Twin.el("p", { class: "field-error", hidden: true }),
    ]);
  }

  /* The fields of a feature type: shared asset fields, then its attributes.
   * `only` restricts them (the crew may set only a device's state). */
  function fieldsOf(type, only) {
    const core = Twin.state.catalog.core;
    const fields = Twin.layerOfTable(type.table).asset ? [...core, ...type.attributes]
      : [core[0], ...type.attributes];
    return only ? fields.filter((f) => only.includes(f.name)) : fields;
  }

  Twin.form = {
    fieldsOf,

    /* A <form> for `type` filled with `values`; options: readonly, only, title. */
    build(type, values, options) {
      const opts = options || {};
      const form = Twin.el("form", { class: "feature-form", novalidate: true,
        "data-table": type.table });
      form.append(Twin.el("h3", { text: opts.title || type.label }));
      form.append(Twin.el("div", { class: "form-error", hidden: true, role: "alert" }));
      fieldsOf(type, opts.only).forEach((field) => {
        if (field.personal && values && values[field.name] === "[hidden]") return;
        form.append(fieldRow(field, values ? values[field.name] : null, opts));
      });
      form.append(Twin.el("div", { class: "form-buttons" }, [
        Twin.el("button", { type: "submit", class: "primary save", text: Twin.t("save") }),
        Twin.el("button", { type: "button", class: "cancel", text: Twin.t("cancel") }),
      ]));
      return form;
    },

    /* The form's values as typed JSON properties (empty inputs become null).
     * Numbers are read in the page's locale (Twin.readNumber); when one cannot
     * be read for sure, its field says why and the result is null. */
    read(form) {
      const values = {};
      const unread = [];
      form.querySelectorAll("input[name], select[name]").forEach((node) => {
        if (node.readOnly) return;
        const raw = node.value.trim();
        const type = node.dataset.type;
        let value = raw === "" ? null : raw;
        if (value !== null && (type === "integer" || type === "float")) {
          const label = node.closest(".field")?.querySelector("label span")?.textContent;
          try {
            value = node.dataset.number !== undefined && raw === node.defaultValue
              ? Number(node.dataset.number) : Twin.readNumber(raw, label || node.name);
          } catch (err) {
            if (!(err instanceof Twin.NumberError)) throw err;
            unread.push([node, err.message]);
          }
        }
        if (value !== null && type === "boolean") value = raw === "true";
        values[node.name] = value;
      });
      if (unread.length) {
        unread.forEach(([node, text]) => {
          const row = node.closest(".field");
          row.classList.add("invalid");
          const p = row.querySelector(".field-error");
          p.hidden = false;
          p.dataset.rule = "typed_number";
          p.textContent = text;
        });
        const general = form.querySelector(".form-error");
        if (general) {
          general.textContent = Twin.t("invalid", { count: unread.length });
          general.hidden = false;
        }
        unread[0][0].focus();
        return null;
      }
      return values;
    },

    /* Only what changed against `original`, for a JSON merge patch. */
    changes(values, original) {
      const patch = {};
      Object.entries(values).forEach(([name, value]) => {
        if (!sameValue(original[name], value)) patch[name] = value;
      });
      return patch;
    },

    clearErrors(form) {
      form.querySelectorAll(".field").forEach((row) => row.classList.remove("invalid"));
      form.querySelectorAll(".field-error").forEach((p) => { p.hidden = true; p.textContent = ""; });
      const general = form.querySelector(".form-error");
      general.hidden = true;
      general.textContent = "";
    },

    /* Problems of a 422 next to their fields, in the user's language (the
     * rule and the declared limits say it all); others at the top of the form. */
    showProblems(form, problems, detail) {
      Twin.form.clearErrors(form);
      const general = form.querySelector(".form-error");
      const type = Twin.typeOf(form.dataset.table);
      const loose = [];
      (problems || []).forEach((problem) => {
        const row = form.querySelector(".field[data-field='" + CSS.escape(problem.field) + "']");
        const text = problemText(type, problem, row);
        if (!row) { loose.push(text); return; }
        row.classList.add("invalid");
        const p = row.querySelector(".field-error");
        p.hidden = false;
        p.dataset.rule = problem.rule;
        p.textContent = (p.textContent ? p.textContent + " " : "") + text;
      });
      general.textContent = Twin.t("invalid", { count: (problems || []).length })
        + (loose.length ? " " + loose.join("; ") : "") + (problems && problems.length ? ""
          : " " + (detail || ""));
      general.hidden = false;
      const first = form.querySelector(".field.invalid input, .field.invalid select");
      if (first) first.focus();
    },

    /* The 412 dialog: their values beside mine; resolves "reload" or "reapply". */
    conflict(type, current, mine) {
      const dialog = document.getElementById("conflict-dialog");
      const props = current.properties || {};
      const labels = {};
      fieldsOf(type).forEach((f) => { labels[f.name] = f.label; });
      const rows = Object.keys(mine).map((name) => Twin.el("tr", { "data-field": name }, [
        Twin.el("th", { text: labels[name] || name }),
        Twin.el("td", { class: "theirs", text: display(props[name]) }),
        Twin.el("td", { class: "mine", text: display(mine[name]) }),
      ]));
      dialog.querySelector(".conflict-text").textContent = Twin.t("conflict_body", {
        code: current.id, user: props.updated_by || "?", version: props.version });
      dialog.querySelector("tbody").replaceChildren(...rows);
      return new Promise((resolve) => {
        dialog.querySelector("button.reload").onclick = () => { dialog.close(); resolve("reload"); };
        dialog.querySelector("button.reapply").onclick = () => { dialog.close(); resolve("reapply"); };
        dialog.querySelector("button.cancel").onclick = () => { dialog.close(); resolve("cancel"); };
        dialog.showModal();
      });
    },
  };

  /* A problem reported by the server, said in the user's language. */
  function problemText(type, problem, row) {
    const field = type && fieldsOf(type).find((f) => f.name === problem.field);
    const input = row && row.querySelector("input, select");
    const value = input && input.value !== "" ? input.value : "";
    const key = "rule_" + problem.rule;
    if (!(Twin.state.config.messages || {})[key]) return problem.message;
    const limit = problem.rule === "minimum" ? field && field.minimum
      : field && field.maximum;
    const text = Twin.t(key, { value: value || "—", unit: (field && field.unit) || "",
      limit: limit == null ? "" : Twin.formatNumber(limit),
      kind: Twin.t("kind_" + ((field && field.type) || "text")) });
    const label = field ? "" : problem.field + ": ";
    return (label + text).replace(/ \.$/, ".").replace(/ {2,}/g, " ");
  }

  function sameValue(before, after) {
    if (before == null || after == null) return before == null && after == null;
    if (typeof after === "number") return Number(before) === after;
    if (typeof after === "boolean") return before === after;
    return String(before) === String(after);
  }

  function display(value) {
    if (value === null || value === undefined) return "—";
    if (typeof value === "number") return Twin.formatNumber(value);
    if (typeof value === "boolean") return Twin.t(value ? "yes" : "no");
    if (typeof value === "object") return JSON.stringify(value).slice(0, 80);
    return String(value);
  }
})(window.Twin);
