"""Modern training: speed against PyTorch, and each preset's accuracy over several seeds.

    python benchmarks/bench_modern.py                 # one epoch of `better` and `best`: reseau vs PyTorch
    python benchmarks/bench_modern.py --accuracy      # each preset, 3 seeds: test accuracy mean ± std, times
    python benchmarks/bench_modern.py --accuracy --presets best --seeds 0 --json out.json
    python benchmarks/bench_modern.py --ladder        # one idea at a time, seed 0 (--steps 4: the quick ones)

Speed: the same network, batch size, optimiser, schedule and data (the first
50 000 MNIST training images, shuffled each epoch) in reseau (NumPy + the
fused numba optimiser step) and in PyTorch on the CPU, in the same process,
one after the other; the best of ``--repeat`` epochs is kept for each and the
ratio printed.  PyTorch is optional: without it that column is skipped.
reseau picks its BLAS threads itself (one for small networks, all for large
ones); PyTorch is timed with its default (all cores) and with one thread, and
the ratio is taken against the faster of the two.

Note on BLAS: on some processors OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set
in the environment and make NumPy's OpenBLAS pick an older, slower kernel; the
header prints the kernel in use.  To measure without them:
``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_modern.py``.

Accuracy: each preset trained in full for each seed; the test accuracy is the
returned network's (the epoch chosen on the validation images), and the time
to reach a target is the training time (evaluation excluded) until the test
accuracy measured after an epoch first reaches it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import time

import numpy as np

from reseau import get_mnist, train
from reseau.training import PRESETS, TrainConfig
from reseau.training.config import LADDER
from reseau.training.schedules import learn_rate_at

# PyTorch's CPU build: PyPI's torch on Linux also pulls 19 CUDA wheels (several GB) that this never uses
TORCH_CPU = "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"

TARGETS = {"better": 97.5, "best": 98.5, "best-augment": 99.0}  # the goals of issue 6


# ---------------------------------------------------------------------------
# Speed: one epoch, reseau vs PyTorch
# ---------------------------------------------------------------------------

def reseau_epoch(images, labels, config: TrainConfig) -> float:
    """Seconds of one training epoch of ``config`` in reseau (as ``History`` measures it)."""
    _, history = train(images, labels, config.with_(epochs=1, val_size=0))
    return history.epochs[0].seconds


def torch_epoch(images, labels, config: TrainConfig, torch, threads: int | None = None) -> float:
    """Seconds of one epoch of the same network and settings in PyTorch (CPU), on ``threads`` threads."""
    default = torch.get_num_threads()
    torch.set_num_threads(threads or default)
    try:
        return _torch_epoch(images, labels, config, torch)
    finally:
        torch.set_num_threads(default)


def _torch_epoch(images, labels, config: TrainConfig, torch) -> float:
    torch.manual_seed(config.seed)
    x = torch.from_numpy(np.ascontiguousarray(images))
    y = torch.from_numpy(labels.argmax(axis=1))
    model = torch_model(config, torch)
    params = list(model.parameters())
    if config.optimizer == "adam":
        opt = torch.optim.Adam(params, lr=config.learn_rate, weight_decay=0)
    else:
        opt = torch.optim.SGD(params, lr=config.learn_rate,
                              momentum=0.9 if config.optimizer == "momentum" else 0)
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=config.label_smoothing)
    n, size = len(x), config.batch_size
    total = -(-n // size)
    model.train()
    start = time.perf_counter()
    order = torch.randperm(n)
    for t, first in enumerate(range(0, n, size)):
        batch = order[first:first + size]
        for group in opt.param_groups:
            group["lr"] = learn_rate_at(config.schedule, config.learn_rate, t, total)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[batch]), y[batch])
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def torch_model(config: TrainConfig, torch):
    nn = torch.nn
    act = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[config.activation]
    modules = [nn.Dropout(config.input_dropout)] if config.input_dropout else []
    sizes = config.sizes
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layer = nn.Linear(n_in, n_out)
        if config.init == "he":
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
        modules.append(layer)
        if k < len(sizes) - 2:
            modules.append(act())
            if config.dropout:
                modules.append(nn.Dropout(config.dropout))
    return nn.Sequential(*modules)


def speed(images, labels, names: list[str], repeat: int) -> None:
    try:
        import torch
    except ImportError:
        torch = None
    images, labels = images[:50000], labels[:50000]
    print(header(torch))
    print("| preset | network, batch, optimiser | reseau s/epoch | PyTorch s/epoch (all threads) "
          "| PyTorch s/epoch (1 thread) | PyTorch / reseau (best of the two) |")
    print("|---|---|---:|---:|---:|---:|")
    for name in names:
        config = PRESETS[name].with_(augment=False)
        reseau_epoch(images[:2000], labels[:2000], config)  # compile numba kernels first
        ours = min(reseau_epoch(images, labels, config) for _ in range(repeat))
        what = f"{'-'.join(map(str, config.sizes))}, {config.batch_size}, {config.optimizer}"
        if torch is None:
            print(f"| {name} | {what} | {ours:.3f} | (no torch) | (no torch) | |")
            continue
        theirs = min(torch_epoch(images, labels, config, torch) for _ in range(repeat))
        single = min(torch_epoch(images, labels, config, torch, threads=1) for _ in range(repeat))
        print(f"| {name} | {what} | {ours:.3f} | {theirs:.3f} | {single:.3f} | "
              f"{min(theirs, single) / ours:.2f}x |", flush=True)


def header(torch) -> str:
    try:
        from threadpoolctl import threadpool_info

        blas = ", ".join(sorted({f"{i['internal_api']} {i.get('architecture', '?')} x{i['num_threads']}"
                                 for i in threadpool_info() if i["user_api"] == "blas"}))
    except ImportError:
        blas = "? (pip install threadpoolctl to show it)"
    coretype = os.environ.get("OPENBLAS_CORETYPE", "unset")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    torch_text = (f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads)" if torch
                  else f"no PyTorch (to compare with it: {TORCH_CPU})")
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load {load:.1f}; "
            f"NumPy {np.__version__} BLAS: {blas}; OPENBLAS_CORETYPE={coretype}; {torch_text}")


# ---------------------------------------------------------------------------
# Accuracy: each preset over several seeds
# ---------------------------------------------------------------------------

def accuracy(images, labels, test, names: list[str], seeds: list[int], json_path: str | None) -> None:
    results = []
    for name in names:
        for seed in seeds:
            results.append(one_run(images, labels, test, name, seed))
            r = results[-1]
            print(f"{name} seed {seed}: test {r['test_accuracy']:.2f} % (epoch {r['best_epoch']}), "
                  f"training {r['train_seconds']:.0f} s, wall {r['wall_seconds']:.0f} s, "
                  f"{TARGETS.get(name, '-')} % reached after "
                  f"{'never' if r['reach_seconds'] is None else format(r['reach_seconds'], '.0f') + ' s'}"
                  f", load {r['load']:.1f}", flush=True)
            if json_path:
                with open(json_path, "w") as f:
                    json.dump(results, f, indent=1)
    print(f"\n{header(None)}\n")
    print("| preset | test accuracy (mean ± std) | seeds | training time | reaches the goal after |")
    print("|---|---:|---:|---:|---:|")
    for name in names:
        rows = [r for r in results if r["preset"] == name]
        accs = [r["test_accuracy"] for r in rows]
        std = statistics.stdev(accs) if len(accs) > 1 else 0.0
        reach = [r["reach_seconds"] for r in rows]
        reach_text = "never" if None in reach else f"{statistics.mean(reach):.0f} s ({TARGETS[name]} %)"
        print(f"| {name} | {statistics.mean(accs):.2f} ± {std:.2f} % | {len(rows)} | "
              f"{statistics.mean(r['train_seconds'] for r in rows):.0f} s | {reach_text} |")


def one_run(images, labels, test, name: str, seed: int) -> dict:
    config = PRESETS[name].with_(seed=seed)
    start = time.perf_counter()
    _, history = train(images, labels, config, test=test)
    wall = time.perf_counter() - start
    elapsed, reach = 0.0, None
    for e in history.epochs:
        elapsed += e.seconds
        if reach is None and e.test_accuracy >= TARGETS.get(name, math.inf):
            reach = elapsed
    return {"preset": name, "seed": seed, "test_accuracy": history.test_accuracy,
            "best_epoch": history.best_epoch, "train_seconds": elapsed, "wall_seconds": wall,
            "reach_seconds": reach, "load": os.getloadavg()[0], "history": history.to_dict()}


def ladder(images, labels, test, steps: int) -> None:
    """Each step of LADDER once (seed 0): what each idea adds."""
    print(header(None))
    print("| step | network | test accuracy | gain | training time |")
    print("|---|---|---:|---:|---:|")
    previous = None
    for label, config in LADDER[:steps]:
        _, history = train(images, labels, config, test=test)
        seconds = sum(e.seconds for e in history.epochs)
        gain = "" if previous is None else f"{history.test_accuracy - previous:+.2f}"
        previous = history.test_accuracy
        print(f"| {label} | {'-'.join(map(str, config.sizes))} | {history.test_accuracy:.2f} % | {gain} | "
              f"{seconds:.0f} s |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accuracy", action="store_true", help="train each preset in full over seeds")
    parser.add_argument("--ladder", action="store_true", help="add one idea at a time (seed 0)")
    parser.add_argument("--steps", type=int, default=len(LADDER), help="ladder steps to run")
    parser.add_argument("--presets", nargs="+", default=None, help="presets to measure")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="epochs timed per engine (best kept)")
    parser.add_argument("--json", default=None, help="also write the accuracy results to this file")
    parser.add_argument("--data-dir", default=os.environ.get("RESEAU_DATA"))
    args = parser.parse_args()
    images, labels = get_mnist("train", data_dir=args.data_dir)
    if args.ladder:
        ladder(images, labels, get_mnist("test", data_dir=args.data_dir), args.steps)
    elif args.accuracy:
        test = get_mnist("test", data_dir=args.data_dir)
        accuracy(images, labels, test, args.presets or list(PRESETS), args.seeds, args.json)
    else:
        speed(images, labels, args.presets or ["better", "best"], args.repeat)


if __name__ == "__main__":
    main()
