// « Mes chiffres » / "My digits": the student writes the digits the page asks for, in random order, ten of each;
// they are kept in this browser (localStorage), and a table says how each network available reads *their*
// handwriting: the accuracy per digit beside the network's on MNIST's test set, the confusions, the 28x28 images
// it got wrong. The lesson's last point made concrete: the accuracy on MNIST's test set is not the accuracy on
// your handwriting.
//
// Each digit is kept as the 28x28 image the networks get (grey 0-255, ink bright, as MNIST's): the drawing
// through the Draw tab's network's preprocessing (POST /api/predict's `input`). Each network then reads those
// images as they are (POST /api/predict, preprocess false): what `reseau evaluate --data-dir` does with the
// exported files (local/idx.js writes them; reseau.digitset reads them). Every answer comes from the page's
// own POST /api/predict, answered in the browser (local/predict.js) on every backend.
//
// In `reseau classe`, when the teacher allows it, « Envoyer à la classe » sends the set to the lesson
// (POST /api/classe/digits): the teacher's page shows the class's set (classe/static/teacher.js).
//
// Tested by tests/test_mine_browser.py (ten digits drawn appear in the table; export, import) and
// tests/test_classe_digits.py (two students send their sets; the teacher's page shows both; the export is IDX).

import { formatCount, formatNumber } from "./numbers.js";
import { $, api, clearError, drawDigit, remember, remembered, showError, state, tr } from "./page.js";
import { SET_FILES, readSet, setFiles } from "./local/idx.js";

const KEY = "reseau-mine";  // where the set is kept (localStorage)
const EACH = 10;  // digits asked of each class in one round
const MAX_DIGITS = 2000;  // the most digits kept (an imported set included)
const SIDE = 28;
const SEND_SIDE = 112;  // the drawing is sent as SEND_SIDE x SEND_SIDE grey levels (as the Draw tab: app.js)
const PEN = 0.075;  // pen width, as a fraction of the pad's side (as app.js)

const mine = {
  digits: [],  // [{ label, image: Uint8Array (784) }]: the set, oldest first
  asked: [],  // the digits still to write in this round, the next first
  kept: true,  // false once the browser refused to keep the set (it stays in memory)
  pad: { drawing: false, last: null, ink: false, reader: null },
  results: null,  // the table's last reading (redrawn when the language changes)
  reading: 0,  // a counter: a newer reading replaces an older one still running
};

// ---------------------------------------------------------------------------
// Keeping the set in the browser
// ---------------------------------------------------------------------------

function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(text);
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function load() {
  try {
    const saved = JSON.parse(remembered(KEY) || "null");
    if (!saved || saved.version !== 1) return;
    const images = fromBase64(saved.images);
    mine.digits = saved.labels.map((label, k) => ({ label, image: images.slice(k * 784, (k + 1) * 784) }));
    mine.asked = saved.asked.filter((d) => Number.isInteger(d) && d >= 0 && d <= 9);
  } catch (err) {
    mine.digits = [];  // a damaged entry: start again (nothing else can be made of it)
  }
}

function save() {
  const images = new Uint8Array(mine.digits.length * 784);
  mine.digits.forEach((d, k) => images.set(d.image, k * 784));
  const saved = { version: 1, labels: mine.digits.map((d) => d.label), images: toBase64(images), asked: mine.asked };
  mine.kept = remember(KEY, JSON.stringify(saved));
  $("mine-storage").hidden = mine.kept;
}

/** The set as MNIST's arrays: images (n * 784 grey levels) and labels (n). */
export function mineSet() {
  const images = new Uint8Array(mine.digits.length * 784);
  mine.digits.forEach((d, k) => images.set(d.image, k * 784));
  return { images, labels: Uint8Array.from(mine.digits, (d) => d.label) };
}

// ---------------------------------------------------------------------------
// Asking: ten of each digit, in random order
// ---------------------------------------------------------------------------

function newRound() {
  const asked = [];
  for (let d = 0; d <= 9; d++) for (let k = 0; k < EACH; k++) asked.push(d);
  for (let i = asked.length - 1; i > 0; i--) {  // Fisher-Yates
    const j = Math.floor(Math.random() * (i + 1));
    [asked[i], asked[j]] = [asked[j], asked[i]];
  }
  return asked;
}

function showPrompt() {
  const done = EACH * 10 - mine.asked.length;
  const next = mine.asked[0];
  $("mine-prompt").textContent = next === undefined ? tr("web.mine.round_done") : tr("web.mine.write", { digit: next });
  $("mine-prompt").dataset.digit = next ?? "";
  $("mine-progress").textContent = tr("web.mine.progress", { done, total: EACH * 10, kept: formatCount(mine.digits.length, state.format) });
  $("mine-keep").disabled = next === undefined;
  $("mine-again").hidden = next !== undefined;
}

// ---------------------------------------------------------------------------
// The pad (the Draw tab's pen: app.js)
// ---------------------------------------------------------------------------

function padPoint(event) {
  const canvas = $("mine-pad");
  const box = canvas.getBoundingClientRect();
  return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
}

function stroke(from, to) {
  const canvas = $("mine-pad");
  const ctx = canvas.getContext("2d");
  Object.assign(ctx, { strokeStyle: "#000", lineWidth: canvas.width * PEN, lineCap: "round", lineJoin: "round" });
  ctx.beginPath();
  ctx.moveTo(from[0], from[1]);
  ctx.lineTo(to[0] + 0.01, to[1]);  // a zero-length line draws nothing; a tap must leave a dot
  ctx.stroke();
  mine.pad.ink = true;
}

function padPixels() {
  // The pad, shrunk with smoothing to SEND_SIDE x SEND_SIDE; ink = the alpha channel, 0..1 (as app.js).
  if (!mine.pad.reader) {
    mine.pad.reader = document.createElement("canvas");
    mine.pad.reader.width = mine.pad.reader.height = SEND_SIDE;
  }
  const ctx = mine.pad.reader.getContext("2d", { willReadFrequently: true });
  ctx.clearRect(0, 0, SEND_SIDE, SEND_SIDE);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage($("mine-pad"), 0, 0, SEND_SIDE, SEND_SIDE);
  const rgba = ctx.getImageData(0, 0, SEND_SIDE, SEND_SIDE).data;
  return Array.from({ length: SEND_SIDE * SEND_SIDE }, (_, i) => Math.round(rgba[4 * i + 3] / 0.255) / 1000);
}

function clearPad() {
  const canvas = $("mine-pad");
  canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  mine.pad.ink = false;
}

function setUpPad() {
  const canvas = $("mine-pad");
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    mine.pad.drawing = true;
    mine.pad.last = padPoint(event);
    stroke(mine.pad.last, mine.pad.last);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!mine.pad.drawing) return;
    for (const e of event.getCoalescedEvents ? event.getCoalescedEvents() : [event]) {
      const point = padPoint(e);
      stroke(mine.pad.last, point);
      mine.pad.last = point;
    }
  });
  const end = () => { mine.pad.drawing = false; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
}

let keeping = false;  // a drawing is being kept: a second click (a double click) waits for it, it keeps nothing twice

/** The drawing, kept as the 28x28 image the Draw tab's network gets, under the digit asked. */
async function keep() {
  if (keeping) return;
  keeping = true;
  $("mine-keep").disabled = true;
  try {
    await keepDrawing();
  } finally {
    keeping = false;
    showPrompt();  // the button again, and the next digit asked
  }
}

async function keepDrawing() {
  const label = mine.asked[0];
  if (label === undefined) return;
  if (!mine.pad.ink) { showError(new Error(tr("web.mine.empty")), "mine"); return; }
  let answer;
  try {
    const body = { width: SEND_SIDE, height: SEND_SIDE, pixels: padPixels(), model: state.drawModel || undefined };
    answer = await api("/api/predict", { method: "POST", body });
  } catch (err) {
    showError(err, "mine");
    return;
  }
  if (answer.empty) { showError(new Error(tr("web.mine.empty")), "mine"); return; }
  clearError("mine");
  const image = Uint8Array.from(answer.input, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  mine.digits.push({ label, image });
  mine.asked.shift();
  save();
  clearPad();
  showPrompt();
  readAll();
}

// ---------------------------------------------------------------------------
// How each network reads the set
// ---------------------------------------------------------------------------

function networks() {
  // Every usable model file of the page (GET /api/models), the drawing network first.
  const list = state.models;
  if (!list) return [];
  const usable = list.models.filter((m) => m.usable);
  return usable.sort((a, b) => (b.name === list.drawing) - (a.name === list.drawing) || a.name.localeCompare(b.name));
}

function inputOf(digit, entry) {
  // The 28x28 image as it is (no preprocessing: it is already what the networks get), to the model file `entry`.
  return { width: SIDE, height: SIDE, pixels: Array.from(digit.image, (v) => v / 255), preprocess: false, model: entry.name };
}

/** How the model file `entry` reads every digit of the set: { name, count, right, confusions, wrong }. */
async function readWith(entry, digits) {
  const count = new Array(10).fill(0), right = new Array(10).fill(0);
  const confusions = new Map(), wrong = [];
  const key = `${entry.name}@${entry.modified}`;  // a file a training replaced reads the set again
  for (const d of digits) {
    d.read ??= {};  // network -> the digit it read (asked once per digit and network)
    if (d.read[key] === undefined) d.read[key] = (await api("/api/predict", { method: "POST", body: inputOf(d, entry) })).digit;
    const { label, image } = d, read = d.read[key];
    count[label] += 1;
    if (read === label) { right[label] += 1; continue; }
    const pair = `${label}>${read}`;
    confusions.set(pair, (confusions.get(pair) ?? 0) + 1);
    wrong.push({ label, read, image });
  }
  const sorted = [...confusions].map(([pair, n]) => [...pair.split(">").map(Number), n])
    .sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]);
  return { name: entry.name, mnist: entry.test_accuracy, drawing: entry.name === state.models.drawing, count, right,
    confusions: sorted, wrong };
}

async function readAll() {
  const reading = ++mine.reading;
  const digits = mine.digits.slice();
  $("mine-empty").hidden = digits.length > 0;
  if (!digits.length) { mine.results = null; showResults(); return; }
  $("mine-reading").textContent = tr("web.mine.reading");
  try {
    const results = [];
    for (const entry of networks()) results.push(await readWith(entry, digits));
    if (reading !== mine.reading) return;  // a newer reading started meanwhile
    mine.results = { total: digits.length, networks: results };
    clearError("mine");
  } catch (err) {
    if (reading === mine.reading) showError(err, "mine");
  } finally {
    if (reading === mine.reading) $("mine-reading").textContent = "";
  }
  showResults();
}

function percent(right, count) {
  return count ? `${formatNumber((100 * right) / count, 0, state.format)} %` : "—";
}

function cell(row, text, className = "") {
  const td = document.createElement(row.parentElement?.tagName === "THEAD" ? "th" : "td");
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function showResults() {
  const results = mine.results;
  $("mine-table").replaceChildren();
  $("mine-details").replaceChildren();
  if (!results) return;
  const head = $("mine-table").createTHead().insertRow();
  [tr("web.mine.col.network"), ..."0123456789", tr("web.mine.col.total"), tr("web.mine.col.mnist")].forEach((t) => cell(head, t));
  const body = $("mine-table").createTBody();
  for (const r of results.networks) {
    const row = body.insertRow();
    row.dataset.network = r.name;
    cell(row, r.drawing ? tr("web.models.drawing", { name: r.name }) : r.name, "name");
    r.count.forEach((n, k) => { cell(row, percent(r.right[k], n)).title = `${r.right[k]} / ${n}`; });
    const [right, count] = [r.right.reduce((a, b) => a + b, 0), r.count.reduce((a, b) => a + b, 0)];
    const total = cell(row, percent(right, count), "total");
    total.title = `${right} / ${count}`;
    total.dataset.count = count;
    cell(row, r.mnist === null || r.mnist === undefined ? "—" : `${formatNumber(r.mnist, 2, state.format)} %`);
    $("mine-details").append(networkDetails(r));
  }
}

function networkDetails(r) {
  // One network's confusions and the images it got wrong (the 28x28 it was given), under a <details>.
  const box = document.createElement("details");
  box.dataset.network = r.name;
  const summary = document.createElement("summary");
  summary.textContent = tr("web.mine.wrong_title", { name: r.name, n: r.wrong.length });
  const said = document.createElement("p");
  said.className = "hint";
  said.textContent = r.confusions.length
    ? r.confusions.slice(0, 8).map(([w, d, n]) => tr("web.mine.confusion", { written: w, read: d, times: n })).join(" · ")
    : tr("web.mine.no_confusion");
  const gallery = document.createElement("div");
  gallery.className = "mine-wrong";
  for (const { label, read, image } of r.wrong.slice(0, 200)) {
    const figure = document.createElement("figure");
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = SIDE;
    canvas.className = "digit";
    drawDigit(canvas, Array.from(image, (v) => v / 255));
    const caption = document.createElement("figcaption");
    caption.textContent = tr("web.mine.read_as", { written: label, read });
    figure.append(canvas, caption);
    gallery.append(figure);
  }
  box.append(summary, said, gallery);
  return box;
}

// ---------------------------------------------------------------------------
// Export, import, forget; sending to the class
// ---------------------------------------------------------------------------

function download(name, bytes) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([bytes], { type: "application/gzip" }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function exportSet() {
  if (!mine.digits.length) { showError(new Error(tr("web.mine.nothing")), "mine"); return; }
  const { images, labels } = mineSet();
  const files = setFiles(images, labels);
  download(SET_FILES.images, files[SET_FILES.images]);
  download(SET_FILES.labels, files[SET_FILES.labels]);
}

async function importSet(fileList) {
  try {
    const files = await Promise.all([...fileList].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    const { images, labels } = await readSet(files);
    if (mine.digits.length + labels.length > MAX_DIGITS) throw new Error(tr("web.mine.too_many", { most: formatCount(MAX_DIGITS, state.format) }));
    labels.forEach((label, k) => mine.digits.push({ label, image: images.slice(k * 784, (k + 1) * 784) }));
    save();
    clearError("mine");
    $("mine-imported").textContent = tr("web.mine.imported", { n: formatCount(labels.length, state.format) });
    showPrompt();
    readAll();
  } catch (err) {
    showError(err.key ? new Error(tr(err.key, err.params)) : err, "mine");
  }
}

function forget() {
  if (!mine.digits.length || !confirm(tr("web.mine.forget_confirm", { n: mine.digits.length }))) return;
  mine.digits = [];
  mine.asked = newRound();
  save();
  showPrompt();
  readAll();
}

function inClass() {
  return !!document.getElementById("classe-bar");  // the student's page of `reseau classe` (classe/templates)
}

async function showSending() {
  // The classroom's « Envoyer à la classe », shown only when the teacher allows it.
  $("mine-class").hidden = true;
  if (!inClass()) return;
  try {
    const found = await api("/api/classe/digits");
    $("mine-class").hidden = !found.allowed;
    $("mine-sent").textContent = found.sent ? tr("web.mine.sent", { n: formatCount(found.sent, state.format) }) : "";
  } catch (err) {
    $("mine-class").hidden = true;
  }
}

async function sendToClass() {
  if (!mine.digits.length) { showError(new Error(tr("web.mine.nothing")), "mine"); return; }
  try {
    const { images, labels } = mineSet();
    const found = await api("/api/classe/digits", { method: "POST", body: { images: toBase64(images), labels: Array.from(labels) } });
    $("mine-sent").textContent = tr("web.mine.sent", { n: formatCount(found.sent, state.format) });
    clearError("mine");
  } catch (err) {
    showError(err, "mine");
  }
}

// ---------------------------------------------------------------------------
// The tab (app.js calls these)
// ---------------------------------------------------------------------------

export function setUpMine() {
  load();
  if (!mine.asked.length && mine.digits.length < EACH * 10) mine.asked = newRound();
  setUpPad();
  $("mine-keep").addEventListener("click", keep);
  $("mine-clear").addEventListener("click", clearPad);
  $("mine-again").addEventListener("click", () => { mine.asked = newRound(); save(); showPrompt(); });
  $("mine-export").addEventListener("click", exportSet);
  $("mine-import").addEventListener("change", (event) => { importSet(event.target.files); event.target.value = ""; });
  $("mine-forget").addEventListener("click", forget);
  $("mine-send").addEventListener("click", sendToClass);
  $("mine-refresh").addEventListener("click", readAll);
}

export function showMine() {
  showPrompt();
  showSending();
  readAll();  // a network trained meanwhile appears
}

export function relabelMine() {
  showPrompt();
  showResults();
}
