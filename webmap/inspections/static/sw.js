/* The service worker of the inspection pages: what a crew opened online stays
 * readable offline.  Reads (GET, this origin) go to the network first and
 * are kept; without a network the kept copy answers.  Only pages and what
 * they load are kept: the API always goes to the network.  Writes are never
 * cached or replayed here: the page queues them (queue.js) and sends them
 * itself, so a conflict is shown to the inspector. */
"use strict";

const CACHE = "twin-inspections-v1";
const KEPT = ["script", "style", "image", "manifest", "font"];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/* The page asks to keep what it loaded before the worker controlled it. */
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE)
    .then((cache) => Promise.all(urls.map((url) => cache.add(url).catch(() => null))))
    .then(() => event.source && event.source.postMessage({ kept: urls.length })));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  // Pages and what they load; the API's answers (the CSRF token, photos' lists) never come from a copy.
  if (request.mode !== "navigate" && !KEPT.includes(request.destination)) return;
  event.respondWith(fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }).catch(() => caches.match(request, { ignoreVary: true }).then((kept) => kept || Response.error())));
});
