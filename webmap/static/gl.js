/* MapLibre GL JS and its Leaflet binding, loaded for the pages that draw vector tiles with WebGL.
 *
 * MapLibre ships as an ES module; this module loads it from the app's own
 * copy (/vendor/..., no network needed), makes it the global the Leaflet
 * binding expects, loads the binding, and tells Twin.gl.ready (basemap.js).
 * MapLibre starts its tile worker from its own file on this origin, so the
 * Content-Security-Policy needs neither blob: workers nor eval.
 */
import * as maplibregl from "../vendor/maplibre-gl/dist/maplibre-gl.mjs";

window.maplibregl = maplibregl;
// Start the tile worker now, while the page still reads its catalogue and style.
maplibregl.prewarm();
await import("../vendor/@maplibre/maplibre-gl-leaflet/leaflet-maplibre-gl.js");
window.dispatchEvent(new Event("twin:gl-ready"));
