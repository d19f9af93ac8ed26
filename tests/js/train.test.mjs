// The site's Train tab (src/reseau/web/static/local/training.js, train.js, trained.js) against Python, on the
// cases tests/test_js_train.py writes (the JSON file named by RESEAU_TRAIN_CASES, beside binary files of MNIST
// bytes and the weights Python's reference engine ended with). The worker's training runs here as its pure
// function (trainDocument), without a Worker.
//
// tests/test_js.py runs every file of this folder without that variable: the comparisons with Python are
// declared only when the cases are there; the tests that need nothing from Python always run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { arraysBeside, largestDifference } from "./numpy-files.mjs";

const STATIC = new URL("../../src/reseau/web/static/", import.meta.url);
const { documentImages, INPUTS } = await import(new URL("engine/faithful.js", STATIC));
const { state } = await import(new URL("page.js", STATIC));
const { readModel } = await import(new URL("local/files.js", STATIC));
const { trainDocument } = await import(new URL("local/training.js", STATIC));
const { duration, fileName, modelInfo, planFor, pythonFloat, render } = await import(new URL("local/train.js", STATIC));
const { documentTensors, modelEntry, modelStatus, writeModel } = await import(new URL("local/trained.js", STATIC));
const path = process.env.RESEAU_TRAIN_CASES;
const NAMES = ["w_i_h", "w_h_o", "b_i_h", "b_h_o"];

const typed = arraysBeside(path);  // (Type, file) -> the array the Python side wrote

async function training(config, train, test, stopAfter = Infinity) {
  // trainDocument's messages, and its last one; `stopAfter` pauses before a stop is asked.
  const messages = [];
  let pauses = 0;
  const last = await trainDocument(config, train, test, {
    post: (m) => messages.push(m), pause: async () => { pauses++; }, stopped: () => pauses >= stopAfter });
  return { messages, last };
}

function speak(lang, sentences) {
  // The page's sentences and number format in `lang`, as GET /api/messages gives them.
  Object.assign(state, { lang, messages: sentences.messages, format: sentences.format });
}

if (path) {
  const cases = JSON.parse(readFileSync(path, "utf-8"));
  const train = { images: documentImages(typed(Uint8Array, cases.train_images)), digits: typed(Uint8Array, cases.train_digits) };
  const test_ = { images: documentImages(typed(Uint8Array, cases.test_images)), digits: typed(Uint8Array, cases.test_digits) };
  const run = await training({ ...cases.config }, train, test_);
  const reports = run.messages.filter((m) => m.type === "epoch");

  test("the worker's training ends with the reference engine's weights, and says its numbers as it goes", () => {
    assert.deepEqual(run.messages.map((m) => m.type), ["progress", "epoch", "progress", "epoch", "done"]);
    assert.deepEqual(run.messages[0], { type: "progress", epoch: 0, done: train.digits.length, total: train.digits.length });
    assert.equal(run.last.type, "done");
    for (const name of NAMES) {
      const gap = largestDifference(run.last.arrays[name], typed(Float64Array, cases.after[name]));
      assert.ok(gap <= 1e-12, `${name}: largest difference ${gap}`);
    }
    assert.deepEqual(reports.map(({ nr_correct, precision, test_accuracy }) => ({ nr_correct, precision, test_accuracy })),
      cases.epochs);
  });

  for (const [lang, sentences] of Object.entries(cases.lang)) {
    test(`the epoch lines, the test lines, a stop and a divergence read as reseau's (${lang})`, () => {
      speak(lang, sentences);
      const events = reports.map(({ type, ...report }, id) => render({ id, kind: "epoch", ...report }));
      assert.deepEqual(events.map((e) => e.line), sentences.lines);
      assert.deepEqual(events.map((e) => e.test_line), sentences.test_lines);
      assert.ok(!("tested" in events[0]));
      const stopped = [0, 1, 2].map((n) => render({ id: 9, kind: "stopped", epochs_done: n }).message);
      assert.deepEqual(stopped, sentences.stopped);
      const failed = render({ id: 9, kind: "failed", key: "train.diverged", params: { epoch: 1, lr: 500 } });
      assert.equal(failed.message, sentences.diverged);
    });

    test(`refused settings are said as the server says them, durations as its estimates (${lang})`, () => {
      speak(lang, sentences);
      for (const { change, message } of sentences.refused) {
        assert.throws(() => planFor(change, cases.options), (err) => err.message === message, JSON.stringify(change));
      }
      assert.deepEqual(sentences.durations.map(([s]) => [s, duration(s)]), sentences.durations);
    });
  }

  test("a finished run is named as web/jobs.py names its file; the document's settings are « le réseau du document »", () => {
    for (const { change, name } of cases.plans) {
      const plan = planFor(change, cases.options);
      const unchanged = Object.keys(change).length === 0;
      assert.equal(fileName(plan, cases.options, "document.safetensors"), unchanged ? "document.safetensors" : name);
      assert.equal(fileName(plan, cases.options, undefined), name, JSON.stringify(change));
    }
  });

  test("another kind of network, or another preset's setting, is refused with one sentence", () => {
    speak("fr", cases.lang.fr);
    const only = cases.lang.fr.messages["web.train.site_document_only"];
    for (const body of [{ mode: "modern" }, { mode: "cnn" }, { preset: "dessin" }, { layers: [32] }]) {
      assert.throws(() => planFor(body, cases.options), (err) => err.message === only, JSON.stringify(body));
    }
  });

  test("Python's str() of a float, as the document's line prints its number", () => {
    for (const [x, expected] of cases.floats) assert.equal(pythonFloat(x), expected, String(x));
  });

  test("the trained network as a model file: reseau.modelfile reads it (checked by the Python side), so does readModel", () => {
    const plan = planFor({ epochs: 2 }, cases.options);
    const info = modelInfo(plan, reports.map(({ type, ...r }) => ({ ...r, val_accuracy: null, loss: null,
      learn_rate: null, mode: plan.mode })), 1.25);
    const bytes = writeModel({ info, layout: ["sigmoid", "sigmoid"], tensors: documentTensors(run.last.arrays) });
    writeFileSync(cases.model_path, bytes);
    const records = { model: modelStatus(info, "document-epochs-2.safetensors", [784, 20, 10]),
                      entry: modelEntry(info, "document-epochs-2.safetensors", 1234.5) };
    writeFileSync(cases.records_path, JSON.stringify(records));  // the Python side compares them with routes/model.py's
    const read = readModel(bytes);
    assert.deepEqual(read.layout, ["sigmoid", "sigmoid"]);
    assert.deepEqual(read.info, JSON.parse(JSON.stringify(info)));
    assert.deepEqual(read.tensors["weights.0"].data, run.last.arrays.w_i_h);
    assert.deepEqual(read.tensors["biases.1"].shape, [10]);
  });
}

// ---------------------------------------------------------------------------
// Without Python: a stop, a divergence, on a few made-up images
// ---------------------------------------------------------------------------

function madeUp(n, seed = 1) {
  // n images of scattered grey pixels and their digits, from a small deterministic generator.
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const bytes = Uint8Array.from({ length: n * INPUTS }, () => (next() < 0.2 ? Math.floor(next() * 256) : 0));
  return { images: documentImages(bytes), digits: Uint8Array.from({ length: n }, () => Math.floor(next() * 10)) };
}

test("a stop asked during an epoch ends the run after the current part, with the epochs finished so far", async () => {
  const data = madeUp(12000);  // three parts of 5 000 images or fewer an epoch
  const { messages, last } = await training({ epochs: 3, hidden: 5, learn_rate: 0.01, seed: 0 }, data, null, 5);
  assert.deepEqual(last, { type: "stopped", epochs_done: 1 });
  assert.deepEqual(messages.map((m) => m.type), ["progress", "progress", "progress", "epoch", "progress", "progress", "stopped"]);
  assert.deepEqual(messages.filter((m) => m.type === "progress").map((m) => m.done), [5000, 10000, 12000, 5000, 10000]);
});

test("weights that are no longer finite numbers end the run with train.diverged, as reseau.faithful.train", async () => {
  const { last } = await training({ epochs: 2, hidden: 3, learn_rate: 1e300, seed: 0 }, madeUp(50), null);
  assert.deepEqual(last, { type: "failed", key: "train.diverged", params: { epoch: 0, lr: 1e300 } });
});
