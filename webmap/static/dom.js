/* Text into pages, never HTML: the one way the pages' scripts build DOM nodes.
 *
 * Twin.el(tag, attrs, children) makes an element.  The `text` attribute and
 * string children become text nodes, so a code, name, owner, note or message
 * that came from data is shown as it is and never parsed as markup.  Leaflet
 * popups and tooltips take such an element too:
 *   layer.bindTooltip(Twin.el("span", { text: code }))
 * There is no way to pass HTML.  The one place that takes markup is
 * Twin.rendered, for a fragment this server rendered with its escaping
 * templates (the map page's feature panel).
 */
"use strict";

window.Twin = window.Twin || {};

(function (Twin) {
  const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href"]);
  const SAFE_SCHEMES = ["http", "https", "mailto"];

  /* Whether a link target is relative or http(s)/mailto (never javascript:). */
  function safeUrl(value) {
    // Browsers ignore control characters and spaces in a scheme ("java\tscript:").
    const bare = String(value).replace(/[\u0000-\u0020]/g, "");
    const scheme = bare.match(/^([a-z][a-z0-9+.-]*):/i);
    return !scheme || SAFE_SCHEMES.includes(scheme[1].toLowerCase());
  }

  function settable(name, value) {
    return !/^on/i.test(name) && !(URL_ATTRIBUTES.has(name.toLowerCase()) && !safeUrl(value));
  }

  Twin.el = function (tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === undefined || value === null || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) {
        if (typeof value === "function") node.addEventListener(key.slice(2), value);
      } else if (settable(key, value)) node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach((child) => {
      if (child !== undefined && child !== null && child !== false) node.append(child);
    });
    return node;
  };

  /* Show in `box` a fragment this server rendered (autoescaped templates).
   * It is parsed inert (DOMParser runs nothing); scripts, frames, inline
   * handlers and javascript: links are dropped before it joins the page, so
   * a template mistake still cannot run code. */
  Twin.rendered = function (box, html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    doc.body.querySelectorAll("script, iframe, object, embed, base, meta, link")
      .forEach((node) => node.remove());
    doc.body.querySelectorAll("*").forEach((node) => {
      [...node.attributes].forEach((a) => {
        if (!settable(a.name, a.value)) node.removeAttribute(a.name);
      });
    });
    box.replaceChildren(...doc.body.childNodes);
  };
})(window.Twin);
