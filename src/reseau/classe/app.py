"""The classroom server: every student's own ``reseau web``, and the teacher's page.

``create_classe_app(lesson)`` builds one FastAPI app around a :class:`Classroom`:

- **students** join with the lesson's code and a first name (``POST
  /api/classe/join``).  A session cookie (HttpOnly, SameSite=Strict) names
  them from then on: the single-user page's routes (:mod:`reseau.web.routes`)
  are served unchanged, each request getting *its student's*
  :class:`~reseau.web.deps.Context` (own models folder, own trainer in the
  class queue, own « Pas à pas » networks) through FastAPI's dependency
  overrides.  No student id is ever read from a request: nobody can name
  another's work.
- **the teacher** has the token printed at start (:class:`TeacherGate`, the
  same token as ``reseau web --host``): ``/teacher``, ``/api/classe/teacher/*``
  and the exports ``/api/classe/export.csv`` / ``.json`` (also with
  ``Authorization: Bearer <token>``).

Routes of its own::

    GET  /                              the join page, or the student's page once joined
    POST /api/classe/join               {"code", "name"} -> the session cookie
    GET  /api/classe/messages           the classroom's sentences (?lang=)
    GET  /api/classe/me                 the student: name, place in the queue, the lesson's limits
    GET  /api/model, /api/models, /api/experiments   the web page's, naming files but not their folders
    GET  /me/summary                    the student's printable one-page summary
    GET  /teacher                       the teacher's page
    GET  /api/classe/teacher/state      students, what each does, their curves, the class table
    GET  /api/classe/teacher/answer     the pooled runs: tables, plots (SVG), « Que peut-on en déduire ? »
    POST /api/classe/teacher/limits     the lesson's limits and constraint
    GET  /api/classe/teacher/qr.svg     the students' address as a QR code
    GET  /teacher/students/{id}/summary a student's printable summary
    GET  /api/classe/export.csv|.json   every finished run

Everything lasting is in the lesson's SQLite file (:mod:`reseau.classe.db`)
and the students' model folders beside it.  A student never reads where
those are (:mod:`reseau.classe.paths`).
"""

from __future__ import annotations

import re
import secrets
import shutil
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import Field

from reseau import modelfile, trainers
from reseau.classe import answer
from reseau.classe.db import LessonDB, RunRow
from reseau.classe.limits import CONSTRAINT_LIMIT, EPOCHS_LIMIT, HIDDEN_LIMIT
from reseau.classe.paths import FOLDER, PathHider
from reseau.classe.queue import ClassTrainer, LimitedCache, Limits, TrainQueue
from reseau.errors import ModelFileError, ReseauError
from reseau.i18n import LANGUAGES, counted, format_number, get_language, normalise, number_format, t
from reseau.locales import MESSAGES
from reseau.web import schemas
from reseau.web.deps import Context
from reseau.web.errors import (
    WebError,
    add_error_handlers,
    asked_lang,
    error_response,
    scope_lang,
    status_of,
    too_large_body,
)
from reseau.web.middleware import MAX_BODY, BodyLimit, HostCheck, SameOrigin, ServedHosts, ServerTiming
from reseau.web.routes import ROUTERS
from reseau.web.routes import experiments as web_experiments
from reseau.web.routes import model as web_model
from reseau.web.routes.page import STATIC as WEB_STATIC
from reseau.web.routes.step import Sessions
from reseau.web.schemas import Strict
from reseau.web.state import DataCache, ModelShelf, ModelStore
from reseau.web.token import TokenGate, cookies, new_token

STATIC = Path(__file__).parent / "static"
LESSON_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DEFAULT_LESSON = "classe"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from the board without doubt
CODE_LENGTH = 6
SESSION_COOKIE = "reseau-classe"  # the student's cookie (the port is added, as for the token)
TEACHER_COOKIE = "reseau-teacher"
SESSION_SECONDS = 14 * 24 * 3600  # a student's cookie lasts two weeks: closing the tab loses nothing
MAX_NAME = 40  # characters of a first name
MAX_STUDENTS = 200
STEP_SESSIONS = 4  # « Pas à pas » networks kept per student
TEACHER_PATHS = ("/teacher", "/api/classe/teacher/", "/api/classe/export")
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
    """A student's own things: the web page's context, and their « Pas à pas » networks."""

    id: int
    name: str
    ctx: Context
    steps: Sessions

    @property
    def trainer(self) -> ClassTrainer:
        return self.ctx.trainer  # type: ignore[return-value]


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
    ) -> None:
        """``limits``: the teacher's, from the command line (:func:`~reseau.classe.queue.teacher_limits`),
        replacing those the lesson stored; the others stay as stored (or the defaults)."""
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
        self._answers: dict[tuple[int, str], dict] = {}

    # -- students -----------------------------------------------------------

    def join(self, code: str, name: str, session: str | None) -> tuple[Student, str]:
        """The student joining with ``code`` and ``name`` (or already joined: ``session``), and their session."""
        if not secrets.compare_digest(clean_code(code).encode(), self.code.encode()):
            raise WebError("classe.error.code", status=403, field="code")
        known = self.by_session(session) if session else None
        if known is not None:
            return known, session  # type: ignore[return-value]  # known: the session is not None
        name = clean_name(name)
        if len(self.db.students()) >= MAX_STUDENTS:
            raise WebError("classe.error.full", status=403, max=MAX_STUDENTS)
        session = secrets.token_urlsafe(24)
        row = self.db.add_student(name, session)
        if row is None:
            raise WebError("classe.error.name_taken", status=409, field="name", name=name)
        return self.student(row.id), session

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
                store, shelf, self.train_cache, self.queue, lambda: self.limits, self._finished, self._shown
            )
            ctx = Context(store, shelf, self.cache, trainer, self.lang, self.folder / "report", False)
            trainer.student_id = row.id  # type: ignore[attr-defined]
            found = self._students[student_id] = Student(row.id, row.name, ctx, Sessions(STEP_SESSIONS))
            return found

    def _shown(self, state: str, data: dict[str, Any]) -> dict[str, Any]:
        """A run's last event as its student reads it: no path of the server (:mod:`reseau.classe.paths`)."""
        return self.hider.event(state, data, self.lang)

    def loaded(self) -> dict[int, Student]:
        with self._lock:
            return dict(self._students)

    def _finished(self, trainer: ClassTrainer, state: str, done: dict[str, Any]) -> None:
        """A finished run is stored at once (a run stopped or failed is not a result)."""
        if state != "done" or trainer.plan is None:
            return
        epochs = trainer.epochs()
        images, _ = trainer.cache.get("train", trainer.plan.dataset)
        each = [float(e.get("seconds") or 0.0) for e in epochs]
        if epochs and not any(each):  # the trainer timed the whole run only: share it out
            each = [float(done["seconds"]) / len(epochs)] * len(epochs)
        self.db.add_run(
            RunRow(
                0,
                trainer.student_id,  # type: ignore[attr-defined]
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

    # -- the teacher --------------------------------------------------------

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
        progress = trainer.progress()
        plan = trainer.plan
        epochs = plan.config.epochs if plan else None
        fraction = None
        if state == "training" and progress and epochs:
            fraction = min(1.0, (progress[0] + progress[1] / max(1, progress[2])) / epochs)
        curve = [
            {"epoch": e["epoch"], "precision": e["precision"], "test_accuracy": e.get("test_accuracy")}
            for e in trainer.epochs()
        ]
        return {
            "state": state,
            "place": place,
            "curve": curve,
            "progress": fraction,
            "plan": plan.config.to_dict() | {"mode": plan.config.mode} if plan else None,
        }

    def answer(self, lang: str) -> dict[str, Any]:
        """The class's answer, computed again only when a run has arrived."""
        runs = self.db.runs()
        key = (len(runs), lang)
        with self._lock:
            cached = self._answers.get(key)
        if cached is None:
            cached = answer.class_answer(runs, lang)
            with self._lock:
                self._answers = {key: cached}
        return cached

    def close(self) -> None:
        self.queue.close()
        self.db.close()


def modelfile_store(path: Path) -> ModelStore:
    """The student's :class:`ModelStore`; an unusable model file is set aside, the student starts afresh."""
    try:
        return ModelStore.open(path)
    except ModelFileError:
        path.replace(path.with_suffix(".unusable"))
        return ModelStore(path, None)


# ---------------------------------------------------------------------------
# Who is asking
# ---------------------------------------------------------------------------


def port_cookie(scope: dict, name: str) -> str:
    """One cookie per port, as the token's (cookies ignore ports)."""
    port = (scope.get("server") or (None, None))[1]
    return f"{name}-{port}" if port else name


def session_of(request: Request) -> str | None:
    scope = dict(request.scope)
    return cookies(scope).get(port_cookie(scope, SESSION_COOKIE))


async def get_classroom(request: Request) -> Classroom:
    return request.app.state.classroom


ClassroomDep = Annotated[Classroom, Depends(get_classroom)]


def student_of(request: Request) -> Student:
    """The student whose session cookie the request carries (looked up once per request); 401 without one."""
    found = getattr(request.state, "student", None)
    if found is None:
        session = session_of(request)
        found = request.app.state.classroom.by_session(session) if session else None
        if found is None:
            raise WebError("classe.error.not_joined", status=401)
        request.state.student = found
    return found


async def get_student(request: Request) -> Student:
    return student_of(request)


StudentDep = Annotated[Student, Depends(get_student)]


async def request_lang(request: Request, classroom: ClassroomDep) -> str:
    return asked_lang(request.query_params.get("lang"), request.headers.get("accept-language"), classroom.lang)


LangDep = Annotated[str, Depends(request_lang)]


class TeacherGate(TokenGate):
    """The token gate of :mod:`reseau.web.token`, on the teacher's paths only."""

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(TEACHER_PATHS):
            await super().__call__(scope, receive, send)
        else:
            await self.app(scope, receive, send)


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------


class JoinRequest(Strict):
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)


class LimitsRequest(Strict):
    max_epochs: int = Field(ge=1, le=EPOCHS_LIMIT, strict=True)
    max_hidden: int = Field(ge=1, le=HIDDEN_LIMIT, strict=True)
    modes: list[str] = Field(min_length=1, max_length=len(trainers.KINDS))
    constraint: str = Field("", max_length=CONSTRAINT_LIMIT)


# ---------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------

router = APIRouter()


def no_store(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.get("/", include_in_schema=False)
def index(request: Request, classroom: ClassroomDep) -> Response:
    """The student's page (the single-user page with the classroom's bar), or the join page."""
    session = session_of(request)
    if session and classroom.by_session(session):
        page = (WEB_STATIC / "index.html").read_text(encoding="utf-8")
        head = '<link rel="stylesheet" href="/classe/static/classe.css">\n'
        head += '<script src="/classe/static/classe.js" defer></script>\n'
        head += '<script src="/classe/static/student.js" defer></script>\n</head>'
        page = page.replace("</head>", head, 1).replace("<main>", STUDENT_BAR + "<main>", 1)
        return no_store(page)
    return FileResponse(STATIC / "join.html", headers={"Cache-Control": "no-store"})


STUDENT_BAR = '<div id="classe-bar" class="classe-bar" aria-live="polite"></div>\n'


@router.post("/api/classe/join")
def join(request: Request, classroom: ClassroomDep, lang: LangDep, req: JoinRequest) -> JSONResponse:
    student, session = classroom.join(req.code, req.name, session_of(request))
    response = JSONResponse({"name": student.name, "lesson": classroom.lesson})
    cookie = port_cookie(dict(request.scope), SESSION_COOKIE)
    response.set_cookie(cookie, session, max_age=SESSION_SECONDS, path="/", httponly=True, samesite="strict")
    return response


@router.get("/api/classe/messages")
def messages(lang: LangDep) -> dict:
    column = LANGUAGES.index(lang)
    return {
        "lang": lang,
        "messages": {k: pair[column] for k, pair in MESSAGES.items() if k.startswith("classe.")},
        "format": number_format(lang),
    }


@router.get("/api/classe/me")
def me(student: StudentDep, classroom: ClassroomDep) -> dict:
    running, waiting = classroom.queue.counts()
    return {
        "name": student.name,
        "lesson": classroom.lesson,
        "limits": classroom.limits.to_dict(),
        "queue": {"slots": classroom.queue.slots, "running": running, "waiting": waiting},
        "runs": len(classroom.db.runs(student.id)),
    } | classroom.doing(student.id)


@router.get("/api/model", response_model=schemas.ModelStatus)
def student_model(student: StudentDep) -> schemas.ModelStatus:
    """The web page's model in use, its file named without its folder."""
    found = web_model.get_model(student.ctx)
    return found.model_copy(update={"path": Path(found.path).name})


@router.get("/api/models", response_model=schemas.ModelList)
def student_models(student: StudentDep, classroom: ClassroomDep, lang: LangDep) -> schemas.ModelList:
    """The web page's model list: the folder is « vos modèles », an unusable file's reason names no path."""
    found = web_model.list_models(student.ctx, lang)
    models = [m.model_copy(update={"error": m.error and classroom.hider.text(m.error, lang)}) for m in found.models]
    return found.model_copy(update={"folder": t(FOLDER, lang=lang), "models": models})


@router.get("/api/experiments", response_model=schemas.Experiments)
def student_experiments(student: StudentDep) -> dict:
    """The web page's experiments view (hidden on a student's page), without the server's folder."""
    return web_experiments.summary(student.ctx.experiments_dir) | {"folder": ""}


@router.get("/me/summary", include_in_schema=False)
def my_summary(student: StudentDep, classroom: ClassroomDep, lang: LangDep) -> HTMLResponse:
    return no_store(summary_html(classroom, student.id, lang))


@router.get("/teacher", include_in_schema=False)
def teacher_page() -> FileResponse:
    return FileResponse(STATIC / "teacher.html", headers={"Cache-Control": "no-store"})


@router.get("/api/classe/teacher/state")
def teacher_state(request: Request, classroom: ClassroomDep, lang: LangDep) -> dict:
    runs = classroom.db.runs()
    students = []
    for row in classroom.db.students():
        own = [r for r in runs if r.student == row.id]
        tests = [r.test_accuracy for r in own if r.test_accuracy is not None]
        students.append(
            {"id": row.id, "name": row.name, "runs": len(own), "best": max(tests, default=None)}
            | classroom.doing(row.id)
        )
    running, waiting = classroom.queue.counts()
    return {
        "lesson": classroom.lesson,
        "code": classroom.code,
        "url": students_url(classroom, request),
        "limits": classroom.limits.to_dict(),
        "modes": list(trainers.KINDS),
        "queue": {
            "slots": classroom.queue.slots,
            "running": running,
            "waiting": waiting,
            "longest_wait": classroom.queue.longest_wait,
            "text": t(
                "classe.teacher.queue",
                lang=lang,
                running=counted(running, "unit.running_training", lang),
                slots=counted(classroom.queue.slots, "unit.slot", lang),
                waiting=waiting,
                wait=format_number(classroom.queue.longest_wait, 1, lang),
            ),
        },
        "students": students,
        "runs": [answer.run_record(r) for r in runs],
    }


@router.get("/api/classe/teacher/answer")
def teacher_answer(classroom: ClassroomDep, lang: LangDep) -> dict:
    return classroom.answer(lang)


@router.post("/api/classe/teacher/limits")
def teacher_limits(classroom: ClassroomDep, req: LimitsRequest) -> dict:
    unknown = [m for m in req.modes if m not in trainers.KINDS]
    if unknown:
        allowed = ", ".join(trainers.KINDS)
        raise WebError("classe.error.mode", status=422, field="modes", mode=unknown[0], allowed=allowed)
    classroom.set_limits(Limits(req.max_epochs, req.max_hidden, tuple(req.modes), req.constraint.strip()))
    return classroom.limits.to_dict()


@router.get("/api/classe/teacher/qr.svg", include_in_schema=False)
def teacher_qr(request: Request, classroom: ClassroomDep) -> Response:
    svg = qr_svg(students_url(classroom, request))
    if svg is None:
        raise WebError("classe.error.no_qr", status=404)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.get("/teacher/students/{student_id}/summary", include_in_schema=False)
def student_summary(student_id: int, classroom: ClassroomDep, lang: LangDep) -> HTMLResponse:
    if classroom.db.student(student_id) is None:
        raise WebError("classe.error.no_student", status=404, id=student_id)
    return no_store(summary_html(classroom, student_id, lang))


@router.get("/api/classe/export.csv", include_in_schema=False)
def export_csv(classroom: ClassroomDep) -> Response:
    name = f"{classroom.lesson}.csv"
    return Response(
        answer.to_csv(classroom.db.runs()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get("/api/classe/export.json")
def export_json(classroom: ClassroomDep) -> dict:
    return {"lesson": classroom.lesson, "runs": answer.to_json(classroom.db.runs())}


def students_url(classroom: Classroom, request: Request | None) -> str:
    """The address students open, with the code (what the QR code says)."""
    base = classroom.public_url or (str(request.base_url) if request is not None else "http://127.0.0.1/")
    return f"{base.rstrip('/')}/?code={classroom.code}"


def qr_svg(text: str) -> str | None:
    """``text`` as a QR code in SVG (None without the optional ``segno`` package)."""
    try:
        import segno
    except ImportError:
        return None
    return segno.make(text, error="m").svg_inline(scale=6, border=2)


def qr_terminal(text: str, out) -> bool:
    """Print ``text`` as a QR code made of characters; False without ``segno``."""
    try:
        import segno
    except ImportError:
        return False
    segno.make(text, error="m").terminal(out=out, compact=True, border=2)
    return True


# ---------------------------------------------------------------------------
# A student's printable summary
# ---------------------------------------------------------------------------


def summary_html(classroom: Classroom, student_id: int, lang: str) -> str:
    """One page per student: their runs, their best network, its curve (HTML; the browser prints it)."""
    row = classroom.db.student(student_id)
    assert row is not None
    runs = classroom.db.runs(student_id)

    def num(x: float | None, digits: int = 2) -> str:
        return "—" if x is None else format_number(x, digits, lang)

    head = ["run", "epochs", "hidden", "lr", "seed", "precision", "test", "time"]
    cells = "".join(f"<th>{escape(t(f'classe.col.{h}', lang=lang))}</th>" for h in head)
    body = ""
    for k, run in enumerate(runs, 1):
        r = answer.run_record(run)
        values = [str(k), r["epochs"], r["hidden"], r["learn_rate"], r["seed"]]
        values += [num(run.precision), num(run.test_accuracy), num(run.seconds, 1) + " s"]
        body += "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in values) + "</tr>"
    best = max((r for r in runs if r.test_accuracy is not None), key=lambda r: r.test_accuracy or 0, default=None)
    best_text = (
        t("classe.summary.best", lang=lang, accuracy=num(best.test_accuracy), n=runs.index(best) + 1)
        if best
        else t("classe.summary.none", lang=lang)
    )
    title = t("classe.summary.title", lang=lang, name=row.name, lesson=classroom.lesson)
    return SUMMARY.format(
        lang=lang,
        title=escape(title),
        date=escape(time.strftime("%Y-%m-%d")),
        best=escape(best_text),
        head=cells,
        body=body,
        curve=curve_svg(best.precisions, best.tests) if best else "",
        legend=escape(t("classe.summary.legend", lang=lang)),
        question=escape(t("classe.summary.question", lang=lang)),
        print_label=escape(t("classe.summary.print", lang=lang)),
    )


def curve_svg(precisions: list[float], tests: list[float | None], width: int = 480, height: int = 180) -> str:
    """A small SVG of one run: « Précision » (orange) and test accuracy (blue) per epoch, 80 to 100 %."""
    low = min([80.0, *precisions, *[x for x in tests if x is not None]])
    n = max(1, len(precisions) - 1)

    def xy(k: int, v: float) -> str:
        return f"{20 + k * (width - 40) / n:.1f},{height - 20 - (v - low) / (100 - low) * (height - 40):.1f}"

    lines = ""
    for values, colour in ((precisions, "#ff7f0e"), (tests, "#1f77b4")):
        points = " ".join(xy(k, v) for k, v in enumerate(values) if v is not None)
        lines += f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
        f'<rect width="{width}" height="{height}" fill="white" stroke="#ccc"/>{lines}</svg>'
    )


SUMMARY = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4; margin: 15mm; }}
body {{ font: 11pt/1.4 system-ui, sans-serif; max-width: 180mm; margin: 1rem auto; color: #111; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}
th, td {{ border: 1px solid #999; padding: 2px 6px; text-align: right; }}
.answer {{ border: 1px solid #999; height: 40mm; }}
@media print {{ button {{ display: none; }} body {{ margin: 0; }} }}
</style></head><body>
<h1>{title}</h1><p>{date}</p>
<button type="button" onclick="window.print()">{print_label}</button>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<p><strong>{best}</strong></p>
{curve}<p><small>{legend}</small></p>
<h2>{question}</h2><div class="answer"></div>
</body></html>
"""


# ---------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------


def create_classe_app(
    lesson: str = DEFAULT_LESSON,
    data_dir: str | Path | None = None,
    *,
    root: str | Path | None = None,
    lang: str | None = None,
    host: str = "0.0.0.0",
    token: str | None = None,
    slots: int | None = None,
    cluster: str | None = None,
    train_images: int | None = None,
    start_model: str | Path | None = None,
    max_body: int = MAX_BODY,
    limits: dict[str, Any] | None = None,
) -> FastAPI:
    """The classroom app for ``lesson`` (its database: ``<root>/<lesson>.sqlite``, default root
    :func:`lessons_dir`).

    ``slots`` trainings run at once (default: one per core; with ``cluster``,
    a Dask scheduler's address, one per thread of its workers).
    ``train_images`` limits the training set (tests, benchmarks).
    ``start_model`` is the network each student starts with (default: the
    user's model file if any; else the document's, trained once at start).
    ``limits`` are the teacher's from the command line (checked by
    :func:`~reseau.classe.queue.teacher_limits`), stored in the lesson.
    The teacher's token is ``app.state.token`` (a new one if None).
    """
    from reseau.experiments.runner import cpu_count, dask_executor

    lang = normalise(lang or get_language())
    stack = ExitStack()
    executor = None
    if cluster:
        executor = stack.enter_context(dask_executor(cluster))
        client = getattr(executor, "_client", None)
        slots = slots or (sum(client.nthreads().values()) if client is not None else cpu_count())
    if start_model is None and modelfile.default_path().is_file():
        start_model = modelfile.default_path()
    classroom = Classroom(
        lesson,
        Path(root) if root else lessons_dir(),
        Path(data_dir) if data_dir else None,
        lang,
        slots or cpu_count(),
        executor,
        train_images,
        Path(start_model) if start_model else None,
        limits,
    )
    app = FastAPI(title="reseau classe", lifespan=_lifespan(classroom, stack), docs_url=None, redoc_url=None)
    app.state.classroom = classroom
    app.state.token = token or new_token()
    app.state.context_for = lambda request: student_of(request).ctx  # the web routes, for the student asking
    app.state.sessions_for = lambda request: student_of(request).steps  # their own « Pas à pas » networks
    add_error_handlers(app, lambda: classroom.lang)

    async def said_without_paths(request: Request, err: Exception) -> Response:
        """Any error as the web page says it (:func:`~reseau.web.errors.add_error_handlers`),
        with no path of the server (:mod:`reseau.classe.paths`)."""
        assert isinstance(err, ReseauError)
        lang = asked_lang(request.query_params.get("lang"), request.headers.get("accept-language"), classroom.lang)
        key, params = classroom.hider.error(err.key, err.params, lang)
        field = params.get("field")
        return error_response(status_of(err), key, lang, params, str(field) if field else None)

    app.add_exception_handler(ReseauError, said_without_paths)  # replaces the web page's
    app.include_router(router)  # first: its "/" is the join page or the student's
    for web_router in ROUTERS:
        app.include_router(web_router)
    app.mount("/classe/static", StaticFiles(directory=STATIC), name="classe-static")
    app.mount("/static", StaticFiles(directory=WEB_STATIC), name="static")

    def lang_of(scope: dict) -> str:
        return scope_lang(scope, classroom.lang)

    app.add_middleware(TeacherGate, token=app.state.token, lang=lang_of, cookie=TEACHER_COOKIE)
    app.add_middleware(SameOrigin, lang=lang_of)
    app.add_middleware(HostCheck, hosts=ServedHosts(host), lang=lang_of)
    app.add_middleware(BodyLimit, limit=max_body, message=lambda scope, limit: too_large_body(scope, limit, lang))
    app.add_middleware(ServerTiming)
    return app


def _lifespan(classroom: Classroom, stack: ExitStack) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not classroom.start_model.is_file():
            threading.Thread(target=train_start_model, args=(classroom,), daemon=True).start()
        yield
        classroom.close()
        stack.close()

    return lifespan


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
