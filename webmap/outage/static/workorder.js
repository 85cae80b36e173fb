/* The work order's map: the affected lines and a numbered marker per device.
 *
 * Folium makes the Leaflet map; this draws the data the server put in the
 * page as JSON (#wo-map-data), read as text.  Labels are text nodes
 * (Twin.el), never HTML.  Works the same from the server and from the
 * downloaded file opened with no network.
 */
"use strict";

window.twinWorkOrder = (function () {
  const ROLE_COLOURS = { failed: "#d62728", isolated: "#ff7f0e" };
  const OTHER_COLOUR = "#9467bd";

  function draw(map) {
    const data = JSON.parse(document.getElementById("wo-map-data").textContent);
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
