/* The first view's tiles and the layer catalogue, asked for while the page's scripts load.
 *
 * The page includes this script right after the map's element, before its
 * other scripts: the view is known already (the address's #zoom/lat/lon, or
 * the server's opening view) and so is the map's size, so the tiles the
 * canvas renderer will ask for first can be fetched now instead of after
 * every script has run and /map/layers.json has come back.  canvas.js and
 * twin.js take what was fetched here (Twin.early.take) instead of asking
 * again; anything not taken is simply dropped.  The settings come from the
 * server in data-early: the tile URL template, the tables shown at first,
 * the opening view, the renderer asked for and the catalogue's URL.
 */
"use strict";

window.Twin = window.Twin || {};

(function (Twin, script) {
  const TILE_SIZE = 512;  // the canvas renderer's tiles (canvas.js)
  const MAX_ZOOM = 20;
  const early = JSON.parse(script.dataset.early);
  const fetched = new Map();

  function ask(url, read) {
    const answer = fetch(url, { credentials: "same-origin",
      headers: { Accept: "application/json, application/vnd.mapbox-vector-tile" } })
      .then((response) => {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return read(response);
      });
    answer.catch(() => {});  // a failure is the taker's to handle (it asks again), or nobody's
    fetched.set(url, answer);
  }

  /* True when this browser's WebGL runs in software (SwiftShader, llvmpipe) or is missing:
   * measured on such a machine, the canvas drew a view three to four times sooner, so the
   * "auto" renderer then paints on canvases (layers.js).  Probed once. */
  let software = null;
  function softwareGl() {
    if (software !== null) return software;
    const probe = document.createElement("canvas");
    const gl = probe.getContext("webgl2") || probe.getContext("webgl");
    software = true;
    if (gl) {
      const info = gl.getExtension("WEBGL_debug_renderer_info");
      const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      software = /swiftshader|llvmpipe|softpipe|software/i.test(name);
      const lose = gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext();
    }
    return software;
  }

  /* The view the map opens on: the address's #zoom/lat/lon, else the server's. */
  function openingView() {
    const match = location.hash.match(/^#(\d+(?:\.\d+)?)\/(-?[\d.]+)\/(-?[\d.]+)$/);
    const view = match ? { zoom: Number(match[1]), lat: Number(match[2]), lon: Number(match[3]) }
      : { zoom: early.zoom, lat: early.center[0], lon: early.center[1] };
    view.zoom = Math.max(1, Math.min(MAX_ZOOM, Math.round(view.zoom)));
    return view;
  }

  /* Tiles covering the map element at the view, the way Leaflet's grid layer counts them. */
  function tilesInView(element, view) {
    const scale = 256 * 2 ** view.zoom;
    const sin = Math.sin((Math.max(-85.0511287798, Math.min(85.0511287798, view.lat))
      * Math.PI) / 180);
    const cx = Math.floor(((view.lon + 180) / 360) * scale);
    const cy = Math.floor((0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale);
    const half = { x: element.clientWidth / 2, y: element.clientHeight / 2 };
    const last = 2 ** (view.zoom - 1) - 1;
    const tiles = [];
    for (let y = Math.floor((cy - half.y) / TILE_SIZE);
      y <= Math.ceil((cy + half.y) / TILE_SIZE) - 1; y += 1) {
      for (let x = Math.floor((cx - half.x) / TILE_SIZE);
        x <= Math.ceil((cx + half.x) / TILE_SIZE) - 1; x += 1) {
        if (y >= 0 && y <= last) tiles.push({ x: ((x % (last + 1)) + last + 1) % (last + 1), y });
      }
    }
    return tiles;
  }

  Twin.early = {
    softwareGl,

    /* What was fetched for `url` (a promise), once; null if nothing was. */
    take(url) {
      const found = fetched.get(url) || null;
      fetched.delete(url);
      return found;
    },
  };

  ask(early.layers, (response) => response.json());
  const element = document.querySelector(".folium-map");
  const canvas = early.renderer === "canvas" || (early.renderer === "auto" && softwareGl());
  if (!element || !canvas) return;
  const view = openingView();
  const template = early.tiles + "?size=" + TILE_SIZE + "&t=" + early.tables + "&v=0";
  tilesInView(element, view).forEach(({ x, y }) => {
    const url = template.replace("{z}", view.zoom - 1).replace("{x}", x).replace("{y}", y);
    ask(url, (response) => response.arrayBuffer());
  });
})(window.Twin, document.currentScript);
