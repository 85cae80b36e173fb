/* What the area pages (fibre plans, plan reconciliation) share: their JSON
 * calls, their error line and their words.
 *
 * Twin.areaPage(cfg) takes the page's settings (cfg.base, cfg.csrf,
 * cfg.words) and gives:
 *   api(path, options)  JSON to and from the area's blueprint; a body that is
 *                       not a string is sent as JSON, a write carries the
 *                       CSRF token, a refusal throws with its problems;
 *   showError(error)    the message in #error, or hides it when error is empty;
 *   say(key, values)    a word of the page in the user's language, {name}
 *                       replaced by values[name].
 */
"use strict";

window.Twin = window.Twin || {};

(function (Twin) {
  Twin.areaPage = function (cfg) {
    async function api(path, options) {
      const opts = Object.assign({ headers: {} }, options || {});
      if (opts.body && typeof opts.body !== "string") {
        opts.body = JSON.stringify(opts.body);
        opts.headers["Content-Type"] = "application/json";
      }
      if (opts.method && opts.method !== "GET") opts.headers["X-CSRFToken"] = cfg.csrf;
      const response = await fetch(cfg.base + path, opts);
      if (response.status === 204) return null;
      const body = await response.json();
      if (!response.ok) {
        const problems = (body.problems || []).map((p) => "• " + p.message).join("\n");
        throw new Error((body.detail || response.statusText) + (problems ? "\n" + problems : ""));
      }
      return body;
    }

    function showError(error) {
      const box = document.querySelector("#error");
      if (!box) return;
      box.hidden = !error;
      box.textContent = error ? String(error.message || error) : "";
    }

    const say = (key, values) => cfg.words[key].replace(/\{(\w+)\}/g, (_, name) => values[name]);

    return { api, showError, say };
  };
})(window.Twin);
