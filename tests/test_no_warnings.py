"""No floating-point warning reaches a user.

A number a user types (``--w 1e308``, ``--lr 1000``) can push NumPy's arithmetic
beyond the largest float.  Where that is expected, the code says so with
``np.errstate`` and draws or writes the result in words; NumPy's
``RuntimeWarning`` with a line of source code must never be what a student reads.

The commands run in a subprocess as a user runs them: no ``-W error``, no
``PYTHONWARNINGS``, so a warning would be printed, not raised.  The library
calls run with every warning recorded (``simplefilter("always")``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from reseau import drawing, explain, figures
from reseau.figures.sigmoid import RISE, written
from reseau.i18n import format_number, format_rate, t
from reseau.network import Network

LR = 1000.0  # the largest learning rate `reseau train` and `reseau explain` accept
EXTREME = [
    (1e308, -1e308),
    (1e308, 1e308),
    (-1e308, 5e307),
    (1.0, -1e308),
    (1e-300, 0.0),
    (250.0, 300.0),
    (1e307, 1.7e308),
]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def reseau(cwd: Path, mnist_dir: Path, *args: object) -> subprocess.CompletedProcess:
    """``python -m reseau ARGS`` as a user runs it (warnings as Python shows them by default)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    env |= {"RESEAU_DATA": str(mnist_dir), "MPLBACKEND": "Agg", "RESEAU_LANG": "fr", "COLUMNS": "200"}
    command = [sys.executable, "-m", "reseau", *map(str, args)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)


def assert_quiet(done: subprocess.CompletedProcess, code: int = 0) -> None:
    """The exit code a user expects, and nothing from Python itself on either stream."""
    for stream in (done.stderr, done.stdout):
        assert "Warning" not in stream and "Traceback" not in stream, stream[-2000:]
    assert done.returncode == code, done.stderr[-2000:]


def run_quietly(function, *args, **kwargs):
    """``function(*args, **kwargs)``, asserting it raised no RuntimeWarning (every warning recorded)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    floating = [f"{w.filename}:{w.lineno}: {w.message}" for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not floating, floating
    return result


@pytest.fixture(scope="module")
def diverged(tmp_path_factory, mnist_dir) -> Path:
    """`reseau train --lr 1000` for one epoch: it finishes, says in words that the network learned nothing,
    and writes its model file (used by the commands below)."""
    folder = tmp_path_factory.mktemp("diverged")
    done = reseau(folder, mnist_dir, "train", "--lr", LR, "--epochs", 1, "--out", folder / "big.safetensors")
    assert_quiet(done)
    assert t("training.learned_nothing", precision=0.0, lr=format_rate(LR)).split("(")[0] in done.stdout + done.stderr
    return folder / "big.safetensors"


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


def test_sigmoid_figure_of_huge_w_and_b_is_written_without_a_warning(tmp_path, mnist_dir):
    pairs = [[option, repr(value)] for w, b in EXTREME for option, value in (("--w", w), ("--b", b))]
    done = reseau(tmp_path, mnist_dir, "figures", "sigmoid", *sum(pairs, []), "--out", tmp_path)
    assert_quiet(done)
    assert (tmp_path / "sigmoid.png").stat().st_size > 0


def test_training_with_a_learning_rate_of_1000_says_it_in_words(diverged):
    assert diverged.is_file()  # the fixture checked the run: exit 0, no warning, the sentence


def test_predict_and_figures_with_the_diverged_network(diverged, mnist_dir, tmp_path):
    assert_quiet(reseau(tmp_path, mnist_dir, "predict", "--model", diverged, "--index", 0, "--save", "p.png"))
    assert (tmp_path / "p.png").is_file()
    for figure in ("network", "forward"):
        assert_quiet(reseau(tmp_path, mnist_dir, "figures", figure, "--model", diverged, "--out", tmp_path))


def test_explain_with_the_largest_learning_rate_and_a_refused_one(diverged, mnist_dir, tmp_path):
    done = reseau(tmp_path, mnist_dir, "explain", "--model", diverged, "--lr", LR, "--steps", 100, "--json")
    assert_quiet(done)
    assert json.loads(done.stdout)  # every number written, none of them a warning
    assert_quiet(reseau(tmp_path, mnist_dir, "explain", "--lr", LR, "--steps", 100), 0)
    refused = reseau(tmp_path, mnist_dir, "explain", "--lr", "1e300")
    assert_quiet(refused, 2)
    assert "--lr" in refused.stderr


def test_an_experiment_with_an_absurd_learning_rate_concludes_in_words(mnist_dir, tmp_path):
    args = ["--vary", f"learn_rate={LR:g}", "--set", "epochs=1", "--seeds", 1, "-j", 1, "--out", tmp_path / "x"]
    done = reseau(tmp_path, mnist_dir, "experiment", *args)
    assert_quiet(done)
    assert (tmp_path / "x" / "report.md").is_file()


def test_the_modern_trainer_with_its_largest_learning_rate(mnist_dir, tmp_path):
    """lr 100 diverges: said in words (nothing saved, divide the rate), no warning of NumPy's."""
    args = ["--mode", "modern", "--lr", 100, "--epochs", 1, "--out", tmp_path / "m.safetensors"]
    done = reseau(tmp_path, mnist_dir, "train", *args)
    assert_quiet(done, code=2)
    assert "divisez-le par 10" in done.stderr and not (tmp_path / "m.safetensors").exists()


# --------------------------------------------------------------------------
# Library calls
# --------------------------------------------------------------------------


def curve_of(ax) -> tuple[np.ndarray, np.ndarray]:
    (curve,) = [line for line in ax.lines if line.get_label() == "curve"]
    return np.asarray(curve.get_xdata()), np.asarray(curve.get_ydata())


def test_sigmoid_figure_with_extreme_w_b_draws_steps_and_says_so():
    fig = run_quietly(figures.sigmoid_figure, EXTREME)
    run_quietly(fig.canvas.draw)  # matplotlib's own arithmetic on the drawn values too
    panels = [ax for ax in fig.axes if ax.get_label() == "sigmoid"]
    for ax, (w, b) in zip(panels, EXTREME):
        x, y = curve_of(ax)
        assert np.all(np.isfinite(y)) and np.all((y >= 0) & (y <= 1))
        texts = " ".join(text.get_text() for text in ax.texts)
        middle = -b / w
        if -10 <= middle <= 10 and RISE / abs(w) < 0.05:  # a step narrower than the gap between two points
            assert list(y) == ([0, 0, 0.5, 1, 1] if w > 0 else [1, 1, 0.5, 0, 0])
            assert np.all(x[1:4] == middle)
            assert t("figures.sigmoid.step", width=written(RISE / abs(w))) in texts
    assert "e+308" in panels[0].get_title() and len(panels[0].get_title()) < 40  # not 309 digits
    flat = panels[3]  # w = 1, b = -1e308: σ is 0 over the whole frame, its middle far to the right
    assert np.all(curve_of(flat)[1] < 1e-300)
    assert [s.get_text() for s in flat.texts] == [t("figures.sigmoid.flat", y=format_number(0.0), x=written(1e308))]


def test_the_document_sigmoids_are_drawn_as_before():
    fig = run_quietly(figures.sigmoid_figure)
    for ax, (w, b) in zip([ax for ax in fig.axes if ax.get_label() == "sigmoid"], figures.DOCUMENT_SIGMOIDS):
        x, y = curve_of(ax)
        assert len(x) == 401 and np.allclose(y, 1 / (1 + np.exp(-(w * x + b))), rtol=0, atol=1e-15)
        assert len(ax.texts) == 1  # only the middle's value: no step, no flat curve


@pytest.mark.parametrize("value", [1e300, -1e300, 1e302])
def test_network_forward_on_huge_inputs(value):
    rng = np.random.default_rng(0)
    net = Network.from_document(*(rng.uniform(-0.5, 0.5, shape) for shape in [(20, 784), (20, 1), (10, 20), (10, 1)]))
    rows = np.full((3, 784), value)  # (3, 784)
    o = run_quietly(net.forward, rows)  # (3, 10)
    assert np.all(np.isfinite(o)) and np.all((o >= 0) & (o <= 1))
    assert np.array_equal(run_quietly(net.predict, rows), o.argmax(axis=1))
    assert np.array_equal(run_quietly(net.predict, (rows / 1e270).astype(np.float32)), o.argmax(axis=1))


def test_explain_steps_with_a_learning_rate_of_1000(train_data):
    images, labels = train_data
    weights = explain.Weights.document_start()
    done = run_quietly(explain.steps, images[:100], labels[:100], weights, LR)
    assert len(done) == 100 and all(np.isfinite(step.cost) for step in done)
    run_quietly(explain.step, np.ones(784), 3, weights, LR)


@pytest.mark.parametrize(
    "grey",
    [
        np.full((112, 112), 5e-324),  # the smallest ink a float holds, everywhere
        np.pad(np.ones((1, 1)), ((0, 111), (0, 111))),  # one dot in a corner
        np.ones((1, 280)),  # one row of ink
        np.ones((280, 280)),  # all ink
        np.eye(112) * 1e-300 + np.pad(np.ones((20, 4)), ((40, 52), (50, 58))),  # a stroke and a faint diagonal
    ],
    ids=["denormal", "corner", "row", "full", "faint"],
)
def test_odd_drawings_are_prepared_and_recognised_quietly(grey):
    x = run_quietly(drawing.to_mnist, grey)  # (28, 28) or None: nothing to recognise
    if x is not None:
        assert x.shape == (28, 28) and np.all(np.isfinite(x))
        rng = np.random.default_rng(0)
        net = Network.from_document(*(rng.uniform(-0.5, 0.5, s) for s in [(20, 784), (20, 1), (10, 20), (10, 1)]))
        run_quietly(net.predict, x.reshape(1, -1))
