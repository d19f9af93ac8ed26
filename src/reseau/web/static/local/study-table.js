// The exercise's studies in the browser, the parts without a page: which runs a study asks for, how they
// are shared out between workers, and the results as `reseau experiment` writes them (no DOM: Node tests it).
//
// Twins of the Python (src/reseau/experiments/):
// - makeStudies / studyRuns: studies.py's Study and its specs (points x seeds, the same order), for the
//   document's network; the seeds of a study are 0, 1, ... as build_studies gives them;
// - meanStd / pointStats / summarise: summary.py's mean_std, PointStats.from_runs and summarise;
// - cell / notes: report.py's table cells ("93,32 ± 0,15", "diverge 1/3");
// - CSV_COLUMNS / studyCsv: site_reference.py's runs_csv (`reseau experiment` writes it as results.csv).
// Tested by tests/test_js_study.py (tests/js/study.test.mjs): a small study trained here and by
// `reseau experiment`'s runner gives the same test accuracies, tables and CSV.

import { formatNumber, formatRate, MINUS } from "../numbers.js";

export const FACTORS = ["epochs", "hidden", "lr"];  // the document's three, in its exercise's order
export const DEFAULT_GRID = { epochs: [1, 2, 3, 5, 10], hidden: [5, 10, 20, 50, 100], lr: [0.001, 0.01, 0.1, 1, 10] };
export const DEFAULT_SEEDS = 3;  // studies.DEFAULT_SEEDS
export const BASE = { epochs: 3, hidden: 20, lr: 0.01 };  // the document's settings, held fixed meanwhile
export const TRAIN_IMAGES = 60000;
export const MAX_RUNS = 600;  // a bigger study would keep a browser busy for hours: refused
export const CHANCE = 10;  // runs.CHANCE: % of a 10-class test answered right by guessing
export const CHANCE_MARGIN = 5;  // runs.CHANCE_MARGIN: below CHANCE + this, a run is "at chance"

/**
 * The studies asked for: one per factor of `grid` ({ hidden: [5, 10] }), around BASE, each value trained
 * once per seed 0 .. seeds - 1, on the first `limit` training images (null: all 60 000).
 */
export function makeStudies(grid, seeds = DEFAULT_SEEDS, limit = null, base = BASE) {
  return FACTORS.filter((factor) => grid[factor]?.length).map((factor) => ({
    name: factor,
    factor,
    values: grid[factor].slice(),
    base: { ...base },
    seeds: Array.from({ length: seeds }, (_, k) => k),
    limit: limit && limit < TRAIN_IMAGES ? limit : null,
  }));
}

/** A run's identity: equal settings give equal keys (a point shared by two studies is one run). */
export function runKey({ epochs, hidden, lr, seed }, limit) {
  return `e${epochs}-h${hidden}-lr${lr}-s${seed}-n${limit ?? TRAIN_IMAGES}`;
}

/** Every run of `study`, value after value and seed after seed (Study.specs' order): { key, value, settings, seed }. */
export function studyRuns(study) {
  const runs = [];
  for (const value of study.values) {
    const settings = { ...study.base, [study.factor]: value };
    for (const seed of study.seeds) runs.push({ key: runKey({ ...settings, seed }, study.limit), value, settings, seed });
  }
  return runs;
}

/** How many different runs the studies ask for. */
export function countRuns(studies) {
  return new Set(studies.flatMap((study) => studyRuns(study).map((run) => run.key))).size;
}

/**
 * The work for the workers: the runs grouped into jobs of the same network, learning rate, seed and images.
 * The document's training has no shuffling, so the runs of 1, 2, 3, 5 and 10 epochs of a group are the
 * first epochs of one training of 10: a job trains once and reports a result after each epoch count asked.
 * Jobs come longest first (the last to finish is a short one). `done`: the keys already computed.
 */
export function planJobs(studies, done = new Set()) {
  const jobs = new Map();
  for (const study of studies) {
    for (const run of studyRuns(study)) {
      if (done.has(run.key)) continue;
      const { hidden, lr, epochs } = run.settings;
      const id = `h${hidden}-lr${lr}-s${run.seed}-n${study.limit ?? TRAIN_IMAGES}`;
      if (!jobs.has(id)) jobs.set(id, { id, hidden, lr, seed: run.seed, limit: study.limit, epochs: [] });
      const job = jobs.get(id);
      if (!job.epochs.includes(epochs)) job.epochs.push(epochs);
    }
  }
  const list = [...jobs.values()];
  for (const job of list) job.epochs.sort((a, b) => a - b);
  const cost = (job) => job.epochs.at(-1) * (job.hidden + 33) * (job.limit ?? TRAIN_IMAGES);  // FaithfulConfig.cost
  return list.sort((a, b) => cost(b) - cost(a));
}

// ---------------------------------------------------------------------------
// Tables: summary.py's statistics, report.py's cells
// ---------------------------------------------------------------------------

/** summary.mean_std: [mean, sample standard deviation] of the values that are numbers (null where too few). */
export function meanStd(measured) {
  const values = measured.filter((v) => v !== null && v !== undefined);
  if (!values.length) return [null, null];
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return [mean, null];
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return [mean, Math.sqrt(squares / (values.length - 1))];
}

/** summary.PointStats.from_runs: one value of a study over its seeds' runs (results of the worker). */
export function pointStats(values, runs, expected) {
  const finite = runs.filter((r) => !r.diverged);
  const [test_mean, test_std] = meanStd(finite.map((r) => r.test_accuracy));
  const [precision_mean, precision_std] = meanStd(finite.map((r) => r.precisions.at(-1) ?? null));
  const [seconds_mean, seconds_std] = meanStd(runs.map((r) => r.seconds));
  const first_precision_mean = meanStd(finite.filter((r) => r.precisions.length).map((r) => r.precisions[0]))[0];
  return {
    values, n: runs.length, expected, test_mean, test_std, precision_mean, precision_std, first_precision_mean,
    seconds_mean, seconds_std, diverged: runs.length - finite.length, at_chance: runs.filter((r) => r.at_chance).length,
  };
}

/** summary.summarise: the table of `study` from `results` ({ key: result }): { name, factors, points, ... }. */
export function summarise(study, results) {
  const runs = studyRuns(study);
  const points = study.values.map((value) => {
    const found = runs.filter((run) => run.value === value && results[run.key]).map((run) => results[run.key]);
    return pointStats({ [study.factor]: value }, found, study.seeds.length);
  });
  return {
    name: study.name, factors: [study.factor], points, base: { ...study.base }, seeds: study.seeds.length,
    n_train: study.limit ?? TRAIN_IMAGES,
  };
}

/** report.cell: "93,32 ± 0,15" (mean ± std), "93,32" (one seed), "—" (nothing measured). */
export function cell(mean, std, format, digits = 2) {
  if (mean === null || mean === undefined) return "—";
  return formatNumber(mean, digits, format) + (std === null || std === undefined ? "" : " ± " + formatNumber(std, digits, format));
}

/** report.table_markdown's notes: [[message key, params]] for the diverged, at-chance and missing runs. */
export function notes(point) {
  const counts = { diverged: [point.diverged, point.n], chance: [point.at_chance, point.n], missing: [point.expected - point.n, point.expected] };
  return Object.entries(counts).filter(([, [n]]) => n > 0).map(([note, [n, m]]) => [`web.study.note_${note}`, { n, m }]);
}

// ---------------------------------------------------------------------------
// The CSV: site_reference.runs_csv's columns and numbers
// ---------------------------------------------------------------------------

export const CSV_COLUMNS = ["study", "mode", "dataset", ...FACTORS, "seed", "n_train", "precision", "test_accuracy",
  "seconds", "diverged", "at_chance"];
const DOT = { decimal: ".", group: "" };  // numbers as a program reads them back

/** Python's repr of a float (the shortest text that reads back the same double): 93.32, 93.0, 0.001. */
export function csvNumber(x) {
  if (x === null || x === undefined) return "";
  const text = String(x);
  return Number.isInteger(x) && !text.includes("e") ? `${text}.0` : text;
}

/** studies.word: a setting as the command line writes it (0.01, 1e-05, 3), the same value when read back. */
export function word(value) {
  const short = formatRate(value, DOT).replace(MINUS, "-");
  return Number(short) === value ? short : csvNumber(value);
}

function csvRow(study, run, result) {
  const settings = FACTORS.map((name) => word(run.settings[name]));
  const measured = [String(run.seed), String(result.n_train), csvNumber(result.diverged ? null : result.precisions.at(-1)),
    csvNumber(result.diverged ? null : result.test_accuracy), formatNumber(result.seconds, 3, DOT),
    result.diverged ? "1" : "0", result.at_chance ? "1" : "0"];
  return [study.name, "faithful", "mnist", ...settings, ...measured].join(",");
}

/** Every finished run of `studies`, one row each, study after study: the text of `reseau experiment`'s results.csv. */
export function studyCsv(studies, results) {
  const rows = [CSV_COLUMNS.join(",")];
  for (const study of studies) {
    for (const run of studyRuns(study)) if (results[run.key]) rows.push(csvRow(study, run, results[run.key]));
  }
  return rows.join("\n") + "\n";
}
