"""A class at once: N simulated students join, draw and train, on loopback; how the server holds up.

Each student is a thread with its own HTTP client and cookie.  Two kinds of traffic:

- ``pages`` (the default of the command, 60 students): each student does what today's student page
  does, through the same HTTP routes: joins (:func:`join_student`), opens the page (its messages,
  options, model, models, run and classroom bar, then its model file: the page answers drawings
  itself), asks for the training's estimate and a training of the document's network, follows it
  as the page does (the server-sent events of ``/api/train/events``, and ``/api/classe/me`` every
  1.5 s), and reads its new model when the run has finished;
- ``drawings`` (the older path, :func:`simulate`'s default): each student draws (``POST
  /api/predict``), trains, and keeps drawing every ``PAUSE`` seconds until their training has finished.

Meanwhile the teacher's page (:class:`TeacherPage`) is opened every ``TEACHER_LOAD`` seconds as a
browser does (the HTML, its styles and scripts, the messages, the class's state, the QR code and the
class's answer, each stage's requests at once) and refreshes every 2 s as ``teacher.js`` does.
Measured: every request's status (none may fail), every training finished, the queue's order (from
the teacher's views: nobody ever trains before a student who was waiting ahead of them), each run's
wait, the teacher page's load and refresh times, and in ``drawings`` the drawing answers' latency.

``--browser``: the drawing's answer measured AT A STUDENT'S BROWSER, twice, side by side. One of the N
students is a real page (headless Chromium, Playwright) joined to the lesson; while the trainings run it
times its answer to a drawing every ``PAUSE`` seconds, with ``performance.now()`` around
- "server": the old path, the page's ``fetch("/api/predict")`` (JSON out, the server's preprocessing and
  forward pass, JSON back) while the other students draw the same way;
- "browser": the page's own ``api("/api/predict")``, which ``static/local/predict.js`` answers in the
  browser (preprocessing, forward pass, the same JSON) while the other students' pages do the same (they
  ask the server only for their model file: ``GET /api/files/...``).

    python benchmarks/bench_classe.py                       # 60 students' pages, 3 epochs on 60 000 images
    python benchmarks/bench_classe.py --students 6 --epochs 1 --images 2000
    python benchmarks/bench_classe.py --drawings --students 30  # the older traffic: drawings to the server
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
from concurrent.futures import ThreadPoolExecutor
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
ME_POLL = 1.5  # seconds between a student page's looks at its classroom bar (student.js's POLL_MS)
TEACHER_POLL = 2.0  # seconds between the teacher page's refreshes (teacher.js's POLL_MS)
TEACHER_LOAD = 5.0  # seconds between two full loads of the teacher's page (a teacher pressing F5)


def join_student(client: httpx.Client, code: str, name: str) -> httpx.Response:
    """A student joins the lesson as the join page does: the one place a simulated student joins (all come from
    127.0.0.1: :func:`simulate` gives the lesson a join limit and a size that let the whole class in, as a
    teacher would for a class behind one address)."""
    return client.post("/api/classe/join", json={"code": code, "name": name})


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


class Requests:
    """Every request of the lesson goes through :meth:`send`: a failure (an error status, or no answer) is kept."""

    def __init__(self) -> None:
        self.failed: list[str] = []
        self.drawings = 0  # drawings answered 200 by the server, during the trainings or not
        self.asked = 0  # trainings asked for (202)
        self.lock = threading.Lock()

    def send(self, client: httpx.Client, method: str, path: str, **kw) -> httpx.Response | None:
        try:
            answer = client.request(method, path, **kw)
        except httpx.HTTPError as exc:
            return self.fail(f"{method} {path}: {exc!r}")
        if answer.status_code >= 400:
            return self.fail(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
        with self.lock:
            self.drawings += path == "/api/predict"
            self.asked += (method, path) == ("POST", "/api/train")
        return answer

    def fail(self, what: str) -> None:
        with self.lock:
            self.failed.append(what)


# ---------------------------------------------------------------------------
# What a student's page and the teacher's page ask the server
# ---------------------------------------------------------------------------


def open_student_page(requests: Requests, client: httpx.Client) -> None:
    """The requests of a student's page as it opens (app.js, student.js), then its model file (the page
    answers drawings itself, static/local/predict.js)."""
    for path in ("/api/messages", "/api/options", "/api/model", "/api/train", "/api/classe/me"):
        requests.send(client, "GET", path)
    read_model(requests, client)


def read_model(requests: Requests, client: httpx.Client) -> None:
    """The page's list of models, then the model in use's file (GET /api/files/<name>)."""
    models = requests.send(client, "GET", "/api/models")
    if models is not None and models.json().get("in_use"):
        requests.send(client, "GET", f"/api/files/{models.json()['in_use']}")


def follow_events(requests: Requests, client: httpx.Client) -> None:
    """The page's EventSource on its run: every event until the one that says the run has ended."""
    try:
        with client.stream("GET", "/api/train/events", params={"since": 0, "lang": "fr"}, timeout=None) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:") and json.loads(line[5:]).get("kind") == "end":
                    return
    except httpx.HTTPError as exc:
        requests.fail(f"GET /api/train/events: {exc!r}")
        return
    requests.fail("GET /api/train/events: the stream closed before the run ended")


RATES = (0.01, 0.05, 0.1, 0.5, 1.0)  # the learning rates a class tries (the document's is 0.01)
HIDDEN = (20, 10, 40)  # the hidden neurons (the document's is 20)


def exercise(k: int, epochs: int) -> dict:
    """What the k-th student trains (``pages``): the exercise's factors spread over the class, so that the
    class's answer has its tables and plots to compute (five learning rates, three sizes, a few seeds)."""
    return {"epochs": epochs, "learn_rate": RATES[k % 5], "hidden": HIDDEN[k // 5 % 3], "seed": k // 15}


def page_student(requests: Requests, k: int, url: str, code: str, epochs: int) -> None:
    """One student, as today's student page: open the page, ask for a training, follow it, read the new model."""
    with httpx.Client(base_url=url, timeout=120) as client:
        join_student(client, code, f"Élève {k}")
        open_student_page(requests, client)
        form = exercise(k, epochs)
        requests.send(client, "POST", "/api/train/estimate", json=form)
        if requests.send(client, "POST", "/api/train", json=form) is None:
            return
        events = threading.Thread(target=follow_events, args=(requests, client), daemon=True)
        events.start()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            me = requests.send(client, "GET", "/api/classe/me")
            if me is None or me.json()["state"] not in ("waiting", "training"):
                break
            time.sleep(ME_POLL)
        else:
            requests.fail(f"student {k}: the training did not end")
        events.join(60)
        requests.send(client, "GET", "/api/model")  # the page shows its new network
        read_model(requests, client)


class TeacherPage:
    """The teacher's page, opened before the students arrive, then again every ``TEACHER_LOAD`` s and refreshed
    every ``TEACHER_POLL`` s in between, timed (apart while the students arrive: until all have asked for their
    training); each view of the class's state is kept (:func:`served_in_order` reads the queue's order in them)."""

    STAGES = (  # what a browser asks, stage by stage, each stage's requests at once (teacher.html, teacher.js)
        ("/teacher",),
        ("/static/style.css", "/classe/static/classe.css", "/classe/static/classe.js", "/classe/static/teacher.js"),
        ("/api/classe/messages", "/static/numbers.js"),
        ("/api/classe/teacher/state",),
        ("/api/classe/teacher/qr.svg", "/api/classe/teacher/answer"),
    )

    def __init__(self, requests: Requests, url: str, students: int) -> None:
        self.requests = requests
        self.students = students
        self.client = httpx.Client(base_url=url, timeout=120, headers={"Authorization": f"Bearer {TOKEN}"})
        self.loads: list[tuple[float, bool]] = []  # (seconds from asking for the page to its last answer, arriving)
        self.refreshes: list[tuple[float, bool]] = []  # (seconds of the state, and of the answer if a run arrived, ...)
        self.views: list[list[dict]] = []  # the students of each state read
        self.slow: list[str] = []  # the requests of over half a second: when, and how long they took
        self.done = threading.Event()
        self.pool = ThreadPoolExecutor(6)  # a browser's connections to one server
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.started = time.perf_counter()
        self._runs = -1  # the runs in the last answer read (teacher.js asks again while the class has more)

    @property
    def arriving(self) -> bool:
        """Some students have not asked for their training yet (they are joining, opening their page)."""
        return self.requests.asked < self.students

    def __enter__(self) -> TeacherPage:
        self.load()  # the teacher opens the page first, to show the QR code
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join(120)
        self.pool.shutdown()
        self.client.close()

    def _watch(self) -> None:
        while not self.done.is_set():
            next_load = time.monotonic() + TEACHER_LOAD
            while not self.done.wait(TEACHER_POLL) and time.monotonic() < next_load:
                self.refresh()
            if not self.done.is_set():
                self.load()

    def times(self, which: str, arriving: bool | None = None) -> list[float]:
        """The loads' or refreshes' seconds (only those while the students arrive, or after, if ``arriving``)."""
        return [t for t, then in getattr(self, which) if arriving is None or then == arriving]

    def load(self) -> None:
        started, arriving = time.perf_counter(), self.arriving
        for stage in self.STAGES:
            answers = list(self.pool.map(self.timed, stage))
            if stage == ("/api/classe/teacher/state",) and answers[0] is not None:
                self.views.append(answers[0].json()["students"])
        self.loads.append((time.perf_counter() - started, arriving))

    def refresh(self) -> None:
        started, arriving = time.perf_counter(), self.arriving
        state = self.timed("/api/classe/teacher/state")
        if state is None:
            return
        self.views.append(state.json()["students"])
        if len(state.json()["runs"]) != self._runs:
            found = self.timed("/api/classe/teacher/answer")
            self._runs = found.json()["runs"] if found is not None else -1
        self.refreshes.append((time.perf_counter() - started, arriving))

    def timed(self, path: str) -> httpx.Response | None:
        """GET ``path``; a request of over half a second is kept in :attr:`slow` (what makes a load slow)."""
        started = time.perf_counter()
        answer = self.requests.send(self.client, "GET", path)
        seconds = time.perf_counter() - started
        if seconds > 0.5:
            self.slow.append(f"{path}: {1000 * seconds:.0f} ms, at {started - self.started:.1f} s")
        return answer


def served_in_order(views: list[list[dict]]) -> list[str]:
    """Where the queue did not serve first come, first served, as the teacher's page saw it: a student who,
    in a later view, trains or has finished while one who was waiting ahead of them still waits."""
    wrong = []
    for k, view in enumerate(views):
        ahead = sorted((s["place"], s["name"]) for s in view if s["state"] == "waiting" and s["place"])
        for later in views[k + 1 :]:
            now = {s["name"]: s["state"] for s in later}
            for i, (_, first) in enumerate(ahead):
                for _, behind in ahead[i + 1 :]:
                    if now.get(first) == "waiting" and now.get(behind) in ("training", "done"):
                        wrong.append(f"{behind} left the queue before {first}, who was ahead")
    return sorted(set(wrong))


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
    traffic: str = "drawings",
    arrival: float = 0.0,
) -> dict:
    """Run the lesson; returns what was measured (times in seconds).

    ``own_process``: the server runs in a process of its own, as it does in a classroom where the
    browsers are on other computers; otherwise (the test) it shares this one with the simulated browsers.
    ``traffic``: "pages", each student does what today's student page does (:func:`page_student`);
    "drawings", each draws through the server until their training has finished.
    ``answered_by``: None, the simulated students alone; "server" or "browser", one of the ``students`` is
    a page in Chromium timing its answers (see the module's help), the drawings answered by the server or
    in each browser.  ``arrival``: the students arrive one by one over this many seconds (0: all at once).
    """
    root = Path(root or tempfile.mkdtemp(prefix="bench-classe-"))
    kwargs = dict(root=root, host="127.0.0.1", token=TOKEN, train_images=images, start_model=start_model, slots=slots)
    kwargs |= dict(joins_per_minute=students + 1, size=max(students, 1))  # every student comes from this address
    requests = Requests()
    during: list[float] = []  # drawing latencies while trainings run
    lock = threading.Lock()
    started = time.perf_counter()

    def one_student(k: int, url: str, code: str) -> None:
        # The drawing's JSON is made once: the clients share the server's process and cores, and should
        # spend as little of them as a browser on another computer would.
        pad = {"content": json.dumps(drawing(k)).encode(), "headers": {"Content-Type": "application/json"}}
        with httpx.Client(base_url=url, timeout=120) as client:
            join_student(client, code, f"Élève {k}")
            draw = lambda: requests.send(client, "POST", "/api/predict", **pad)  # noqa: E731
            if answered_by == "browser":  # the page asks for its model file, then answers every drawing itself
                read_model(requests, client)
                draw = lambda: None  # noqa: E731
            draw()
            requests.send(client, "POST", "/api/train", json={"epochs": epochs, "seed": k % 5})
            deadline = time.monotonic() + WAIT
            while time.monotonic() < deadline:
                t0 = time.perf_counter()
                draw()
                latency = time.perf_counter() - t0
                status = requests.send(client, "GET", "/api/train")
                if status is None or status.json()["state"] != "running":
                    return
                with lock:
                    if answered_by != "browser":  # in the browser's lesson, a student's page answers itself
                        during.append(latency)
                time.sleep(pause)
            requests.fail(f"student {k}: the training did not end")

    at_browser: list[float] = []  # the page's answers while the trainings run (answered_by)
    teacher: list[TeacherPage] = []

    def lesson(url: str, code: str) -> None:
        simulated = students - 1 if answered_by else students
        if traffic == "pages" and not answered_by:
            threads = [
                threading.Thread(target=page_student, args=(requests, k, url, code, epochs)) for k in range(simulated)
            ]
        else:
            threads = [threading.Thread(target=one_student, args=(k, url, code)) for k in range(simulated)]
        with (
            page_of_a_student(url, code) if answered_by else contextlib.nullcontext() as page,
            TeacherPage(requests, url, students) as watching,
        ):
            teacher.append(watching)
            for thread in threads:
                thread.start()
                time.sleep(arrival / students)
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
    ms = lambda values, q: None if not values else 1000 * percentile(values, q)  # noqa: E731
    return {
        "students": students,
        "traffic": traffic if not answered_by else "drawings",
        "epochs": epochs,
        "images": images or 60_000,
        "slots": slots_used,
        "server": "own process" if own_process else "shared with the browsers",
        "pause_s": pause,
        "runs": len(runs),
        "done": done,
        "failed": requests.failed,
        "out_of_order": served_in_order(teacher[0].views),
        "teacher_views": len(teacher[0].views),
        "teacher_loads": len(teacher[0].loads),
        "teacher_refreshes": len(teacher[0].refreshes),
        "arrival_s": arrival,
        "teacher_load_p50_ms": ms(teacher[0].times("loads"), 50),
        "teacher_load_max_ms": ms(teacher[0].times("loads"), 100),
        "teacher_refresh_p50_ms": ms(teacher[0].times("refreshes"), 50),
        "teacher_refresh_max_ms": ms(teacher[0].times("refreshes"), 100),
        "teacher_arriving_max_ms": ms(teacher[0].times("loads", True) + teacher[0].times("refreshes", True), 100),
        "teacher_after_max_ms": ms(teacher[0].times("loads", False) + teacher[0].times("refreshes", False), 100),
        "teacher_slow_requests": teacher[0].slow,
        "drawings": requests.drawings,
        "predictions": len(during),
        "predict_p50_ms": ms(during, 50),
        "predict_p99_ms": ms(during, 99),
        "answered_by": answered_by,
        "browser_answers": len(at_browser),
        "browser_p50_ms": ms(at_browser, 50),
        "browser_p99_ms": ms(at_browser, 99),
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
    parser.add_argument("--students", type=int, default=None, help="default: 60 (--drawings, --browser: 30)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--images", type=int, default=None, help="training images per run (default: all 60 000)")
    parser.add_argument("--slots", type=int, default=None, help="trainings at once (default: one per core)")
    parser.add_argument("--pause", type=float, default=PAUSE, help="seconds between a student's drawings")
    parser.add_argument("--same-process", action="store_true", help="run the server among the simulated browsers")
    parser.add_argument("--drawings", action="store_true", help="the older traffic: drawings sent to the server")
    parser.add_argument("--arrival", type=float, default=0.0, help="seconds over which the students arrive")
    parser.add_argument("--browser", action="store_true", help="the answer at a page in Chromium: server vs browser")
    args = parser.parse_args()
    ways = ["server", "browser"] if args.browser else [None]
    traffic = "drawings" if args.drawings or args.browser else "pages"
    students = args.students or (60 if traffic == "pages" else 30)
    results = [
        simulate(
            students, args.epochs, args.images, slots=args.slots, pause=args.pause,
            own_process=not args.same_process, answered_by=way, traffic=traffic, arrival=args.arrival,
        )
        for way in ways
    ]  # fmt: skip
    print(json.dumps(results if args.browser else results[0], indent=2, ensure_ascii=False))
    print(side_by_side(results) if args.browser else lesson_table(results[0]))


def lesson_table(r: dict) -> str:
    """One lesson's numbers, as the README's table."""
    ms = lambda x: "–" if x is None else f"{x:.0f} ms"  # noqa: E731
    rows = [
        ("trainings finished / asked for", f"{r['done']} / {r['students']}"),
        ("failed requests", str(len(r["failed"]))),
        ("runs that left the queue out of order", str(len(r["out_of_order"]))),
        (
            "teacher's page, full load: p50 / slowest",
            f"{ms(r['teacher_load_p50_ms'])} / {ms(r['teacher_load_max_ms'])}",
        ),
        (
            "teacher's page, refresh: p50 / slowest",
            f"{ms(r['teacher_refresh_p50_ms'])} / {ms(r['teacher_refresh_max_ms'])}",
        ),
        (
            "teacher's page, slowest while the students arrive / after",
            f"{ms(r['teacher_arriving_max_ms'])} / {ms(r['teacher_after_max_ms'])}",
        ),
        ("teacher's page loads / refreshes", f"{r['teacher_loads']} / {r['teacher_refreshes']}"),
        ("wait in the queue: mean / longest", f"{r['mean_wait_s']:.1f} / {r['longest_wait_s']:.1f} s"),
        ("one training (mean)", f"{r['mean_training_s']:.1f} s"),
        ("whole lesson", f"{r['seconds']:.1f} s"),
    ]
    arrival = f"arriving over {r['arrival_s']:g} s" if r["arrival_s"] else "arriving at once"
    head = (
        f"| {r['students']} students {arrival}, {r['epochs']} epochs on {r['images']:,} images, {r['slots']} slots | |"
    )
    return "\n".join([head, "|---|---:|"] + [f"| {name} | {value} |" for name, value in rows])


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
