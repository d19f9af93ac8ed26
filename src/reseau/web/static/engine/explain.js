// One learning step of the document's algorithm with every number kept, in JavaScript: the twin of
// reseau.explain (src/reseau/explain.py), what the « Pas à pas » tab shows. Read it next to the Python:
// - step(img, digit, weights): the document's loop body on one image, every quantity kept in a Step
//   (img, l, h_pre, h, o_pre, o, e, delta_o, the changes, delta_h and delta_h_textbook, o_after);
// - steps(images, digits, weights): several images one after the other;
// - cost, sampleCost, sampleAccuracy: the cross-entropy cost (its derivative with respect to o_pre is the
//   document's delta_o = o - l) on one image or on a sample, and the sample's accuracy;
// - derivative(step), costAlong(step, layer, row, col, values): the cost along the weight that moved most.
//
// Float64 throughout, the document's names, the same operations in the same order as the Python. NumPy's
// matrix products (w_i_h @ img) add their terms in an order of the BLAS library's choosing; here they are
// added in index order, so a sum may differ from Python's in its last bit (about 1e-16), never more.
//
// Arrays are Float64Arrays in row-major order, as NumPy's: w_i_h (hidden, 784), w_h_o (10, hidden),
// b_i_h (hidden), b_h_o (10); the document's columns (20, 1) are plain vectors (20): the same numbers.
// An image is 784 numbers (the document's float32 pixels in [0, 1], engine/faithful.js documentImages).
//
// Tested by tests/test_js_explain.py (+ tests/js/explain.test.mjs): the « Pas à pas » requests answered
// by local/step.js with this file give reseau.web.routes.step's JSON, numbers within 1e-12.

import { pairwiseSum } from "./drawing.js";
import { INPUTS, LEARN_RATE, OUTPUTS, initialWeights, sigmoid, sparseRows } from "./faithful.js";

export const LAYERS = ["w_h_o", "w_i_h"];  // the two weight matrices, in the order the document updates them
export const SPAN = 1.0;  // the derivative's curve covers the weight's value +- SPAN
export const POINTS = 201;  // points on that curve

// ---------------------------------------------------------------------------
// The weights
// ---------------------------------------------------------------------------

/** The document's four arrays: w_i_h (H, 784), w_h_o (10, H), b_i_h (H), b_h_o (10) (reseau.explain.Weights). */
export class Weights {
  constructor(w_i_h, w_h_o, b_i_h, b_h_o) {
    const hidden = b_i_h.length;
    if (w_i_h.length !== hidden * INPUTS || w_h_o.length !== OUTPUTS * hidden || b_h_o.length !== OUTPUTS) {
      throw new RangeError(`the document's arrays must have the shapes (H, 784), (10, H), (H), (10)`);
    }
    Object.assign(this, { w_i_h, w_h_o, b_i_h, b_h_o });
    Object.freeze(this);
  }

  /** The document's random start, as np.random.seed(seed) then its two uniform lines draw it. */
  static documentStart(seed = 0, hidden = 20) {
    const { w_i_h, w_h_o, b_i_h, b_h_o } = initialWeights(hidden, seed).documentArrays();
    return new Weights(w_i_h, w_h_o, b_i_h, b_h_o);
  }

  /** Neurons in the hidden layer (the document's 20). */
  get hidden() {
    return this.b_i_h.length;
  }

  /** The document's forward lines for one image `img` (784): { h_pre, h, o_pre, o }. */
  forward(img) {
    const H = this.hidden;
    const h_pre = new Float64Array(H);
    for (let j = 0; j < H; j++) h_pre[j] = this.b_i_h[j] + dot(this.w_i_h, j * INPUTS, img, INPUTS);  // b_i_h + w_i_h @ img
    const h = h_pre.map(sigmoid);  // 1 / (1 + np.exp(-h_pre))
    const o_pre = new Float64Array(OUTPUTS);
    for (let i = 0; i < OUTPUTS; i++) o_pre[i] = this.b_h_o[i] + dot(this.w_h_o, i * H, h, H);  // b_h_o + w_h_o @ h
    const o = o_pre.map(sigmoid);  // 1 / (1 + np.exp(-o_pre))
    return { h_pre, h, o_pre, o };
  }
}

function dot(matrix, offset, vector, n) {
  // (matrix row starting at `offset`) @ vector, its n terms added in index order.
  let sum = 0;
  for (let k = 0; k < n; k++) sum += matrix[offset + k] * vector[k];
  return sum;
}

function transposeTimes(matrix, rows, columns, vector) {
  // matrix.T @ vector for a (rows, columns) matrix: each of the `columns` sums adds its `rows` terms in order.
  const out = new Float64Array(columns);
  for (let c = 0; c < columns; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += matrix[r * columns + c] * vector[r];
    out[c] = sum;
  }
  return out;
}

function argmax(values) {
  // np.argmax: the first index of the largest value.
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** A digit 5 -> the document's one-hot l (10): np.eye(10)[5]. */
export function oneHot(digit) {
  if (!Number.isInteger(digit) || digit < 0 || digit >= OUTPUTS) throw new RangeError(`a digit is between 0 and 9, got ${digit}`);
  const l = new Float64Array(OUTPUTS);
  l[digit] = 1;
  return l;
}

// ---------------------------------------------------------------------------
// One step, every number kept
// ---------------------------------------------------------------------------

/** Every number of one step of the document's training on one image (reseau.explain.Step). */
export class Step {
  constructor(fields) {
    Object.assign(this, fields);  // learn_rate, before, after, img, l, h_pre, h, o_pre, o, e, delta_o, ...
    Object.freeze(this);
  }

  get digit() { return argmax(this.l); }  // the right answer
  get answer() { return argmax(this.o); }  // what the network answered before the step
  get answerAfter() { return argmax(this.o_after); }  // ... and after it, for the same image
  get rightBefore() { return this.o[this.digit]; }  // the right digit's output before the step
  get rightAfter() { return this.o_after[this.digit]; }  // ... and after it
  get delta_h_difference() { return this.delta_h.map((d, j) => d - this.delta_h_textbook[j]); }  // what the order changes
  get cost() { return cost(this.o_pre, this.l); }  // the image's cross-entropy cost before the step
  get costAfter() { return cost(this.after.forward(this.img).o_pre, this.l); }  // ... and after it

  /** The `count` weights (of both matrices) that moved the most, largest first: [{ layer, row, col, before, change }]. */
  largestChanges(count = 8) {
    const found = [];
    for (const layer of LAYERS) {
      const change = this[`change_${layer}`];
      const columns = layer === "w_h_o" ? this.before.hidden : INPUTS;
      for (const k of largestIndices(change, count)) {
        const [row, col] = [Math.floor(k / columns), k % columns];
        found.push({ layer, row, col, before: this.before[layer][k], change: change[k] });
      }
    }
    found.sort((a, b) => Math.abs(b.change) - Math.abs(a.change));  // a stable sort, as Python's sorted()
    return found.slice(0, count);
  }

  /** Every quantity as JSON-ready lists, keys and order as Step.to_dict (matrices as lists of rows). */
  toDict() {
    const H = this.before.hidden;
    const listed = {};
    for (const name of ARRAYS) listed[name] = Array.from(this[name]);
    listed.change_w_h_o = rows(this.change_w_h_o, H);
    listed.change_w_i_h = rows(this.change_w_i_h, INPUTS);
    listed.delta_h_difference = Array.from(this.delta_h_difference);
    return {
      learn_rate: this.learn_rate, hidden: H, digit: this.digit, answer: this.answer, answer_after: this.answerAfter,
      right_before: this.rightBefore, right_after: this.rightAfter, cost: this.cost, cost_after: this.costAfter,
      ...listed,
    };
  }
}

// Step's arrays in the document's order (Step.to_dict's keys after the plain numbers)
const ARRAYS = ["img", "l", "h_pre", "h", "o_pre", "o", "e", "delta_o", "change_w_h_o", "change_b_h_o", "delta_h",
                "delta_h_textbook", "change_w_i_h", "change_b_i_h", "h_after", "o_after"];

function rows(matrix, columns) {
  // A row-major matrix -> its rows, as NumPy's tolist().
  const found = [];
  for (let start = 0; start < matrix.length; start += columns) found.push(Array.from(matrix.subarray(start, start + columns)));
  return found;
}

function largestIndices(values, count) {
  // np.argsort(-np.abs(values), kind="stable")[:count]: the largest |value| first, equal ones in index order.
  const kept = [];  // indices, largest |value| first
  for (let k = 0; k < values.length; k++) {
    const size = Math.abs(values[k]);
    if (kept.length === count && size <= Math.abs(values[kept[count - 1]])) continue;  // an equal one came first
    let at = kept.length;
    while (at > 0 && Math.abs(values[kept[at - 1]]) < size) at--;
    kept.splice(at, 0, k);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

/**
 * One step of the document's training on `img` (784 pixels) of the digit `digit`; `weights` is left as it
 * is and the step's end is step.after. The lines are the document's (reseau.explain.step), in its order.
 */
export function step(img, digit, weights, learn_rate = LEARN_RATE) {
  const H = weights.hidden;
  const { w_i_h, w_h_o, b_i_h, b_h_o } = weights;
  const l = oneHot(digit);  // (10)
  // Forward propagation input -> hidden, hidden -> output
  const { h_pre, h, o_pre, o } = weights.forward(img);  // (H), (H), (10), (10)
  // Cost / Error calculation (the document computes e and never uses it)
  const e = [(1 / o.length) * pairwiseSum(o.map((v, i) => (v - l[i]) ** 2))];  // 1 / len(o) * np.sum((o - l) ** 2, axis=0)
  // Backpropagation output -> hidden (cost function derivative)
  const delta_o = o.map((v, i) => v - l[i]);  // o - l
  const change_w_h_o = new Float64Array(OUTPUTS * H);  // (10, H) -learn_rate * delta_o @ h.T
  for (let i = 0; i < OUTPUTS; i++) for (let j = 0; j < H; j++) change_w_h_o[i * H + j] = (-learn_rate * delta_o[i]) * h[j];
  const change_b_h_o = delta_o.map((d) => -learn_rate * d);  // (10)
  const new_w_h_o = w_h_o.map((w, k) => w + change_w_h_o[k]);  // the document's w_h_o += ...: updated BEFORE delta_h
  // Backpropagation hidden -> input (activation function derivative), with the updated w_h_o
  const slope = h.map((v) => v * (1 - v));  // h * (1 - h)
  const delta_h = transposeTimes(new_w_h_o, OUTPUTS, H, delta_o).map((s, j) => s * slope[j]);  // w_h_o.T @ delta_o * (h * (1 - h))
  const delta_h_textbook = transposeTimes(w_h_o, OUTPUTS, H, delta_o).map((s, j) => s * slope[j]);  // the old w_h_o
  const change_w_i_h = new Float64Array(H * INPUTS);  // (H, 784) -learn_rate * delta_h @ img.T
  for (let j = 0; j < H; j++) {
    const d = -learn_rate * delta_h[j];
    for (let p = 0; p < INPUTS; p++) change_w_i_h[j * INPUTS + p] = d * img[p];
  }
  const change_b_i_h = delta_h.map((d) => -learn_rate * d);  // (H)
  const after = new Weights(w_i_h.map((w, k) => w + change_w_i_h[k]), new_w_h_o,
                            b_i_h.map((b, j) => b + change_b_i_h[j]), b_h_o.map((b, i) => b + change_b_h_o[i]));
  const { h: h_after, o: o_after } = after.forward(img);  // the same image, seen by the network after the step
  return new Step({ learn_rate, before: weights, after, img: Float64Array.from(img), l, h_pre, h, o_pre, o, e, delta_o,
                    change_w_h_o, change_b_h_o, delta_h, delta_h_textbook, change_w_i_h, change_b_i_h, h_after, o_after });
}

/** One step per image of `images` (n * 784) with their `digits` (n), each starting where the last ended. */
export function steps(images, digits, weights, learn_rate = LEARN_RATE) {
  const found = [];
  for (let k = 0; k < digits.length; k++) {
    found.push(step(images.subarray(k * INPUTS, (k + 1) * INPUTS), digits[k], weights, learn_rate));
    weights = found[k].after;
  }
  return found;
}

// ---------------------------------------------------------------------------
// The cost, on one image and on a sample
// ---------------------------------------------------------------------------

/** np.logaddexp(a, b) = ln(exp(a) + exp(b)), as NumPy computes it (never overflowing). */
export function logaddexp(a, b) {
  if (a === b) return a + Math.LN2;
  const tmp = a - b;
  if (tmp > 0) return a + Math.log1p(Math.exp(-tmp));
  if (tmp <= 0) return b + Math.log1p(Math.exp(tmp));
  return tmp;  // NaN
}

function costOf(z, l) {
  // One output's share of the cost: l * ln(1 + exp(-z)) + (1 - l) * ln(1 + exp(z)) (reseau.explain._costs).
  return l * logaddexp(0.0, -z) + (1 - l) * logaddexp(0.0, z);
}

/** The cross-entropy -sum(l * ln(o) + (1 - l) * ln(1 - o)) of outputs o = sigmoid(o_pre) (reseau.explain.cost). */
export function cost(o_pre, l) {
  return pairwiseSum(o_pre.map((z, i) => costOf(z, l[i])));
}

const SAMPLE_ROWS = new WeakMap();  // a sample's images -> their lit pixels (sparseRows), listed once

function samplePreOutputs(weights, images) {
  // o_pre (n * 10) of every image of `images` (n * 784), as Network.layer_outputs' rows: h = sigmoid(x @ w_i_h.T +
  // b_i_h), o_pre = h @ w_h_o.T + b_h_o. Only the lit pixels are added (a 0 adds nothing to a sum).
  let lit = SAMPLE_ROWS.get(images);
  if (!lit) SAMPLE_ROWS.set(images, (lit = sparseRows(images)));
  const { indptr, indices, values } = lit;
  const H = weights.hidden, n = indptr.length - 1;
  const h = new Float64Array(H);
  const o_pre = new Float64Array(n * OUTPUTS);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < H; j++) {
      let sum = 0;
      for (let q = indptr[k]; q < indptr[k + 1]; q++) sum += weights.w_i_h[j * INPUTS + indices[q]] * values[q];
      h[j] = sigmoid(sum + weights.b_i_h[j]);
    }
    for (let i = 0; i < OUTPUTS; i++) o_pre[k * OUTPUTS + i] = dot(weights.w_h_o, i * H, h, H) + weights.b_h_o[i];
  }
  return o_pre;
}

/** The mean of cost over the images (n * 784) with their `digits` (n) (reseau.explain.sample_cost). */
export function sampleCost(weights, images, digits) {
  const o_pre = samplePreOutputs(weights, images);
  const costs = o_pre.map((z, k) => costOf(z, digits[Math.floor(k / OUTPUTS)] === k % OUTPUTS ? 1 : 0));
  return pairwiseSum(costs) / digits.length;
}

/** Percentage of the images whose answer, argmax(o), is their digit (reseau.network.Network.accuracy). */
export function sampleAccuracy(weights, images, digits) {
  const o = samplePreOutputs(weights, images).map(sigmoid);
  let right = 0;
  for (let k = 0; k < digits.length; k++) if (argmax(o.subarray(k * OUTPUTS, (k + 1) * OUTPUTS)) === digits[k]) right++;
  return (right / digits.length) * 100;
}

// ---------------------------------------------------------------------------
// What the derivative along one weight says
// ---------------------------------------------------------------------------

/** np.linspace(start, stop, num): i * step + start, the last one exactly `stop`. */
export function linspace(start, stop, num) {
  const step = (stop - start) / (num - 1);
  const values = new Float64Array(num);
  for (let i = 0; i < num; i++) values[i] = i * step + start;
  values[num - 1] = stop;
  return values;
}

/**
 * The image's cost when weight layer[row, col] alone takes each of `values` (m) -> (m) (reseau.explain.cost_along).
 * Moving w_h_o[row, col] by s moves o_pre[row] by s * h[col]; moving w_i_h[row, col] moves h_pre[row] by
 * s * img[col], and o follows.
 */
export function costAlong(step, layer, row, col, values) {
  const { before } = step;
  const H = before.hidden;
  const columns = layer === "w_h_o" ? H : INPUTS;
  const costs = new Float64Array(values.length);
  values.forEach((value, m) => {
    const shift = value - before[layer][row * columns + col];
    let o_pre = step.o_pre.slice();
    if (layer === "w_h_o") {
      o_pre[row] += shift * step.h[col];
    } else {
      const h_pre = step.h_pre.slice();
      h_pre[row] += shift * step.img[col];
      const h = h_pre.map(sigmoid);
      o_pre = before.b_h_o.map((b, i) => b + dot(before.w_h_o, i * H, h, H));  // b_h_o + w_h_o @ sigmoid(h_pre)
    }
    let sum = 0;  // the ten outputs' costs, added one after the other (NumPy's sum(axis=0) of a (10, m) array)
    for (let i = 0; i < OUTPUTS; i++) sum += costOf(o_pre[i], step.l[i]);
    costs[m] = sum;
  });
  return costs;
}

/**
 * What the step's gradient says about one weight, by default the one that moved the most (reseau.explain.derivative):
 * { layer, row, col, learn_rate, value, cost, gradient, textbook_gradient, change, cost_moved, xs, costs }.
 */
export function derivative(step, layer = null, row = null, col = null, span = SPAN, points = POINTS) {
  if (layer === null || row === null || col === null) ({ layer, row, col } = step.largestChanges(1)[0]);
  if (!LAYERS.includes(layer)) throw new RangeError(`layer must be one of ${LAYERS}, got ${layer}`);
  let gradient, textbook_gradient;
  if (layer === "w_h_o") {
    gradient = textbook_gradient = step.delta_o[row] * step.h[col];
  } else {
    const pixel = step.img[col];
    gradient = step.delta_h[row] * pixel;
    textbook_gradient = step.delta_h_textbook[row] * pixel;
  }
  const k = row * (layer === "w_h_o" ? step.before.hidden : INPUTS) + col;
  const value = step.before[layer][k];
  const change = step[`change_${layer}`][k];
  const xs = linspace(value - span, value + span, points);
  const cost_moved = costAlong(step, layer, row, col, [value + change])[0];
  const costs = costAlong(step, layer, row, col, xs);
  return { layer, row, col, learn_rate: step.learn_rate, value, cost: step.cost, gradient, textbook_gradient, change,
           cost_moved, xs, costs };
}

/** A derivative as Derivative.to_dict: its numbers, its name "w_h_o[5, 1]", xs and costs as lists. */
export function derivativeDict(d) {
  const { xs, costs, ...plain } = d;
  return { ...plain, name: `${d.layer}[${d.row}, ${d.col}]`, xs: Array.from(xs), costs: Array.from(costs) };
}
