// The Train tab in the folder `reseau site` wrote (no server): the document's training in a Web Worker.
//
// The browser's twin of src/reseau/web/routes/train.py and web/jobs.py's Trainer, for the "site" backend:
//   GET  /api/train           the current or last run: { state, plan, events } (the latest progress only)
//   POST /api/train           start one (the document's network only: the site trains nothing else)
//   POST /api/train/stop      stop it after its current part of 5 000 images
//   POST /api/train/estimate  how long it would take in this browser: { seconds, text, measured, basis }
// and the run's events for app.js's onEvent, live, through backend.follow(since, lang, onEvent) (set here, as
// serverBackend sets it to the server's event stream). The events are those routes/train.py's render_event
// writes: "start", "progress", "epoch" (with `line`, the document's `Epoch : 0, Précision : 86.18%`, and
// `test_line`), "done", "stopped", "failed", then { kind: "end", state }. They hold numbers; their sentences
// are written when they are delivered, in the page's language (a change of language reads them again).
//
// The training itself is local/training.js in local/worker.js; the MNIST files are read here (local/files.js
// mnistSplit: the page's file source needs the DOM on file://) and sent to the worker once, as soon as the Train
// tab is shown: the worker makes the document's images of them meanwhile, « Entraîner » then waits for one epoch.
// The trained network becomes the model in use of the page (local/site.js useTrained: GET /api/model, GET
// /api/models and its file for the Draw and Browse tabs), and is kept in the browser's storage for the next
// visits (local/trained.js): the site answers no GET /api/model before it has looked there (answerAfter).
//
// Tested by tests/test_js_train.py (tests/js/train.test.mjs: the lines and the file names against Python's)
// and tests/test_site_train.py (Chromium on a folder written by `reseau site`).

import { formatCount, formatNumber, formatRate } from "../numbers.js";
import { state, tr } from "../page.js";
import { register } from "./backend.js";
import { mnistSplit } from "./files.js";
import { answerAfter, useTrained } from "./site.js";
import { documentTensors, keepNetwork, keptNetwork, modelEntry, modelStatus, writeModel } from "./trained.js";
import { makeWorker, workersAvailable } from "./workers.js";

const DATASET = "mnist";  // the site's dataset
const DOCUMENT_PRESET = "document";  // the document mode's preset (kinds.Kind.default_preset), web/jobs.py DOCUMENT_PRESET
const FIELDS = ["hidden", "learn_rate", "epochs", "seed"];  // the document's settings, FaithfulConfig's order
const WHOLE = new Set(["hidden", "epochs", "seed"]);  // those that are whole numbers (config.check_int)
const ENGINE = "fast";  // FaithfulConfig.engine: engine/faithful.js computes as reseau.faithful's compiled engine
// Before this browser has timed a training of its own: seconds per unit of cost (an epoch costs hidden + 33
// units, reseau.faithful_config.FaithfulConfig.cost), the test pass included, and the seconds a first training
// spends reading MNIST and listing its lit pixels. Measured in headless Chromium on 2 busy cores
// (benchmarks/bench_site_train.py: about 0.5 s an epoch of 784-20-10 with its test pass, 1 s more before the
// first line when « Entraîner » is pressed as the tab opens).
export const REFERENCE = { rate: 0.5 / 53, startUp: 1.0 };
const MEASURED = "reseau-train-rate";  // localStorage: this browser's { rate, startUp }, after a training

// The current or last run, and this page's worker (kept between runs: it keeps the images it was sent)
const run = { state: "idle", plan: null, events: [], nextId: 0, listeners: new Set(), stopAsked: false,
              reports: [], started: 0, firstEpoch: 0, loadedData: false, worker: null, workerHasData: false,
              preparing: null, watching: false };

// ---------------------------------------------------------------------------
// The routes
// ---------------------------------------------------------------------------

// The network a visit before trained, if the storage kept it: the site's model in use again
if (globalThis.RESEAU_SITE) answerAfter(keptNetwork().then((kept) => kept && useTrained(kept.model, kept.entry, kept.bytes)));

register({ method: "GET", path: /^\/api\/train$/, where: ["site"], handler: (ctx) => {
  prepareWhenShown(attach(ctx));
  return status();
} });
register({ method: "POST", path: /^\/api\/train$/, where: ["site"], handler: (ctx, { body }) => start(attach(ctx), body) });
register({ method: "POST", path: /^\/api\/train\/stop$/, where: ["site"], handler: (ctx) => stop(attach(ctx)) });
register({ method: "POST", path: /^\/api\/train\/estimate$/, where: ["site"], handler: (ctx, { body }) => estimate(attach(ctx), body) });

function attach(ctx) {
  // The backend's event stream is this module's (local/backend.js siteBackend leaves it to the module that trains).
  ctx.backend.follow = follow;
  return ctx;
}

async function status() {
  // routes/train.py train_status: the run's events, of the progress reports only the latest.
  const progress = run.events.filter((e) => e.kind === "progress");
  const kept = run.events.filter((e) => e.kind !== "progress" || e === progress.at(-1));
  return { state: run.state, plan: run.plan, events: kept.map(render) };
}

async function start(ctx, body) {
  if (run.state === "running") throw new Error(tr("web.error.busy"));
  if (!workersAvailable()) throw new Error(tr("web.train.no_worker"));
  const plan = planFor(body || {}, ctx.state.options);
  Object.assign(run, { state: "running", plan, events: [], stopAsked: false, reports: [], started: now() });
  emit("start", plan);
  launch(ctx, plan);  // runs on; its events tell the rest
  return status();
}

async function stop() {
  if (run.state !== "running") throw new Error(tr("web.error.not_training"));
  run.stopAsked = true;
  if (run.worker) run.worker.postMessage({ type: "stop" });
  return status();
}

async function estimate(ctx, body) {
  // How long the training would take here: its cost (FaithfulConfig.cost) times this browser's measured rate
  // (once it has trained), else the reference's; plus reading MNIST before a first training.
  const { config } = planFor(body || {}, ctx.state.options);
  const measured = measuredRate();
  const { rate, startUp } = measured || REFERENCE;
  const seconds = config.epochs * (config.hidden + 33) * rate + (run.workerHasData ? 0 : startUp);
  const basis = tr(measured ? "web.estimate.browser" : "web.estimate.browser_reference");
  return { seconds, text: duration(seconds), measured: Boolean(measured), basis };
}

// ---------------------------------------------------------------------------
// What to train: the request checked as the server checks it (trainers.configure, FaithfulConfig.validate)
// ---------------------------------------------------------------------------

/** A training request -> its plan { mode, dataset, preset, config }; an Error with the sentence to show if refused. */
export function planFor(body, options) {
  const mode = documentMode(options);
  const preset = body.preset ?? DOCUMENT_PRESET;
  const other = Object.keys(body).filter((key) => !["mode", "preset", ...FIELDS].includes(key) && body[key] !== undefined);
  if ((body.mode && body.mode !== mode) || options.presets[preset]?.mode !== mode || other.length) {
    throw new Error(tr("web.train.site_document_only"));
  }
  const config = {};
  for (const field of FIELDS) {
    const value = body[field] ?? options.presets[preset].config[field];
    check(field, value, options.limits[field]);
    config[field] = value;
  }
  config.engine = ENGINE;
  return { mode, dataset: DATASET, preset: body.preset ?? null, config };
}

function documentMode(options) {
  return Object.keys(options.kinds).find((mode) => options.kinds[mode].document) || "faithful";
}

function check(field, value, [low, high]) {
  // config.check_int for the whole numbers, config.check_number for the learning rate (> low, <= high).
  const number = typeof value === "number" && Number.isFinite(value);
  if (WHOLE.has(field)) {
    if (!number || !Number.isInteger(value) || value < low || value > high) {
      throw new Error(tr("config.bad_int", { field, value: written(value), low: written(low), high: written(high) }));
    }
  } else if (!number || value <= low || value > high) {
    throw new Error(tr("config.bad_positive", { field, value: written(value), low: written(low), high: written(high) }));
  }
}

function written(value) {
  // A message's number parameter as reseau.i18n writes one (a whole number as it is, a fraction as Python's
  // str(float) in the language: "−0,5"); text as typed.
  if (typeof value !== "number") return String(value);
  return Number.isInteger(value) ? String(value).replace("-", "\u2212") : floatParam(value, state.format);
}

/**
 * Python's str(x) of a float: the shortest digits that read back as x, in fixed notation from 1e-4 up to
 * 1e16 (always with a decimal part: "500.0"), else as "1e-05", "1.5e+16".
 */
export function pythonFloat(x) {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const [mantissa, power] = x.toExponential().split("e");  // the shortest digits that read back as x, as repr's
  const exponent = Number(power);
  let text;
  if (exponent >= -4 && exponent < 16) {
    text = String(x);  // JavaScript writes these without an exponent, with the same shortest digits
    if (!text.includes(".")) text += ".0";
    if (Object.is(x, -0)) text = "-0.0";
  } else {
    text = `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return text;
}

/** A float parameter of a message, as reseau.i18n writes one: Python's str(x) in the language ("−0,5", "1e−05"). */
export function floatParam(x, format) {
  return pythonFloat(x).replace(".", format.decimal).replace("-", "\u2212");
}

// ---------------------------------------------------------------------------
// The run: MNIST read here, the training in the worker
// ---------------------------------------------------------------------------

async function launch(ctx, plan) {
  try {
    const preparedHere = !run.workerHasData;
    await prepare(ctx);
    if (run.stopAsked) return finish("stopped", { epochs_done: 0 });
    run.worker.postMessage({ type: "train", config: plan.config });
    run.loadedData = preparedHere;
  } catch (err) {
    finish("failed", err.key ? { key: err.key, params: err.params || {} } : internal(err));
  }
}

function prepare(ctx) {
  // MNIST read here and sent to the worker, which makes the document's images of it and keeps them: once, when
  // the Train tab opens (or at the first training), so that « Entraîner » waits for one epoch, not for this.
  run.preparing ??= (async () => {
    const [train, test] = await Promise.all(["train", "test"].map((split) => mnist(ctx, split)));
    const data = { train: { images: train.images, labels: train.labels }, test: { images: test.images, labels: test.labels } };
    (run.worker || startWorker()).postMessage({ type: "data", data });  // copied: the page keeps its own
    run.workerHasData = true;
  })();
  run.preparing.catch(() => { run.preparing = null; });  // tried again at the next training, which says why
  return run.preparing;
}

function prepareWhenShown(ctx) {
  // Start reading MNIST for the worker when the Train tab is shown (app.js shows a tab by the address's #train).
  if (run.watching || typeof window === "undefined" || !workersAvailable()) return;
  run.watching = true;
  const shown = () => {
    if (window.location.hash === "#train") prepare(ctx).catch(() => {});  // a failure is said at « Entraîner »
  };
  window.addEventListener("hashchange", shown);
  shown();
}

function mnist(ctx, split) {
  return ctx.backend.remember(`mnist:${DATASET}:${split}`, () => mnistSplit(ctx.source, split, DATASET));
}

function startWorker() {
  run.worker = makeWorker();
  run.worker.onmessage = (event) => heard(event.data);
  run.worker.onerror = (event) => {
    event.preventDefault();
    run.worker = null;  // a worker that failed to start is not used again
    run.workerHasData = false;
    run.preparing = null;
    if (run.state === "running") finish("failed", internal(event.message));
  };
  return run.worker;
}

const HEARD = {  // the worker's messages (local/training.js) -> the run's events
  progress: (m) => emit("progress", { epoch: m.epoch, done: m.done, total: m.total }),
  epoch: (m) => {
    if (!run.reports.length) run.firstEpoch = now() - run.started;
    const report = { epoch: m.epoch, nr_correct: m.nr_correct, n_images: m.n_images, test_accuracy: m.test_accuracy,
                     seconds: m.seconds, val_accuracy: null, loss: null, learn_rate: null, mode: run.plan.mode,
                     precision: m.precision, tested: m.tested };
    run.reports.push(report);
    emit("epoch", report);
  },
  done: (m) => install(m),
  stopped: (m) => finish("stopped", { epochs_done: m.epochs_done }),
  failed: (m) => {
    if (m.detail) console.error(m.detail);  // a bug: its text for whoever looks
    finish("failed", { key: m.key, params: m.params });
  },
};

function heard(message) {
  if (run.state === "running") HEARD[message.type]?.(message);
}

async function install({ arrays, seconds }) {
  // The trained network becomes the page's model in use (local/site.js), kept in the browser's storage if it
  // lets us; then "done".
  const plan = run.plan;
  const name = fileName(plan, state.options, state.models?.in_use);
  const info = modelInfo(plan, run.reports, seconds);
  const bytes = writeModel({ info, layout: ["sigmoid", "sigmoid"], tensors: documentTensors(arrays) });
  const network = { name, bytes, model: modelStatus(info, name, [784, plan.config.hidden, 10]),
                    entry: modelEntry(info, name, Date.now() / 1000) };
  useTrained(network.model, network.entry, network.bytes);
  const kept = await keepNetwork(network);
  remember(plan, run.reports);
  const done = { test_accuracy: info.test_accuracy, seconds: now() - run.started, path: name, name, in_use: true };
  if (!kept) done.warning = { key: "web.train.not_kept", params: {} };
  finish("done", done);
}

/** The ModelInfo record of the training (reseau.modelfile.ModelInfo.to_dict), as `reseau train` saves it. */
export function modelInfo(plan, reports, seconds) {
  const history = reports.map(({ tested, ...report }) => report);  // EpochReport.to_dict
  const last = history.at(-1);
  return {
    mode: plan.mode, config: { ...plan.config }, history: { epochs: history, best_epoch: last.epoch, test_accuracy: last.test_accuracy },
    dataset: plan.dataset, preset: plan.preset, seconds, source: "browser", reseau_version: globalThis.RESEAU_SITE?.version || "",
    test_accuracy: last.test_accuracy, train_precision: last.precision, val_accuracy: null, best_epoch: last.epoch,
  };
}

/**
 * The file name a finished run is known by, as web/jobs.py Plan.file_name: the document's training exactly as
 * the document sets it is « le réseau du document », `documentName` (the site's document.safetensors); other
 * settings read in the name: "document-epochs-10.safetensors", "document-learn_rate-0.05-seed-2.safetensors".
 */
export function fileName(plan, options, documentName) {
  const presetName = plan.preset || DOCUMENT_PRESET;
  const base = options.presets[presetName]?.config || {};
  const changes = FIELDS.filter((field) => base[field] !== plan.config[field]);
  if (presetName === DOCUMENT_PRESET && changes.length === 0 && documentName) return documentName;
  const words = [presetName, ...changes.map((field) => `${field}-${valueText(field, plan.config[field])}`)];
  let stem = words.join("-").replace(/[^A-Za-z0-9._-]/g, "_");
  if (stem.length > MAX_STEM) stem = `${stem.slice(0, MAX_STEM - 9)}-${shortHash(JSON.stringify(plan.config))}`;
  return `${stem}.safetensors`;
}

const MAX_STEM = 80;  // web/jobs.py MAX_STEM

function valueText(field, value) {
  // web/jobs.py value_text: a whole number as it is, the learning rate (a float) as Python's f"{value:g}".
  return WHOLE.has(field) ? String(value) : formatRate(value, { decimal: ".", group: "" }).replace("\u2212", "-");
}

function shortHash(text) {
  // 8 hex digits naming a long configuration (the server's are sha256's; any stable digest names it apart).
  let h = 0x811c9dc5;  // FNV-1a, 32 bits
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

function finish(kind, data) {
  run.state = kind;
  emit(kind, data);
  const end = { kind: "end", state: kind };
  for (const listener of run.listeners) listener(end);
  run.listeners.clear();
}

function internal(err) {
  console.error(err);
  return { key: "web.error.internal", params: {} };
}

// ---------------------------------------------------------------------------
// How long: this browser's measured rate
// ---------------------------------------------------------------------------

function remember(plan, reports) {
  // The rate of this training's epochs (those after the first, whose time holds the compiler's warm-up, when
  // there are some), and what its first epoch line waited for beyond an epoch (reading MNIST, the pixel lists).
  const times = reports.map((r) => r.seconds + r.tested);
  const steady = median(times.length > 1 ? times.slice(1) : times);
  const measured = measuredRate() || { ...REFERENCE };
  measured.rate = steady / (plan.config.hidden + 33);
  if (run.loadedData) measured.startUp = Math.max(0, run.firstEpoch - steady);
  measuredInMemory = measured;  // this page's; and the next visits' if the storage takes it
  try {
    localStorage.setItem(MEASURED, JSON.stringify(measured));
  } catch (err) {
    // refused (a private window, storage off): this page only
  }
}

let measuredInMemory = null;

function measuredRate() {
  if (measuredInMemory) return measuredInMemory;
  try {
    const kept = JSON.parse(localStorage.getItem(MEASURED) || "null");
    return kept && Number.isFinite(kept.rate) && Number.isFinite(kept.startUp) ? kept : null;
  } catch (err) {
    return null;
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A rough duration in words, as routes/train.py duration(): "environ 4 s", "about 1 h 05 min". */
export function duration(seconds) {
  if (seconds < 60) {
    const n = seconds < 10 ? Math.max(1, roundHalfEven(seconds)) : 5 * roundHalfEven(seconds / 5);
    return tr("web.estimate.seconds", { n });
  }
  const minutes = Math.max(1, roundHalfEven(seconds / 60));
  if (minutes < 60) return tr("web.estimate.minutes", { n: minutes });
  const rounded = 5 * roundHalfEven(minutes / 5);
  return tr("web.estimate.hours", { h: Math.floor(rounded / 60), m: String(rounded % 60).padStart(2, "0") });
}

function roundHalfEven(x) {
  // Python's round(x): to the nearest whole number, a tie to the even one.
  const floor = Math.floor(x);
  const rest = x - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
}

// ---------------------------------------------------------------------------
// The events: kept as numbers, written when delivered (routes/train.py render_event)
// ---------------------------------------------------------------------------

function emit(kind, data) {
  const event = { id: run.nextId++, kind, ...data };
  run.events.push(event);
  for (const listener of run.listeners) listener(event);
}

function follow(since, lang, onEvent) {
  // The run's events from id `since`, then live until it ends ({ kind: "end", state }), as the server's stream.
  let open = true;
  const listener = (event) => { if (open) onEvent(event.kind === "end" ? event : render(event)); };
  setTimeout(() => {  // after app.js has kept what follow() returns, as an EventSource's first message would
    if (!open) return;
    for (const event of run.events) if (event.id >= since) listener(event);
    if (run.state === "running") run.listeners.add(listener);
    else listener({ kind: "end", state: run.state });
  }, 0);
  return { close() { open = false; run.listeners.delete(listener); } };
}

/** A run's event with its sentences written in the page's language (routes/train.py render_event). */
export function render(event) {
  const out = { ...event };
  const format = state.format;
  if (event.kind === "epoch") {
    delete out.tested;
    out.line = epochLine(event);
    if (event.test_accuracy !== null) out.test_line = tr("web.train.test_point", { accuracy: formatNumber(event.test_accuracy, 2, format) });
  } else if (event.kind === "done") {
    out.message = tr("web.train.done_browser", {
      accuracy: formatNumber(event.test_accuracy, 2, format), seconds: formatNumber(event.seconds, 1, format) });
    if (event.warning) out.warning = tr(event.warning.key, event.warning.params);
  } else if (event.kind === "stopped") {
    out.message = tr("web.train.stopped", { epochs: counted(event.epochs_done, "unit.complete_epoch") });
  } else if (event.kind === "failed") {
    const params = { ...event.params };
    if (typeof params.lr === "number") params.lr = floatParam(params.lr, format);  // train.diverged's learning rate
    out.message = tr(event.key, params);
  }
  return out;
}

/** What `reseau train` prints after an epoch (reseau.history.EpochReport.line: the document's line, quoted as printed). */
export function epochLine(event) {
  // The document's counter starts at 0 (Kind.first_epoch); its number is Python's str(round(x, 2)): "86.18", "90.0".
  return tr("train.epoch_line", { epoch: event.epoch, precision: pythonFloat(event.precision) });
}

function counted(n, unit) {
  // reseau.i18n.counted: "1 epoch complète", "3 epochs complètes" (French: the singular below 2).
  const one = state.lang === "en" ? Math.abs(n) === 1 : Math.abs(n) < 2;
  return `${formatCount(n, state.format)} ${tr(`${unit}.${one ? "one" : "other"}`)}`;
}

function now() {
  return performance.now() / 1000;
}
