"""How well do the networks read photos of digits on paper?  The synthetic photo set, measured.

    python benchmarks/bench_photo.py MODEL.safetensors [MORE.safetensors ...]            # 1 000 photos
    python benchmarks/bench_photo.py --count 300 ~/.local/share/reseau/dessin.safetensors

Each photo is one of MNIST's first test digits written on paper by :mod:`reseau.photoset` (paper grain,
plain, ruled or squared, blue or black ink, a shadow, +-10 degrees, a mild perspective, blur, JPEG
50-80, the digit 20-60 % of the photo), then read back by :func:`reseau.photo.read_photo`.  Printed:
for each network, its accuracy on the photos, on the same digits given directly (the upper bound),
by paper and by ink; the photos no digit was found in count as wrong; and the seconds per photo.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from reseau import get_mnist, modelfile, photo, photoset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="model files (.safetensors)")
    parser.add_argument("--count", type=int, default=1000, help="photos (MNIST's first test digits)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    images, labels = get_mnist("test")
    digits = labels.argmax(axis=1)
    started = time.perf_counter()
    made = list(photoset.photos(images, digits, args.count, seed=args.seed))
    made_s = time.perf_counter() - started
    started = time.perf_counter()
    cut: list[np.ndarray | None] = []  # each photo's digit cut out (None: refused), before any network's preprocessing
    for p in made:
        try:
            cut.append(photo.read_photo(p.data).digit)
        except photo.PhotoError:
            cut.append(None)
    found = np.array([digit is not None for digit in cut])
    read_s = time.perf_counter() - started
    print(f"{args.count} photos: made in {made_s / args.count:.3f} s each, read in {read_s / args.count:.3f} s each;")
    print(f"no digit found in {(~found).sum()}")
    truth = digits[: args.count]
    for path in args.models:
        model = modelfile.load(path)
        network = model.network
        inputs = np.zeros((args.count, 784), dtype=np.float32)  # what this network reads: its own preprocessing
        for i, digit in enumerate(cut):
            x = photo.network_input(digit, model) if digit is not None else None
            inputs[i] = x.reshape(-1) if x is not None else 0.0
        right = (network.predict(inputs) == truth) & found  # (count,)
        direct = network.predict(images[: args.count]) == truth
        print(f"\n{path}: photos {100 * right.mean():.1f} %, the same digits directly {100 * direct.mean():.1f} %")
        by = defaultdict(list)
        for p, ok in zip(made, right):
            by[f"paper {p.paper}"].append(ok)
            by[f"ink {p.ink}"].append(ok)
            by["digit 20-40 %" if p.height < 0.4 else "digit 40-60 %"].append(ok)
        for name in sorted(by):
            print(f"  {name:16s} {100 * np.mean(by[name]):5.1f} %  ({len(by[name])} photos)")


if __name__ == "__main__":
    main()
