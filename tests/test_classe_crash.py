"""``reseau classe`` killed mid-lesson (SIGKILL, as a power cut or a closed laptop lid would): nothing lost.

A real ``reseau classe`` process (kept to two trainings at once by its CPU affinity) serves ten students,
each asking for a training of the document's network; it is killed with SIGKILL while one or more runs
have finished, some train and some wait, then started again on the same lesson and port.  Checked: the
lesson's file passes SQLite's ``PRAGMA integrity_check``; every student and every finished run is there,
every model file loads; each run that had not finished is shown to its student as stopped, with the
sentence saying the server stopped (and after how many epochs), and to the teacher as cut off; the
command says how many; a student whose run was cut off trains again and it finishes.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from reseau import modelfile
from reseau.classe.db import LessonDB
from reseau.i18n import counted, t

STUDENTS = 10
LESSON = "killed"
WAIT = 60  # seconds any step may take on a busy machine before the test gives up


def start_server(env: dict[str, str], port: int = 0) -> tuple[subprocess.Popen, str, str, list[str]]:
    """``reseau classe`` in a process of its own, on two cores; (process, base URL, token, lines it printed)."""
    cmd = [sys.executable, "-m", "reseau", "classe", "--host", "127.0.0.1", "--port", str(port), "--no-browser"]
    cmd += ["--lesson", LESSON, "--joins-per-minute", str(2 * STUDENTS)]  # ten students from one address
    two = set(sorted(os.sched_getaffinity(0))[:2])  # two trainings at once (one per core), wherever it runs
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        preexec_fn=lambda: os.sched_setaffinity(0, two),
    )  # fmt: skip
    lines = []
    for line in proc.stdout:  # type: ignore[union-attr]
        lines.append(line)
        if "Students open" in line:
            break
    teacher = next((line for line in lines if "Teacher's page" in line), None)
    assert teacher is not None, "".join(lines)
    url = teacher.split()[-1]
    return proc, url.split("teacher?")[0], url.split("token=")[1], lines


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"waited {WAIT} s for {what}")


def middle_of_the_lesson(teacher: httpx.Client, path: Path) -> dict | None:
    """The teacher's view once a run has finished, one trains past its first epoch and one waits; else None.

    The epoch is also looked for in the lesson's file (``path``): the teacher's page shows a curve as soon as the
    epoch ends, a moment before the server writes it down, and a kill in between is a run cut before its epoch.
    """
    state = teacher.get("/api/classe/teacher/state").json()
    doing = [s["state"] for s in state["students"]]
    training = [s for s in state["students"] if s["state"] == "training" and s["curve"]]
    if not (state["runs"] and training and "waiting" in doing):
        return None
    with sqlite3.connect(path) as conn:
        written = conn.execute("SELECT max(epochs_done) FROM asked WHERE state = 'training'").fetchone()[0]
    return state if written else None


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux: the server's cores are set")
@pytest.mark.may_skip
def test_a_server_killed_during_ten_trainings_loses_nothing_and_tells_each_student(tmp_path, model_file):
    env = os.environ | {"XDG_DATA_HOME": str(tmp_path), "RESEAU_LANG": "en", "RESEAU_MODEL": str(model_file)}
    proc, base, token, _ = start_server(env)
    teacher = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=WAIT)
    students = [httpx.Client(base_url=base, timeout=WAIT) for _ in range(STUDENTS)]
    try:
        code = teacher.get("/api/classe/teacher/state").json()["code"]
        for k, client in enumerate(students):
            assert client.post("/api/classe/join", json={"code": code, "name": f"Élève {k}"}).status_code == 200
        for k, client in enumerate(students):  # the first two short, the others long enough to be cut off
            answer = client.post("/api/train", json={"epochs": 1 if k < 2 else 4, "seed": k})
            assert answer.status_code == 202, answer.text
        path = tmp_path / "reseau" / "classe" / f"{LESSON}.sqlite"
        before = wait_for(lambda: middle_of_the_lesson(teacher, path), "a run finished, one past an epoch, one waiting")
        proc.send_signal(signal.SIGKILL)
        proc.wait(WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()  # type: ignore[union-attr]
    with sqlite3.connect(path) as conn:  # the file as the kill left it (its WAL read back, as a restart does)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finished = {row[0] for row in conn.execute("SELECT student FROM runs")}
    assert {r["run"] for r in before["runs"]} <= {r.id for r in LessonDB(path).runs()}  # none lost

    port = int(base.rstrip("/").rsplit(":", 1)[1])
    proc, base, token, printed = start_server(env, port)  # the teacher starts the same lesson again
    try:
        cut_off = STUDENTS - len(finished)
        assert t("classe.cli.interrupted", lang="en", n=cut_off) in " ".join("".join(printed).split())
        teacher.headers["Authorization"] = f"Bearer {token}"  # a new start prints a new token
        state = teacher.get("/api/classe/teacher/state").json()
        assert [s["name"] for s in state["students"]] == [f"Élève {k}" for k in range(STUDENTS)]
        assert len(state["runs"]) == len(finished) >= len(before["runs"])
        db = LessonDB(path)
        told = {row.student: row.epochs_done for row in db.asked("interrupted")}
        assert set(told) == {s["id"] for s in state["students"]} - finished  # every run not finished is told
        assert max(told.values()) >= 1 and min(told.values()) == 0  # one was training, one waiting
        for s, client in zip(state["students"], students, strict=True):
            assert s["state"] == ("interrupted" if s["id"] in told else "away"), s
            status = client.get("/api/train", params={"lang": "fr"}).json()
            if s["id"] in told:
                assert status["state"] == "stopped"
                epochs = counted(told[s["id"]], "unit.complete_epoch", "fr")
                assert status["events"][-1]["message"] == t("classe.train.interrupted", lang="fr", epochs=epochs)
            else:
                assert client.get("/api/classe/me").json()["runs"] == 1
        for model in (tmp_path / "reseau" / "classe" / LESSON / "students").glob("*/*.safetensors"):
            modelfile.load(model)  # every network kept loads, its weights' checksum verified
        again = students[-1]  # cut off (the last to ask): trains again, and the run is kept
        assert again.post("/api/train", json={"epochs": 1, "seed": 1}).status_code == 202
        wait_for(lambda: again.get("/api/train").json()["state"] == "done", "the run asked after the restart")
        assert again.get("/api/classe/me").json()["runs"] == 1
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=WAIT)
        for client in (teacher, *students):
            client.close()
    assert LessonDB(path).integrity() == "ok"
    last = state["students"][-1]["id"]  # its run finished: nothing more to tell; the others' still wait to be read
    assert {row.student for row in LessonDB(path).asked()} == set(told) - {last}


def test_a_lesson_stopped_by_the_teacher_tells_the_students_whose_runs_it_cut_off(tmp_path, model_file):
    """Ctrl-C (the server stops its runs itself): the same as a kill for the students, told after the restart."""
    from fastapi.testclient import TestClient

    from reseau.classe import create_classe_app

    def app():
        return create_classe_app("ctrl-c", root=tmp_path, host="127.0.0.1", train_images=2000, slots=1,
                                 start_model=model_file, limits={"max_epochs": 100})  # fmt: skip

    first = app()
    code = first.state.classroom.code
    with TestClient(first, base_url="http://127.0.0.1") as lea, TestClient(first, base_url="http://127.0.0.1") as tom:
        for client, name in ((lea, "Léa"), (tom, "Tom")):
            assert client.post("/api/classe/join", json={"code": code, "name": name}).status_code == 200
            assert client.post("/api/train", json={"epochs": 100}).status_code == 202  # long: stopped before its end
        first_epoch = lambda: any(e["kind"] == "epoch" for e in lea.get("/api/train").json()["events"])  # noqa: E731
        wait_for(first_epoch, "Léa's first epoch")
    classroom = app().state.classroom
    assert classroom.interrupted == 2
    for student in classroom.loaded().values():
        assert classroom.doing(student.id)["state"] == "interrupted"
        assert student.trainer.state == "stopped" and student.trainer.interrupted
    assert {row.student: row.epochs_done >= 1 for row in classroom.db.asked("interrupted")} == {1: True, 2: False}
