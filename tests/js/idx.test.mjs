// A set of digits as IDX files in the browser (src/reseau/web/static/local/idx.js) against Python
// (reseau.digitset), on the cases tests/test_digitset.py writes (the JSON file named by RESEAU_IDX_CASES):
// the set Python drew is written here as the page's export writes it (Python then reads it back), and the
// set Python wrote (zlib-compressed gzip) is read here as the page's import reads it.
//
// tests/test_js.py runs every file of this folder without that variable: the comparisons with Python are
// only declared when the cases are there; the tests that need nothing always run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { dirname, join } from "node:path";

const idx = await import(new URL("../../src/reseau/web/static/local/idx.js", import.meta.url));
const { FileError } = await import(new URL("../../src/reseau/web/static/local/files.js", import.meta.url));
const path = process.env.RESEAU_IDX_CASES;

test("CRC-32 is the standard one", () => {
  assert.equal(idx.crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

test("stored gzip is read back by zlib and by the page, across several blocks", async () => {
  const content = Uint8Array.from({ length: 150000 }, (_, i) => (i * 7919) % 251);
  const gz = idx.gzipStored(content);
  assert.deepEqual(new Uint8Array(gunzipSync(gz)), content);
  assert.deepEqual(await idx.ungzip(gz), content);
  assert.deepEqual(new Uint8Array(gunzipSync(idx.gzipStored(new Uint8Array(0)))), new Uint8Array(0));
});

test("files that are not a set are refused with a sentence's key", async () => {
  const files = idx.setFiles(new Uint8Array(2 * 784), new Uint8Array([3, 4]));
  const [images, labels] = [files[idx.SET_FILES.images], files[idx.SET_FILES.labels]];
  await assert.rejects(idx.readSet([{ name: "a", bytes: images }]), (e) => e instanceof FileError && e.key === "web.mine.need_both");
  await assert.rejects(idx.readSet([{ name: "a", bytes: new Uint8Array([1, 2, 3, 4, 5]) }]), (e) => e.key === "web.mine.not_idx");
  const other = idx.setFiles(new Uint8Array(3 * 784), new Uint8Array([1, 2, 3]))[idx.SET_FILES.labels];
  await assert.rejects(idx.readSet([{ name: "a", bytes: images }, { name: "b", bytes: other }]), (e) => e.key === "web.mine.counts");
  const set = await idx.readSet([{ name: "b", bytes: labels }, { name: "a", bytes: images }]);  // any order
  assert.deepEqual(Array.from(set.labels), [3, 4]);
});

if (path) {
  const cases = JSON.parse(readFileSync(path, "utf8"));
  const folder = dirname(path);
  const images = new Uint8Array(readFileSync(join(folder, cases.images)));
  const labels = new Uint8Array(readFileSync(join(folder, cases.labels)));

  test("the page's export: the two .gz files of the set", () => {
    const files = idx.setFiles(images, labels);
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(cases.written, name), bytes);
  });

  test("the page's import reads the set Python wrote", async () => {
    const files = cases.python.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(cases.python_dir, name))) }));
    const set = await idx.readSet(files);
    assert.deepEqual(set.images, images);
    assert.deepEqual(set.labels, labels);
  });
}
