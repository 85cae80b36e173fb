/* The map of open work on the maintenance calendar: a marker on each asset of each
 * open work order, its fill the order's status and its ring the order's kind.
 *
 * The orders come from the feature API (/collections/work_orders/items), a
 * point per asset in the order's asset list.  Choosing a row of the list
 * (or an order in the calendar) picks its markers on the map; choosing a
 * marker picks its row.  Text is built with Twin.el, never HTML.
 */
/* global L */
"use strict";

(function (Twin) {
  const FILL = { planned: "#2e86c1", scheduled: "#8e44ad", in_progress: "#e67e22" };
  const RING = { planned: "#12263a", repair: "#c0392b" };

  const box = document.getElementById("work-map");
  if (!box) return;
  const words = JSON.parse(box.dataset.words);
  const map = L.map(box, { zoomControl: true }).setView([21.27, 106.19], 13);
  const markers = new Map();  // order id -> [circle markers]
  const rows = document.querySelectorAll("#work-orders tr[data-order]");
  let chosen = null;

  // One legend: the work's statuses and kinds, then the base map's.
  Twin.basemap.add(map, { title: words.legend, legend: [
    { title: words.status, entries: Object.entries(FILL).map(([status, color]) => (
      { label: words.statuses[status], kind: "point", color })) },
    { title: words.kind, entries: Object.entries(RING).map(([kind, color]) => (
      { label: words.kinds[kind], kind: "point", color })) },
  ] });

  function pick(id, from) {
    chosen = id;
    markers.forEach((list, orderId) => list.forEach((m) => m.setStyle(
      { weight: orderId === id ? 5 : 2, radius: orderId === id ? 10 : 7 })));
    document.querySelectorAll("[data-order]").forEach((node) => {
      node.classList.toggle("chosen", Number(node.dataset.order) === id);
    });
    const mine = markers.get(id) || [];
    if (from !== "map" && mine.length) {
      map.fitBounds(L.latLngBounds(mine.map((m) => m.getLatLng())).pad(0.5), { maxZoom: 17 });
    }
    if (from === "map") {
      const row = document.querySelector(`#work-orders tr[data-order="${id}"]`);
      if (row) row.scrollIntoView({ block: "nearest" });
    }
    box.dataset.chosen = String(id);
  }

  function popup(p, asset) {
    return Twin.el("div", {}, [
      Twin.el("b", { text: `#${p.id} ${p.title}` }), Twin.el("br"),
      `${words.statuses[p.status]} · ${words.kinds[p.kind]}`, Twin.el("br"),
      asset ? asset.split("/").slice(1).join("/") : "",
      p.crew ? ` · ${p.crew}` : "",
    ]);
  }

  function draw(feature) {
    const p = feature.properties;
    const points = feature.geometry ? feature.geometry.coordinates : [];
    const list = points.map(([lon, lat], i) => L.circleMarker([lat, lon], {
      radius: 7, weight: 2, color: RING[p.kind], fillColor: FILL[p.status], fillOpacity: 0.85,
      className: `wo-marker wo-${p.id}`,
    }).bindPopup(popup(p, (p.assets || [])[i])).on("click", () => pick(p.id, "map")).addTo(map));
    markers.set(p.id, list);
    return list;
  }

  fetch(box.dataset.source, { credentials: "same-origin",
    headers: { Accept: "application/geo+json" } })
    .then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.json(); })
    .then((fc) => {
      const all = fc.features.flatMap(draw);
      if (all.length) {
        map.fitBounds(L.latLngBounds(all.map((m) => m.getLatLng())).pad(0.2), { maxZoom: 17 });
      }
      box.dataset.markers = String(all.length);
    })
    .catch((err) => {
      box.dataset.markers = "0";
      box.after(Twin.el("p", { class: "note", text: `${words.failed} (${err.message})` }));
    });

  rows.forEach((row) => row.addEventListener("click", () => pick(Number(row.dataset.order))));
  document.querySelectorAll("#calendar [data-order]").forEach((node) => {
    node.addEventListener("click", () => pick(Number(node.dataset.order)));
  });
  window.addEventListener("resize", () => map.invalidateSize());
  Twin.workMap = { map, pick, chosen: () => chosen };
})(window.Twin);
