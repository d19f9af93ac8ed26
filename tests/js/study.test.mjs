// The exercise in the browser (src/reseau/web/static/local/study-worker.js and study-table.js) against
// `reseau experiment`, on the cases tests/test_js_study.py writes (the JSON file named by RESEAU_STUDY_CASES,
// beside MNIST's bytes): the same runs, tables and CSV. Without that file only the tests needing nothing
// from Python run (tests/test_js.py runs every file of this folder so, and counts a skipped test as a failure).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { arraysBeside } from "./numpy-files.mjs";

const STATIC = new URL("../../src/reseau/web/static/", import.meta.url);
const { documentImages, sparseRows } = await import(new URL("engine/faithful.js", STATIC));
const table = await import(new URL("local/study-table.js", STATIC));
const { runJob } = await import(new URL("local/study-worker.js", STATIC));
const path = process.env.RESEAU_STUDY_CASES;

test("the runs of 1, 2 and 3 epochs of one network and seed are one job; jobs come longest first", () => {
  const studies = table.makeStudies({ epochs: [1, 2, 3], hidden: [5, 50] }, 2, 1000);
  const jobs = table.planJobs(studies);
  assert.equal(table.countRuns(studies), 3 * 2 + 2 * 2);
  assert.deepEqual(jobs.map((job) => [job.hidden, job.seed, job.epochs]),
    [[50, 0, [3]], [50, 1, [3]], [20, 0, [1, 2, 3]], [20, 1, [1, 2, 3]], [5, 0, [3]], [5, 1, [3]]]);
  const done = new Set(table.studyRuns(studies[0]).filter((run) => run.settings.epochs < 3).map((run) => run.key));
  assert.deepEqual(table.planJobs(studies, done).find((job) => job.hidden === 20).epochs, [3]);
});

test("numbers in the CSV read back as the same doubles, as Python's repr writes them", () => {
  for (const x of [93.32, 93, 0.1 + 0.2, 86.18, 100, 9.8]) assert.equal(Number(table.csvNumber(x)), x);
  assert.equal(table.csvNumber(93), "93.0");
  assert.equal(table.csvNumber(null), "");
  assert.deepEqual([0.001, 1, 10, 1e-5, 20].map(table.word), ["0.001", "1", "10", "1e-05", "20"]);
});

const typed = arraysBeside(path);  // (Type, file) -> the array the Python side wrote

function lit(imagesFile, digitsFile) {
  // What local/study.js sends a worker: the lit pixels of the document's images, and the digits.
  return { ...sparseRows(documentImages(typed(Uint8Array, imagesFile))), digits: typed(Uint8Array, digitsFile) };
}

function withoutSeconds(csv) {
  const seconds = table.CSV_COLUMNS.indexOf("seconds");
  return csv.trim().split("\n").map((line) => line.split(",").filter((_, k) => k !== seconds).join(","));
}

if (path) {
  const cases = JSON.parse(readFileSync(path, "utf-8"));
  const data = { train: lit(cases.train_images, cases.train_digits), test: lit(cases.test_images, cases.test_digits) };
  const seeds = cases.studies[0].seeds.length;
  const grid = Object.fromEntries(cases.studies.map((s) => [s.name, s.grid[s.name]]));
  const studies = table.makeStudies(grid, seeds, cases.studies[0].limit, cases.studies[0].base);
  const results = {};
  const progress = [];
  for (const job of table.planJobs(studies)) {
    runJob(data, job, (message) => {
      if (message.type === "study-result") results[message.result.key] = message.result;
      if (message.type === "study-progress") progress.push(message);
    });
  }

  test("the page offers the exercise's studies, seeds and fixed settings of reseau experiment", () => {
    assert.deepEqual(table.DEFAULT_GRID, cases.defaults.grid);
    assert.equal(table.DEFAULT_SEEDS, cases.defaults.seeds);
    assert.deepEqual(table.BASE, cases.base);
    assert.deepEqual(studies.map((s) => [s.name, s.values, s.seeds, s.limit]),
      cases.studies.map((s) => [s.name, s.grid[s.name], s.seeds, s.limit]));
  });

  test("each run's test accuracy and 'Précision' are reseau experiment's, exactly", () => {
    assert.equal(Object.keys(results).length, cases.runs.length);
    for (const run of cases.runs) {
      const got = results[table.runKey(run, cases.studies[0].limit)];
      assert.ok(got, `no run for ${JSON.stringify(run)}`);
      assert.equal(got.test_accuracy, run.test_accuracy);
      assert.deepEqual(got.precisions, run.precisions);
      assert.deepEqual([got.diverged, got.at_chance, got.n_train], [run.diverged, run.at_chance, run.n_train]);
    }
    assert.ok(progress.length > 0 && progress.every((p) => p.done <= p.total));
  });

  test("the tables are reseau experiment's: means and spreads, and the cells as its report writes them", () => {
    studies.forEach((study, s) => {
      const points = table.summarise(study, results).points;
      points.forEach((point, p) => {
        const expected = cases.tables[s][p];
        for (const [name, value] of Object.entries(expected)) {
          if (name.startsWith("seconds")) continue;  // measured times: not the same twice
          if (typeof value === "number" && !Number.isInteger(value)) {
            assert.ok(Math.abs(point[name] - value) <= 1e-9, `${study.name} ${p} ${name}: ${point[name]} != ${value}`);
          } else assert.equal(point[name], value, `${study.name} ${p} ${name}`);
        }
        for (const [lang, format] of Object.entries(cases.formats)) {
          const cells = [table.cell(point.test_mean, point.test_std, format), table.cell(point.precision_mean, point.precision_std, format)];
          assert.deepEqual(cells, cases.cells[lang][s][p], `${lang} ${study.name} ${p}`);
        }
      });
    });
  });

  test("the CSV has reseau experiment's columns and rows (the measured times aside)", () => {
    const csv = table.studyCsv(studies, results);
    assert.equal(csv.split("\n")[0], cases.csv.split("\n")[0]);
    assert.deepEqual(withoutSeconds(csv), withoutSeconds(cases.csv));
  });
}
