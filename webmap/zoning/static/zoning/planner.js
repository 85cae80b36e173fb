// The planner page: pick plans, run the check, browse conflicts, compare sides, decide, draw zones.
(function () {
  "use strict";
  const cfg = window.ZONING;
  const $ = (selector, root) => (root || document).querySelector(selector);
  const el = window.Twin.el; // webmap/static/dom.js: text, never HTML
  const state = { plans: [], run: null, findings: [], page: 1, selected: null, editPlan: null };
  const PER_PAGE = 100; // findings per page: a real plan has thousands
  const SEVERITY_COLOURS = { high: "#c0392b", medium: "#e67e22", low: "#7f8c8d" };
  // The name of a stored value (a finding kind, status, plan level...) in the user's language.
  const named = (group, value) => (cfg.names[group] || {})[value] || value;

  // JSON calls, the error line and the page's words (webmap/static/area_page.js).
  const { api, showError, say } = window.Twin.areaPage(cfg);

  // -- the main map ---------------------------------------------------------
  const map = L.map("map", { preferCanvas: false }).setView([21.2731, 106.1946], 14);
  // The twin's own base map under plans and conflicts, and a legend of the conflicts' colours.
  window.Twin.basemap.add(map, { title: say("legend", {}), legend: [{ title: say("by_severity", {}),
    entries: Object.entries(SEVERITY_COLOURS).map(([severity, color]) =>
      ({ label: named("severities", severity), kind: "area", color })) }] });
  const planLayers = L.layerGroup().addTo(map);
  const findingLayer = L.geoJSON(null, {
    pmIgnore: true,
    style: (f) => ({ color: SEVERITY_COLOURS[f.properties.severity], weight: 3, fillOpacity: 0.35 }),
    pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 7 }),
    onEachFeature: (f, layer) => layer.on("click", () => selectFinding(f.properties.id)),
  }).addTo(map);
  // The selected finding, drawn above the others in a style of its own.
  const SELECTED = { color: "#1f6feb", weight: 6, fillOpacity: 0.2, className: "finding-selected" };
  const selectedLayer = L.geoJSON(null, {
    pmIgnore: true,
    interactive: false,
    style: () => SELECTED,
    pointToLayer: (f, ll) => L.circleMarker(ll, Object.assign({ radius: 12 }, SELECTED)),
  }).addTo(map);

  function zoneStyle(feature) {
    const code = feature.properties.code;
    return { color: code ? "#2471a3" : "#c0392b", weight: 1, fillOpacity: 0.08 };
  }

  // -- plans ----------------------------------------------------------------
  async function loadPlans() {
    state.plans = (await api("plans")).plans;
    const body = $("#plans tbody");
    body.replaceChildren(...state.plans.map((p) => el("tr", {}, [
      el("td", {}, [el("input", { type: "checkbox", class: "check", value: p.id,
        checked: p.in_force && p.level !== "general" })]),
      el("td", {}, [el("input", { type: "checkbox", class: "against", value: p.id })]),
      el("td", { title: p.title || "", text: `${p.name}@${p.version}` }),
      el("td", { text: named("levels", p.level) }),
      el("td", { text: named("plan_statuses", p.status) }),
      el("td", { class: "num", text: String(p.zones) }),
      el("td", {}, [p.status === "draft" && el("input", { type: "radio", name: "edit", value: p.id })]),
    ])));
    body.querySelectorAll("input.check").forEach((box) => box.addEventListener("change", drawPlans));
    body.querySelectorAll("input[name=edit]").forEach((r) => r.addEventListener("change", () => startEditing(+r.value)));
    drawPlans();
  }

  function ticked(cls) {
    return Array.from(document.querySelectorAll(`#plans input.${cls}:checked`)).map((b) => +b.value);
  }

  async function drawPlans() {
    planLayers.clearLayers();
    const bounds = L.latLngBounds([]);
    for (const id of ticked("check")) {
      const layer = L.geoJSON(await api(`plans/${id}/zones`), {
        pmIgnore: true,
        style: zoneStyle,
        onEachFeature: (f, l) => l.bindTooltip(
          el("span", { text: `${f.properties.key}: ${f.properties.source_code || "?"}` })),
      });
      planLayers.addLayer(layer);
      if (layer.getBounds().isValid()) bounds.extend(layer.getBounds());
    }
    if (bounds.isValid() && !state.findings.length) map.fitBounds(bounds);
  }

  // -- runs -----------------------------------------------------------------
  async function runCheck() {
    showError(null);
    const against = ticked("against");
    const body = { plans: ticked("check"), assets: $("#with-assets").checked };
    if (against.length) body.against = against;
    try {
      const run = await api("runs", { method: "POST", body: body });
      $("#run").disabled = true;
      await pollRun(run.id);
    } catch (error) {
      showError(error);
    } finally {
      $("#run").disabled = false;
    }
  }

  async function pollRun(runId) {
    const box = $("#progress");
    box.hidden = false;
    for (;;) {
      const run = await api(`runs/${runId}`);
      const p = run.progress || { message: run.status, done: 0, total: 1 };
      $("progress", box).max = Math.max(p.total, 1);
      $("progress", box).value = p.done;
      $(".message", box).textContent = `${named("run_statuses", p.message)} (${p.done}/${p.total})`;
      if (run.status !== "running") {
        box.hidden = run.status === "done";
        if (run.status === "failed") throw new Error(run.error);
        addRunOption(run, true);
        return showRun(run);
      }
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
  }

  function addRunOption(run, select) {
    const option = document.createElement("option");
    option.value = run.id;
    option.textContent = say("run_n", { id: run.id });
    $("#runs").prepend(option);
    if (select) $("#runs").value = run.id;
  }

  async function showRun(run) {
    state.run = run;
    state.page = 1;
    $("#empty").hidden = true;
    const report = $("#report");
    report.hidden = false;
    report.href = cfg.base + `runs/${run.id}/report.zip`;
    await loadPage(true);
  }

  // One page of the run's findings as the filters say, with the counts by kind.
  async function loadPage(fit) {
    if (!state.run) return;
    const kind = $("#kind-filter").value;
    const status = $("#status-filter").value;
    const query = new URLSearchParams({ page: state.page, per_page: PER_PAGE });
    if (kind) query.set("kind", kind);
    if (status) query.set("status", status);
    const answer = await api(`runs/${state.run.id}/findings?${query}`);
    state.findings = answer.features;
    const all = Object.values(answer.kinds).reduce((sum, k) => sum + k.total, 0);
    $("#counts").textContent = say("conflicts", { count: all }) +
      (state.run.kept_decisions ? " — " + say("kept", { count: state.run.kept_decisions }) : "");
    listKinds(answer.kinds, kind);
    listFindings(fit);
    const pages = Math.max(1, Math.ceil(answer.total / answer.per_page));
    $("#pager").hidden = pages < 2;
    $("#pager .where").textContent = say("page_of", { page: answer.page, pages: pages });
    $("#prev").disabled = answer.page <= 1;
    $("#next").disabled = answer.page >= pages;
    $("#bulk").hidden = !kind;
    $("#bulk .what").textContent = kind ? named("kinds", kind) : "";
  }

  // The kinds found, each with how many are open of all: a click shows only that kind.
  function listKinds(kinds, current) {
    $("#kinds").replaceChildren(...Object.entries(kinds).map(([kind, n]) => el("li", {}, [
      el("button", { type: "button", class: kind === current ? "kind current" : "kind", "data-kind": kind,
        text: say("kind_count", { name: named("kinds", kind), open: n.open, total: n.total }),
        onclick: () => filterBy(kind === current ? "" : kind) })])));
  }

  function filterBy(kind) {
    $("#kind-filter").value = kind;
    state.page = 1;
    loadPage(true).catch(showError);
  }

  function listFindings(fit) {
    findingLayer.clearLayers();
    findingLayer.addData(state.findings);
    $("#findings").replaceChildren(...state.findings.map((f) => {
      const p = f.properties;
      const size = p.area_m2 != null ? Twin.fmt.area(p.area_m2) : p.length_m != null ? Twin.fmt.length(p.length_m) : "";
      return el("li", { "data-id": p.id, class: p.id === state.selected ? "selected" : "",
        onclick: () => selectFinding(p.id) }, [
        el("span", { class: `sev-${p.severity}`, text: named("kinds", p.kind) }), ` ${size} `,
        el("span", { class: `status-${p.status}`, text: named("statuses", p.status) }), " ",
        el("span", { class: "muted", text: p.involved.join(" ") })]);
    }));
    if (fit && state.findings.length && findingLayer.getBounds().isValid()) {
      map.fitBounds(findingLayer.getBounds().pad(0.1));
    }
  }

  // Decide every open finding of the chosen kind, in the map's view or everywhere.
  async function decideAll(event) {
    event.preventDefault();
    const form = event.target;
    const body = { kind: $("#kind-filter").value, status: form.status.value, note: form.note.value };
    if (form.in_view.checked) {
      const b = map.getBounds();
      body.bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    }
    try {
      const answer = await api(`runs/${state.run.id}/decisions`, { method: "POST", body: body });
      form.note.value = "";
      $("#bulk .done").textContent = say("decided_n", { count: answer.count });
      await loadPage(false);
    } catch (error) {
      showError(error);
    }
  }

  // -- one finding, side by side ---------------------------------------------
  const minis = [];

  // The involved features of a side as table rows, and how many more it shows.
  function sideTable(side) {
    const rows = side.features.filter((f) => f.properties.involved).map((f) => {
      const p = f.properties;
      const what = p.kind === "asset" ? `${p.table} ${p.code}` :
        `${named("features", p.kind)} ${p.key} ${p.source_code || p.code || p.road_name || p.utility || ""}`;
      return el("tr", { class: "involved" }, [el("td", { text: what }), el("td", { text: p.name || "" })]);
    });
    const context = side.features.length - rows.length;
    return [el("table", {}, [el("tbody", {}, rows)]),
      context ? el("p", { class: "muted", text: say("more_features", { count: context }) }) : null];
  }

  // A side's title in the user's language, from the plan or asset it shows.
  function sideTitle(side) {
    const plan = state.plans.find((p) => p.id === side.plan_id);
    if (plan) {
      const title = say("plan_side", { name: plan.name, version: plan.version,
        level: named("levels", plan.level), status: named("plan_statuses", plan.status) });
      return side.key ? `${title}: ${side.key}` : title;
    }
    if (side.code) return side.table ? say("asset_side", side) : say("asset_gone", side);
    return side.title;
  }

  function drawSides(sides, finding) {
    minis.splice(0).forEach((m) => m.remove());
    const box = $("#detail .sides");
    box.replaceChildren();
    for (const side of sides) {
      const holder = el("div", { class: "mini" });
      box.append(el("div", { class: "side" }, [el("b", { text: sideTitle(side) }), holder,
        ...sideTable(side)]));
      const mini = L.map(holder, { attributionControl: false, zoomControl: false });
      const features = L.geoJSON(side.features, {
        style: (f) => ({ color: f.properties.involved ? "#c0392b" : "#2471a3", weight: f.properties.involved ? 3 : 1, fillOpacity: 0.15 }),
        pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 6 }),
        onEachFeature: (f, l) => l.bindTooltip(el("span", { text: f.properties.ref || "" })),
      }).addTo(mini);
      const outline = L.geoJSON(finding, { style: { color: "#000", weight: 2, dashArray: "4 3", fill: false } }).addTo(mini);
      const bounds = outline.getBounds().isValid() ? outline.getBounds() : features.getBounds();
      if (bounds.isValid()) mini.fitBounds(bounds.pad(0.6));
      minis.push(mini);
    }
  }

  function showHistory(history) {
    $("#detail .history").replaceChildren(...history.map((h) => el("li", {}, [
      `${Twin.fmt.datetime(h.decided_at)} ${h.decided_by || ""}: ${named("statuses", h.previous_status)} → `,
      el("b", { text: named("statuses", h.status) }), ` — ${h.note || ""}`])));
  }

  async function selectFinding(id) {
    showError(null);
    state.selected = id;
    document.querySelectorAll("#findings li").forEach((li) => li.classList.toggle("selected", +li.dataset.id === id));
    const detail = await api(`findings/${id}`);
    const f = detail.finding;
    const box = $("#detail");
    box.hidden = false;
    $(".title", box).textContent = `${named("kinds", f.properties.kind)} (${named("severities", f.properties.severity)})` +
      ` — ${named("statuses", f.properties.status)}` +
      (f.properties.note ? `: ${f.properties.note}` : "");
    $(".rule", box).textContent = f.properties.rule;
    selectedLayer.clearLayers();
    selectedLayer.addData(f);
    selectedLayer.bringToFront();
    if (selectedLayer.getBounds().isValid()) map.fitBounds(selectedLayer.getBounds().pad(1.5), { maxZoom: 19 });
    drawSides(detail.sides, f);
    showHistory(detail.history);
  }

  async function decide(event) {
    event.preventDefault();
    const form = event.target;
    try {
      const answer = await api(`findings/${state.selected}/decision`, {
        method: "POST", body: { status: form.status.value, note: form.note.value },
      });
      form.note.value = "";
      const status = answer.finding.properties.status;
      state.findings.filter((f) => f.properties.fingerprint === answer.finding.properties.fingerprint)
        .forEach((f) => Object.assign(f.properties, { status: status, note: answer.finding.properties.note }));
      listFindings();
      showHistory(answer.history);
      $("#detail .title").textContent = `${named("kinds", answer.finding.properties.kind)} — ` +
        `${named("statuses", status)}: ${answer.finding.properties.note}`;
    } catch (error) {
      showError(error);
    }
  }

  // -- drawing and editing zones of a draft plan -------------------------------
  let editLayer = null;

  function zoneBody(layer, extra) {
    return Object.assign({ geometry: layer.toGeoJSON().geometry }, extra || {});
  }

  function watchEdits(layer) {
    layer.on("pm:edit", async () => {
      try {
        const body = zoneBody(layer, { version: layer.feature.properties.version });
        layer.feature = await api(`zones/${layer.feature.id}`, { method: "PATCH", body: body });
      } catch (error) {
        showError(error);
        startEditing(state.editPlan);
      }
    });
  }

  async function startEditing(planId) {
    state.editPlan = planId;
    if (editLayer) map.removeLayer(editLayer);
    editLayer = L.geoJSON(await api(`plans/${planId}/zones`), { style: { color: "#8e44ad", weight: 2, fillOpacity: 0.1 } }).addTo(map);
    editLayer.eachLayer(watchEdits);
    if (!map.pm) return;
    map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
      drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false });
  }

  if (map.pm) {
    map.on("pm:create", async (event) => {
      if (!state.editPlan) { map.removeLayer(event.layer); return showError(say("pick_draft", {})); }
      const code = window.prompt(say("code_prompt", {}));
      if (!code) { map.removeLayer(event.layer); return; }
      try {
        const saved = await api(`plans/${state.editPlan}/zones`, { method: "POST", body: zoneBody(event.layer, { properties: { code: code } }) });
        event.layer.feature = saved;
        editLayer.addLayer(event.layer);
        watchEdits(event.layer);
      } catch (error) { map.removeLayer(event.layer); showError(error); }
    });
    map.on("pm:remove", async (event) => {
      const feature = event.layer.feature;
      if (!feature || !feature.properties || feature.properties.plan_id !== state.editPlan) return;
      try {
        await api(`zones/${feature.id}?version=${feature.properties.version}`, { method: "DELETE" });
      } catch (error) { showError(error); startEditing(state.editPlan); }
    });
  }

  // -- earlier runs ---------------------------------------------------------------
  $("#runs").addEventListener("change", async (event) => {
    if (event.target.value) showRun(await api(`runs/${event.target.value}`));
  });
  $("#run").addEventListener("click", runCheck);
  $("#kind-filter").addEventListener("change", (event) => filterBy(event.target.value));
  $("#status-filter").addEventListener("change", () => { state.page = 1; loadPage(true).catch(showError); });
  $("#prev").addEventListener("click", () => { state.page -= 1; loadPage(false).catch(showError); });
  $("#next").addEventListener("click", () => { state.page += 1; loadPage(false).catch(showError); });
  $("#bulk").addEventListener("submit", decideAll);
  $("#decision").addEventListener("submit", decide);
  async function loadRuns() {
    const runs = (await api("runs")).runs.filter((r) => r.status === "done");
    runs.reverse().forEach((run) => addRunOption(run, false));
    if (runs.length) return showRun(runs[runs.length - 1]);
    $("#empty").hidden = false; // nothing checked yet: say what to do
    return null;
  }

  loadPlans().then(loadRuns).catch(showError);
})();
