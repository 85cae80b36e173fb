/* The map's vector tiles painted on 2D canvases, the other renderer.
 *
 * The same tiles as the WebGL map (/map/tiles/z/x/y.mvt?size=512&t=tables:
 * one MVT layer per type, areas first, points last; a 512-pixel tile carries
 * what a 256-pixel tile one zoom deeper shows, so a view takes a quarter of
 * the requests), styled from
 * the declarations the page received in /map/layers.json: colour by a value,
 * width by class, pale lines cased in grey, planned lines dashed, abandoned
 * faded.  Chosen by MAP_RENDERER or ?renderer=canvas, and by "auto" (the
 * default) when the browser's WebGL runs in software (see docs/map.md).
 * It draws no labels: names need the WebGL renderer.
 *
 * A Leaflet grid layer whose tiles tiledraw.js reads and paints in one
 * pass, one path per look: about a millisecond for a dense tile, so it
 * needs no worker (one was tried: handing tiles and pictures across cost
 * more than it saved).  Tiles the page fetched ahead of its scripts
 * (early.js) are used, not fetched again.
 */
/* global L, Twin, TwinTiles */
"use strict";

(function (Twin) {
  async function fetchBytes(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.arrayBuffer();
  }

  /* A tile's bytes: fetched by early.js while the scripts loaded, or fetched now. */
  function tileBytes(url) {
    const early = Twin.early && Twin.early.take(url);
    return early ? early.catch(() => fetchBytes(url)) : fetchBytes(url);
  }

  const CanvasTiles = L.GridLayer.extend({
    initialize(url, styles, options) {
      this._url = url;
      this._styles = styles;
      L.GridLayer.prototype.initialize.call(this, options);
    },

    /* A 512-pixel tile of the map's zoom is the server's tile one zoom up. */
    tileUrl(coords) {
      return L.Util.template(this._url,
        { z: coords.z - 1, x: coords.x, y: coords.y, t: this.options.t, v: this.options.v });
    },

    createTile(coords, done) {
      const tile = document.createElement("canvas");
      const size = this.getTileSize().x;
      const ratio = window.devicePixelRatio || 1;
      tile.width = tile.height = Math.round(size * ratio);
      tileBytes(this.tileUrl(coords))
        .then((bytes) => {
          // A tile left behind by a pan or zoom while it loaded is not painted.
          if (!bytes.byteLength || !tile.isConnected) return null;
          TwinTiles.paint(tile.getContext("2d"), new Uint8Array(bytes), this._styles, coords.z,
            size, ratio);
          return null;
        })
        .then(() => done(null, tile), (err) => done(err, tile));
      return tile;
    },
  });

  Twin.canvasTiles = {
    /* A grid of ``tables`` (comma-separated) in ``pane``; ``onDrawn`` after each full view. */
    layer(map, catalog, tables, pane, onDrawn) {
      const styles = {};
      let minZoom = 22;
      catalog.layers.forEach((layer) => layer.types.forEach((type) => {
        styles[type.table] = { geometry: type.geometry, min_zoom: type.min_zoom,
          style: type.style };
        minZoom = Math.min(minZoom, type.min_zoom);
      }));
      const grid = new CanvasTiles(Twin.state.config.urls.tiles + "?size=512&t={t}&v={v}",
        styles, { t: tables, v: 0, pane, tileSize: 512, minZoom: Math.max(1, minZoom),
          maxZoom: 22, updateWhenZooming: false, keepBuffer: 1 });
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
