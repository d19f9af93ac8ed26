// The « Pas à pas » requests answered in the browser (src/reseau/web/static/local/step.js, with
// engine/explain.js) against the server's answers to the same requests, which tests/test_js_explain.py
// writes in the JSON file named by RESEAU_EXPLAIN_CASES: { data (the MNIST folder), requests, answers,
// messages (GET /api/messages in French) }. Every answer must be the server's JSON: the same keys, numbers
// within 1e-12; a refused request the same status, message key, field and sentence.
//
// tests/test_js.py runs every file of this folder without that variable (and counts a skipped test as a
// failure): the comparison is only declared when the cases are there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";

const STATIC = new URL("../../src/reseau/web/static/", import.meta.url);
const { serverBackend } = await import(new URL("local/backend.js", STATIC));
await import(new URL("local/step.js", STATIC));  // registers POST /api/step/reset and POST /api/step
const explain = await import(new URL("engine/explain.js", STATIC));
const path = process.env.RESEAU_EXPLAIN_CASES;
const TOLERANCE = 1e-12;

/** A source (local/files.js) reading the dataset's files from a folder: "mnist/t10k-images-idx3-ubyte.gz" -> its bytes. */
function nodeSource(dir) {
  return { bytes: async (name) => new Uint8Array(await readFile(join(dir, basename(name)))) };
}

function tr(messages, key, params) {
  // page.js tr(): the message with its {values} written in.
  let text = messages[key] ?? key;
  for (const [name, value] of Object.entries(params)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

function same(got, expected, where, gaps) {
  // got equals expected: the same keys in the same order, the same strings, numbers within TOLERANCE.
  if (typeof expected === "number") {
    assert.equal(typeof got, "number", `${where}: ${got} is not a number`);
    const gap = Math.abs(got - expected);
    assert.ok(gap <= TOLERANCE, `${where}: ${got} instead of ${expected}`);
    gaps.largest = Math.max(gaps.largest, gap);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(got), `${where}: not a list`);
    assert.equal(got.length, expected.length, `${where}: length`);
    expected.forEach((value, k) => same(got[k], value, `${where}[${k}]`, gaps));
  } else if (expected !== null && typeof expected === "object") {
    assert.deepEqual(Object.keys(got), Object.keys(expected), `${where}: keys`);
    for (const key of Object.keys(expected)) same(got[key], expected[key], `${where}.${key}`, gaps);
  } else {
    assert.equal(got, expected, where);
  }
}

test("a step's largest changes are the first of the equal ones, as NumPy's stable argsort", () => {
  const weights = explain.Weights.documentStart(0, 20);
  const img = new Float64Array(784).fill(1);  // every pixel lit alike: each hidden neuron's 784 changes are equal
  const changes = explain.step(img, 3, weights).largestChanges(300);  // w_h_o has 200 weights: some of w_i_h
  const rows = changes.filter((c) => c.layer === "w_i_h");
  assert.ok(rows.length >= 100);
  assert.deepEqual(rows.slice(0, 100).map((c) => c.col), [...Array(100).keys()]);
  assert.ok(rows.slice(0, 100).every((c) => c.row === rows[0].row));
  for (let k = 1; k < changes.length; k++) assert.ok(Math.abs(changes[k - 1].change) >= Math.abs(changes[k].change));
});

if (path) {
  const cases = JSON.parse(readFileSync(path, "utf-8"));
  const backend = serverBackend(nodeSource(cases.data));
  const state = { messages: cases.messages };

  test("the same requests get the server's answers, numbers within 1e-12", async () => {
    const gaps = { largest: 0 };
    for (const [k, { path: route, body }] of cases.requests.entries()) {
      const expected = cases.answers[k];
      const where = `request ${k} ${route} ${JSON.stringify(body).slice(0, 80)}`;
      let got;
      try {
        got = await backend.handle("POST", route, body, state);
      } catch (err) {
        assert.ok(err.key, `${where}: ${err.stack}`);
        assert.notEqual(expected.status, 200, `${where}: refused (${err.key}) where the server answered`);
        assert.equal(err.status, expected.status, `${where}: status`);
        assert.equal(err.key, expected.json.key, `${where}: key`);
        assert.equal(err.field, expected.json.field, `${where}: field`);
        assert.equal(tr(cases.messages, err.key, err.params), expected.json.detail, `${where}: sentence`);
        continue;
      }
      assert.equal(expected.status, 200, `${where}: answered where the server refused (${expected.json.detail})`);
      same(got, expected.json, where, gaps);
    }
    console.log(`largest difference from the server's numbers: ${gaps.largest}`);
  });
}
