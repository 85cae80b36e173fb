/* The way to the next device to operate, from the phone's position.
 *
 * Once an outage is analysed, the first step not yet ticked off is the next
 * device; with the browser's geolocation (when the crew allows it) the box
 * #outage-next says "320 m, hướng Đông Bắc" and links to the device on the
 * map.  Without a position it says so plainly.  Ticks (checklist.js) move
 * it on to the next step.
 */
"use strict";

(function () {
  const el = window.Twin.el; // webmap/static/dom.js: text, never HTML
  const outage = () => window.twinOutage;
  const t = (key) => outage().t(key);
  const state = { position: null, denied: false, watch: null };

  function nextStep() {
    const report = outage().state.report;
    if (!report) return null;
    const done = (window.twinChecklist && window.twinChecklist.done()) || new Set();
    return report.work_order.steps.find((s) => !done.has(s.device + ":" + s.action)) || null;
  }

  function deviceLink(step) {
    const [lon, lat] = step.lonlat;
    const config = JSON.parse(document.getElementById("outage-panel").dataset.config);
    return config.urls.device.replace("__lat__", lat.toFixed(6)).replace("__lon__", lon.toFixed(6));
  }

  function wayText(step) {
    const way = window.Twin.way;
    const here = [state.position.longitude, state.position.latitude];
    const metres = way.distanceM(here, step.lonlat);
    const distance = window.Twin.fmt.length(Math.round(metres));
    return t("way").replace("{distance}", distance)
      .replace("{direction}", outage().word("compass", way.compass(way.bearingDeg(here, step.lonlat))));
  }

  function render() {
    const box = document.getElementById("outage-next");
    if (!box) return;
    const step = nextStep();
    if (!step) {
      box.replaceChildren(el("p", { text: t("all_done") }));
      return;
    }
    const lines = [el("strong", { text: t("next_device") + ": " + (t(step.action) || step.action)
      + " " + step.device })];
    box.dataset.device = step.device;
    if (state.position && step.lonlat) {
      lines.push(el("p", { class: "outage-way", text: wayText(step) }));
    } else {
      lines.push(el("p", { class: "outage-way-unknown",
        text: state.denied ? t("no_location") : t("locating") }));
    }
    if (step.lonlat) {
      lines.push(el("a", { class: "outage-device-link", href: deviceLink(step), target: "_blank",
        text: t("open_device") }));
    }
    box.replaceChildren(...lines);
  }

  function locate() {
    if (state.watch !== null) return;
    if (!navigator.geolocation) {
      state.denied = true;
      return;
    }
    state.watch = navigator.geolocation.watchPosition((found) => {
      state.position = found.coords;
      state.denied = false;
      render();
    }, () => {
      state.denied = true;
      render();
    }, { enableHighAccuracy: true, maximumAge: 10000, timeout: 15000 });
  }

  document.addEventListener("twin-outage-summary", (event) => {
    const steps = document.getElementById("outage-steps");
    if (!steps || !event.detail.work_order.steps.length) return;
    steps.after(el("section", { id: "outage-next", "aria-live": "polite" }));
    locate();
    render();
  });
  document.addEventListener("twin-checklist-changed", render);

  window.twinNextDevice = { render, state };
})();
