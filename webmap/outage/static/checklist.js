/* The steps to operate as a checklist the crew ticks off, recorded on the incident.
 *
 * window.twinChecklist.bind(box, urls, csrf, words, readonly)
 *   every element of `box` with data-device and data-action (a step) gets a
 *   checkbox; its state comes from GET urls.steps and each tick is POSTed to
 *   urls.tick ({order, device, done}), which records who and when on the
 *   incident's timeline.  Under the box, who ticked each step and when.
 * window.twinChecklist.done()  "device:action" of the steps ticked off
 *
 * On the outage page the box is the list of steps of the analysis and the
 * incident is the open one on the analysed assets (the summary names it);
 * the incident page binds its table of steps (data-checklist on it).
 */
"use strict";

(function () {
  const el = window.Twin.el; // webmap/static/dom.js: text, never HTML
  const state = { steps: [], urls: null, csrf: null, box: null, words: {} };
  const key = (s) => s.device + ":" + s.action;
  const w = (name) => state.words[name] || name;

  function done() {
    return new Set(state.steps.filter((s) => s.done).map(key));
  }

  function show(found) {
    state.steps = found.steps;
    const byKey = new Map(found.steps.map((s) => [key(s), s]));
    state.box.querySelectorAll("[data-device][data-action]").forEach((item) => {
      const step = byKey.get(item.dataset.device + ":" + item.dataset.action);
      if (!step) return;
      const first = item.tagName === "TR" ? item.cells[0] : item;
      const last = item.tagName === "TR" ? item.cells[item.cells.length - 1] : item;
      let box = item.querySelector("input.step-done");
      if (!box) {
        box = el("input", { type: "checkbox", class: "step-done", "aria-label": w("done"),
          onchange: () => tick(step.order, step.device, box) });
        first.prepend(el("label", { class: "step-tick" }, [box]));
      }
      box.checked = step.done;
      box.disabled = Boolean(state.readonly);
      item.classList.toggle("step-is-done", step.done);
      item.dataset.stepOrder = String(step.order);
      let who = item.querySelector(".step-who");
      if (!who) last.append(who = el("span", { class: "step-who" }));
      who.textContent = step.by ? " · " + w("ticked_by").replace("{by}", step.by)
        .replace("{at}", step.at_local) : "";
    });
    document.dispatchEvent(new CustomEvent("twin-checklist-changed", { detail: found }));
  }

  async function tick(order, device, box) {
    box.disabled = true;
    const response = await fetch(state.urls.tick, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        "X-CSRFToken": state.csrf },
      body: JSON.stringify({ order, device, done: box.checked }),
    });
    box.disabled = false;
    if (!response.ok) {
      box.checked = !box.checked;
      const body = await response.json().catch(() => ({}));
      state.box.append(el("p", { class: "step-error", role: "alert",
        text: w("error") + ": " + (body.detail || body.title || response.status) }));
      return;
    }
    show(await response.json());
  }

  async function bind(box, urls, csrf, words, readonly) {
    Object.assign(state, { box, urls, csrf, words: words || state.words, readonly });
    const response = await fetch(urls.steps, { credentials: "same-origin" });
    if (response.ok) show(await response.json());
  }

  /* The outage page: the steps of the summary, on the open incident of its assets. */
  document.addEventListener("twin-outage-summary", async (event) => {
    const outage = window.twinOutage;
    const steps = document.getElementById("outage-steps");
    if (!steps || !event.detail.work_order.steps.length) return;
    const config = JSON.parse(document.getElementById("outage-panel").dataset.config);
    const incident = (event.detail.incidents || [])[0];
    state.steps = [];
    if (!incident) {
      steps.append(el("p", { class: "step-note", text: outage.t("checklist_none") }));
      return;
    }
    steps.append(el("p", { class: "step-note", "data-incident": incident,
      text: outage.t("checklist_on").replace("{incident}", incident) }));
    const url = (name) => config.urls[name].replace("__code__", encodeURIComponent(incident));
    const me = await fetch(config.urls.me, { credentials: "same-origin" });
    const csrf = me.ok ? (await me.json()).csrf_token : null;
    const words = { done: outage.t("done"), ticked_by: outage.t("ticked_by"),
      error: outage.t("error") };
    await bind(steps, { steps: url("steps"), tick: url("tick") }, csrf, words);
  });

  /* The incident page: a table of steps marked data-checklist. */
  function joinIncidentPage() {
    const table = document.querySelector("[data-checklist]");
    if (!table) return;
    const c = JSON.parse(table.dataset.checklist);
    bind(table, c.urls, c.csrf, c.words, c.readonly);
  }

  window.twinChecklist = { bind, done, state };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", joinIncidentPage);
  else joinIncidentPage();
})();
