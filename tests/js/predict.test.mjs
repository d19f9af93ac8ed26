// The drawing's answer computed in the browser (src/reseau/web/static/local/predict.js) against the server's
// route: tests/test_js_predict.py writes the requests, Python's answers, the page's state and the folders of
// the model files and of MNIST (the file named by RESEAU_PREDICT_CASES). The requests go through the page's
// own dispatch (local/backend.js) with a source reading those folders, as the server's GET /api/files/ would.
// Without that file only the checks that need no Python run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const STATIC = new URL("../../src/reseau/web/static/", import.meta.url);
const { serverBackend, siteBackend } = await import(new URL("local/backend.js", STATIC));
const { FileError } = await import(new URL("local/files.js", STATIC));
const predict = await import(new URL("local/predict.js", STATIC));
const path = process.env.RESEAU_PREDICT_CASES;

/** The files of two folders, as GET /api/files/NAME gives them; `reads` counts each name's reads. */
function folderSource(models, mnist) {
  const reads = new Map();
  return {
    reads,
    async bytes(name) {
      reads.set(name, (reads.get(name) ?? 0) + 1);
      const file = name.startsWith("mnist/") ? join(mnist, name.slice("mnist/".length)) : join(models, name);
      try {
        return new Uint8Array(readFileSync(file));
      } catch (err) {
        throw new FileError("web.files.missing", { name });
      }
    },
  };
}

function tr(messages, key, params = {}) {
  // page.js tr(): the sentence of `key` with its {names} filled in.
  let text = messages[key] ?? key;
  for (const [name, value] of Object.entries(params)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

/** Every difference between two JSON values: numbers within `tolerance(where, expected)`, the rest equal. */
function differences(got, expected, tolerance, where = "", found = { worst: {}, wrong: [] }) {
  if (typeof expected === "number" && typeof got === "number") {
    const field = where.split(/[.[]/)[1] ?? where;
    const difference = Math.abs(got - expected);
    found.worst[field] = Math.max(found.worst[field] ?? 0, difference);
    if (!(difference <= tolerance(field, expected))) found.wrong.push(`${where}: ${got} != ${expected}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(got) || got.length !== expected.length) {
      found.wrong.push(`${where}: ${JSON.stringify(got)?.slice(0, 80)} != a list of ${expected.length}`);
    } else expected.forEach((e, i) => differences(got[i], e, tolerance, `${where}[${i}]`, found));
  } else if (expected !== null && typeof expected === "object") {
    const keys = Object.keys(expected).sort(), gotKeys = Object.keys(got ?? {}).sort();
    if (JSON.stringify(keys) !== JSON.stringify(gotKeys)) found.wrong.push(`${where}: keys ${gotKeys} != ${keys}`);
    else keys.forEach((k) => differences(got[k], expected[k], tolerance, `${where}.${k}`, found));
  } else if (got !== expected) found.wrong.push(`${where}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
  return found;
}

test("numbers are rounded as NumPy rounds them: ties to even, float32 arrays in float32", () => {
  assert.equal(predict.round(0.5, 0), 0);
  assert.equal(predict.round(2.5, 0), 2);
  assert.equal(predict.round(0.123456789, 6), 0.123457);
  assert.equal(predict.round(Math.fround(0.1), 4, true), Math.fround(0.1));  // float32(0.1): 0.10000000149...
  assert.notEqual(predict.round(Math.fround(0.1), 4, false), Math.fround(0.1));
  assert.equal(predict.pyRepr("abc"), "'abc'");
  assert.equal(predict.pyRepr([0, true, null]), "[0, True, None]");
});

const cases = path ? JSON.parse(readFileSync(path, "utf-8")) : null;

if (cases) {
  const { state, steps } = cases;
  const source = folderSource(cases.models, cases.mnist);
  const server = serverBackend(source);
  const site = siteBackend(source);

  test("the classes' names are reseau.data.DATASETS's", () => {
    for (const [dataset, names] of Object.entries(cases.class_names)) assert.deepEqual(predict.classes(dataset), names);
  });

  for (const model of ["document.safetensors", "mlp.safetensors", "cnn.safetensors"]) {
    test(`${model}: every drawing's answer is the server's`, async (t) => {
      const mine = cases.cases.filter((c) => c.model === model);
      assert.ok(mine.length >= 20);
      const worst = {}, wrong = [];
      const started = performance.now();
      for (const { body, expected, tolerance } of mine) {
        const answer = await server.handle("POST", "/api/predict", body, state);
        // Numbers within `tolerance` (relative above 1); for a float32 network, also one rounding step.
        const within = (field, e) => (field === "input" ? 1e-12 : tolerance * Math.max(1, Math.abs(e)) +
          (tolerance > 1e-9 ? steps[field] ?? 0 : 0));
        const found = differences(answer, expected, within);
        for (const [field, d] of Object.entries(found.worst)) worst[field] = Math.max(worst[field] ?? 0, d);
        wrong.push(...found.wrong.slice(0, 5));
      }
      const each = (performance.now() - started) / mine.length;
      t.diagnostic(`${model}: max |JS − Python| ${JSON.stringify(worst)}; ${each.toFixed(1)} ms per answer`);
      assert.deepEqual(wrong, []);
      assert.equal(source.reads.get(model), 1, "the model file is read once");
    });
  }

  test("a model file a training replaced is read again (GET /api/models gives its new modification time)", async () => {
    const body = cases.cases.find((c) => c.model === "mlp.safetensors").body;
    const before = source.reads.get("mlp.safetensors");
    await server.handle("POST", "/api/predict", body, state);
    assert.equal(source.reads.get("mlp.safetensors"), before, "unchanged: from memory");
    const models = state.models.models.map((m) => (m.name === "mlp.safetensors" ? { ...m, modified: m.modified + 1 } : m));
    await server.handle("POST", "/api/predict", body, { ...state, models: { ...state.models, models } });
    assert.equal(source.reads.get("mlp.safetensors"), before + 1, "changed: read again");
    assert.equal([...server.cache.keys()].filter((k) => k.startsWith("model:mlp.safetensors@")).length, 1);
  });

  test("the site's browsing loop gives the server's images, labels and answers", async () => {
    for (const { path: asked, expected } of cases.browsing) {
      const item = await site.handle("GET", asked, undefined, state);
      const found = differences(item, expected, () => 1e-12);
      assert.deepEqual(found.wrong, [], asked);
    }
    assert.equal(server.handle("GET", "/api/dataset/test/0", undefined, state), null, "a server keeps its own route");
  });

  test("a bad request gets the server's sentence", async () => {
    for (const { request, status, json } of cases.refused) {
      const asked = typeof request === "string" ? site.handle("GET", request, undefined, state)
        : server.handle("POST", "/api/predict", request, state);
      const err = await asked.then(() => null, (e) => e);
      assert.ok(err, `${JSON.stringify(request)} answered, the server said ${status}`);
      assert.equal(err.key, json.key, JSON.stringify(request));
      assert.equal(tr(state.messages, err.key, err.params), json.detail, JSON.stringify(request));
    }
  });
}
