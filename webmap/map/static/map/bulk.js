/* A selection of features and one attribute set on all of them at once.
 *
 * Features join the selection by shift-click, from their panel, or by a
 * rectangle drawn over features of the chosen type.  The bulk edit sends
 * one merge patch per feature through the feature API, each with its own
 * version (If-Match); features changed meanwhile are reported, not
 * overwritten.  The whole batch is one step of "undo".
 */
/* global L, Twin */
"use strict";

(function (Twin) {
  const BOX_LIMIT = 1000;
  const PARALLEL = 4;
  const STYLE = { color: "#ff6d00", weight: 5, radius: 9, fill: true, fillOpacity: 0.2,
    pane: "twin-highlight", interactive: false };
  const selected = new Map(); // "table/code" -> {table, code, layer}
  let map = null;
  let shapes = null;

  function key(table, code) { return table + "/" + code; }

  function updateBar() {
    const bar = document.getElementById("selection-bar");
    if (!bar) return;
    bar.hidden = selected.size === 0;
    bar.querySelector(".count").textContent = Twin.t("selection", { count: selected.size });
  }

  function add(feature, table) {
    const k = key(table, feature.id);
    if (selected.has(k)) return;
    const layer = L.geoJSON(feature, { style: () => STYLE,
      pointToLayer: (f, latlng) => L.circleMarker(latlng, STYLE), pmIgnore: true });
    shapes.addLayer(layer);
    selected.set(k, { table, code: feature.id, layer });
  }

  async function toggle(table, code) {
    const k = key(table, code);
    if (selected.has(k)) {
      shapes.removeLayer(selected.get(k).layer);
      selected.delete(k);
    } else {
      const { body } = await Twin.api(Twin.featureUrl(table, code));
      add(body, table);
    }
    updateBar();
  }

  function clear() {
    shapes.clearLayers();
    selected.clear();
    updateBar();
  }

  async function selectInBox(bounds, table) {
    const { body } = await Twin.api(Twin.featureUrl(table) + "?bbox=" + bounds.toBBoxString()
      + "&limit=" + BOX_LIMIT);
    (body.features || []).forEach((feature) => add(feature, table));
    updateBar();
  }

  function startBox() {
    const table = document.getElementById("draw-type").value;
    if (!table) return;
    Twin.state.busy = true;
    Twin.notify(Twin.t("select_box_hint"));
    map.pm.enableDraw("Rectangle", { snappable: false });
    map.once("pm:create", async (event) => {
      const bounds = event.layer.getBounds();
      map.removeLayer(event.layer);
      Twin.state.busy = false;
      await selectInBox(bounds, table);
    });
  }

  /* Fields every selected type has: the shared asset fields and common attributes. */
  function commonFields() {
    const types = [...new Set([...selected.values()].map((s) => s.table))].map(Twin.typeOf);
    const fields = Twin.form.fieldsOf(types[0]).filter((f) => f.name !== "code");
    return fields.filter((f) => types.every((type) =>
      Twin.form.fieldsOf(type).some((g) => g.name === f.name)));
  }

  function bulkForm() {
    const fields = commonFields();
    const pick = Twin.el("select", { id: "bulk-field", name: "bulk-field" },
      fields.map((f) => Twin.el("option", { value: f.name, text: f.label })));
    const valueBox = Twin.el("div", { class: "bulk-value" });
    const apply = Twin.el("button", { type: "submit", class: "primary save",
      text: Twin.t("bulk_apply", { count: selected.size }) });
    const report = Twin.el("ul", { class: "bulk-report" });
    const form = Twin.el("form", { class: "feature-form bulk-form", novalidate: true }, [
      Twin.el("h3", { text: Twin.t("bulk_edit") }),
      Twin.el("label", { for: "bulk-field", text: Twin.t("bulk_field") }), pick,
      valueBox, Twin.el("div", { class: "form-buttons" }, [apply]), report]);
    function showValueInput() {
      const table = [...selected.values()][0].table;
      const inner = Twin.form.build(Twin.typeOf(table), {}, { only: [pick.value] });
      valueBox.replaceChildren(...inner.querySelectorAll(".field"));
    }
    pick.addEventListener("change", showValueInput);
    showValueInput();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = Twin.form.read(form);
      if (!values) return;
      apply.disabled = true;
      await applyToSelection({ [pick.value]: values[pick.value] }, report);
      apply.disabled = false;
    });
    return form;
  }

  /* Run `work` on every item with a few requests in flight at once. */
  async function eachInParallel(items, work) {
    let next = 0;
    async function worker() {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        await work(item);
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  }

  async function applyToSelection(properties, report) {
    const items = [...selected.values()];
    const undo = [];
    report.replaceChildren();
    await eachInParallel(items, async (item) => {
      try {
        const known = await Twin.readFeature(item.table, item.code);
        await Twin.api(Twin.featureUrl(item.table, item.code), { method: "PATCH",
          json: { properties }, contentType: "application/merge-patch+json",
          headers: { "If-Match": known.etag || '"' + known.version + '"' } });
        undo.push(Twin.undo.patchBack(item.table, item.code, known.feature, { properties },
          true));
      } catch (err) {
        const detail = err.body && err.body.problems && err.body.problems.length
          ? err.body.problems.map((p) => p.message).join("; ") : err.message;
        report.append(Twin.el("li", { class: "error",
          text: Twin.t("bulk_failed", { code: item.code, detail }) }));
      }
    });
    const done = undo.length;
    Twin.layers.refresh();
    Twin.notify(Twin.t("bulk_done", { done, count: items.length }), done === items.length
      ? "info" : "warning", done !== items.length);
    if (undo.length) {
      Twin.undo.push(Twin.t("selection", { count: undo.length }), async () => {
        await eachInParallel(undo, (run) => run());
        Twin.layers.refresh();
      });
    }
  }

  Twin.bulk = {
    start(leafletMap) {
      map = leafletMap;
      shapes = L.featureGroup().addTo(map);
      const bar = document.getElementById("selection-bar");
      if (!bar) return;
      bar.querySelector(".clear").addEventListener("click", clear);
      bar.querySelector(".edit").addEventListener("click", () => {
        const box = document.getElementById("feature-panel");
        box.hidden = false;
        document.body.classList.add("panel-open");
        document.getElementById("feature-body").replaceChildren(bulkForm());
      });
      const boxButton = document.getElementById("tool-select");
      if (boxButton) boxButton.addEventListener("click", startBox);
    },
    toggle,
    clear,
    selectInBox,
    size: () => selected.size,
    items: () => [...selected.values()].map(({ table, code }) => ({ table, code })),
  };
})(window.Twin);
