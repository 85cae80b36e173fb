/* The twin's own base map and a legend on any Leaflet map, drawn with WebGL.
 *
 *   Twin.gl.layer(map, styleUrl, options)  a MapLibre layer drawing a style.json
 *   Twin.basemap.add(map, options)         roads, buildings, rivers and labels
 *                                          from the twin's tiles, and a legend
 *   Twin.legend(map, title, sections)      a legend control (sections of swatches)
 *   Twin.swatch(kind, color, width)        one legend swatch (point, line, area)
 *
 * Pages load this script; Twin.gl.load() resolves once MapLibre and its
 * Leaflet binding are there, loading gl.js (an ES module) and MapLibre's CSS
 * on first use unless the page links them itself.  The map page draws on a
 * canvas where WebGL runs in software and then never pays for MapLibre's
 * 1.6 MB.  Styles come from /tiles/.../style.json, derived on the server
 * from the layer declarations, so every map draws a type the same way.
 * Elements are built with Twin.el (dom.js): text, never HTML.
 */
/* global L */
"use strict";

window.Twin = window.Twin || {};

(function (Twin) {
  const root = document.currentScript
    ? new URL("..", document.currentScript.src).pathname : "/";
  let ready = null;

  /* MapLibre and its Leaflet binding: gl.js dispatches twin:gl-ready once both are there. */
  function loadGl() {
    if (ready) return ready;
    ready = new Promise((resolve) => {
      if (window.maplibregl && L.maplibreGL) {
        resolve();
        return;
      }
      window.addEventListener("twin:gl-ready", () => resolve(), { once: true });
      const css = root + "vendor/maplibre-gl/dist/maplibre-gl.css";
      if (!document.querySelector('link[href="' + css + '"]')) {
        document.head.append(Twin.el("link", { rel: "stylesheet", href: css }));
      }
      const module = root + "static/gl.js";
      if (!document.querySelector('script[src="' + module + '"]')) {
        document.head.append(Twin.el("script", { type: "module", src: module }));
      }
    });
    return ready;
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin",
      headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.json();
  }

  /* A MapLibre layer in `options.pane` drawing the style at `styleUrl`.
   * `options.background: false` drops the style's background so that the
   * layers under it (a hillshade) show through. */
  async function glLayer(map, styleUrl, options) {
    const opts = Object.assign({ pane: "tilePane", background: true }, options || {});
    const [style] = await Promise.all([getJson(styleUrl), loadGl()]);
    if (!opts.background) style.layers = style.layers.filter((l) => l.type !== "background");
    const layer = L.maplibreGL({ style, pane: opts.pane, interactive: false, padding: 0.05,
      fadeDuration: 0, maxTileCacheZoomLevels: 3 });
    layer.addTo(map);
    return layer;
  }

  Twin.gl = { load: loadGl, layer: glLayer, root };

  Twin.swatch = function (kind, color, width) {
    const style = kind === "line"
      ? "border-top-color:" + color + ";border-top-width:" + Math.max(1, width || 2) + "px"
      : "background:" + color;
    return Twin.el("span", { class: "swatch " + kind, style });
  };

  function kindOf(geometry) {
    return geometry === "Point" ? "point" : geometry === "LineString" ? "line" : "area";
  }

  /* Legend sections of the layers named, from the map's layer catalogue. */
  async function catalogSections(layerNames) {
    const catalog = await getJson(root + "map/layers.json");
    return catalog.layers.filter((l) => layerNames.includes(l.name)).map((l) => ({
      title: l.label,
      entries: l.types.map((type) => ({ label: type.label, kind: kindOf(type.geometry),
        color: type.legend[0].color, width: type.legend[0].width })),
    }));
  }

  const Legend = L.Control.extend({
    options: { position: "bottomleft" },
    /* options.title: the legend's heading, in the page's language. */
    onAdd() {
      // Folded on a phone, where the map needs the room; open on a desktop.
      this._box = Twin.el("details", { class: "twin-legend", open: window.innerWidth > 600 });
      this._sections = [];
      L.DomEvent.disableClickPropagation(this._box);
      L.DomEvent.disableScrollPropagation(this._box);
      this._render();
      return this._box;
    },
    /* Put (or replace) the section named `title`; entries {label, kind, color, width}. */
    setSection(title, entries) {
      const others = this._sections.filter((s) => s.title !== title);
      this._sections = entries && entries.length ? [...others, { title, entries }] : others;
      this._render();
      return this;
    },
    _render() {
      if (!this._box) return;
      this._box.replaceChildren(Twin.el("summary", { text: this.options.title }),
        ...this._sections.map((s) => Twin.el("section", {}, [Twin.el("h4", { text: s.title }),
          Twin.el("ul", {}, s.entries.map((e) => Twin.el("li", {}, [
            Twin.swatch(e.kind, e.color, e.width), Twin.el("span", { text: e.label })])))])));
    },
  });

  Twin.legend = function (map, title, sections) {
    const legend = new Legend({ title });
    legend.addTo(map);
    (sections || []).forEach((s) => legend.setSection(s.title, s.entries));
    return legend;
  };

  /* The twin's base map under everything else on `map`, and a legend of it
   * headed `options.title` (plus `options.legend` sections).  Resolves to
   * {layer, legend}. */
  Twin.basemap = {
    async add(map, options) {
      const opts = Object.assign({ legend: [], pane: "tilePane" }, options || {});
      const legend = Twin.legend(map, opts.title, opts.legend);
      map.getContainer().classList.add("twin-basemap");
      // Without WebGL (or with the server away) the map keeps its own layers and legend.
      const [layer, sections] = await Promise.all([
        glLayer(map, root + "tiles/base/style.json", { pane: opts.pane }).catch((err) => {
          console.warn("no base map:", err);
          return null;
        }),
        catalogSections(["base"]).catch(() => []),
      ]);
      sections.forEach((s) => legend.setSection(s.title, s.entries));
      if (!layer) return { layer, legend };
      // Tests and pages may wait for the first view of the base map to be drawn.
      layer.getMaplibreMap().once("idle", () => {
        map.getContainer().dataset.basemap = "drawn";
      });
      map.fire("twin:basemap", { layer });
      return { layer, legend };
    },
  };
})(window.Twin);
