/* The latest water run on the map: pressure colours at junctions, flow arrows on pipes.
 *
 * A layer the user switches on in the layer panel.  The values come from the
 * runs API (/api/simulation/water/runs, then …/runs/<id>?at=HOURS: every
 * node's pressure and every link's flow by asset code); the places from the
 * feature API (/collections/<table>/items?bbox=…) for the view, joined by
 * code.  Drawn on a canvas of its own pane from zoom MIN_ZOOM on, again after
 * each move.  Text reaches the page only through Twin.el.
 */
/* global L, Twin */
"use strict";

(function (Twin) {
  const MIN_ZOOM = 15;
  const NODE_TABLES = ["water_junction", "water_service_connection", "water_hydrant"];
  const LIMIT = 5000;
  const ARROW_PX = 6;
  /* Pressure classes (m): the first below the 10 m service minimum (TCVN 13606:2023). */
  const CLASSES = [
    { upTo: 10, color: "#d7191c" },
    { upTo: 20, color: "#fdae61" },
    { upTo: 40, color: "#1a9641" },
    { upTo: 60, color: "#2b83ba" },
    { upTo: Infinity, color: "#7b3294" },
  ];
  const FLOW_COLOR = "#08306b";

  let map = null;
  let renderer = null;
  let drawn = null;       // L.layerGroup of the markers and arrows
  let run = null;         // the run shown (from the runs list)
  let values = null;      // {nodes: {code: {...}}, links: {code: {...}}} at the hour
  let requests = 0;       // later requests win over answers still on their way
  const ui = {};

  function colorOf(pressure) {
    return CLASSES.find((c) => pressure < c.upTo).color;
  }

  function classLabel(k) {
    const fmt = (v) => Twin.fmt.number(v, 0);
    if (k === 0) return Twin.t("sim_pressure_below", { m: fmt(CLASSES[0].upTo) });
    const from = CLASSES[k - 1].upTo;
    if (CLASSES[k].upTo === Infinity) return Twin.t("sim_pressure_above", { m: fmt(from) });
    return Twin.t("sim_pressure_range", { from: fmt(from), to: fmt(CLASSES[k].upTo) });
  }

  function legend() {
    const items = CLASSES.map((c, k) => Twin.el("li", {}, [
      Twin.swatch("point", c.color), Twin.el("span", { text: classLabel(k) })]));
    items.push(Twin.el("li", {}, [Twin.swatch("line", FLOW_COLOR, 2),
      Twin.el("span", { text: Twin.t("sim_flow") })]));
    return Twin.el("ul", { class: "legend pressure-legend" }, items);
  }

  function panel() {
    ui.box = Twin.el("input", { type: "checkbox", id: "pressure-toggle" });
    ui.hour = Twin.el("select", { id: "pressure-hour", "aria-label": Twin.t("sim_hour") });
    ui.note = Twin.el("p", { class: "pressure-note", "aria-live": "polite" });
    ui.box.addEventListener("change", () => (ui.box.checked ? switchOn() : switchOff()));
    ui.hour.addEventListener("change", () => loadValues().catch(failed));
    return Twin.el("section", { class: "simulation-layer", id: "pressure-panel" }, [
      Twin.el("h3", { text: Twin.t("sim_heading") }),
      Twin.el("label", {}, [ui.box, Twin.el("span", { class: "name", text: Twin.t("sim_layer") })]),
      Twin.el("label", { class: "pressure-hour" }, [
        Twin.el("span", { text: Twin.t("sim_hour") }), ui.hour]),
      ui.note,
      legend(),
    ]);
  }

  function say(text) {
    ui.note.textContent = text;
  }

  function failed(err) {
    say(Twin.describeError(err));
  }

  function hourOptions() {
    const step = Math.max(run.step_s || 3600, 3600);
    const last = Math.max(Math.floor((run.duration_s || 0) / step), 0);
    const peak = Twin.state.config.water_peak_h || 0;
    ui.hour.replaceChildren();
    for (let k = 0; k <= last; k += 1) {
      const hours = (k * step) / 3600;
      ui.hour.append(Twin.el("option", { value: String(hours),
        text: String(hours).padStart(2, "0") + ":00", selected: hours === peak }));
    }
  }

  async function switchOn() {
    const runs = (await Twin.api(Twin.state.config.urls.water_runs).catch((err) => {
      failed(err);
      return { body: [] };
    })).body;
    if (!ui.box.checked) return;
    if (!runs.length) {
      say(Twin.t("sim_no_run"));
      return;
    }
    run = runs[0];
    hourOptions();
    drawn.addTo(map);
    await loadValues().catch(failed);
  }

  function switchOff() {
    requests += 1;
    drawn.clearLayers();
    map.removeLayer(drawn);
    say("");
    delete map.getContainer().dataset.pressureDrawn;
  }

  async function loadValues() {
    const url = Twin.state.config.urls.water_runs + "/" + encodeURIComponent(run.id)
      + "?at=" + encodeURIComponent(ui.hour.value);
    const ask = ++requests;
    const body = (await Twin.api(url)).body;
    if (ask !== requests) return;
    values = { nodes: body.nodes, links: body.links };
    await redraw();
  }

  function items(table, bbox) {
    const url = Twin.featureUrl(table) + "?limit=" + LIMIT + "&bbox=" + bbox.join(",");
    return Twin.api(url).then((r) => r.body.features);
  }

  async function redraw() {
    if (!ui.box.checked || !values) return;
    if (map.getZoom() < MIN_ZOOM) {
      drawn.clearLayers();
      say(Twin.t("sim_zoom_in", { zoom: MIN_ZOOM }));
      return;
    }
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6));
    const ask = ++requests;
    const [pipes, ...nodes] = await Promise.all(
      ["water_pipe", ...NODE_TABLES].map((t) => items(t, bbox)));
    if (ask !== requests) return;
    drawn.clearLayers();
    const arrows = pipes.map(arrow).filter(Boolean);
    const dots = nodes.flat().map(dot).filter(Boolean);
    const container = map.getContainer();
    container.dataset.pressureDrawn = String(dots.length);
    container.dataset.flowArrows = String(arrows.length);
    say(Twin.t("sim_run", { id: run.id, scenario: run.scenario, hour: ui.hour.selectedOptions[0].text }));
  }

  function dot(feature) {
    const value = values.nodes[feature.properties.code];
    if (!value || value.pressure_m === null) return null;
    const [lon, lat] = feature.geometry.coordinates;
    return L.circleMarker([lat, lon], { renderer, radius: 5, color: "#333333", weight: 1,
      fillColor: colorOf(value.pressure_m), fillOpacity: 0.9, interactive: false })
      .addTo(drawn);
  }

  /* A chevron at the middle of the pipe pointing the way the water flows. */
  function arrow(feature) {
    const value = values.links[feature.properties.code];
    if (!value || Math.abs(value.flow_lps || 0) < 0.01) return null;
    const points = feature.geometry.coordinates.map(([lon, lat]) => map.project([lat, lon]));
    const half = points.slice(1).reduce((s, p, k) => s + p.distanceTo(points[k]), 0) / 2;
    let walked = 0;
    for (let k = 1; k < points.length; k += 1) {
      const a = points[k - 1];
      const length = points[k].distanceTo(a);
      if (walked + length >= half && length > 0) {
        const d = points[k].subtract(a).divideBy(length).multiplyBy(Math.sign(value.flow_lps));
        const mid = a.add(points[k].subtract(a).multiplyBy((half - walked) / length));
        const n = L.point(-d.y, d.x);
        const tip = mid.add(d.multiplyBy(ARROW_PX));
        const back = mid.subtract(d.multiplyBy(ARROW_PX));
        const wings = [back.add(n.multiplyBy(ARROW_PX)), tip, back.subtract(n.multiplyBy(ARROW_PX))];
        return L.polyline(wings.map((p) => map.unproject(p)), { renderer, color: FLOW_COLOR,
          weight: 2, interactive: false }).addTo(drawn);
      }
      walked += length;
    }
    return null;
  }

  Twin.pressure = {
    start(leafletMap) {
      map = leafletMap;
      map.createPane("twin-simulation").style.zIndex = 430;
      renderer = L.canvas({ pane: "twin-simulation" });
      drawn = L.layerGroup();
      document.getElementById("layer-panel").append(panel());
      map.on("moveend", () => redraw().catch(failed));
    },
  };
})(window.Twin);
