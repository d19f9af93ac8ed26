// A drawing -> the 28x28 image MNIST would have made of it: the JavaScript twin of
// reseau.drawing.to_mnist (src/reseau/drawing.py) and of every helper it calls (fit, ink_box,
// area_weights, resize_area, centre_of_mass, centre_by_mass, stroke_thickness, with_mnist_stroke,
// pen, thicken and thin). Read it next to the Python: same names (in
// camelCase), same steps, same constants.
//
// Tested by tests/test_js_drawing.py (+ tests/js/drawing.test.mjs): 200 drawings made in Python
// during the test (strokes thin and thick, tiny and huge, off-centre, a dot, an empty pad, a full
// pad, noise, real MNIST digits enlarged) give Python's 784 values within 1e-6, and null where
// Python gives None.
//
// An image is { height, width, data }: data a Float64Array of height * width values, row by row
// (NumPy's float64 array of shape (height, width)). Where the order of the floating-point
// operations matters, it is NumPy's own:
// - np.linspace(0, n, k + 1) is i * (n / k), its last value n exactly;
// - a sum along a row, or of a whole array, is NumPy's pairwise sum (pairwiseSum below);
// - a sum down the columns adds the rows one after the other (columnSums below);
// - a matrix product (reseau.drawing.product) adds its products in index order;
// - Python's round() rounds a tie to the even integer (roundHalfEven below), Math.round does not.
// So the images are the same to the last bit, even where a pixel's place hangs on a tie (a drawing
// whose centre of mass falls on half a pixel).

export const SIDE = 28;  // MNIST images are 28x28
export const BOX = 20;  // the digit is scaled to fit a BOX x BOX square
export const CENTRE = 14.0;  // mean centre of mass of MNIST's training digits, (row, col) = (14.0, 14.0)
export const INK = 0.02;  // grey level above which a pixel counts as ink when cropping
export const STROKE = 2.36;  // median stroke thickness of MNIST's training digits, in pixels
export const SEARCH_STEPS = 12;  // bisection steps on the pen
export const PEN_RANGE = [-1.0, 2.0];  // from one whole 3x3 erosion to two whole 3x3 dilations

/**
 * A network's own preprocessing (reseau.drawing.Preprocessing.from_dict): what its model file's record says
 * (`info.preprocessing`), or what the page always did (reseau.drawing.DEFAULT) for a file without it.
 * -> the options of toMnist: { normaliseStroke, stroke, pen }.
 */
export function preprocessingOf(info) {
  const data = info?.preprocessing;
  if (!data || Object.keys(data).length === 0) return { normaliseStroke: true, stroke: STROKE, pen: [...PEN_RANGE] };
  const pen = data.pen ?? PEN_RANGE;
  return { normaliseStroke: Boolean(data.normalise_stroke ?? true), stroke: Number(data.stroke ?? STROKE),
    pen: [Number(pen[0]), Number(pen[1])] };
}

/**
 * `pixels` (height * width grey levels in [0, 1], ink 1, row by row: what the page sends to
 * /api/predict) -> the 784 values the network gets (a Float64Array holding float32 values, as
 * to_mnist's float32 array), or null if nothing is drawn.
 * `normaliseStroke` false: only cropped, scaled and centred (to_mnist(grey, normalise_stroke=False));
 * `stroke` and `pen`: the thickness aimed at and the pen's range (a network's own: preprocessingOf(info)).
 */
export function toMnist(pixels, height, width = height, { normaliseStroke = true, stroke = STROKE, pen = PEN_RANGE } = {}) {
  if (pixels.length !== height * width) throw new RangeError(`${pixels.length} pixels for ${height} x ${width}`);
  const grey = makeImage(height, width, Float64Array.from(pixels));
  const x = normaliseStroke ? withMnistStroke(grey, stroke, pen) : fit(grey);
  return x === null ? null : x.data.map(Math.fround);  // .astype(np.float32)
}

/** `grey (h, w)` cropped to its ink, scaled into the 20x20 box and centred by mass in 28x28; null if no ink. */
export function fit(grey) {
  const box = inkBox(grey);
  if (box === null) return null;
  const [top, bottom, left, right] = box;
  const crop = cropImage(grey, top, bottom, left, right);  // (h, w)
  const h = crop.height, w = crop.width;
  const scale = BOX / Math.max(h, w);
  let small = resizeArea(crop, Math.max(1, roundHalfEven(h * scale)), Math.max(1, roundHalfEven(w * scale)));
  const peak = maxOf(small.data);
  if (peak <= 0) return null;
  small = makeImage(small.height, small.width, small.data.map((v) => v / peak));  // full-black stroke centres
  return centreByMass(small);
}

/**
 * Mean stroke width in pixels of `image (h, w)` (ink 1): twice the ink over the edge, the edge being
 * the total variation sum |grad x| (forward differences, zero outside the image).
 */
export function strokeThickness(image) {
  const { height: h, width: w } = image;
  const padded = padImage(image);  // (h+2, w+2)
  const at = (r, c) => padded.data[r * (w + 2) + c];
  const lengths = new Float64Array((h + 1) * (w + 1));  // sqrt(down**2 + right**2), (h+1, w+1)
  for (let r = 0; r <= h; r++) {
    for (let c = 0; c <= w; c++) {
      const down = at(r + 1, c) - at(r, c);
      const right = at(r, c + 1) - at(r, c);
      lengths[r * (w + 1) + c] = Math.sqrt(down * down + right * right);
    }
  }
  const edge = pairwiseSum(lengths);
  const ink = pairwiseSum(image.data);
  return (2 * ink) / (edge > 0 ? edge : 1.0);
}

/**
 * `grey (h, w)` made like MNIST (fit), then its pen made thicker or thinner (within `penRange`), by
 * bisection on the amount of 3x3 dilation or erosion, until its stroke thickness is `stroke` (MNIST's: STROKE).
 */
export function withMnistStroke(grey, stroke = STROKE, penRange = PEN_RANGE) {
  const x = fit(grey);
  if (x === null) return null;
  let [low, high] = penRange;
  let best = x;
  for (let step = 0; step < SEARCH_STEPS; step++) {
    const amount = (low + high) / 2;
    const y = fit(pen(x, amount));
    if (y === null) {  // thinned away: a smaller change
      low = amount;
      continue;
    }
    best = y;
    if (strokeThickness(y) < stroke) low = amount;
    else high = amount;
  }
  return best;
}

/** `x (28, 28)` drawn `amount` 3x3 steps thicker (> 0, grey dilation) or thinner (< 0, erosion). */
export function pen(x, amount) {
  const change = amount > 0 ? thicken : thin;
  let left = Math.abs(amount);
  let row = x.data;
  while (left > 0) {
    const step = Math.min(left, 1.0);
    const changed = change(makeImage(SIDE, SIDE, row)).data;
    row = row.map((v, i) => v + step * (changed[i] - v));  // row + step * (change(row) - row)
    left -= step;
  }
  return makeImage(SIDE, SIDE, row);
}

/** Grey dilation by a 3x3 square (max filter), zero outside the image (reseau.drawing.thicken). */
export function thicken(image) {
  return filter3(image, Math.max);
}

/** Grey erosion by a 3x3 square (min filter), zero outside the image (reseau.drawing.thin). */
export function thin(image) {
  return filter3(image, Math.min);
}

/** `pick` (Math.max or Math.min) over each pixel's 3x3 neighbourhood, zero outside (distort._filter3). */
function filter3(image, pick) {
  const { height: h, width: w } = image;
  const padded = padImage(image);  // (h+2, w+2)
  const at = (r, c) => padded.data[r * (w + 2) + c];
  const out = new Float64Array(h * w);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      // over 3 rows, then over 3 columns (max and min are exact: the order does not matter)
      const column = (cc) => pick(pick(at(r, cc), at(r + 1, cc)), at(r + 2, cc));
      out[r * w + c] = pick(pick(column(c), column(c + 1)), column(c + 2));
    }
  }
  return makeImage(h, w, out);
}

/** `[top, bottom, left, right]` bounds (end excluded) of the pixels above INK; null if none. */
export function inkBox(grey) {
  const { height: h, width: w, data } = grey;
  let top = h, bottom = -1, left = w, right = -1;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if (data[r * w + c] > INK) {
        top = Math.min(top, r);
        bottom = Math.max(bottom, r);
        left = Math.min(left, c);
        right = Math.max(right, c);
      }
    }
  }
  return bottom < 0 ? null : [top, bottom + 1, left, right + 1];
}

/**
 * `(nOut, nIn)` matrix (an image) averaging input pixels by how much of each an output pixel covers:
 * output pixel i covers input coordinates [i, i+1) * nIn / nOut; each row, normalised, sums to 1.
 */
export function areaWeights(nIn, nOut) {
  const edges = linspace(0.0, nIn, nOut + 1);  // (nOut + 1,) output pixel edges, in input units
  const overlap = new Float64Array(nOut * nIn);  // (nOut, nIn)
  for (let i = 0; i < nOut; i++) {
    for (let j = 0; j < nIn; j++) {
      const lo = Math.max(edges[i], j);
      const hi = Math.min(edges[i + 1], j + 1);
      overlap[i * nIn + j] = Math.max(hi - lo, 0.0);  // np.clip(hi - lo, 0.0, None)
    }
  }
  for (let i = 0; i < nOut; i++) {
    const row = overlap.subarray(i * nIn, (i + 1) * nIn);
    const total = pairwiseSum(row);  // overlap.sum(axis=1, keepdims=True)
    for (let j = 0; j < nIn; j++) row[j] = row[j] / total;
  }
  return makeImage(nOut, nIn, overlap);
}

/** `image (h, w)` -> `(height, width)` by area averaging along both axes: (height, h) @ (h, w) @ (w, width). */
export function resizeArea(image, height, width) {
  const rows = areaWeights(image.height, height);  // (height, h)
  const cols = areaWeights(image.width, width);  // (width, w)
  return matmul(matmul(rows, image), transpose(cols));  // product(product(rows, image), cols.T)
}

/** `[row, col]` of the grey-level-weighted mean pixel position of `image (h, w)`. */
export function centreOfMass(image) {
  const { height: h, width: w, data } = image;
  const total = pairwiseSum(data);  // image.sum()
  const rowSums = new Float64Array(h);  // image.sum(axis=1), (h,)
  for (let r = 0; r < h; r++) rowSums[r] = pairwiseSum(data.subarray(r * w, (r + 1) * w));
  const row = dot(rowSums, arange(h)) / total;  // (image.sum(axis=1) * np.arange(h)).sum() / total
  const col = dot(columnSums(image), arange(w)) / total;  // (image.sum(axis=0) * np.arange(w)).sum() / total
  return [row, col];
}

/**
 * Place `small (h, w)` (h, w <= 28) in a 28x28 field with its centre of mass at CENTRE; the shift is
 * a whole number of pixels, kept so the digit stays inside the field.
 */
export function centreByMass(small) {
  const { height: h, width: w } = small;
  const [row, col] = centreOfMass(small);
  const top = clip(roundHalfEven(CENTRE - row), 0, SIDE - h);
  const left = clip(roundHalfEven(CENTRE - col), 0, SIDE - w);
  const field = new Float64Array(SIDE * SIDE);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) field[(top + r) * SIDE + left + c] = small.data[r * w + c];
  }
  return makeImage(SIDE, SIDE, field);
}

// ---------------------------------------------------------------------------
// NumPy's pieces, in the order NumPy does them
// ---------------------------------------------------------------------------

/**
 * The sum of `values` as NumPy adds a contiguous run of float64 (its pairwise summation):
 * under 8 values, one after the other; up to 128, eight running sums (values 0, 8, 16... in the
 * first, 1, 9, 17... in the second...) added pairwise, then the values left over; more, the sums of
 * the two halves (the first half a multiple of 8 long).
 */
export function pairwiseSum(values, start = 0, n = values.length - start) {
  if (n < 8) {
    let total = 0.0;
    for (let i = start; i < start + n; i++) total += values[i];
    return total;
  }
  if (n <= 128) {
    const r = Array.from(values.subarray(start, start + 8));
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    }
    let total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) total += values[start + i];
    return total;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

/**
 * image.sum(axis=0): NumPy runs its inner loop along the rows, so each column's sum adds the rows
 * one after the other. (A one-column image it sums pairwise, but that sum is then multiplied by
 * its position, 0: the order does not matter there.)
 */
function columnSums(image) {
  const { height: h, width: w, data } = image;
  const sums = new Float64Array(w);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) sums[c] += data[r * w + c];
  }
  return sums;
}

/** Python's round(x) for a float: the nearest integer, a tie to the even one (round(2.5) = 2). */
export function roundHalfEven(x) {
  const nearest = Math.round(x);  // a tie goes up here
  return nearest - x === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}

/** np.linspace(start, stop, num): i * step + start, the last one exactly `stop`. */
function linspace(start, stop, num) {
  const step = (stop - start) / (num - 1);
  const values = new Float64Array(num);
  for (let i = 0; i < num; i++) values[i] = i * step + start;
  values[num - 1] = stop;
  return values;
}

/** np.arange(n) as float64: 0, 1, ..., n - 1. */
function arange(n) {
  return Float64Array.from({ length: n }, (_, i) => i);
}

/** `(a * b).sum()` for `a (n,)`, `b (n,)`: the products, added as NumPy adds them (pairwiseSum). */
function dot(a, b) {
  return pairwiseSum(a.map((v, i) => v * b[i]));
}

/** `a (m, k) @ b (k, n)` -> `(m, n)`, each value's products added in index order (drawing.product). */
function matmul(a, b) {
  const m = a.height, k = a.width, n = b.width;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let total = 0.0;
      for (let l = 0; l < k; l++) total += a.data[i * k + l] * b.data[l * n + j];
      out[i * n + j] = total;
    }
  }
  return makeImage(m, n, out);
}

function transpose(image) {
  const { height: h, width: w, data } = image;
  const out = new Float64Array(h * w);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) out[c * h + r] = data[r * w + c];
  }
  return makeImage(w, h, out);
}

/** np.pad(image, 1): one row or column of zeros on every side, (h+2, w+2). */
function padImage(image) {
  const { height: h, width: w, data } = image;
  const out = new Float64Array((h + 2) * (w + 2));
  for (let r = 0; r < h; r++) out.set(data.subarray(r * w, (r + 1) * w), (r + 1) * (w + 2) + 1);
  return makeImage(h + 2, w + 2, out);
}

/** image[top:bottom, left:right] (a copy). */
function cropImage(image, top, bottom, left, right) {
  const w = right - left;
  const out = new Float64Array((bottom - top) * w);
  for (let r = top; r < bottom; r++) {
    out.set(image.data.subarray(r * image.width + left, r * image.width + right), (r - top) * w);
  }
  return makeImage(bottom - top, w, out);
}

function maxOf(values) {
  let most = -Infinity;
  for (const v of values) most = Math.max(most, v);
  return most;
}

function clip(value, low, high) {
  return Math.min(Math.max(value, low), high);  // np.clip: minimum(maximum(value, low), high)
}

function makeImage(height, width, data) {
  return { height, width, data };
}
