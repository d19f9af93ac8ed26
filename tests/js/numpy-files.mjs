// What the Node tests share: reading the arrays the Python side of a test wrote, and comparing numbers.
// (Not a test file itself: node --test runs only the *.test.mjs files of this folder.)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** A reader of the binary files written beside `casesPath` by NumPy's tofile(): (Type, file) -> a typed array. */
export function arraysBeside(casesPath) {
  return (Type, file) => {
    const bytes = readFileSync(join(dirname(casesPath), file));  // little-endian, as NumPy wrote it
    return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
  };
}

/** max |got - expected| over two arrays of the same length (Infinity when a value is not a number). */
export function largestDifference(got, expected) {
  assert.equal(got.length, expected.length);
  let largest = 0;
  for (let k = 0; k < got.length; k++) {
    const gap = Math.abs(got[k] - expected[k]);
    largest = Number.isNaN(gap) ? Infinity : Math.max(largest, gap);
  }
  return largest;
}
