// The « Pas à pas » tab's requests answered in the browser: the twin of reseau.web.routes.step.
//
//     POST /api/step/reset   {"session": "...", "seed": 0}               the document's start again
//     POST /api/step         {"session": "...", "seed": 0, "index": 12}  one step on training image 12
//                            {..., "index": 12, "count": 10}            ten steps, images 12 to 21 (shows the last)
//                            {..., "drawing": {...}, "label": 5}        one step on a drawing of a 5
//
// Each answer is EXACTLY the JSON the server's route answers (same keys, same rounding), so step.js does
// not change; a bad request throws a RequestError with the server's message key, its values and its field.
// The session's network lives in the page (this module), not on a server: with `reseau web` and
// `reseau classe` the server only gives the MNIST files (GET /api/files/), the folder of `reseau site` gives
// them as scripts. The steps are engine/explain.js's; a drawing is made 28x28 by engine/drawing.js toMnist.
//
// Tested by tests/test_js_explain.py (+ tests/js/explain.test.mjs: the same requests to routes/step.py and
// here give the same JSON) and tests/test_web_step_browser.py (no request to /api/step* reaches the server).

import { RequestError, register } from "./backend.js";
import { mnistSplit } from "./files.js";
import { toMnist } from "../engine/drawing.js";
import { INPUTS, LEARN_RATE, documentImages } from "../engine/faithful.js";
import { Weights, costAlong, derivative, derivativeDict, linspace, sampleAccuracy, sampleCost, step, steps } from "../engine/explain.js";

export const SAMPLE = 1000;  // the first SAMPLE test images measure the network after each request
export const HISTORY = 2000;  // (steps, cost, accuracy) points kept per session for the page's curve
export const MAX_SESSIONS = 64;  // sessions remembered at once (reseau.web.state.MAX_SESSIONS)
const SESSION = /^[A-Za-z0-9_-]{8,64}$/;  // a name the page makes up
const SEED = [0, 2 ** 32 - 1];  // reseau.config.SEED
const STEPS = [1, 100];  // reseau.config.STEPS
const MAX_SIDE = 280;  // reseau.web.schemas.MAX_SIDE: the largest drawing, in pixels per side


// ---------------------------------------------------------------------------
// The routes
// ---------------------------------------------------------------------------

/** POST /api/step/reset: the session again from the document's random weights for `seed`. */
export async function reset(ctx, { body }) {
  const req = checked(body, RESET_FIELDS, ctx);
  const measured = await sample(ctx);
  const session = sessionsOf(ctx.backend).get(req.session, req.seed, true);
  measure(session, measured);
  return { ...state(req.session, session), step: null, derivative: null };
}

/** POST /api/step: one step of the document (or `count`, one image after the other), every number of the last. */
export async function takeStep(ctx, { body }) {
  const req = checked(body, STEP_FIELDS, ctx);
  const [{ img, digits, where }, measured] = await Promise.all([chosenImage(ctx, req), sample(ctx)]);
  // From here on nothing waits: no other request can change the session in the middle (as the server's lock)
  const session = sessionsOf(ctx.backend).get(req.session, req.seed);
  const found = where.source === "dataset" ? steps(img, digits, session.weights) : [step(img, digits[0], session.weights)];
  const last = found.at(-1);
  session.weights = last.after;
  session.steps += found.length;
  measure(session, measured);
  return { ...state(req.session, session), step: { ...stepJson(last), ...where }, derivative: derivativeJson(last) };
}

register({ method: "POST", path: /^\/api\/step\/reset$/, where: ["server", "site"], handler: reset });
register({ method: "POST", path: /^\/api\/step$/, where: ["server", "site"], handler: takeStep });

async function chosenImage(ctx, req) {
  // The images the request names: `count` of a split from `index`, or the drawing made 28x28.
  if ((req.index === undefined) === (req.drawing === undefined)) throw new RequestError("web.step.error.which");
  if (req.drawing !== undefined) return drawnImage(req, req.drawing);
  const first = req.index, last = first + req.count - 1;
  const { count, images, labels } = await split(ctx, req.split);  // the document's network learns MNIST
  if (last >= count) throw new RequestError("web.error.index", { field: "index", index: last, last: count - 1 },
                                            { status: 404, field: "index" });
  const img = documentImages(images.subarray(first * INPUTS, (last + 1) * INPUTS));  // float32 / 255
  return { img, digits: labels.subarray(first, last + 1), where: { source: "dataset", split: req.split, index: last, first } };
}

function drawnImage(req, drawing) {
  if (req.label === undefined) throw new RequestError("web.step.error.label", { field: "label" }, { field: "label" });
  if (req.count !== 1) throw new RequestError("web.step.error.count", { field: "count" }, { field: "count" });
  const { width, height, pixels } = drawing;
  if (pixels.length !== width * height) {
    throw new RequestError("web.error.pixel_count", { width, height, expected: width * height, got: pixels.length });
  }
  const x = toMnist(pixels, height, width);  // 784 float32 values, or null: made as the Draw tab makes its drawings
  if (x === null) throw new RequestError("web.step.error.empty", { field: "drawing" }, { field: "drawing" });
  return { img: x, digits: [req.label], where: { source: "drawing", split: null, index: null, first: null } };
}

function split(ctx, name) {
  // A split of MNIST as bytes (local/files.js), read once per page.
  return ctx.backend.remember(`mnist:${name}`, () => mnistSplit(ctx.source, name));
}

function sample(ctx) {
  // The fixed sample: the first SAMPLE test images (the document's float32 images) and their digits.
  return ctx.backend.remember("step:sample", async () => {
    const { images, labels } = await split(ctx, "test");
    return { images: documentImages(images.subarray(0, SAMPLE * INPUTS)), digits: labels.subarray(0, SAMPLE) };
  });
}

// ---------------------------------------------------------------------------
// The sessions: this page's networks (reseau.web.state.Sessions), the least recently used forgotten first
// ---------------------------------------------------------------------------

const SESSIONS = new WeakMap();  // backend -> its Sessions

class Sessions {
  constructor(keep = MAX_SESSIONS) {
    this.keep = keep;
    this.sessions = new Map();  // name -> { seed, weights, steps, history }, the most recently used last
  }

  /** The session `name`; a new one from the document's start for `seed` if unknown or `fresh`. */
  get(name, seed, fresh = false) {
    let session = this.sessions.get(name);
    if (session === undefined || fresh) session = { seed, weights: Weights.documentStart(seed), steps: 0, history: [] };
    this.sessions.delete(name);
    this.sessions.set(name, session);
    while (this.sessions.size > this.keep) this.sessions.delete(this.sessions.keys().next().value);
    return session;
  }
}

function sessionsOf(backend) {
  if (!SESSIONS.has(backend)) SESSIONS.set(backend, new Sessions());
  return SESSIONS.get(backend);
}

function measure(session, { images, digits }) {
  // The session's cost (mean cross-entropy) and accuracy (%) on the sample, added to its history.
  const point = { steps: session.steps, cost: sampleCost(session.weights, images, digits),
                  accuracy: sampleAccuracy(session.weights, images, digits) };
  session.history.push(point);
  if (session.history.length > HISTORY) session.history.splice(0, session.history.length - HISTORY);
}

function state(name, session) {
  // What the page shows of a session besides the step: its start, its steps, the sample's curve.
  return { session: name, seed: session.seed, steps: session.steps, learn_rate: LEARN_RATE, hidden: session.weights.hidden,
           sample: SAMPLE, history: session.history.map((point) => ({ ...point })) };
}

// ---------------------------------------------------------------------------
// The answer's step and derivative (routes/step.py step_json, derivative_json)
// ---------------------------------------------------------------------------

function stepJson(last) {
  // Every number of the step but the change to w_i_h (the page makes it: -learn_rate * delta_h * img).
  const found = last.toDict();
  delete found.change_w_i_h;
  found.img = Array.from(last.img, roundFloat32);  // np.round(img, 4) of the float32 image
  found.largest = last.largestChanges(5).map((c) => ({ ...c, name: `${c.layer}[${c.row}, ${c.col}]` }));
  return found;
}

function roundFloat32(x) {
  // np.round(x, 4) of a float32 x, in float32 as NumPy does it: rint(x * 10000) / 10000, each rounded to float32.
  const y = Math.fround(x * 10000);
  let r = Math.round(y);
  if (r - y === 0.5 && r % 2 !== 0) r -= 1;  // rint: a tie to the even integer
  return Math.fround(r / 10000);
}

function derivativeJson(last) {
  // The cost along the weight that moved the most, wide and close up (the page's derivative plot).
  const d = derivative(last);
  const reach = 3 * (Math.abs(d.change) || 0.01);
  const close = linspace(d.value - reach, d.value + reach, 41);
  return { ...derivativeDict(d), close_xs: Array.from(close), close_costs: Array.from(costAlong(last, d.layer, d.row, d.col, close)) };
}

// ---------------------------------------------------------------------------
// Checking a request as the server's models do (ResetRequest, StepRequest, Drawing: reseau.web.schemas)
// ---------------------------------------------------------------------------

// name -> [check, required or default]; in the models' order (pydantic names the first wrong field)
const RESET_FIELDS = {
  session: [(v, f) => text(v, f, SESSION), undefined],
  seed: [(v, f) => whole(v, f, SEED), 0],
};
const STEP_FIELDS = {
  ...RESET_FIELDS,
  split: [(v, f, or) => choice(v, f, ["train", "test"], or), "train"],
  index: [(v, f) => whole(v, f, [0, Infinity]), undefined],
  count: [(v, f) => whole(v, f, STEPS), 1],
  drawing: [(v, f) => drawingOf(v, f), undefined],
  label: [(v, f) => whole(v, f, [0, 9]), undefined],
};
const OPTIONAL = new Set(["index", "drawing", "label"]);  // None by default on the server: left out here

function checked(body, fields, ctx) {
  // The request's fields, checked, with their defaults; else the first mistake as a RequestError.
  const or = ctx.state?.messages?.["web.or"] ?? " or ";  // "'train' or 'test'", in the page's language
  body = JSON.parse(JSON.stringify(body ?? {}));  // what the server would read: NaN and undefined sent as null
  if (typeof body !== "object" || Array.isArray(body)) throw invalid("web.error.object", null, body);
  const nulls = Object.keys(fields).filter((name) => name !== "session" && name in body && body[name] === null);
  if (nulls.length) throw invalid("web.error.null", nulls[0], null);
  const req = {};
  for (const [name, [check, fallback]] of Object.entries(fields)) {
    if (!(name in body)) {
      if (name === "session") throw invalid("web.error.missing", name, body);
      if (!OPTIONAL.has(name)) req[name] = fallback;
      continue;
    }
    check(body[name], name, or);
    req[name] = body[name];
  }
  const unknown = Object.keys(body).find((name) => !(name in fields));
  if (unknown !== undefined) throw invalid("web.error.unknown_field", unknown, body[unknown]);
  return req;
}

function invalid(key, field, value, params = {}) {
  // A 422 as reseau.web.errors.validation_error writes it: the field, the value as Python's repr, a limit.
  return new RequestError(key, { field: field ?? "body", value: pythonRepr(value), limit: "", ...params },
                          { status: 422, field });
}

function whole(value, field, [low, high]) {
  if (!Number.isInteger(value)) throw invalid("web.error.integer", field, value);
  if (value < low) throw invalid("web.error.min", field, value, { limit: low });
  if (value > high) throw invalid("web.error.max", field, value, { limit: high });
}

function text(value, field, pattern) {
  if (typeof value !== "string") throw invalid("web.error.text", field, value);
  if (!pattern.test(value)) throw invalid("web.error.invalid", field, value, { reason: `String should match pattern '${pattern.source}'` });
}

function choice(value, field, choices, or) {
  if (!choices.includes(value)) throw invalid("web.error.choice", field, value, { expected: choices.map(pythonRepr).join(or) });
}

function drawingOf(value, field) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("web.error.object", field, value);
  for (const name of ["width", "height", "pixels"]) if (!(name in value)) throw invalid("web.error.missing", `${field}.${name}`, value);
  whole(value.width, `${field}.width`, [1, MAX_SIDE]);
  whole(value.height, `${field}.height`, [1, MAX_SIDE]);
  if (!Array.isArray(value.pixels)) throw invalid("web.error.list", `${field}.pixels`, value.pixels);
  if (value.pixels.length > MAX_SIDE * MAX_SIDE) throw invalid("web.error.too_long", `${field}.pixels`, null, { limit: MAX_SIDE * MAX_SIDE });
  value.pixels.forEach((grey, k) => {
    const name = `${field}.pixels[${k}]`;
    if (typeof grey !== "number") throw invalid("web.error.number", name, grey);
    if (grey < 0) throw invalid("web.error.min", name, grey, { limit: 0.0 });
    if (grey > 1) throw invalid("web.error.max", name, grey, { limit: 1.0 });
  });
  const extra = Object.keys(value).find((name) => !["width", "height", "pixels"].includes(name));
  if (extra !== undefined) throw invalid("web.error.unknown_field", `${field}.${extra}`, value[extra]);
}

function pythonRepr(value) {
  // A JSON value as Python's repr() writes it (what the server's messages quote).
  if (value === null || value === undefined) return "None";
  if (value === true || value === false) return value ? "True" : "False";
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "number") return String(value);
  const written = Array.isArray(value) ? `[${value.map(pythonRepr).join(", ")}]`
    : `{${Object.entries(value).map(([k, v]) => `'${k}': ${pythonRepr(v)}`).join(", ")}}`;
  return written.length <= 40 ? written : written.slice(0, 37) + "…";
}
