"""How much of each network's accuracy survives what people do when they draw: one table.

    python benchmarks/bench_robustness.py --model cnn=cnn.safetensors --model dessin=dessin.safetensors ...
    python benchmarks/bench_robustness.py --train-quick            # the document's network and `better`, 3 epochs
    python benchmarks/bench_robustness.py --train-quick --quick    # 1 000 test images instead of 10 000

Each network is evaluated on the MNIST test images as they are ("original"),
under every fixed change of :data:`reseau.distort.SLICES` (shifted, turned,
zoomed, thicker, thinner, elastically distorted, scanned at a low resolution,
drawn with a marker or a faint pencil, blurred), and on a second test set that
is not MNIST at all: the digits of every installed font (:mod:`reseau.fontdigits`).
Every MNIST slice is measured twice: directly, and through the page (each image
prepared as the web page prepares a drawing, with the network's OWN
preprocessing, :func:`reseau.drawing.preprocess_for`); the fonts go through the
page only.  ``--compare`` adds, for each network, the page with the other
preprocessing (stroke normalisation on or off): how each preset's was chosen.
It prints one Markdown table: a row per test, a column per network, the
accuracy in % directly and through the page.

A model is any file ``reseau.modelfile.load`` reads; its
``network.predict(images (n, 784)) -> digits (n,)`` and its record's preprocessing are used.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Protocol

import numpy as np

from reseau import get_mnist
from reseau.distort import SLICES, random_drawing
from reseau.drawing import DEFAULT, NO_STROKE, Preprocessing, fit_many, preprocess_for
from reseau.fontdigits import font_digits


class Predictor(Protocol):
    def predict(self, images: np.ndarray) -> np.ndarray: ...


CHUNK = 1000  # images per predict call: bounded memory for big networks
CANDIDATES = {"stroke normalisation": DEFAULT, "no stroke normalisation": NO_STROKE}  # --compare's


@dataclass
class Measured:
    """A network to measure: what predicts, and the preprocessing its record names."""

    network: Predictor
    preprocessing: Preprocessing


def mnist_slices(images: np.ndarray) -> dict[str, np.ndarray]:
    """Every MNIST slice by name: ``images (n, 784)`` changed as :data:`SLICES` says."""
    return {name: change(images) for name, change in SLICES.items()}


@functools.cache
def fonts(preprocessing: Preprocessing) -> tuple[np.ndarray, np.ndarray]:
    """The font digits prepared with ``preprocessing``: ``(images (n, 784), digits (n,))``."""
    images, digits, _ = font_digits(preprocessing=preprocessing)
    return images, digits


PAGE_CACHE: dict[tuple[str, Preprocessing], np.ndarray] = {}


def through_page(name: str, images: np.ndarray, preprocessing: Preprocessing) -> np.ndarray:
    """``images (n, 784)`` of slice ``name`` sent through the web page's preprocessing, as if drawn on the pad
    (each prepared once per preprocessing, whatever the number of networks)."""
    key = (name, preprocessing)
    if key not in PAGE_CACHE and not preprocessing.normalise_stroke:  # the page's own steps, a batch at once
        PAGE_CACHE[key] = fit_many(images)  # (tests/test_web_preprocess.py: equal to fit, image by image)
    if key not in PAGE_CACHE:
        prepare = preprocess_for(SimpleNamespace(preprocessing=preprocessing))
        out = np.zeros_like(images)
        for k, image in enumerate(images):
            prepared = prepare(image.reshape(28, 28))  # (28, 28), or None: no ink
            if prepared is not None:
                out[k] = prepared.reshape(784)
        PAGE_CACHE[key] = out
    return PAGE_CACHE[key]


def accuracy(network: Predictor, images: np.ndarray, digits: np.ndarray) -> float:
    """% of ``images (n, 784)`` that ``network`` recognises as ``digits (n,)``."""
    guesses = np.concatenate([network.predict(images[i : i + CHUNK]) for i in range(0, len(images), CHUNK)])
    return 100.0 * float(np.mean(guesses == digits))


def measure(model: Measured, slices: dict[str, np.ndarray], digits: np.ndarray, compare: bool) -> dict[str, str]:
    """One network's column: ``test -> "direct / through the page"`` (%), then the fonts."""
    column = {}
    others = {k: p for k, p in CANDIDATES.items() if p != model.preprocessing} if compare else {}
    for name, images in slices.items():
        direct = accuracy(model.network, images, digits)
        page = accuracy(model.network, through_page(name, images, model.preprocessing), digits)
        column[name] = f"{direct:.2f} / {page:.2f}"
        for label, other in others.items():
            column[f"{name}, page with {label}"] = (
                f"{accuracy(model.network, through_page(name, images, other), digits):.2f}"
            )
    column["fonts, through the page"] = f"{accuracy(model.network, *fonts(model.preprocessing)):.2f}"
    for label, other in others.items():
        column[f"fonts, page with {label}"] = f"{accuracy(model.network, *fonts(other)):.2f}"
    return column


def markdown(results: dict[str, dict[str, str]], sizes: dict[str, int]) -> str:
    """``results[network][test]`` as a Markdown table: a row per test (a blank cell where a network has none)."""
    names = list(results)
    tests = list(dict.fromkeys(test for column in results.values() for test in column))
    lines = ["| test (images) | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for test in tests:
        size = sizes["fonts"] if test.startswith("fonts") else sizes["mnist"]
        lines.append(f"| {test} ({size}) | " + " | ".join(results[n].get(test, "") for n in names) + " |")
    return "\n".join(lines)


def drawing_milliseconds(images: np.ndarray, repeat: int = 50) -> float:
    """Best of ``repeat``: milliseconds :func:`random_drawing` takes for a training batch of 128 images."""
    rng = np.random.default_rng(0)
    batch = images[:128]
    random_drawing(batch, rng)  # compile (or load) the kernel first
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        random_drawing(batch, rng)
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def load_models(specs: list[str]) -> dict[str, Measured]:
    """``name=path`` -> the network in that model file, with the preprocessing its record names."""
    from reseau import modelfile

    models = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise SystemExit(f"--model wants name=path, got {spec!r}")
        saved = modelfile.load(path)
        models[name] = Measured(saved.network, saved.info.preprocessing)
    return models


def train_quick(images: np.ndarray, labels: np.ndarray) -> dict[str, Measured]:
    """The document's network (its own 3 epochs) and ``better`` cut to 3 epochs, trained here."""
    import reseau

    trainings: dict[str, Callable[[], Predictor]] = {
        "document": lambda: reseau.train(images, labels, reseau.FaithfulConfig())[0],
        "better (3 epochs)": lambda: reseau.train(images, labels, reseau.presets()["better"].with_(epochs=3))[0],
    }
    models = {}
    for name, training in trainings.items():
        start = time.perf_counter()
        models[name] = Measured(training(), DEFAULT)  # the presets' own: stroke normalisation
        print(f"trained {name} in {time.perf_counter() - start:.1f} s")
    return models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH", help="a model file (repeat)")
    parser.add_argument("--train-quick", action="store_true", help="train the document's network and `better` here")
    parser.add_argument("--count", type=int, default=10000, help="the first COUNT test images (default: all)")
    parser.add_argument("--quick", action="store_true", help="the first 1 000 test images (--count 1000)")
    parser.add_argument("--compare", action="store_true", help="also the page with the other preprocessing")
    parser.add_argument("--data-dir", default=os.environ.get("RESEAU_DATA"))
    args = parser.parse_args()
    if not args.model and not args.train_quick:
        parser.error("give --model name=path (repeated) or --train-quick")

    models = load_models(args.model)
    if args.train_quick:
        models |= train_quick(*get_mnist("train", data_dir=args.data_dir))
    images, onehot = get_mnist("test", data_dir=args.data_dir)
    count = 1000 if args.quick else args.count
    start = time.perf_counter()
    slices, digits = mnist_slices(images[:count]), onehot[:count].argmax(axis=1)
    print(f"test sets ready in {time.perf_counter() - start:.1f} s")
    results = {}
    for name, model in models.items():
        start = time.perf_counter()
        results[name] = measure(model, slices, digits, args.compare)
        print(f"{name} measured in {time.perf_counter() - start:.1f} s")
    sizes = {"mnist": len(digits), "fonts": len(fonts(DEFAULT)[1])}
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    print(f"\n{machine}; accuracy %, direct / through the page\n")
    print(markdown(results, sizes))
    print(f"\nrandom_drawing (the `drawing` augmentation): {drawing_milliseconds(images):.2f} ms per batch of 128")


if __name__ == "__main__":
    main()
