/* The latest drainage and power runs on the map, each a layer the user switches on.
 *
 * Drainage: the nodes the storm floods, discs sized by the volume lost
 * (places from the run itself), and the conduits of the view by how full
 * they ran (full or surcharged in red).  Power: the lines of the view by
 * loading (over the limit drawn thick), the poles, transformers and
 * substations by voltage (outside the grid code's band drawn large).  The
 * values come from the runs API (/api/simulation/<kind>/runs, then
 * …/runs/<id>), the places of conduits, lines and buses from the feature API
 * for the view from zoom MIN_ZOOM, joined by code.  Text reaches the page
 * only through Twin.el.
 */
/* global L, Twin */
"use strict";

(function (Twin) {
  const MIN_ZOOM = 15;
  const LIMIT = 5000;
  const RED = "#d7191c";
  const ORANGE = "#fdae61";
  const GREEN = "#1a9641";
  const BLUE = "#2b83ba";
  const PURPLE = "#7b3294";
  const fmt = (v, d) => Twin.fmt.number(v, d);

  function classOf(classes, value) {
    return classes.find((c) => value < c.upTo);
  }

  /* Share of its height a conduit ran full at its deepest. */
  function fullness(feature, value) {
    const p = feature.properties;
    const height = (p.diameter_mm || p.height_mm || 0) / 1000;
    return height > 0 && value.max_depth_m !== null ? value.max_depth_m / height : null;
  }

  const FULL = [
    { upTo: 0.5, color: BLUE, label: () => Twin.t("run_full_below", { pct: fmt(50, 0) }) },
    { upTo: 0.8, color: GREEN, label: () => Twin.t("run_full_range", { from: fmt(50, 0), to: fmt(80, 0) }) },
    { upTo: 0.99, color: ORANGE, label: () => Twin.t("run_full_range", { from: fmt(80, 0), to: fmt(99, 0) }) },
    { upTo: Infinity, color: RED, label: () => Twin.t("run_full_surcharged") },
  ];

  const drainage = {
    key: "drainage",
    urlKey: "drainage_runs",
    edges: ["drainage_conduit"],
    nodes: [],
    legend: () => [
      ...FULL.map((c) => ["line", c.color, c.label()]),
      ["point", PURPLE, Twin.t("run_flooded")],
    ],
    note: (run) => Twin.t("run_drainage", { id: run.id, years: fmt(run.return_period_years, 0) }),
    anyZoom(values, bounds, renderer, draw) {
      let n = 0;
      for (const v of Object.values(values.nodes)) {
        if (!(v.flood_volume_m3 >= 1) || !v.lonlat || v.lonlat[0] === null) continue;
        const at = L.latLng(v.lonlat[1], v.lonlat[0]);
        if (!bounds.contains(at)) continue;
        draw(L.circleMarker(at, { renderer, interactive: false, radius: 4 + 3 * Math.log10(1 + v.flood_volume_m3),
          color: "#3f007d", weight: 1, fillColor: PURPLE, fillOpacity: 0.9 }));
        n += 1;
      }
      return n;
    },
    edge(feature, values) {
      const value = values.conduits[feature.properties.code];
      const share = value && fullness(feature, value);
      if (share === null || share === undefined) return null;
      return { color: classOf(FULL, share).color, weight: share >= 0.99 ? 4 : 2.5 };
    },
  };

  function loadingClasses(limit) {
    return [
      { upTo: 50, color: GREEN, label: () => Twin.t("run_loading_below", { pct: fmt(50, 0) }) },
      { upTo: 80, color: BLUE, label: () => Twin.t("run_loading_range", { from: fmt(50, 0), to: fmt(80, 0) }) },
      { upTo: limit, color: ORANGE, label: () => Twin.t("run_loading_range", { from: fmt(80, 0), to: fmt(limit, 0) }) },
      { upTo: Infinity, color: RED, label: () => Twin.t("run_loading_over", { pct: fmt(limit, 0) }) },
    ];
  }

  function voltageClasses(lo, hi) {
    return [
      { upTo: lo, color: RED, label: () => Twin.t("run_voltage_below", { pu: fmt(lo, 2) }) },
      { upTo: hi, color: GREEN, label: () => Twin.t("run_voltage_range", { from: fmt(lo, 2), to: fmt(hi, 2) }) },
      { upTo: Infinity, color: PURPLE, label: () => Twin.t("run_voltage_above", { pu: fmt(hi, 2) }) },
    ];
  }

  const power = {
    key: "power",
    urlKey: "power_runs",
    edges: ["power_line"],
    nodes: ["power_substation", "power_transformer", "power_pole"],
    limits: () => Twin.state.config.power_limits,
    legend() {
      const l = this.limits();
      return [
        ...loadingClasses(l.max_loading_percent).map((c) => ["line", c.color, c.label()]),
        ...voltageClasses(l.min_vm_pu, l.max_vm_pu).map((c) => ["point", c.color, c.label()]),
      ];
    },
    note: (run) => Twin.t("run_power", { id: run.id }),
    edge(feature, values) {
      const value = values.lines[feature.properties.code];
      if (!value || value.loading_percent === null) return null;
      const limit = this.limits().max_loading_percent;
      const over = value.loading_percent > limit;
      return { color: classOf(loadingClasses(limit), value.loading_percent).color,
        weight: over ? 5 : 2.5 };
    },
    node(feature, values) {
      const value = values.buses[feature.properties.code];
      if (!value || value.vm_pu === null) return null;
      const l = this.limits();
      const off = value.vm_pu < l.min_vm_pu || value.vm_pu > l.max_vm_pu;
      return { color: classOf(voltageClasses(l.min_vm_pu, l.max_vm_pu), value.vm_pu).color,
        radius: off ? 7 : 3, weight: off ? 2 : 0 };
    },
  };

  function legendOf(spec) {
    return Twin.el("ul", { class: "legend run-legend" }, spec.legend().map(([kind, color, text]) =>
      Twin.el("li", {}, [Twin.swatch(kind, color, kind === "line" ? 3 : undefined),
        Twin.el("span", { text })])));
  }

  function runLayer(map, renderer, spec) {
    const ui = {};
    const drawn = L.layerGroup();
    let run = null;
    let values = null;
    let requests = 0;
    const dataset = map.getContainer().dataset;
    const say = (text) => { ui.note.textContent = text; };
    const failed = (err) => say(Twin.describeError(err));

    function items(table, bbox) {
      const url = Twin.featureUrl(table) + "?limit=" + LIMIT + "&bbox=" + bbox.join(",");
      return Twin.api(url).then((r) => r.body.features);
    }

    function line(feature, style) {
      const coords = feature.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
      return L.polyline(coords, { renderer, interactive: false, opacity: 0.9, ...style });
    }

    function dot(feature, style) {
      const [lon, lat] = feature.geometry.coordinates;
      return L.circleMarker([lat, lon], { renderer, interactive: false, color: "#222222",
        fillColor: style.color, fillOpacity: 0.9, ...style });
    }

    async function redraw() {
      if (!ui.box.checked || !values) return;
      const ask = ++requests;
      const bounds = map.getBounds();
      let shown = 0;
      let features = [];
      if (map.getZoom() >= MIN_ZOOM) {
        const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
          .map((v) => v.toFixed(6));
        features = await Promise.all([...spec.edges, ...spec.nodes].map((t) => items(t, bbox)));
      }
      if (ask !== requests) return;
      drawn.clearLayers();
      const add = (layer) => layer.addTo(drawn);
      const edges = features.slice(0, spec.edges.length).flat();
      const nodes = features.slice(spec.edges.length).flat();
      for (const f of edges) {
        const style = spec.edge(f, values);
        if (style) { add(line(f, style)); shown += 1; }
      }
      for (const f of nodes) {
        const style = spec.node(f, values);
        if (style) { add(dot(f, style)); shown += 1; }
      }
      if (spec.anyZoom) {
        shown += spec.anyZoom(values, bounds, renderer, add);
      }
      dataset[spec.key + "Drawn"] = String(shown);
      say(map.getZoom() >= MIN_ZOOM ? spec.note(run)
        : spec.note(run) + " " + Twin.t("run_zoom_in", { zoom: MIN_ZOOM }));
    }

    async function switchOn() {
      const runs = (await Twin.api(Twin.state.config.urls[spec.urlKey]).catch((err) => {
        failed(err);
        return { body: [] };
      })).body;
      if (!ui.box.checked) return;
      if (!runs.length) {
        say(Twin.t("run_none_" + spec.key));
        return;
      }
      run = runs[0];
      const ask = ++requests;
      const body = (await Twin.api(Twin.state.config.urls[spec.urlKey] + "/"
        + encodeURIComponent(run.id))).body;
      if (ask !== requests || !ui.box.checked) return;
      values = body;
      drawn.addTo(map);
      await redraw();
    }

    function switchOff() {
      requests += 1;
      drawn.clearLayers();
      map.removeLayer(drawn);
      say("");
      delete dataset[spec.key + "Drawn"];
    }

    ui.box = Twin.el("input", { type: "checkbox", id: spec.key + "-run-toggle" });
    ui.note = Twin.el("p", { class: "pressure-note", "aria-live": "polite" });
    ui.box.addEventListener("change", () =>
      (ui.box.checked ? switchOn() : Promise.resolve(switchOff())).catch(failed));
    map.on("moveend", () => redraw().catch(failed));
    return Twin.el("section", { class: "simulation-layer", id: spec.key + "-run-panel" }, [
      Twin.el("h3", { text: Twin.t("run_heading_" + spec.key) }),
      Twin.el("label", {}, [ui.box,
        Twin.el("span", { class: "name", text: Twin.t("run_layer_" + spec.key) })]),
      ui.note,
      legendOf(spec),
    ]);
  }

  Twin.runs = {
    start(leafletMap) {
      const renderer = L.canvas({ pane: "twin-simulation" });
      const panel = document.getElementById("layer-panel");
      panel.append(runLayer(leafletMap, renderer, drainage));
      panel.append(runLayer(leafletMap, renderer, power));
    },
  };
})(window.Twin);
