"""How much of each network's accuracy survives what people do when they draw: one table.

    python benchmarks/bench_robustness.py --model cnn=cnn.safetensors --model dessin=dessin.safetensors ...
    python benchmarks/bench_robustness.py --train-quick            # the document's network and `better`, 3 epochs
    python benchmarks/bench_robustness.py --train-quick --quick    # 1 000 test images instead of 10 000

Each network is evaluated on the MNIST test images as they are ("original"),
under every fixed change of :data:`reseau.distort.SLICES` (shifted by 2
pixels, turned by 15 degrees, zoomed, thicker, thinner, elastically
distorted), and on a second test set that is not MNIST at all: the digits of
every installed font (:mod:`reseau.fontdigits`), prepared by the web page's
own preprocessing with and without MNIST's stroke thickness.  It prints one
Markdown table: a row per test, a column per network, the accuracy in % and,
in brackets, its ratio to that network's accuracy on the original images.

A model is any file ``reseau.modelfile.load`` reads; only its
``network.predict(images (n, 784)) -> digits (n,)`` is used, so any network
with that method can be measured here.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from reseau import get_mnist
from reseau.distort import SLICES, random_drawing
from reseau.fontdigits import font_digits


class Predictor(Protocol):
    def predict(self, images: np.ndarray) -> np.ndarray: ...


PAGE_TESTS = {  # row name -> (the MNIST slice, stroke normalisation of the page's preprocessing)
    "thick, through the page": ("thick (3x3 dilation)", True),
    "thick, through the page without stroke normalisation": ("thick (3x3 dilation)", False),
    "thin, through the page": ("thin (erosion)", True),
    "thin, through the page without stroke normalisation": ("thin (erosion)", False),
}
FONT_TESTS = {  # row name -> stroke normalisation of the page's preprocessing
    "fonts (page, MNIST stroke)": True,
    "fonts (page, font's own stroke)": False,
}
CHUNK = 1000  # images per predict call: bounded memory for big networks


def evaluation_sets(images: np.ndarray, labels: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every test, by name: ``(images (n, 784), digits (n,))``; the MNIST slices first, then the fonts."""
    sets = {name: (change(images), labels) for name, change in SLICES.items()}
    for name, (source, normalise) in PAGE_TESTS.items():  # what the web page does to such a drawing
        sets[name] = (through_page(sets[source][0], normalise), labels)
    for name, normalise in FONT_TESTS.items():
        fonts, digits, _ = font_digits(normalise_stroke=normalise)
        sets[name] = (fonts, digits)
    return sets


def through_page(images: np.ndarray, normalise: bool) -> np.ndarray:
    """``images (n, 784)`` sent through the web page's preprocessing, as if each had been drawn on the pad."""
    from reseau.drawing import to_mnist

    out = np.zeros_like(images)
    for k, image in enumerate(images):
        prepared = to_mnist(image.reshape(28, 28), normalise_stroke=normalise)  # (28, 28), or None: no ink
        if prepared is not None:
            out[k] = prepared.reshape(784)
    return out


def accuracy(network: Predictor, images: np.ndarray, digits: np.ndarray) -> float:
    """% of ``images (n, 784)`` that ``network`` recognises as ``digits (n,)``."""
    guesses = np.concatenate([network.predict(images[i : i + CHUNK]) for i in range(0, len(images), CHUNK)])
    return 100.0 * float(np.mean(guesses == digits))


def markdown(results: dict[str, dict[str, float]], sizes: dict[str, int]) -> str:
    """``results[network][test]`` (%) as a Markdown table: a row per test, ``acc (ratio to original)``."""
    names = list(results)
    lines = ["| test (images) | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for test, size in sizes.items():
        cells = []
        for name in names:
            value, base = results[name][test], results[name]["original"]
            cells.append(f"{value:.2f}" if test == "original" else f"{value:.2f} ({value / base:.2f})")
        lines.append(f"| {test} ({size}) | " + " | ".join(cells) + " |")
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


def load_models(specs: list[str]) -> dict[str, Predictor]:
    """``name=path`` -> the network in that model file."""
    from reseau import modelfile

    models = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise SystemExit(f"--model wants name=path, got {spec!r}")
        models[name] = modelfile.load(path).network
    return models


def train_quick(images: np.ndarray, labels: np.ndarray) -> dict[str, Predictor]:
    """The document's network (its own 3 epochs) and ``better`` cut to 3 epochs, trained here."""
    import reseau

    trainings: dict[str, Callable[[], Predictor]] = {
        "document": lambda: reseau.train(images, labels, reseau.FaithfulConfig())[0],
        "better (3 epochs)": lambda: reseau.train(images, labels, reseau.presets()["better"].with_(epochs=3))[0],
    }
    models = {}
    for name, training in trainings.items():
        start = time.perf_counter()
        models[name] = training()
        print(f"trained {name} in {time.perf_counter() - start:.1f} s")
    return models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH", help="a model file (repeat)")
    parser.add_argument("--train-quick", action="store_true", help="train the document's network and `better` here")
    parser.add_argument("--quick", action="store_true", help="the first 1 000 test images instead of 10 000")
    parser.add_argument("--data-dir", default=os.environ.get("RESEAU_DATA"))
    args = parser.parse_args()
    if not args.model and not args.train_quick:
        parser.error("give --model name=path (repeated) or --train-quick")

    models = load_models(args.model)
    if args.train_quick:
        models |= train_quick(*get_mnist("train", data_dir=args.data_dir))
    images, onehot = get_mnist("test", data_dir=args.data_dir)
    count = 1000 if args.quick else len(images)
    start = time.perf_counter()
    sets = evaluation_sets(images[:count], onehot[:count].argmax(axis=1))
    print(f"test sets ready in {time.perf_counter() - start:.1f} s")
    results = {name: {test: accuracy(net, *data) for test, data in sets.items()} for name, net in models.items()}
    sizes = {test: len(data[1]) for test, data in sets.items()}
    print(f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores; accuracy % (ratio to original)\n")
    print(markdown(results, sizes))
    print(f"\nrandom_drawing (the `drawing` augmentation): {drawing_milliseconds(images):.2f} ms per batch of 128")


if __name__ == "__main__":
    main()
