/* The work order's map: the base map, the affected lines and a numbered marker per device.
 *
 * Folium makes the Leaflet map; this draws the data the server put in the
 * page as JSON (#wo-map-data), read as text: the twin's own base map around
 * the outage (buildings on a canvas, roads, rivers and places as vector
 * paths, names as labels), then the outage above it.  Labels are text nodes
 * (Twin.el), never HTML.  Works the same from the server and from the
 * downloaded file opened with no network: nothing is fetched.
 */
"use strict";

window.twinWorkOrder = (function () {
  const ROLE_COLOURS = { failed: "#d62728", isolated: "#ff7f0e" };
  const OTHER_COLOUR = "#9467bd";

  const CASING = "#a7a39b";
  const ROAD_NAMES = 30;

  function colour(style, props) {
    return (style.by && style.colors[props[style.by]]) || style.color;
  }

  /* A permanent label at a place, as text. */
  function name(map, latlng, text) {
    L.tooltip({ permanent: true, direction: "center", className: "wo-name", interactive: false })
      .setLatLng(latlng).setContent(Twin.el("span", { text })).addTo(map);
  }

  /* One label per road name, at the middle of its longest piece (roads come longest first). */
  function roadNames(map, roads) {
    const seen = new Set();
    roads.forEach((f) => {
      const label = f.properties.name;
      const coords = f.geometry.type === "LineString" ? f.geometry.coordinates : null;
      if (!label || !coords || seen.has(label) || seen.size >= ROAD_NAMES) return;
      seen.add(label);
      const middle = coords[Math.floor(coords.length / 2)];
      name(map, [middle[1], middle[0]], label);
    });
  }

  function drawBase(map, data) {
    if (!data.base) return;
    const styles = data.base_styles;
    const of = (geometry) => data.base.features.filter((f) =>
      styles[f.properties.table].geometry.endsWith(geometry));
    map.createPane("wo-base").style.zIndex = 350;
    map.createPane("wo-base-lines").style.zIndex = 360;
    const lines = L.svg({ pane: "wo-base-lines" });
    const common = { interactive: false };
    L.geoJSON(of("Polygon"), { ...common, renderer: L.canvas({ pane: "wo-base" }),
      style: (f) => { const s = styles[f.properties.table]; const c = colour(s, f.properties);
        return { color: c, weight: s.weight, fillColor: c, fillOpacity: Math.max(s.fill_opacity, 0.3) }; },
    }).addTo(map);
    const roads = of("LineString");
    const kind = (f) => "wo-" + f.properties.table.replace(/^base_/, "");
    L.geoJSON(roads, { ...common, renderer: lines,
      style: (f) => ({ color: CASING, weight: styles[f.properties.table].weight + 2.5, opacity: 1,
        className: kind(f) + "-casing" }),
    }).addTo(map);
    L.geoJSON(roads, { ...common, renderer: lines,
      style: (f) => { const s = styles[f.properties.table];
        return { color: colour(s, f.properties), weight: s.weight + 0.5, opacity: 1, className: kind(f) }; },
    }).addTo(map);
    L.geoJSON(of("Point"), { ...common, renderer: lines,
      pointToLayer: (f, latlng) => { const s = styles[f.properties.table];
        if (f.properties.name) name(map, [latlng.lat, latlng.lng], f.properties.name);
        return L.circleMarker(latlng, { renderer: lines, interactive: false, radius: Math.min(s.radius, 5),
          color: "#333", weight: 1, fillColor: colour(s, f.properties), fillOpacity: 0.9,
          className: "wo-place" }); },
    }).addTo(map);
    roadNames(map, roads.filter((f) => f.properties.table === "base_road"));
  }

  function draw(map) {
    const data = JSON.parse(document.getElementById("wo-map-data").textContent);
    drawBase(map, data);
    const group = L.featureGroup().addTo(map);
    L.geoJSON(data.lines, {
      style: f => ({
        color: ROLE_COLOURS[f.properties.role] || OTHER_COLOUR,
        weight: f.properties.role === "failed" ? 6 : 4,
        className: "wo-line",
      }),
      onEachFeature: (f, layer) => layer.bindTooltip(Twin.el("span", { text: f.properties.code })),
    }).addTo(group);
    data.devices.forEach(d => {
      L.circleMarker([d.lonlat[1], d.lonlat[0]], {
        radius: 9, color: "#000", weight: 2, fillColor: "#1f77b4", fillOpacity: 0.9,
        className: "wo-device",
      })
        .bindTooltip(Twin.el("span", { text: `${d.order}. ${d.device}` }), {
          permanent: true, direction: "right", className: "wo-label",
        })
        .addTo(group);
    });
    if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [24, 24] });
    // The printed map is another size than the screen's: redraw for it.
    window.addEventListener("beforeprint", () => map.invalidateSize());
    window.addEventListener("afterprint", () => map.invalidateSize());
    document.getElementById("wo-map").dataset.drawn = String(data.devices.length);
  }

  function startPrintButton() {
    const button = document.querySelector("button.print");
    if (button) button.addEventListener("click", () => window.print());
  }

  return { draw, startPrintButton };
})();
