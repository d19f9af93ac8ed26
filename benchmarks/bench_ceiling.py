"""How far can the `dessin` network go on MNIST's digits eroded by a 3x3 square?  A ceiling, measured.

    python benchmarks/bench_thin_ceiling.py              # 16 epochs each, as `dessin` (about 5 min per run here)
    python benchmarks/bench_thin_ceiling.py --epochs 5   # shorter

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
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import reseau.distort as distort
from reseau import get_mnist
from reseau.trainers import preset, train

DRAWING = distort.random_drawing  # the preset's own augmentation, kept before it is swapped below
SLICES = ("original", "thin (erosion)", "thick (3x3 dilation)", "shift diagonal 2", "elastic")


def half_eroded(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``images (n, 784)``: the drawing augmentation, then half of them replaced by their exact erosion."""
    out = DRAWING(images, rng)
    pick = rng.random(len(images)) < 0.5  # (n,)
    out[pick] = distort.thin(images[pick])
    return out


AUGMENTATIONS = {
    "drawing": DRAWING,
    "half eroded": half_eroded,
    "eroded only": lambda images, rng: distort.thin(images),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=16)
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
