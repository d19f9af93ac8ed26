"""The lesson's roster (issue 24): a per-address limit on joins, joining closed and reopened, the lesson's
size, removing (keeping or deleting runs) and renaming a student, the resume code that gives a student her
work back on another browser; all of it kept in the lesson file across restarts.  Also the printable
summary's curve (axes, the page's colours) and the student's notes fitted to the modes allowed."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from reseau.classe import create_classe_app, roster
from reseau.classe.db import LessonDB, RunRow
from reseau.classe.limits import JOINS_PER_MINUTE
from reseau.classe.pages import curve
from reseau.cli import run
from reseau.web.errors import WebError
from reseau.web.routes.page import STATIC as WEB_STATIC
from reseau.web.server import BackgroundServer

TOKEN = "roster-token-for-tests"
BASE = "http://127.0.0.1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def make_app(root: Path, model_file: Path | None, **kw):
    return create_classe_app("roster", root=root, host="127.0.0.1", token=TOKEN, slots=1, start_model=model_file, **kw)


def client(app, address: str = "10.0.0.1") -> TestClient:
    """A browser on its own computer: its own address, its own cookies."""
    return TestClient(app, base_url=BASE, client=(address, 50000))


def join(browser: TestClient | httpx.Client, app, name: str):
    return browser.post("/api/classe/join", json={"code": app.state.classroom.code, "name": name})


def state(teacher: TestClient | httpx.Client) -> dict:
    return teacher.get("/api/classe/teacher/state", headers=AUTH).json()


def a_run(student: int, accuracy: float = 90.0) -> RunRow:
    return RunRow(0, student, "", "faithful", {"epochs": 1, "hidden": 20}, [88.0], [accuracy], [0.5], accuracy,
                  88.0, 0.5, 0.0, 2000, time.time())  # fmt: skip


def test_one_client_with_the_code_cannot_fill_the_lesson_and_the_teacher_cleans_up_for_good(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, headers=AUTH) as teacher:
        answers = []
        with httpx.Client(base_url=server.url) as flood:  # over HTTP, as the 185 fakes came
            for k in range(500):  # no delay, no cookie kept: every attempt a new « student »
                flood.cookies.clear()
                answers.append(join(flood, app, f"Faux {k}"))
            fake_cookie = dict(flood.cookies)
        accepted = [a for a in answers if a.status_code == 200]
        assert 0 < len(accepted) <= JOINS_PER_MINUTE
        refused = [a for a in answers if a.status_code != 200]
        assert {a.status_code for a in refused} == {429} and {a.json()["key"] for a in refused} == {"classe.error.wait"}
        wait = int(re.search(r"attendez (\d+) s", refused[-1].json()["detail"]).group(1))
        assert 1 <= wait <= 60
        assert len(state(teacher)["students"]) == len(accepted)
        assert join(client(app, "10.0.0.2"), app, "Léa").status_code == 200  # another computer is not held back
        # the teacher closes joining, then removes the fakes (their runs with them)
        closed = teacher.post("/api/classe/teacher/joining", json={"open": False, "size": 30})
        assert closed.json() == {"open": False, "size": 30}
        for s in state(teacher)["students"]:
            if s["name"].startswith("Faux"):
                path = f"/api/classe/teacher/students/{s['id']}/remove"
                assert teacher.post(path, json={"runs": "delete"}).status_code == 200
        assert [s["name"] for s in state(teacher)["students"]] == ["Léa"]
        refused = join(client(app, "10.0.0.3"), app, "Tom")
        assert refused.status_code == 403 and refused.json()["key"] == "classe.error.closed"
        fake = client(app, "10.0.0.66")
        fake.cookies.update(fake_cookie)
        assert fake.get("/api/classe/me").status_code == 401  # a removed student's cookie opens nothing
    # restarted: still closed, the fakes still gone; reopened, real students join
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE, headers=AUTH) as teacher:
        assert state(teacher)["joining"] == {"open": False, "size": 30, "students": 1, "sizes": roster.SIZE.as_list()}
        assert [s["name"] for s in state(teacher)["students"]] == ["Léa"]
        assert join(client(app, "10.0.0.3"), app, "Tom").status_code == 403
        teacher.post("/api/classe/teacher/joining", json={"open": True, "size": 30})
        for k, name in enumerate(("Tom", "Inès", "Faux 0")):  # a fake's name is free again
            assert join(client(app, f"10.0.1.{k}"), app, name).status_code == 200
        assert len(state(teacher)["students"]) == 4


def test_the_limit_counts_a_minute_of_attempts_and_says_how_long_to_wait(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(roster.time, "monotonic", lambda: now[0])
    limiter = roster.JoinLimiter(3)
    for _ in range(3):
        limiter.check("a")
        now[0] += 10
    with pytest.raises(WebError) as caught:
        limiter.check("a")
    assert caught.value.key == "classe.error.wait" and caught.value.params["seconds"] == 30  # the first at 1000
    limiter.check("b")  # another address has its own minute
    now[0] = 1060.5  # the first attempt is a minute old: one more is allowed, not two
    limiter.check("a")
    with pytest.raises(WebError):
        limiter.check("a")


def test_the_lessons_size_is_the_teachers_and_kept(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE) as teacher:
        assert state(teacher)["joining"]["size"] == roster.DEFAULT_SIZE
        for size in (0, roster.SIZE.high + 1):
            wrong = teacher.post("/api/classe/teacher/joining", json={"open": True, "size": size}, headers=AUTH)
            assert wrong.status_code == 422 and wrong.json()["field"] == "size"
        for missing in ({"open": None, "size": 2}, {"open": True}, {"open": "yes", "size": 2}):
            assert teacher.post("/api/classe/teacher/joining", json=missing, headers=AUTH).status_code == 422
        assert teacher.post("/api/classe/teacher/joining", json={"open": True, "size": 2}).status_code == 401
        teacher.post("/api/classe/teacher/joining", json={"open": True, "size": 2}, headers=AUTH)
        assert join(client(app, "10.0.0.1"), app, "Léa").status_code == 200
        assert join(client(app, "10.0.0.2"), app, "Tom").status_code == 200
        full = join(client(app, "10.0.0.3"), app, "Inès")
        assert (
            full.status_code == 403
            and full.json()["key"] == "classe.error.full"
            and "2 élèves" in full.json()["detail"]
        )
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE):
        assert app.state.classroom.joining.size == 2


def test_removing_a_student_keeps_or_deletes_their_runs_and_frees_their_name(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    db = app.state.classroom.db
    with TestClient(app, base_url=BASE) as teacher:
        lea, tom = client(app, "10.0.0.1"), client(app, "10.0.0.2")
        join(lea, app, "Léa"), join(tom, app, "Tom")
        ids = {s["name"]: s["id"] for s in state(teacher)["students"]}
        db.add_run(a_run(ids["Léa"], 91.0)), db.add_run(a_run(ids["Tom"], 85.0)), db.add_run(a_run(ids["Tom"]))
        assert lea.get("/api/model").status_code == 200  # her folder made
        folder = app.state.classroom.folder / "students" / str(ids["Léa"])
        assert folder.is_dir()
        assert lea.post(f"/api/classe/teacher/students/{ids['Tom']}/remove", json={"runs": "delete"}).status_code == 401
        kept = teacher.post(f"/api/classe/teacher/students/{ids['Léa']}/remove", json={"runs": "keep"}, headers=AUTH)
        assert kept.json() == {"id": ids["Léa"], "deleted_runs": 0}
        assert lea.get("/api/classe/me").status_code == 401 and not folder.exists()
        after = state(teacher)
        assert [s["name"] for s in after["students"]] == ["Tom"]
        assert sorted(r["student"] for r in after["runs"]) == ["Léa", "Tom", "Tom"]  # her run still counts
        gone = teacher.post(f"/api/classe/teacher/students/{ids['Tom']}/remove", json={"runs": "delete"}, headers=AUTH)
        assert gone.json()["deleted_runs"] == 2
        assert [r["student"] for r in state(teacher)["runs"]] == ["Léa"]
        again = teacher.post(f"/api/classe/teacher/students/{ids['Tom']}/remove", json={"runs": "delete"}, headers=AUTH)
        assert again.status_code == 404
        assert (
            teacher.post("/api/classe/teacher/students/99/remove", json={"runs": "maybe"}, headers=AUTH).status_code
            == 422
        )
        assert join(client(app, "10.0.0.3"), app, "léa").status_code == 200  # the name is free
    with sqlite3.connect(db.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_teacher_renames_a_student(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE) as teacher:
        lea, tom = client(app, "10.0.0.1"), client(app, "10.0.0.2")
        join(lea, app, "Lea"), join(tom, app, "Tom")
        lea_id = state(teacher)["students"][0]["id"]
        path = f"/api/classe/teacher/students/{lea_id}/rename"
        taken = teacher.post(path, json={"name": "tom"}, headers=AUTH)
        assert taken.status_code == 409 and taken.json()["key"] == "classe.error.name_taken"
        assert teacher.post(path, json={"name": "   "}, headers=AUTH).json()["key"] == "classe.error.name"
        assert teacher.post(path, json={"name": " Léa   M. "}, headers=AUTH).json()["name"] == "Léa M."
        assert lea.get("/api/classe/me").json()["name"] == "Léa M."
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE) as teacher:
        assert [s["name"] for s in state(teacher)["students"]] == ["Léa M.", "Tom"]


def test_a_student_whose_browser_forgot_her_gets_her_work_back_with_the_teachers_code(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE) as teacher:
        old = client(app, "10.0.0.1")
        join(old, app, "Léa")
        lea_id = state(teacher)["students"][0]["id"]
        app.state.classroom.db.add_run(a_run(lea_id))
        new = client(app, "10.0.0.9")  # cookies cleared, another computer: her name is taken
        taken = join(new, app, "Léa")
        assert taken.status_code == 409 and "code de reprise" in taken.json()["detail"]
        given = teacher.post(f"/api/classe/teacher/students/{lea_id}/resume", json={}, headers=AUTH).json()
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", given["code"])
        code = given["code"].replace("-", "")
        assert given["url"].endswith(f"/?resume={code}")
        assert "join.js" in old.get(f"/?resume={code}").text  # the link opens the join page, even joined
        wrong = new.post("/api/classe/resume", json={"code": "AAAA-BBBB"})
        assert wrong.status_code == 403 and wrong.json()["key"] == "classe.error.resume"
        typed = f" {given['code'].lower()} "  # as typed from the board
        assert new.post("/api/classe/resume", json={"code": typed}).json()["name"] == "Léa"
        me = new.get("/api/classe/me").json()
        assert me["name"] == "Léa" and me["runs"] == 1  # her work
        assert old.get("/api/classe/me").status_code == 401  # the old browser lost it
        assert new.post("/api/classe/resume", json={"code": code}).status_code == 403  # used once
        # a code given before a restart still works after it; one older than a day does not
        code = teacher.post(f"/api/classe/teacher/students/{lea_id}/resume", json={}, headers=AUTH).json()["code"]
        stale = teacher.post(f"/api/classe/teacher/students/{lea_id}/resume", json={}, headers=AUTH).json()["code"]
        assert code != stale
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE):
        third = client(app, "10.0.0.10")
        assert third.post("/api/classe/resume", json={"code": code}).status_code == 403  # replaced by the newer
        with sqlite3.connect(app.state.classroom.db.path) as conn:
            conn.execute("UPDATE students SET resume_until = ?", (time.time() - 1,))
        assert third.post("/api/classe/resume", json={"code": stale}).status_code == 403  # too old
        app.state.classroom.db.set_resume(lea_id, "KEPTCODE", time.time() + 60)
        assert third.post("/api/classe/resume", json={"code": "KEPT-CODE"}).json()["name"] == "Léa"


def test_resume_codes_are_tried_under_the_same_limit_as_joins(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE):
        guesser = client(app, "10.0.0.66")
        codes = [guesser.post("/api/classe/resume", json={"code": f"AAAA{k:04d}"}).status_code for k in range(50)]
        assert codes.count(403) == JOINS_PER_MINUTE and codes.count(429) == 50 - JOINS_PER_MINUTE


def test_a_lesson_file_from_before_the_roster_keeps_its_students_and_runs(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:  # the schema as it was written before (version 1)
        conn.execute(f"PRAGMA application_id={0x52434C53}")
        conn.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, "
            "session TEXT NOT NULL UNIQUE, joined REAL NOT NULL);"
            "CREATE TABLE runs (id INTEGER PRIMARY KEY, student INTEGER NOT NULL REFERENCES students(id), "
            "mode TEXT NOT NULL, config TEXT NOT NULL, precisions TEXT NOT NULL, tests TEXT NOT NULL, "
            "epoch_seconds TEXT NOT NULL, test_accuracy REAL, precision REAL, seconds REAL NOT NULL, "
            "waited REAL NOT NULL, n_train INTEGER NOT NULL, finished REAL NOT NULL);"
            "INSERT INTO students VALUES (7, 'Léa', 'x', 1.0);"
        )
    db = LessonDB(path)
    db.add_run(a_run(7))
    assert [s.name for s in db.students()] == ["Léa"] and db.runs()[0].name == "Léa"
    db.remove_student(7, keep_runs=True)
    assert db.add_student("Léa", "new") is not None  # a removed name is free: the old UNIQUE is gone
    assert db.add_student("LéA", "other") is None  # among students in the lesson, still unique (NOCASE)
    db.close()
    db = LessonDB(path)  # opened again: nothing to change twice
    assert [r.name for r in db.runs()] == ["Léa"] and [s.name for s in db.students()] == ["Léa"]
    db.close()


def test_the_printable_summary_has_axes_and_the_pages_colours(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE) as teacher:
        lea = client(app)
        join(lea, app, "Léa")
        app.state.classroom.db.add_run(a_run(1))
        page = teacher.get("/teacher/students/1/summary?lang=fr", headers=AUTH).text
    colours = dict(re.findall(r"(precision|test): \"(#[0-9a-f]{6})\"", (WEB_STATIC / "app.js").read_text()))
    lines = re.findall(r'<polyline fill="none" stroke="(#[0-9a-f]{6})" stroke-width="2"', page)
    assert lines == [colours["precision"], colours["test"]]  # « Précision » then test, coloured as on the page
    assert "Précision » de chaque epoch (bleu)" in page and "test (orange)" in page
    assert 'class="axes"' in page and "% reconnues" in page and ">epoch<" in page
    assert re.findall(r'class="y-tick"[^>]*>([^<]+)<', page)[-1] == "100 %"
    low = curve([30.0], [None], "en")  # a poor run: the axis goes lower, still up to 100 %
    assert low["y_ticks"][0][1] == "30 %" and low["y_ticks"][-1][1] == "100 %"


def test_a_student_allowed_no_convolutional_network_is_not_told_about_one(tmp_path, model_file):
    app = make_app(tmp_path, model_file)
    with TestClient(app, base_url=BASE) as teacher:
        lea = client(app)
        join(lea, app, "Léa")
        assert lea.get("/api/classe/me").json()["convolutional"] is False  # the default: faithful only
        limits = {"max_epochs": 2, "max_hidden": 30, "modes": ["faithful", "cnn"], "constraint": ""}
        teacher.post("/api/classe/teacher/limits", json=limits, headers=AUTH)
        assert lea.get("/api/classe/me").json()["convolutional"] is True


def test_the_joins_per_minute_option_is_checked_before_anything_starts(capsys):
    assert run(["classe", "--joins-per-minute", "0", "--no-browser"]) == 2
    assert "--joins-per-minute" in capsys.readouterr().err
