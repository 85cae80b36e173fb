/* Buttons that show or hide a part of the page (the layer list, a bottom sheet).
 *
 * <button data-toggles="layers-open" aria-controls="sidebar" aria-expanded="false">
 * toggles the class "layers-open" on <body> and keeps aria-expanded in step;
 * data-label-open / data-label-closed, when given, are the button's text in
 * each state.  No inline handlers: the strict Content-Security-Policy forbids them.
 */
(function () {
  "use strict";

  function show(button, open) {
    document.body.classList.toggle(button.dataset.toggles, open);
    button.setAttribute("aria-expanded", String(open));
    const label = open ? button.dataset.labelOpen : button.dataset.labelClosed;
    if (label) button.textContent = label;
  }

  function start() {
    document.querySelectorAll("button[data-toggles]:not([data-toggle-ready])").forEach((button) => {
      button.dataset.toggleReady = "";
      show(button, button.getAttribute("aria-expanded") === "true");
      button.addEventListener("click", () => {
        show(button, button.getAttribute("aria-expanded") !== "true");
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
