"""How far can the `dessin` network go on one hard slice when that is all it learns?  Ceilings, measured.

    python benchmarks/bench_ceiling.py              # as many epochs as `dessin` (about 4 min per run here)
    python benchmarks/bench_ceiling.py --epochs 6 --only "8x8 only" --only "marker 7 px only"

The robustness table's "thin (erosion)" slice removes about a pixel from each side
of every stroke: a third of the test digits keep less than a tenth of their ink.
This script trains the `dessin` network (same layers, optimiser, schedule) three ways
and measures each on the original and the eroded test images:

- ``drawing``: the preset itself (the drawing augmentation: a thinner pen is a
  fraction of that erosion, among the other changes);
- ``half eroded``: the same, with half of each batch replaced by the exact 3x3
  erosion of its clean images (the test slice's own change, on training images);
- ``eroded only``: every training image eroded, nothing else: the best this
  network does on eroded digits when that is all it has to learn.

The same for two slices of issue 23's scans and markers: ``8x8 only`` (every
training image reduced to 8x8 and enlarged back) and ``marker 7 px only`` (every
one redrawn with a 7-pixel marker): how much of the 8x8 slice and of the 7 px
marker a digit keeps, as this network can read it.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import reseau.distort as distort
from reseau import get_mnist
from reseau.trainers import preset, train

DRAWING = distort.random_drawing  # the preset's own augmentation, kept before it is swapped below
SLICES = (
    "original", "thin (erosion)", "thick (3x3 dilation)", "shift diagonal 2", "elastic", "low resolution 8x8",
    "thick marker 7 px",
)  # fmt: skip


def half_eroded(images: np.ndarray, rng: np.random.Generator, digits: np.ndarray | None = None) -> np.ndarray:
    """``images (n, 784)``: the drawing augmentation, then half of them replaced by their exact erosion."""
    out = DRAWING(images, rng, digits=digits)
    pick = rng.random(len(images)) < 0.5  # (n,)
    out[pick] = distort.thin(images[pick])
    return out


AUGMENTATIONS = {
    "drawing": DRAWING,
    "half eroded": half_eroded,
    "eroded only": lambda images, rng, digits=None: distort.thin(images),
    "8x8 only": lambda images, rng, digits=None: distort.low_resolution(images, 8),
    "marker 7 px only": lambda images, rng, digits=None: distort.marker(images, 7.0, steps=8),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=preset("dessin").epochs)
    parser.add_argument("--only", choices=list(AUGMENTATIONS), action="append", help="train only these (repeatable)")
    args = parser.parse_args()
    x, y = get_mnist("train")
    xt, yt = get_mnist("test")
    digits = yt.argmax(axis=1)
    tests = {name: distort.SLICES[name](xt) for name in SLICES}
    print(f"| training images ({args.epochs} epochs) | " + " | ".join(SLICES) + " | time |")
    print("|---|" + "---:|" * (len(SLICES) + 1))
    for name in args.only or AUGMENTATIONS:
        distort.random_drawing = AUGMENTATIONS[name]  # what augment="drawing" calls, looked up when training starts
        try:
            start = time.perf_counter()
            network, _ = train(x, y, preset("dessin").with_(epochs=args.epochs))
            seconds = time.perf_counter() - start
        finally:
            distort.random_drawing = DRAWING
        cells = [f"{100 * np.mean(network.predict(images) == digits):.2f}" for images in tests.values()]
        print(f"| {name} | " + " | ".join(cells) + f" | {seconds:.0f} s |", flush=True)


if __name__ == "__main__":
    main()
