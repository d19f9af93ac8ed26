// The document's network and training in JavaScript (src/reseau/web/static/engine/faithful.js) against
// reseau.faithful's reference engine, on the cases tests/test_js_faithful.py writes (the JSON file named by
// RESEAU_FAITHFUL_CASES, beside binary files of MNIST bytes and the Python side's float64 arrays).
//
// tests/test_js.py runs every file of this folder without that variable, and counts a skipped test as a
// failure: so the comparisons with Python are only declared when the cases are there, and the tests that
// need nothing from Python always run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { arraysBeside, largestDifference } from "./numpy-files.mjs";

const SOURCE = new URL("../../src/reseau/web/static/engine/faithful.js", import.meta.url);
const engine = await import(SOURCE);
const { DocumentNetwork, INPUTS, MAX_HIDDEN, documentImages, documentPrecision, epoch, initialWeights, sparseRows } =
  engine;
const path = process.env.RESEAU_FAITHFUL_CASES;
const NAMES = ["w_i_h", "w_h_o", "b_i_h", "b_h_o"];

const typed = arraysBeside(path);  // (Type, file) -> the array the Python side wrote

if (path) {
  const cases = JSON.parse(readFileSync(path, "utf-8"));
  const trainImages = documentImages(typed(Uint8Array, cases.train_images));
  const trainDigits = typed(Uint8Array, cases.train_digits);
  const testImages = documentImages(typed(Uint8Array, cases.test_images));
  const testDigits = typed(Uint8Array, cases.test_digits);

  test("the images are the document's float32 images.astype('float32') / 255, for every byte", () => {
    const everyByte = Uint8Array.from({ length: 256 }, (_, k) => k);
    assert.deepEqual(documentImages(everyByte), typed(Float32Array, cases.every_byte));
  });

  test("the starting weights are np.random.seed(s) then the document's two uniform(-0.5, 0.5), bit for bit", () => {
    const arrays = initialWeights(20, 0).documentArrays();
    for (const name of NAMES) assert.deepEqual(arrays[name], typed(Float64Array, cases.start[name]), name);
    const other = initialWeights(cases.other.hidden, cases.other.seed).documentArrays();
    for (const name of NAMES) assert.deepEqual(other[name], typed(Float64Array, cases.other[name]), `other ${name}`);
  });

  test("one epoch on MNIST's first images ends with the reference engine's weights and counts", () => {
    assert.equal(trainDigits.length, cases.slice);
    const net = initialWeights(20, 0);
    const progress = [];
    const nr_correct = epoch(trainImages, trainDigits, net, cases.learn_rate, (done, n) => progress.push([done, n]));
    assert.equal(nr_correct, cases.nr_correct);
    assert.equal(documentPrecision(nr_correct, cases.slice), cases.precision);  // the number the document prints
    assert.deepEqual(progress.at(-1), [cases.slice, cases.slice]);
    const arrays = net.documentArrays();
    for (const name of NAMES) {
      const gap = largestDifference(arrays[name], typed(Float64Array, cases.after[name]));
      assert.ok(gap <= 1e-12, `${name}: largest difference ${gap}`);
      console.log(`${name}: largest difference from the reference engine ${gap}`);
    }

    // The trained network answers as Python's: its outputs, its answers and its accuracy on the test images
    const outputs = typed(Float64Array, cases.outputs);  // (20, 10)
    for (let k = 0; k < outputs.length / 10; k++) {
      const { o } = net.forward(testImages.subarray(k * INPUTS, (k + 1) * INPUTS));
      const gap = largestDifference(o, outputs.subarray(k * 10, (k + 1) * 10));
      assert.ok(gap <= 1e-12, `test image ${k}: outputs differ by ${gap}`);
    }
    assert.deepEqual(net.predict(testImages), typed(Uint8Array, cases.answers));
    assert.equal(net.accuracy(testImages, testDigits), cases.accuracy);
  });

  test("one epoch with 13 hidden neurons (a block of ten, then three one by one) ends with the reference's weights", () => {
    const { hidden, seed, slice, nr_correct } = cases.odd;
    const net = initialWeights(hidden, seed);
    assert.equal(epoch(trainImages.subarray(0, slice * INPUTS), trainDigits.subarray(0, slice), net, cases.learn_rate),
      nr_correct);
    const arrays = net.documentArrays();
    for (const name of NAMES) {
      const gap = largestDifference(arrays[name], typed(Float64Array, cases.odd[name]));
      assert.ok(gap <= 1e-12, `${name}: largest difference ${gap}`);
    }
  });

  test("the printed number is rounded as Python's round(x, 2)", () => {
    assert.ok(cases.precisions.length > 1000);
    const wrong = cases.precisions.filter(([nr, n, expected]) => documentPrecision(nr, n) !== expected);
    assert.deepEqual(wrong.slice(0, 10), []);
  });
}

test("a network of zeros answers 0.5 everywhere, and digit 0 (np.argmax takes the first of equal values)", () => {
  const net = new DocumentNetwork(3, new Float64Array(3 * INPUTS), new Float64Array(30), new Float64Array(3),
    new Float64Array(10));
  const { h, o } = net.forward(new Float32Array(INPUTS).fill(0.5));
  assert.deepEqual([...h, ...o], Array(13).fill(0.5));
  assert.deepEqual(net.predict(new Float32Array(2 * INPUTS)), new Uint8Array(2));
});

test("a black image changes no weight of w_i_h, only the others (lr * delta * 0 adds nothing)", () => {
  const net = initialWeights(5, 3);
  const before = net.documentArrays();
  epoch(new Float32Array(INPUTS), new Uint8Array([4]), net);
  const after = net.documentArrays();
  assert.deepEqual(after.w_i_h, before.w_i_h);
  for (const name of ["w_h_o", "b_i_h", "b_h_o"]) assert.notDeepEqual(after[name], before[name], name);
});

test("sparseRows lists each image's pixels that are not 0, in pixel order, with their values", () => {
  const images = new Float32Array(3 * INPUTS);
  images[5] = 0.25;
  images[783] = 1;
  images[2 * INPUTS] = Math.fround(1 / 255);  // image 1 is black; image 2 has its first pixel lit
  const { indptr, indices, values } = sparseRows(images);
  assert.deepEqual([...indptr], [0, 2, 2, 3]);
  assert.deepEqual([...indices], [5, 783, 0]);
  assert.deepEqual([...values], [0.25, 1, Math.fround(1 / 255)]);
});

test("a hidden layer of more than MAX_HIDDEN neurons, or none, is refused", () => {
  for (const hidden of [0, MAX_HIDDEN + 1, 2.5]) {
    assert.throws(() => new DocumentNetwork(hidden, new Float64Array(0), new Float64Array(0), new Float64Array(0),
      new Float64Array(10)), RangeError);
  }
});
