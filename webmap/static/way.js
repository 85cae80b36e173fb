/* The way to a device: distance (m) and compass direction between two [lon, lat] points.
 *
 * Twin.way.distanceM(a, b)  great-circle distance, WGS 84 mean sphere
 * Twin.way.bearingDeg(a, b) initial bearing, degrees clockwise from north
 * Twin.way.compass(deg)     "n", "ne", ... "nw": the nearest of eight points
 *
 * Pure functions, the same formulas as twin/network/algorithms/way.py (the
 * browser tests compare the two).
 */
"use strict";

window.Twin = window.Twin || {};

(function (Twin) {
  const EARTH_RADIUS_M = 6371008.8;
  const COMPASS = ["n", "ne", "e", "se", "s", "sw", "w", "nw"];
  const rad = (d) => (d * Math.PI) / 180;

  function distanceM(a, b) {
    const [lon1, lat1, lon2, lat2] = [a[0], a[1], b[0], b[1]].map(rad);
    const h = Math.sin((lat2 - lat1) / 2) ** 2
      + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function bearingDeg(a, b) {
    const [lon1, lat1, lon2, lat2] = [a[0], a[1], b[0], b[1]].map(rad);
    const y = Math.sin(lon2 - lon1) * Math.cos(lat2);
    const x = Math.cos(lat1) * Math.sin(lat2)
      - Math.sin(lat1) * Math.cos(lat2) * Math.cos(lon2 - lon1);
    return (((Math.atan2(y, x) * 180) / Math.PI) % 360 + 360) % 360;
  }

  function compass(bearing) {
    return COMPASS[Math.round((((bearing % 360) + 360) % 360) / 45) % 8];
  }

  Twin.way = { distanceM, bearingDeg, compass };
})(window.Twin);
