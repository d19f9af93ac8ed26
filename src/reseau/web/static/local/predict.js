// The drawing's answer and the browsing loop, computed in the browser: the JavaScript twin of
// reseau.web.routes.model's predict (POST /api/predict) and dataset_item (GET /api/dataset/{split}/{index}),
// with answer(), no_answer(), feature_maps() and classes() beside them, and the checks of the request that
// reseau.web.schemas.PredictRequest and Context.model make. Read it next to routes/model.py: same steps,
// same JSON, the same sentences for a bad request (their keys from reseau's message table).
//
// POST /api/predict is answered here on both backends (a server's page no longer waits for the server's
// interpreter lock while a class trains); GET /api/dataset/ only on the site's (a server keeps its own
// route, whose images it already holds). The networks come from the model files (local/files.js readModel,
// engine/networks.js fromParameters), read once each and read again when GET /api/models says a file changed.
//
// Tested by tests/test_js_predict.py + tests/js/predict.test.mjs: ~20 drawings on the document's network, a
// modern MLP and a CNN Python makes during the test give Python's JSON (1e-12 / 1e-5), bad requests its
// sentences; and in Chromium, drawing on `reseau web`'s page sends no POST /api/predict to the server.

import { RequestError, register } from "./backend.js";
import { mnistSplit, readModel } from "./files.js";
import { trainedFile } from "./site.js";
import { SIDE, preprocessingOf, roundHalfEven, toMnist } from "../engine/drawing.js";
import { fromParameters } from "../engine/networks.js";

const MINUS = "\u2212";  // reseau.i18n writes a negative whole number with the true minus sign
const MAX_SIDE = 280;  // reseau.web.schemas.MAX_SIDE: the largest drawing accepted, in pixels per side
const SUFFIX = ".safetensors";  // reseau.web.state.SUFFIX
const MAX_NAME = 128;  // reseau.web.state.MAX_NAME
const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
// reseau.data.DATASETS[...].class_names (tests/test_js_predict.py checks they are Python's).
export const CLASS_NAMES = {
  "mnist": DIGITS,
  "fashion-mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
    "Ankle boot"],
};

// ---------------------------------------------------------------------------
// The routes
// ---------------------------------------------------------------------------

/**
 * POST /api/predict: a drawing -> its 28x28 input (the network's own preprocessing) -> the answer of the model in
 * use, or of the model file named.
 */
export async function predict(ctx, { body }) {
  const req = checkedRequest(body, ctx.state);
  const saved = await model(ctx, req.model);  // a bad name is refused before any work
  const chosen = { model: req.model ?? null, classes: classes(saved.info.dataset) };
  const grey = req.grey();  // (height * width) grey levels, ink 1
  if (!req.preprocess) {
    if (req.height !== SIDE || req.width !== SIDE) {
      throw refused("web.error.raw_size", { width: req.width, height: req.height });
    }
    return { ...answer(saved, grey, 8), ...featureMaps(saved, grey, ctx.state), ...chosen, empty: !grey.some((v) => v),
      stroke_normalised: false };
  }
  // (784,) float32 values, or null: made as this network was trained to read (reseau.drawing.preprocess_for)
  const preprocessing = preprocessingOf(saved.info);
  chosen.stroke_normalised = preprocessing.normaliseStroke;  // the page's caption says it
  const x = toMnist(grey, req.height, req.width, preprocessing);
  if (x === null) return { ...noAnswer(new Float64Array(SIDE * SIDE)), maps: null, ...chosen, empty: true };
  return { ...answer(saved, x, 4), ...featureMaps(saved, x, ctx.state), ...chosen, empty: false };
}

/** GET /api/dataset/{split}/{index}: image `index` of a split, its label, and the model's answer (the document's loop). */
export async function datasetItem(ctx, { match }) {
  const [split, index] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
  if (split !== "train" && split !== "test") {
    const or = ctx.state.messages?.["web.or"] ?? " or ";  // Literal["train", "test"]'s error, in the page's language
    throw refused("web.error.choice", { field: "split", value: pyRepr(split), expected: `'train'${or}'test'` });
  }
  if (!/^\s*[-+]?\d+\s*$/.test(index)) throw refused("web.error.integer", { field: "index", value: pyRepr(index) });
  const i = Number(index);
  const inUse = inUseName(ctx.state);
  const saved = inUse === null ? null : await model(ctx, null).catch(() => null);  // none yet: the image alone
  const dataset = saved ? saved.info.dataset : "mnist";
  const { count, images, labels } = await ctx.backend.remember(`mnist:${split}:${dataset}`,
    () => mnistSplit(ctx.source, split, dataset));
  if (!(i >= 0 && i < count)) throw refused("web.error.index", { index: i < 0 ? MINUS + -i : i, last: count - 1 });
  // The document's `images.astype("float32") / 255` (reseau.data): the float32 nearest each grey level / 255.
  const x = Float64Array.from(images.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE), (v) => Math.fround(v / 255));
  const label = labels[i];
  const item = { split, index: i, count, label, label_name: classes(dataset)[label] };
  if (saved === null) return { ...item, ...noAnswer(x.map((v) => round(v, 4, true))) };
  return { ...item, ...answer(saved, x, 4) };
}

// On a server's page whose model list could not be read (state.models null), the server answers (null: ask it).
const predictHere = (ctx, request) => (ctx.backend.kind === "server" && !ctx.state.models ? null : predict(ctx, request));
register({ method: "POST", path: /^\/api\/predict$/, where: ["server", "site"], handler: predictHere });
register({ method: "GET", path: /^\/api\/dataset\/([^/]+)\/([^/]+)$/, where: ["site"], handler: datasetItem });

// ---------------------------------------------------------------------------
// What a network makes of an image (answer, no_answer, feature_maps, classes)
// ---------------------------------------------------------------------------

/** An answer with no network's: only the input `x` (a schemas.Answer). */
export function noAnswer(x) {
  return { digit: null, name: null, outputs: [], hidden: [], input: Array.from(x) };
}

/**
 * What `saved` makes of `x (784,)`: digit, outputs, hidden values, input (a schemas.Answer). `inputBits`: 4
 * when x holds float32 values (to_mnist's image, a dataset's), which NumPy rounds in float32; 8 for float64.
 */
export function answer(saved, x, inputBits) {
  const layers = saved.network.layerOutputs(x);  // [h (hidden,), ..., o (10,)]
  const o = layers.at(-1);  // (10,)
  const hidden = layers.length > 1 ? layers[0] : [];  // (hidden,)
  const digit = argmax(o);
  return {
    digit,
    name: classes(saved.info.dataset)[digit],
    outputs: Array.from(o, (v) => round(v, 6)),
    hidden: Array.from(hidden, (v) => round(v, 6)),
    input: Array.from(x, (v) => round(v, 4, inputBits === 4)),
  };
}

/** A convolutional network's first feature maps for `x (784,)` ({maps: ...}); none for layers of neurons. */
export function featureMaps(saved, x, state) {
  const views = state?.options?.kinds?.[saved.info.mode]?.views ?? (saved.network.kind === "conv" ? ["maps"] : []);
  if (!views.includes("maps")) return { maps: null };
  const { shape: [h, w, n], data } = saved.network.featureMaps(x, 0);  // (h, w, filters), after pooling and ReLU
  const values = [];  // (filters, h * w): one map per row
  for (let f = 0; f < n; f++) values.push(Array.from({ length: h * w }, (_, p) => round(data[p * n + f], 4)));
  return { maps: { block: 0, height: h, width: w, values } };
}

/** The names of the dataset's ten classes ("0" to "9" for MNIST). */
export function classes(dataset) {
  return [...(CLASS_NAMES[dataset] ?? DIGITS)];
}

function argmax(values) {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;  // the first of equals, as NumPy
  return best;
}

/** NumPy's round(x, digits): rint(x * 10**digits) / 10**digits, in float32 arithmetic for a float32 array. */
export function round(x, digits, float32 = false) {
  const scale = 10 ** digits;
  if (!float32) return roundHalfEven(x * scale) / scale;
  return Math.fround(roundHalfEven(Math.fround(x * scale)) / scale);
}

// ---------------------------------------------------------------------------
// The model files (Context.model, ModelShelf.load): read once, read again when the list says it changed
// ---------------------------------------------------------------------------

function inUseName(state) {
  // The model in use's file name (GET /api/models in_use), or null while none is ready.
  const list = state.models;
  if (!list) return null;
  const entry = list.models.find((m) => m.name === list.in_use);
  return entry && entry.usable && state.model?.ready !== false ? list.in_use : null;
}

/** The model file `name` ({info, layout, tensors, network}), or the model in use (null or its own file name). */
export async function model(ctx, name) {
  const { state } = ctx;
  if (name === null || name === state.models?.in_use) {
    const inUse = inUseName(state);
    if (inUse === null) throw refused(state.model?.training ? "web.error.training_first" : "web.error.no_model");
    name = inUse;
  }
  checkName(name);
  const entry = state.models?.models.find((m) => m.name === name);
  if (!entry) throw refused("web.error.model_missing", { field: "model", name, folder: state.models?.folder ?? "" });
  if (!entry.usable) throw refused("web.error.model_unusable", { field: "model", name, reason: entry.error ?? "" });
  // Keyed by the file's modification time: a file a training replaced is read again, the old one forgotten.
  const key = `model:${name}@${entry.modified}`;
  if (!ctx.backend.cache.has(key)) ctx.backend.forget(`model:${name}@`);
  return ctx.backend.remember(key, async () => {
    const bytes = trainedFile(name) ?? await ctx.source.bytes(name);  // the site: a network this page trained
    const saved = readModel(bytes, name);
    return { ...saved, network: fromParameters(saved.layout, saved.tensors) };
  });
}

function checkName(name) {
  // ModelShelf.check_name: a plain model file name of the folder, never a path.
  const plain = name.length > 0 && name.length <= MAX_NAME && name.endsWith(SUFFIX) && !name.startsWith(".") &&
    !/[/\\:]/.test(name) && !/[\p{Cc}\p{Cf}\p{Z}]/u.test(name.replace(/ /g, ""));
  if (!plain) throw refused("web.error.model_name", { field: "model", name: name.slice(0, MAX_NAME), suffix: SUFFIX });
}

// ---------------------------------------------------------------------------
// The request (reseau.web.schemas.PredictRequest): its first mistake, as the server words it
// ---------------------------------------------------------------------------

/** A refused request: `key` a message of reseau's table (web.error.*), `params` its values (page.js tr()). */
function refused(key, params = {}) {
  return new RequestError(key, params);
}

const FIELDS = {  // PredictRequest's fields in their order: a check of a present value -> an error, or null
  width: (v, limits) => whole(v, 1, limits.maxSide),
  height: (v, limits) => whole(v, 1, limits.maxSide),
  pixels: (v, limits) => greyLevels(v, limits.maxSide * limits.maxSide),
  preprocess: (v) => (typeof v === "boolean" ? null : { key: "web.error.boolean", value: v }),
  model: (v) => (typeof v === "string" ? null : { key: "web.error.text", value: v }),
};
const REQUIRED = ["width", "height", "pixels"];

function whole(v, low, high) {
  if (typeof v !== "number" || !Number.isInteger(v)) return { key: "web.error.integer", value: v };
  if (v < low) return { key: "web.error.min", value: v, limit: low };
  if (v > high) return { key: "web.error.max", value: v, limit: high };
  return null;
}

function greyLevels(v, most) {
  if (!Array.isArray(v)) return { key: "web.error.list", value: v };
  if (v.length > most) return { key: "web.error.too_long", value: v, limit: most };
  for (let i = 0; i < v.length; i++) {
    const p = v[i], at = `[${i}]`;
    if (typeof p !== "number") return { key: "web.error.number", value: p, at };
    if (!Number.isFinite(p)) return { key: "web.error.finite", value: p, at };
    if (p < 0) return { key: "web.error.min", value: p, limit: 0.0, at, float: true };
    if (p > 1) return { key: "web.error.max", value: p, limit: 1.0, at, float: true };
  }
  return null;
}

/** The body as PredictRequest reads it ({width, height, pixels, preprocess, model, grey()}), or its first mistake. */
export function checkedRequest(body, state = {}) {
  const limits = { maxSide: state.options?.max_side ?? MAX_SIDE };
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw refused("web.error.object", { field: "body", value: pyRepr(body) });
  }
  for (const name of ["preprocess", "model"]) {  // Strict: null is not a way to ask for the default
    if (name in body && body[name] === null) throw refused("web.error.null", { field: name });
  }
  for (const [name, check] of Object.entries(FIELDS)) {
    if (!(name in body) || body[name] === undefined) {
      if (REQUIRED.includes(name)) throw refused("web.error.missing", { field: name });
      continue;
    }
    const wrong = check(body[name], limits);
    if (wrong) throw refused(wrong.key, described(name + (wrong.at ?? ""), wrong, state));
  }
  const unknown = Object.keys(body).find((name) => !(name in FIELDS) && body[name] !== undefined);
  if (unknown !== undefined) throw refused("web.error.unknown_field", { field: unknown, value: pyRepr(body[unknown]) });
  const { width, height, pixels, preprocess = true, model = null } = body;
  return {
    width, height, preprocess, model,
    grey() {  // Drawing.grey(): the count must be width * height
      const expected = width * height, got = pixels.length;
      if (got !== expected) throw refused("web.error.pixel_count", { width, height, expected, got });
      return Float64Array.from(pixels);
    },
  };
}

function described(field, wrong, state) {
  // The parameters reseau.web.errors._params gives the message: the field, the value as Python writes it, the limit.
  let limit = wrong.limit ?? "";
  if (wrong.float) limit = pyRepr(limit, true).replace(".", state.format?.decimal ?? ".");  // a float limit: "0,0"
  return { field, value: pyRepr(wrong.value), limit };
}

/** `value` as Python's repr() writes it (what the server's sentences quote), cut at 40 characters. */
export function pyRepr(value, float = false) {
  let text;
  if (value === null || value === undefined) text = "None";
  else if (typeof value === "boolean") text = value ? "True" : "False";
  else if (typeof value === "number") text = float && Number.isInteger(value) ? value.toFixed(1) : String(value);
  else if (typeof value === "string") text = value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value}'`;
  else if (Array.isArray(value)) text = `[${value.map((v) => pyRepr(v)).join(", ")}]`;
  else text = `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  return text.length <= 40 ? text : text.slice(0, 37) + "…";
}
