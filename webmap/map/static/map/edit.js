/* Editing: draw new features and change attributes, through the feature API.
 *
 * Drawing uses Leaflet-Geoman; saving always goes through the feature API
 * with the version read (If-Match), so a concurrent change answers 412 and
 * the user chooses between the other editor's version and re-applying their
 * own — nothing is overwritten silently.  New network lines snap to the
 * nodes of their network shown while drawing; the server snaps them again
 * within its tolerance and reports each end, and an unconnected end is
 * shown as a warning.  Moving, splitting and deleting are in reshape.js,
 * undo in undo.js.
 */
/* global L, Twin */
"use strict";

(function (Twin) {
  const SHAPES = { Point: "CircleMarker", LineString: "Line", Polygon: "Polygon",
    MultiPolygon: "Polygon" };
  const SNAP_LIMIT = 2000;
  let map = null;
  let sketch = null;       // the layer being drawn or reshaped
  let snapTargets = null;  // nodes shown while drawing a network line

  function editable(table) {
    const caps = Twin.state.config.user.capabilities || [];
    return caps.includes(Twin.layerOfTable(table).asset ? "edit_assets" : "plan");
  }

  function showForm(node) {
    const box = document.getElementById("feature-panel");
    box.hidden = false;
    document.body.classList.add("panel-open");
    document.getElementById("feature-body").replaceChildren(node);
  }

  function endSketch() {
    if (sketch) { map.removeLayer(sketch); sketch = null; }
    if (snapTargets) { map.removeLayer(snapTargets); snapTargets = null; }
    map.pm.disableDraw();
    Twin.state.busy = false;
  }

  function geometryOf(layer, type) {
    const shape = layer.toGeoJSON ? layer.toGeoJSON() : layer;
    let geometry = shape.type === "FeatureCollection" ? shape.features[0].geometry
      : shape.geometry || shape;
    if (type.geometry === "MultiPolygon" && geometry.type === "Polygon") {
      geometry = { type: "MultiPolygon", coordinates: [geometry.coordinates] };
    }
    return geometry;
  }

  /* The properties a user may write back (for re-creating after a delete). */
  function writable(type, props) {
    const values = {};
    Twin.form.fieldsOf(type).forEach((field) => {
      if (props[field.name] !== undefined && props[field.name] !== "[hidden]") {
        values[field.name] = props[field.name];
      }
    });
    return values;
  }

  /* Each end of a new or moved network line: connected, or a visible warning. */
  function reportSnapping(snapping) {
    (snapping || []).forEach((end) => {
      const which = Twin.t(end.end === "start" ? "end_start" : "end_end");
      if (end.connected) {
        Twin.notify(Twin.t("line_connected", { end: which, node: end.node,
          distance: Twin.formatNumber(end.distance_m || 0, 2) }));
      } else {
        Twin.notify(Twin.t("line_unconnected", { end: which }), "warning", true);
      }
    });
  }

  /* Save a merge patch; on 412 let the user reload theirs or re-apply mine. */
  async function savePatch(type, code, patch, known, form) {
    const url = Twin.featureUrl(type.table, code);
    try {
      const { body } = await Twin.api(url, { method: "PATCH", json: patch,
        contentType: "application/merge-patch+json", headers: Twin.ifMatch(known.etag, known.version) });
      const version = (body && body.properties && body.properties.version) || known.version + 1;
      Twin.undo.push(code, Twin.undo.patchBack(type.table, code, known.feature, patch));
      reportSnapping(body && body.snapping);
      Twin.notify(Twin.t("saved", { code, version }));
      Twin.layers.refresh(type.table);
      return body;
    } catch (err) {
      if (err.status === 422 && form) {
        Twin.form.showProblems(form, err.body.problems, err.body.detail);
      } else if (err.status === 412 && err.body.current) {
        return resolveConflict(type, code, patch, err.body.current, form);
      } else {
        Twin.notify(Twin.describeError(err), "error", true);
      }
      return null;
    }
  }

  async function resolveConflict(type, code, patch, current, form) {
    const mine = Object.assign({}, patch.properties || {});
    if (patch.geometry) mine.geometry = patch.geometry;
    const choice = await Twin.form.conflict(type, current, mine);
    const known = { feature: current, etag: null, version: current.properties.version };
    if (choice === "reapply") return savePatch(type, code, patch, known, form);
    if (choice === "reload") {
      endSketch();
      if (form) editAttributes(type.table, code, form.dataset.only ? form.dataset.only.split(",") : null);
      else Twin.inspect.open(type.table, code);
    }
    return null;
  }

  async function editAttributes(table, code, only) {
    const type = Twin.typeOf(table);
    const known = await Twin.readFeature(table, code);
    const form = Twin.form.build(type, known.feature.properties, { readonly: ["code"], only,
      title: Twin.t("edit_feature", { code }) });
    if (only) form.dataset.only = only.join(",");
    form.querySelector("button.cancel").addEventListener("click", () => Twin.inspect.open(table, code));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      Twin.form.clearErrors(form);
      const values = Twin.form.read(form);
      if (!values) return;
      const properties = Twin.form.changes(values, known.feature.properties);
      if (!Object.keys(properties).length) { Twin.inspect.open(table, code); return; }
      const saved = await savePatch(type, code, { properties }, known, form);
      if (saved) Twin.inspect.open(table, code);
    });
    showForm(form);
  }

  /* Nodes of the line's network in view, so that drawing snaps onto them. */
  async function showSnapTargets(type) {
    const layer = Twin.layerOfTable(type.table);
    const nodes = layer.types.filter((t) => t.network === "node");
    const bbox = map.getBounds().toBBoxString();
    snapTargets = L.featureGroup().addTo(map);
    await Promise.all(nodes.map(async (node) => {
      try {
        const { body } = await Twin.api(Twin.featureUrl(node.table) + "?bbox=" + bbox
          + "&limit=" + SNAP_LIMIT);
        L.geoJSON(body, { pointToLayer: (f, latlng) => L.circleMarker(latlng, {
          radius: 4, color: "#111", weight: 1, fillColor: node.style.color, fillOpacity: 1 }) })
          .eachLayer((marker) => snapTargets && snapTargets.addLayer(marker));
      } catch (err) {
        // Snapping help is a convenience; the server snaps within its tolerance anyway.
      }
    }));
  }

  async function startDraw() {
    const table = document.getElementById("draw-type").value;
    const type = Twin.typeOf(table);
    if (!type) return;
    endSketch();
    Twin.inspect.close();
    Twin.state.busy = true;
    if (type.network === "edge") await showSnapTargets(type);
    map.pm.enableDraw(SHAPES[type.geometry], { snappable: true, snapDistance: 20,
      continueDrawing: false,
      pathOptions: { color: type.style.color, weight: 4, radius: 8 } });
    Twin.notify(Twin.t("draw_hint"));
    map.once("pm:create", (event) => {
      sketch = event.layer;
      openCreateForm(type, geometryOf(event.layer, type));
    });
  }

  function openCreateForm(type, geometry) {
    const form = Twin.form.build(type, { status: "in_service" },
      { title: Twin.t("new_feature", { type: type.label }) });
    form.querySelector("button.cancel").addEventListener("click", () => {
      endSketch();
      Twin.inspect.close();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      Twin.form.clearErrors(form);
      const values = Twin.form.read(form);
      if (!values) return;
      const properties = {};
      Object.entries(values).forEach(([k, v]) => { if (v !== null) properties[k] = v; });
      try {
        const created = await createFeature(type, properties, geometry);
        endSketch();
        Twin.notify(Twin.t("created", { code: created.code }));
        Twin.inspect.open(type.table, created.code);
      } catch (err) {
        if (err.status === 422) Twin.form.showProblems(form, err.body.problems, err.body.detail);
        else Twin.notify(Twin.describeError(err), "error", true);
      }
    });
    showForm(form);
  }

  async function createFeature(type, properties, geometry) {
    const { body } = await Twin.api(Twin.featureUrl(type.table), { method: "POST",
      json: { type: "Feature", geometry, properties } });
    const feature = body.feature || body;
    const code = feature.id || feature.properties.code;
    reportSnapping(body.snapping);
    Twin.undo.push(code, Twin.undo.deleteAgain(type.table, code));
    Twin.layers.refresh(type.table);
    return { code, feature };
  }

  /* Geoman's drawing hints in the user's language, from the page's catalogue. */
  function translateDrawing() {
    const t = Twin.t;
    map.pm.setLang(Twin.state.config.language, {
      tooltips: { placeMarker: t("pm_place"), placeCircleMarker: t("pm_place"),
        firstVertex: t("pm_first_vertex"), continueLine: t("pm_continue_line"),
        finishLine: t("pm_finish_line"), finishPoly: t("pm_finish_poly"),
        finishRect: t("pm_finish_rect") },
      actions: { finish: t("pm_finish"), cancel: t("cancel"),
        removeLastVertex: t("pm_remove_last") },
    }, "en");
  }

  function fillTypeChoice(select) {
    Twin.state.catalog.layers.forEach((layer) => {
      const types = layer.types.filter((t) => editable(t.table));
      if (!types.length) return;
      select.append(Twin.el("optgroup", { label: layer.label },
        types.map((t) => Twin.el("option", { value: t.table, text: t.label }))));
    });
  }

  Twin.edit = {
    start(leafletMap) {
      map = leafletMap;
      map.pm.setGlobalOptions({ exitModeOnEscape: true, finishOnEnter: true });
      translateDrawing();
      map.on("pm:drawend", () => { if (!sketch) endSketch(); });
      const select = document.getElementById("draw-type");
      if (!select) return;
      fillTypeChoice(select);
      document.getElementById("tool-draw").addEventListener("click", startDraw);
      document.getElementById("tool-undo").addEventListener("click", Twin.undo.last);
    },
    action(name, table, code) {
      if (name === "edit") return editAttributes(table, code);
      if (name === "operate") return editAttributes(table, code, ["status", "normal_state"]);
      return Twin.reshape.action(name, table, code);
    },
    revert: (table, code, version) => Twin.reshape.revert(table, code, version),
    createFeature,
    endSketch,
    geometryOf,
    savePatch,
    showForm,
    writable,
    /* The layer being reshaped, removed by endSketch(). */
    setSketch(layer) { sketch = layer; },
    sketch: () => sketch,
  };
})(window.Twin);
