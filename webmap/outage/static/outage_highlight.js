/* The highlight of an outage (GET /outage/highlight.json) made drawable.
 *
 * window.twinOutageHighlight.decoded(feature)  a merged feature (no geometry,
 *   `encoded` polylines, see twin/network/highlight.py) as a GeoJSON feature
 * window.twinOutageHighlight.dotsLayer(pane)  the Leaflet layer class that
 *   draws a feature's thousands of points on one canvas in `pane`
 */
/* global L */
"use strict";

(function () {
  /* An encoded polyline (precision 5, lat first) as [[lon, lat], ...]. */
  function decode(text) {
    const out = [];
    let index = 0, lat = 0, lon = 0;
    const next = () => {
      let shift = 0, value = 0, byte;
      do {
        byte = text.charCodeAt(index++) - 63;
        value |= (byte & 0x1f) << shift;
        shift += 5;
      } while (byte >= 0x20);
      return value & 1 ? ~(value >> 1) : value >> 1;
    };
    while (index < text.length) {
      lat += next();
      lon += next();
      out.push([lon / 1e5, lat / 1e5]);
    }
    return out;
  }

  /* A merged feature of the highlight (no geometry, encoded polylines) as GeoJSON. */
  function decoded(feature) {
    const e = feature.properties.encoded;
    if (!e) return feature;
    const lines = e.polylines.map(decode);
    const geometry = e.type === "MultiPoint" ? { type: "MultiPoint", coordinates: lines.flat() }
      : { type: "MultiLineString", coordinates: lines };
    return Object.assign({}, feature, { geometry });
  }

  /* Thousands of points (a feeder's customers) as one layer drawn on a canvas of its
     own: one Leaflet layer instead of one per point (a second per 10,000 points).
     Made on first use: on the crew page Leaflet loads after this script. */
  let Dots = null;
  const dotsLayer = (pane) => Dots || (Dots = L.Layer.extend({
    initialize(feature, style) {
      this.feature = feature;
      this.style = style;
      this.points = feature.geometry.coordinates.map(([lon, lat]) => L.latLng(lat, lon));
    },
    onAdd(map) {
      this.canvas = L.DomUtil.create("canvas", "outage-dots outage-role-" + this.feature.properties.role);
      this.canvas.style.position = "absolute";
      this.canvas.style.pointerEvents = "none";
      map.getPane(pane).appendChild(this.canvas);
      map.on("moveend zoomend resize", this.redraw, this);
      map.on("zoomstart", this.hide, this);
      this.redraw();
    },
    onRemove(map) {
      map.off("moveend zoomend resize", this.redraw, this);
      map.off("zoomstart", this.hide, this);
      this.canvas.remove();
    },
    getBounds() { return L.latLngBounds(this.points); },
    hide() { this.canvas.style.visibility = "hidden"; },
    redraw() {
      const map = this._map;
      const size = map.getSize();
      L.DomUtil.setPosition(this.canvas, map.containerPointToLayerPoint([0, 0]));
      this.canvas.width = size.x;
      this.canvas.height = size.y;
      const ctx = this.canvas.getContext("2d");
      const r = this.style.radius;
      ctx.beginPath();
      this.points.forEach((ll) => {
        const p = map.latLngToContainerPoint(ll);
        if (p.x < -r || p.y < -r || p.x > size.x + r || p.y > size.y + r) return;
        ctx.moveTo(p.x + r, p.y);
        ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
      });
      ctx.fillStyle = this.style.fillColor;
      ctx.globalAlpha = 0.9;
      ctx.fill();
      ctx.strokeStyle = this.style.color;
      ctx.lineWidth = 1;
      ctx.stroke();
      this.canvas.style.visibility = "visible";
    },
  }));

  window.twinOutageHighlight = { decode, decoded, dotsLayer };
})();
