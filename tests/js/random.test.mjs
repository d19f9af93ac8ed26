// NumPy's legacy random numbers (src/reseau/web/static/engine/random.js) against NumPy's own, on the
// draws tests/test_js_faithful.py writes (the JSON file named by RESEAU_RANDOM_CASES, beside binary files).
//
// tests/test_js.py runs every file of this folder without that variable, and counts a skipped test as a
// failure: so the comparisons with NumPy are only declared when the cases are there, and the tests that
// need nothing from Python always run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { arraysBeside } from "./numpy-files.mjs";

const SOURCE = new URL("../../src/reseau/web/static/engine/random.js", import.meta.url);
const { RandomState } = await import(SOURCE);
const path = process.env.RESEAU_RANDOM_CASES;

const typed = arraysBeside(path);  // (Type, file) -> the array the Python side wrote

function firstDifference(got, expected) {
  // "" when the two arrays hold the same doubles bit for bit, else where they first differ.
  if (got.length !== expected.length) return `${got.length} numbers, expected ${expected.length}`;
  for (let k = 0; k < got.length; k++) {
    if (!Object.is(got[k], expected[k])) return `draw ${k}: ${got[k]} != ${expected[k]}`;
  }
  return "";
}

if (path) {
  const cases = JSON.parse(readFileSync(path, "utf-8"));

  test("uniform(low, high, n) draws NumPy's doubles, bit for bit", () => {
    assert.ok(cases.uniform.length >= 7);
    for (const { seed, low, high, file } of cases.uniform) {
      const expected = typed(Float64Array, file);
      assert.ok(expected.length >= 5000);  // the file holds the draws (not a vacuous check)
      const got = new RandomState(seed).uniform(low, high, expected.length);
      assert.equal(firstDifference(got, expected), "", `seed ${seed}, uniform(${low}, ${high})`);
    }
  });

  test("randomSample() is NumPy's random_sample()", () => {
    const { seed, file } = cases.sample;
    const expected = typed(Float64Array, file);
    const random = new RandomState(seed);
    const got = Float64Array.from(expected, () => random.randomSample());
    assert.equal(firstDifference(got, expected), "");
  });

  test("the seeded state is NumPy's 624 words", () => {
    const { seed, file } = cases.state;
    assert.deepEqual(new RandomState(seed).key, typed(Uint32Array, file));
  });
}

test("the 10 000th draw of MT19937 seeded with 5489 is 4123659995 (the C++ standard's check of std::mt19937)", () => {
  const random = new RandomState(5489);
  let drawn = 0;
  for (let k = 0; k < 10000; k++) drawn = random.nextUint32();
  assert.equal(drawn, 4123659995);
});

test("a seed NumPy refuses is refused", () => {
  for (const seed of [-1, 2 ** 32, 0.5, NaN, "0"]) assert.throws(() => new RandomState(seed), RangeError);
  assert.doesNotThrow(() => new RandomState(2 ** 32 - 1));
});
