/* Adding a photo from a page (an incident's, on a phone or a desktop) through the photo API.
 *
 * A form `form.photo-upload` with `data-photo-url` (POST /api/photos/<kind>/<ref>)
 * and a file input sends the chosen file as the request body with the session's
 * CSRF token; the server checks its type, size and pixels and reads its EXIF.
 * Once stored, the page is loaded again so the thumbnail shows with its time
 * and place as the server renders them; a refusal is shown as text (Twin.el).
 */
"use strict";

(function (Twin) {
  async function send(form) {
    const file = form.querySelector("input[type=file]").files[0];
    const said = form.querySelector(".outcome");
    if (!file) return;
    form.querySelector("button").disabled = true;
    try {
      const me = await fetch("/me", { cache: "no-store", credentials: "same-origin" });
      const response = await fetch(form.dataset.photoUrl, {
        method: "POST", body: file, credentials: "same-origin",
        headers: { "Content-Type": file.type || "image/jpeg",
                   "X-CSRFToken": (await me.json()).csrf_token },
      });
      if (response.ok) {
        window.location.reload();
        return;
      }
      const problem = await response.json().catch(() => ({}));
      said.replaceChildren(Twin.el("span", { text: form.dataset.failed }), " ",
                           Twin.el("span", { text: problem.detail || `HTTP ${response.status}` }));
    } catch (err) {
      said.replaceChildren(Twin.el("span", { text: `${form.dataset.failed} ${err.message}` }));
    }
    form.querySelector("button").disabled = false;
  }

  document.querySelectorAll("form.photo-upload").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(form);
    });
  });
})(window.Twin);
