/* Inspections waiting on this phone: an IndexedDB store that outlives the
 * page, the tab and a restart of the phone.  Each item is one inspection
 * (its answers, the asset version it was made on, its own key) and its
 * photo as a Blob; it leaves the store only once the server has it. */
"use strict";

(function (Twin) {
  const DB = "twin-inspections";
  const STORE = "queue";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(request && request.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  Twin.inspectionQueue = {
    put(item) { return run("readwrite", (s) => s.put(item)); },
    remove(key) { return run("readwrite", (s) => s.delete(key)); },
    all() { return run("readonly", (s) => s.getAll()); },
  };
})(window.Twin);
