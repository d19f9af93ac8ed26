"""Speed a user feels, checked without timing anything.

* ``reseau --help`` and the commands' help load none of the heavy libraries
  (NumPy, matplotlib, numba, FastAPI, pydantic): each costs 0.1 to 0.5 s of
  start-up, paid before a word is printed.  Checked in ``sys.modules`` of a
  fresh process.
* :meth:`Network.predict` computes in float32 and gives exactly the answers of
  the float64 forward pass, on all 10 000 test images, for the document's
  network, a trained modern one and random ones (ties and overflows included).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reseau
from reseau.network import Network, float32_scores, sure_answers, top_two

HEAVY = ("numpy", "matplotlib", "numba", "fastapi", "uvicorn", "scipy", "pydantic", "reseau.experiments", "reseau.web")

LOADED = """
import json, sys
from reseau.cli import run
try:
    run(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {"numpy", "matplotlib", "numba", "fastapi",
    "uvicorn", "scipy", "pydantic"} or m.startswith(("reseau.experiments", "reseau.web")))))
"""


def heavy_modules_after(*args: str) -> list[str]:
    """The heavy modules a fresh process has loaded after ``reseau ARGS`` (its output goes to a pipe)."""
    done = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    return sorted({name for name in loaded for heavy in HEAVY if name == heavy or name.startswith(heavy + ".")})


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--lang", "en", "--help"],
        ["train", "--help"],
        ["web", "--help"],
        ["predict", "--help"],
        ["experiment", "--help"],
        ["explain", "--help"],
        ["figures", "--help"],
        ["figures", "digits", "--help"],
        ["--version"],
    ],
)
def test_help_loads_no_heavy_library(args):
    assert heavy_modules_after(*args) == [], "import these where they are used, not when the command is registered"


def test_importing_the_package_and_the_command_line_loads_no_heavy_library():
    heavy = sorted({name.split(".")[0] for name in HEAVY if "." not in name})
    code = f"import reseau, reseau.cli, sys; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_public_names_are_there_when_asked_for():
    from reseau.network import Network as FromModule

    assert reseau.Network is FromModule and callable(reseau.train) and callable(reseau.get_mnist)
    assert set(reseau.__all__) <= set(dir(reseau))
    with pytest.raises(AttributeError, match="no attribute 'Netwrok'"):
        reseau.Netwrok  # noqa: B018
    namespace: dict = {}
    exec("from reseau import *", namespace)
    assert {name for name in reseau.__all__} <= set(namespace)


# --------------------------------------------------------------------------
# Inference: float32, with the float64 answers
# --------------------------------------------------------------------------


def same_answers(network: Network, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What predict answers, and what the float64 forward pass answers, for every row."""
    return network.predict(images), network.forward(images).argmax(axis=1)


def test_the_documents_network_answers_as_in_float64(trained, test_data):
    network = trained.network
    fast, exact = same_answers(network, test_data[0])
    assert np.array_equal(fast, exact)
    scores, error = float32_scores(network, test_data[0])
    assert scores.dtype == np.float32 and 0 < error < 0.5
    _, sure = sure_answers(scores, error, network.activations[-1])
    assert sure.mean() > 0.95  # float64 is needed for a few close calls only


def test_a_trained_modern_network_answers_as_in_float64(train_data, test_data):
    config = reseau.presets()["better"].with_(layers=(64, 32), epochs=1, val_size=0, schedule="none")
    network, _ = reseau.train(train_data[0][:12000], train_data[1][:12000], config)
    assert network.activations == ["relu", "relu", "softmax"]
    fast, exact = same_answers(network, test_data[0])
    assert np.array_equal(fast, exact)


def random_network(rng: np.random.Generator, scale: float, activations: list[str]) -> Network:
    sizes = [784, *(int(n) for n in rng.integers(3, 200, size=len(activations) - 1)), 10]
    weights = [rng.normal(0, scale / np.sqrt(n_in), (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, scale, n_out) for n_out in sizes[1:]]
    return Network(weights, biases, activations)


ACTIVATION_CHOICES = [
    ["sigmoid", "sigmoid"],
    ["tanh", "softmax"],
    ["relu", "relu", "identity"],
    ["relu", "tanh"],
    ["identity", "relu"],
    ["sigmoid", "tanh", "softmax"],
    ["sigmoid", "softmax", "identity"],  # a softmax inside: its error grows with its width
]


@pytest.mark.parametrize("activations", ACTIVATION_CHOICES, ids="-".join)
@pytest.mark.parametrize("scale", [0.01, 1.0, 30.0])  # small scores, ordinary ones, saturated and flat ones
def test_random_networks_answer_as_in_float64(test_data, activations, scale):
    rng = np.random.default_rng(len(activations) * 1000 + int(scale * 100))
    network = random_network(rng, scale, activations)
    fast, exact = same_answers(network, test_data[0])
    assert np.array_equal(fast, exact)


def test_ties_and_overflows_are_settled_in_float64(test_data):
    rng = np.random.default_rng(7)
    images = test_data[0][:2000]
    tied = random_network(rng, 1.0, ["sigmoid", "sigmoid"])
    tied.weights[1][3] = tied.weights[1][7]  # outputs 3 and 7 always equal: argmax keeps the first, 3
    tied.biases[1][3] = tied.biases[1][7]
    huge = random_network(rng, 1.0, ["relu", "identity"])
    huge.weights[1] *= 1e40  # beyond float32's range: inf weights, inf and NaN scores in float32
    assert not np.isfinite(float32_scores(huge, images)[0]).all()
    saturated = random_network(rng, 1.0, ["sigmoid", "sigmoid"])
    saturated.biases[1][:] = 60.0  # every output rounds to 1.0 in float64: argmax answers 0 everywhere
    for network in (tied, huge, saturated):
        fast, exact = same_answers(network, images)
        assert np.array_equal(fast, exact)
    assert (tied.predict(images) != 7).all() and (saturated.predict(images) == 0).all()


def test_other_inputs_keep_the_float64_pass(trained, test_data):
    network = trained.network
    images = test_data[0][:500]
    as_float64 = images.astype(np.float64)
    assert np.array_equal(network.predict(as_float64), network.forward(as_float64).argmax(axis=1))
    assert np.array_equal(network.predict(images[0]), network.predict(images[:1]))  # one image, as a row
    assert network.predict(images[:0]).shape == (0,)


@given(
    hnp.arrays(
        np.float32,
        st.tuples(st.integers(1, 40), st.integers(1, 12)),
        elements=st.sampled_from([-np.inf, -2.0, -1.0, 0.0, 0.5, 1.0, 3.0, np.inf, np.nan]),  # ties, infinities, NaN
    )
)
@settings(max_examples=300, deadline=None)
def test_top_two_is_argmax_and_the_two_largest(scores):
    answers, winner, runner_up = top_two(scores)
    with_nan = np.isnan(scores).any(axis=1)
    assert np.isnan(winner[with_nan]).all()  # such a row is never sure: it is computed again in float64
    clean = scores[~with_nan]
    np.testing.assert_array_equal(answers[~with_nan], clean.argmax(axis=1))  # the first of equals, as argmax
    ordered = np.sort(clean, axis=1).astype(np.float64)
    np.testing.assert_array_equal(winner[~with_nan], ordered[:, -1])
    second = ordered[:, -2] if scores.shape[1] > 1 else np.full(len(clean), -np.inf)
    np.testing.assert_array_equal(runner_up[~with_nan], second)
