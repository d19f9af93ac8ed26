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
// 81 % of MNIST's pixels are 0.
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
 * about 1.5 times faster in Node than with the document's layout). w_i_h_t[p * hidden + j] is the document's w_i_h[j, p]; `documentArrays()` gives w_i_h.
 */
export class DocumentNetwork {
  constructor(hidden, w_i_h, w_h_o, b_i_h, b_h_o) {
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
    const lit = new Uint16Array(INPUTS);
    const h = new Float64Array(this.hidden);
    const o = new Float64Array(OUTPUTS);
    forwardPass(this, img, 0, lit, litPixels(img, 0, lit), h, o);
    return { h, o };
  }

  /** The recognised digit, np.argmax(o), for each image of `images` (n * 784 numbers, image after image). */
  predict(images) {
    const answers = new Uint8Array(images.length / INPUTS);
    const lit = new Uint16Array(INPUTS);
    const h = new Float64Array(this.hidden);
    const o = new Float64Array(OUTPUTS);
    for (let k = 0; k < answers.length; k++) {
      const offset = k * INPUTS;  // image k is images[offset .. offset + 783]
      forwardPass(this, images, offset, lit, litPixels(images, offset, lit), h, o);
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
  const { hidden, w_i_h_t, w_h_o, b_i_h, b_h_o } = net;
  const lit = new Uint16Array(INPUTS);  // the indices of the image's pixels that are not 0
  const h = new Float64Array(hidden);
  const o = new Float64Array(OUTPUTS);
  const delta_o = new Float64Array(OUTPUTS);
  const delta_h = new Float64Array(hidden);
  let nr_correct = 0;
  for (let k = start; k < stop; k++) {
    const offset = k * INPUTS;  // image k is images[offset .. offset + 783]
    const count = litPixels(images, offset, lit);
    const l = digits[k];  // the document's one-hot l has its 1 at this index
    // Forward propagation input -> hidden -> output (h_pre, h, o_pre, o)
    forwardPass(net, images, offset, lit, count, h, o);
    // (The document's cost e = 1 / len(o) * np.sum((o - l) ** 2, axis=0) is never used: left out.)
    if (argmax(o) === l) nr_correct += 1;  // nr_correct += int(np.argmax(o) == np.argmax(l))
    // Backpropagation output -> hidden (cost function derivative)
    for (let i = 0; i < OUTPUTS; i++) {
      delta_o[i] = o[i] - (i === l ? 1 : 0);  // delta_o = o - l
      const step = -learnRate * delta_o[i];
      for (let j = 0; j < hidden; j++) w_h_o[i * hidden + j] += step * h[j];  // w_h_o += -learn_rate * delta_o @ h.T
      b_h_o[i] += step;  // b_h_o += -learn_rate * delta_o
    }
    // Backpropagation hidden -> input (activation function derivative). The document's order: w_h_o was
    // updated just above, and delta_h uses the UPDATED w_h_o (as reseau.faithful keeps it).
    for (let j = 0; j < hidden; j++) {
      let sum = 0;  // (w_h_o.T @ delta_o)[j]
      for (let i = 0; i < OUTPUTS; i++) sum += w_h_o[i * hidden + j] * delta_o[i];
      delta_h[j] = sum * (h[j] * (1 - h[j]));  // delta_h = w_h_o.T @ delta_o * (h * (1 - h))
      delta_h[j] *= -learnRate;  // from here on: -learn_rate * delta_h
      b_i_h[j] += delta_h[j];  // b_i_h += -learn_rate * delta_h
    }
    // w_i_h += -learn_rate * delta_h @ img.T: only the weights of the lit pixels change
    for (let q = 0; q < count; q++) {
      const p = lit[q];
      const v = images[offset + p];
      const row = p * hidden;  // pixel p's weights: w_i_h_t[row .. row + hidden - 1]
      for (let j = 0; j < hidden; j++) w_i_h_t[row + j] += delta_h[j] * v;
    }
  }
  return nr_correct;
}

/** The document's printed number, `round((nr_correct / n) * 100, 2)`, rounded as Python rounds (ties to even). */
export function documentPrecision(nrCorrect, n) {
  // formatNumber writes Python's rounding of the double's exact value; "86.18" reads back as Python's 86.18.
  return Number(formatNumber((nrCorrect / n) * 100, 2, { decimal: ".", group: "" }));
}

// ---------------------------------------------------------------------------
// The pieces shared by training and answering
// ---------------------------------------------------------------------------

function litPixels(images, offset, lit) {
  // Writes into `lit` the indices, in pixel order, of the pixels that are not 0 of the image at `offset`;
  // returns how many there are.
  let count = 0;
  for (let p = 0; p < INPUTS; p++) if (images[offset + p] !== 0) lit[count++] = p;
  return count;
}

function forwardPass(net, images, offset, lit, count, h, o) {
  // The document's forward propagation for the image at `offset` (its `count` lit pixels), into h and o.
  const { hidden, w_i_h_t, w_h_o, b_i_h, b_h_o } = net;
  h.fill(0);  // h = w_i_h @ img first, summed over the lit pixels in pixel order
  for (let q = 0; q < count; q++) {
    const p = lit[q];
    const v = images[offset + p];
    const row = p * hidden;  // pixel p's weights: w_i_h_t[row .. row + hidden - 1]
    for (let j = 0; j < hidden; j++) h[j] += w_i_h_t[row + j] * v;
  }
  for (let j = 0; j < hidden; j++) h[j] = sigmoid(b_i_h[j] + h[j]);  // h_pre = b_i_h + w_i_h @ img; h = sigmoid(h_pre)
  for (let i = 0; i < OUTPUTS; i++) {
    const row = i * hidden;
    let sum = 0;  // (w_h_o @ h)[i]
    for (let j = 0; j < hidden; j++) sum += w_h_o[row + j] * h[j];
    o[i] = sigmoid(b_h_o[i] + sum);  // o_pre = b_h_o + w_h_o @ h; o = sigmoid(o_pre)
  }
}

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
