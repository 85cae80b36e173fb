/* Importing a file into a layer: upload, read the check's report, then commit.
 *
 * The server runs the twin's importer twice in the background: a dry run
 * whose report (counts, problems with feature, field and rule) is shown
 * first, then, on the user's word, the import itself.  The page polls the
 * job for its progress.
 */
/* global Twin */
"use strict";

(function (Twin) {
  const POLL_MS = 400;
  const SHOWN_PROBLEMS = 50;

  function $(id) { return document.getElementById(id); }

  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  async function follow(job) {
    const bar = $("upload-progress");
    while (job.state === "checking" || job.state === "committing") {
      bar.hidden = false;
      if (job.total) { bar.max = job.total; bar.value = job.done; } else bar.removeAttribute("value");
      await sleep(POLL_MS);
      job = (await Twin.api(Twin.state.config.urls.imports + "/" + job.id)).body;
    }
    bar.hidden = true;
    return job;
  }

  function counts(report) {
    const source = report.counts || report;
    return Object.entries(source).filter(([, v]) => typeof v === "number")
      .map(([k, v]) => Twin.el("li", {}, [Twin.el("span", { class: "count-name", text: k }),
        Twin.el("span", { class: "count-value", text: Twin.formatNumber(v) })]));
  }

  function problems(report) {
    const list = report.problems || [];
    return list.slice(0, SHOWN_PROBLEMS).map((p) => Twin.el("li", { class: "problem",
      text: [p.feature, p.field, p.message].filter(Boolean).join(" · ")
        + (p.rule ? " [" + p.rule + "]" : "") }));
  }

  function readyCount(report) {
    const c = report.counts || report;
    return c.valid ?? c.ready ?? c.features ?? c.read ?? 0;
  }

  function showReport(job) {
    const box = $("upload-report");
    const report = job.report || {};
    const found = (report.problems || []).length;
    const summary = job.state === "failed" ? Twin.t("upload_failed", { detail: job.error })
      : job.state === "done" ? Twin.t("upload_done", { count: readyCount(report), table: job.table })
        : found ? Twin.t("upload_problems", { count: found })
          : Twin.t("upload_ready", { count: readyCount(report) });
    box.replaceChildren(Twin.el("p", { class: "summary " + job.state, text: summary }),
      Twin.el("ul", { class: "counts" }, counts(report)),
      Twin.el("ul", { class: "problems" }, problems(report)));
    $("upload-commit").hidden = job.state !== "checked";
    $("upload-commit").dataset.job = job.id;
  }

  async function check(event) {
    event.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) return;
    const data = new FormData();
    data.append("file", file);
    data.append("table", $("upload-table").value);
    data.append("crs", $("upload-crs").value);
    $("upload-report").replaceChildren(Twin.el("p", { text: Twin.t("upload_checking") }));
    $("upload-commit").hidden = true;
    try {
      const { body } = await Twin.api(Twin.state.config.urls.imports, { method: "POST", body: data });
      showReport(await follow(body));
    } catch (err) {
      $("upload-report").replaceChildren(Twin.el("p", { class: "summary failed",
        text: Twin.describeError(err) }));
    }
  }

  async function commit() {
    const id = $("upload-commit").dataset.job;
    $("upload-commit").hidden = true;
    $("upload-report").prepend(Twin.el("p", { text: Twin.t("upload_committing") }));
    try {
      const { body } = await Twin.api(Twin.state.config.urls.imports + "/" + id + "/commit",
        { method: "POST" });
      const job = await follow(body);
      showReport(job);
      if (job.state === "done") Twin.layers.refresh(job.table);
    } catch (err) {
      Twin.notify(Twin.describeError(err), "error", true);
    }
  }

  Twin.upload = {
    start() {
      const dialog = $("upload-dialog");
      const open = $("tool-import");
      if (!dialog || !open) return;
      Twin.state.catalog.layers.filter((l) => l.asset).forEach((layer) => {
        $("upload-table").append(Twin.el("optgroup", { label: layer.label },
          layer.types.map((t) => Twin.el("option", { value: t.table, text: t.label }))));
      });
      open.addEventListener("click", () => dialog.showModal());
      $("upload-form").addEventListener("submit", check);
      $("upload-commit").addEventListener("click", commit);
      dialog.querySelector("button.close").addEventListener("click", () => dialog.close());
    },
  };
})(window.Twin);
