"""The convolutional network: speed against PyTorch, and each CNN preset's accuracy over several seeds.

    python benchmarks/bench_cnn.py                      # one epoch of `cnn`: reseau vs PyTorch, 1 and 2 threads
    python benchmarks/bench_cnn.py --images 10000       # a shorter epoch, to try
    python benchmarks/bench_cnn.py --accuracy           # `cnn` and `dessin`, seeds 0 1 2: test accuracy and time
    python benchmarks/bench_cnn.py --accuracy --presets dessin --seeds 0 --json out.json
    python benchmarks/bench_cnn.py --dessin             # one epoch of `dessin`: what each speed-up brings

Speed: the same network (conv 5x5 32 -> max-pool -> batch norm -> ReLU -> conv
3x3 64 -> max-pool -> batch norm -> ReLU -> dense 128 -> ReLU -> dropout ->
dense 10: the ``cnn`` preset), the same
batch size, Adam with the same cosine schedule and the same shuffled images,
one epoch in reseau (NumPy + numba) and in PyTorch on the CPU (its CPU build:
``pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu``),
in the same process, one after the other, on 1 and then 2 cores (reseau splits
each batch in two halves trained in two threads; PyTorch uses that many intra-op threads).  The best of ``--repeat``
epochs is kept for each and the ratios printed.  Then the time to recognise
the 10 000 test images, for both.

``--dessin`` times one epoch of the ``dessin`` preset (its drawing augmentation
included) and of the test images, as it trained before each speed-up and
after, in the same process: batch normalisation in NumPy
(:func:`batch_norm_numpy`) or compiled, the augmentation of one batch of 64
images at a time or of four (``augment_batches``), the gradients' sum and the
optimiser's step in the main thread or half in each thread (``in_halves``),
the test images in one thread or two.

Note on BLAS: where OPENBLAS_CORETYPE is set in the environment NumPy's
OpenBLAS runs an older, slower kernel (the header prints the one in use):
``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_cnn.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

import reseau
from reseau.convnet import build
from reseau.training.cnn import _Runner as Runner
from reseau.training.cnn import architecture, initial_slots
from reseau.training.cnn_config import PRESETS, CNNConfig

# PyTorch's CPU build: PyPI's torch on Linux also pulls 19 CUDA wheels (several GB) that this never uses
TORCH_CPU = "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"


@contextlib.contextmanager
def cores(n: int):
    """Run on ``n`` CPU cores only (Linux), so that "1 thread" means one core for both programs."""
    everything = os.sched_getaffinity(0)
    os.sched_setaffinity(0, sorted(everything)[:n])
    try:
        yield
    finally:
        os.sched_setaffinity(0, everything)


def reseau_epoch(config: CNNConfig, images: np.ndarray, labels: np.ndarray, threads: int, runner=Runner) -> float:
    """Seconds of one training epoch of ``config`` in reseau on ``threads`` cores (its two halves of each
    batch run in two threads; BLAS on one thread each), trained by ``runner`` (a ``Runner`` class)."""
    from reseau.training.trainer import prepare

    x, targets, digits = prepare(images, labels, config)
    spec = architecture(config)
    run = runner(config, spec, initial_slots(build(spec), config.seed), (x, targets, digits), None)
    with run, threadpool_limits(1, user_api="blas"), cores(threads):
        started = time.perf_counter()
        run.epoch(None)
        return time.perf_counter() - started


def reseau_inference(config: CNNConfig, test: np.ndarray, threads: int) -> float:
    from reseau.convnet import ConvNetwork

    layers = build(architecture(config))
    net = ConvNetwork(architecture(config), initial_slots(layers, 0).values)
    with threadpool_limits(threads, user_api="blas"):
        started = time.perf_counter()
        net.predict(test)
        return time.perf_counter() - started


def torch_model(config: CNNConfig):
    import torch
    from torch import nn

    blocks: list = []
    c = 1
    for filters, k in zip(config.conv, config.kernels):
        blocks += [nn.Conv2d(c, filters, k), nn.MaxPool2d(2)]
        blocks += [nn.BatchNorm2d(filters)] if config.batch_norm else []
        blocks.append(nn.ReLU())
        c = filters
    side = 28
    for k in config.kernels:
        side = (side - k + 1) // 2
    blocks.append(nn.Flatten())
    n = side * side * c
    for m in config.dense:
        blocks += [nn.Linear(n, m), nn.ReLU(), nn.Dropout(config.dropout)]
        n = m
    blocks.append(nn.Linear(n, 10))
    torch.manual_seed(config.seed)
    return nn.Sequential(*blocks)


def torch_epoch(config: CNNConfig, images: np.ndarray, labels: np.ndarray, threads: int) -> float:
    import torch

    torch.set_num_threads(threads)
    with cores(threads):
        return _torch_epoch(config, images, labels)


def _torch_epoch(config: CNNConfig, images: np.ndarray, labels: np.ndarray) -> float:
    import torch

    model = torch_model(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learn_rate)
    steps = math.ceil(len(images) / config.batch_size) * config.epochs
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    x = torch.from_numpy(images.reshape(-1, 1, 28, 28))
    y = torch.from_numpy(labels.argmax(axis=1))
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    started = time.perf_counter()
    order = torch.randperm(len(x))
    for start in range(0, len(x), config.batch_size):
        batch = order[start : start + config.batch_size]
        optimizer.zero_grad()
        loss = loss_fn(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()
        schedule.step()
    return time.perf_counter() - started


def torch_inference(config: CNNConfig, test: np.ndarray, threads: int) -> float:
    import torch

    torch.set_num_threads(threads)
    model = torch_model(config).eval()
    x = torch.from_numpy(test.reshape(-1, 1, 28, 28))
    with torch.no_grad():
        started = time.perf_counter()
        for start in range(0, len(x), 1000):
            model(x[start : start + 1000]).argmax(dim=1)
        return time.perf_counter() - started


def speed(args) -> None:
    images, labels = reseau.get_mnist()
    images, labels = images[: args.images], labels[: args.images]
    test = reseau.get_mnist("test")[0]
    config = PRESETS["cnn"]
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = None
    kernels = ", ".join(f"{i['internal_api']} {i.get('architecture', '')}" for i in threadpool_info())
    print(f"One epoch of `cnn` ({len(images)} images, batch {config.batch_size}, Adam, cosine); BLAS: {kernels}; "
          f"PyTorch: {torch_version or f'not installed (to compare with it: {TORCH_CPU})'}")
    reseau_epoch(config, images[:640], labels[:640], 2)  # compile (or load) the kernels first
    rows = []
    for threads in (1, 2):
        ours = min(reseau_epoch(config, images, labels, threads) for _ in range(args.repeat))
        theirs = min(torch_epoch(config, images, labels, threads) for _ in range(args.repeat)) if torch_version \
            else float("nan")
        infer_ours = min(reseau_inference(config, test, threads) for _ in range(3))
        infer_theirs = min(torch_inference(config, test, threads) for _ in range(3)) if torch_version \
            else float("nan")
        rows.append((threads, ours, theirs, infer_ours, infer_theirs))
    print("\n| threads | reseau epoch (s) | PyTorch epoch (s) | PyTorch / reseau | reseau 10 000 test images (s) "
          "| PyTorch (s) | PyTorch / reseau |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for threads, ours, theirs, io, it in rows:
        cells = [f"{ours:.2f}", f"{theirs:.2f}", f"{theirs / ours:.2f}x", f"{io:.3f}", f"{it:.3f}", f"{it / io:.2f}x"]
        print(f"| {threads} | " + " | ".join(cells) + " |")
    print("\n(a ratio above 1: reseau is faster)")


def accuracy(args) -> None:
    images, labels = reseau.get_mnist()
    test = reseau.get_mnist("test")
    results = {}
    for name in args.presets:
        runs = []
        for seed in args.seeds:
            config = PRESETS[name].with_(seed=seed)
            started = time.perf_counter()
            _, history = reseau.train(images, labels, config, test=test)
            seconds = time.perf_counter() - started
            train_seconds = sum(e.seconds for e in history.epochs)
            runs.append({"seed": seed, "test": history.test_accuracy, "seconds": seconds,
                         "train_seconds": train_seconds, "per_epoch": [e.test_accuracy for e in history.epochs]})
            print(f"{name} seed {seed}: {history.test_accuracy:.2f} % in {seconds:.0f} s "
                  f"(training {train_seconds:.0f} s)", flush=True)
        tests = [r["test"] for r in runs]
        spread = statistics.stdev(tests) if len(tests) > 1 else 0.0
        print(f"{name}: {statistics.fmean(tests):.2f} ± {spread:.2f} % over seeds {args.seeds}")
        results[name] = runs
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


class OneBatchAtATime(Runner):
    """The training before the drawing augmentation ran on four batches at once."""

    augment_batches = 1


@contextlib.contextmanager
def numpy_batch_norm():
    """Batch normalisation as it trained before its compiled loops: the NumPy formulas."""
    from reseau.training import convlayers as C

    compiled = C.BatchNorm.forward, C.BatchNorm.backward

    def forward(self, x, p, training):
        if not training:
            return compiled[0](self, x, p, training)
        y, x_hat, inv_std, mean, var = C.batch_norm_numpy(x, p[f"{self.name}.gamma"], p[f"{self.name}.beta"])
        self.batch_stats, self.cache = (mean, var), (x_hat, inv_std)
        return y

    def backward(self, dy, p, g):
        g[f"{self.name}.mean"][:] = g[f"{self.name}.var"][:] = 0
        dx, g[f"{self.name}.gamma"][:], g[f"{self.name}.beta"][:] = C.batch_norm_backward_numpy(
            dy, *self.cache, p[f"{self.name}.gamma"])
        return dx

    C.BatchNorm.forward, C.BatchNorm.backward = forward, backward
    try:
        yield
    finally:
        C.BatchNorm.forward, C.BatchNorm.backward = compiled


@contextlib.contextmanager
def update_in_one_thread():
    """The gradients' sum and the optimiser's step as before: the whole vector in the training's main thread."""
    from reseau.training import cnn, optimizers

    def at_once(pool, kernel, vectors, scalars):
        return kernel(*vectors, *scalars)

    split = optimizers.in_halves
    optimizers.in_halves = cnn.in_halves = at_once
    try:
        yield
    finally:
        optimizers.in_halves = cnn.in_halves = split


def test_images_in_one_thread(net, test: np.ndarray) -> np.ndarray:
    """The 10 000 test images read as before, a part after the other on the training's one BLAS thread."""
    from reseau.convnet import PREDICT_BATCH

    return np.concatenate([net._outputs(test[i : i + PREDICT_BATCH]) for i in range(0, len(test), PREDICT_BATCH)])


def dessin_speed(args) -> None:
    images, labels = reseau.get_mnist()
    images, labels = images[: args.images], labels[: args.images]
    test = reseau.get_mnist("test")[0]
    config = PRESETS["dessin"].with_(dense=tuple(args.dense)) if args.dense else PRESETS["dessin"]

    def epoch(runner) -> float:
        return reseau_epoch(config, images, labels, 2, runner)

    def reading(one_thread: bool) -> float:
        if not one_thread:
            return reseau_inference(config, test, 2)
        from reseau.convnet import ConvNetwork

        spec = architecture(config)
        net = ConvNetwork(spec, initial_slots(build(spec), 0).values)
        with threadpool_limits(1, user_api="blas"):
            started = time.perf_counter()
            test_images_in_one_thread(net, test)
            return time.perf_counter() - started

    epoch(Runner)  # compile (or load) the kernels first
    steps = ("before", "+ compiled batch norm", "+ augmentation of 4 batches at once", "+ update in two threads")
    times: dict[str, list[float]] = {name: [] for name in steps}
    read: dict[str, list[float]] = {"one thread": [], "two threads": []}
    for _ in range(args.repeat):  # interleaved: the machine's load weighs on each alike
        with update_in_one_thread():
            with numpy_batch_norm():
                times["before"].append(epoch(OneBatchAtATime))
            times["+ compiled batch norm"].append(epoch(OneBatchAtATime))
            times["+ augmentation of 4 batches at once"].append(epoch(Runner))
        times["+ update in two threads"].append(epoch(Runner))
        read["one thread"].append(reading(True))
        read["two threads"].append(reading(False))
    print(f"One epoch of `dessin` (dense {config.dense}, {len(images)} images, drawing augmentation), "
          f"best of {args.repeat}:\n")
    print("| training | epoch (s) | speed-up |\n|---|---:|---:|")
    first = min(times["before"])
    for name, values in times.items():
        print(f"| {name} | {min(values):.2f} | {first / min(values):.2f}x |")
    print(f"| 10 000 test images, one thread | {min(read['one thread']):.2f} | 1.00x |")
    print(f"| 10 000 test images, two threads | {min(read['two threads']):.2f} | "
          f"{min(read['one thread']) / min(read['two threads']):.2f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=60000, help="training images in the timed epoch")
    parser.add_argument("--repeat", type=int, default=2, help="epochs timed per engine (the best is kept)")
    parser.add_argument("--accuracy", action="store_true", help="train each preset in full per seed")
    parser.add_argument("--presets", nargs="+", default=["cnn", "dessin"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--json", help="write the accuracy results here")
    parser.add_argument("--dessin", action="store_true", help="time what each speed-up of `dessin` brings")
    parser.add_argument("--dense", type=int, nargs="+", help="with --dessin: these dense layers instead")
    args = parser.parse_args()
    accuracy(args) if args.accuracy else dessin_speed(args) if args.dessin else speed(args)


if __name__ == "__main__":
    main()
