"""The browser's forward passes (``engine/networks.js``) against reseau's, checked by Node on MNIST test images.

Python builds the networks during the test — the document's 784-20-10 (seed 0, 500 images of training),
a modern 784-32-16-10 relu/softmax MLP, a small MLP with the other activations, a small convolutional
network with batch normalisation, briefly trained, and one whose max-pools meet odd sizes — and writes
what a model file holds (``parameters()``, ``layout()``), 50 test images and Python's answers to a JSON
file; the Node tests (``tests/js/networks.test.mjs``, the file's path in ``RESEAU_NETWORK_CASES``) build
each network from that and must agree: to 1e-12 with Python's float64 arithmetic, to 1e-5 with the
float32 networks' own outputs (the modern MLP and the CNN compute in float32).
"""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pytest

from reseau import convnet, faithful, network
from reseau.convnet import ConvNetwork
from reseau.network import Network
from reseau.training import cnn, trainer
from reseau.training.cnn_config import PRESETS, CNNConfig
from reseau.training.config import TrainConfig
from test_js_faithful import run_node

NODE = shutil.which("node")
N_IMAGES = 50
EXACT = 1e-12  # float64 on both sides: only the order of the additions differs
FLOAT32 = 1e-5  # against a network that computes in float32

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")


def as_json(array: np.ndarray) -> dict:
    """An array as the JS side reads a tensor: its shape and its numbers in row-major order (float32 exactly)."""
    return {"shape": list(array.shape), "data": np.asarray(array, np.float64).ravel().tolist()}


def document_network(train_data) -> Network:
    """The document's network: its seed-0 random start, then its loop over the first 500 training images."""
    w_i_h, w_h_o, b_i_h, b_h_o = faithful.initial_weights(20, 0)
    images, labels = train_data
    faithful.reference_epoch(images[:500], labels[:500], w_i_h, w_h_o, b_i_h, b_h_o, 0.01)
    return Network.from_document(w_i_h, b_i_h, w_h_o, b_h_o)


def modern_network(train_data) -> Network:
    """A 784-32-16-10 relu/softmax MLP of the modern trainer (float32), one epoch on 1 000 images."""
    images, labels = train_data
    net, _ = trainer.train(images[:1000], labels[:1000], TrainConfig(layers=(32, 16), epochs=1, val_size=0))
    assert net.activations == ["relu", "relu", "softmax"] and net.weights[0].dtype == np.float32
    return net


def other_activations() -> Network:
    """784-12-8-10 tanh, identity, sigmoid with random weights (the activations the two others do not use)."""
    rng = np.random.default_rng(22)
    sizes = [784, 12, 8, 10]
    weights = [rng.normal(0, 3.0, (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 1.0, n_out) for n_out in sizes[1:]]
    return Network(weights, biases, ["tanh", "identity", "sigmoid"])


def conv_network(train_data) -> ConvNetwork:
    """Conv 4 (5x5) and 8 (3x3) filters, batch norm, dense 16: one epoch on 320 images, then its batch-norm
    scales and shifts drawn at random (so that mixing up any two of its four arrays changes the answers)."""
    images, labels = train_data
    config = CNNConfig(conv=(4, 8), kernels=(5, 3), dense=(16,), epochs=1, batch_size=32, val_size=0)
    net, _ = cnn.train(images[:320], labels[:320], config)
    rng = np.random.default_rng(23)
    for name, value in net.params.items():
        if name.endswith(".gamma"):
            value[:] = rng.uniform(0.5, 2.0, value.shape)
        elif name.endswith(".beta"):
            value[:] = rng.normal(0, 0.5, value.shape)
    for block in (0, 1):  # running statistics of the training: neither zero nor one
        assert np.abs(net.params[f"bn{block}.mean"]).max() > 0.05
        assert np.abs(net.params[f"bn{block}.var"] - 1).max() > 0.05
    return net


def odd_conv_network() -> ConvNetwork:
    """Conv 3 and 5 filters of 4x4, no batch norm, no dense hidden layer, at its random start: its maps are
    25 and 9 wide, so each max-pool drops an odd last row and column."""
    spec = cnn.architecture(CNNConfig(conv=(3, 5), kernels=(4, 4), dense=(), batch_norm=False))
    slots = cnn.initial_slots(convnet.build(spec), seed=24)
    slots.flat[:] += np.random.default_rng(24).normal(0, 0.05, slots.flat.shape).astype(np.float32)  # biases too
    return ConvNetwork(spec, {name: value.copy() for name, value in slots.values.items()})


def float64_conv_outputs(net: ConvNetwork, images: np.ndarray) -> np.ndarray:
    """The CNN's outputs computed in float64 (its own layers, parameters and images converted)."""
    params = {name: value.astype(np.float64) for name, value in net.params.items()}
    logits = convnet.forward(net.layers, params, images.astype(np.float64), training=False)  # (n, 10)
    return network.softmax(logits)


def dense_case(name: str, net: Network, images: np.ndarray) -> dict:
    """A layers-of-neurons network: its float64 outputs and hidden values, and its own outputs as it computes them."""
    exact = Network([w.astype(np.float64) for w in net.weights], [b.astype(np.float64) for b in net.biases],
                    net.activations)
    x64 = images.astype(np.float64)
    return {
        "name": name,
        "layout": net.layout(),
        "tensors": {key: as_json(value) for key, value in net.parameters().items()},
        "checks": [
            {"what": "outputs, float64", "got": "forward", "expected": exact.forward(x64).tolist(), "tolerance": EXACT},
            {"what": "outputs, as Python computes them", "got": "forward", "expected": net.forward(images).tolist(),
             "tolerance": EXACT if net.weights[0].dtype == np.float64 else FLOAT32},
            *({"what": f"layer {k} values, float64", "got": f"layer{k}", "expected": values.tolist(),
               "tolerance": EXACT} for k, values in enumerate(exact.layer_outputs(x64))),
        ],
    }


def conv_case(name: str, net: ConvNetwork, images: np.ndarray) -> dict:
    """A convolutional network: its float32 outputs (what Python gives) and float64 ones, hidden values, maps."""
    maps = [np.stack([net.feature_maps(x, block) for x in images[:10]]) for block in (0, 1)]  # (10, h, w, c)
    return {
        "name": name,
        "layout": net.layout(),
        "tensors": {key: as_json(value) for key, value in net.parameters().items()},
        "checks": [
            {"what": "outputs, as Python computes them (float32)", "got": "forward",
             "expected": net.forward(images).tolist(), "tolerance": FLOAT32},
            {"what": "outputs, float64", "got": "forward", "expected": float64_conv_outputs(net, images).tolist(),
             "tolerance": EXACT},
            *({"what": f"layer {k} values (float32)", "got": f"layer{k}", "expected": values.tolist(),
               "tolerance": FLOAT32} for k, values in enumerate(net.layer_outputs(images))),
            *({"what": f"feature maps of block {block} (float32), 10 images", "got": f"maps{block}",
               "expected": maps[block].tolist(), "tolerance": FLOAT32} for block in (0, 1)),
        ],
    }


def sigmoid_case() -> dict:
    """reseau.network.sigmoid at both ends, its clipping included (relative agreement)."""
    x = np.array([-1e4, -800.0, -709.5, -708.7, -700.0, -100.0, -1.0, -0.0, 1e-3, 3.0, 40.0, 800.0, 1e4])
    return {"x": x.tolist(), "expected": network.sigmoid(x).tolist()}


def test_the_browsers_networks_answer_as_pythons(tmp_path, train_data, test_data):
    images = test_data[0][:N_IMAGES]  # (50, 784) float32
    cases = [
        dense_case("document 784-20-10 sigmoid (seed 0, 500 images)", document_network(train_data), images),
        dense_case("modern 784-32-16-10 relu/softmax (float32)", modern_network(train_data), images),
        dense_case("784-12-8-10 tanh/identity/sigmoid (random)", other_activations(), images),
        conv_case("CNN conv 4-8, kernels 5-3, batch norm, dense 16", conv_network(train_data), images),
        conv_case("CNN conv 3-5, kernels 4-4, no batch norm (random)", odd_conv_network(), images),
    ]
    path = tmp_path / "network-cases.json"
    timing = {"layout": cnn.architecture(PRESETS["cnn"])}  # the full-size CNN, for its speed only
    data = {"images": images.tolist(), "sigmoid": sigmoid_case(), "networks": cases, "timing": timing}
    path.write_text(json.dumps(data), encoding="utf-8")
    report = run_node("networks.test.mjs", "RESEAU_NETWORK_CASES", path)
    assert int(re.search(r"# pass (\d+)", report)[1]) >= len(cases) + 2, report  # one test per network, at least
    measured = [line for line in report.splitlines() if "max |" in line or " ms per image" in line]
    print("\n".join(measured))  # the agreement and the speed, shown by `pytest -s`
