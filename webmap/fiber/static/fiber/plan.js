// The fibre plan page: run a plan with progress, show its tables, a map per phase and the coverage chart.
(function () {
  "use strict";
  const cfg = window.FIBER;
  const $ = (selector, root) => (root || document).querySelector(selector);
  const el = window.Twin.el; // webmap/static/dom.js: text, never HTML
  const M = 1e6;
  const COLOURS = { existing: "#9e9e9e", earlier: "#6a3d9a", now: "#f47c20", connected: "#1a9850", waiting: "#bdbdbd" };
  const state = { existing: null, maps: [], chart: null };

  // JSON calls, the error line and the page's words (webmap/static/area_page.js).
  const { api, showError, say } = window.Twin.areaPage(cfg);

  // Numbers in the page's language (webmap/static/locale.js): 1.234,5 in Vietnamese.
  const fmt = (value, digits) => window.Twin.fmt.number(Number(value), digits || 0);
  const pct = (share) => window.Twin.fmt.percent(share, 1);
  function fillRows(table, rows) {
    $(`${table} tbody`).replaceChildren(...rows.map((cells) => el("tr", {}, cells.map(
      ([value, num]) => el("td", { class: num ? "num" : null, text: value == null ? "" : String(value) })))));
  }

  function renderTables(s) {
    const when = (y) => (y == null ? say("not_reached") : y === 0 ? say("already_met") : say("year_n", { year: y }));
    const t = s.targets;
    $("#targets").replaceChildren(...[
      [say("villages"), say("villages_state", Object.fromEntries(Object.entries(s.villages).map(([k, n]) => [k, fmt(n)])))],
      [say("total_cost"), fmt(s.totals.total_cost_vnd / M, 1) + " " + say("m_vnd")],
      [say("annual_budget"), fmt(t.budget_per_year_vnd / M, 1) + " " + say("m_vnd")],
      [say("all_villages"), when(t.year_all_villages)],
      [say("households_share", { share: Math.round(100 * t.household_target_share) }), when(t.year_households_target)],
      [say("budget_both", { year: s.options.years }), t.budget_needed_vnd == null ? say("none_suffices") : fmt(t.budget_needed_vnd / M, 1) + " " + say("m_vnd_year")],
      ...(s.design.solver_gap_pct == null ? [] : [[say("certified_gap"), say("gap_sentence", { gap: fmt(s.design.solver_gap_pct, 2) })]]),
    ].flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
    fillRows("#phases", s.phases.map((p) => [[p.year], [fmt(p.budget_vnd / M), 1], [fmt(p.spent_vnd / M), 1],
      [fmt(p.villages_added), 1], [fmt(p.households_added), 1],
      [`${fmt(p.villages_connected)} (${pct(p.village_share)})`, 1], [`${fmt(p.households_covered)} (${pct(p.household_share)})`, 1],
      [p.gap_pct == null ? "" : fmt(p.gap_pct, 2), 1]]));
    fillRows("#bill", s.bill.map((l) => [[l.item_shown || l.item], [fmt(l.quantity, l.unit.startsWith("m") ? 1 : 0), 1], [l.unit_shown || l.unit],
      [fmt(l.rate_vnd), 1], [fmt(l.cost_vnd / M, 1), 1]]));
    $("#bill tfoot").replaceChildren(el("tr", {}, [el("td", { colspan: 4, text: say("total") }),
      el("td", { class: "num", text: fmt(s.totals.total_cost_vnd / M, 1) })]));
    fillRows("#order", s.order.slice(0, 200).map((e) => [[e.order], [e.year], [e.villages.join(", ")],
      [fmt(e.households), 1], [fmt(e.cost_vnd / M, 1), 1], [fmt(e.households_per_million_vnd, 3), 1]]));
    for (const [i, e] of s.order.slice(0, 200).entries()) {
      $("#order tbody").rows[i].cells[2].textContent = e.villages.map((c, k) => `${e.names[k]} (${c})`).join(", ");
    }
    $("#rings-section").hidden = !s.rings.length;
    fillRows("#rings", s.rings.map((r) => [[r.village + (r.feasible ? "" : " " + say("no_disjoint_path"))],
      [fmt(r.households), 1], [fmt(r.length_m), 1], [fmt(r.cost_vnd / M, 1), 1]]));
  }

  function renderChart(s) {
    let spent = 0;
    const points = {
      villages: [{ x: 0, y: 100 * s.start.village_share, year: 0 }],
      households: [{ x: 0, y: 100 * s.start.household_share, year: 0 }],
    };
    for (const p of s.phases) {
      spent += p.spent_vnd / M;
      points.villages.push({ x: spent, y: 100 * p.village_share, year: p.year });
      points.households.push({ x: spent, y: 100 * p.household_share, year: p.year });
    }
    if (state.chart) state.chart.destroy();
    state.chart = new Chart($("#coverage-chart"), {
      type: "scatter",
      data: { datasets: [
        { label: say("villages_connected_pct"), data: points.villages, showLine: true, borderColor: "#0b6e99", backgroundColor: "#0b6e99" },
        { label: say("households_covered_pct"), data: points.households, showLine: true, borderColor: "#f47c20", backgroundColor: "#f47c20" },
      ] },
      options: {
        maintainAspectRatio: false, animation: false,
        scales: { x: { title: { display: true, text: say("cumulative_cost") }, ticks: { callback: (v) => fmt(v, 1) } },
                  y: { min: 0, max: 100, title: { display: true, text: say("coverage_pct") }, ticks: { callback: (v) => fmt(v) } } },
        plugins: { tooltip: { callbacks: { label: (c) => say("tooltip", { label: c.dataset.label, value: fmt(c.parsed.y, 1), year: c.raw.year || 0, cost: fmt(c.parsed.x) }) } } },
      },
    });
  }

  function phaseMap(holder, year, plan, bounds) {
    const mini = el("div", { class: "mini" });
    holder.append(el("figure", {}, [mini,
      el("figcaption", { text: year === 0 ? say("today") : say("end_of_year", { year }) })]));
    const map = L.map(mini, { zoomControl: false, attributionControl: false, preferCanvas: true });
    L.geoJSON(state.existing, { style: { color: COLOURS.existing, weight: 1.2 },
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 4, color: "#3f007d" }) }).addTo(map);
    L.geoJSON(plan, {
      filter: (f) => f.properties.layer === "villages",
      pointToLayer: (f, ll) => {
        const p = f.properties;
        const on = p.phase != null && p.phase <= year;
        const colour = on ? (p.phase === year && year ? COLOURS.now : COLOURS.connected) : COLOURS.waiting;
        return L.circleMarker(ll, { radius: 2.5, stroke: false, fillColor: colour, fillOpacity: 0.9 })
          .bindTooltip(el("span", { text: say("village_households", p) }));
      },
    }).addTo(map);
    L.geoJSON(plan, {
      filter: (f) => f.properties.layer === "cables" && f.properties.phase != null && f.properties.phase <= year,
      style: (f) => ({ color: f.properties.phase === year ? COLOURS.now : COLOURS.earlier,
                       weight: f.properties.phase === year ? 3 : 2, dashArray: f.properties.redundant_for ? "4 3" : null }),
    }).addTo(map);
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [4, 4] });
    state.maps.push(map);
  }

  function renderMaps(s, plan) {
    state.maps.forEach((m) => m.remove());
    state.maps = [];
    const holder = $("#phase-maps");
    holder.replaceChildren();
    const bounds = L.geoJSON(plan).getBounds();
    const years = [0, ...s.phases.map((p) => p.year)].slice(0, 21);
    for (const year of years) phaseMap(holder, year, plan, bounds);
  }

  async function showPlan(planId) {
    if (!planId) return;
    const base = `plans/${encodeURIComponent(planId)}`;
    for (const link of document.querySelectorAll("#downloads a")) link.href = `${cfg.base}${base}/files/${link.dataset.file}`;
    const s = await api(base);
    renderTables(s);
    renderChart(s);
    if (!state.existing) state.existing = await api("existing.geojson");
    const plan = await (await fetch(`${cfg.base}${base}/files/geojson`)).json();
    renderMaps(s, plan);
  }

  async function loadPlans(select) {
    const plans = (await api("plans")).plans;
    const box = $("#plans");
    box.replaceChildren(...plans.map((p) => el("option", { value: p.plan_id, text: p.plan_id })));
    $("#no-plan").hidden = plans.length > 0;
    if (select) box.value = select;
    await showPlan(box.value);
  }

  async function poll(jobId) {
    const box = $("#progress");
    box.hidden = false;
    for (;;) {
      const job = await api(`runs/${jobId}`);
      $("progress", box).value = job.done;
      $("progress", box).max = job.total;
      $(".message", box).textContent = cfg.progress[job.message] || job.message;
      if (job.status === "failed" || job.status === "cancelled") throw new Error(job.error);
      if (job.status === "done") return job;
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
  }

  const form = $("#run-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      showError(null);
      const data = Object.fromEntries(new FormData(form).entries());
      try {
        for (const box of form.querySelectorAll("input[inputmode=decimal]")) {
          data[box.name] = box.value.trim() === "" ? "" : window.Twin.readNumber(box.value, box.closest("label").firstChild.textContent.trim());
        }
      } catch (error) {
        showError(error);
        return;
      }
      $("#run").disabled = true;
      try {
        const job = await api("runs", { method: "POST", body: data });
        await poll(job.id);
        await loadPlans(job.plan_id);
      } catch (error) {
        showError(error);
      } finally {
        $("#run").disabled = false;
      }
    });
  }
  $("#plans").addEventListener("change", (e) => showPlan(e.target.value).catch(showError));
  loadPlans().catch(showError);
})();
