// The browser's file reading (src/reseau/web/static/local/files.js) against Python, on the cases
// tests/test_site.py writes (the JSON file named by RESEAU_FILES_CASES): base 85 as Python's
// base64.b85encode writes it, MNIST's gzip IDX files read as reseau.data reads them, model files
// (safetensors) read as reseau.modelfile writes them.
//
// tests/test_js.py runs every file of this folder without that variable: the comparisons with
// Python are only declared when the cases are there; the tests that need nothing always run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const files = await import(new URL("../../src/reseau/web/static/local/files.js", import.meta.url));
const { FileError, b85decode, mnistSplit, readIdx, readModel } = files;
const path = process.env.RESEAU_FILES_CASES;

/** A source reading the files of a folder, as the page's sources do (name -> bytes). */
function folderSource(folder) {
  return { bytes: async (name) => new Uint8Array(readFileSync(join(folder, name))) };
}

test("text that is not base 85 is a damaged file, not garbage", () => {
  assert.throws(() => b85decode("abc", 2), FileError);  // not whole groups of five
  assert.throws(() => b85decode("ab\"de", 4), FileError);  // a character outside the alphabet
  assert.throws(() => b85decode("~~~~~", 4), FileError);  // more than 32 bits
  assert.throws(() => b85decode("00000", 5), FileError);  // more bytes asked than written
});

test("an IDX file that is cut or of another kind is said damaged", () => {
  const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
  assert.deepEqual([...readIdx(labels, 0x801).data], [7, 2, 1]);
  assert.throws(() => readIdx(labels.subarray(0, 10), 0x801), FileError);
  assert.throws(() => readIdx(labels, 0x803), FileError);
});

if (path) {
  const cases = JSON.parse(readFileSync(path, "utf-8"));
  const here = (file) => join(dirname(path), file);

  test("base 85 decodes to Python's bytes", () => {
    for (const c of cases.b85) {
      assert.deepEqual(Buffer.from(b85decode(c.text, c.length)).toString("hex"), c.hex, `length ${c.length}`);
    }
  });

  test("MNIST's four files read as reseau.data reads them", async () => {
    const source = folderSource(cases.mnist_dir);
    for (const [split, expected] of Object.entries(cases.mnist)) {
      const found = await mnistSplit(source, split);
      assert.equal(found.count, expected.count);
      assert.deepEqual([...found.labels.subarray(0, 50)], expected.first_labels);
      assert.equal(found.images.reduce((s, v) => s + v, 0), expected.pixel_sum);
      const one = found.images.subarray(expected.index * 784, (expected.index + 1) * 784);
      assert.deepEqual([...one], expected.image);
    }
  });

  test("a damaged gzip file is said damaged", async () => {
    const source = folderSource(dirname(path));
    await assert.rejects(mnistSplit(source, "test", "cut"), FileError);
  });

  test("model files read as reseau.modelfile wrote them", () => {
    for (const m of cases.models) {
      const read = readModel(new Uint8Array(readFileSync(here(m.file))), m.file);
      assert.deepEqual(read.layout, m.layout);
      assert.equal(read.info.mode, m.mode);
      assert.deepEqual(Object.keys(read.tensors).sort(), Object.keys(m.tensors).sort());
      for (const [name, t] of Object.entries(m.tensors)) {
        assert.deepEqual(read.tensors[name].shape, t.shape, name);
        assert.deepEqual([...read.tensors[name].data], t.data, name);
      }
    }
    assert.throws(() => readModel(new Uint8Array(readFileSync(here(cases.not_a_model)))), FileError);
  });
}
