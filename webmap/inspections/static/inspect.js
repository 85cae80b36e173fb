/* The inspection forms of an asset's page, online or not.
 *
 * An inspection is sent as JSON with the asset version the page showed and a
 * key of its own, then its photo; both are idempotent on the server (the key,
 * the photo's checksum), so sending again never stores twice.  Without a
 * network the inspection and its photo wait in IndexedDB (queue.js) and are
 * sent when the phone is back online.  A newer edit of the asset (412) is
 * shown and the inspection kept aside, never overwritten; once the page shows
 * the asset as it is now, the crew may apply it on that version (saying the
 * version it was made on).  Everything shown is text (Twin.el). */
"use strict";

(function (Twin) {
  const queue = Twin.inspectionQueue;
  const RETRY_MS = 5000;

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

  async function csrf() {
    const me = await fetch("/me", { cache: "no-store" });
    return (await me.json()).csrf_token;
  }

  async function post(url, body, type, token) {
    return fetch(url, { method: "POST", body,
                        headers: { "Content-Type": type, "X-CSRFToken": token } });
  }

  /* Send one item; "sent", "conflict", "failed" or "offline" (then it waits). */
  async function deliver(item) {
    try {
      const token = await csrf();
      const response = await post(item.url, JSON.stringify(item.body), "application/json", token);
      const reply = await response.json().catch(() => ({}));
      if (response.status === 412) {
        return { state: "conflict", reply };
      }
      if (!response.ok) return { state: "failed", reply };
      if (item.photo) {
        const stored = reply.inspection;
        const photo = await post(item.photoBase + stored.properties.form + "/" + stored.id,
                                 item.photo, item.photo.type || "image/jpeg", token);
        if (!photo.ok) return { state: "failed", reply: await photo.json().catch(() => ({})) };
      }
      return { state: "sent", reply };
    } catch (err) {
      return { state: "offline" };
    }
  }

  async function itemOf(form) {
    return {
      key: crypto.randomUUID(),
      url: form.dataset.url,
      photoBase: form.dataset.photoBase,
      asset: form.dataset.asset,
      body: {
        answers: answers(form),
        asset_version: Number(form.dataset.version),
        inspected_at: new Date().toISOString(),
        location: await where(),
      },
      photo: form.querySelector("input[type=file]").files[0] || null,
      state: "waiting",
    };
  }

  /* After a conflict: once this page shows the asset's current version, the crew may
   * send the inspection again on it (an explicit action, never automatic); before
   * that, the way to see the asset as it is now. */
  function reviewOrApply(item) {
    const asset = document.getElementById("asset");
    if (asset && Number(asset.dataset.version) === item.currentVersion) {
      return Twin.el("button", { type: "button", class: "apply", text: message("apply"),
        onclick: async () => {
          const madeOn = item.body.made_on_version ?? item.body.asset_version;
          await queue.put({ ...item, state: "waiting", body: { ...item.body,
            asset_version: item.currentVersion, made_on_version: madeOn } });
          await flush();
        } });
    }
    const page = item.url.replace("/api/inspections/", "/inspections/").replace(/\/[^/]+$/, "");
    return Twin.el("a", { href: page, class: "see-now", text: message("see_now") });
  }

  function removeButton(item) {
    return Twin.el("button", { type: "button", text: message("discard"), onclick: async () => {
      await queue.remove(item.key);
      showQueue();
    } });
  }

  async function showQueue() {
    const list = document.getElementById("queue");
    if (!list) return;
    const items = (await queue.all()).filter((i) => !list.dataset.asset || i.asset === list.dataset.asset);
    list.replaceChildren(...items.map((item) => {
      const when = Twin.el("time", { text: new Date(item.body.inspected_at).toLocaleString(
        Twin.localeTag(), { timeZone: "Asia/Ho_Chi_Minh" }) });
      const parts = [when, " "];
      if (item.state === "conflict") {
        parts.push(Twin.el("strong", { class: "conflict", text: message("conflict_kept") }), " ",
                   Twin.el("span", { text: message("now_version") + " " + item.currentVersion }),
                   " ", reviewOrApply(item), " ", removeButton(item));
      } else if (item.state === "failed") {
        parts.push(Twin.el("strong", { class: "conflict", text: message("failed") }), " ",
                   Twin.el("span", { text: item.problem || "" }), " ", removeButton(item));
      } else {
        parts.push(Twin.el("span", { text: message("waiting") }));
      }
      return Twin.el("li", { "data-state": item.state }, parts);
    }));
    document.documentElement.dataset.queued = String(items.filter((i) => i.state === "waiting").length);
  }

  /* Send what waits; stop at the first network failure. */
  async function flush() {
    let sent = 0;
    for (const item of await queue.all()) {
      if (item.state !== "waiting") continue;
      const done = await deliver(item);
      if (done.state === "offline") {
        // "online" may come before the server is reachable: try again shortly.
        if (navigator.onLine) window.setTimeout(flush, RETRY_MS);
        break;
      }
      if (done.state === "sent") {
        await queue.remove(item.key);
        sent += 1;
      } else if (done.state === "conflict") {
        await queue.put({ ...item, state: "conflict",
                          currentVersion: done.reply.current.properties.version });
      } else {
        await queue.put({ ...item, state: "failed", problem: describe(done.reply).join(" ") });
      }
    }
    await showQueue();
    if (sent && document.getElementById("history-section")) window.location.reload();
  }

  async function submit(form) {
    let item;
    try {
      item = await itemOf(form);
    } catch (err) {
      show(form, "conflict", [message("failed"), err.message]);
      return;
    }
    item.body.client_id = item.key;
    if (!navigator.onLine) {
      await queue.put(item);
      show(form, "saved", [message("queued")]);
      form.reset();
      await showQueue();
      return;
    }
    const done = await deliver(item);
    if (done.state === "offline") {
      await queue.put(item);
      show(form, "saved", [message("queued")]);
      await showQueue();
    } else if (done.state === "sent") {
      show(form, "saved", [message("saved")]);
      window.setTimeout(() => window.location.reload(), 600);
    } else if (done.state === "conflict") {
      show(form, "conflict", [message("conflict")]);
    } else {
      show(form, "conflict", [message("failed"), ...describe(done.reply)]);
    }
  }

  async function uploadAssetPhoto(form) {
    const file = form.querySelector("input[type=file]").files[0];
    if (!file) return;
    const response = await post(form.dataset.photoUrl, file, file.type || "image/jpeg", await csrf());
    if (response.ok) {
      window.location.reload();
    } else {
      show(form, "conflict", [message("photo_failed"),
                              ...describe(await response.json().catch(() => ({})))]);
    }
  }

  /* The worker keeps this page and what it loaded for when the network is gone. */
  async function keepForOffline() {
    if (!("serviceWorker" in navigator)) return;
    const section = document.getElementById("queue-section");
    const script = section && section.dataset.worker;
    if (!script) return;
    await navigator.serviceWorker.register(script);
    const ready = await navigator.serviceWorker.ready;
    const keep = [window.location.href,
      ...performance.getEntriesByType("resource").map((e) => e.name)
        .filter((url) => url.startsWith(window.location.origin) && !url.includes("/api/"))];
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.kept) document.documentElement.dataset.offlineReady = "1";
    });
    ready.active.postMessage({ keep });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form.inspection").forEach((form) => {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        if (form.dataset.photoUrl) uploadAssetPhoto(form);
        else submit(form);
      });
    });
    window.addEventListener("online", flush);
    showQueue().then(() => (navigator.onLine ? flush() : null));
    keepForOffline().catch(() => null);
  });
})(window.Twin);
