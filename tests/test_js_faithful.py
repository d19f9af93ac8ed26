"""The JavaScript engine (``src/reseau/web/static/engine/``) against the Python it copies, under Node.

``random.js`` is NumPy's legacy ``np.random.seed(s); np.random.uniform(...)``, and ``faithful.js`` the
document's network and training (:mod:`reseau.faithful`). Each test writes inputs and the Python side's
answers to a folder (a JSON file of settings and small values, binary files of float64 or uint8 arrays),
runs its Node test file with the JSON's path in an environment variable, and asserts that Node passed.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from reseau import faithful
from reseau.data import document_images, load_raw
from reseau.history import EpochReport
from reseau.network import Network

JS_TESTS = Path(__file__).parent / "js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")

NAMES = ("w_i_h", "w_h_o", "b_i_h", "b_h_o")  # the document's four arrays, in faithful.initial_weights' order
DRAWS = 10**6  # uniform(-0.5, 0.5) draws compared per seed
SLICE = 3000  # training images of the one-epoch comparison
ODD_SLICE, ODD_HIDDEN = 1000, 13  # a second one-epoch comparison, a hidden layer that is not ten by ten


def run_node(test_file: str, variable: str, cases: Path) -> str:
    """Run one Node test file of tests/js with ``variable`` naming the cases; it must pass, with nothing skipped.
    Returns Node's report (for a test that also reads what it measured). The other tests' Node runs call this."""
    env = {"PATH": "/usr/bin:/bin", variable: str(cases)}
    done = subprocess.run([NODE, "--test", str(JS_TESTS / test_file)], capture_output=True, text=True, env=env,
                          timeout=120)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "# fail 0" in report and "# skipped 0" in report and "# pass 0" not in report, report
    return report


def write(folder: Path, name: str, array: np.ndarray) -> str:
    """``array`` as raw little-endian bytes in ``folder/name`` (Node reads it as a typed array); returns ``name``."""
    np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tofile(folder / name)
    return name


def write_weights(folder: Path, prefix: str, arrays) -> dict[str, str]:
    """The document's four arrays, each in its file: ``{"w_i_h": "start-w_i_h.f64", ...}``."""
    return {name: write(folder, f"{prefix}-{name}.f64", a) for name, a in zip(NAMES, arrays, strict=True)}


def test_numpy_legacy_random_numbers_in_javascript(tmp_path):
    seeds = [0, 1, 42, 2**32 - 1] + random.Random(22).sample(range(2**32), 3)
    cases = []
    for seed in seeds:
        drawn = np.random.RandomState(seed).uniform(-0.5, 0.5, DRAWS)  # as np.random.seed(seed) then uniform
        cases.append({"seed": seed, "low": -0.5, "high": 0.5, "file": write(tmp_path, f"uniform-{seed}.f64", drawn)})
    # Other ranges and the bare [0, 1) double, a few thousand draws each
    for seed, low, high in [(7, 0.0, 1.0), (8, -3.0, 7.5), (9, 1e-3, 2e-3)]:
        drawn = np.random.RandomState(seed).uniform(low, high, 5000)
        cases.append({"seed": seed, "low": low, "high": high, "file": write(tmp_path, f"uniform-{seed}.f64", drawn)})
    samples = {"seed": 5, "file": write(tmp_path, "sample-5.f64", np.random.RandomState(5).random_sample(5000))}
    words = {"seed": 6, "file": write(tmp_path, "words-6.u32", np.random.RandomState(6).get_state()[1])}
    path = tmp_path / "random-cases.json"
    path.write_text(json.dumps({"uniform": cases, "sample": samples, "state": words}), encoding="utf-8")
    run_node("random.test.mjs", "RESEAU_RANDOM_CASES", path)


def test_the_documents_training_in_javascript(tmp_path, mnist_dir, train_data, test_data):
    raw_images, raw_labels = load_raw("train", data_dir=mnist_dir)
    raw_test, test_labels = load_raw("test", data_dir=mnist_dir)
    images, labels = train_data[0][:SLICE], train_data[1][:SLICE]
    assert np.array_equal(document_images(raw_images[:SLICE]), images)  # the bytes Node gets are these images

    start = faithful.initial_weights(20, 0)
    w_i_h, w_h_o, b_i_h, b_h_o = (a.copy() for a in start)
    nr_correct = faithful.reference_epoch(images, labels, w_i_h, w_h_o, b_i_h, b_h_o, 0.01)
    network = Network.from_document(w_i_h, b_i_h, w_h_o, b_h_o)
    test_images = test_data[0]
    other = faithful.initial_weights(7, 12345)  # another size and seed: the draw order and shapes
    # Hidden 13: one block of ten neurons and three left, the engine's two ways through a hidden layer
    odd = [a.copy() for a in faithful.initial_weights(ODD_HIDDEN, 3)]
    odd_correct = faithful.reference_epoch(images[:ODD_SLICE], labels[:ODD_SLICE], *odd, 0.01)

    every_byte = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    ratios = [(nr, n) for n in (800, 3000) for nr in range(0, n + 1, 1 if n == 800 else 7)]
    ratios += [(51708, 60000), (55428, 60000), (56066, 60000), (9332, 10000), (1, 60000)]
    cases = {
        "slice": SLICE,
        "learn_rate": 0.01,
        "train_images": write(tmp_path, "train-images.u8", raw_images[:SLICE]),
        "train_digits": write(tmp_path, "train-digits.u8", raw_labels[:SLICE]),
        "test_images": write(tmp_path, "test-images.u8", raw_test),
        "test_digits": write(tmp_path, "test-digits.u8", test_labels),
        "every_byte": write(tmp_path, "every-byte.f32", document_images(every_byte)),
        "start": write_weights(tmp_path, "start", start),
        "other": {"hidden": 7, "seed": 12345, **write_weights(tmp_path, "other", other)},
        "after": write_weights(tmp_path, "after", (w_i_h, w_h_o, b_i_h, b_h_o)),
        "odd": {"hidden": ODD_HIDDEN, "seed": 3, "slice": ODD_SLICE, "nr_correct": odd_correct,
                **write_weights(tmp_path, "odd", odd)},
        "nr_correct": nr_correct,
        "precision": EpochReport(0, nr_correct, SLICE, None, 0.0).precision,
        "outputs": write(tmp_path, "outputs.f64", network.forward(test_images[:20].astype(np.float64))),
        "answers": write(tmp_path, "answers.u8", network.predict(test_images).astype(np.uint8)),
        "accuracy": network.accuracy(*test_data),
        "precisions": [[nr, n, EpochReport(0, nr, n, None, 0.0).precision] for nr, n in ratios],
    }
    path = tmp_path / "faithful-cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    run_node("faithful.test.mjs", "RESEAU_FAITHFUL_CASES", path)

