// The browser's forward passes (src/reseau/web/static/engine/networks.js) against reseau's, on the
// networks, MNIST test images and Python answers that tests/test_js_networks.py writes (the file named
// by RESEAU_NETWORK_CASES). Without that file only the checks that need no Python run (bad layouts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const SOURCE = new URL("../../src/reseau/web/static/engine/networks.js", import.meta.url);
// The page's module as the browser loads it (a data: URL is always an ES module, whatever its extension).
const networks = await import("data:text/javascript;base64," + readFileSync(SOURCE).toString("base64"));
const path = process.env.RESEAU_NETWORK_CASES;

function flat(values) {
  // Nested lists or typed arrays -> one plain list of numbers.
  return ArrayBuffer.isView(values) ? Array.from(values) : typeof values === "number" ? [values] : values.flatMap(flat);
}

function largestDifference(got, expected) {
  const a = flat(got), b = flat(expected);
  assert.equal(a.length, b.length, "as many values as Python's");
  return a.reduce((most, v, i) => Math.max(most, Math.abs(v - b[i])), 0);
}

function computed(net, images, got) {
  // What the JS network gives for a check: "forward", "layer1" (layerOutputs' layer 1), "maps0" (block 0, 10 images).
  if (got === "forward") return net.forward(images);
  if (got.startsWith("layer")) return net.layerOutputs(images)[Number(got.slice(5))];
  return images.slice(0, 10).map((x) => net.featureMaps(x, Number(got.slice(4))).data);
}

function tensor(shape, draw = () => 0) {
  return { shape, data: Array.from({ length: shape.reduce((n, d) => n * d, 1) }, draw) };
}

test("a layout and parameters that do not fit are refused, saying what was wrong", () => {
  const tensors = { "weights.0": tensor([3, 784]), "biases.0": tensor([3]),
    "weights.1": tensor([10, 4]), "biases.1": tensor([10]) };
  assert.throws(() => networks.fromParameters(["sigmoid", "sigmoid"], tensors),
    /layer 1 takes 4 inputs, the previous gives 3/);
  assert.throws(() => networks.fromParameters(["sigmoid", "sigmoid", "relu"], tensors), /weights\.2/);
  assert.throws(() => networks.fromParameters(["sigmoid", "swish"], tensors), /unknown activation "swish"/);
  assert.throws(() => networks.fromParameters([], tensors), /non-empty list/);
  const conv = [{ type: "conv", name: "conv0", c_in: 1, c_out: 2, k: 3 }];
  assert.throws(() => networks.fromParameters(conv, { "conv0.w": tensor([9, 3]), "conv0.b": tensor([2]) }),
    /parameter conv0\.w: expected shape \(9,2\), got \(9,3\)/);
  assert.throws(() => networks.fromParameters([{ type: "attention", name: "a" }], {}), /unknown layer type/);
  const net = networks.fromParameters(["sigmoid", "sigmoid"], { ...tensors, "weights.1": tensor([10, 3]) });
  assert.throws(() => net.forward([[1, 2, 3]]), /an image has 784 values, got 3/);
  assert.deepEqual(net.sizes, [784, 3, 10]);
  assert.equal(net.forward(new Float32Array(784)).length, 10);  // one image -> its 10 outputs
});

const cases = path ? JSON.parse(readFileSync(path, "utf-8")) : null;

if (cases) {
  const { images, networks: built, sigmoid, timing } = cases;

  test("the sigmoid is reseau.network.sigmoid, clipped where exp would overflow", (t) => {
    let worst = 0;
    sigmoid.x.forEach((x, i) => {
      const expected = sigmoid.expected[i];
      worst = Math.max(worst, Math.abs(networks.sigmoid(x) - expected) / expected);
    });
    t.diagnostic(`sigmoid: max |relative difference| ${worst.toExponential(2)}`);
    assert.ok(worst < 1e-14, `relative difference ${worst}`);
  });

  for (const { name, layout, tensors, checks } of built) {
    test(`${name}: outputs, hidden values and maps as Python's`, (t) => {
      assert.equal(images.length, 50);
      const net = networks.fromParameters(layout, tensors);
      const wrong = [];
      for (const { what, got, expected, tolerance } of checks) {
        assert.ok(flat(expected).some((v) => Math.abs(v) > 1e-3), `${what}: Python's values are not all near 0`);
        const difference = largestDifference(computed(net, images, got), expected);
        const shown = difference.toExponential(2);
        t.diagnostic(`${name} — ${what}: max |JS − Python| ${shown} (tolerance ${tolerance})`);
        if (!(difference <= tolerance)) wrong.push(`${what}: ${difference} > ${tolerance}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  test("the time of one CNN forward pass per image", (t) => {
    const small = built.find((c) => !c.layout.every((item) => typeof item === "string"));
    let seed = 1;
    const draw = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2;  // small random weights
    const full = {};
    for (const item of timing.layout) {
      const shapes = item.type === "conv" ? { w: [item.k * item.k * item.c_in, item.c_out], b: [item.c_out] }
        : item.type === "dense" ? { w: [item.n_in, item.n_out], b: [item.n_out] }
        : item.type === "batchnorm" ? { gamma: [item.c], beta: [item.c], mean: [item.c], var: [item.c] } : {};
      for (const [key, shape] of Object.entries(shapes)) {
        full[`${item.name}.${key}`] = tensor(shape, key === "var" || key === "gamma" ? () => 1 : draw);
      }
    }
    const timed = [["test CNN (4-8 filters, dense 16)", networks.fromParameters(small.layout, small.tensors)],
      ["preset cnn (32-64 filters, dense 128, random weights)", networks.fromParameters(timing.layout, full)]];
    for (const [label, net] of timed) {
      net.forward(images.slice(0, 5));  // warm up (the engine compiles the loops)
      const rounds = 4, started = performance.now(), cpu = process.cpuUsage();
      for (let r = 0; r < rounds; r++) net.forward(images);
      const { user, system } = process.cpuUsage(cpu);
      const ms = (performance.now() - started) / (rounds * images.length);
      const cpuMs = (user + system) / 1000 / (rounds * images.length);  // this process's own time, whatever the load
      t.diagnostic(`${label}: ${ms.toFixed(3)} ms per image (CPU ${cpuMs.toFixed(3)} ms), Node ${process.version}`);
      assert.ok(ms < 1000);
    }
  });
}
