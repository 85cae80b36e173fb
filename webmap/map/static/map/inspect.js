/* Looking at features: click to open a feature's panel, search, zoom to results.
 *
 * A click asks /map/identify which drawn feature lies under the cursor;
 * the panel is rendered by the server (/map/panel/<table>/<code>) so labels,
 * units, numbers and dates follow the user's language exactly as elsewhere.
 */
/* global L, Twin */
"use strict";

(function (Twin) {
  let map = null;
  let highlight = null;
  let current = null; // {table, code}

  const HIGHLIGHT = { color: "#00e5ff", weight: 6, opacity: 0.85, fillOpacity: 0.15,
    radius: 10, fill: true, pane: "twin-highlight", interactive: false };

  /* A camera's field of view as a cone: its direction, angle and range (metres). */
  function viewCone(feature) {
    const p = feature.properties || {};
    const g = feature.geometry;
    if (!g || g.type !== "Point" || p.field_of_view_deg == null || p.view_range_m == null
      || p.direction_deg == null) return null;
    const [lon, lat] = g.coordinates;
    const fov = Math.min(Number(p.field_of_view_deg), 360);
    const metresPerDegree = 111320;
    const points = [[lat, lon]];
    for (let i = 0; i <= 16; i += 1) {
      const bearing = (Number(p.direction_deg) - fov / 2 + (fov * i) / 16) * Math.PI / 180;
      const r = Number(p.view_range_m);
      points.push([lat + (r * Math.cos(bearing)) / metresPerDegree,
        lon + (r * Math.sin(bearing)) / (metresPerDegree * Math.cos(lat * Math.PI / 180))]);
    }
    return L.polygon(points, { color: "#1f78b4", weight: 1, fillOpacity: 0.2,
      pane: "twin-highlight", interactive: false, className: "view-cone",
      renderer: L.svg({ pane: "twin-highlight" }) });
  }

  function panelBox() { return document.getElementById("feature-panel"); }

  function closePanel() {
    panelBox().hidden = true;
    document.getElementById("feature-body").replaceChildren();
    current = null;
    if (highlight) { map.removeLayer(highlight); highlight = null; }
    document.body.classList.remove("panel-open");
  }

  async function showHighlight(table, code) {
    if (highlight) { map.removeLayer(highlight); highlight = null; }
    try {
      const { body } = await Twin.api(Twin.featureUrl(table, code));
      highlight = L.geoJSON(body, {
        style: () => HIGHLIGHT,
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, HIGHLIGHT),
        pmIgnore: true,
      }).addTo(map);
      const cone = viewCone(body);
      if (cone) cone.addTo(highlight);
      return body;
    } catch (err) {
      return null;
    }
  }

  function wireActions(body, table, code) {
    body.querySelectorAll("[data-action]").forEach((button) => {
      button.addEventListener("click", () => {
        const action = button.dataset.action;
        if (action === "zoom") Twin.inspect.zoomTo(table, code);
        else if (action === "select" && Twin.bulk) Twin.bulk.toggle(table, code);
        else if (action === "revert" && Twin.edit) {
          Twin.edit.revert(table, code, Number(button.dataset.version));
        } else if (Twin.edit) Twin.edit.action(action, table, code);
      });
    });
  }

  async function openPanel(table, code, options) {
    const box = panelBox();
    const body = document.getElementById("feature-body");
    current = { table, code };
    box.hidden = false;
    document.body.classList.add("panel-open");
    body.replaceChildren(Twin.el("p", { class: "loading", text: Twin.t("loading") }));
    const url = Twin.state.config.urls.panel + "/" + encodeURIComponent(table) + "/"
      + encodeURIComponent(code);
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      body.replaceChildren(Twin.el("p", { class: "error",
        text: Twin.t("error", { detail: response.status + " " + response.statusText }) }));
      return;
    }
    Twin.rendered(body, await response.text());
    wireActions(body, table, code);
    const feature = await showHighlight(table, code);
    if (options && options.zoom && feature) fitFeature(feature);
  }

  function fitFeature(feature) {
    const bounds = L.geoJSON(feature).getBounds();
    if (!bounds.isValid()) return;
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), Math.max(map.getZoom(), 18));
    } else {
      map.fitBounds(bounds, { maxZoom: 18, padding: [40, 40] });
    }
  }

  async function identify(event) {
    if (Twin.state.busy) return;
    const tables = Twin.layers.visibleTables();
    const params = new URLSearchParams({ lon: event.latlng.lng.toFixed(7),
      lat: event.latlng.lat.toFixed(7), zoom: map.getZoom(), tables: tables.join(",") });
    const { body } = await Twin.api(Twin.state.config.urls.identify + "?" + params);
    const hit = body.feature;
    const additive = event.originalEvent && event.originalEvent.shiftKey;
    if (!hit) {
      if (!additive) Twin.notify(Twin.t("no_feature_here"));
      return;
    }
    if (additive && Twin.bulk) Twin.bulk.toggle(hit.table, hit.code);
    else openPanel(hit.table, hit.code);
  }

  /* Search: results listed under the box; choosing one zooms to it. */
  function zoomToBox(bbox) {
    const bounds = L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]);
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), 18);
    } else {
      map.fitBounds(bounds, { maxZoom: 18, padding: [30, 30] });
    }
  }

  function resultItem(result) {
    const kind = Twin.t("search_kind_" + result.kind);
    const type = result.table ? Twin.typeOf(result.table) : null;
    const detail = type ? type.label + (result.kind === "address" ? " " + result.code : "")
      : kind;
    return Twin.el("li", {}, [Twin.el("button", { type: "button", class: "result",
      "data-kind": result.kind,
      onclick: () => {
        document.getElementById("search-results").hidden = true;
        zoomToBox(result.bbox);
        if (result.table) openPanel(result.table, result.code);
      } }, [Twin.el("span", { class: "label", text: result.label }),
      Twin.el("span", { class: "kind", text: detail })])]);
  }

  function startSearch() {
    const form = document.getElementById("search");
    const input = document.getElementById("search-input");
    const list = document.getElementById("search-results");
    let timer = null;
    async function run() {
      const q = input.value.trim();
      if (q.length < 2) { list.hidden = true; return; }
      const { body } = await Twin.api(Twin.state.config.urls.search + "?q="
        + encodeURIComponent(q));
      list.replaceChildren(...(body.results.length ? body.results.map(resultItem)
        : [Twin.el("li", { class: "empty", text: Twin.t("no_results") })]));
      list.hidden = false;
    }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearTimeout(timer);
      await run();
      const first = list.querySelector("button.result");
      if (first) first.click();
    });
    document.addEventListener("click", (event) => {
      if (!form.contains(event.target)) list.hidden = true;
    });
  }

  Twin.inspect = {
    start(leafletMap) {
      map = leafletMap;
      map.on("click", identify);
      panelBox().querySelector("button.close").addEventListener("click", closePanel);
      startSearch();
    },
    open: openPanel,
    close: closePanel,
    current: () => current,
    async zoomTo(table, code) {
      const { body } = await Twin.api(Twin.featureUrl(table, code));
      fitFeature(body);
    },
    /* Reload the open panel (after an edit) if it shows this feature. */
    refresh(table, code) {
      if (current && current.table === table && current.code === code) openPanel(table, code);
    },
  };
})(window.Twin);
