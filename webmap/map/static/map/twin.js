/* The map page: shared functions and start-up.
 *
 * The page is made of small parts sharing the global `Twin` object:
 * layers.js (vector layers, layer panel, legend), inspect.js (click, panel,
 * search), edit.js (drawing and forms), bulk.js (selection), upload.js
 * (file import), pressure.js (the latest water run's pressures and flows), runs.js (the latest
 * drainage and power runs).  Every write goes through the feature API (/collections).
 * Elements are built with Twin.el (webmap/static/dom.js): text, never HTML.
 */
/* global L */
"use strict";

window.Twin = window.Twin || {};

(function (Twin) {
  Twin.state = { map: null, config: null, catalog: null, csrf: null, busy: false };

  /* A view kept in the address (#zoom/lat/lon) is applied as the map is made,
   * before any layer is added, so no tile is fetched for the default view. */
  function viewInAddress() {
    const match = location.hash.match(/^#(\d+(?:\.\d+)?)\/(-?[\d.]+)\/(-?[\d.]+)$/);
    return match ? { zoom: Number(match[1]), center: [Number(match[2]), Number(match[3])] }
      : null;
  }
  L.Map.addInitHook(function () {
    const view = viewInAddress();
    if (view) this.setView(view.center, view.zoom, { animate: false });
  });

  /* A message in the user's language, with {name} placeholders filled in. */
  Twin.t = function (key, values) {
    const messages = (Twin.state.config && Twin.state.config.messages) || {};
    let text = messages[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => {
      text = text.split("{" + name + "}").join(String(value));
    });
    return text;
  };

  Twin.locale = Twin.localeTag;

  /* Numbers in the locale's format (1.234,5 in Vietnamese, 1,234.5 in English). */
  Twin.formatNumber = function (value, digits) {
    return Twin.fmt.number(value, digits ?? 3);
  };

  /* A short message at the bottom of the map; kind is info, warning or error. */
  Twin.notify = function (text, kind, sticky) {
    const box = document.getElementById("messages");
    const item = Twin.el("div", { class: "message " + (kind || "info"), role: "status" }, [
      Twin.el("span", { text }),
      Twin.el("button", { type: "button", class: "dismiss", "aria-label": "×", text: "×",
        onclick: () => item.remove() }),
    ]);
    box.append(item);
    if (!sticky) setTimeout(() => item.remove(), 8000);
    return item;
  };

  /* Errors of the API as an Error carrying the HTTP status and problem body. */
  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.title)) || "HTTP " + status);
      this.status = status;
      this.body = body || {};
    }
  }
  Twin.ApiError = ApiError;

  /* fetch() with JSON, the CSRF header on writes, and problem+json errors. */
  Twin.api = async function (url, options) {
    const opts = Object.assign({ method: "GET", headers: {} }, options || {});
    opts.headers = Object.assign({ Accept: "application/json, application/geo+json" },
      opts.headers);
    opts.credentials = "same-origin";
    if (opts.json !== undefined) {
      opts.body = JSON.stringify(opts.json);
      opts.headers["Content-Type"] = opts.contentType || "application/json";
      delete opts.json;
    }
    if (opts.method !== "GET" && Twin.state.csrf) opts.headers["X-CSRFToken"] = Twin.state.csrf;
    let response;
    try {
      response = await fetch(url, opts);
    } catch (err) {
      throw new ApiError(0, { detail: Twin.t("network_error") });
    }
    const type = response.headers.get("Content-Type") || "";
    const body = type.includes("json") && response.status !== 204
      ? await response.json() : null;
    if (!response.ok) throw new ApiError(response.status, body);
    return { body, etag: response.headers.get("ETag"), status: response.status };
  };

  /* A readable line for an API error (role, login, or the server's detail). */
  Twin.describeError = function (err) {
    if (err.status === 401) return Twin.t("login_needed");
    if (err.status === 403) return Twin.t("forbidden") + " " + (err.body.detail || "");
    return Twin.t("error", { detail: err.message });
  };

  Twin.can = function (action) {
    return (Twin.state.config.user.actions || []).includes(action);
  };

  Twin.featureUrl = function (table, code) {
    const base = Twin.state.config.urls.collections + "/" + encodeURIComponent(table) + "/items";
    return code === undefined ? base : base + "/" + encodeURIComponent(code);
  };

  /* The version an ETag names (W/"3" or "3"). */
  Twin.versionOf = function (etag, feature) {
    if (etag) {
      const match = etag.match(/"?(\d+)"?$/);
      if (match) return Number(match[1]);
    }
    return feature && feature.properties ? feature.properties.version : null;
  };

  /* A feature with its ETag and version, for a write that must not overwrite. */
  Twin.readFeature = async function (table, code) {
    const { body, etag } = await Twin.api(Twin.featureUrl(table, code));
    return { feature: body, etag, version: Twin.versionOf(etag, body) };
  };

  Twin.ifMatch = function (etag, version) {
    return { "If-Match": etag || '"' + version + '"' };
  };

  Twin.typeOf = function (table) {
    for (const layer of Twin.state.catalog.layers) {
      for (const type of layer.types) if (type.table === table) return type;
    }
    return null;
  };

  Twin.layerOfTable = function (table) {
    return Twin.state.catalog.layers.find((l) => l.types.some((t) => t.table === table));
  };

  async function loadUser() {
    try {
      const me = await Twin.api(Twin.state.config.urls.me);
      if (me.body) {
        Twin.state.csrf = me.body.csrf_token || Twin.state.csrf;
      }
    } catch (err) {
      // Anonymous visitors have no /me; the page then offers reading only.
    }
  }

  /* Keep the view in the address (#zoom/lat/lon) so a reload or a language
   * switch comes back to the same place. */
  function followView(map) {
    map.on("moveend", () => {
      const c = map.getCenter();
      history.replaceState(null, "", "#" + map.getZoom() + "/" + c.lat.toFixed(5) + "/"
        + c.lng.toFixed(5));
    });
    document.querySelectorAll("#lang a").forEach((link) => {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        location.href = "?lang=" + link.dataset.lang + location.hash;
      });
    });
  }

  /* Called by the folium map once it exists (see webmap/map/page.py). */
  Twin.start = async function (map, config, rasters) {
    Twin.state.map = map;
    Twin.state.config = config;
    Twin.state.rasters = rasters || {};
    Twin.state.csrf = document.querySelector("meta[name=csrf-token]")?.content || null;
    followView(map);
    // The catalogue early.js asked for while the scripts loaded, or asked now.
    const early = Twin.early && Twin.early.take(config.urls.layers);
    const ask = () => Twin.api(config.urls.layers).then((r) => r.body);
    // A signed-in reader's page carries the CSRF token; /me is asked only without it.
    const user = Twin.state.csrf ? null : loadUser();
    const [catalog] = await Promise.all([early ? early.catch(ask) : ask(), user]);
    Twin.state.catalog = catalog;
    Twin.layers.start(map, catalog);
    Twin.inspect.start(map);
    if (Twin.edit) Twin.edit.start(map);
    if (Twin.reshape) Twin.reshape.start(map);
    if (Twin.bulk) Twin.bulk.start(map);
    if (Twin.upload) Twin.upload.start();
    if (Twin.pressure) Twin.pressure.start(map);
    if (Twin.runs) Twin.runs.start(map);
    document.body.classList.add("twin-ready");
    performance.mark("twin-ready"); // read by benchmarks/map_bench.py
    map.fire("twin:ready");
  };
})(window.Twin);
