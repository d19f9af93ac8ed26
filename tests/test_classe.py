"""``reseau classe``: joining, each student's own work, the teacher's token, the queue, the limits,
persistence across restarts, the class's answer, the exports, a Dask cluster and a small class at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from reseau.classe import create_classe_app
from reseau.classe.answer import class_answer, class_tables, run_record, to_csv
from reseau.classe.db import LessonDB, RunRow
from reseau.classe.limits import MAX_EPOCHS, teacher_limits
from reseau.classe.paths import PathHider
from reseau.classe.queue import Limits, TrainQueue
from reseau.cli import run
from reseau.errors import ReseauError
from reseau.experiments.conclusions import conclusions
from reseau.i18n import format_number

TOKEN = "teacher-token-for-tests"
BASE = "http://127.0.0.1"
IMAGES = 2000  # training images per run in these tests (a run of one epoch: a fraction of a second)
WAIT = 120  # seconds a training may take on a busy machine before a test gives up


def make_app(root: Path, model_file: Path | None, lesson: str = "test", **kw):
    kw.setdefault("slots", 2)
    kw.setdefault("joins_per_minute", 1000)  # every test client is one address (the limit: test_classe_roster.py)
    return create_classe_app(
        lesson, root=root, host="127.0.0.1", token=TOKEN, train_images=IMAGES, start_model=model_file, **kw
    )


def join(client: TestClient, app, name: str):
    return client.post("/api/classe/join", json={"code": app.state.classroom.code, "name": name})


def finish(client: TestClient) -> dict:
    """Wait for the client's student's run to end; its last status."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        status = client.get("/api/train").json()
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError("the training did not end")


@pytest.fixture
def classe(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE) as teacher:
        yield app, teacher


def student(app, name: str) -> TestClient:
    client = TestClient(app, base_url=BASE)
    assert join(client, app, name).status_code == 200
    return client


# ---------------------------------------------------------------------------
# Joining
# ---------------------------------------------------------------------------


def test_join_sets_a_strict_httponly_cookie_and_rejoining_gets_the_same_student(classe):
    app, _ = classe
    client = TestClient(app, base_url=BASE)
    assert "join.js" in client.get("/").text  # not joined: the join page
    assert client.get("/api/model").status_code == 401  # the web routes want a student
    answer = join(client, app, "Léa")
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert "student.js" in client.get("/").text  # joined: the student's page
    me = client.get("/api/classe/me").json()
    assert me["name"] == "Léa"
    again = join(client, app, "someone else")  # the tab was closed: the cookie brings Léa back
    assert again.json()["name"] == "Léa"


def test_join_mistakes_get_clear_answers(classe):
    app, _ = classe
    client = TestClient(app, base_url=BASE)
    wrong = client.post("/api/classe/join", json={"code": "NOPE00", "name": "Tom"})
    assert wrong.status_code == 403 and wrong.json()["key"] == "classe.error.code"
    code = app.state.classroom.code
    lower = client.post("/api/classe/join", json={"code": f" {code[:3].lower()}-{code[3:]} ", "name": "  "})
    assert lower.status_code == 422 and lower.json()["key"] == "classe.error.name"
    assert join(client, app, "Tom").status_code == 200
    other = TestClient(app, base_url=BASE)
    taken = join(other, app, "tom")
    assert taken.status_code == 409 and taken.json()["key"] == "classe.error.name_taken"
    cross = other.post(
        "/api/classe/join", json={"code": code, "name": "Eve"}, headers={"Origin": "http://evil.example"}
    )
    assert cross.status_code == 403
    assert other.get("/api/classe/me", headers={"Host": "evil.example"}).status_code == 400


# ---------------------------------------------------------------------------
# Each student's own work
# ---------------------------------------------------------------------------


def test_nobody_reads_or_changes_another_students_work(classe):
    app, _ = classe
    lea, tom = student(app, "Léa"), student(app, "Tom")
    assert lea.post("/api/train", json={"epochs": 1, "hidden": 12}).status_code == 202
    assert tom.get("/api/train").json()["state"] == "idle"  # Léa's run is not Tom's
    assert tom.post("/api/train/stop", json={}).status_code == 409  # Tom cannot stop it
    done = finish(lea)
    assert done["state"] == "done"
    lea_models = {m["name"] for m in lea.get("/api/models").json()["models"]}
    tom_models = {m["name"] for m in tom.get("/api/models").json()["models"]}
    assert "document.safetensors" in lea_models and "document.safetensors" not in tom_models
    assert lea.get("/api/model").json()["sizes"] == [784, 12, 10]
    assert tom.get("/api/model").json()["sizes"] == [784, 20, 10]  # Tom still has the starting network
    pixels = {"width": 28, "height": 28, "pixels": [0.0] * 784, "preprocess": False}
    theirs = tom.post("/api/predict", json=pixels | {"model": "document.safetensors"})
    assert theirs.status_code == 404  # Léa's file is not in Tom's folder
    sneaky = tom.post("/api/predict", json=pixels | {"model": "../1/document.safetensors"})
    assert sneaky.status_code == 422
    folders = {s.ctx.store.path.parent for s in app.state.classroom.loaded().values()}
    assert len(folders) == 2  # each their own folder (whose path neither reads: see the test below)
    # « Pas à pas »: the same session name gives each student their own network
    session = {"session": "same-name-123", "seed": 0}
    assert lea.post("/api/step", json=session | {"index": 0, "count": 5}).json()["steps"] == 5
    assert tom.post("/api/step", json=session | {"index": 0}).json()["steps"] == 1
    # a student's summary and the class's data are the teacher's
    assert tom.get("/teacher/students/1/summary").status_code == 401
    assert tom.get("/api/classe/export.json").status_code == 401
    assert "Tom" in tom.get("/me/summary").text and "Léa" not in tom.get("/me/summary").text


def shows_no_path(response, *folders: Path) -> str:
    """The response's text, after checking it names none of ``folders`` (as given or resolved)."""
    text = response.text
    for folder in folders:
        for written in {str(folder), str(folder.resolve())}:
            assert written not in text, (response.request.url.path, text[:300])
    return text


def test_no_answer_to_a_student_names_the_servers_folders(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE):
        lea = student(app, "Léa")
        assert lea.post("/api/train", json={"epochs": 1}).status_code == 202
        done = finish(lea)
        message = next(e["message"] for e in done["events"] if e["kind"] == "done")
        assert "model.safetensors" in message  # the file named, in the student's words
        events = shows_no_path(lea.get("/api/train/events"), tmp_path)
        assert "model.safetensors" in events
        folder = app.state.classroom.loaded()[1].ctx.shelf.folder
        (folder / "broken.safetensors").write_bytes(b"not a model")  # its error names the file
        pixels = {"width": 28, "height": 28, "pixels": [0.0] * 784, "preprocess": False}
        answers = [
            lea.get(path)
            for path in (
                "/",
                "/api/classe/me",
                "/me/summary",
                "/api/model",
                "/api/models",
                "/api/train",
                "/api/experiments",
                "/api/dataset/test/0",
                "/api/options",
            )
        ]
        answers += [
            lea.post("/api/train/estimate", json={"epochs": 2}),
            lea.post("/api/predict", json=pixels | {"model": "broken.safetensors"}),
            lea.post("/api/predict", json=pixels | {"model": "missing.safetensors"}),
            lea.post("/api/train", json={"epochs": 1, "hidden": 10_000}),
        ]
        assert [a.status_code for a in answers] == [200] * 10 + [422, 404, 422]
        for found in answers:
            shows_no_path(found, tmp_path)
        assert answers[3].json()["path"] == "model.safetensors"
        models = answers[4].json()
        assert models["folder"] == "vos modèles"
        broken = next(m for m in models["models"] if m["name"] == "broken.safetensors")
        assert broken["error"] and "broken.safetensors" in broken["error"]
        assert "vos modèles" in answers[11].json()["detail"]  # « pas de modèle … dans vos modèles »


def test_a_student_is_told_to_ask_the_teacher_when_the_server_lacks_its_images(tmp_path, model_file):
    missing = tmp_path / "no-images-here"
    app = make_app(tmp_path, model_file, data_dir=missing)
    with TestClient(app, base_url=BASE):
        lea = student(app, "Léa")
        found = lea.get("/api/dataset/test/0")
        assert found.status_code == 503 and found.json()["key"] == "classe.error.data"
        shows_no_path(found, tmp_path)
        assert lea.post("/api/train", json={"epochs": 1}).status_code == 202
        failed = finish(lea)
        assert failed["state"] == "failed"
        assert "enseignant" in failed["events"][-1]["message"]
        shows_no_path(lea.get("/api/train/events"), tmp_path)


def test_the_path_hider_names_files_and_calls_folders_your_models(tmp_path):
    hider = PathHider(tmp_path)
    said = f"saved in {tmp_path}/4b/students/3/model.safetensors. No model in {tmp_path}/4b/students/3, see /api/x."
    assert hider.text(said, "en") == "saved in model.safetensors. No model in your models, see /api/x."
    assert hider.params({"path": tmp_path / "a.sqlite", "n": 3}, "fr") == {"path": "a.sqlite", "n": 3}


# ---------------------------------------------------------------------------
# The teacher
# ---------------------------------------------------------------------------


def test_the_teachers_pages_and_exports_need_the_token(classe):
    app, teacher = classe
    for path in ("/api/classe/teacher/state", "/api/classe/export.csv", "/api/classe/export.json"):
        assert teacher.get(path).status_code == 401
        assert teacher.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert teacher.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert teacher.get("/teacher").status_code == 401
    opened = teacher.get(f"/teacher?token={TOKEN}")  # the printed address: sets the cookie
    assert opened.status_code == 200 and "reseau-teacher" in opened.headers["set-cookie"]
    assert "teacher.js" in teacher.get("/teacher").text
    qr = teacher.get("/api/classe/teacher/qr.svg")
    assert qr.status_code == 200 and "<svg" in qr.text


def test_the_teachers_limits_are_enforced(classe):
    app, teacher = classe
    lea = student(app, "Léa")
    too_long = lea.post("/api/train", json={"epochs": 11})
    assert too_long.status_code == 422 and too_long.json()["key"] == "classe.error.epochs"
    too_wide = lea.post("/api/train", json={"hidden": 101})
    assert too_wide.status_code == 422 and too_wide.json()["key"] == "classe.error.hidden"
    modern = lea.post("/api/train", json={"mode": "modern"})
    assert modern.status_code == 422 and modern.json()["key"] == "classe.error.mode"
    limits = {"max_epochs": 2, "max_hidden": 30, "modes": ["faithful"], "constraint": "seulement lr"}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert lea.post("/api/classe/teacher/limits", json=limits).status_code == 401  # not the teacher
    assert teacher.post("/api/classe/teacher/limits", json=limits, headers=auth).status_code == 200
    assert lea.post("/api/train", json={"epochs": 3}).status_code == 422
    assert lea.get("/api/classe/me").json()["limits"]["constraint"] == "seulement lr"


def test_the_teacher_sees_every_run_and_the_class_answer(classe):
    app, teacher = classe
    auth = {"Authorization": f"Bearer {TOKEN}"}
    students = [student(app, name) for name in ("Léa", "Tom", "=cmd")]
    for client, lr in zip(students, (0.01, 0.1, 1.0)):
        assert client.post("/api/train", json={"epochs": 1, "learn_rate": lr}).status_code == 202
    assert all(finish(c)["state"] == "done" for c in students)
    state = teacher.get("/api/classe/teacher/state", headers=auth).json()
    assert [s["name"] for s in state["students"]] == ["Léa", "Tom", "=cmd"]
    assert all(s["curve"] and s["state"] == "done" for s in state["students"])
    assert sorted(r["learn_rate"] for r in state["runs"]) == [0.01, 0.1, 1.0]
    slots = state["queue"]["slots"]
    place = "1 place" if slots == 1 else f"{slots} places"  # counted in words, not « place(s) »
    assert state["queue"]["text"].startswith(f"File : 0 entraînement en cours sur {place}, 0 en attente ;")
    english = teacher.get("/api/classe/teacher/state", headers=auth, params={"lang": "en"}).json()["queue"]["text"]
    assert english.startswith(f"Queue: 0 trainings running on {slots} slot{'' if slots == 1 else 's'}, 0 waiting;")
    found = teacher.get("/api/classe/teacher/answer", headers=auth).json()
    assert [t["factor"] for t in found["tables"]] == ["lr"]
    assert found["conclusions"] and found["plots"][0].startswith("<svg")
    # the answer's « Durée » is the class table's: each lr was trained once, so the same seconds
    seconds = {r["learn_rate"]: r["seconds"] for r in state["runs"]}
    assert {p["value"]: round(p["seconds_mean"], 3) for p in found["tables"][0]["points"]} == seconds
    # one seed per lr: the class is told to train the same settings with other seeds, not to type --seeds
    said = " ".join(found["conclusions"])
    assert "--seeds" not in said and "plusieurs élèves" in said
    csv = teacher.get("/api/classe/export.csv", headers=auth).text.splitlines()
    assert csv[0].startswith("run,student,mode,epochs,hidden,learn_rate,seed")
    assert len(csv) == 4 and any(",'=cmd," in line for line in csv)  # no formula for a spreadsheet
    runs = teacher.get("/api/classe/export.json", headers=auth).json()["runs"]
    assert all(len(r["precisions"]) == 1 for r in runs)
    sheet = teacher.get("/teacher/students/2/summary", headers=auth)
    assert "Tom" in sheet.text and "@media print" in sheet.text


def test_the_class_answer_is_ready_before_the_teacher_asks_again(classe, monkeypatch):
    from reseau.classe import answer

    app, teacher = classe
    classroom = app.state.classroom
    auth = {"Authorization": f"Bearer {TOKEN}"}
    computed: list[int] = []
    real = answer.class_answer
    monkeypatch.setattr(answer, "class_answer", lambda runs, lang: (real(runs, lang), computed.append(len(runs)))[0])
    lea = student(app, "Léa")
    assert lea.post("/api/train", json={"epochs": 1}).status_code == 202
    assert finish(lea)["state"] == "done" and computed == []  # no teacher has asked: nothing computed
    assert teacher.get("/api/classe/teacher/answer", headers=auth, params={"lang": "en"}).json()["runs"] == 1
    assert computed == [1]
    assert lea.post("/api/train", json={"epochs": 1, "learn_rate": 0.1}).status_code == 202
    assert finish(lea)["state"] == "done"
    deadline = time.monotonic() + 30
    while (computed != [1, 2] or classroom._refreshing) and time.monotonic() < deadline:  # in the background
        time.sleep(0.05)
    assert computed == [1, 2]
    found = teacher.get("/api/classe/teacher/answer", headers=auth, params={"lang": "en"}).json()
    assert computed == [1, 2] and found["runs"] == 2  # the page's request found it ready
    assert found == classroom.answer("en")


def test_the_teachers_page_is_checked_by_the_same_limits_as_the_command(classe):
    app, teacher = classe
    auth = {"Authorization": f"Bearer {TOKEN}"}
    base = {"max_epochs": 2, "max_hidden": 30, "modes": ["faithful"], "constraint": ""}
    beyond = int(MAX_EPOCHS.high) + 1
    refused = teacher.post("/api/classe/teacher/limits", json=base | {"max_epochs": beyond}, headers=auth)
    assert refused.status_code == 422 and refused.json()["field"] == "max_epochs"
    assert refused.json()["key"] == "classe.error.limit" and "--max-epochs" not in refused.json()["detail"]
    with pytest.raises(ReseauError) as caught:  # the command's check: the same key, the same bound
        teacher_limits(max_epochs=beyond)
    assert caught.value.key == "classe.error.limit" and caught.value.params["high"] == MAX_EPOCHS.high
    unknown = teacher.post("/api/classe/teacher/limits", json=base | {"modes": ["fidele"]}, headers=auth)
    assert unknown.status_code == 422 and unknown.json()["field"] == "modes"
    spaced = teacher.post("/api/classe/teacher/limits", json=base | {"constraint": "  seul   lr "}, headers=auth)
    assert spaced.json()["constraint"] == "seul lr"  # written as on the command line
    assert app.state.classroom.limits.max_epochs == 2  # nothing refused was kept


def test_a_students_name_is_shown_as_text_in_the_printable_summaries(classe):
    app, teacher = classe
    name = "<script>alert(1)</script>"
    eve = student(app, name)
    assert eve.post("/api/train", json={"epochs": 1}).status_code == 202
    assert finish(eve)["state"] == "done"
    seconds = app.state.classroom.db.runs()[0].seconds
    auth = {"Authorization": f"Bearer {TOKEN}"}
    sheets = [(eve.get("/me/summary"), "fr"), (teacher.get("/teacher/students/1/summary?lang=en", headers=auth), "en")]
    for page, lang in sheets:
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert name not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<svg" in page.text and "<polyline" in page.text  # the best run's curve
        assert f"<td>{format_number(seconds, 1, lang)} s</td>" in page.text  # the run's time in the reader's language


def test_each_path_is_served_by_one_route_the_classrooms_where_it_has_its_own(classe):
    from reseau.classe.routes import router
    from reseau.web.app import page_routes
    from reseau.web.routes import ROUTERS

    served = [(r.path, m, r.endpoint.__module__) for r in page_routes(router).routes for m in r.methods]
    assert len({(path, m) for path, m, _ in served}) == len(served)  # no route hidden behind another
    pages = {(r.path, m) for web in ROUTERS for r in web.routes for m in r.methods}
    assert pages <= {(path, m) for path, m, _ in served}  # every route of the page is served...
    replaced = {(path, m) for path, m, module in served if module == "reseau.classe.routes"} & pages
    assert ("/api/model", "GET") in replaced  # ... some in the classroom's version
    app, _ = classe
    assert student(app, "Léa").get("/api/model").json()["path"] == "model.safetensors"  # the classroom's: no folder


# ---------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------


class FakeTrainer:
    """Stands for a ClassTrainer in the queue: records when it runs, waits until released."""

    def __init__(self, name: str, ran: list, release: threading.Event) -> None:
        self.name, self.ran, self.release = name, ran, release
        self.queued_at = time.monotonic()
        self.started_at = None
        self.started = threading.Event()

    @property
    def waited(self) -> float:
        return 0.0

    def run_here(self) -> None:
        self.ran.append(self.name)
        self.started.set()
        self.release.wait(WAIT)


def test_the_queue_is_first_come_first_served_and_a_waiting_run_can_leave():
    ran: list[str] = []
    release = threading.Event()
    queue = TrainQueue(slots=1)
    a, b, c = (FakeTrainer(n, ran, release) for n in "abc")
    queue.submit(a)
    assert a.started.wait(WAIT)
    queue.submit(b)
    queue.submit(c)
    assert (queue.place(a), queue.place(b), queue.place(c)) == (None, 1, 2)
    assert queue.counts() == (1, 2)
    assert queue.cancel(b) and not queue.cancel(b)
    assert queue.place(c) == 1
    release.set()
    assert c.started.wait(WAIT)
    assert ran == ["a", "c"]
    queue.close()


def test_a_student_has_one_run_asked_for_at_a_time_and_sees_their_place(tmp_path, model_file):
    app = make_app(tmp_path, model_file, slots=1)
    with TestClient(app, base_url=BASE):
        lea, tom = student(app, "Léa"), student(app, "Tom")
        assert lea.post("/api/train", json={"epochs": 3}).status_code == 202
        assert lea.post("/api/train", json={"epochs": 1}).status_code == 409  # at most one per student
        assert tom.post("/api/train", json={"epochs": 1}).status_code == 202
        me = tom.get("/api/classe/me").json()
        if me["state"] == "waiting":  # Léa's run still trains (it nearly always does)
            assert me["place"] == 1
            assert tom.post("/api/train/stop", json={}).json()["state"] == "stopped"  # leaves the queue at once
        assert finish(lea)["state"] == "done"


# ---------------------------------------------------------------------------
# Persistence
# ---------------------------------------------------------------------------


def test_a_restart_loses_no_student_and_no_finished_run(tmp_path, model_file):
    app = make_app(tmp_path, model_file, lesson="persist")
    with TestClient(app, base_url=BASE):
        lea = student(app, "Léa")
        assert lea.post("/api/train", json={"epochs": 1, "hidden": 15}).status_code == 202
        assert finish(lea)["state"] == "done"
        code = app.state.classroom.code
        cookies = dict(lea.cookies)
    again = make_app(tmp_path, model_file, lesson="persist")  # the same database, a new server
    with TestClient(again, base_url=BASE, cookies=cookies) as lea_again:
        assert again.state.classroom.code == code
        assert lea_again.get("/api/classe/me").json()["name"] == "Léa"
        assert lea_again.get("/api/model").json()["sizes"] == [784, 15, 10]
        state = lea_again.get("/api/classe/teacher/state", headers={"Authorization": f"Bearer {TOKEN}"}).json()
        assert [r["hidden"] for r in state["runs"]] == [15]
    db = LessonDB(tmp_path / "persist.sqlite")
    assert db._conn().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_another_programs_database_is_refused_and_left_unchanged(tmp_path):
    import sqlite3

    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    before = path.read_bytes()
    with pytest.raises(ReseauError) as caught:
        LessonDB(path)
    assert caught.value.key == "classe.error.foreign_db"
    assert path.read_bytes() == before
    with pytest.raises(ReseauError):
        create_classe_app("../evil", root=tmp_path)


# ---------------------------------------------------------------------------
# The class's answer (numbers made up, to watch the tables and sentences)
# ---------------------------------------------------------------------------


def run_row(k: int, test: float, **config) -> RunRow:
    settings = {"hidden": 20, "learn_rate": 0.01, "epochs": 3, "seed": 0, "engine": "fast"} | config
    return RunRow(
        k,
        k,
        f"s{k}",
        "faithful",
        settings,
        [80.0, 85.0, test - 1],
        [70.0, 80.0, test],
        [0.1] * 3,
        test,
        test - 1,
        0.3,
        0.0,
        60000,
        0.0,
    )


def test_pooled_runs_become_the_experiments_tables_and_sentences():
    runs = [
        run_row(1, 91.0, learn_rate=0.001),
        run_row(2, 93.0),
        run_row(3, 93.0),
        run_row(4, 93.5, seed=1),
        run_row(5, 94.0, learn_rate=0.1),
        run_row(6, 88.0, hidden=5, epochs=1),
    ]
    tables = class_tables(runs)
    assert [t.factor for t in tables] == ["lr"]  # hidden=5 came with epochs=1: it proves nothing alone
    lr = tables[0]
    assert [p.value() for p in lr.points] == [0.001, 0.01, 0.1]
    assert [p.n for p in lr.points] == [1, 2, 1]  # run 3 is run 2 again (same settings, same seed)
    sentences = conclusions(tables, "fr")
    assert any("lr = 0.1 " in s for s in sentences)  # the best rate, from the numbers
    assert "'=" not in to_csv(runs)  # names s1..s6: nothing to escape
    assert class_tables(runs[:1]) == []


def test_the_class_answer_times_runs_as_the_class_table_and_speaks_to_a_class():
    runs = [run_row(1, 91.0, learn_rate=0.001), run_row(2, 93.0), run_row(3, 94.0, learn_rate=0.1)]
    for k, row in enumerate(runs):  # small runs: the tests after each epoch take longer than the epochs
        row.epoch_seconds, row.seconds = [0.01, 0.01, 0.01], 0.7 + k / 10
    for lang, words in (("fr", "plusieurs élèves"), ("en", "several students")):
        found = class_answer(runs, lang)
        assert [round(p["seconds_mean"], 3) for p in found["tables"][0]["points"]] == [0.7, 0.8, 0.9]
        said = " ".join(found["conclusions"])
        assert "--seeds" not in said and words in said
        assert "--seeds" in " ".join(conclusions(class_tables(runs), lang))  # the command line's report keeps it



def test_a_runs_time_reads_the_same_in_the_class_table_and_the_answer(tmp_path):
    """0.8504 s kept as 0.850 in the runs table and as 0.8504 in the answer read "0,8 s" and "0,9 s"."""
    db = LessonDB(tmp_path / "lesson.sqlite")
    for k, (seconds, lr) in enumerate(((0.8504, 0.01), (1.2496, 0.1)), start=1):
        student = db.add_student(f"s{k}", f"session{k}")
        row = run_row(k, 93.0, learn_rate=lr)
        row.student, row.seconds = student.id, seconds
        db.add_run(row)
    runs = db.runs()
    shown = sorted(run_record(r)["seconds"] for r in runs)
    answered = sorted(p["seconds_mean"] for p in class_answer(runs, "fr")["tables"][0]["points"])
    assert shown == answered == [0.85, 1.25]


def test_a_run_that_leaves_the_studies_as_they_were_draws_no_plot_again(monkeypatch):
    from reseau.classe import answer

    drawn: list[str] = []
    draw = answer.draw_plot
    monkeypatch.setattr(answer, "draw_plot", lambda table, lang: drawn.append(table.factor) or draw(table, lang))
    monkeypatch.setattr(answer, "PLOTS", {})
    runs = [run_row(1, 91.0, learn_rate=0.001), run_row(2, 93.0), run_row(3, 94.0, learn_rate=0.1)]
    first = class_answer(runs, "fr")["plots"]
    assert drawn == ["lr"]
    again = class_answer([*runs, run_row(4, 80.0, hidden=5, epochs=1)], "fr")  # in no study: the same plot
    assert again["plots"] == first and drawn == ["lr"]
    class_answer([*runs, run_row(5, 95.0, learn_rate=0.5)], "fr")  # a new point of the study: drawn again
    class_answer(runs, "en")  # and in another language
    assert drawn == ["lr", "lr", "lr"]

# ---------------------------------------------------------------------------
# A Dask cluster
# ---------------------------------------------------------------------------


def test_trainings_go_to_a_dask_cluster(tmp_path, model_file):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        app = make_app(tmp_path, model_file, cluster=c.scheduler_address, slots=None)
        assert app.state.classroom.queue.slots == 1  # one per thread of the cluster
        with TestClient(app, base_url=BASE):
            lea = student(app, "Léa")
            assert lea.post("/api/train", json={"epochs": 2, "hidden": 10}).status_code == 202
            done = finish(lea)
            assert done["state"] == "done"
            assert [e["kind"] for e in done["events"]].count("epoch") == 2
            assert lea.get("/api/model").json()["sizes"] == [784, 10, 10]
            assert len(app.state.classroom.db.runs()) == 1


# ---------------------------------------------------------------------------
# A small class at once, over real HTTP (the 30-student version: benchmarks/bench_classe.py)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("traffic", ["drawings", "pages"])
def test_six_students_join_draw_and_train_at_once(tmp_path, model_file, traffic):
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from bench_classe import simulate

    result = simulate(6, 1, IMAGES, tmp_path, model_file, pause=0.2, traffic=traffic)
    assert result["failed"] == [] and result["out_of_order"] == []
    assert result["runs"] == 6 and result["done"] == 6
    assert result["teacher_loads"] >= 1  # the teacher's page, opened as a browser does, answered every request
    if traffic == "drawings":
        assert result["drawings"] >= 12  # each student draws before and after asking for a training


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def test_the_command_prints_the_teacher_and_students_addresses(tmp_path):
    env = os.environ | {"XDG_DATA_HOME": str(tmp_path), "RESEAU_LANG": "en"}
    cmd = [
        sys.executable,
        "-m",
        "reseau",
        "classe",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--no-browser",
        "--lesson",
        "cmd-test",
        "--max-epochs",
        "4",
        "--max-hidden",
        "30",
        "--modes",
        "faithful, modern",
        "--consigne",
        "only the learning rate",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines = []
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if "Students open" in line:
                break
        teacher = next(line for line in lines if "Teacher's page" in line).split()[-1]
        assert "/teacher?token=" in teacher
        page = httpx.get(
            teacher.replace("/teacher?", "/api/classe/teacher/state?").split("?")[0],
            headers={"Authorization": "Bearer " + teacher.split("token=")[1]},
        )
        assert page.status_code == 200 and page.json()["lesson"] == "cmd-test"
        limits = {
            "max_epochs": 4,
            "max_hidden": 30,
            "modes": ["faithful", "modern"],
            "constraint": "only the learning rate",
        }
        assert page.json()["limits"] == limits
    finally:
        proc.send_signal(signal.SIGINT)
        rest = proc.stdout.read()  # type: ignore[union-attr]  # (what the loop above had read ahead is here)
        proc.wait(60)
    assert "this computer only" in "".join(lines) + rest
    assert (tmp_path / "reseau" / "classe" / "cmd-test.sqlite").is_file()
    assert LessonDB(tmp_path / "reseau" / "classe" / "cmd-test.sqlite").get("limits") == limits  # kept for next time


def test_the_teachers_limits_on_the_command_line_are_kept_and_a_later_start_changes_only_those_given(
    tmp_path, model_file
):
    make_app(tmp_path, model_file, lesson="kept", limits=teacher_limits(3, 40, "faithful,modern", " seul  lr "))
    again = make_app(tmp_path, model_file, lesson="kept", limits=teacher_limits(max_epochs=6))
    limits = again.state.classroom.limits
    assert (limits.max_epochs, limits.max_hidden, limits.modes, limits.constraint) == (
        6,
        40,
        ("faithful", "modern"),
        "seul lr",
    )
    plain = make_app(tmp_path, model_file, lesson="plain")  # nothing given: today's defaults
    assert plain.state.classroom.limits == Limits()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--max-epochs", "0"], "--max-epochs doit être un entier de 1 à 100 (reçu : 0)"),
        (["--max-hidden", "5000"], "--max-hidden doit être un entier de 1 à 1000 (reçu : 5000)"),
        (["--modes", "faithful,fidele"], "« fidele » n'est pas un mode (modes : faithful, modern, cnn"),
        (["--modes", " , "], "--modes doit nommer au moins un mode"),
        (["--consigne", "x" * 301], "La consigne fait 301 caractères : 300 au plus."),
        (["--max-epochs", "beaucoup"], "beaucoup"),
    ],
)
def test_wrong_limits_on_the_command_line_are_refused_clearly_before_anything_starts(
    tmp_path, capsys, monkeypatch, args, words
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    code = run(["classe", "--lang", "fr", "--host", "127.0.0.1", "--no-browser", "--lesson", "refused", *args])
    out = capsys.readouterr()
    assert code == 2
    assert words in " ".join((out.out + out.err).split()), out
    assert "Traceback" not in out.err
    assert not (tmp_path / "reseau" / "classe" / "refused.sqlite").exists()  # no lesson was made


def test_the_command_help_shows_the_teachers_limits_in_both_languages(capsys):
    for lang, words in (("fr", "Modes permis"), ("en", "Modes allowed")):
        assert run(["classe", "--help", "--lang", lang]) == 0
        text = " ".join(capsys.readouterr().out.split())
        assert all(option in text for option in ("--max-epochs", "--max-hidden", "--modes", "--consigne"))
        assert words in text
