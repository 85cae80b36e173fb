/* Vector layers drawn from the tiles, the layer panel and its legend.
 *
 * One Leaflet.VectorGrid draws every switched-on feature type from one tile
 * request per tile (/map/tiles/z/x/y.mvt?t=tables: one MVT layer per type,
 * areas first, points last).  Each type is styled as its declaration says
 * (colour by a value, width by class) and drawn only from its declared
 * minimum zoom, so a province of a million assets stays light at low zoom.
 * Tiles carry no interactivity: a click asks the server what is there
 * (inspect.js), which keeps panning smooth.
 */
/* global L, Twin */
"use strict";

(function (Twin) {
  let grid = null;
  const layerOn = {};    // layer name -> bool
  const typeOn = {};     // table -> bool
  let map = null;

  function classIndex(breaks, value) {
    const i = breaks.findIndex((b) => value <= b);
    return i < 0 ? breaks.length - 1 : i;
  }

  /* Leaflet path options of one feature, from its declared style. */
  function pathStyle(type, props) {
    const s = type.style;
    let color = s.color;
    let weight = s.weight;
    if (s.by && Object.keys(s.colors).length) color = s.colors[props[s.by]] || s.color;
    if (s.by && s.breaks.length && props[s.by] != null) {
      const widths = s.widths.length ? s.widths : s.breaks.map(() => s.weight);
      weight = widths[classIndex(s.breaks, Number(props[s.by]))];
    }
    const faded = props.status === "abandoned" ? 0.45 : 1;
    if (type.geometry === "Point") {
      return { radius: s.radius, fill: true, fillColor: color, fillOpacity: 0.95 * faded,
        color: "#333333", weight: 0.6, opacity: faded };
    }
    if (type.geometry === "LineString") {
      return { color, weight, opacity: 0.95 * faded, lineCap: "round",
        dashArray: props.status === "planned" ? "6 4" : null };
    }
    return { color, weight, opacity: faded, fill: true, fillColor: color,
      fillOpacity: s.fill_opacity };
  }

  const lightnessOf = new Map();
  function lightness(hex) {
    if (!lightnessOf.has(hex)) {
      const n = parseInt(hex.slice(1), 16);
      lightnessOf.set(hex, (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255))
        / 255);
    }
    return lightnessOf.get(hex);
  }

  /* Pale lines (streets on the base map) get a grey casing so they read on
   * the light background; everything else is drawn as declared. */
  function styleFunction(type) {
    return function (props, zoom) {
      if (!typeOn[type.table] || zoom < type.min_zoom) return [];
      const style = pathStyle(type, props);
      if (type.geometry !== "LineString" || lightness(style.color) < 0.75) return style;
      return [{ color: "#a7a39b", weight: style.weight + 2, opacity: style.opacity,
        lineCap: "round" }, style];
    };
  }

  /* The tables to fetch: type and its layer switched on. */
  function enabledTables() {
    const tables = [];
    Twin.state.catalog.layers.forEach((layer) => {
      if (!layerOn[layer.name]) return;
      layer.types.forEach((type) => { if (typeOn[type.table]) tables.push(type.table); });
    });
    return tables.join(",");
  }

  function makeGrid(catalog) {
    const styles = {};
    let minZoom = 22;
    catalog.layers.forEach((layer) => layer.types.forEach((type) => {
      styles[type.table] = styleFunction(type);
      minZoom = Math.min(minZoom, type.min_zoom);
    }));
    return L.vectorGrid.protobuf(Twin.state.config.urls.tiles + "?t={t}&v={v}", {
      t: enabledTables(),
      v: 0,
      pane: "twin-assets",
      rendererFactory: L.canvas.tile,
      vectorTileLayerStyles: styles,
      interactive: false,
      minZoom,
      maxZoom: 22,
      updateWhenZooming: false,
      keepBuffer: 1,
    });
  }

  /* Fetch the tiles again (switches changed, or an edit was saved). */
  function reload() {
    grid.options.t = enabledTables();
    grid.options.v += 1;
    grid.redraw();
  }

  function swatch(type, entry) {
    const kind = type.geometry === "Point" ? "point"
      : type.geometry === "LineString" ? "line" : "area";
    const style = kind === "line" ? "border-top-color:" + entry.color + ";border-top-width:"
      + Math.max(1, entry.width) + "px"
      : "background:" + entry.color;
    return Twin.el("span", { class: "swatch " + kind, style });
  }

  function typeItem(layer, type) {
    const box = Twin.el("input", { type: "checkbox", "data-table": type.table,
      checked: typeOn[type.table] });
    box.addEventListener("change", () => {
      typeOn[type.table] = box.checked;
      reload();
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
      legend,
    ]);
  }

  function setLayer(name, on) {
    layerOn[name] = on;
    reload();
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
      grid = makeGrid(catalog).addTo(map);
      // Every tile of the view fetched and drawn (read by benchmarks/map_bench.py).
      grid.on("load", () => performance.mark("twin-tiles-drawn"));
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

    /* Fetch the tiles again after an edit of ``table`` (all types share tiles). */
    refresh() {
      reload();
    },

    setLayer,
    grid: () => grid,
    pathStyle,
  };
})(window.Twin);
