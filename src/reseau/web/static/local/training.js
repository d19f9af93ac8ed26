// The document's training as a Web Worker runs it: the twin of reseau.faithful.train (its loop over the
// epochs, the test pass after each one, the check that the weights stay finite), told as messages.
//
// Pure: no DOM, no worker globals. local/worker.js calls it with the worker's postMessage; the tests
// (tests/test_js_train.py + tests/js/train.test.mjs) call it in Node and compare with Python: the weights
// after one epoch on MNIST's first 3 000 images (1e-12 of reseau.faithful's reference engine) and the
// messages' numbers, from which the page writes `reseau train`'s lines (local/train.js).
//
// Each epoch runs as engine/faithful.js epochPart calls of CHUNK images (5 000, as reseau.faithful): after
// each part a "progress" message, then `pause()` lets the worker read its messages (a stop button's), and
// `stopped()` says whether to stop there. The messages, in the order they come:
//   { type: "progress", epoch, done, total }                     after each part (epoch: epochs finished)
//   { type: "epoch", epoch, nr_correct, n_images, precision, test_accuracy, seconds, tested }   after each epoch
//   { type: "done", arrays: { w_i_h, w_h_o, b_i_h, b_h_o }, seconds }   the trained network, the run's time
//   { type: "stopped", epochs_done }                             a stop was asked: the network is dropped
//   { type: "failed", key, params }                              the weights stopped being finite numbers

import { CHUNK, documentPrecision, epochPart, initialWeights } from "../engine/faithful.js";

const clock = () => (typeof performance !== "undefined" ? performance.now() : Date.now()) / 1000;  // seconds

/**
 * The training `config` ({ epochs, hidden, learn_rate, seed }) on `train` and `test` ({ images: the
 * document's float32 images (documentImages), digits }). Posts its messages with `post(message)`;
 * `pause()` (a Promise) runs between two parts, `stopped()` says whether to stop. Returns the last message.
 */
export async function trainDocument(config, train, test, { post, pause = async () => {}, stopped = () => false }) {
  const { epochs, hidden, learn_rate, seed } = config;
  const net = initialWeights(hidden, seed);  // np.random.seed(seed); the document's two uniform(-0.5, 0.5)
  const n = train.digits.length;
  const started = clock();
  for (let e = 0; e < epochs; e++) {
    const epochStarted = clock();
    let nr_correct = 0;
    for (let start = 0; start < n; start += CHUNK) {
      const stop = Math.min(start + CHUNK, n);
      nr_correct += epochPart(train.images, train.digits, net, learn_rate, start, stop);
      post({ type: "progress", epoch: e, done: stop, total: n });
      await pause();
      if (stopped()) return finish(post, { type: "stopped", epochs_done: e });
    }
    const seconds = clock() - epochStarted;
    if (!allFinite(net)) return finish(post, { type: "failed", key: "train.diverged", params: { epoch: e, lr: learn_rate } });
    const testStarted = clock();
    const test_accuracy = test ? net.accuracy(test.images, test.digits) : null;
    const tested = clock() - testStarted;
    const precision = documentPrecision(nr_correct, n);  // round((nr_correct / n) * 100, 2)
    post({ type: "epoch", epoch: e, nr_correct, n_images: n, precision, test_accuracy, seconds, tested });
  }
  return finish(post, { type: "done", arrays: net.documentArrays(), seconds: clock() - started });
}

function finish(post, message) {
  post(message);
  return message;
}

/** True when every weight and bias is a finite number (reseau.network.Network.all_finite). */
export function allFinite(net) {
  for (const array of [net.w_i_h_t, net.w_h_o, net.b_i_h, net.b_h_o]) {
    for (let k = 0; k < array.length; k++) if (!Number.isFinite(array[k])) return false;
  }
  return true;
}
