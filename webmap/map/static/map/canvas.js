/* The map's vector tiles drawn on a 2D canvas (Leaflet.VectorGrid), the other renderer.
 *
 * The same tiles as the WebGL map (/map/tiles/z/x/y.mvt?t=tables: one MVT
 * layer per type, areas first, points last), 256 pixels wide, styled from
 * the declarations the page received in /map/layers.json: colour by a value,
 * width by class, pale lines cased in grey, planned lines dashed, abandoned
 * faded.  Chosen by MAP_RENDERER or ?renderer=canvas, and by "auto" (the
 * default) when the browser's WebGL runs in software (see docs/map.md).
 * It draws no labels: names need the WebGL renderer.
 */
/* global L, Twin */
"use strict";

(function (Twin) {
  const CASING = "#a7a39b";
  const PALE = 0.75;
  const FADED = 0.45;

  function classIndex(breaks, value) {
    const i = breaks.findIndex((b) => value <= b);
    return i < 0 ? breaks.length - 1 : i;
  }

  function lightness(hex) {
    const n = parseInt(hex.slice(1), 16);
    return (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
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
    const faded = props.status === "abandoned" ? FADED : 1;
    if (type.geometry === "Point") {
      return { radius: s.radius, fill: true, fillColor: color, fillOpacity: 0.95 * faded,
        color: "#333333", weight: 0.6, opacity: faded };
    }
    if (type.geometry === "LineString") {
      return { color, weight, opacity: 0.95 * faded, lineCap: "round",
        dashArray: props.status === "planned" ? "6 4" : null };
    }
    return { color, weight, opacity: faded, fill: s.fill_opacity > 0, fillColor: color,
      fillOpacity: s.fill_opacity };
  }

  function styleFunction(type) {
    return function (props, zoom) {
      if (zoom < type.min_zoom) return [];
      const style = pathStyle(type, props);
      if (type.geometry !== "LineString" || lightness(style.color) < PALE) return style;
      return [{ color: CASING, weight: style.weight + 2, opacity: style.opacity,
        lineCap: "round" }, style];
    };
  }

  /* True when this browser's WebGL runs in software (SwiftShader, llvmpipe) or is missing:
   * measured on such a machine, the canvas drew a view three to four times sooner. */
  function softwareGl() {
    const probe = document.createElement("canvas");
    const gl = probe.getContext("webgl2") || probe.getContext("webgl");
    if (!gl) return true;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    const lose = gl.getExtension("WEBGL_lose_context");
    if (lose) lose.loseContext();
    return /swiftshader|llvmpipe|softpipe|software/i.test(name);
  }

  Twin.canvasTiles = {
    softwareGl,

    /* A VectorGrid of ``tables`` (comma-separated) in ``pane``; ``onDrawn`` after each full view. */
    layer(map, catalog, tables, pane, onDrawn) {
      const styles = {};
      let minZoom = 22;
      catalog.layers.forEach((layer) => layer.types.forEach((type) => {
        styles[type.table] = styleFunction(type);
        minZoom = Math.min(minZoom, type.min_zoom);
      }));
      const grid = L.vectorGrid.protobuf(Twin.state.config.urls.tiles + "?t={t}&v={v}", {
        t: tables, v: 0, pane, rendererFactory: L.canvas.tile, vectorTileLayerStyles: styles,
        interactive: false, minZoom, maxZoom: 22, updateWhenZooming: false, keepBuffer: 1,
      });
      grid.on("load", onDrawn);
      return grid.addTo(map);
    },

    /* Fetch the tiles again: other tables switched on, or an edit saved. */
    reload(grid, tables) {
      grid.options.t = tables;
      grid.options.v += 1;
      grid.redraw();
    },
  };
})(window.Twin);
