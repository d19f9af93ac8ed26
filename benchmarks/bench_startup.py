"""Speed a user feels: whole processes, timed side by side in one run.

    python benchmarks/bench_startup.py [--repeat 3] [--baseline SRC] [--skip-document] [--data-dir DIR]

(a) ``reseau train`` (the document's 3 epochs, the test, the save) against the
    document's own program, ``NN.py`` with its ``data.py`` (reading
    ``data/mnist.npz``, as in the course), written into a temporary folder: it
    trains 3 epochs, then is given one image index on stdin (``MPLBACKEND=Agg``,
    so its ``plt.show()`` returns at once) and ends at the next ``input()``;
(b) ``reseau --help``, ``reseau train --help``, ``reseau web --help``;
(c) where ``reseau train``'s time goes, step by step, in one process;
(d) predicting the 10 000 test images with the document's network: the float64
    forward pass against :meth:`Network.predict` (float32, checked), same answers.

Every process is timed from start to exit, the median of ``--repeat`` runs,
the commands taking turns so that a busy machine slows them alike.  With
``--baseline`` pointing at the ``src`` folder of another checkout (say, the
code before a change: ``git worktree add /tmp/before HEAD~1``), the reseau
commands of (a) and (b) run from there too: before and after in one table.

Python's bytecode cache is on for every process (``PYTHONDONTWRITEBYTECODE`` is
removed), as on a user's machine, and each command runs once before timing
(bytecode, numba's compiled kernels and reseau's array cache are written then).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# The document's program, character for character (its line numbers and margin marks left out).
DOCUMENT_NN = """\
from data import get_mnist
import numpy as np
import matplotlib.pyplot as plt

images, labels = get_mnist()
w_i_h = np.random.uniform(-0.5, 0.5, (20, 784))
w_h_o = np.random.uniform(-0.5, 0.5, (10, 20))
b_i_h = np.zeros((20, 1))
b_h_o = np.zeros((10, 1))

learn_rate = 0.01
nr_correct = 0
epochs = 3
for epoch in range(epochs):
    for img, l in zip(images, labels):
        img.shape += (1,)
        l.shape += (1,)
        # Forward propagation input -> hidden
        h_pre = b_i_h + w_i_h @ img
        h = 1 / (1 + np.exp(-h_pre))
        # Forward propagation hidden -> output
        o_pre = b_h_o + w_h_o @ h
        o = 1 / (1 + np.exp(-o_pre))
        # Cost / Error calculation
        e = 1 / len(o) * np.sum((o - l) ** 2, axis=0)
        nr_correct += int(np.argmax(o) == np.argmax(l))
        # Backpropagation output -> hidden (cost function derivative)
        delta_o = o - l
        w_h_o += -learn_rate * delta_o @ np.transpose(h)
        b_h_o += -learn_rate * delta_o
        # Backpropagation hidden -> input (activation function derivative)
        delta_h = np.transpose(w_h_o) @ delta_o * (h * (1 - h))
        w_i_h += -learn_rate * delta_h @ np.transpose(img)
        b_i_h += -learn_rate * delta_h
    # Show accuracy for this epoch
    print(f"Epoch : {epoch}, Précision : {round((nr_correct / images.shape[0]) * 100, 2)}%")
    nr_correct = 0

# Show results
while True:
    index = int(input("Entrer un nombre entre 0 et 59999 : "))
    img = images[index]
    plt.imshow(img.reshape(28, 28), cmap="Greys")

    img.shape += (1,)
    # Forward propagation input -> hidden
    h_pre = b_i_h + w_i_h @ img.reshape(784, 1)
    h = 1 / (1 + np.exp(-h_pre))
    # Forward propagation hidden -> output
    o_pre = b_h_o + w_h_o @ h
    o = 1 / (1 + np.exp(-o_pre))

    plt.title(f"le réseau de neurones a reconnu le chiffre {o.argmax()} ")
    plt.show()
"""

# The course's data.py (Bot Academy's), which NN.py imports.
DOCUMENT_DATA = """\
import numpy as np
import pathlib


def get_mnist():
    with np.load(f"{pathlib.Path(__file__).parent.absolute()}/data/mnist.npz") as f:
        images, labels = f["x_train"], f["y_train"]
    images = images.astype("float32") / 255
    images = np.reshape(images, (images.shape[0], images.shape[1] * images.shape[2]))
    labels = np.eye(10)[labels]
    return images, labels
"""

# Step by step inside one `reseau train` (c): each line's time is printed as it ends.
BREAKDOWN = """\
import sys, time
start = time.perf_counter()
def step(name):
    global start
    now = time.perf_counter()
    print(f"{name}\\t{now - start:.4f}", flush=True)
    start = now
import numpy as np; step("import numpy")
import typer, reseau.cli; reseau.cli.build_app(); step("import Typer and build the command line")
import typer._adapters; step("import pydantic (Typer checks option values with it)")
from reseau import data, faithful, trainers
config, _ = trainers.configure(None, None, {}); step("import the engines, choose the configuration")
images, labels = data.get_mnist("train", data_dir=sys.argv[1]); test = data.get_mnist("test", data_dir=sys.argv[1])
step("load MNIST (reseau's array cache)")
indptr, indices, values = faithful.sparse_rows(images); step("the non-zero pixels (cached beside the images)")
w_i_h, w_h_o, b_i_h, b_h_o = faithful.initial_weights(20, 0)
digits = labels.argmax(axis=1).astype(np.int64)
kernel = faithful.fast_kernel()
kernel(indptr, indices, values, digits, np.ascontiguousarray(w_i_h.T), w_h_o, b_i_h.reshape(-1).copy(),
       b_h_o.reshape(-1).copy(), 0.01, 0, 1)
how = "ahead of time, numba not imported" if "numba" not in sys.modules else "numba, just in time, from its cache"
step(f"load the compiled epoch kernel ({how})")
network, history = trainers.train(images, labels, config); step("3 epochs")
for _ in range(3):
    network.accuracy(*test)
step("3 x test accuracy (10 000 images)")
from reseau import modelfile
modelfile.save(modelfile.SavedModel(network, modelfile.ModelInfo.build(config, history)), sys.argv[2])
step("save the model")
import gc; gc.freeze()  # as reseau.cli.main does before the process ends
"""


def child_env(src: str | None) -> dict[str, str]:
    env = dict(os.environ, MPLBACKEND="Agg", RESEAU_LANG="fr")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps its bytecode cache
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(cmd: list[str], env: dict[str, str], cwd: str | None = None, stdin: str = "") -> tuple[float, str]:
    """Wall time of one whole process, and its output."""
    start = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, cwd=cwd)
    seconds = time.perf_counter() - start
    return seconds, done.stdout + done.stderr


def prepare_document(folder: Path, data_dir: str | None) -> None:
    """NN.py, data.py and data/mnist.npz (compressed, as Keras's) in ``folder``."""
    from reseau.data import load_raw

    (folder / "NN.py").write_text(DOCUMENT_NN, encoding="utf-8")
    (folder / "data.py").write_text(DOCUMENT_DATA, encoding="utf-8")
    (folder / "data").mkdir()
    (x_train, y_train), (x_test, y_test) = (load_raw(s, data_dir=data_dir) for s in ("train", "test"))
    np.savez_compressed(folder / "data" / "mnist.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def median_times(commands: dict[str, tuple], repeat: int) -> dict[str, float]:
    """Each command once to warm up, then ``repeat`` rounds, taking turns; the median of each."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(repeat + 1):
        for name, (cmd, env, cwd, stdin, check) in commands.items():
            seconds, output = run(cmd, env, cwd, stdin)
            if check not in output:
                raise SystemExit(f"{name}: expected {check!r} in its output, got:\n{output[-2000:]}")
            if round_:
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def whole_processes(args, folder: Path) -> None:
    """(a) and (b): one table, before/after when there is a baseline."""
    sources = {"": None} | ({" (before)": args.baseline} if args.baseline else {})
    model = str(folder / "model.safetensors")
    commands: dict[str, tuple] = {}
    if not args.skip_document:
        prepare_document(folder, args.data_dir)
        nn_py = [sys.executable, "NN.py"]
        commands["document: python NN.py"] = (nn_py, child_env(None), str(folder), "0\n", "Epoch : 2")
    for suffix, src in sources.items():
        env = child_env(src)
        reseau = [sys.executable, "-m", "reseau"]
        data = ["--data-dir", args.data_dir] if args.data_dir else []
        commands["reseau train" + suffix] = ([*reseau, "train", "-o", model, *data], env, None, "", "Epoch : 2")
        for command in (["--help"], ["train", "--help"], ["web", "--help"]):
            commands[" ".join(["reseau", *command]) + suffix] = ([*reseau, *command], env, None, "", "Usage")
    times = median_times(commands, args.repeat)
    document = times.get("document: python NN.py")
    print(f"\n(a, b) whole processes, median of {args.repeat} (seconds)\n")
    print("| process | seconds | vs the document's program | vs before |")
    print("|---|---:|---:|---:|")
    for name, seconds in times.items():
        trains = name.startswith("reseau train") and "--help" not in name
        faster = f"{document / seconds:.1f}x faster" if document and trains else ""
        before = times.get(name + " (before)")
        change = f"{before / seconds:.1f}x faster" if before else ""
        print(f"| `{name}` | {seconds:.2f} | {faster} | {change} |")


def breakdown(args) -> None:
    """(c): where `reseau train`'s time goes, in one process (the second of two: caches warm)."""
    with tempfile.TemporaryDirectory(prefix="reseau-bench-") as folder:
        cmd = [sys.executable, "-c", BREAKDOWN, args.data_dir or "", str(Path(folder) / "model.safetensors")]
        for _ in range(2):
            whole, output = run(cmd, child_env(None))
    print("\n(c) inside one `reseau train`, step by step (seconds)\n")
    print("| step | seconds |")
    print("|---|---:|")
    total = 0.0
    for line in output.splitlines():
        name, _, seconds = line.partition("\t")
        if seconds:
            total += float(seconds)
            print(f"| {name} | {float(seconds):.3f} |")
        else:
            print(line)
    print(f"| Python's start and end, the rest | {whole - total:.3f} |")
    print(f"| the whole process | {whole:.3f} |")


def inference(args) -> None:
    """(d): the 10 000 test images, float64 forward vs predict, best of 20 each, taking turns; then predict alone."""
    from reseau import FaithfulConfig, get_mnist, train

    images, labels = get_mnist(data_dir=args.data_dir)
    test = get_mnist("test", data_dir=args.data_dir)[0]
    network = train(images, labels, FaithfulConfig())[0]
    ways = {
        "float64 forward, argmax (before)": lambda: network.forward(test).argmax(axis=1),
        "Network.predict (float32, checked)": lambda: network.predict(test),
    }
    answers = {name: way() for name, way in ways.items()}
    same = all(np.array_equal(a, b) for a, b in zip(answers.values(), list(answers.values())[1:]))
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(20):
        for name, way in ways.items():
            start = time.perf_counter()
            way()
            times[name].append(time.perf_counter() - start)
    print("\n(d) predicting the 10 000 test images, the document's network (ms, best and median of 20)\n")
    print("| way | best | median | speed-up (best) |")
    print("|---|---:|---:|---:|")
    base = min(next(iter(times.values())))
    for name, values in times.items():
        best = min(values)
        print(f"| {name} | {best * 1000:.1f} | {statistics.median(values) * 1000:.1f} | {base / best:.1f}x |")
    alone = []
    for _ in range(20):  # the images stay in the processor's cache: a page or a study predicting again
        start = time.perf_counter()
        network.predict(test)
        alone.append(time.perf_counter() - start)
    best = min(alone)
    print(f"| Network.predict alone, repeated | {best * 1000:.1f} | {statistics.median(alone) * 1000:.1f} "
          f"| {base / best:.1f}x |")
    print(f"\nsame answers on all {len(test)} images: {'yes' if same else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each process (median kept)")
    parser.add_argument("--baseline", help="the src folder of another checkout, timed beside this one")
    parser.add_argument("--skip-document", action="store_true", help="leave out the document's program (18 s a run)")
    parser.add_argument("--data-dir", default=os.environ.get("RESEAU_DATA"))
    args = parser.parse_args()
    if args.baseline and not (Path(args.baseline) / "reseau" / "__init__.py").is_file():
        parser.error(f"--baseline: no reseau package in {args.baseline}")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"NumPy {np.__version__}; load average before: {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="reseau-bench-") as folder:
        whole_processes(args, Path(folder))
    breakdown(args)
    inference(args)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
