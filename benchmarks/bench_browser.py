"""The document's training in a browser, next to reseau's compiled kernel and the document's loop.

    python benchmarks/bench_browser.py [--repeat 3] [--literal-images 60000] [--no-node] [--static DIR]
                                       [--data-dir DIR]

One epoch of the document's training (784-20-10, learn_rate 0.01, seed 0) on the 60 000 MNIST images,
timed four ways in one run, taking turns (each round runs every way once, so a busy machine slows them
alike), the median of ``--repeat`` rounds kept:

(a) headless Chromium (Debian's, through Playwright): a tiny page served from a temporary folder by a
    local HTTP server on 127.0.0.1 imports the page's own ``engine/faithful.js``, fetches the MNIST bytes
    and digits as binary files, turns them into the document's images (``documentImages``, not timed),
    then runs ``initialWeights(20, 0)`` and two ``epoch`` calls, each timed inside the page with
    ``performance.now()``. Each round opens a new browser context (a fresh page, as a student's first
    training): epoch 0 pays the JavaScript compiler's warm-up, epoch 1 does not;
(b) Node, running the same module on the same files, a new process each round (same two epochs);
(c) reseau's compiled kernel (``reseau.faithful``, engine "fast"), compiled before timing: its epochs'
    own times, without the one-time preparation a training pays once (as bench_faithful.py);
(d) the document's literal loop (``reseau.document.literal_training``), on the first
    ``--literal-images`` images, its time scaled to 60 000 when that is fewer (said in the table).

Every way must print the document's "Précision" (86.18 for epoch 0, 92.38 for epoch 1): the script checks
it, so the times are of the right computation. Only the epoch is timed; the page's start, the download
and the conversion of the images are not. Tests never time anything: this script is not in the suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

from reseau import FaithfulConfig, get_mnist
from reseau import train as train_faithful  # with a FaithfulConfig it runs reseau.faithful
from reseau.data import load_raw
from reseau.document import literal_training

STATIC = Path(__file__).resolve().parents[1] / "src" / "reseau" / "web" / "static"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
EXPECTED = (86.18, 92.38)  # the document's printed Précision after epochs 0 and 1, seed 0
N_IMAGES = 60_000

# The measurement, written once and run by both the page and Node: `load(name)` gives a file's bytes.
MEASURE_JS = """\
import { documentImages, documentPrecision, epoch, initialWeights } from "./static/engine/faithful.js";

/** Two epochs of the document's training from seed 0; each epoch timed alone with performance.now(). */
export async function measure(load) {
  const images = documentImages(await load("train-images.u8"));  // the document's float32 images
  const digits = await load("train-digits.u8");
  const net = initialWeights(20, 0);
  const epochs = [];
  for (let e = 0; e < 2; e++) {
    const start = performance.now();
    const nrCorrect = epoch(images, digits, net);
    const seconds = (performance.now() - start) / 1000;
    epochs.push({ seconds, precision: documentPrecision(nrCorrect, digits.length) });
  }
  return { epochs, agent: globalThis.navigator ? navigator.userAgent : `Node ${process.version}` };
}
"""

PAGE_HTML = """\
<!doctype html>
<meta charset="utf-8">
<title>bench_browser</title>
<script type="module">
  import { measure } from "./measure.js";
  const load = async (name) => new Uint8Array(await (await fetch(name)).arrayBuffer());
  window.runMeasure = () => measure(load);
  window.benchReady = true;
</script>
"""

NODE_MJS = """\
import { readFileSync } from "node:fs";
import { measure } from "./measure.js";
const load = async (name) => new Uint8Array(readFileSync(new URL(name, import.meta.url)));
console.log(JSON.stringify(await measure(load)));
"""


def write_folder(folder: Path, static: Path, raw_images: np.ndarray, raw_digits: np.ndarray) -> None:
    """The page's folder: the page's static files (engine included), the measurement, and MNIST as raw bytes."""
    shutil.copytree(static, folder / "static")
    (folder / "measure.js").write_text(MEASURE_JS, encoding="utf-8")
    (folder / "index.html").write_text(PAGE_HTML, encoding="utf-8")
    (folder / "node_epoch.mjs").write_text(NODE_MJS, encoding="utf-8")
    (folder / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")  # Node: .js files are ES modules
    np.ascontiguousarray(raw_images, dtype=np.uint8).tofile(folder / "train-images.u8")  # 60 000 x 784 bytes
    np.ascontiguousarray(raw_digits, dtype=np.uint8).tofile(folder / "train-digits.u8")


class QuietHandler(SimpleHTTPRequestHandler):
    """Python's static file server, without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """A local HTTP server for ``folder`` on 127.0.0.1 (a free port), in a thread; returns it and its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/index.html"


def browser_round(browser, address: str) -> list[dict]:
    """One round in Chromium: a new context and page, the measurement run inside it; its two epochs."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(address)
        page.wait_for_function("window.benchReady === true")
        result = page.evaluate("window.runMeasure()")
    finally:
        context.close()
    return result["epochs"]


def node_round(folder: Path) -> list[dict]:
    """One round in Node: a new process runs the same measurement on the same files; its two epochs."""
    done = subprocess.run(["node", str(folder / "node_epoch.mjs")], capture_output=True, text=True, check=True,
                          timeout=300)
    return json.loads(done.stdout)["epochs"]


def compiled_round(images: np.ndarray, labels: np.ndarray) -> list[dict]:
    """One round of reseau's compiled kernel: two epochs, each one's own time (no one-time preparation)."""
    history = train_faithful(images, labels, FaithfulConfig(epochs=2))[1]
    return [{"seconds": e.seconds, "precision": e.precision} for e in history.epochs]


def literal_round(images: np.ndarray, labels: np.ndarray) -> list[dict]:
    """One round of the document's loop: epoch 0 on ``images``, its time scaled to 60 000 images."""
    start = time.perf_counter()
    line = literal_training(images, labels, epochs=1, echo=False)[0][0]
    seconds = (time.perf_counter() - start) * N_IMAGES / len(images)
    return [{"seconds": seconds, "precision": float(line.split(": ")[-1].rstrip("%"))}]


def machine() -> str:
    """The machine, in words: its CPU model (from /proc/cpuinfo when there is one) and its count of CPUs."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs"


def check(name: str, rounds: list[list[dict]], literal_images: int) -> None:
    """Every round's Précision must be the document's (epoch 1 only where it was run), else stop."""
    for epochs in rounds:
        for index, epoch in enumerate(epochs):
            if name.startswith("(d)") and literal_images != N_IMAGES:
                continue  # a slice prints the slice's own Précision
            if epoch["precision"] != EXPECTED[index]:
                raise SystemExit(f"{name}: epoch {index} printed {epoch['precision']}, not {EXPECTED[index]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds, taking turns (median kept)")
    parser.add_argument("--literal-images", type=int, default=N_IMAGES,
                        help="images of the document's loop (fewer: its time is scaled to 60 000)")
    parser.add_argument("--no-node", action="store_true", help="leave Node out")
    parser.add_argument("--static", default=str(STATIC),
                        help="the page's static folder to measure (another checkout's, to compare a change)")
    parser.add_argument("--data-dir", default=os.environ.get("RESEAU_DATA"))
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    images, labels = get_mnist(data_dir=args.data_dir)
    raw_images, raw_digits = load_raw("train", data_dir=args.data_dir)
    literal_slice = (images[: args.literal_images], labels[: args.literal_images])
    train_faithful(images[:100], labels[:100], FaithfulConfig(epochs=1))  # compile (or load) the kernel first
    use_node = not args.no_node and shutil.which("node") is not None

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp, sync_playwright() as p:
        folder = Path(tmp)
        write_folder(folder, Path(args.static), raw_images, raw_digits)
        server, address = serve(folder)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ways: dict[str, Callable[[], list[dict]]] = {"(a) headless Chromium": partial(browser_round, browser, address)}
        if use_node:
            ways["(b) Node " + subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()] = (
                partial(node_round, folder))
        ways["(c) compiled kernel (reseau, fast)"] = partial(compiled_round, images, labels)
        ways["(d) document's literal loop"] = partial(literal_round, *literal_slice)
        rounds: dict[str, list[list[dict]]] = {name: [] for name in ways}
        try:
            for r in range(args.repeat):
                for name, way in ways.items():
                    rounds[name].append(way())
                print(f"round {r + 1}/{args.repeat} done", flush=True)
            version = browser.version
        finally:
            browser.close()
            server.shutdown()
    for name, measured in rounds.items():
        check(name, measured, args.literal_images)
    report(rounds, args, version)


def report(rounds: dict[str, list[list[dict]]], args, chromium_version: str) -> None:
    """The table: each way's median seconds per epoch (epochs 0 and 1), and the ratios the issue asks for."""
    def median(name: str, index: int) -> float | None:
        times = [epochs[index]["seconds"] for epochs in rounds[name] if len(epochs) > index]
        return statistics.median(times) if times else None

    names = list(rounds)
    browser, compiled, literal = names[0], names[-2], names[-1]
    print(f"\nOne epoch of the document's training, 60 000 images, 784-20-10, seed 0 — {machine()}, "
          f"Chromium {chromium_version}, NumPy {np.__version__}, {time.strftime('%Y-%m-%d')}; "
          f"median of {args.repeat} rounds, taking turns")
    print(f"| {'way':<46} | {'epoch 0 (s)':>11} | {'epoch 1 (s)':>11} | {'vs compiled':>11} | {'Précision':>13} |")
    print(f"|{'-' * 48}|{'-' * 12}:|{'-' * 12}:|{'-' * 12}:|{'-' * 14}:|")
    base = median(compiled, 0)
    for name in names:
        first, second = median(name, 0), median(name, 1)
        label = name
        if name == literal and args.literal_images != N_IMAGES:
            label += f" ({args.literal_images} images x{N_IMAGES / args.literal_images:g})"
        later = "" if second is None else f"{second:.3f}"
        shown = " / ".join(f"{e['precision']:.2f}" for e in rounds[name][0])
        print(f"| {label:<46} | {first:>11.3f} | {later:>11} | {first / base:>10.1f}x | {shown:>13} |")
    for index in (0, 1):
        ratio = median(browser, index) / median(compiled, index)
        verdict = "met" if ratio <= 3 else "NOT met"
        print(f"browser / compiled, epoch {index}: {ratio:.2f}x  (goal: within 3x: {verdict})")
    print(f"literal / browser, epoch 0: {median(literal, 0) / median(browser, 0):.1f}x")


if __name__ == "__main__":
    main()
