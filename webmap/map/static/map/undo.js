/* Undo of the user's last edits, newest first, each checked against the version.
 *
 * A create is undone by deleting the feature, a change by patching the old
 * values back, a delete by creating the feature again with its code; each
 * reads the feature first and sends its version, so an undo never
 * overwrites what someone else saved since.
 */
/* global Twin */
"use strict";

(function (Twin) {
  const stack = [];

  function showState() {
    const button = document.getElementById("tool-undo");
    if (button) button.disabled = stack.length === 0;
  }

  function push(what, run) {
    stack.push({ what, run });
    showState();
  }

  async function last() {
    const entry = stack.pop();
    showState();
    if (!entry) { Twin.notify(Twin.t("nothing_to_undo")); return; }
    try {
      await entry.run();
      Twin.notify(Twin.t("undo_done", { what: entry.what }));
    } catch (err) {
      Twin.notify(Twin.describeError(err), "error", true);
    }
  }

  /* PATCH back to an earlier state, if nobody changed the feature since.
   * `quiet` leaves redrawing to the caller (a bulk undo redraws once). */
  function patchBack(table, code, before, patch, quiet) {
    return async () => {
      const { etag, version } = await Twin.readFeature(table, code);
      const back = {};
      if (patch.properties) {
        back.properties = {};
        Object.keys(patch.properties).forEach((k) => {
          back.properties[k] = before.properties[k] ?? null;
        });
      }
      if (patch.geometry) back.geometry = before.geometry;
      await Twin.api(Twin.featureUrl(table, code), { method: "PATCH", json: back,
        contentType: "application/merge-patch+json", headers: Twin.ifMatch(etag, version) });
      if (quiet) return;
      Twin.layers.refresh(table);
      Twin.inspect.refresh(table, code);
    };
  }

  function deleteAgain(table, code) {
    return async () => {
      const { etag, version } = await Twin.readFeature(table, code);
      await Twin.api(Twin.featureUrl(table, code), { method: "DELETE",
        headers: Twin.ifMatch(etag, version) });
      Twin.layers.refresh(table);
      Twin.inspect.close();
    };
  }

  Twin.undo = { push, last, patchBack, deleteAgain };
})(window.Twin);
