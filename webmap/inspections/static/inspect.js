/* The inspection forms of an asset's page: answers sent as JSON with the
 * asset version the page showed, a key of the phone's own (so a repeat is
 * stored once) and the place, when the phone gives it.  The outcome is shown
 * as text; a newer edit of the asset is reported, never overwritten. */
"use strict";

(function (Twin) {
  function message(key) {
    const box = document.getElementById("inspection-messages");
    const node = box && box.content.querySelector(`[data-key="${key}"]`);
    return node ? node.textContent : key;
  }

  function answers(form) {
    const out = {};
    form.querySelectorAll("select, input:not([type=file])").forEach((field) => {
      const text = field.value.trim();
      if (!text) return;
      out[field.name] = field.dataset.type ? Twin.readNumber(text, field.name) : text;
    });
    return out;
  }

  function where() {
    if (!navigator.geolocation) return Promise.resolve(null);
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ type: "Point", coordinates: [p.coords.longitude, p.coords.latitude] }),
        () => resolve(null), { timeout: 3000, maximumAge: 60000 });
    });
  }

  function show(form, cls, parts) {
    const box = form.querySelector(".outcome");
    box.className = "outcome " + cls;
    box.replaceChildren(...parts.map((p) => Twin.el("span", { text: p + " " })));
  }

  function describe(problem) {
    const rules = (problem.problems || []).map((p) => `${p.field}: ${p.message}`);
    return [problem.detail || problem.title || "", ...rules];
  }

  /* POST the photo chosen in `form` (if any) to `url`; true when stored. */
  async function sendPhoto(form, url) {
    const file = form.querySelector("input[type=file]").files[0];
    if (!file) return true;
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": file.type || "application/octet-stream",
                 "X-CSRFToken": form.dataset.csrf },
      body: file,
    });
    if (response.ok) return true;
    const reply = await response.json().catch(() => ({}));
    show(form, "conflict", [message("photo_failed"), ...describe(reply)]);
    return false;
  }

  async function send(form) {
    let body;
    try {
      body = {
        answers: answers(form),
        asset_version: Number(form.dataset.version),
        inspected_at: new Date().toISOString(),
        client_id: crypto.randomUUID(),
        location: await where(),
      };
    } catch (err) {
      show(form, "conflict", [message("failed"), err.message]);
      return;
    }
    const response = await fetch(form.dataset.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf },
      body: JSON.stringify(body),
    });
    const reply = await response.json();
    if (response.ok) {
      const props = reply.asset.properties;
      document.querySelectorAll("form.inspection").forEach((f) => { f.dataset.version = props.version; });
      show(form, "saved", [message("saved"), reply.inspection.properties.result || ""]);
      const stored = reply.inspection;
      if (!await sendPhoto(form, form.dataset.photoBase + stored.properties.form + "/" + stored.id)) return;
      window.setTimeout(() => window.location.reload(), 600);
    } else if (response.status === 412) {
      show(form, "conflict", [message("conflict")]);
    } else {
      show(form, "conflict", [message("failed"), ...describe(reply)]);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form.inspection").forEach((form) => {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (!form.dataset.photoUrl) {
          send(form);
        } else if (await sendPhoto(form, form.dataset.photoUrl)) {
          window.location.reload();
        }
      });
    });
  });
})(window.Twin);
