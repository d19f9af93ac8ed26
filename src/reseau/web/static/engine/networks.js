// The trained networks' forward passes, in the browser: the JavaScript twin of
// reseau.network.Network.forward / layer_outputs (layers of neurons: the document's 784-20-10
// sigmoid network and the modern MLPs) and of reseau.convnet.ConvNetwork.forward / layer_outputs /
// feature_maps (the layers of reseau.training.convlayers: conv, pool, batchnorm, relu, flatten,
// dense, dropout, then a softmax).
//
// A network is built from what a model file holds (reseau.modelfile.to_bytes):
//   layout  — its `layout()`: a list of activations ["sigmoid", "sigmoid"] for layers of neurons,
//             or the convolutional network's architecture, a list of dicts
//             [{type: "conv", name: "conv0", c_in: 1, c_out: 32, k: 5}, {type: "pool", ...}, ...];
//   tensors — its `parameters()`: name -> { shape: [...], data: numbers in row-major (C) order },
//             e.g. "weights.0" -> (20, 784), or "conv0.w" -> (k*k*c_in, c_out).
//
// Everything is computed in float64 (the Python computes the document's network in float64 too, the
// modern MLPs and the CNN in float32: their answers differ from these by float32's rounding only).
// Tested by tests/test_js_networks.py + tests/js/networks.test.mjs: on MNIST test images, the outputs
// (and the hidden values, the feature maps) of networks Python builds during the test agree with
// Python's to 1e-12 (float64) and 1e-5 (float32).

const SIDE = 28;  // MNIST images are 28 x 28, one channel of grey (reseau.training.cnn_config.SIDE)
export const BN_EPSILON = 1e-5;  // reseau.training.convlayers.BN_EPSILON
// reseau.network.sigmoid clips its input just above where exp(-x) overflows (float64: 708.78).
const SIGMOID_LIMIT = Math.log(Number.MAX_VALUE) - 1;

/** A network from a model file's layout and parameters: { kind, sizes, activations, forward, layerOutputs }. */
export function fromParameters(layout, tensors) {
  if (!Array.isArray(layout) || layout.length === 0) {
    throw new Error(`a network's layout is a non-empty list, got ${JSON.stringify(layout)}`);
  }
  const dense = layout.every((item) => typeof item === "string");  // activations, or layers as dicts
  return dense ? denseNetwork(layout, tensors) : convNetwork(layout, tensors);
}

// ---------------------------------------------------------------------------
// Activations (reseau.network.ACTIVATIONS): a layer's values z (m) -> (m)
// ---------------------------------------------------------------------------

export function sigmoid(x) {
  // 1 / (1 + exp(-x)) as the document writes it; exp never overflows (see SIGMOID_LIMIT).
  return 1 / (1 + Math.exp(-Math.max(x, -SIGMOID_LIMIT)));
}

export function softmax(z) {
  // exp(z - max z) / sum: shifted by the largest value so exp never overflows.
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));  // (m,)
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

export const ACTIVATIONS = {
  sigmoid: (z) => z.map(sigmoid),
  tanh: (z) => z.map(Math.tanh),
  relu: (z) => z.map((v) => Math.max(v, 0)),
  softmax,
  identity: (z) => z,
};

// ---------------------------------------------------------------------------
// Layers of neurons (reseau.network.Network): weights (n_out, n_in), biases (n_out,)
// ---------------------------------------------------------------------------

/** The network of `activations` (one per layer) with tensors "weights.k" (n_out, n_in) and "biases.k" (n_out,). */
export function denseNetwork(activations, tensors) {
  const layers = activations.map((name, k) => {
    if (!(name in ACTIVATIONS)) {
      throw new Error(`unknown activation ${JSON.stringify(name)}; choose one of ${Object.keys(ACTIVATIONS)}`);
    }
    const shape = tensors[`weights.${k}`]?.shape ?? [];
    if (shape.length !== 2) throw new Error(`parameter weights.${k}: expected a matrix (n_out, n_in), got (${shape})`);
    const [nOut, nIn] = shape;
    const W = values(tensors, `weights.${k}`, [nOut, nIn]);  // (n_out, n_in), the document's orientation
    const b = values(tensors, `biases.${k}`, [nOut]);  // (n_out,)
    return { W, b, nIn, nOut, name };
  });
  layers.forEach((layer, k) => {
    if (k > 0 && layer.nIn !== layers[k - 1].nOut) {
      throw new Error(`layer ${k} takes ${layer.nIn} inputs, the previous gives ${layers[k - 1].nOut}`);
    }
  });

  function valuesOf(x) {
    // Every layer's values for one image x (n_in): [h, ..., o].
    if (x.length !== layers[0].nIn) throw new Error(`an image has ${layers[0].nIn} values, got ${x.length}`);
    const outputs = [];
    let a = x;
    for (const { W, b, nIn, nOut, name } of layers) {
      const z = new Float64Array(nOut);  // (n_out,) = W (n_out, n_in) @ a (n_in,) + b (n_out,)
      for (let j = 0; j < nOut; j++) {
        let sum = 0;
        for (let i = 0; i < nIn; i++) sum += W[j * nIn + i] * a[i];
        z[j] = sum + b[j];
      }
      a = ACTIVATIONS[name](z);
      outputs.push(a);
    }
    return outputs;
  }

  return {
    kind: "dense",
    sizes: [layers[0].nIn, ...layers.map((layer) => layer.nOut)],  // [784, 20, 10] for the document
    activations: [...activations],
    forward: (rows) => perImage(rows, (x) => valuesOf(x).at(-1)),
    layerOutputs: (rows) => perLayer(rows, valuesOf),
  };
}

// ---------------------------------------------------------------------------
// The convolutional network (reseau.convnet.ConvNetwork, reseau.training.convlayers)
// ---------------------------------------------------------------------------
// One image at a time. A stack of feature maps is { shape: [h, w, c], data } in NHWC order (a pixel's
// channels side by side): value (i, j, ch) is data[(i * w + j) * c + ch]. A row of values is { shape: [n], data }.

function convLayer({ name, c_in, c_out, k }, tensors) {
  // c_out filters of k x k x c_in weights slid over the image ("valid": no padding).
  // W (k*k*c_in, c_out): its row q = (di * k + dj) * c_in + ch is the weight of the patch's value
  // at row di, column dj, channel ch (im2col's order: row, then column, then channel).
  const size = k * k * c_in;  // values under the kernel
  const W = values(tensors, `${name}.w`, [size, c_out]);
  const b = values(tensors, `${name}.b`, [c_out]);
  const filters = transpose(W, size, c_out);  // (c_out, k*k*c_in): each filter's weights side by side
  return ({ shape: [h, w, c], data: x }) => {
    if (c !== c_in) throw new Error(`${name} takes ${c_in} channels, got ${c}`);
    const oh = h - k + 1, ow = w - k + 1;
    const y = new Float64Array(oh * ow * c_out);  // (oh, ow, c_out)
    const patch = new Float64Array(size), where = new Int32Array(size);  // one im2col row, its zeros left out
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        // The patch under the kernel at (i, j), in W's row order; a 0 adds nothing to a sum, so only the
        // others are kept (most pixels are 0, and about half the values after a ReLU).
        let n = 0, q = 0;
        for (let di = 0; di < k; di++) {
          for (let dj = 0; dj < k; dj++) {
            for (let ch = 0; ch < c; ch++, q++) {
              const value = x[((i + di) * w + (j + dj)) * c + ch];
              if (value !== 0) (patch[n] = value), (where[n++] = q);
            }
          }
        }
        const out = (i * ow + j) * c_out;  // y[i, j, :] = patch (k*k*c_in,) @ W (k*k*c_in, c_out) + b (c_out,)
        for (let co = 0; co < c_out; co++) {
          const filter = co * size;
          let sum = 0;
          for (let m = 0; m < n; m++) sum += patch[m] * filters[filter + where[m]];
          y[out + co] = sum + b[co];
        }
      }
    }
    return { shape: [oh, ow, c_out], data: y };
  };
}

function poolLayer() {
  // The largest value of each 2x2 square: (h, w, c) -> (h/2, w/2, c), an odd last row or column dropped.
  return ({ shape: [h, w, c], data: x }) => {
    const h2 = Math.floor(h / 2), w2 = Math.floor(w / 2);
    const y = new Float64Array(h2 * w2 * c);
    for (let i = 0; i < h2; i++) {
      for (let j = 0; j < w2; j++) {
        for (let ch = 0; ch < c; ch++) {
          let best = x[(2 * i * w + 2 * j) * c + ch];
          for (let q = 1; q < 4; q++) {  // 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right
            const v = x[((2 * i + (q >> 1)) * w + 2 * j + (q & 1)) * c + ch];
            if (v > best) best = v;
          }
          y[(i * w2 + j) * c + ch] = best;
        }
      }
    }
    return { shape: [h2, w2, c], data: y };
  };
}

function batchNormLayer({ name, c }, tensors) {
  // Inference: each channel standardised with the running mean and variance saved in training,
  // then scaled by gamma and shifted by beta: (x - mean) / sqrt(var + eps) * gamma + beta.
  const [gamma, beta, mean, variance] = ["gamma", "beta", "mean", "var"]
    .map((part) => values(tensors, `${name}.${part}`, [c]));  // each (c,)
  const invStd = variance.map((v) => 1 / Math.sqrt(v + BN_EPSILON));  // (c,)
  return ({ shape, data: x }) => {
    const y = new Float64Array(x.length);
    for (let at = 0; at < x.length; at++) {
      const ch = at % c;  // the channel is the last axis
      y[at] = (x[at] - mean[ch]) * invStd[ch] * gamma[ch] + beta[ch];
    }
    return { shape, data: y };
  };
}

function reluLayer() {
  return ({ shape, data }) => ({ shape, data: data.map((v) => Math.max(v, 0)) });
}

function flattenLayer() {
  // (h, w, c) -> (h*w*c,): the NHWC values are already in that order.
  return ({ data }) => ({ shape: [data.length], data });
}

function denseLayer({ name, n_in, n_out }, tensors) {
  // y = x @ W + b, with W (n_in, n_out) (the convolutional network's orientation, not the document's).
  const W = values(tensors, `${name}.w`, [n_in, n_out]);
  const b = values(tensors, `${name}.b`, [n_out]);
  return ({ data: x }) => {
    if (x.length !== n_in) throw new Error(`${name} takes ${n_in} values, got ${x.length}`);
    const y = new Float64Array(n_out);  // (n_out,) = x (n_in,) @ W (n_in, n_out) + b (n_out,)
    for (let i = 0; i < n_in; i++) {
      const value = x[i], row = i * n_out;
      if (value === 0) continue;  // adds 0 (after a ReLU, about half the values): skipped
      for (let o = 0; o < n_out; o++) y[o] += value * W[row + o];
    }
    for (let o = 0; o < n_out; o++) y[o] += b[o];
    return { shape: [n_out], data: y };
  };
}

function dropoutLayer() {
  return (a) => a;  // a trained network keeps every value (dropout only acts while training)
}

// A layout item's "type" -> the function that builds that layer from the item and the tensors.
export const CONV_LAYERS = {
  conv: convLayer,
  pool: poolLayer,
  batchnorm: batchNormLayer,
  relu: reluLayer,
  flatten: flattenLayer,
  dense: denseLayer,
  dropout: dropoutLayer,
};

/** The convolutional network of `architecture` (reseau.training.cnn.architecture's list) and its tensors. */
export function convNetwork(architecture, tensors) {
  const layers = architecture.map((item) => {
    if (!(item.type in CONV_LAYERS)) {
      throw new Error(`unknown layer type ${JSON.stringify(item.type)}; choose one of ${Object.keys(CONV_LAYERS)}`);
    }
    return CONV_LAYERS[item.type](item, tensors);
  });

  function run(x, keep) {
    // The layers on one image x (784,); keep(item, a) is told each layer's output. Returns the logits (10,).
    if (x.length !== SIDE * SIDE) throw new Error(`an image has ${SIDE * SIDE} values, got ${x.length}`);
    let a = { shape: [SIDE, SIDE, 1], data: Float64Array.from(x) };  // (28, 28, 1)
    layers.forEach((layer, k) => {
      a = layer(a);
      keep(architecture[k], a);
    });
    return a.data;
  }

  function valuesOf(x) {
    // As ConvNetwork.layer_outputs: the values after each dense hidden layer's ReLU, then the output o.
    const outputs = [];
    const logits = run(x, (item, a) => {
      if (item.type === "relu" && a.shape.length === 1) outputs.push(a.data);  // a row of values, not maps
    });
    return [...outputs, softmax(logits)];
  }

  function featureMaps(image, block = 0) {
    // What convolution block `block` sees in one image (784,): { shape: [h, w, filters], data } after its ReLU.
    let maps = null;
    run(image, (item, a) => {
      if (item.name === `relu${block}`) maps = a;
    });
    if (maps === null) throw new Error(`no convolution block ${block}`);
    return maps;
  }

  return {
    kind: "conv",
    sizes: [SIDE * SIDE, ...architecture.filter((item) => item.type === "dense").map((item) => item.n_out)],
    activations: architecture.map((item) => item.type),
    forward: (rows) => perImage(rows, (x) => softmax(run(x, () => {}))),
    layerOutputs: (rows) => perLayer(rows, valuesOf),
    featureMaps,
  };
}

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

function values(tensors, name, shape) {
  // The numbers of parameter `name` as a Float64Array, after checking its shape is `shape`.
  const tensor = tensors[name];
  const got = tensor ? tensor.shape : null;
  const size = shape.reduce((n, d) => n * d, 1);
  if (!got || got.length !== shape.length || got.some((d, i) => d !== shape[i]) || tensor.data.length !== size) {
    throw new Error(`parameter ${name}: expected shape (${shape}), got ${got ? `(${got})` : "none"}`);
  }
  return Float64Array.from(tensor.data);
}

function transpose(M, rows, columns) {
  // M (rows, columns) -> its transpose (columns, rows), both row-major.
  const T = new Float64Array(M.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) T[c * rows + r] = M[r * columns + c];
  return T;
}

function single(rows) {
  // One image (numbers) rather than a list of images (as Python's x.ndim == 1).
  return ArrayBuffer.isView(rows) || typeof rows[0] === "number";
}

function perImage(rows, fn) {
  // fn on each image of rows (n, 784) -> a list of n results; one image (784,) -> its result.
  return single(rows) ? fn(rows) : Array.from(rows, fn);
}

function perLayer(rows, fn) {
  // fn gives a list of layers for one image: rows (n, 784) -> one list of n rows per layer, as Python's
  // layer_outputs ([h (n, 20), o (n, 10)]); one image (784,) -> [h (20,), o (10,)].
  if (single(rows)) return fn(rows);
  const each = Array.from(rows, fn);  // (n, layers)
  return (each[0] ?? []).map((_, k) => each.map((layers) => layers[k]));
}
