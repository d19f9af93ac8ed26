"""One epoch of the document's training, three ways, side by side on real MNIST.

    python benchmarks/bench_faithful.py [--repeat 3] [--data-dir DIR]

(a) the document's literal loop (reseau.document), (b) the readable NumPy
reference engine, (c) the compiled fast engine: its epoch alone, and with the
one-time preparation a training run pays once (listing the non-zero pixels of
the 60 000 images).  All three start from the same seed and compute the same
arithmetic; the script checks they print the same "Précision" and prints each
time and its ratio to the literal loop.  The best of ``--repeat`` runs is kept
for (c) (the compile is done before timing).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from reseau import FaithfulConfig, get_mnist
from reseau import train as train_faithful  # the front door; with a FaithfulConfig it runs reseau.faithful
from reseau.document import literal_training


def best_time(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the fast engine (best kept)")
    parser.add_argument("--slow-repeat", type=int, default=1, help="runs of the literal loop and the reference")
    parser.add_argument("--data-dir", default=os.environ.get("RESEAU_DATA"))
    args = parser.parse_args()

    images, labels = get_mnist(data_dir=args.data_dir)
    one_epoch = FaithfulConfig(epochs=1)
    fast_epochs: list[float] = []
    train_faithful(images[:100], labels[:100], one_epoch)  # compile (or load) the kernel first

    def fast():
        history = train_faithful(images, labels, one_epoch)[1]
        fast_epochs.append(history.epochs[0].seconds)  # the epoch alone, without the one-time preparation
        return history.epochs[0].precision

    def reference():
        return train_faithful(images, labels, FaithfulConfig(epochs=1, engine="reference"))[1].epochs[0].precision

    def literal():
        line = literal_training(images, labels, epochs=1, echo=False)[0][0]
        return float(line.split(": ")[-1].rstrip("%"))

    rows = [("(a) document's literal loop", *best_time(literal, args.slow_repeat)),
            ("(b) reference engine (NumPy)", *best_time(reference, args.slow_repeat))]
    whole, precision = best_time(fast, args.repeat)
    rows += [("(c) fast engine (numba), epoch", min(fast_epochs), precision),
             ("(c) same, + one-time preparation", whole, precision)]
    base = rows[0][1]
    print(f"One epoch of 60 000 images, 784-20-10, lr 0.01, seed 0 — {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, NumPy {np.__version__}")
    print(f"| {'engine':<34} | {'seconds / epoch':>15} | {'speed-up vs (a)':>15} | Précision |")
    print(f"|{'-' * 36}|{'-' * 16}:|{'-' * 16}:|----------:|")
    for name, seconds, precision in rows:
        print(f"| {name:<34} | {seconds:>15.3f} | {base / seconds:>14.1f}x | {precision:>8.2f}% |")
    precisions = {p for _, _, p in rows}
    print("same Précision for all three:", "yes" if len(precisions) == 1 else f"NO {precisions}")


if __name__ == "__main__":
    main()
