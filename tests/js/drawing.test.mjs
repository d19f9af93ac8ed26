// The page's preprocessing twin (src/reseau/web/static/engine/drawing.js) against reseau.drawing.to_mnist,
// on the drawings tests/test_js_drawing.py makes and answers with the Python side, in the folder named by
// RESEAU_DRAWING_CASES: cases.json (sizes, constants), pixels.f64 (the drawings), expected.f64 (Python's images).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const SOURCE = new URL("../../src/reseau/web/static/engine/drawing.js", import.meta.url);
// The module as the browser loads it (a data: URL is always an ES module, whatever its extension).
const drawing = await import("data:text/javascript;base64," + readFileSync(SOURCE).toString("base64"));
const folder = process.env.RESEAU_DRAWING_CASES;
const TOLERANCE = 1e-6;  // max abs difference allowed on each of the 784 values

/** A little-endian float64 file as a Float64Array (copied: a Buffer's offset may not be 8-aligned). */
function float64s(path) {
  return new Float64Array(new Uint8Array(readFileSync(path)).buffer);
}

// Only where tests/test_js_drawing.py wrote the cases: tests/test_js.py runs this folder's every file
// without them, and counts a skipped test as a failure.
if (folder) {
  const { constants, cases, records } = JSON.parse(readFileSync(join(folder, "cases.json"), "utf-8"));
  const pixels = float64s(join(folder, "pixels.f64"));
  const expected = float64s(join(folder, "expected.f64"));

  test("the constants are reseau.drawing's", () => {
    for (const [name, value] of Object.entries(constants)) assert.deepEqual(drawing[name], value, name);
  });

  test("a record's preprocessing is read as Python reads it; none is what the page always did", () => {
    const options = (record) => ({ normaliseStroke: record.normalise_stroke, stroke: record.stroke, pen: record.pen });
    assert.deepEqual(drawing.preprocessingOf({ preprocessing: records.own }), options(records.own));
    assert.deepEqual(drawing.preprocessingOf({ preprocessing: records.no_stroke }), options(records.no_stroke));
    for (const old of [{}, { preprocessing: null }, { preprocessing: {} }, null]) {
      assert.deepEqual(drawing.preprocessingOf(old), options(records.default));
    }
  });

  const ways = [["stroke", { normaliseStroke: true }], ["fit", { normaliseStroke: false }],
    ["own", drawing.preprocessingOf({ preprocessing: records.own })]];
  for (const [option, preprocessing] of ways) {
    test(`every drawing gives to_mnist's image (${option}: ${JSON.stringify(preprocessing)})`, (t) => {
      assert.equal(cases.length, 200);  // the file holds the cases (not a vacuous check)
      const wrong = [];
      let start = 0, worst = 0, elapsed = 0;
      cases.forEach(({ height, width, [option]: at }, index) => {
        const grey = pixels.subarray(start, start + height * width);
        start += height * width;
        const began = performance.now();
        const got = drawing.toMnist(grey, height, width, preprocessing);
        elapsed += performance.now() - began;
        if (at === null || got === null) {
          if (at !== got) wrong.push(`drawing ${index} (${height} x ${width}): ${got === null ? "null" : "an image"}, Python: ${at === null ? "None" : "an image"}`);
          return;
        }
        assert.equal(got.length, 784);
        assert.ok(got.every((v) => Math.fround(v) === v), `drawing ${index}: not float32 values`);  // .astype(np.float32)
        let most = 0;
        for (let i = 0; i < 784; i++) most = Math.max(most, Math.abs(got[i] - expected[784 * at + i]));
        worst = Math.max(worst, most);
        if (!(most <= TOLERANCE)) wrong.push(`drawing ${index} (${height} x ${width}): max difference ${most}`);
      });
      assert.equal(start, pixels.length);  // every drawing read, none left over
      t.diagnostic(`max abs difference ${worst}; ${(elapsed / cases.length).toFixed(2)} ms per drawing`);
      assert.deepEqual(wrong.slice(0, 20), []);
    });
  }
}

test("Python's round: a tie goes to the even integer", () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 4.5, 2.4, 2.6].map(drawing.roundHalfEven), [0, 2, 2, -0, -2, -2, 4, 2, 3]);
});

test("nothing drawn gives null", () => {
  assert.equal(drawing.toMnist(new Float64Array(112 * 112), 112), null);
  assert.equal(drawing.toMnist(new Float64Array(50 * 50).fill(drawing.INK), 50), null);  // paper noise, not ink
});
