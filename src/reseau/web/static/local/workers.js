// A Web Worker running local/worker.js, wherever the page was opened from.
//
// From a web server, a module worker (new Worker(url, { type: "module" })). Opened as a file (file://),
// Chromium refuses module workers and fetches: `reseau site` then bundles local/worker.js and what
// it imports into one classic script, RESEAU_WORKER_SOURCE (a string), and the worker starts from a
// Blob URL of it.

export function workersAvailable() {
  return typeof Worker !== "undefined";
}

export function makeWorker() {
  if (globalThis.RESEAU_WORKER_SOURCE) {
    const blob = new Blob([globalThis.RESEAU_WORKER_SOURCE], { type: "text/javascript" });
    return new Worker(URL.createObjectURL(blob));
  }
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
}

/** How many workers a study runs at once: one per core the browser reports (at least 1, at most 8). */
export function workerCount() {
  return Math.max(1, Math.min(8, (typeof navigator !== "undefined" && navigator.hardwareConcurrency) || 2));
}
