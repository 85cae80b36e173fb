/* The long lists of an outage, a page at a time (GET /outage/list/<name>).
 *
 * window.twinOutageLists.paged({ name, query, utility, size, start, row, table })
 *   an element with a "next page" button; each page's items become rows
 *   (row(item) -> <tr> or <li>) appended under those already shown
 * window.twinOutageLists.streets(query, utility)  customers per street of one utility
 * window.twinOutageLists.customers(query)         the customers, with their street
 *
 * The summary of /outage/analyse says how long each list is; nothing of a
 * list is fetched before the crew asks for it.
 */
"use strict";

(function () {
  const el = window.Twin.el; // webmap/static/dom.js: text, never HTML
  const count = (n) => window.Twin.fmt.count(n); // webmap/static/locale.js
  const outage = () => window.twinOutage;
  const t = (key) => outage().t(key);
  const PAGE = 20;

  function listUrl(name) {
    const panel = document.getElementById("outage-panel");
    return JSON.parse(panel.dataset.config).urls.list.replace("__name__", name);
  }

  function paged(options) {
    const size = options.size || PAGE;
    let page = (options.start || 1) - 1;
    const holder = options.table ? el("tbody") : el("ul");
    const box = el("div", { class: "outage-list", "data-list": options.name }, [
      options.table ? el("table", {}, [holder]) : holder]);
    const status = el("span", { class: "outage-list-status" });
    const button = el("button", { type: "button", class: "outage-more",
      text: options.first || t("next_page"), onclick: next });
    box.append(el("p", {}, [button, status]));

    async function next() {
      button.disabled = true;
      const params = new URLSearchParams(options.query);
      params.set("page", String(page + 1));
      params.set("size", String(size));
      if (options.utility) params.set("utility", options.utility);
      const response = await fetch(listUrl(options.name) + "?" + params,
        { credentials: "same-origin" });
      if (!response.ok) {
        status.textContent = " " + t("error") + " " + response.status;
        button.disabled = false;
        return;
      }
      const found = await response.json();
      page = found.page;
      found.items.forEach((item) => holder.append(options.row(item)));
      box.dataset.page = String(page);
      status.textContent = " " + count(holder.children.length + (options.start ? size * (options.start - 1) : 0))
        + " / " + count(found.total);
      button.textContent = t("next_page");
      button.hidden = page >= found.pages;
      button.disabled = false;
    }
    return box;
  }

  function cells(values) {
    return el("tr", {}, values.map(([text, num]) => el("td", { class: num ? "num" : null, text })));
  }

  function streets(query, utility) {
    return paged({ name: "streets", query, utility, table: true, first: t("show_list"),
      row: (s) => cells([[s.street || "—"], [count(s.customers), true],
        [count(s.households), true]]) });
  }

  function customers(query) {
    return paged({ name: "customers", query, table: true, first: t("show_list"),
      row: (c) => cells([[c.code], [outage().word("utility", c.utility)], [c.street || "—"],
        [count(c.customers), true]]) });
  }

  window.twinOutageLists = { paged, streets, customers };
})();
