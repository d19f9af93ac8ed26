// The document's network and training in JavaScript: the twin of reseau.faithful (its
// `initial_weights` and `reference_epoch`, the document's loop line by line), in float64.
//
// The network is 784 -> hidden -> 10 with sigmoids, trained one image at a time. The names are
// the document's: w_i_h (hidden, 784), w_h_o (10, hidden), b_i_h (hidden), b_h_o (10), and in the
// loop h_pre, h, o_pre, o, delta_o, delta_h, learn_rate. A matrix is a Float64Array in row-major
// order: w_h_o[i * hidden + j] is the document's w_h_o[i, j]; w_i_h is kept transposed (see
// DocumentNetwork). The document's columns (20, 1) are plain vectors here (20): the same numbers.
//
// The images are the document's `images.astype("float32") / 255` (documentImages): float32
// values, turned into float64 exactly as NumPy does when it multiplies them by float64 weights.
// Like the compiled engine (reseau.faithful's `fast`), the loops skip the pixels that are 0:
// w * 0 adds nothing to a sum and lr * delta * 0 changes no weight, so no result changes, and
// 81 % of MNIST's pixels are 0. As that engine, the training lists each image's lit pixels once
// (`sparseRows`, the twin of reseau.faithful.sparse_rows) and reuses the lists every epoch.
//
// Speed (issue 22: an epoch in the browser within 3x of the compiled kernel). V8 turns none of these
// loops into SIMD, so the two loops over an image's lit pixels, most of an epoch's time, are written
// for its optimiser: BLOCK hidden neurons at a time held in local variables (`hiddenSums`,
// `updateRows`) instead of an array read and written for every pixel. Each h[j] is still summed over
// the lit pixels in pixel order and each weight changed by the same product: the same float64
// operations in the same order, so the same numbers, bit for bit. An epoch of the 60 000 images in
// Node 20: about 0.8 s before these changes, 0.35 s after (reseau's compiled kernel: 0.1 s).
//
// Tested by tests/test_js_faithful.py (tests/js/faithful.test.mjs): the starting weights equal
// Python's bit for bit; after one epoch on 3 000 MNIST images the weights are within 1e-12 of the
// reference engine's and the count of recognised images, the printed "Précision" and the test
// images' answers are Python's.

import { formatNumber } from "../numbers.js";
import { RandomState } from "./random.js";

export const INPUTS = 784;  // 28 x 28 pixels
export const OUTPUTS = 10;  // one per digit
export const LEARN_RATE = 0.01;  // the document's learn_rate
export const CHUNK = 5000;  // images between two progress reports, as reseau.faithful.CHUNK
const LIMIT = Math.log(Number.MAX_VALUE) - 1;  // sigmoid's clip: exp(708.8) still fits a double (reseau.network)
const BLOCK = 10;  // hidden neurons handled together by the loops over the lit pixels (hiddenSums, updateRows)
export const MAX_HIDDEN = 0x3fff;  // the largest hidden layer the engine takes (16 383 neurons; see weightIndex)

/** The document's sigmoid, 1 / (1 + exp(-x)), with x clipped where exp(-x) would overflow (reseau.network.sigmoid). */
export function sigmoid(x) {
  return 1 / (1 + Math.exp(-Math.max(x, -LIMIT)));
}

/** MNIST's bytes (n * 784, 0..255) -> the document's images: `images.astype("float32") / 255`, float32 values. */
export function documentImages(bytes) {
  const images = new Float32Array(bytes.length);
  // A Float32Array stores the float32 nearest to v / 255: NumPy's float32 division gives that same value
  // (a quotient rounded to a double first, then to a float32, rounds as if rounded to float32 at once).
  for (let k = 0; k < bytes.length; k++) images[k] = bytes[k] / 255;
  return images;
}

/**
 * The document's network: its four arrays, and what it answers.
 *
 * As reseau.faithful's compiled engine, it keeps w_i_h transposed, w_i_h_t (784, hidden): a pixel's
 * weights side by side, so the loops over the lit pixels read and write them in one run (an epoch
 * about 1.5 times faster in Node than with the document's layout). w_i_h_t[p * hidden + j] is the
 * document's w_i_h[j, p]; `documentArrays()` gives w_i_h.
 */
export class DocumentNetwork {
  constructor(hidden, w_i_h, w_h_o, b_i_h, b_h_o) {
    if (!Number.isInteger(hidden) || hidden < 1 || hidden > MAX_HIDDEN) {
      throw new RangeError(`hidden must be a whole number from 1 to ${MAX_HIDDEN}, not ${hidden}`);
    }
    this.hidden = hidden;
    this.w_i_h_t = transpose(w_i_h, hidden, INPUTS);  // (784, hidden), from the document's (hidden, 784)
    this.w_h_o = w_h_o;  // (10, hidden)
    this.b_i_h = b_i_h;  // (hidden)
    this.b_h_o = b_h_o;  // (10)
  }

  /** The document's four arrays, copied: { w_i_h (hidden, 784), w_h_o (10, hidden), b_i_h (hidden), b_h_o (10) }. */
  documentArrays() {
    return {
      w_i_h: transpose(this.w_i_h_t, INPUTS, this.hidden),
      w_h_o: this.w_h_o.slice(),
      b_i_h: this.b_i_h.slice(),
      b_h_o: this.b_h_o.slice(),
    };
  }

  /** The network's values for one image `img` (784 numbers): { h (hidden), o (10) }. */
  forward(img) {
    const h = new Float64Array(this.hidden);
    const o = new Float64Array(OUTPUTS);
    forwardPass(this, sparseRows(img), 0, h, o);
    return { h, o };
  }

  /** The recognised digit, np.argmax(o), for each image of `images` (n * 784 numbers, image after image, or
   * their sparseRows: a worker given the lit pixels only, local/study-worker.js). */
  predict(images) {
    const rows = images.indptr ? images : sparseRows(images);
    const answers = new Uint8Array(rows.indptr.length - 1);
    const h = new Float64Array(this.hidden);
    const o = new Float64Array(OUTPUTS);
    for (let k = 0; k < answers.length; k++) {
      forwardPass(this, rows, k, h, o);
      answers[k] = argmax(o);
    }
    return answers;
  }

  /** Percentage of `images` whose answer is their digit in `digits` (reseau.network.Network.accuracy). */
  accuracy(images, digits) {
    const answers = this.predict(images);
    let right = 0;
    for (let k = 0; k < answers.length; k++) if (answers[k] === digits[k]) right++;
    return (right / answers.length) * 100;
  }
}

/**
 * The document's random start, as `np.random.seed(seed)` then its two lines would draw it:
 *     w_i_h = np.random.uniform(-0.5, 0.5, (hidden, 784))   # drawn first
 *     w_h_o = np.random.uniform(-0.5, 0.5, (10, hidden))
 *     b_i_h = np.zeros((hidden, 1)); b_h_o = np.zeros((10, 1))
 * (reseau.faithful.initial_weights: NumPy fills an array row after row, as the Float64Arrays here.)
 */
export function initialWeights(hidden = 20, seed = 0) {
  const random = new RandomState(seed);
  const w_i_h = random.uniform(-0.5, 0.5, hidden * INPUTS);
  const w_h_o = random.uniform(-0.5, 0.5, OUTPUTS * hidden);
  return new DocumentNetwork(hidden, w_i_h, w_h_o, new Float64Array(hidden), new Float64Array(OUTPUTS));
}

/**
 * One pass of the document's loop over `images` (n * 784) with their `digits` (n); updates `net` in place
 * and returns nr_correct. `onProgress(done, n)` is called every CHUNK images (a page shows it).
 *
 * The images' lit pixels are listed at the first epoch and kept for the next ones (as long as `images`
 * lives): `images` must not change between two epochs, as a page's MNIST never does. `images` may also be
 * their sparseRows (then `digits` says how many images to take from them).
 */
export function epoch(images, digits, net, learnRate = LEARN_RATE, onProgress = null) {
  const n = digits.length;
  let nr_correct = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const stop = Math.min(start + CHUNK, n);
    nr_correct += epochPart(images, digits, net, learnRate, start, stop);
    if (onProgress) onProgress(stop, n);
  }
  return nr_correct;
}

/**
 * Images start..stop-1 of an epoch (a worker can run an epoch part by part, and hear a stop button between
 * parts); updates `net` in place and returns their nr_correct. The loop body is the document's, line by line.
 */
export function epochPart(images, digits, net, learnRate, start, stop) {
  const rows = trainingRows(images);
  const { indptr, indices, values } = rows;
  const { hidden, w_i_h_t, w_h_o, b_i_h, b_h_o } = net;
  const h = new Float64Array(hidden);
  const o = new Float64Array(OUTPUTS);
  const delta_h = new Float64Array(hidden);
  let nr_correct = 0;
  for (let k = start; k < stop; k++) {
    const l = digits[k];  // the document's one-hot l has its 1 at this index
    // Forward propagation input -> hidden -> output (h_pre, h, o_pre, o)
    forwardPass(net, rows, k, h, o);
    // (The document's cost e = 1 / len(o) * np.sum((o - l) ** 2, axis=0) is never used: left out.)
    if (argmax(o) === l) nr_correct += 1;  // nr_correct += int(np.argmax(o) == np.argmax(l))
    // Backpropagation output -> hidden (cost function derivative), and the sum w_h_o.T @ delta_o of the
    // next step in the same loop: delta_h[j] collects w_h_o[i, j] * delta_o[i], i = 0..9 in order, each
    // w_h_o[i, j] read just after its update. The document's order: delta_h uses the UPDATED w_h_o (as
    // reseau.faithful keeps it).
    delta_h.fill(0);
    for (let i = 0; i < OUTPUTS; i++) {
      const delta_o = o[i] - (i === l ? 1 : 0);  // delta_o = o - l
      const step = -learnRate * delta_o;
      const row = i * hidden;  // w_h_o[i, :] is w_h_o[row .. row + hidden - 1]
      for (let j = 0; j < hidden; j++) {
        const w = w_h_o[row + j] + step * h[j];  // w_h_o += -learn_rate * delta_o @ h.T
        w_h_o[row + j] = w;
        delta_h[j] += w * delta_o;  // (w_h_o.T @ delta_o)[j], one term
      }
      b_h_o[i] += step;  // b_h_o += -learn_rate * delta_o
    }
    // Backpropagation hidden -> input (activation function derivative)
    for (let j = 0; j < hidden; j++) {
      const step = -learnRate * (delta_h[j] * (h[j] * (1 - h[j])));  // delta_h = w_h_o.T @ delta_o * (h * (1 - h))
      delta_h[j] = step;  // from here on: -learn_rate * delta_h
      b_i_h[j] += step;  // b_i_h += -learn_rate * delta_h
    }
    // w_i_h += -learn_rate * delta_h @ img.T: only the weights of the lit pixels change
    updateRows(w_i_h_t, hidden, indices, values, indptr[k], indptr[k + 1], delta_h);
  }
  return nr_correct;
}

/** The document's printed number, `round((nr_correct / n) * 100, 2)`, rounded as Python rounds (ties to even). */
export function documentPrecision(nrCorrect, n) {
  // formatNumber writes Python's rounding of the double's exact value; "86.18" reads back as Python's 86.18.
  return Number(formatNumber((nrCorrect / n) * 100, 2, { decimal: ".", group: "" }));
}

/**
 * `images` (n * 784) -> their lit pixels, listed once: { indptr (n + 1), indices, values }, the CSR form of
 * reseau.faithful.sparse_rows. Image k's lit pixels are indices[indptr[k] .. indptr[k + 1] - 1], in pixel
 * order, and their values values[...]: the images' float32 values, kept in float32 as Python's (half the
 * memory of float64: 36 MB for MNIST's 60 000 images); each turns into float64 exactly when it is used, as
 * NumPy turns it when it multiplies it by the float64 weights.
 */
export function sparseRows(images) {
  const n = images.length / INPUTS;
  let lit = 0;
  for (let k = 0; k < images.length; k++) if (images[k] !== 0) lit++;
  const indptr = new Int32Array(n + 1);
  const indices = new Uint16Array(lit);  // 0..783; a Uint16Array lets V8 skip a test (see weightIndex)
  const values = new Float32Array(lit);
  let q = 0;
  for (let k = 0; k < n; k++) {
    const offset = k * INPUTS;  // image k is images[offset .. offset + 783]
    for (let p = 0; p < INPUTS; p++) {
      const v = images[offset + p];
      if (v !== 0) {
        indices[q] = p;
        values[q] = v;
        q++;
      }
    }
    indptr[k + 1] = q;
  }
  return { indptr, indices, values };
}

// ---------------------------------------------------------------------------
// The pieces shared by training and answering
// ---------------------------------------------------------------------------

const TRAINING_ROWS = new WeakMap();  // training images -> their sparseRows, forgotten with the images

function trainingRows(images) {
  // sparseRows(images), listed at the first epoch and kept: the next epochs reuse it. `images` may be such
  // rows already (a worker sent the lit pixels only, local/study-worker.js): they are used as they are.
  if (images.indptr) return images;
  let rows = TRAINING_ROWS.get(images);
  if (rows === undefined) {
    rows = sparseRows(images);
    TRAINING_ROWS.set(images, rows);
  }
  return rows;
}

function forwardPass(net, rows, k, h, o) {
  // The document's forward propagation for image k of `rows` (sparseRows), into h and o.
  const { hidden, w_i_h_t, w_h_o, b_i_h, b_h_o } = net;
  hiddenSums(w_i_h_t, hidden, rows.indices, rows.values, rows.indptr[k], rows.indptr[k + 1], h);  // h = w_i_h @ img
  for (let j = 0; j < hidden; j++) h[j] = sigmoid(b_i_h[j] + h[j]);  // h_pre = b_i_h + w_i_h @ img; h = sigmoid(h_pre)
  for (let i = 0; i < OUTPUTS; i++) {
    const row = i * hidden;
    let sum = 0;  // (w_h_o @ h)[i]
    for (let j = 0; j < hidden; j++) sum += w_h_o[row + j] * h[j];
    o[i] = sigmoid(b_h_o[i] + sum);  // o_pre = b_h_o + w_h_o @ h; o = sigmoid(o_pre)
  }
}

function hiddenSums(w_i_h_t, hidden, indices, values, first, last, h) {
  // h = w_i_h @ img, over the lit pixels first..last-1 of `indices` and `values`: each h[j] summed in
  // pixel order. BLOCK neurons at a time, their sums in local variables (registers) while the loop runs over
  // the pixels, then the neurons left one at a time (hidden = 5: five of them).
  const H = hidden & MAX_HIDDEN;  // = hidden (see weightIndex)
  let j = 0;
  for (; j + BLOCK <= H; j += BLOCK) {
    const column = j & MAX_HIDDEN;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0;
    for (let q = first; q < last; q++) {
      const v = values[q];
      const r = indices[q] * H + column;  // weightIndex: w_i_h_t[r + b] is w_i_h[j + b, pixel]
      s0 += w_i_h_t[r] * v;
      s1 += w_i_h_t[r + 1] * v;
      s2 += w_i_h_t[r + 2] * v;
      s3 += w_i_h_t[r + 3] * v;
      s4 += w_i_h_t[r + 4] * v;
      s5 += w_i_h_t[r + 5] * v;
      s6 += w_i_h_t[r + 6] * v;
      s7 += w_i_h_t[r + 7] * v;
      s8 += w_i_h_t[r + 8] * v;
      s9 += w_i_h_t[r + 9] * v;
    }
    h[j] = s0; h[j + 1] = s1; h[j + 2] = s2; h[j + 3] = s3; h[j + 4] = s4;
    h[j + 5] = s5; h[j + 6] = s6; h[j + 7] = s7; h[j + 8] = s8; h[j + 9] = s9;
  }
  for (; j < H; j++) {
    const column = j & MAX_HIDDEN;
    let sum = 0;
    for (let q = first; q < last; q++) sum += w_i_h_t[indices[q] * H + column] * values[q];
    h[j] = sum;
  }
}

function updateRows(w_i_h_t, hidden, indices, values, first, last, delta_h) {
  // w_i_h += -learn_rate * delta_h @ img.T over the lit pixels first..last-1 (delta_h holds -learn_rate *
  // delta_h): w_i_h[j, p] += delta_h[j] * img[p]. BLOCK neurons at a time, their delta_h in local variables,
  // then the neurons left one at a time.
  const H = hidden & MAX_HIDDEN;  // = hidden (see weightIndex)
  let j = 0;
  for (; j + BLOCK <= H; j += BLOCK) {
    const column = j & MAX_HIDDEN;
    const d0 = delta_h[j], d1 = delta_h[j + 1], d2 = delta_h[j + 2], d3 = delta_h[j + 3], d4 = delta_h[j + 4];
    const d5 = delta_h[j + 5], d6 = delta_h[j + 6], d7 = delta_h[j + 7], d8 = delta_h[j + 8], d9 = delta_h[j + 9];
    for (let q = first; q < last; q++) {
      const v = values[q];
      const r = indices[q] * H + column;  // weightIndex: w_i_h_t[r + b] is w_i_h[j + b, pixel]
      w_i_h_t[r] += d0 * v;
      w_i_h_t[r + 1] += d1 * v;
      w_i_h_t[r + 2] += d2 * v;
      w_i_h_t[r + 3] += d3 * v;
      w_i_h_t[r + 4] += d4 * v;
      w_i_h_t[r + 5] += d5 * v;
      w_i_h_t[r + 6] += d6 * v;
      w_i_h_t[r + 7] += d7 * v;
      w_i_h_t[r + 8] += d8 * v;
      w_i_h_t[r + 9] += d9 * v;
    }
  }
  for (; j < H; j++) {
    const column = j & MAX_HIDDEN;
    const d = delta_h[j];
    for (let q = first; q < last; q++) w_i_h_t[indices[q] * H + column] += d * values[q];
  }
}

// weightIndex, in hiddenSums and updateRows: w_i_h_t[indices[q] * H + column] is the weight from the pixel
// indices[q] to neuron `column`. The masks `& MAX_HIDDEN` change no number (hidden <= MAX_HIDDEN) but tell
// V8 that a pixel (a Uint16Array's, < 65 536) times H plus `column` plus 9 stays below 2 ** 31: it then
// leaves out an overflow test on every weight's index, about 8 % of an epoch's time.

function argmax(values) {
  // np.argmax: the index of the largest value, the first one if several are equal.
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function transpose(matrix, rows, columns) {
  // (rows, columns) -> (columns, rows), row-major both.
  const turned = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) turned[c * rows + r] = matrix[r * columns + c];
  return turned;
}
