"""A class at once: N simulated students join, draw and train, on loopback; how the server holds up.

Each student (a thread with its own HTTP client and cookie) joins the lesson,
draws a digit (``POST /api/predict``), asks for a training of the document's
network, and keeps drawing every ``PAUSE`` seconds until their training has
finished.  Measured: every request's status (none may fail), the drawing
answers' latency while trainings run (p50, p99), each run's wait in the
queue (the longest, and whether anyone trained twice while another waited:
the queue serves runs in the order they were asked for), and that every
training finished.

``--browser``: the drawing's answer measured AT A STUDENT'S BROWSER, twice, side by side. One of the N
students is a real page (headless Chromium, Playwright) joined to the lesson; while the trainings run it
times its answer to a drawing every ``PAUSE`` seconds, with ``performance.now()`` around
- "server": the old path, the page's ``fetch("/api/predict")`` (JSON out, the server's preprocessing and
  forward pass, JSON back) while the other students draw the same way;
- "browser": the page's own ``api("/api/predict")``, which ``static/local/predict.js`` answers in the
  browser (preprocessing, forward pass, the same JSON) while the other students' pages do the same (they
  ask the server only for their model file: ``GET /api/files/...``).

    python benchmarks/bench_classe.py                       # 30 students, 3 epochs on the 60 000 images
    python benchmarks/bench_classe.py --students 6 --epochs 1 --images 2000
    python benchmarks/bench_classe.py --browser             # the answer at the browser, server vs browser

``tests/test_classe.py`` runs the small version.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from reseau.classe import create_classe_app
from reseau.classe.db import LessonDB
from reseau.web.server import BackgroundServer

TOKEN = "bench-token"
PAUSE = 2.0  # seconds between a student's drawings while their training runs (--pause 0.2: a stress test)
PAGE_PAUSE = 0.25  # seconds between the Chromium page's timed drawings (--browser): many answers for the p99
SIDE = 112  # the page's drawing pad sends 112 x 112 pixels
WAIT = 1800  # seconds a whole lesson may take before the benchmark gives up


def drawing(seed: int) -> dict:
    """A rough "1" (a vertical stroke, a little slanted), as the page's pad would send it."""
    rng = np.random.default_rng(seed)
    pad = np.zeros((SIDE, SIDE))
    x0 = rng.integers(45, 65)
    for y in range(20, 92):
        x = int(x0 + (y - 56) * rng.uniform(-0.1, 0.1))
        pad[y, x - 4 : x + 4] = 1.0
    return {"width": SIDE, "height": SIDE, "pixels": pad.ravel().tolist()}


def serve(kwargs: dict, started, stop) -> None:
    """Run the classroom app in this (child) process until ``stop`` is set; ``started`` gets (url, code)."""
    app = create_classe_app("bench", **kwargs)
    classroom = app.state.classroom
    with BackgroundServer(app) as server:
        while not classroom.start_model.is_file():
            time.sleep(0.1)  # the network every student starts with is being trained (no start model given)
        started.put((server.url, classroom.code))
        stop.wait()


def percentile(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def simulate(
    students: int = 30,
    epochs: int = 3,
    images: int | None = None,
    root: Path | None = None,
    start_model: Path | None = None,
    slots: int | None = None,
    pause: float = PAUSE,
    own_process: bool = False,
    answered_by: str | None = None,
) -> dict:
    """Run the lesson; returns what was measured (times in seconds).

    ``own_process``: the server runs in a process of its own, as it does in a classroom where the
    browsers are on other computers; otherwise (the test) it shares this one with the simulated browsers.
    ``answered_by``: None, the simulated students alone, each drawing through the server; "server" or
    "browser", one of the ``students`` is a page in Chromium timing its answers (see the module's help),
    the drawings answered by the server or in each browser.
    """
    root = Path(root or tempfile.mkdtemp(prefix="bench-classe-"))
    kwargs = dict(root=root, host="127.0.0.1", token=TOKEN, train_images=images, start_model=start_model, slots=slots)
    kwargs |= dict(joins_per_minute=students + 1, size=max(students, 1))  # every student comes from this address
    failed: list[str] = []
    during: list[float] = []  # drawing latencies while trainings run
    answered = [0]  # drawings answered 200, during the trainings or not
    lock = threading.Lock()
    started = time.perf_counter()

    def request(client: httpx.Client, method: str, path: str, **kw) -> httpx.Response | None:
        try:
            answer = client.request(method, path, **kw)
        except httpx.HTTPError as exc:
            with lock:
                failed.append(f"{method} {path}: {exc!r}")
            return None
        if answer.status_code >= 400:
            with lock:
                failed.append(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
        elif path == "/api/predict":
            with lock:
                answered[0] += 1
        return answer

    def one_student(k: int, url: str, code: str) -> None:
        # The drawing's JSON is made once: the clients share the server's process and cores, and should
        # spend as little of them as a browser on another computer would.
        pad = {"content": json.dumps(drawing(k)).encode(), "headers": {"Content-Type": "application/json"}}
        with httpx.Client(base_url=url, timeout=120) as client:
            request(client, "POST", "/api/classe/join", json={"code": code, "name": f"Élève {k}"})
            draw = lambda: request(client, "POST", "/api/predict", **pad)  # noqa: E731
            if answered_by == "browser":  # the page asks for its model file, then answers every drawing itself
                in_use = request(client, "GET", "/api/models")
                draw = lambda: None  # noqa: E731
                if in_use is not None:
                    request(client, "GET", f"/api/files/{in_use.json()['in_use']}")
            draw()
            request(client, "POST", "/api/train", json={"epochs": epochs, "seed": k % 5})
            deadline = time.monotonic() + WAIT
            while time.monotonic() < deadline:
                t0 = time.perf_counter()
                draw()
                latency = time.perf_counter() - t0
                status = request(client, "GET", "/api/train")
                if status is None or status.json()["state"] != "running":
                    return
                with lock:
                    if answered_by != "browser":  # in the browser's lesson, a student's page answers itself
                        during.append(latency)
                time.sleep(pause)
            with lock:
                failed.append(f"student {k}: the training did not end")

    at_browser: list[float] = []  # the page's answers while the trainings run (answered_by)

    def lesson(url: str, code: str) -> None:
        simulated = students - 1 if answered_by else students
        threads = [threading.Thread(target=one_student, args=(k, url, code)) for k in range(simulated)]
        with page_of_a_student(url, code) if answered_by else contextlib.nullcontext() as page:
            for thread in threads:
                thread.start()
            if page is not None:
                at_browser.extend(time_answers(page, answered_by == "browser", threads, epochs))
            for thread in threads:
                thread.join()

    if own_process:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        ready, stop = context.Queue(), context.Event()
        child = context.Process(target=serve, args=(kwargs, ready, stop))
        child.start()
        try:
            lesson(*ready.get(timeout=300))
        finally:
            stop.set()
            child.join(60)
        db = LessonDB(root / "bench.sqlite")
        runs, slots_used = db.runs(), slots or os.cpu_count() or 1
        done = len(runs)
    else:
        app = create_classe_app("bench", **kwargs)
        classroom = app.state.classroom
        with BackgroundServer(app) as server:
            deadline = time.monotonic() + 120
            while not classroom.start_model.is_file() and time.monotonic() < deadline:
                time.sleep(0.1)  # the network every student starts with is being trained (no --model given)
            lesson(server.url, classroom.code)
            runs = classroom.db.runs()
            done = [classroom.doing(s.id)["state"] for s in classroom.db.students()].count("done")
            slots_used = classroom.queue.slots
    return {
        "students": students,
        "epochs": epochs,
        "images": images or 60_000,
        "slots": slots_used,
        "server": "own process" if own_process else "shared with the browsers",
        "pause_s": pause,
        "runs": len(runs),
        "done": done,
        "failed": failed,
        "drawings": answered[0],
        "predictions": len(during),
        "predict_p50_ms": None if not during else 1000 * statistics.median(during),
        "predict_p99_ms": None if not during else 1000 * percentile(during, 99),
        "answered_by": answered_by,
        "browser_answers": len(at_browser),
        "browser_p50_ms": None if not at_browser else 1000 * statistics.median(at_browser),
        "browser_p99_ms": None if not at_browser else 1000 * percentile(at_browser, 99),
        "longest_wait_s": max((r.waited for r in runs), default=0.0),
        "mean_wait_s": statistics.fmean([r.waited for r in runs]) if runs else 0.0,
        "mean_training_s": statistics.fmean([r.seconds for r in runs]) if runs else 0.0,
        "seconds": time.perf_counter() - started,
    }


# ---------------------------------------------------------------------------
# One student's page in Chromium (--browser)
# ---------------------------------------------------------------------------

TIME_ANSWER = """async ([local]) => {
    // One drawing's answer, as the page gets it: the page's own api() (local/predict.js answers it here), or
    // the old path, the page's fetch to the server (JSON out and back: what api() did before).
    const { api } = await import("/static/page.js");  // the page's module (same URL: the same instance)
    const body = window.benchDrawing;
    const t0 = performance.now();
    if (local) await api("/api/predict", { method: "POST", body });
    else {
        const sent = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
        const answer = await fetch("/api/predict", sent);
        if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
        await answer.json();
    }
    return performance.now() - t0;
}"""


@contextlib.contextmanager
def page_of_a_student(url: str, code: str) -> Iterator[Any]:
    """A student's page in headless Chromium (Debian's), joined to the lesson, ready to draw."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url)
        joined = page.evaluate(
            """async ([code]) => (await fetch("/api/classe/join", { method: "POST", body: JSON.stringify({ code,
                name: "Chromium" }), headers: { "Content-Type": "application/json" } })).ok""",
            [code],
        )
        assert joined, "the page could not join the lesson"
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", timeout=120_000)
        page.evaluate("([drawing]) => { window.benchDrawing = drawing; }", [drawing(1000)])
        yield page
        browser.close()


def time_answers(page, local: bool, threads: list[threading.Thread], epochs: int) -> list[float]:
    """The page's answer times (s) while the other students' trainings run; it trains too."""
    page.evaluate("(" + TIME_ANSWER + ")", [local])  # the first (the page reads its model file): not counted
    started = page.evaluate(
        """async ([epochs]) => (await fetch("/api/train", { method: "POST", headers: { "Content-Type":
            "application/json" }, body: JSON.stringify({ epochs, seed: 0 }) })).status""",
        [epochs],
    )
    assert started == 202, f"the page's training was refused ({started})"
    times = []
    while any(thread.is_alive() for thread in threads):
        times.append(page.evaluate("(" + TIME_ANSWER + ")", [local]) / 1000)
        time.sleep(PAGE_PAUSE)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--images", type=int, default=None, help="training images per run (default: all 60 000)")
    parser.add_argument("--slots", type=int, default=None, help="trainings at once (default: one per core)")
    parser.add_argument("--pause", type=float, default=PAUSE, help="seconds between a student's drawings")
    parser.add_argument("--same-process", action="store_true", help="run the server among the simulated browsers")
    parser.add_argument("--browser", action="store_true", help="the answer at a page in Chromium: server vs browser")
    args = parser.parse_args()
    ways = ["server", "browser"] if args.browser else [None]
    results = [
        simulate(
            args.students, args.epochs, args.images, slots=args.slots, pause=args.pause,
            own_process=not args.same_process, answered_by=way,
        )
        for way in ways
    ]  # fmt: skip
    print(json.dumps(results if args.browser else results[0], indent=2, ensure_ascii=False))
    if args.browser:
        print(side_by_side(results))


def side_by_side(results: list[dict]) -> str:
    """The two lessons' answers at the browser, as the README's table."""
    ms = lambda x: "–" if x is None else f"{x:.0f}"  # noqa: E731
    rows = [
        (
            "drawing answer at the browser, p50 / p99",
            lambda r: f"{ms(r['browser_p50_ms'])} / {ms(r['browser_p99_ms'])} ms",
        ),
        ("answers timed during the trainings", lambda r: str(r["browser_answers"])),
        (
            "the other students' drawings sent to the server, p50 / p99",
            lambda r: f"{ms(r['predict_p50_ms'])} / {ms(r['predict_p99_ms'])} ms",
        ),
        ("trainings finished / failed requests", lambda r: f"{r['done']} / {len(r['failed'])}"),
        ("whole lesson", lambda r: f"{r['seconds']:.1f} s"),
    ]
    head = f"| {results[0]['students']} students | answered by the server | answered in the browser |"
    lines = [head, "|---|---:|---:|"] + [
        f"| {name} | " + " | ".join(cell(r) for r in results) + " |" for name, cell in rows
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
