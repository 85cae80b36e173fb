/* Reshaping features: move vertices, split a line, delete; revert to a version.
 *
 * Each reads the feature with its version and writes through the feature
 * API with If-Match (see edit.js for the conflict dialog); each edit can be
 * undone (undo.js).
 */
/* global L, Twin */
"use strict";

(function (Twin) {
  let map = null;

  async function moveVertices(table, code) {
    const type = Twin.typeOf(table);
    const known = await Twin.readFeature(table, code);
    Twin.edit.endSketch();
    Twin.state.busy = true;
    const sketch = L.geoJSON(known.feature, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 9, color: "#d0006f" }),
      style: () => ({ color: "#d0006f", weight: 4 }) }).addTo(map);
    Twin.edit.setSketch(sketch);
    sketch.eachLayer((shape) => shape.pm.enable({ snappable: true, draggable: true }));
    const save = Twin.el("button", { type: "button", class: "primary save", text: Twin.t("save") });
    const cancel = Twin.el("button", { type: "button", class: "cancel", text: Twin.t("cancel") });
    Twin.edit.showForm(Twin.el("div", { class: "feature-form geometry-edit" }, [
      Twin.el("h3", { text: Twin.t("edit_feature", { code }) }),
      Twin.el("p", { text: Twin.t("move_hint") }),
      Twin.el("div", { class: "form-buttons" }, [save, cancel])]));
    cancel.addEventListener("click", () => { Twin.edit.endSketch(); Twin.inspect.open(table, code); });
    save.addEventListener("click", async () => {
      const geometry = Twin.edit.geometryOf(sketch.getLayers()[0], type);
      const saved = await Twin.edit.savePatch(type, code, { geometry }, known, null);
      if (saved) { Twin.edit.endSketch(); Twin.inspect.open(table, code); }
    });
  }

  /* Cut a line's coordinates at the point nearest to a click (screen pixels). */
  function cutLine(coords, latlng) {
    const p = map.latLngToLayerPoint(latlng);
    let best = { d: Infinity };
    for (let i = 0; i < coords.length - 1; i += 1) {
      const a = map.latLngToLayerPoint([coords[i][1], coords[i][0]]);
      const b = map.latLngToLayerPoint([coords[i + 1][1], coords[i + 1][0]]);
      const q = L.LineUtil.closestPointOnSegment(p, a, b);
      const d = p.distanceTo(q);
      if (d < best.d) best = { d, i, q };
    }
    if (best.d > 25) return null;
    const at = map.layerPointToLatLng(best.q);
    const cut = [at.lng, at.lat];
    return [coords.slice(0, best.i + 1).concat([cut]), [cut].concat(coords.slice(best.i + 1))];
  }

  /* Split a line where the user clicks next: the first part keeps the code,
   * the second becomes a new feature with the same attributes.  The click
   * is awaited at once (the feature is read meanwhile), so no click is lost. */
  function splitLine(table, code) {
    const type = Twin.typeOf(table);
    const reading = Twin.readFeature(table, code);
    Twin.edit.endSketch();
    Twin.state.busy = true;
    Twin.notify(Twin.t("split_hint"));
    map.once("click", async (event) => {
      const known = await reading;
      const parts = cutLine(known.feature.geometry.coordinates, event.latlng);
      Twin.state.busy = false;
      if (!parts) return;
      const first = { type: "LineString", coordinates: parts[0] };
      const saved = await Twin.edit.savePatch(type, code, { geometry: first }, known, null);
      if (!saved) return;
      const props = Twin.edit.writable(type, known.feature.properties);
      delete props.code;
      const other = await Twin.edit.createFeature(type, props, { type: "LineString", coordinates: parts[1] });
      Twin.notify(Twin.t("split_done", { code, other: other.code }));
      Twin.inspect.open(table, code);
    });
  }

  async function removeFeature(table, code) {
    const type = Twin.typeOf(table);
    const known = await Twin.readFeature(table, code);
    if (!window.confirm(Twin.t("confirm_delete", { code }))) return;
    try {
      await Twin.api(Twin.featureUrl(table, code), { method: "DELETE",
        headers: Twin.ifMatch(known.etag, known.version) });
    } catch (err) {
      if (err.status === 412 && err.body.current) {
        await Twin.form.conflict(type, err.body.current, {});
        Twin.inspect.open(table, code);
      } else {
        Twin.notify(Twin.describeError(err), "error", true);
      }
      return;
    }
    Twin.undo.push(code, async () => {
      await Twin.api(Twin.featureUrl(table), { method: "POST", json: { type: "Feature",
        geometry: known.feature.geometry, properties: Twin.edit.writable(type, known.feature.properties) } });
      Twin.layers.refresh(table);
      Twin.inspect.open(table, code);
    });
    Twin.notify(Twin.t("deleted", { code }));
    Twin.inspect.close();
    Twin.layers.refresh(table);
  }

  async function revert(table, code, version) {
    try {
      const known = await Twin.readFeature(table, code);
      await Twin.api(Twin.featureUrl(table, code) + "/revert", { method: "POST",
        json: { version }, headers: Twin.ifMatch(known.etag, known.version) });
      Twin.notify(Twin.t("reverted", { code, version }));
      Twin.layers.refresh(table);
      Twin.inspect.open(table, code);
    } catch (err) {
      Twin.notify(Twin.describeError(err), "error", true);
    }
  }

  Twin.reshape = {
    start(leafletMap) { map = leafletMap; },
    action(name, table, code) {
      if (name === "move") return moveVertices(table, code);
      if (name === "split") return splitLine(table, code);
      if (name === "delete") return removeFeature(table, code);
      return null;
    },
    revert,
  };
})(window.Twin);
