"""How `dessin`'s drawing augmentation was chosen: train it with some settings changed, measure the hard slices.

    python benchmarks/bench_augmentation.py                                  # the preset as it is
    python benchmarks/bench_augmentation.py --set plain=0 --set flag=0 --set bar=0 --sides 7 19
    python benchmarks/bench_augmentation.py --cnn dense=256 --cnn dropout=0.15    # the network's own settings
    python benchmarks/bench_augmentation.py --model dessin.safetensors       # measure a saved network only

Trains ``reseau train --preset dessin`` (seed 0, its epochs) with the fields of
:class:`reseau.distort.DrawingAugmentation` given by ``--set NAME=VALUE`` (a pair
``low,high`` for the ranges) and the scan resolutions ``--sides LOW HIGH`` (``range``),
and the network's settings (:class:`reseau.training.cnn_config.CNNConfig`) given by
``--cnn NAME=VALUE``, then prints one Markdown row: MNIST's 10 000 test images, and the slices of
issue 23 directly / through the page (the page's own steps for a batch,
:func:`reseau.drawing.fit_many`: `dessin` records no stroke normalisation), the
rotations and elastic strokes a mouse drawing brings, the fonts, and the time.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import fields, replace

import numpy as np

import reseau.distort as distort
from reseau import get_mnist, modelfile
from reseau.distort import SLICES, DrawingAugmentation
from reseau.drawing import PRESETS, fit_many  # dessin's: no stroke normalisation
from reseau.fontdigits import font_digits
from reseau.trainers import preset, train
from reseau.training.cnn_config import CNNConfig

ROWS = ("low resolution 8x8", "thick marker 7 px", "blurred (sigma 1.5)", "low resolution 16x16", "thick marker 4 px",
        "blurred (sigma 1)", "faint pencil (ink 0.3-0.5)", "rotate +15", "elastic")  # fmt: skip


def settings(pairs: list[str]) -> DrawingAugmentation:
    """``["plain=0.5", "marker=0.75,3"]`` -> the preset's augmentation with those fields changed."""
    kinds = {f.name: f.type for f in fields(DrawingAugmentation)}
    changes: dict[str, object] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in kinds:
            raise SystemExit(f"--set: no field {name!r} (fields: {', '.join(kinds)})")
        numbers = tuple(float(v) for v in value.split(","))
        changes[name] = numbers if "tuple" in str(kinds[name]) else numbers[0]
    return DrawingAugmentation(**changes)  # type: ignore[arg-type]


def network_settings(pairs: list[str]) -> CNNConfig:
    """``["dense=256", "dropout=0.15"]`` -> the ``dessin`` preset with those fields changed (a tuple field
    takes ``a,b``)."""
    config = preset("dessin")
    for pair in pairs:
        name, _, value = pair.partition("=")
        if not hasattr(config, name):
            raise SystemExit(f"--cnn: no field {name!r} (fields: {', '.join(f.name for f in fields(config))})")
        old = getattr(config, name)
        kind = type(old[0]) if isinstance(old, tuple) and old else type(old)
        numbers = tuple(kind(v) for v in value.split(","))
        config = replace(config, **{name: numbers if isinstance(old, tuple) else numbers[0]})
    return config.validate()


def measure(network, seconds: float | None) -> str:
    """One Markdown row's cells for ``network``: MNIST, each slice direct / through the page, fonts, time."""
    images, onehot = get_mnist("test")
    digits = onehot.argmax(axis=1)
    accuracy = lambda x, d: 100 * float(np.mean(network.predict(x) == d))  # noqa: E731
    cells = [f"{accuracy(images, digits):.2f}"]
    for name in ROWS:
        changed = SLICES[name](images)
        cells.append(f"{accuracy(changed, digits):.2f} / {accuracy(fit_many(changed), digits):.2f}")
    font_images, font_labels, _ = font_digits(preprocessing=PRESETS["dessin"])
    cells.append(f"{accuracy(font_images, font_labels):.2f}")
    cells.append("—" if seconds is None else f"{seconds:.0f} s")
    return " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a field to change")
    parser.add_argument("--sides", type=int, nargs=2, metavar=("LOW", "HIGH"), help="scan sides: range(LOW, HIGH)")
    parser.add_argument("--cnn", action="append", default=[], metavar="NAME=VALUE", help="a network setting")
    parser.add_argument("--model", help="measure this saved network instead of training one")
    parser.add_argument("--out", help="where to save the trained network")
    args = parser.parse_args()
    print("| settings | MNIST | " + " | ".join(ROWS) + " | fonts | training |")
    print("|---|" + "---:|" * (len(ROWS) + 3))
    if args.model:
        print(f"| {args.model} | " + measure(modelfile.load(args.model).network, None) + " |")
        return
    params, config = settings(args.set), network_settings(args.cnn)
    if args.sides:
        distort.SCAN_SIDES = tuple(range(*args.sides))
        distort.scan_maps.cache_clear()
    original = distort.random_drawing  # what augment="drawing" calls, looked up when training starts
    distort.random_drawing = lambda images, rng, digits=None: original(images, rng, params, digits)
    try:
        x, y = get_mnist("train")
        start = time.perf_counter()
        network, history = train(x, y, config)
        seconds = time.perf_counter() - start
    finally:
        distort.random_drawing = original
    if args.out:
        from reseau.modelfile import ModelInfo, SavedModel

        info = ModelInfo.build(config, history, preset="dessin", seconds=seconds)
        modelfile.save(SavedModel(network, info), args.out)
    sides = [f"sides {args.sides[0]}-{args.sides[1] - 1}"] if args.sides else []
    label = ", ".join(args.cnn + args.set + sides) or "preset"
    print(f"| {label} | " + measure(network, seconds) + " |")


if __name__ == "__main__":
    main()
