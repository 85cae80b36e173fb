/* Outage analysis on a Leaflet map: the crew page and the map page's asset panel.
 *
 * window.twinOutage.attach(map)           use this Leaflet map for the results
 * window.twinOutage.analyse(codes, unav)  POST /outage/analyse (the summary), then
 *                                         the highlight to draw; lists paged on demand
 * window.twinOutage.clear()               remove the results
 * window.twinOutage.startPage(element)    the crew page: map, network, clicks
 *
 * The panel markup and the configuration (URLs, words in the user's
 * language, network tables) come from outage/partial.html.  On the map page
 * (window.Twin.state present) the script attaches itself to Twin's map and adds an
 * "Analyse outage" button to the panel of every network asset.
 */
/* global L */
"use strict";

(function () {
  const LINE_STYLES = {
    failed: { color: "#000000", weight: 8, opacity: 0.9 },
    isolated: { color: "#e31a1c", weight: 6, opacity: 0.85 },
    cut_off: { color: "#fd8d3c", weight: 4, dashArray: "6 5" },
    dark_at_trip: { color: "#6a3d9a", weight: 4, opacity: 0.7 },
    faulted_section: { color: "#e31a1c", weight: 6 },
    restored: { color: "#33a02c", weight: 4, dashArray: "4 4" },
    lost: { color: "#e31a1c", weight: 5 },
    dark: { color: "#525252", weight: 5 },
    upstream: { color: "#e31a1c", weight: 5 },
    downstream: { color: "#2171b5", weight: 4, dashArray: "6 4" },
    cascade_lost: { color: "#b15928", weight: 3, dashArray: "2 5" },
  };
  const POINT_STYLES = {
    failed: { radius: 9, color: "#000", fillColor: "#000" },
    valve_to_close: { radius: 8, color: "#08306b", fillColor: "#4292c6" },
    closed_boundary: { radius: 6, color: "#08306b", fillColor: "#ffffff" },
    unavailable_valve: { radius: 8, color: "#b3261e", fillColor: "#fcbba1" },
    tripped_device: { radius: 9, color: "#67000d", fillColor: "#ef3b2c" },
    isolating_device: { radius: 8, color: "#08306b", fillColor: "#4292c6" },
    tie_switch: { radius: 8, color: "#00441b", fillColor: "#41ab5d" },
    customer: { radius: 4, color: "#54278f", fillColor: "#9e9ac8" },
    cascade_stopped: { radius: 9, color: "#7f2704", fillColor: "#fd8d3c" },
  };
  const NETWORK_STYLES = {
    water: { color: "#1f78b4", weight: 4, opacity: 0.55 },
    power: { color: "#a50f15", weight: 2, opacity: 0.3 },
    drainage: { color: "#8c510a", weight: 2, opacity: 0.3 },
    telecom: { color: "#6a3d9a", weight: 2, opacity: 0.3 },
    lighting: { color: "#b8860b", weight: 1.5, opacity: 0.3 },
  };
  const PANE = "twin-outage";
  /* Critical facilities listed in the summary; the rest a page at a time. */
  const FIRST_FACILITIES = 10;
  const el = window.Twin.el; // webmap/static/dom.js: text, never HTML
  const state = { map: null, layer: null, codes: [], unavailable: [], csrf: null, report: null,
    pressure: null };

  function panel() { return document.getElementById("outage-panel"); }
  function config() {
    if (!state.config) state.config = JSON.parse(panel().dataset.config);
    return state.config;
  }
  function t(key) { return config().messages[key] || key; }
  /* A utility or kind the analysis names by code ("valve"), in the user's language. */
  function word(prefix, code) { return config().messages[prefix + "_" + code] || code; }
  const count = (n) => window.Twin.fmt.count(n); // webmap/static/locale.js

  /* Why a step is there, in the user's language ({customers} ... filled in). */
  function reason(step) {
    let text = config().messages[step.reason];
    if (!text) return step.note || "";
    Object.entries(step).forEach(([key, value]) => {
      text = text.split("{" + key + "}").join(String(value));
    });
    return text;
  }

  async function csrfToken() {
    if (window.Twin && window.Twin.state && window.Twin.state.csrf) return window.Twin.state.csrf;
    if (!state.csrf) {
      const response = await fetch(config().urls.me, { credentials: "same-origin" });
      if (response.ok) state.csrf = (await response.json()).csrf_token;
    }
    return state.csrf;
  }

  function query(codes, unavailable) {
    const params = new URLSearchParams();
    codes.forEach((c) => params.append("code", c));
    unavailable.forEach((c) => params.append("unavailable", c));
    return params.toString();
  }

  function tag(layer, feature) {
    const element = layer.getElement && layer.getElement();
    if (!element) return;
    element.dataset.code = feature.properties.code;
    element.dataset.role = feature.properties.role;
  }

  function draw(highlight) {
    if (state.layer) state.map.removeLayer(state.layer);
    const role = (f) => f.properties.role;
    const features = highlight.features.map(window.twinOutageHighlight.decoded);
    const many = (f) => f.geometry.type === "MultiPoint" && f.properties.count;
    state.layer = L.geoJSON({ type: "FeatureCollection",
      features: features.filter((f) => !many(f)) }, {
      pane: PANE,
      style: (f) => Object.assign({ className: "outage-role-" + role(f), pane: PANE },
        LINE_STYLES[role(f)] || { color: "#333", weight: 3 }),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, Object.assign(
        { fillOpacity: 0.9, weight: 2, className: "outage-role-" + role(f), pane: PANE },
        POINT_STYLES[role(f)] || { radius: 5, color: "#333", fillColor: "#999" },
        f.properties.critical ? { radius: 10, color: "#b3261e", fillColor: "#fb6a4a" } : {})),
      onEachFeature: (f, layer) => {
        const label = f.properties.code || count(f.properties.count);
        layer.bindTooltip(el("span", { text: label + " · " + role(f) }));
        if (f.properties.code) layer.on("add", () => tag(layer, f));
      },
    });
    const Layer = window.twinOutageHighlight.dotsLayer(PANE);
    features.filter(many).forEach((f) => state.layer.addLayer(
      new Layer(f, POINT_STYLES[role(f)] || { radius: 4, color: "#333", fillColor: "#999" })));
    state.layer.addTo(state.map);
    const focus = L.featureGroup(state.layer.getLayers().filter((l) =>
      ["failed", "isolated", "faulted_section", "valve_to_close", "lost", "dark", "upstream"]
        .includes(l.feature.properties.role)));
    const bounds = focus.getLayers().length ? focus.getBounds() : state.layer.getBounds();
    if (bounds.isValid()) state.map.fitBounds(bounds, Object.assign({ maxZoom: 18 }, uncovered(state.map)));
  }

  /* Padding that keeps a fitted area out from under the panels lying over the map
     (layer list, feature panel, this panel as a side panel or a phone's bottom sheet). */
  function uncovered(map) {
    const box = map.getContainer().getBoundingClientRect();
    const pad = { left: 0, right: 0, bottom: 0 };
    document.querySelectorAll("#sidebar, #feature-panel, #outage-panel").forEach((node) => {
      const r = node.getBoundingClientRect();
      const over = Math.min(r.right, box.right) > Math.max(r.left, box.left)
        && Math.min(r.bottom, box.bottom) > Math.max(r.top, box.top);
      if (!over || node.hidden) return;
      if (r.height < box.height / 2) pad.bottom = Math.max(pad.bottom, box.bottom - r.top);
      else if (r.left + r.width / 2 > box.left + box.width / 2) {
        pad.right = Math.max(pad.right, box.right - r.left);
      } else pad.left = Math.max(pad.left, r.right - box.left);
    });
    const fits = (a, b, size) => a + b + 60 < size;
    if (!fits(pad.left, pad.right, box.width)) { pad.left = 0; pad.right = 0; }
    if (!fits(0, pad.bottom, box.height)) pad.bottom = 0;
    return { paddingTopLeft: [pad.left + 30, 30],
      paddingBottomRight: [pad.right + 30, pad.bottom + 30] };
  }

  /* Customers per utility, each on its own line: never one count for two utilities. */
  function summary(report) {
    const lines = report.utilities.filter((u, i) => i === 0 || u.customers || u.households)
      .map((u, i) => el("p", { class: "outage-customers", "data-utility": u.utility }, [
        el("strong", { text: word("utility", u.utility) + " · " + t("customers") + ": " }),
        el("span", { class: i === 0 ? "outage-count" : "outage-count-cascade",
          text: count(u.customers) }),
        el("span", { text: " (" + count(u.households) + " " + t("households") + ")" }),
      ]));
    if (report.already_out) {
      lines.push(el("p", { class: "outage-overlap",
        text: count(report.already_out) + " " + t("already_out") }));
    }
    const a = report.analysis;
    const n = (key) => count((report.analysis_counts || {})[key] || (a[key] || []).length);
    if (report.utility === "water") {
      lines.push(el("p", { text: t("level") + " " + a.level + " · " + t("isolated") + ": "
        + n("isolated_edges") + " · " + t("cut_off") + ": " + n("cut_off_edges") }));
    } else if (report.utility === "power") {
      lines.push(el("p", { class: "outage-trip", text: tripText(a.trip) }));
    }
    if (report.pressure) lines.push(pressureLine(report.pressure));
    if (report.restoration_check) lines.push(restorationLine(report.restoration_check));
    if (!("pressure" in report) && report.utility !== "telecom") {
      lines.push(el("p", { class: "outage-simulating", role: "status", "aria-busy": "true" },
        [el("span", { class: "spinner" }), el("span", { text: t("simulating") })]));
    }
    return lines;
  }

  /* Which device trips and why (the analysis' `trip`), in the user's language. */
  function tripText(trip) {
    if (!trip) return t("tripped") + ": " + t("none");
    const voltage = trip.voltage_kv == null ? "?" : window.Twin.fmt.number(trip.voltage_kv);
    const device = word("kind", trip.kind);
    const values = { ...trip, voltage, level: word("level", trip.level),
      device: device.charAt(0).toUpperCase() + device.slice(1), name: trip.name || trip.code };
    values.where = reason({ ...values, reason: trip.on === "line" ? "trip_on_line" : "trip_at_node" });
    return reason({ ...values, reason: "trip_" + trip.reason });
  }

  /* The verdict of the load flows of the proposed ties (`restoration_check` in brief). */
  function restorationLine(check) {
    return el("p", { class: "outage-restoration", "data-verdict": check.verdict,
      text: t("restoration_check") + ": " + t("restoration_" + check.verdict) + " ("
        + count(check.marked) + "/" + count(check.ties) + " " + t("ties_marked") + ")" });
  }

  /* Customers by water pressure after the closures (a pressure-driven run). */
  function pressureLine(p) {
    const groups = ["cut_off", "low", "fine"].map((g) => t("pressure_" + g) + " "
      + count(p[g].customers) + " (" + count(p[g].households) + " " + t("households") + ")");
    return el("p", { class: "outage-pressure", text: t("pressure") + ": " + groups.join(" · ") });
  }

  function stepItem(step) {
    const where = step.lonlat ? " (" + step.lonlat[0].toFixed(6) + ", "
      + step.lonlat[1].toFixed(6) + ")" : "";
    const item = el("li", { "data-device": step.device, "data-action": step.action }, [
      el("strong", { text: (t(step.action) || step.action) + " " + step.device }),
      el("span", { text: " " + (step.street || "") + where + " · " + reason(step) }),
    ]);
    if (step.action !== "check_open" && !state.unavailable.includes(step.device)) {
      item.append(el("button", { type: "button", class: "outage-unavailable",
        text: t("cannot_operate"), onclick: () => {
          analyse(state.codes, state.unavailable.concat([step.device]));
        } }));
    }
    item.addEventListener("mouseenter", () => {
      if (step.lonlat && state.map) state.map.panTo([step.lonlat[1], step.lonlat[0]]);
    });
    return item;
  }

  function section(title, id, children) {
    return el("section", { id }, [el("h3", { text: title }), ...children]);
  }

  /* The critical facilities once each, with the utilities whose loss hits them. */
  function facility(c) {
    return el("li", { "data-code": c.code, text: word("kind", c.kind) + " · " + (c.name || c.code)
      + " (" + c.utilities.map((u) => word("utility", u)).join(", ") + ")" });
  }

  function render(report) {
    const body = document.getElementById("outage-body");
    body.replaceChildren();
    body.append(el("h3", { class: "outage-assets",
      text: report.assets.join(", ") + " · " + word("utility", report.utility) }));
    summary(report).forEach((line) => body.append(line));
    const steps = report.work_order.steps;
    body.append(section(t("steps"), "outage-steps", steps.length
      ? [el("ol", {}, steps.map(stepItem))] : [el("p", { text: t("no_steps") })]));
    if (state.unavailable.length) {
      body.append(el("p", { class: "outage-unavailable-list",
        text: t("unavailable") + ": " + state.unavailable.join(", ") }));
    }
    const q = query(state.codes, state.unavailable);
    const lists = window.twinOutageLists;
    if (report.critical.length) {
      body.append(section(t("critical"), "outage-critical", [
        el("ul", {}, report.critical.slice(0, FIRST_FACILITIES).map(facility)),
        report.critical.length > FIRST_FACILITIES ? lists.paged({ name: "facilities", query: q,
          size: FIRST_FACILITIES, start: 2, row: facility }) : null,
      ]));
    }
    const stages = report.cascade ? report.cascade.at_trip.slice(1) : [];
    if (stages.length) {
      body.append(section(t("cascade"), "outage-cascade", [el("ul", {}, stages.map((s) =>
        el("li", { "data-utility": s.utility, text: word("utility", s.utility) + ": "
          + t("stopped") + " " + s.stopped.join(", ") + " · " + count(s.lost) + " "
          + t("lost") })))]));
    }
    report.utilities.filter((u) => u.customers || u.households).forEach((u) => {
      body.append(section(t("streets") + " · " + word("utility", u.utility),
        "outage-streets-" + u.utility, [lists.streets(q, u.utility)]));
    });
    body.append(section(t("customer_list"), "outage-customers", [lists.customers(q)]));
    body.append(el("p", { class: "outage-links" }, [
      el("a", { href: config().urls.workorder + "?" + q, target: "_blank", id: "outage-workorder",
        text: t("workorder") }),
      el("span", { text: " · " }),
      el("a", { href: config().urls.csv + "?" + q, id: "outage-csv", text: t("csv") }),
    ]));
  }

  function showError(message) {
    const body = document.getElementById("outage-body");
    body.replaceChildren(el("p", { class: "outage-error", role: "alert",
      text: t("error") + ": " + message }));
  }

  /* A refusal in the user's language; the server's English detail for the rest. */
  function refusal(status, body) {
    if (status === 404) return t("not_found").replace("{codes}", state.codes.join(", "));
    if (status === 403) return t("forbidden");
    if (status === 401) return t("login_needed");
    return (body && (body.detail || body.title)) || String(status);
  }

  async function analyse(codes, unavailable) {
    state.codes = codes;
    state.unavailable = unavailable || [];
    state.pressure = null;
    document.body.classList.remove("outage-done");
    panel().hidden = false;
    document.getElementById("outage-body").replaceChildren(
      el("p", { class: "outage-busy", text: t("analysing") }));
    const response = await fetch(config().urls.analyse, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        "X-CSRFToken": await csrfToken() },
      body: JSON.stringify({ codes: state.codes, unavailable: state.unavailable }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      showError(refusal(response.status, body));
      return null;
    }
    state.report = body;
    render(body); // first, so that the map is fitted beside the panel at its final size
    performance.mark("twin-outage-summary"); // read by benchmarks/outage_web_bench.py
    document.dispatchEvent(new CustomEvent("twin-outage-summary", { detail: body }));
    if (state.map) {
      const drawn = await fetch(config().urls.highlight + "?" + query(state.codes, state.unavailable),
        { credentials: "same-origin" });
      if (drawn.ok && state.report === body) {
        const highlight = await drawn.json();
        performance.mark("twin-outage-highlight");
        draw(state.highlight = highlight);
      }
    }
    performance.mark("twin-outage-drawn");
    document.body.classList.add("outage-done");
    simulated(body);
    return body;
  }

  /* Water pressure and the ties' load flows: engine runs of seconds, asked after
   * the summary and drawn in place of the busy line when they come. */
  async function simulated(report) {
    const line = document.querySelector("#outage-body .outage-simulating");
    if (!line) return;
    const response = await fetch(config().urls.simulated + "?" + query(state.codes, state.unavailable),
      { credentials: "same-origin" });
    if (state.report !== report) return;
    const found = response.ok ? await response.json() : null;
    state.pressure = found && found.pressure;
    state.restoration = found && found.restoration_check;
    const shown = [];
    if (state.pressure) shown.push(pressureLine(state.pressure));
    if (state.restoration) shown.push(restorationLine(state.restoration));
    if (found) line.replaceWith(...shown);
    else line.replaceChildren(el("span", { text: t("pressure") + ": " + t("error") }));
  }

  function clear() {
    if (state.layer && state.map) state.map.removeLayer(state.layer);
    state.layer = null;
    state.report = null;
    panel().hidden = true;
    document.getElementById("outage-body").replaceChildren();
    document.body.classList.remove("outage-done");
    document.dispatchEvent(new CustomEvent("twin-outage-cleared"));
  }

  function attach(map) {
    state.map = map;
    // Above everything drawn on the map (tiles, highlights, markers), under tooltips and popups.
    if (!map.getPane(PANE)) map.createPane(PANE).style.zIndex = 640;

    panel().querySelector(".outage-close").addEventListener("click", clear);
  }

  /* The legend of the crew's map: the networks drawn, and what a result shows. */
  function legendSections() {
    const entry = (label, kind, style) => ({ label, kind, width: style.weight,
      color: kind === "point" ? style.fillColor : style.color });
    return [
      { title: t("networks"), entries: Object.entries(NETWORK_STYLES).map(([utility, style]) =>
        entry(word("utility", utility), "line", style)) },
      { title: t("title"), entries: [
        entry(t("assets"), "line", LINE_STYLES.failed),
        entry(t("isolated"), "line", LINE_STYLES.isolated),
        entry(t("cut_off"), "line", LINE_STYLES.cut_off),
        entry(t("restored"), "line", LINE_STYLES.restored),
        entry(t("to_operate"), "point", POINT_STYLES.valve_to_close),
        entry(t("tripped"), "point", POINT_STYLES.tripped_device),
        entry(t("unavailable"), "point", POINT_STYLES.unavailable_valve),
      ] },
    ];
  }

  /* The crew page: network lines and devices of the view, a click picks one. */
  function startPage(element) {
    const map = L.map(element, { preferCanvas: false });
    const extent = JSON.parse(element.dataset.extent || "null");
    if (extent) map.fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]]);
    else map.setView([21.2731, 106.1946], 15);
    attach(map);
    // The twin's own base map (streets, buildings, rivers, names) and a legend.
    window.Twin.basemap.add(map, { title: t("legend"), legend: legendSections() });
    const network = L.layerGroup().addTo(map);
    async function reload() {
      network.clearLayers();
      if (map.getZoom() < 15) return;
      const b = map.getBounds();
      // Water last, so that pipes lie on top of the other networks' lines.
      const url = element.dataset.network + "?layers=drainage,telecom,lighting,power,water&bbox="
        + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(",");
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      L.geoJSON(await response.json(), {
        style: (f) => Object.assign({ className: "net-line net-" + f.properties.table },
          NETWORK_STYLES[f.properties.utility]),
        pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 5, weight: 1,
          color: "#222", fillColor: "#fff", fillOpacity: 1,
          className: "net-device net-" + f.properties.table }),
        onEachFeature: (f, layer) => {
          layer.on("add", () => {
            const node = layer.getElement();
            if (node) node.dataset.code = f.properties.code;
          });
          layer.on("click", (event) => pick(f.properties, event.latlng));
        },
      }).eachLayer((layer) => network.addLayer(layer));
      element.dataset.loaded = String(network.getLayers().length);
    }
    function pick(props, latlng) {
      const button = el("button", { type: "button", class: "primary outage-analyse",
        text: t("analyse"), onclick: () => { map.closePopup(); analyse([props.code]); } });
      L.popup().setLatLng(latlng).setContent(el("div", { class: "outage-pick" }, [
        el("p", { text: props.code + " · " + props.table }), button])).openOn(map);
    }
    map.on("moveend", reload);
    if (map.getZoom() < 15) map.setZoom(15);
    reload();
    document.getElementById("outage-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const code = document.getElementById("outage-code").value.trim();
      if (code) analyse(code.split(/[\s,]+/));
    });
    window.twinOutageMap = map;
  }

  /* On the map page: Twin's map, and a button in the panel of network assets. */
  function joinMapPage() {
    const Twin = window.Twin;
    if (!Twin.state || !panel()) return; // not the map page (twin.js makes the state)
    const ready = () => Twin.state && Twin.state.map;
    const start = () => {
      attach(Twin.state.map);
      if (!config().allowed) return;
      const box = document.getElementById("feature-body");
      if (!box) return;
      new MutationObserver(() => {
        const article = box.querySelector("article.feature[data-table]");
        if (!article || !config().tables[article.dataset.table]) return;
        if (article.querySelector(".outage-analyse")) return;
        const button = el("button", { type: "button", class: "outage-analyse",
          text: t("analyse"), onclick: () => analyse([article.dataset.code]) });
        (article.querySelector(".actions") || article.querySelector("header")).append(button);
      }).observe(box, { childList: true, subtree: true });
    };
    if (ready()) start();
    else {
      const timer = setInterval(() => {
        if (ready()) { clearInterval(timer); start(); }
      }, 200);
    }
  }

  window.twinOutage = { attach, analyse, clear, startPage, state, t, word, query };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", joinMapPage);
  else joinMapPage();
})();
