/* Vector layers drawn from the tiles, the layer panel and its legend.
 *
 * MapLibre GL JS draws every feature type with WebGL, inside Leaflet (the
 * Leaflet binding, see webmap/static/basemap.js), from the style the
 * server derives from the layer declarations (/tiles/style.json: colour by
 * a value, width by class, each type from its declared minimum zoom) and
 * from one tile request per tile position holding every type
 * (/map/tiles/z/x/y.mvt?size=512&t=...).  Switching a layer or a type off
 * hides its style layers at once, with no new request.  The tiles carry no
 * interactivity: a click asks the server what is there (inspect.js).  With
 * the canvas renderer (config.renderer "canvas", or "auto" on a browser whose
 * WebGL is software) the same tiles are painted on canvases by canvas.js
 * instead, holding only the types switched on.
 */
/* global Twin */
"use strict";

(function (Twin) {
  let gl = null;         // the Leaflet layer holding the MapLibre map
  let grid = null;       // or the canvas renderer's grid of tiles
  let version = 0;       // bumped on every edit, so that tiles are fetched again
  const layerOn = {};    // layer name -> bool
  const typeOn = {};     // table -> bool
  let map = null;

  function glMap() {
    return gl && gl.getMaplibreMap();
  }

  /* Show the style layers of the types switched on (layer and type), hide the others. */
  function applyVisibility() {
    if (grid) {
      Twin.canvasTiles.reload(grid, switchedOn().join(","));
      return;
    }
    const m = glMap();
    if (!m || !m.getStyle()) return;
    m.getStyle().layers.forEach((styleLayer) => {
      const meta = styleLayer.metadata || {};
      if (!meta["twin:table"]) return;
      const on = layerOn[meta["twin:layer"]] && typeOn[meta["twin:table"]];
      m.setLayoutProperty(styleLayer.id, "visibility", on ? "visible" : "none");
    });
  }

  /* Tell the benchmark and the tests each time every tile of the view is drawn. */
  function drawnNow() {
    performance.mark("twin-tiles-drawn"); // read by benchmarks/map_bench.py
    map.getContainer().dataset.tilesDrawn = String(Date.now());
  }

  function markDrawn(m) {
    m.on("idle", drawnNow);
  }

  /* Tables of the types switched on, with their layer. */
  function switchedOn() {
    const tables = [];
    Twin.state.catalog.layers.forEach((layer) => {
      if (!layerOn[layer.name]) return;
      layer.types.forEach((type) => { if (typeOn[type.table]) tables.push(type.table); });
    });
    return tables;
  }

  async function makeCanvas() {
    grid = Twin.canvasTiles.layer(map, Twin.state.catalog, switchedOn().join(","),
      "twin-assets", drawnNow);
    return grid;
  }

  async function makeGl() {
    gl = await Twin.gl.layer(map, Twin.state.config.urls.style,
      { pane: "twin-assets", background: false });
    const m = glMap();
    markDrawn(m);
    if (m.isStyleLoaded()) applyVisibility();
    else m.once("load", applyVisibility);
    map.fire("twin:gl", { layer: gl });
    return gl;
  }

  /* Fetch the tiles again (an edit was saved); the server's tiles follow the
   * twin's data version, the address changes so no cached copy is used. */
  function reload() {
    if (grid) {
      Twin.canvasTiles.reload(grid, switchedOn().join(","));
      return;
    }
    const m = glMap();
    if (!m) return;
    version += 1;
    Object.entries(m.getStyle().sources).forEach(([id, source]) => {
      if (source.type !== "vector") return;
      const tiles = source.tiles.map((url) => url.replace(/&v=\d+$/, "") + "&v=" + version);
      m.getSource(id).setTiles(tiles);
    });
  }

  function swatch(type, entry) {
    const kind = type.geometry === "Point" ? "point"
      : type.geometry === "LineString" ? "line" : "area";
    return Twin.swatch(kind, entry.color, entry.width);
  }

  function typeItem(layer, type) {
    const box = Twin.el("input", { type: "checkbox", "data-table": type.table,
      checked: typeOn[type.table] });
    box.addEventListener("change", () => {
      typeOn[type.table] = box.checked;
      applyVisibility();
    });
    const legend = Twin.el("ul", { class: "legend" },
      type.legend.length > 1 ? type.legend.map((entry) =>
        Twin.el("li", {}, [swatch(type, entry), Twin.el("span", { text: entry.label })])) : []);
    return Twin.el("li", { class: "type", "data-table": type.table,
      "data-min-zoom": type.min_zoom }, [
      Twin.el("label", {}, [box, swatch(type, type.legend[0]),
        Twin.el("span", { class: "name", text: type.label })]),
      Twin.el("span", { class: "min-zoom",
        text: Twin.t("visible_from_zoom", { zoom: type.min_zoom }) }),
      ...(type.details || []).map((d) => Twin.el("span", { class: "detail-zoom",
        "data-min-zoom": d.min_zoom,
        text: Twin.t("details_from_zoom", { what: d.label, zoom: d.min_zoom }) })),
      legend,
    ]);
  }

  function setLayer(name, on) {
    layerOn[name] = on;
    applyVisibility();
  }

  function layerGroup(layer) {
    const box = Twin.el("input", { type: "checkbox", class: "layer-toggle",
      "data-layer": layer.name, checked: layerOn[layer.name] });
    box.addEventListener("change", () => setLayer(layer.name, box.checked));
    return Twin.el("details", { class: "layer", "data-layer": layer.name,
      open: layer.asset ? null : true }, [
      Twin.el("summary", {}, [Twin.el("label", {}, [box,
        Twin.el("span", { class: "name", text: layer.label })])]),
      Twin.el("ul", { class: "types" }, layer.types.map((type) => typeItem(layer, type))),
    ]);
  }

  function rasterItem(key, label, layer) {
    const box = Twin.el("input", { type: "checkbox", "data-raster": key,
      checked: map.hasLayer(layer) });
    box.addEventListener("change", () => {
      if (box.checked) layer.addTo(map); else map.removeLayer(layer);
    });
    return Twin.el("li", { class: "type raster" }, [Twin.el("label", {}, [box,
      Twin.el("span", { class: "name", text: label })])]);
  }

  function rasterGroup() {
    const labels = document.getElementById("layer-panel").dataset;
    const items = [];
    if (Twin.state.rasters.hillshade) {
      items.push(rasterItem("hillshade", labels.hillshade, Twin.state.rasters.hillshade));
    }
    if (Twin.state.rasters.coverage) {
      items.push(rasterItem("coverage", labels.coverage, Twin.state.rasters.coverage));
    }
    if (Twin.state.rasters.online) {
      items.push(rasterItem("online", labels.online, Twin.state.rasters.online));
    }
    if (!items.length) return null;
    return Twin.el("details", { class: "layer rasters", open: true }, [
      Twin.el("summary", { text: labels.rasters }), Twin.el("ul", { class: "types" }, items)]);
  }

  /* Grey out the types not drawn at this zoom, so the panel says why. */
  function showZoomState() {
    const zoom = map.getZoom();
    document.querySelectorAll("#layer-list li.type[data-min-zoom]").forEach((item) => {
      item.classList.toggle("hidden-at-zoom", zoom < Number(item.dataset.minZoom));
    });
    document.querySelectorAll("#layer-list .detail-zoom").forEach((note) => {
      note.classList.toggle("below", zoom < Number(note.dataset.minZoom));
    });
  }

  function createPanes() {
    map.createPane("twin-assets").style.zIndex = 410;
    map.createPane("twin-highlight").style.zIndex = 450;
  }

  Twin.layers = {
    start(leafletMap, catalog) {
      map = leafletMap;
      createPanes();
      const list = document.getElementById("layer-list");
      const assetLayers = catalog.layers.filter((l) => l.asset);
      const baseLayers = catalog.layers.filter((l) => !l.asset);
      catalog.layers.forEach((layer) => {
        layerOn[layer.name] = true;
        layer.types.forEach((type) => { typeOn[type.table] = true; });
      });
      const asked = Twin.state.config.renderer;
      const canvas = asked === "canvas" || (asked === "auto" && Twin.early.softwareGl());
      Twin.layers.renderer = canvas ? "canvas" : "webgl";
      map.getContainer().dataset.renderer = Twin.layers.renderer;
      const make = canvas ? makeCanvas : makeGl;
      Twin.layers.drawn = make().catch((err) => Twin.notify(Twin.describeError(err), "error"));
      assetLayers.forEach((layer) => list.append(layerGroup(layer)));
      const base = Twin.el("section", { class: "base-layers" },
        [Twin.el("h3", { text: document.getElementById("layer-panel").dataset.base })]);
      baseLayers.forEach((layer) => base.append(layerGroup(layer)));
      const rasters = rasterGroup();
      if (rasters) base.append(rasters);
      list.append(base);
      map.on("zoomend", showZoomState);
      showZoomState();
    },

    /* Tables drawn now: layer and type switched on, zoom at or past min_zoom. */
    visibleTables() {
      const zoom = map.getZoom();
      const tables = [];
      Twin.state.catalog.layers.forEach((layer) => {
        if (!layerOn[layer.name]) return;
        layer.types.forEach((type) => {
          if (typeOn[type.table] && zoom >= type.min_zoom) tables.push(type.table);
        });
      });
      return tables;
    },

    /* Tables whose style layers are shown now (switched on; zoom aside). */
    shownTables() {
      if (grid) return switchedOn();
      const m = glMap();
      if (!m) return [];
      const shown = new Set();
      m.getStyle().layers.forEach((l) => {
        const table = (l.metadata || {})["twin:table"];
        if (table && m.getLayoutProperty(l.id, "visibility") !== "none") shown.add(table);
      });
      return [...shown];
    },

    /* Fetch the tiles again after an edit of ``table`` (all types share tiles). */
    refresh() {
      reload();
    },

    setLayer,
    glMap,
  };
})(window.Twin);
