"""The lesson: its code, its students and their own things, its limits, its finished runs, the class's answer.

A :class:`Classroom` is what the routes (:mod:`reseau.classe.routes`) work
on.  Everything lasting is in the lesson's SQLite file
(:mod:`reseau.classe.db`) and the students' model folders beside it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from reseau import modelfile, trainers
from reseau.classe import answer, roster
from reseau.classe.db import AskedRow, LessonDB, RunRow
from reseau.classe.paths import PathHider
from reseau.classe.queue import ClassTrainer, LimitedCache, Limits, TrainQueue
from reseau.errors import ModelFileError, ReseauError
from reseau.web.deps import Context
from reseau.web.errors import WebError
from reseau.web.jobs import Plan
from reseau.web.state import DataCache, ModelShelf, ModelStore, Sessions

log = logging.getLogger("reseau.classe")
LESSON_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DEFAULT_LESSON = "classe"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from the board without doubt
CODE_LENGTH = 6
MAX_NAME = 40  # characters of a first name
STEP_SESSIONS = 4  # « Pas à pas » networks kept per student
START_MODEL = "start.safetensors"  # the network every student starts with (the document's, trained once)
MODEL = "model.safetensors"


def lessons_dir() -> Path:
    """Where lessons are kept: ``<user data dir>/classe`` (``<lesson>.sqlite`` and ``<lesson>/``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("reseau")) / "classe"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(code: str) -> str:
    """``" k7p-3qx "`` -> ``"K7P3QX"``: what a student types, as the server compares it."""
    return re.sub(r"[\s-]", "", code).upper()


def clean_name(name: str) -> str:
    """A first name as shown: spaces trimmed and single; 422 if empty, too long or not printable."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise WebError("classe.error.name", status=422, field="name", max=MAX_NAME)
    return name


@dataclass
class Student:
    """A student's own things: the web page's context (with their trainer), and their « Pas à pas » networks."""

    id: int
    name: str
    ctx: Context
    steps: Sessions
    trainer: ClassTrainer  # ctx.trainer, as the class's


class Classroom:
    """The lesson: its database, its students (loaded when first seen), the training queue."""

    def __init__(
        self,
        lesson: str,
        root: Path,
        data_dir: Path | None,
        lang: str,
        slots: int,
        executor: Any = None,
        limit: int | None = None,
        start_model: Path | None = None,
        limits: dict[str, Any] | None = None,
        joins_per_minute: int = roster.JOINS_PER_MINUTE,
    ) -> None:
        """``limits``: the teacher's, from the command line (:func:`~reseau.classe.queue.teacher_limits`),
        replacing those the lesson stored; the others stay as stored (or the defaults).
        ``joins_per_minute``: join attempts a minute from one address (:class:`~reseau.classe.roster.JoinLimiter`)."""
        if not LESSON_NAME.match(lesson):
            raise ReseauError("classe.error.lesson_name", name=lesson)
        self.lesson = lesson
        self.folder = root / lesson
        self.db = LessonDB(root / f"{lesson}.sqlite")
        self.code = self.db.get("code") or new_code()
        self.db.put("code", self.code)
        self.limits = Limits.from_dict(self.db.get("limits", {}) | (limits or {}))
        if limits:
            self.db.put("limits", self.limits.to_dict())
        self.hider = PathHider(root)  # the lessons' folder: no student reads a path under it
        self.lang = lang
        self.cache = DataCache(data_dir)
        self.queue = TrainQueue(slots, executor, str(data_dir) if data_dir else None, limit)
        self.train_cache = LimitedCache(self.cache, limit)
        self.start_model = start_model if start_model and start_model.is_file() else self.folder / START_MODEL
        self.public_url: str | None = None  # the students' address, once the server is bound
        self._students: dict[int, Student] = {}
        self._lock = threading.Lock()
        self._answers: dict[str, tuple[tuple[int, int], dict]] = {}  # language -> (its runs', the latest answer)
        self.joins = roster.JoinLimiter(joins_per_minute)
        self.joining = roster.Joining.from_dict(self.db.get("joining", {}))
        self._answering = threading.Lock()  # one answer computed at a time: whoever waits for it finds it ready
        self._answer_langs: set[str] = set()  # the languages the teacher's page reads the answer in
        self._stale = False  # a run has arrived since the background's last answer
        self._refreshing = False  # the background is computing the answer again
        self.closing = False  # the server is stopping: the runs it stops are interrupted, not the students' doing
        self.interrupted = self.db.interrupt()  # runs the last server did not finish (killed, or stopped)
        self._tell_interrupted()

    def _tell_interrupted(self) -> None:
        """Each run the last server did not finish shows as stopped, with why, to its student and the teacher."""
        for row in self.db.asked("interrupted"):
            try:
                trainer = self.student(row.student).trainer
            except WebError:  # no such student any more
                self.db.forget(row.student)
                continue
            trainer.show_interrupted(plan_of(row), row.epochs_done)

    def join(self, code: str, name: str, session: str | None, address: str | None = None) -> tuple[Student, str]:
        """The student joining with ``code`` and ``name`` (or already joined: ``session``), and their session.
        Every attempt counts against ``address``'s limit (429 beyond it); a new student needs joining open
        and room in the lesson (403)."""
        self.joins.check(address)
        if not secrets.compare_digest(clean_code(code).encode(), self.code.encode()):
            raise WebError("classe.error.code", status=403, field="code")
        known = self.by_session(session) if session else None
        if known is not None:
            return known, session  # type: ignore[return-value]  # known: the session is not None
        name = clean_name(name)
        self.joining.check(len(self.db.students()))
        session = secrets.token_urlsafe(24)
        row = self.db.add_student(name, session)
        if row is None:
            raise WebError("classe.error.name_taken", status=409, field="name", name=name)
        return self.student(row.id), session

    # -- the roster: the teacher's hand on who is in the lesson (issue 24; see reseau.classe.roster) -----

    def set_joining(self, joining: roster.Joining) -> None:
        self.joining = joining
        self.db.put("joining", joining.to_dict())

    def rename(self, student_id: int, name: str) -> str:
        """Give a student another first name (422 if not a name, 409 if another student has it)."""
        self._row(student_id)
        name = clean_name(name)
        if not self.db.rename_student(student_id, name):
            raise WebError("classe.error.name_taken", status=409, field="name", name=name)
        found = self.loaded().get(student_id)
        if found is not None:
            found.name = name
        return name

    def remove(self, student_id: int, keep_runs: bool) -> int:
        """Take a student out: their training stopped, their session closed, their models' folder deleted;
        their finished runs kept in the class's answer or deleted.  Returns how many runs were deleted."""
        self._row(student_id)
        gone = self.db.remove_student(student_id, keep_runs)  # first: from now on their session loads nothing
        with self._lock:
            found = self._students.pop(student_id, None)
        if found is not None and found.trainer.running:
            with contextlib.suppress(WebError):  # it may have ended meanwhile
                found.trainer.stop()  # a stopped run is not stored: nothing comes back under their id
        shutil.rmtree(self.folder / "students" / str(student_id), ignore_errors=True)
        if gone:
            self._answer_soon()  # the class's answer without their runs
        return gone

    def resume_code(self, student_id: int) -> str:
        """A new one-use code giving this student's work to another browser (the last one given stops working)."""
        self._row(student_id)
        code = roster.new_resume_code()
        self.db.set_resume(student_id, code, time.time() + roster.RESUME_SECONDS)
        return code

    def resume(self, code: str, address: str | None = None) -> tuple[Student, str]:
        """The student whose resume ``code`` this is, and their new session (the old one opens nothing)."""
        self.joins.check(address)  # the same limit as joining: nobody tries codes in bulk
        session = secrets.token_urlsafe(24)
        row = self.db.resume(clean_code(code), session)
        if row is None:
            raise WebError("classe.error.resume", status=403, field="code")
        return self.student(row.id), session

    def _row(self, student_id: int) -> None:
        if self.db.student(student_id) is None:
            raise WebError("classe.error.no_student", status=404, id=student_id)

    def by_session(self, session: str) -> Student | None:
        row = self.db.student_by_session(session)
        return self.student(row.id) if row else None

    def student(self, student_id: int) -> Student:
        """The student's objects, made on first use (their model loaded from their folder)."""
        with self._lock:
            found = self._students.get(student_id)
            if found is not None:
                return found
            row = self.db.student(student_id)
            if row is None:
                raise WebError("classe.error.no_student", status=404, id=student_id)
            folder = self.folder / "students" / str(student_id)
            folder.mkdir(parents=True, exist_ok=True)
            if not (folder / MODEL).exists() and self.start_model.is_file():
                shutil.copyfile(self.start_model, folder / MODEL)  # everyone starts with the document's network
            store = modelfile_store(folder / MODEL)
            shelf = ModelShelf(folder)
            trainer = ClassTrainer(
                store, shelf, self.train_cache, self.queue, lambda: self.limits, self._finished, journal=self._journal
            )
            trainer.shown = partial(self.hider.event, lang=self.lang)  # a run's end as its student reads it
            ctx = Context(store, shelf, self.cache, trainer, self.lang, self.folder / "report", False)
            trainer.student_id = row.id
            found = self._students[student_id] = Student(row.id, row.name, ctx, Sessions(STEP_SESSIONS), trainer)
            return found

    def loaded(self) -> dict[int, Student]:
        with self._lock:
            return dict(self._students)

    def _journal(self, trainer: ClassTrainer, what: str, plan: Plan) -> None:
        """Where a student's run stands, in the lesson's file (:class:`~reseau.classe.db.LessonDB`'s ``asked``)."""
        if what == "asked":
            self.db.ask(trainer.student_id, plan.config.mode, plan.config.to_dict(), plan.dataset, plan.preset)
        else:  # "training", or an epoch has ended
            self.db.note(trainer.student_id, "training", len(trainer.epochs()))

    def _finished(self, trainer: ClassTrainer, state: str, done: dict[str, Any]) -> None:
        """A finished run is stored at once (a run stopped or failed is not a result)."""
        if state != "done" or trainer.plan is None:
            if not self.closing:  # stopped by its student, or failed: nothing to tell after a restart
                self.db.forget(trainer.student_id)
            return
        epochs = trainer.epochs()
        images, _ = trainer.cache.get("train", trainer.plan.dataset)
        each = [float(e.get("seconds") or 0.0) for e in epochs]
        if epochs and not any(each):  # the trainer timed the whole run only: share it out
            each = [float(done["seconds"]) / len(epochs)] * len(epochs)
        self.db.add_run(
            RunRow(
                0,
                trainer.student_id,
                "",
                trainer.plan.config.mode,
                trainer.plan.config.to_dict(),
                [float(e["precision"]) for e in epochs],
                [None if e.get("test_accuracy") is None else float(e["test_accuracy"]) for e in epochs],
                each,
                done.get("test_accuracy"),
                float(epochs[-1]["precision"]) if epochs else None,
                float(done["seconds"]),
                trainer.waited,
                len(images),
                time.time(),
            )
        )
        self._answer_soon()

    def students_url(self, base: str | None = None) -> str:
        """The address students open, with the code (what the QR code says): on :attr:`public_url` once
        the server is bound, else on ``base`` (the address a request came to)."""
        return f"{(self.public_url or base or 'http://127.0.0.1/').rstrip('/')}/?code={self.code}"

    def set_limits(self, limits: Limits) -> None:
        self.limits = limits
        self.db.put("limits", limits.to_dict())

    def doing(self, student_id: int) -> dict[str, Any]:
        """What a student is doing now: state, place in the queue, epoch, and the current run's curve."""
        found = self.loaded().get(student_id)
        if found is None:
            return {"state": "away", "place": None, "curve": [], "progress": None, "plan": None}
        trainer = found.trainer
        place = self.queue.place(trainer)
        state: str = trainer.state
        if state == "running":
            state = "waiting" if place is not None or trainer.started_at is None else "training"
        elif trainer.interrupted:
            state = "interrupted"  # cut off by the server's stop, not by its student
        progress, plan = trainer.progress(), trainer.plan
        fraction = None
        if state == "training" and progress and plan:
            fraction = min(1.0, (progress[0] + progress[1] / max(1, progress[2])) / plan.config.epochs)
        curve = [{k: e.get(k) for k in ("epoch", "precision", "test_accuracy")} for e in trainer.epochs()]
        return {
            "state": state,
            "place": place,
            "curve": curve,
            "progress": fraction,
            "plan": plan.config.to_dict() | {"mode": plan.config.mode} if plan else None,
        }

    def answer(self, lang: str, fresh: bool = False) -> dict[str, Any]:
        """The class's answer in ``lang``: the latest computed (its ``runs`` says of how many runs), computed
        again in the background when a run arrives (:meth:`_answer_soon`), so that the teacher's page never
        waits for its plots; ``fresh``, or none computed yet: one of every run, computed now if need be."""
        with self._lock:
            self._answer_langs.add(lang)
            latest = self._answers.get(lang)
        if latest is not None and latest[0] == runs_seen(self.db.runs()):
            return latest[1]
        if latest is not None and not fresh:
            self._answer_soon()  # (already on its way if a run has just arrived)
            return latest[1]
        return self._compute_answer(lang)

    def _compute_answer(self, lang: str) -> dict[str, Any]:
        with self._answering:
            runs = self.db.runs()
            with self._lock:
                latest = self._answers.get(lang)
            if latest is not None and latest[0] == runs_seen(runs):
                return latest[1]
            found = answer.class_answer(runs, lang)
            with self._lock:
                self._answers[lang] = (runs_seen(runs), found)
        return found

    def _answer_soon(self) -> None:
        """A run has arrived: compute the class's answer again now, in a thread, in the languages the teacher
        reads it in, so that the teacher's page finds it ready (its plots take 150 to 300 ms each, measured
        with 60 students: benchmarks/bench_classe.py).  Nothing while no teacher's page has asked for it."""
        with self._lock:
            self._stale = True
            if self._refreshing or not self._answer_langs:
                return
            self._refreshing = True
        threading.Thread(target=self._refresh_answers, name="reseau-classe-answer", daemon=True).start()

    def _refresh_answers(self) -> None:
        while True:
            with self._lock:
                if not self._stale or self.closing:
                    self._refreshing = False
                    return
                self._stale, langs = False, sorted(self._answer_langs)
            for lang in langs:
                try:
                    self._compute_answer(lang)
                except Exception:  # the teacher's request will compute it, and say what went wrong
                    log.exception("the class's answer could not be computed")

    def close(self) -> None:
        self.closing = True  # the runs stopped now are told to their students when the lesson starts again
        self.queue.close()
        self.db.close()


def runs_seen(runs: list[RunRow]) -> tuple[int, int]:
    """What tells two lists of the lesson's runs apart: how many, and the newest's id (a student removed with
    their runs, then a new run: as many runs, not the same)."""
    return len(runs), max((r.id for r in runs), default=0)


def plan_of(row: AskedRow) -> Plan | None:
    """The plan of a run the lesson's file kept (None if this version cannot read its settings any more)."""
    try:
        return Plan(trainers.config_class(row.mode).from_dict(row.config).validate(), row.dataset, row.preset)
    except (ReseauError, KeyError, TypeError, ValueError):
        return None


def modelfile_store(path: Path) -> ModelStore:
    """The student's :class:`ModelStore`; an unusable model file is set aside, the student starts afresh."""
    try:
        return ModelStore.open(path)
    except ModelFileError:
        path.replace(path.with_suffix(".unusable"))
        return ModelStore(path, None)


def train_start_model(classroom: Classroom) -> None:
    """Train the document's network once, for every student to start with (about a second)."""
    try:
        config = trainers.preset("document")
        images, labels = classroom.train_cache.get("train")
        network, history = trainers.train(images, labels, config, test=classroom.cache.get("test"))
        info = modelfile.ModelInfo.build(config, history, preset="document", source="web")
        modelfile.save(modelfile.SavedModel(network, info), classroom.start_model)
    except ReseauError:
        pass  # the students' pages say there is no model yet; each can train their own
