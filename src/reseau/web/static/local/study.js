// The Experiments tab of a site (no server): the document's exercise run in this browser, as
// `reseau experiment` runs it — studies over the epochs, the hidden neurons and the learning rate, several
// seeds each, trained in parallel Web Workers (local/study-worker.js), shown as its report shows them (a
// table of mean ± standard deviation per value, a plot), beside the reference study that `reseau site`
// shipped (RESEAU_SITE.reference: site_reference.reference_for_site's tables and deductions).
//
// The results are kept in the browser (IndexedDB) after each run: a reloaded page finds the study, finished
// or to resume. If the browser refuses to keep them, one sentence says so and nothing computed is lost (the
// page keeps them, the CSV still exports them). The CSV has `reseau experiment`'s columns (results.csv).
//
// The parts without a page are local/study-table.js (tested under Node against Python); this file is
// tested by tests/test_site_study.py in Chromium.

import { documentImages, sparseRows } from "../engine/faithful.js";
import { formatCount, formatNumber, formatRate } from "../numbers.js";
import { $, state, tr } from "../page.js";
import { mnistSplit } from "./files.js";
import * as T from "./study-table.js";
import { makeWorker, workerCount, workersAvailable } from "./workers.js";

const IMAGES = [60000, 10000, 1000];  // training images a study may use: all, or the first ones (quicker)
const LOG_FACTORS = ["hidden", "lr"];  // report.LOG_FACTORS: plotted on a log scale
const DB = { name: "reseau-study", store: "studies", key: "current" };

const study = {
  studies: null,  // study-table.js makeStudies(): what is asked
  form: null,  // { grid, seeds, limit }: the form that asked it (restored after a reload)
  results: {},  // run key -> result (study-worker.js)
  run: null,  // while computing: { workers, jobs, images, doneImages, progress, started }
  storageBroken: false,
  saving: Promise.resolve(),
};
let wired = false;

/** Show the study instead of the server's report (app.js, when the page has no server). */
export function showStudy() {
  $("exp-empty").hidden = true;
  $("exp-report").hidden = true;
  $("study").hidden = false;
  if (!wired) {
    wired = true;
    setUp();
    restore();
  }
  labelForm();
  render();
}

// ---------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------

function setUp() {
  const rows = T.FACTORS.map((factor) => {
    const label = document.createElement("label");
    label.className = "study-factor";
    label.innerHTML = '<input type="checkbox" checked> <span></span> <input type="text" spellcheck="false">';
    label.dataset.factor = factor;
    return label;
  });
  $("study-factors").replaceChildren(...rows);
  $("study-seeds").value = T.DEFAULT_SEEDS;
  $("study-images").replaceChildren(...IMAGES.map((n) => new Option("", n)));
  $("study-form").addEventListener("submit", (event) => { event.preventDefault(); start(false); });
  $("study-resume").addEventListener("click", () => start(true));
  $("study-stop").addEventListener("click", () => stop("web.study.stopped"));
  $("study-clear").addEventListener("click", clear);
  fillForm({ grid: T.DEFAULT_GRID, seeds: T.DEFAULT_SEEDS, limit: null });
}

function fillForm({ grid, seeds, limit }) {
  for (const row of $("study-factors").children) {
    const values = grid[row.dataset.factor];
    row.querySelector("input[type=checkbox]").checked = !!values;
    row.querySelector("input[type=text]").value = (values || T.DEFAULT_GRID[row.dataset.factor]).map(shown).join(" ; ");
  }
  $("study-seeds").value = seeds;
  $("study-images").value = String(limit || T.TRAIN_IMAGES);
}

function labelForm() {
  for (const row of $("study-factors").children) {
    row.querySelector("span").textContent = tr("web.study.values", { factor: factorLabel(row.dataset.factor) });
  }
  for (const option of $("study-images").options) option.textContent = formatCount(Number(option.value), state.format);
  const { epochs, hidden, lr } = T.BASE;
  $("study-fixed").textContent = tr("web.study.fixed", { hidden, lr: formatRate(lr, state.format), epochs });
}

function shown(value) {
  return formatRate(value, state.format);  // 0,01 in French, 0.01 in English
}

function factorLabel(factor) {
  return { epochs: tr("web.study.factor.epochs"), hidden: tr("web.study.factor.hidden"), lr: tr("web.study.factor.lr") }[factor];
}

const LIMITS = { epochs: ["epochs", true], hidden: ["hidden", true], lr: ["learn_rate", false] };  // options' limits

function readValues(factor, text) {
  // "1 ; 2 ; 3" (or "1, 2, 3" in English) -> [1, 2, 3]; an Error naming the wrong value otherwise.
  const [field, whole] = LIMITS[factor];
  const [low, high] = state.options?.limits?.[field] ?? [whole ? 1 : 0, 1000];
  const separator = state.format.decimal === "," ? /[;\s]+/ : /[;,\s]+/;
  const values = [];
  for (const part of text.split(separator).filter(Boolean)) {
    const value = Number(part.replace(",", ".").replace("\u2212", "-"));
    const fits = Number.isFinite(value) && (whole ? Number.isInteger(value) && value >= low : value > low) && value <= high;
    if (!fits) throw new Error(tr("web.study.bad_value", { text: part, factor: factorLabel(factor), low: shown(low), high: shown(high) }));
    if (!values.includes(value)) values.push(value);
  }
  return values;
}

function readForm() {
  const grid = {};
  for (const row of $("study-factors").children) {
    if (!row.querySelector("input[type=checkbox]").checked) continue;
    const values = readValues(row.dataset.factor, row.querySelector("input[type=text]").value);
    if (values.length) grid[row.dataset.factor] = values;
  }
  if (!Object.keys(grid).length) throw new Error(tr("web.study.none_chosen"));
  const seeds = Math.max(1, Math.min(10, Math.round(Number($("study-seeds").value)) || T.DEFAULT_SEEDS));
  const limit = Number($("study-images").value);
  return { grid, seeds, limit: limit < T.TRAIN_IMAGES ? limit : null };
}

// ---------------------------------------------------------------------------
// Running: the workers, one job at a time each
// ---------------------------------------------------------------------------

function studyData() {
  // MNIST's lit pixels and digits, as the workers take them (made once per page; copied to each worker).
  return state.backend.remember("study-data", async () => {
    const [train, test] = await Promise.all(["train", "test"].map((split) => mnistSplit(state.backend.source, split, "mnist")));
    const lit = (split) => ({ ...sparseRows(documentImages(split.images)), digits: split.labels });
    return { train: lit(train), test: lit(test) };
  });
}

async function start(resume) {
  if (study.run) return;
  let form;
  try {
    form = resume ? study.form : readForm();
    if (!workersAvailable()) throw new Error(tr("web.study.no_workers"));
  } catch (err) {
    say(err.message);
    return;
  }
  if (!resume) {
    study.results = {};
    study.form = form;
  }
  study.studies = T.makeStudies(form.grid, form.seeds, form.limit);
  const total = T.countRuns(study.studies);
  if (total > T.MAX_RUNS) {
    say(tr("web.study.too_many", { count: formatCount(total, state.format), limit: formatCount(T.MAX_RUNS, state.format) }));
    return;
  }
  const jobs = T.planJobs(study.studies, new Set(Object.keys(study.results)));
  const imagesOf = (job) => job.epochs.at(-1) * (job.limit ?? T.TRAIN_IMAGES);
  study.run = { workers: [], jobs, images: jobs.reduce((sum, job) => sum + imagesOf(job), 0), doneImages: 0,
    progress: new Map(), started: performance.now(), imagesOf };
  save();
  render();
  setRunning(true);
  say(tr("web.study.loading"));
  let data;
  try {
    data = await studyData();
  } catch (err) {
    stop(null);
    say(err.key ? tr(err.key, err.params) : err.message);
    return;
  }
  if (!study.run) return;  // stopped meanwhile
  for (let k = 0; k < Math.min(workerCount(), jobs.length); k++) {
    const worker = makeWorker();
    worker.onmessage = (event) => heard(worker, event.data);
    worker.onerror = (event) => failed(event.message || "worker");
    worker.postMessage({ type: "study-data", data });
    study.run.workers.push(worker);
    next(worker);
  }
  showProgress();
  if (!jobs.length) finish();
}

function next(worker) {
  const job = study.run.jobs.shift();
  worker.job = job;
  if (job) worker.postMessage({ type: "study-job", job });
  else if (study.run.workers.every((w) => !w.job)) finish();
}

function heard(worker, message) {
  const run = study.run;
  if (!run) return;
  if (message.type === "study-result") {
    study.results[message.result.key] = message.result;
    save();
    render();
  } else if (message.type === "study-progress") {
    run.progress.set(worker, message.done);
    showProgress();
  } else if (message.type === "study-job-done") {
    run.doneImages += run.imagesOf(worker.job);
    run.progress.delete(worker);
    next(worker);
    showProgress();
  } else if (message.type === "study-failed") {
    failed(message.reason);
  }
}

function showProgress() {
  const run = study.run;
  if (!run) return;
  const done = run.doneImages + [...run.progress.values()].reduce((a, b) => a + b, 0);
  $("study-bar").hidden = false;
  $("study-bar").value = run.images ? done / run.images : 1;
  const total = T.countRuns(study.studies);
  const finished = finishedRuns();
  say(tr("web.study.progress", { done: formatCount(finished, state.format), total: formatCount(total, state.format),
    workers: run.workers.length }));
}

function finishedRuns() {
  const keys = new Set(study.studies.flatMap((s) => T.studyRuns(s).map((run) => run.key)));
  return [...keys].filter((key) => study.results[key]).length;
}

function finish() {
  const seconds = Object.values(study.results).reduce((sum, r) => sum + r.seconds, 0);
  stop(null);
  say(tr("web.study.done", { total: formatCount(finishedRuns(), state.format), seconds: formatNumber(seconds, 1, state.format) }));
}

function failed(reason) {
  stop(null);
  say(tr("web.study.failed", { reason }));
}

function stop(key) {
  // The workers are ended where they are: what they sent is kept; the job they were in is done again later.
  if (study.run) for (const worker of study.run.workers) worker.terminate();
  study.run = null;
  setRunning(false);
  $("study-bar").hidden = true;
  if (key) say(tr(key, { done: formatCount(finishedRuns(), state.format), total: formatCount(T.countRuns(study.studies), state.format) }));
  render();
}

function setRunning(running) {
  $("study-start").disabled = running;
  $("study-clear").disabled = running;
  $("study-stop").hidden = !running;
  $("study").dataset.running = String(running);  // for tests
  showResume();
}

function showResume() {
  const partial = !study.run && study.studies && finishedRuns() < T.countRuns(study.studies);
  $("study-resume").hidden = !partial;
}

function clear() {
  stop(null);
  study.studies = null;
  study.results = {};
  study.form = null;
  say("");
  remove();
  render();
}

function say(text) {
  $("study-state").textContent = text;
}

// ---------------------------------------------------------------------------
// Kept in the browser: IndexedDB (one record, the current study)
// ---------------------------------------------------------------------------

function database() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB.name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(DB.store);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transaction(mode, act) {
  const db = await database();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(DB.store, mode);
      const request = act(tx.objectStore(DB.store));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

function save() {
  if (!study.form) return;
  const record = { version: 1, form: study.form, results: study.results };
  study.saving = study.saving.then(() => transaction("readwrite", (store) => store.put(record, DB.key))).catch(storageFailed);
}

function remove() {
  study.saving = study.saving.then(() => transaction("readwrite", (store) => store.delete(DB.key))).catch(storageFailed);
}

function storageFailed() {
  // Said once; the study goes on in the page's memory, and the CSV still has everything.
  study.storageBroken = true;
  $("study-storage").textContent = tr("web.study.storage_failed");
  $("study-storage").hidden = false;
}

async function restore() {
  let record;
  try {
    record = await transaction("readonly", (store) => store.get(DB.key));
  } catch (err) {
    storageFailed();
    return;
  }
  if (!record || record.version !== 1 || study.studies) return;
  study.form = record.form;
  study.results = record.results || {};
  study.studies = T.makeStudies(record.form.grid, record.form.seeds, record.form.limit);
  fillForm(record.form);
  say(tr("web.study.restored", { done: formatCount(finishedRuns(), state.format), total: formatCount(T.countRuns(study.studies), state.format) }));
  setRunning(false);
  render();
}

// ---------------------------------------------------------------------------
// Showing: the tables, the plots, the CSV link, the reference study
// ---------------------------------------------------------------------------

function render() {
  showResume();
  const tables = study.studies ? study.studies.map((s) => T.summarise(s, study.results)) : [];
  const reference = globalThis.RESEAU_SITE?.reference || null;
  const shipped = (name) => reference?.tables?.find((tb) => tb.name === name && tb.factors.length === 1);
  const any = Object.keys(study.results).length > 0;
  $("study-tables").replaceChildren(...(tables.length && any
    ? tables.flatMap((tb) => [heading(tb), tableElement(tb), plot(tb, shipped(tb.name))])
    : [paragraph(tr("web.study.nothing_yet"), "hint")]));
  const link = $("study-csv");
  if (link.href) URL.revokeObjectURL(link.href);
  link.hidden = !any;
  if (any) link.href = URL.createObjectURL(new Blob([T.studyCsv(study.studies, study.results)], { type: "text/csv" }));
  showReference(reference);
}

function showReference(reference) {
  $("study-reference-about").textContent = reference
    ? tr("web.study.reference_about", { command: reference.command, runs: formatCount(reference.runs, state.format),
      seeds: reference.seeds, n_train: formatCount(reference.n_train, state.format) })
    : tr("web.study.no_reference");
  $("study-deductions-title").hidden = !reference;
  const sentences = reference?.deductions?.[state.lang] || [];
  $("study-deductions").replaceChildren(...sentences.map((s) => paragraph(s, "", "li")));
  const tables = (reference?.tables || []).filter((tb) => tb.factors.length === 1);
  $("study-reference-tables").replaceChildren(...tables.flatMap((tb) => [heading(tb), tableElement(tb)]));
}

function heading(table) {
  const labels = table.factors.map(factorLabel).join(", ");
  return paragraph(tr("web.study.study_title", { factors: labels }), "study-title", "h4");
}

function paragraph(text, className = "", tag = "p") {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function tableElement(table) {
  // report.table_markdown's columns: the factor, test, "Précision", training time, seeds, notes.
  const element = document.createElement("table");
  element.className = "study-table";
  const head = [factorLabel(table.factors[0]), tr("web.study.col_test"), tr("web.study.col_precision"),
    tr("web.study.col_seconds"), tr("web.study.col_runs"), tr("web.study.col_notes")];
  const row = (cells, tag) => {
    const tr_ = document.createElement("tr");
    for (const text of cells) tr_.append(paragraph(text, "", tag));
    return tr_;
  };
  const thead = document.createElement("thead");
  thead.append(row(head, "th"));
  const tbody = document.createElement("tbody");
  for (const p of table.points) {
    const notes = T.notes(p).map(([key, params]) => tr(key, params)).join("; ");
    tbody.append(row([shown(p.values[table.factors[0]]), T.cell(p.test_mean, p.test_std, state.format),
      T.cell(p.precision_mean, p.precision_std, state.format), T.cell(p.seconds_mean, p.seconds_std, state.format),
      `${p.n}/${p.expected}`, notes], "td"));
  }
  element.append(thead, tbody);
  return element;
}

// A plot as report.study_figure draws it: test and "Précision" (mean ± std) against the factor; here with
// the reference study's test beside them.
const SVG = "http://www.w3.org/2000/svg";
const COLOURS = { test: "#1f77b4", precision: "#ff7f0e", reference: "#6b7280" };

function svg(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function plot(table, reference) {
  const W = 520, H = 300, m = { l: 44, r: 12, t: 12, b: 88 };  // below: the values, the factor, 3 legend lines
  const factor = table.factors[0];
  const values = table.points.map((p) => p.values[factor]);
  const log = LOG_FACTORS.includes(factor) && values.every((v) => v > 0);
  const at = (v) => (log ? Math.log10(v) : v);
  const [xLow, xHigh] = [Math.min(...values.map(at)), Math.max(...values.map(at))];
  const x = (v) => m.l + (xHigh === xLow ? 0.5 : (at(v) - xLow) / (xHigh - xLow)) * (W - m.l - m.r);
  const lines = [["test", table.points], ["precision", table.points], ["reference", reference?.points || []]];
  const shownValues = lines.flatMap(([name, points]) => points.flatMap((p) => {
    const mean = name === "precision" ? p.precision_mean : p.test_mean;
    return mean === null ? [] : [mean - ((name === "precision" ? p.precision_std : p.test_std) || 0)];
  }));
  const low = Math.max(0, Math.floor(Math.min(100, ...shownValues) / 10) * 10);
  const y = (v) => m.t + (1 - (v - low) / (100 - low)) * (H - m.t - m.b);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "study-plot", role: "img" });
  for (let v = low; v <= 100; v += low >= 80 ? 5 : 10) {
    chart.append(svg("line", { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), stroke: "#e5e7eb" }));
    chart.append(svg("text", { x: m.l - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11 }, formatNumber(v, 0, state.format)));
  }
  for (const v of values) chart.append(svg("text", { x: x(v), y: H - m.b + 16, "text-anchor": "middle", "font-size": 11 }, shown(v)));
  chart.append(svg("text", { x: (W + m.l) / 2, y: H - m.b + 32, "text-anchor": "middle", "font-size": 12 }, factorLabel(factor)));
  lines.forEach(([name, points], k) => {
    const mean = (p) => (name === "precision" ? p.precision_mean : p.test_mean);
    const std = (p) => (name === "precision" ? p.precision_std : p.test_std) || 0;
    const usable = points.filter((p) => mean(p) !== null && values.includes(p.values[factor]));
    const dash = { test: "", precision: "6 4", reference: "2 3" }[name];
    if (usable.length > 1) {
      const d = usable.map((p, i) => `${i ? "L" : "M"}${x(p.values[factor])},${y(mean(p))}`).join(" ");
      chart.append(svg("path", { d, fill: "none", stroke: COLOURS[name], "stroke-width": 2, "stroke-dasharray": dash }));
    }
    for (const p of usable) {
      const [px, py] = [x(p.values[factor]), y(mean(p))];
      if (std(p)) chart.append(svg("line", { x1: px, x2: px, y1: y(mean(p) - std(p)), y2: y(Math.min(100, mean(p) + std(p))), stroke: COLOURS[name] }));
      chart.append(svg("circle", { cx: px, cy: py, r: 3.5, fill: COLOURS[name] }));
    }
    const legend = { test: "web.study.plot.test", precision: "web.study.plot.precision", reference: "web.study.plot.reference" }[name];
    if (usable.length) {
      const ly = H - 44 + k * 15;  // one legend line each
      chart.append(svg("line", { x1: m.l, x2: m.l + 22, y1: ly, y2: ly, stroke: COLOURS[name], "stroke-width": 2, "stroke-dasharray": dash }));
      chart.append(svg("text", { x: m.l + 28, y: ly + 4, "font-size": 11 }, tr(legend)));
    }
  });
  chart.prepend(svg("title", {}, tr("web.study.plot.accuracy")));
  return chart;
}
