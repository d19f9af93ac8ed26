// The page's numbers (src/reseau/web/static/numbers.js) against reseau.i18n's, on the cases
// tests/test_js.py writes with the Python side's answers (the file named by RESEAU_NUMBER_CASES).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const SOURCE = new URL("../../src/reseau/web/static/numbers.js", import.meta.url);
// The page's module as the browser loads it (a data: URL is always an ES module, whatever its extension).
const numbers = await import("data:text/javascript;base64," + readFileSync(SOURCE).toString("base64"));
const path = process.env.RESEAU_NUMBER_CASES;

test("every number is written as reseau.i18n writes it", { skip: !path && "run by tests/test_js.py" }, () => {
  const { formats, cases } = JSON.parse(readFileSync(path, "utf-8"));
  assert.ok(cases.length > 1000);  // the file holds the cases (not a vacuous check)
  const wrong = [];
  for (const { fn, args, lang, sign, expected } of cases) {
    const format = formats[lang];
    const got = fn === "formatNumber" ? numbers.formatNumber(args[0], args[1], format, { sign })
      : fn === "formatSci" ? numbers.formatSci(args[0], args[1], format, { sign })
      : fn === "formatRate" ? numbers.formatRate(args[0], format)
      : numbers.formatCount(args[0], format);
    if (got !== expected) wrong.push(`${fn}(${args.join(", ")}, ${lang}${sign ? ", sign" : ""}): ${got} != ${expected}`);
  }
  assert.deepEqual(wrong.slice(0, 20), []);
});

test("a value the page does not have is a dash", () => {
  const format = { decimal: ",", group: "\u202f" };
  assert.equal(numbers.formatNumber(NaN, 2, format), "–");
  assert.equal(numbers.formatSci(Infinity, 2, format), "–");
  assert.equal(numbers.formatRate(undefined, format), "–");
});
