// The exercise's runs, in a Web Worker: the twin of reseau.experiments.runs.execute_run for the document's
// network (train with engine/faithful.js, measure the "Précision" of each epoch, the test accuracy on the
// 10 000 test images, the epochs' time), one job of planJobs (local/study-table.js) at a time.
//
// local/worker.js imports this file: it adds its own listener for the messages below and leaves every
// other message to the worker's other parts. In (from local/study.js):
//   { type: "study-data", data: { train: { indptr, indices, values, digits }, test: { ... } } }
//     MNIST's lit pixels (engine/faithful.js sparseRows of the document's images) and digits, sent once;
//   { type: "study-job", job: { id, hidden, lr, seed, limit, epochs: [1, 2, 3] } }.
// Out: { type: "study-progress", job, done, total } (images), { type: "study-result", job, result } for each
// epoch count of the job, { type: "study-job-done", job }, or { type: "study-failed", job, reason }.
// A stop is the page terminating the worker: what it already sent is kept.
//
// runJob is tested under Node by tests/test_js_study.py against `reseau experiment`'s runs.

import { documentPrecision, epoch, initialWeights } from "../engine/faithful.js";
import { CHANCE, CHANCE_MARGIN, runKey } from "./study-table.js";

/** The first `limit` images of `set` ({ indptr, indices, values, digits }; null: all): rows and digits. */
export function firstImages(set, limit) {
  const n = limit ? Math.min(limit, set.digits.length) : set.digits.length;
  const rows = { indptr: set.indptr.subarray(0, n + 1), indices: set.indices, values: set.values };
  return { rows, digits: set.digits.subarray(0, n) };
}

function allFinite(net) {
  // reseau.network.Network.all_finite: every weight and bias is a number.
  for (const array of [net.w_i_h_t, net.w_h_o, net.b_i_h, net.b_h_o]) {
    for (let k = 0; k < array.length; k++) if (!Number.isFinite(array[k])) return false;
  }
  return true;
}

/**
 * Train `job` on `data` and `post` a result for each epoch count it asks for: { key, epochs, hidden, lr, seed,
 * n_train, precisions (%), test_accuracy (%, null if diverged), seconds (the epochs' time), diverged,
 * at_chance } — runs.RunResult's numbers. `now()` is a clock in milliseconds.
 */
export function runJob(data, job, post, now = () => performance.now()) {
  const { rows, digits } = firstImages(data.train, job.limit);
  const test = firstImages(data.test, null);
  const net = initialWeights(job.hidden, job.seed);
  const last = job.epochs.at(-1);
  const total = last * digits.length;
  const precisions = [];
  let seconds = 0;
  let diverged = false;
  const report = (epochs, test_accuracy) => {
    const settings = { epochs, hidden: job.hidden, lr: job.lr, seed: job.seed };
    const at_chance = !diverged && test_accuracy < CHANCE + CHANCE_MARGIN;
    const result = { key: runKey(settings, job.limit), ...settings, n_train: digits.length, precisions: precisions.slice(),
      test_accuracy, seconds, diverged, at_chance };
    post({ type: "study-result", job: job.id, result });
  };
  for (let e = 1; e <= last; e++) {
    const started = now();
    const before = (e - 1) * digits.length;
    const nr_correct = epoch(rows, digits, net, job.lr, (done) => post({ type: "study-progress", job: job.id, done: before + done, total }));
    const took = (now() - started) / 1000;
    if (!allFinite(net)) {  // DivergenceError: this epoch counts no "Précision" nor time; later counts diverged too
      diverged = true;
      for (const epochs of job.epochs.filter((n) => n >= e)) report(epochs, null);
      break;
    }
    seconds += took;
    precisions.push(documentPrecision(nr_correct, digits.length));
    if (job.epochs.includes(e)) report(e, net.accuracy(test.rows, test.digits));
  }
  post({ type: "study-job-done", job: job.id });
}

// In a worker (not under Node, not on a page): answer the study's messages.
if (typeof WorkerGlobalScope !== "undefined" && globalThis instanceof WorkerGlobalScope) {
  let data = null;
  globalThis.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "study-data") data = message.data;
    if (message.type !== "study-job") return;
    try {
      runJob(data, message.job, (out) => globalThis.postMessage(out));
    } catch (err) {
      globalThis.postMessage({ type: "study-failed", job: message.job.id, reason: String(err?.message || err) });
    }
  });
}
