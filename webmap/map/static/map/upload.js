/* Importing a file into a layer: upload, read the check's report, then commit.
 *
 * The server runs the twin's importer twice in the background: a dry run
 * whose report (counts, problems with feature, field and rule) is shown
 * first, then, on the user's word, the import itself.  The page polls the
 * job for its progress.
 */
/* global Twin */
"use strict";

(function (Twin) {
  const POLL_MS = 400;
  const SHOWN_PROBLEMS = 50;

  function $(id) { return document.getElementById(id); }

  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  async function follow(job) {
    const bar = $("upload-progress");
    while (job.state === "checking" || job.state === "committing") {
      bar.hidden = false;
      if (job.total) { bar.max = job.total; bar.value = job.done; } else bar.removeAttribute("value");
      await sleep(POLL_MS);
      job = (await Twin.api(Twin.state.config.urls.imports + "/" + job.id)).body;
    }
    bar.hidden = true;
    return job;
  }

  function counts(report) {
    return Object.entries(report.counts || {}).map(([table, n]) => {
      const type = Twin.typeOf(table);
      return Twin.el("li", { "data-table": table }, [
        Twin.el("span", { class: "count-name", text: type ? type.label : table }),
        Twin.el("span", { class: "count-value", text: " " + Twin.formatNumber(n) })]);
    });
  }

  function problems(report) {
    return (report.problems || []).slice(0, SHOWN_PROBLEMS).map((p) => Twin.el("li", {
      class: "problem", "data-rule": p.rule || "",
      text: [p.feature, p.field, p.message].filter(Boolean).join(" · ")
        + (p.rule ? " [" + p.rule + "]" : "") }));
  }

  function featureCount(report) {
    return Object.values(report.counts || {}).reduce((a, b) => a + b, 0);
  }

  function showReport(job) {
    const box = $("upload-report");
    const report = job.report || {};
    const found = report.problem_total || (report.problems || []).length;
    let summary;
    if (job.state === "done") {
      summary = Twin.t("upload_done", { count: Twin.formatNumber(featureCount(report)),
        table: (Twin.typeOf(job.table) || {}).label || job.table });
    } else if (found) {
      summary = Twin.t("upload_problems", { count: Twin.formatNumber(found) });
    } else if (job.state === "failed") {
      summary = Twin.t("upload_failed", { detail: job.error });
    } else {
      summary = Twin.t("upload_ready", { count: Twin.formatNumber(featureCount(report)) });
    }
    box.replaceChildren(Twin.el("p", { class: "summary " + job.state, text: summary }),
      Twin.el("ul", { class: "counts" }, counts(report)),
      Twin.el("ul", { class: "problems" }, problems(report)));
    $("upload-commit").hidden = !(job.state === "checked" && report.ok);
    $("upload-commit").dataset.job = job.id;
  }

  async function check(event) {
    event.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) return;
    const data = new FormData();
    data.append("file", file);
    data.append("table", $("upload-table").value);
    data.append("crs", $("upload-crs").value);
    $("upload-report").replaceChildren(Twin.el("p", { text: Twin.t("upload_checking") }));
    $("upload-commit").hidden = true;
    try {
      // The table also goes in the URL: the server checks the role before reading the file.
      const url = Twin.state.config.urls.imports + "?table=" + encodeURIComponent($("upload-table").value);
      const { body } = await Twin.api(url, { method: "POST", body: data });
      showReport(await follow(body));
    } catch (err) {
      $("upload-report").replaceChildren(Twin.el("p", { class: "summary failed",
        text: Twin.describeError(err) }));
    }
  }

  async function commit() {
    const id = $("upload-commit").dataset.job;
    $("upload-commit").hidden = true;
    $("upload-report").prepend(Twin.el("p", { text: Twin.t("upload_committing") }));
    try {
      const { body } = await Twin.api(Twin.state.config.urls.imports + "/" + id + "/commit",
        { method: "POST" });
      const job = await follow(body);
      showReport(job);
      if (job.state === "done") Twin.layers.refresh(job.table);
    } catch (err) {
      Twin.notify(Twin.describeError(err), "error", true);
    }
  }

  Twin.upload = {
    start() {
      const dialog = $("upload-dialog");
      const open = $("tool-import");
      if (!dialog || !open) return;
      // Only the layers the user may write: the server asks the same rule.
      const caps = Twin.state.config.user.capabilities || [];
      Twin.state.catalog.layers.filter((l) => caps.includes(l.asset ? "edit_assets" : "plan"))
        .forEach((layer) => {
          $("upload-table").append(Twin.el("optgroup", { label: layer.label },
            layer.types.map((t) => Twin.el("option", { value: t.table, text: t.label }))));
        });
      open.addEventListener("click", () => dialog.showModal());
      $("upload-form").addEventListener("submit", check);
      $("upload-commit").addEventListener("click", commit);
      dialog.querySelector("button.close").addEventListener("click", () => dialog.close());
    },
  };
})(window.Twin);
