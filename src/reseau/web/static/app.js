// The page of `reseau web`: plain JavaScript, no library, no build step.
// It talks only to the JSON API under /api/ and gets every sentence it shows
// from GET /api/messages (French by default, English on request). An ES module: the page's
// shared pieces come from page.js, its numbers from numbers.js, the « Pas à pas » tab from step.js.
import { formatCount, formatNumber, formatRate } from "./numbers.js";
import { $, api, clearError, drawDigit, number, remember, remembered, showError, state, tr } from "./page.js";
import { relabelStep, setUpStep, showStepView } from "./step.js";
import { FONT, SMALL_FONT, redrawOnResize, sharpCanvas } from "./canvases.js";
import { serverBackend, siteBackend } from "./local/backend.js";
import { fetchSource, scriptSource } from "./local/files.js";
import "./local/routes.js";  // each module the browser answers requests with registers its routes
import { showStudy } from "./local/study.js";
import { relabelMine, setUpMine, showMine } from "./mine.js";  // the « Mes chiffres » tab
import { setUpPhoto } from "./photo.js";

const SEND_SIDE = 112;   // the drawing is sent as SEND_SIDE x SEND_SIDE grey levels
const PEN = 0.075;       // pen width, as a fraction of the pad's side (MNIST-like stroke after scaling)

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

function modeName(mode) {
  // A kind's name is a message of its record (GET /api/options: kinds): the page never names kinds itself.
  const kind = state.options?.kinds?.[mode];
  return kind ? tr(kind.name_key) : mode;
}

function documentMode() {
  return Object.keys(state.options.kinds).find((mode) => state.options.kinds[mode].document);
}

async function loadMessages(lang) {
  const data = await api("/api/messages" + (lang ? `?lang=${lang}` : ""));
  state.lang = data.lang;
  state.messages = data.messages;
  state.format = data.format;
  document.documentElement.lang = data.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = tr(el.dataset.i18n); });
  document.querySelectorAll("[data-i18n-label]").forEach((el) => el.setAttribute("aria-label", tr(el.dataset.i18nLabel)));
  document.querySelectorAll("[data-lang]").forEach((b) => b.classList.toggle("active", b.dataset.lang === data.lang));
  document.title = tr("web.page.title") + " — reseau";
}

// ---------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Shared pieces: a 28x28 image, the answer (outputs and hidden values)
// ---------------------------------------------------------------------------

function answerText(prefix, answer) {
  if (answer.digit === null || answer.digit === undefined) return prefix === "draw" ? tr("web.draw.empty") : tr("web.model.none");
  const digits = (state.model?.classes || []).every((c, k) => c === String(k));
  return digits ? tr("web.answer", { digit: answer.digit }) : tr("web.answer.class", { name: answer.name });
}

function showAnswer(prefix, answer) {
  const text = $(`${prefix}-answer`);
  text.textContent = answerText(prefix, answer);
  text.dataset.digit = answer.digit ?? "";
  const classes = answer.classes?.length ? answer.classes : state.model?.classes?.length ? state.model.classes : [..."0123456789"];
  const outputs = answer.outputs.length ? answer.outputs : new Array(10).fill(0);
  const bars = outputs.map((o, k) => {
    const row = document.createElement("div");
    row.className = "bar-row" + (k === answer.digit ? " best" : "");
    row.innerHTML = '<span class="bar-label"></span><span class="bar"><span class="fill"></span></span><span class="bar-value"></span>';
    row.children[0].textContent = classes[k];
    row.children[1].firstChild.style.width = `${Math.max(0, Math.min(1, o)) * 100}%`;
    row.children[2].textContent = answer.outputs.length ? formatNumber(o, 3, state.format) : "";
    return row;
  });
  $(`${prefix}-outputs`).replaceChildren(...bars);
  showHidden(prefix, answer.hidden);
  if (prefix === "draw") showMaps(answer.maps);
}

function showMaps(maps) {
  // A convolutional network's first feature maps: one small grey image per filter, all on one scale (ink = strong).
  $("draw-maps-box").hidden = !maps;
  if (!maps) { $("draw-maps").replaceChildren(); return; }
  const { height, width, values } = maps;
  $("draw-maps-title").textContent = tr("web.maps.title", { n: values.length, h: height, w: width });
  const top = Math.max(1e-6, ...values.map((map) => Math.max(...map)));
  const canvases = values.map((map, k) => {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.className = "map";
    canvas.title = `${k}`;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(width, height);
    map.forEach((value, i) => {
      const v = 255 - Math.round(255 * Math.min(1, Math.max(0, value / top)));
      image.data.set([v, v, v, 255], 4 * i);
    });
    ctx.putImageData(image, 0, 0);
    return canvas;
  });
  $("draw-maps").replaceChildren(...canvases);
}

function showHidden(prefix, hidden) {
  const n = hidden.length || (state.model?.sizes?.length > 2 ? state.model.sizes[1] : 0);
  $(`${prefix}-hidden-title`).textContent = n ? tr("web.hidden.title", { n }) : tr("web.hidden.none");
  const top = Math.max(1, ...hidden);  // ReLU values are not bounded by 1
  const cells = hidden.map((h, j) => {
    const cell = document.createElement("span");
    cell.className = "cell";
    const v = 255 - Math.round(255 * Math.max(0, h) / top);
    cell.style.background = `rgb(${v}, ${v}, ${v})`;
    cell.title = `h${j} = ${formatNumber(h, 3, state.format)}`;
    return cell;
  });
  $(`${prefix}-hidden`).replaceChildren(...cells);
}

// ---------------------------------------------------------------------------
// 1. Draw
// ---------------------------------------------------------------------------

const pad = { drawing: false, last: null, busy: false, dirty: false, ink: false, reader: null };

function padPoint(event) {
  const canvas = $("pad");
  const box = canvas.getBoundingClientRect();
  return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
}

function stroke(from, to) {
  const canvas = $("pad");
  const ctx = canvas.getContext("2d");
  ctx.strokeStyle = "#000";
  ctx.lineWidth = canvas.width * PEN;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  ctx.moveTo(from[0], from[1]);
  ctx.lineTo(to[0] + 0.01, to[1]);  // a zero-length line draws nothing; a tap must leave a dot
  ctx.stroke();
  pad.ink = true;
}

function padPixels() {
  // The pad, shrunk with smoothing to SEND_SIDE x SEND_SIDE; ink = the alpha channel, 0..1.
  if (!pad.reader) {
    pad.reader = document.createElement("canvas");
    pad.reader.width = pad.reader.height = SEND_SIDE;
  }
  const ctx = pad.reader.getContext("2d", { willReadFrequently: true });
  ctx.clearRect(0, 0, SEND_SIDE, SEND_SIDE);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage($("pad"), 0, 0, SEND_SIDE, SEND_SIDE);
  const rgba = ctx.getImageData(0, 0, SEND_SIDE, SEND_SIDE).data;
  const pixels = new Array(SEND_SIDE * SEND_SIDE);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(rgba[4 * i + 3] / 0.255) / 1000;
  return pixels;
}

async function predictDrawing() {
  if (pad.busy) { pad.dirty = true; return; }  // one request at a time; the latest drawing is sent next
  pad.busy = true;
  pad.dirty = false;
  try {
    const body = { width: SEND_SIDE, height: SEND_SIDE, pixels: padPixels(), model: state.drawModel || undefined };
    const answer = await api("/api/predict", { method: "POST", body });
    showSeen(answer);
    clearError("predict");
  } catch (err) {
    showError(err, "predict");
  } finally {
    pad.busy = false;
    if (pad.dirty) predictDrawing();
  }
}

// The 28x28 image a drawing or a photo became, its caption saying that network's own preprocessing, the answer.
function showSeen(answer) {
  state.lastDraw = answer;
  drawDigit($("seen"), answer.input);
  const note = $("seen-note");
  note.dataset.i18n = answer.stroke_normalised ? "web.draw.seen_note" : "web.draw.seen_note_plain";
  note.textContent = tr(note.dataset.i18n);
  showAnswer("draw", answer);
}

function clearPad() {
  const canvas = $("pad");
  canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  pad.ink = false;
  state.lastDraw = { digit: null, outputs: [], hidden: [], input: new Array(784).fill(0), maps: null };
  drawDigit($("seen"), state.lastDraw.input);
  showAnswer("draw", state.lastDraw);
}

function setUpPad() {
  const canvas = $("pad");
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    pad.drawing = true;
    pad.last = padPoint(event);
    stroke(pad.last, pad.last);
    predictDrawing();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!pad.drawing) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      const point = padPoint(e);
      stroke(pad.last, point);
      pad.last = point;
    }
    predictDrawing();
  });
  const end = () => { if (pad.drawing) { pad.drawing = false; predictDrawing(); } };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  $("clear").addEventListener("click", clearPad);
  $("draw-model").addEventListener("change", () => {
    state.drawModel = $("draw-model").value;
    state.modelChosen = true;  // the user's choice stays until a training picks the network it made
    if (pad.ink) predictDrawing(); else clearPad();
  });
  clearPad();
}

// The model picker: the model in use, the drawing network, then every other model file of the folder.

async function loadModels(choose) {
  try {
    state.models = await api("/api/models");
  } catch (err) {
    showError(err);
    return;
  }
  const { models, drawing, in_use: inUse } = state.models;
  const usable = (name) => models.some((m) => m.name === name && m.usable);
  if (choose !== undefined) state.drawModel = choose;
  else if (!state.modelChosen) state.drawModel = drawing && drawing !== inUse ? drawing : "";  // the default
  if (state.drawModel && !usable(state.drawModel)) state.drawModel = "";
  if (choose !== undefined) state.modelChosen = true;
  labelModels();
}

function labelModels() {
  if (!state.models) return;
  const { models, drawing, in_use: inUse } = state.models;
  const m = state.model;
  const inUseKey = isDocumentNetwork(m) ? "web.models.document" : "web.models.in_use";
  const first = new Option(tr(inUseKey, { name: inUse }) + (m?.ready ? ` (${details(m)})` : ""), "");
  const others = models.filter((e) => e.name !== inUse)
    .sort((a, b) => (b.name === drawing) - (a.name === drawing) || a.name.localeCompare(b.name));
  const options = others.map((e) => {
    if (!e.usable) {
      const option = new Option(tr("web.models.unusable", { name: e.name, error: e.error }), e.name);
      option.disabled = true;
      return option;
    }
    const text = e.name === drawing ? tr("web.models.drawing", { name: e.name }) : e.name;
    return new Option(`${text} (${details(e)})`, e.name);
  });
  $("draw-model").replaceChildren(first, ...options);
  $("draw-model").value = state.drawModel;
  $("draw-model").dataset.chosen = state.drawModel;  // for tests: what the Draw tab recognises with
}

function isDocumentNetwork(model) {
  // « Le réseau du document »: the document's preset with every setting as the document sets it (not 10 epochs).
  const documentConfig = state.options?.presets?.document?.config;
  return model?.preset === "document" && !!documentConfig && !!model.config &&
    Object.keys(documentConfig).every((key) => JSON.stringify(model.config[key]) === JSON.stringify(documentConfig[key]));
}

function details(model) {
  // "dessin, 99,12 %": the preset (else the trainer), and the test accuracy
  return tr("web.models.details", { kind: model.preset || modeName(model.mode), accuracy: formatNumber(model.test_accuracy ?? NaN, 2, state.format) });
}

// ---------------------------------------------------------------------------
// 2. Browse (the document's loop: "Entrer un nombre entre 0 et 59999")
// ---------------------------------------------------------------------------

function browseCount() {
  return state.options?.counts?.[$("browse-split").value] ?? 60000;
}

let browseAsked = 0;  // the latest image asked for: an earlier one answering late is not shown over it

async function browse(index) {
  const split = $("browse-split").value;
  const text = String(index).trim();
  if (!text) return;
  $("browse-index").value = text;
  const asked = ++browseAsked;
  try {
    const item = await api(`/api/dataset/${split}/${encodeURIComponent(text)}`);
    if (asked !== browseAsked) return;
    state.lastBrowse = item;
    clearError();
    showItem(item);
  } catch (err) {
    if (asked === browseAsked) showError(err);
  }
}

function showItem(item) {
  drawDigit($("browse-image"), item.input);
  const split = tr(item.split === "train" ? "web.browse.split_train" : "web.browse.split_test");
  $("browse-caption").textContent = tr("web.browse.caption", { index: item.index, split, label: item.label_name });
  showAnswer("browse", item);
  const verdict = $("browse-verdict");
  verdict.textContent = item.digit === null ? "" :
    item.digit === item.label ? tr("web.browse.right") : tr("web.browse.wrong", { label: item.label_name });
  verdict.className = "verdict " + (item.digit === item.label ? "right" : "wrong");
}

function step(delta) {
  const n = browseCount();
  const current = parseInt($("browse-index").value, 10);
  browse((((Number.isFinite(current) ? current : 0) + delta) % n + n) % n);
}

function setBrowsePrompt() {
  $("browse-prompt").textContent = tr("web.browse.prompt", { last: browseCount() - 1 });
}

function setUpBrowse() {
  $("browse-form").addEventListener("submit", (event) => { event.preventDefault(); browse($("browse-index").value); });
  $("browse-prev").addEventListener("click", () => step(-1));
  $("browse-next").addEventListener("click", () => step(1));
  $("browse-random").addEventListener("click", () => browse(Math.floor(Math.random() * browseCount())));
  $("browse-split").addEventListener("change", () => { setBrowsePrompt(); browse(0); });
}

// ---------------------------------------------------------------------------
// 3. Train: the form, the live event stream, the curve
// ---------------------------------------------------------------------------

// mine: this page started the current run (its end may then change the Draw tab's network, see onDone)
const run = { epochs: 1, points: [], lastId: -1, source: null, fromModel: false, mine: false };

function presetsOf(mode) {
  // The names of the presets that train with `mode` (GET /api/options: name -> {mode, config}).
  return Object.keys(state.options.presets).filter((name) => state.options.presets[name].mode === mode);
}

function listPresets() {
  // The preset menu offers the chosen mode's presets; it is hidden when there is only one (the document's).
  const names = presetsOf($("train-mode").value);
  $("train-preset").replaceChildren(...names.map((name) => new Option(name, name)));
  $("train-preset-box").hidden = names.length < 2;
  fillTrainForm();
}

function fillTrainForm() {
  const values = state.options.presets[$("train-preset").value].config;
  $("train-epochs").value = values.epochs;
  document.querySelectorAll(".conv-only").forEach((box) => { box.hidden = !values.conv; });
  $("train-conv").value = values.conv ? values.conv.join(", ") : "";
  $("train-kernels").value = values.kernels ? values.kernels.join(", ") : "";
  const dense = values.dense || values.layers;
  $("train-hidden-label").dataset.i18n = values.dense ? "web.train.dense" : "web.train.hidden";
  $("train-hidden-label").textContent = tr($("train-hidden-label").dataset.i18n);
  $("train-hidden").value = dense ? dense.join(", ") : values.hidden;
  $("train-lr").value = formatRate(values.learn_rate, state.format);
  $("train-seed").value = values.seed;
  showLimits();
  estimateTraining();
}

function rewriteRate() {
  // After a change of language, the learning rate the form shows is written in the new one (0,01 -> 0.01).
  const lr = number($("train-lr").value);
  if (typeof lr === "number") $("train-lr").value = formatRate(lr, state.format);
}

function numbers(text) {
  // "32, 64" or "32 x 64" -> [32, 64]
  return text.split(/[\s,;×x]+/).filter(Boolean).map(number);
}

let estimateTimer = null;

function estimateTraining() {
  // How long the form's training would take here, asked again a moment after each change.
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(async () => {
    const line = $("train-estimate");
    try {
      const e = await api("/api/train/estimate", { method: "POST", body: trainRequest() });
      line.textContent = tr("web.train.estimate", { time: e.text, basis: e.basis });
      line.classList.remove("invalid");
      line.dataset.seconds = String(e.seconds);
    } catch (err) {
      line.textContent = err.message;  // said here, quietly: the Train button says it again, in red
      line.classList.add("invalid");
      line.dataset.seconds = "";
    }
  }, 250);
}

function trainRequest() {
  // The chosen preset, with the form's values in place of its own (POST /api/train).
  const preset = $("train-preset").value;
  const body = { mode: $("train-mode").value, preset, epochs: number($("train-epochs").value),
                 learn_rate: number($("train-lr").value), seed: number($("train-seed").value) };
  const config = state.options.presets[preset].config;
  if (config.conv) {  // a convolutional network: its filters and kernels, then its dense layers
    body.conv = numbers($("train-conv").value);
    body.kernels = numbers($("train-kernels").value);
    body.dense = numbers($("train-hidden").value);
  } else if (config.layers) {
    body.layers = numbers($("train-hidden").value);
  } else {
    body.hidden = number($("train-hidden").value);
  }
  return body;
}

async function startTraining(event) {
  event.preventDefault();
  try {
    const status = await api("/api/train", { method: "POST", body: trainRequest() });
    clearError();
    run.mine = true;
    showRun(status);
  } catch (err) {
    showError(err);
  }
}

async function stopTraining() {
  try {
    await api("/api/train/stop", { method: "POST" });
  } catch (err) {
    showError(err);
  }
}

function showRun(status) {
  // Rebuild the log and the curve from a run's events, then follow it live if it is going on.
  if (run.source) run.source.close();
  run.source = null;
  run.points = [];
  run.lastId = -1;
  run.fromModel = false;
  $("train-log").textContent = "";
  $("train-result").textContent = "";
  $("train-progress").value = 0;
  run.epochs = status.plan?.config?.epochs ?? 1;
  status.events.forEach(onEvent);
  if (status.state === "running") follow();
  setRunning(status.state === "running");
  if (status.state === "idle") showModelCurve();
  drawCurve();
}

function follow() {
  // The server's stream of events, or the browser's own training (local/backend.js).
  run.source = state.backend.follow(run.lastId + 1, state.lang, onEvent);
}

function onEvent(event) {
  if (event.id !== undefined) {
    if (event.id <= run.lastId) return;  // already shown
    run.lastId = event.id;
  }
  const handlers = { start: onStart, progress: onProgress, epoch: onEpoch, done: onDone, stopped: onEnded,
                     failed: onFailed, end: onStreamEnd };
  (handlers[event.kind] || (() => {}))(event);
}

function onStart(event) {
  run.epochs = event.config.epochs;
  run.points = [];
  setRunning(true);
  $("train-state").textContent = tr("web.train.running");
  drawCurve();
}

function onProgress(event) {
  $("train-progress").value = Math.min(1, (event.epoch + event.done / event.total) / run.epochs);
  $("train-state").textContent = tr("web.train.progress", { epoch: event.epoch, done: formatCount(event.done, state.format), total: formatCount(event.total, state.format) });
}

function onEpoch(event) {
  const log = $("train-log");
  log.textContent += event.line + "\n" + (event.test_line ? event.test_line + "\n" : "");
  log.scrollTop = log.scrollHeight;
  run.points.push({ epoch: event.epoch, precision: event.precision, test: event.test_accuracy });
  drawCurve();
}

function onDone(event) {
  // Only the page that started the run draws with the network it made: a page opened later, or one that
  // reads the run's events again (a change of language), keeps its own pick (the drawing network by default).
  const pick = run.mine ? (event.in_use ? "" : event.name) : undefined;
  onEnded(event);
  $("train-progress").value = 1;
  if (event.warning) showError({ message: event.warning });
  refreshModel().then(async () => {
    await loadModels(pick);  // undefined: the list is read again (the new file appears), the pick stays
    if (pad.ink) predictDrawing();
    if (state.browseLoaded && state.lastBrowse) browse(state.lastBrowse.index);
    estimateTraining();  // a measured rate may now replace the reference one
  });
}

function onEnded(event) {
  run.mine = false;  // this run is over: reading its events again changes nothing
  $("train-result").textContent = event.message;
  $("train-state").textContent = "";
  setRunning(false);
}

function onFailed(event) {
  onEnded(event);
  showError({ message: event.message });
  refreshModel();
}

function onStreamEnd(event) {
  if (run.source) run.source.close();
  run.source = null;
  setRunning(event.state === "running");
}

function setRunning(running) {
  $("train-start").disabled = running;
  $("train-stop").disabled = !running;
  if (!running && !$("train-state").textContent.trim()) $("train-state").textContent = tr("web.train.idle");
}

function showModelCurve() {
  // No run yet in this server's life: show the curve of the model in use, from its file.
  const history = state.model?.history || [];
  if (!history.length) return;
  run.fromModel = true;
  run.epochs = history.length;
  run.points = history.map((e) => ({ epoch: e.epoch, precision: e.precision, test: e.test_accuracy }));
  $("train-state").textContent = tr("web.train.current_model");
}

const COLOURS = { precision: "#2563eb", test: "#ea580c", grid: "#e5e7eb", axis: "#6b7280", text: "#374151" };

function drawCurve() {
  // Laid out in CSS pixels for the canvas's width (canvases.js): a phone gets a lower chart, labels as large.
  const canvas = $("curve");
  const { ctx, W, H } = sharpCanvas(canvas, (width) => Math.min(320, Math.max(220, width / 2)));
  const legend = drawLegend(ctx, W, 52);
  const m = { l: 52, r: 16, t: legend + 14, b: 40 };
  const n = Math.max(run.epochs, 1, ...run.points.map((p) => p.epoch + 1));
  const values = run.points.flatMap((p) => [p.precision, p.test]).filter((v) => typeof v === "number");
  const low = values.length ? Math.max(0, Math.floor((Math.min(...values) - 1) / 5) * 5) : 80;
  const high = 100;
  const x = (e) => m.l + (n === 1 ? (W - m.l - m.r) / 2 : e / (n - 1) * (W - m.l - m.r));
  const y = (v) => m.t + (high - v) / (high - low) * (H - m.t - m.b);
  drawAxes(ctx, { W, H, m, n, low, high, x, y });
  for (const [key, colour] of [["precision", COLOURS.precision], ["test", COLOURS.test]]) {
    const pts = run.points.filter((p) => typeof p[key] === "number");
    ctx.strokeStyle = ctx.fillStyle = colour;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    pts.forEach((p, i) => (i ? ctx.lineTo(x(p.epoch), y(p[key])) : ctx.moveTo(x(p.epoch), y(p[key]))));
    ctx.stroke();
    for (const p of pts) { ctx.beginPath(); ctx.arc(x(p.epoch), y(p[key]), 4.5, 0, 2 * Math.PI); ctx.fill(); }
  }
  canvas.dataset.points = String(run.points.length);
}

function drawAxes(ctx, { W, H, m, n, low, high, x, y }) {
  ctx.font = FONT;
  ctx.lineWidth = 1;
  const stepY = high - low > 40 ? 10 : high - low > 10 ? 5 : 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let v = low; v <= high; v += stepY) {
    ctx.strokeStyle = COLOURS.grid;
    ctx.beginPath(); ctx.moveTo(m.l, y(v)); ctx.lineTo(W - m.r, y(v)); ctx.stroke();
    ctx.fillStyle = COLOURS.text;
    ctx.fillText(formatNumber(v, 0, state.format), m.l - 6, y(v));
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const stepX = Math.max(1, Math.ceil(n / Math.max(2, Math.floor((W - m.l - m.r) / 24))));  // labels 24 px apart
  for (let e = 0; e < n; e += stepX) ctx.fillText(String(e), x(e), H - m.b + 6);
  ctx.fillText(tr("web.train.axis_epoch"), (m.l + W - m.r) / 2, H - 16);
  ctx.save();
  ctx.translate(14, (m.t + H - m.b) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(tr("web.train.axis_accuracy"), 0, -6);
  ctx.restore();
  ctx.strokeStyle = COLOURS.axis;
  ctx.beginPath(); ctx.moveTo(m.l, m.t); ctx.lineTo(m.l, H - m.b); ctx.lineTo(W - m.r, H - m.b); ctx.stroke();
}

function drawLegend(ctx, W, left) {
  // The two series' names in a row, or one under the other where the row would not fit (from the left edge
  // where even one name would not fit after the axis); returns its bottom.
  ctx.font = FONT;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  const series = [["web.train.series_precision", COLOURS.precision], ["web.train.series_test", COLOURS.test]];
  let widths = series.map(([key]) => 20 + ctx.measureText(tr(key)).width);
  if (Math.max(...widths) > W - 4) {  // a name longer than a phone's chart: a size smaller
    ctx.font = SMALL_FONT;
    widths = series.map(([key]) => 20 + ctx.measureText(tr(key)).width);
  }
  const start = left + Math.max(...widths) <= W - 4 ? left : 0;
  let x = start, y = 14;
  series.forEach(([key, colour], i) => {
    if (x > start && x + widths[i] > W - 4) { x = start; y += 18; }
    ctx.fillStyle = colour;
    ctx.fillRect(x, y - 2, 14, 4);
    ctx.fillStyle = COLOURS.text;
    ctx.fillText(tr(key), x + 20, y);
    x += widths[i] + 8;
  });
  return y + 8;
}

const LIMITED = { epochs: "train-epochs", seed: "train-seed", hidden: "train-hidden", learn_rate: "train-lr" };

function showLimits() {
  // Each field's limits are the configuration's Range (GET /api/options: field -> [low, high]): the whole-number
  // fields get them as min / max, every field says them in its tooltip (the learning rate's low end is excluded).
  for (const [field, id] of Object.entries(LIMITED)) {
    const [low, high] = state.options.limits[field];
    if ($(id).type === "number") Object.assign($(id), { min: low, max: high });
    const key = field === "learn_rate" ? "web.train.limits_open" : "web.train.limits";
    const applies = state.options.kinds[$("train-mode").value].settings.includes(field);  // e.g. the document's hidden
    $(id).title = applies ? tr(key, { low: formatCount(low, state.format), high: formatCount(high, state.format) }) : "";
  }
}

function setUpTrain() {
  const modes = $("train-mode");
  modes.replaceChildren(...state.options.modes.map((mode) => new Option(modeName(mode), mode)));
  modes.addEventListener("change", listPresets);
  $("train-preset").addEventListener("change", fillTrainForm);
  $("train-reset").addEventListener("click", () => { modes.value = documentMode(); listPresets(); });
  $("train-form").addEventListener("submit", startTraining);
  $("train-form").addEventListener("input", estimateTraining);
  $("train-stop").addEventListener("click", stopTraining);
  redrawOnResize($("curve"), drawCurve);
  listPresets();
}

async function loadTrainStatus() {
  showRun(await api("/api/train"));
}

// ---------------------------------------------------------------------------
// 4. Sigmoid explorer
// ---------------------------------------------------------------------------

const sigmoid = (z) => 1 / (1 + Math.exp(-z));

function drawSigmoid() {
  const w = Number($("sig-w").value), b = Number($("sig-b").value);
  $("sig-w-value").textContent = formatNumber(w, 2, state.format);
  $("sig-b-value").textContent = formatNumber(b, 2, state.format);
  $("sig-at-zero").textContent = tr("web.sigmoid.at_zero", { value: formatNumber(sigmoid(b), 3, state.format) });
  const canvas = $("sigmoid-plot");
  const { ctx, W, H } = sharpCanvas(canvas, (width) => Math.min(360, Math.max(240, width * 0.5625)));
  const top = sigmoidLegend(ctx, W, w, b);
  const m = { l: 40, r: 12, t: top + 10, b: 28 };
  const x = (v) => m.l + (v + 10) / 20 * (W - m.l - m.r);
  const y = (v) => m.t + (1.05 - v) / 1.1 * (H - m.t - m.b);
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.fillStyle = COLOURS.text;
  const every = W - m.l - m.r < 400 ? 4 : 2;  // a label every 4 on a phone: "−10" and "−8" would touch
  for (let v = -10; v <= 10; v += 2) {
    ctx.strokeStyle = v === 0 ? COLOURS.axis : COLOURS.grid;
    ctx.beginPath(); ctx.moveTo(x(v), y(-0.05)); ctx.lineTo(x(v), y(1.05)); ctx.stroke();
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    if (v % every === 0) ctx.fillText(formatCount(v, state.format), x(v), y(-0.05) + 4);
  }
  for (const v of [0, 0.5, 1]) {
    ctx.strokeStyle = v === 0 ? COLOURS.axis : COLOURS.grid;
    ctx.beginPath(); ctx.moveTo(x(-10), y(v)); ctx.lineTo(x(10), y(v)); ctx.stroke();
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    ctx.fillText(formatNumber(v, 1, state.format), x(-10) - 6, y(v));
  }
  plotFunction(ctx, (v) => sigmoid(v), x, y, "#9ca3af", 1.5, [6, 5]);
  plotFunction(ctx, (v) => sigmoid(w * v + b), x, y, COLOURS.precision, 3, []);
  canvas.dataset.w = String(w);
  canvas.dataset.b = String(b);
}

function sigmoidLegend(ctx, W, w, b) {
  // The reference curve's name, then the student's curve's formula: beside it, or below it on a narrow screen.
  ctx.font = FONT;
  ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.fillStyle = "#6b7280";
  const reference = "- - " + tr("web.sigmoid.reference");
  ctx.fillText(reference, 46, 12);
  const plusB = b < 0 ? ` − ${formatNumber(-b, 2, state.format)}` : ` + ${formatNumber(b, 2, state.format)}`;
  const formula = `σ(${formatNumber(w, 2, state.format)}·x${plusB})`;
  const beside = Math.max(W / 2 + 40, 46 + ctx.measureText(reference).width + 24);
  const fits = beside + ctx.measureText(formula).width <= W - 4;
  ctx.fillStyle = COLOURS.precision;
  ctx.fillText(formula, fits ? beside : 46, fits ? 12 : 30);
  return fits ? 18 : 36;
}

function plotFunction(ctx, f, x, y, colour, width, dash) {
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  for (let i = 0; i <= 400; i++) {
    const v = -10 + i / 20;
    i ? ctx.lineTo(x(v), y(f(v))) : ctx.moveTo(x(v), y(f(v)));
  }
  ctx.stroke();
  ctx.restore();
}

function fitFrame() {
  // The report is ours (same origin): make the frame as tall as the report, so the page scrolls once.
  const frame = $("exp-frame");
  try {
    const height = frame.contentDocument?.documentElement?.scrollHeight;
    if (height) frame.style.height = `${height + 24}px`;
  } catch (err) { /* not readable: keep the CSS height */ }
}

function setUpSigmoid() {
  $("sig-w").addEventListener("input", drawSigmoid);
  $("sig-b").addEventListener("input", drawSigmoid);
  labelCases();
  drawSigmoid();
  redrawOnResize($("sigmoid-plot"), drawSigmoid);
}

function labelCases() {
  const buttons = state.options.sigmoid_cases.map(({ w, b }) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = tr("web.sigmoid.case", { w: formatNumber(w, 2, state.format), b: formatNumber(b, 2, state.format) });
    button.addEventListener("click", () => { $("sig-w").value = w; $("sig-b").value = b; drawSigmoid(); });
    return button;
  });
  $("sig-cases").replaceChildren(...buttons);
}

// ---------------------------------------------------------------------------
// 5. Experiments
// ---------------------------------------------------------------------------

async function loadExperiments() {
  if (state.backend.kind === "site") return showStudy();  // no server, no report: the study runs here
  let found;
  try {
    found = await api("/api/experiments");
  } catch (err) {
    showError(err);
    return;
  }
  $("exp-empty").hidden = found.available;
  $("exp-report").hidden = !found.available;
  $("exp-empty-text").textContent = tr("web.exp.empty", { folder: found.folder });
  if (!found.available) return;
  const frame = $("exp-frame");
  frame.hidden = !found.report_html;
  $("exp-open").parentElement.hidden = !found.report_html;
  if (found.report_html) {
    frame.src = `${found.report_html}?t=${Date.now()}`;
    $("exp-open").href = found.report_html;
  }
  $("exp-md").hidden = !!found.report_html || !found.report_md;
  $("exp-md").textContent = found.report_md || "";
  // report.html shows its own plots; without it, the plots are shown here
  const plots = found.report_html ? [] : found.plots;
  $("exp-plots-title").hidden = !plots.length;
  $("exp-plots").replaceChildren(...plots.map((url) => {
    const figure = document.createElement("figure");
    figure.innerHTML = '<a target="_blank" rel="noopener"><img loading="lazy" alt=""></a><figcaption></figcaption>';
    figure.querySelector("a").href = url;
    figure.querySelector("img").src = url;
    figure.querySelector("figcaption").textContent = decodeURIComponent(url.split("/").pop());
    return figure;
  }));
}

// ---------------------------------------------------------------------------
// The frame: model status, views, language
// ---------------------------------------------------------------------------

async function refreshModel() {
  try {
    state.model = await api("/api/model");
  } catch (err) {
    showError(err);
    return;
  }
  const m = state.model;
  const mode = modeName(m.mode);
  $("model-status").textContent = m.ready
    ? tr("web.model.summary", { sizes: m.sizes.join("-"), mode, accuracy: formatNumber(m.test_accuracy ?? NaN, 2, state.format) })
    : m.training ? tr("web.model.training") : tr("web.model.none");
  $("model-status").className = "model-status " + (m.ready ? "ready" : "waiting");
}

function route() {
  clearError();  // an error belongs to the view it happened in
  const view = (location.hash || "#draw").slice(1);
  const known = ["draw", "browse", "step", "train", "mine", "sigmoid", "experiments"].includes(view) ? view : "draw";
  document.querySelectorAll(".view").forEach((section) => { section.hidden = section.id !== `view-${known}`; });
  document.querySelectorAll("[data-view]").forEach((tab) => {
    tab.classList.toggle("active", tab.dataset.view === known);
    tab.setAttribute("aria-selected", String(tab.dataset.view === known));
    if (tab.dataset.view === known) tab.scrollIntoView({ block: "nearest", inline: "nearest" });  // a phone's strip
  });
  if (known === "draw" && state.models) loadModels();  // a model saved meanwhile (reseau train) appears
  if (known === "browse" && !state.browseLoaded) { state.browseLoaded = true; browse($("browse-index").value || 0); }
  if (known === "experiments") loadExperiments();
  if (known === "sigmoid") drawSigmoid();
  if (known === "step") showStepView();  // step.js
  if (known === "mine") showMine();  // mine.js
}

async function switchLanguage(lang) {
  remember("reseau-lang", lang);
  await loadMessages(lang);
  await refreshModel();
  const mode = $("train-mode").value;
  for (const option of $("train-mode").options) option.textContent = modeName(option.value);
  $("train-mode").value = mode;
  setBrowsePrompt();
  rewriteRate();
  showLimits();
  labelCases();
  drawSigmoid();
  relabelStep();  // step.js
  relabelMine();  // mine.js
  await loadModels();
  $("train-hidden-label").textContent = tr($("train-hidden-label").dataset.i18n);
  estimateTraining();
  if (state.lastDraw) showAnswer("draw", state.lastDraw);
  if (state.lastBrowse) showItem(state.lastBrowse);
  await loadTrainStatus();
  if (location.hash === "#experiments") loadExperiments();
}

async function main() {
  // A folder written by `reseau site` says so in a script before this one (RESEAU_SITE): no server there.
  const site = globalThis.RESEAU_SITE;
  state.backend = site ? siteBackend(scriptSource(site.folder)) : serverBackend(fetchSource());
  try {
    await loadMessages(remembered("reseau-lang"));
    state.options = await api("/api/options");  // first: the status line names the model's kind from it
    await refreshModel();
    await loadModels();
  } catch (err) {
    showError(err);
    return;
  }
  $("error-close").addEventListener("click", () => clearError());
  document.querySelectorAll("[data-lang]").forEach((b) => b.addEventListener("click", () => switchLanguage(b.dataset.lang)));
  setUpPad();
  setUpPhoto(showSeen);  // photo.js: « Photo », its answer shown where the drawing's is
  setUpBrowse();
  setBrowsePrompt();
  setUpTrain();
  setUpSigmoid();
  setUpStep();  // step.js: the « Pas à pas » tab
  setUpMine();  // mine.js: the « Mes chiffres » tab
  $("exp-reload").addEventListener("click", loadExperiments);
  $("exp-frame").addEventListener("load", fitFrame);
  window.addEventListener("hashchange", route);
  route();
  await loadTrainStatus();
  document.body.dataset.ready = "true";  // for tests and screenshots: everything is wired
}

// A module runs once the page is parsed and every module it imports (step.js included) has arrived.
main();
