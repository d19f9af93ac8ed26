"""How fast the web page's server answers a drawing, for the document's default network.

    python benchmarks/bench_web.py [--requests 300] [--clients 20] [--per-client 50] [--model PATH]

A real uvicorn server on 127.0.0.1 answers ``POST /api/predict`` with the
drawings the page sends: 112 x 112 grey levels (MNIST test digits blown up
4x).  Three measurements, side by side:

(a) one request at a time: the server's own time per request (its
    ``Server-Timing`` header: from the request's arrival to the answer's
    headers, JSON parsing, validation, MNIST preprocessing and the forward pass
    included) and the round trip seen by the client;
(b) the same work in-process, step by step (no HTTP), to show where the time goes;
(c) a bounded load: ``--clients`` clients x ``--per-client`` predictions at once.

The target is under 20 ms at the server for one prediction.  Without
``--model`` the default network is trained first (about a second).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

from reseau import modelfile, trainers
from reseau.data import get_mnist
from reseau.drawing import to_mnist
from reseau.web import create_app, schemas
from reseau.web.server import BackgroundServer

TARGET_MS = 20.0
JSON = {"content-type": "application/json"}


def drawings(images: np.ndarray) -> list[bytes]:
    """The page's request bodies for these MNIST images (112 x 112, 3 decimals, as app.js sends)."""
    bodies = []
    for image in images:
        grey = np.kron(image.reshape(28, 28), np.ones((4, 4)))  # (112, 112)
        bodies.append(json.dumps({"width": 112, "height": 112, "pixels": np.round(grey, 3).ravel().tolist()}).encode())
    return bodies


def sequential(url: str, bodies: list[bytes], n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` predictions one after the other: (server ms, round-trip ms)."""
    server, trip = [], []
    with httpx.Client(base_url=url, timeout=60) as client:
        for k in range(n + 20):
            began = time.perf_counter()
            r = client.post("/api/predict", content=bodies[k % len(bodies)], headers=JSON)
            elapsed = (time.perf_counter() - began) * 1000
            r.raise_for_status()
            if k >= 20:  # the first ones warm up connections and caches
                server.append(float(r.headers["server-timing"].split("=")[1]))
                trip.append(elapsed)
    return np.array(server), np.array(trip)


def in_process(model: modelfile.SavedModel, bodies: list[bytes], n: int) -> dict[str, float]:
    """Median ms of each step of a prediction, without HTTP."""
    steps = {"parse + validate JSON (pydantic)": [], "MNIST preprocessing (NumPy)": [],
             "forward pass 784-20-10": [], "answer to JSON": []}
    for k in range(n):
        t0 = time.perf_counter()
        req = schemas.PredictRequest.model_validate_json(bodies[k % len(bodies)])
        t1 = time.perf_counter()
        x = to_mnist(np.asarray(req.pixels).reshape(req.height, req.width))
        t2 = time.perf_counter()
        layers = model.network.layer_outputs(x.reshape(1, -1))
        t3 = time.perf_counter()
        answer = schemas.PredictResponse(digit=int(layers[-1][0].argmax()), name="0", outputs=layers[-1][0].tolist(),
                                         hidden=layers[0][0].tolist(), input=x.ravel().round(4).tolist(), empty=False)
        answer.model_dump_json()
        t4 = time.perf_counter()
        for name, (a, b) in zip(steps, ((t0, t1), (t1, t2), (t2, t3), (t3, t4))):
            steps[name].append((b - a) * 1000)
    return {name: float(np.median(v)) for name, v in steps.items()}


def load(url: str, bodies: list[bytes], clients: int, per_client: int) -> tuple[np.ndarray, int, float]:
    barrier = threading.Barrier(clients)

    def one(k):
        times, failed = [], 0
        with httpx.Client(base_url=url, timeout=120) as client:
            barrier.wait()
            for j in range(per_client):
                began = time.perf_counter()
                r = client.post("/api/predict", content=bodies[(k + j) % len(bodies)], headers=JSON)
                times.append((time.perf_counter() - began) * 1000)
                failed += r.status_code != 200
        return times, failed

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, range(clients)))
    elapsed = time.perf_counter() - began
    return np.array([t for ts, _ in results for t in ts]), sum(f for _, f in results), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="sequential predictions measured")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=50)
    parser.add_argument("--model", type=Path, default=None, help="a model file (default: train the document's)")
    parser.add_argument("--data-dir", default=os.environ.get("RESEAU_DATA"))
    args = parser.parse_args()

    test_images = get_mnist("test", data_dir=args.data_dir)[0][:100]
    bodies = drawings(test_images)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.safetensors"
        if args.model:
            model = modelfile.load(args.model)
        else:
            config = trainers.preset("document")
            network, history = trainers.train(*get_mnist("train", data_dir=args.data_dir), config)
            model = modelfile.SavedModel(network, modelfile.ModelInfo.build(config, history, preset="document",
                                                                            source="benchmark"))
        modelfile.save(model, path)
        app = create_app(path, data_dir=args.data_dir, experiments_dir=folder)
        with BackgroundServer(app) as server:
            server_ms, trip_ms = sequential(server.url, bodies, args.requests)
            load_ms, failed, elapsed = load(server.url, bodies, args.clients, args.per_client)
    steps = in_process(model, bodies, args.requests)

    size = np.mean([len(b) for b in bodies]) / 1024
    print(f"POST /api/predict, 112x112 drawing ({size:.0f} KiB of JSON), network {model.network.sizes} — "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, NumPy {np.__version__}")
    print()
    print(f"(a) one request at a time, {args.requests} requests")
    print(f"| {'measure':<38} | {'p50 ms':>7} | {'p99 ms':>7} | {'p50 vs 20 ms target':>19} |")
    print(f"|{'-' * 40}|{'-' * 8}:|{'-' * 8}:|{'-' * 20}:|")
    for name, values in (("server time (Server-Timing header)", server_ms), ("round trip seen by the client", trip_ms)):
        p50, p99 = np.percentile(values, [50, 99])
        print(f"| {name:<38} | {p50:>7.2f} | {p99:>7.2f} | {p50 / TARGET_MS:>18.2f}x |")
    print()
    print("(b) the same prediction in-process, step by step (median ms)")
    total = sum(steps.values())
    for name, ms in steps.items():
        print(f"| {name:<38} | {ms:>7.3f} | {ms / total:>6.0%} |")
    print(f"| {'total':<38} | {total:>7.3f} |        |")
    print()
    p50, p99 = np.percentile(load_ms, [50, 99])
    print(f"(c) load: {args.clients} clients x {args.per_client} predictions = {len(load_ms)} requests in "
          f"{elapsed:.1f} s ({len(load_ms) / elapsed:.0f} requests/s), {failed} failed; "
          f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {load_ms.max():.1f} ms")
    verdict = "yes" if np.percentile(server_ms, 50) < TARGET_MS else "NO"
    print(f"under the 20 ms target at the server (p50): {verdict}")


if __name__ == "__main__":
    main()
