"""The classroom's routes, and who is asking (a student by their session cookie, the teacher by the token).

The web page's routes (:mod:`reseau.web.routes`) serve each student *their*
:class:`~reseau.web.deps.Context` through :func:`resolver`: own models
folder, own trainer in the class queue, own « Pas à pas » networks.  No
student id is ever read from a request: nobody can name another's work.
Four of the page's routes have the classroom's own version
(:func:`reseau.web.app.page_routes` serves it instead)::

    GET  /                              the join page, or the student's page once joined
    GET  /api/model, /api/models, /api/experiments   the web page's, naming files but not their folders

and these are the classroom's alone::

    POST /api/classe/join               {"code", "name"} -> the session cookie (a few a minute per address)
    POST /api/classe/resume             {"code"}: the teacher's resume code -> the student's session cookie
    GET  /api/classe/messages           the classroom's sentences (?lang=)
    GET  /api/classe/me                 the student: name, place in the queue, the lesson's limits
    GET  /me/summary                    the student's printable one-page summary
    GET  /teacher                       the teacher's page
    GET  /api/classe/teacher/state      students, what each does, their curves, the class table
    GET  /api/classe/teacher/answer     the pooled runs: tables, plots (SVG), « Que peut-on en déduire ? »
                                        (the latest computed; its "runs" says of how many runs)
    POST /api/classe/teacher/limits     the lesson's limits and constraint
    GET  /api/classe/teacher/qr.svg     the students' address as a QR code
    GET  /teacher/students/{id}/summary a student's printable summary
    GET  /api/classe/export.csv|.json   every finished run
    POST /api/classe/teacher/joining    {"open", "size"}: joining open or closed, the lesson's size
    POST /api/classe/teacher/students/{id}/rename   {"name"}
    POST /api/classe/teacher/students/{id}/remove   {"runs": "keep" | "delete"}
    POST /api/classe/teacher/students/{id}/resume   -> a one-use code (and its link) giving back their work

The teacher's paths (:data:`TEACHER_PATHS`) need the token printed at start
(:class:`TeacherGate`, the same token as ``reseau web --host``), also as
``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from pydantic import Field

from reseau import trainers
from reseau.classe import answer, pages, roster
from reseau.classe.lesson import Classroom, Student
from reseau.classe.limits import CONSTRAINT, MAX_EPOCHS, MAX_HIDDEN, teacher_limits
from reseau.classe.paths import FOLDER
from reseau.classe.queue import Limits
from reseau.i18n import counted, format_number, t
from reseau.web import schemas
from reseau.web.deps import LangDep, Resolver
from reseau.web.errors import WebError
from reseau.web.routes import experiments as web_experiments
from reseau.web.routes import model as web_model
from reseau.web.routes.page import messages_of
from reseau.web.schemas import Strict
from reseau.web.token import TokenGate, cookies, port_cookie

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "reseau-classe"  # the student's cookie (the port is added, as for the token)
TEACHER_COOKIE = "reseau-teacher"
SESSION_SECONDS = 14 * 24 * 3600  # a student's cookie lasts two weeks: closing the tab loses nothing
TEACHER_PATHS = ("/teacher", "/api/classe/teacher/", "/api/classe/export")


# ---------------------------------------------------------------------------
# Who is asking
# ---------------------------------------------------------------------------


def session_of(request: Request) -> str | None:
    scope = dict(request.scope)
    return cookies(scope).get(port_cookie(scope, SESSION_COOKIE))


def student_of(request: Request, classroom: Classroom) -> Student:
    """The student whose session cookie the request carries (looked up once per request); 401 without one."""
    found = getattr(request.state, "student", None)  # this request's, if already looked up
    if found is None:
        session = session_of(request)
        found = classroom.by_session(session) if session else None
        if found is None:
            raise WebError("classe.error.not_joined", status=401)
        request.state.student = found
    return found


def resolver(classroom: Classroom) -> Resolver:
    """The web page's routes work on the asking student's own context and « Pas à pas » networks."""
    return Resolver(
        classroom.lang,
        lambda request: student_of(request, classroom).ctx,
        lambda request: student_of(request, classroom).steps,
    )


async def get_classroom(request: Request) -> Classroom:
    return request.app.state.classroom


ClassroomDep = Annotated[Classroom, Depends(get_classroom)]


async def get_student(request: Request, classroom: ClassroomDep) -> Student:
    return student_of(request, classroom)


StudentDep = Annotated[Student, Depends(get_student)]


class TeacherGate(TokenGate):
    """The token gate of :mod:`reseau.web.token`, on the teacher's paths only."""

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(TEACHER_PATHS):
            await super().__call__(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class JoinRequest(Strict):
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)


class LimitsRequest(Strict):
    """The teacher's form; its values are checked by :func:`reseau.classe.limits.teacher_limits`."""

    max_epochs: int = Field(strict=True)
    max_hidden: int = Field(strict=True)
    modes: list[str] = Field(max_length=len(trainers.KINDS))
    constraint: str = ""


# ---------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------

router = APIRouter()


@router.get("/", include_in_schema=False)
def index(request: Request, classroom: ClassroomDep) -> Response:
    """The student's page (the single-user page with the classroom's bar), or the join page."""
    session = session_of(request)
    resuming = "resume" in request.query_params  # the teacher's link: the join page takes the code
    if session and classroom.by_session(session) and not resuming:
        return pages.student_page(request)
    return FileResponse(STATIC / "join.html", headers=pages.NO_STORE)


@router.post("/api/classe/join")
def join(request: Request, classroom: ClassroomDep, req: JoinRequest) -> Response:
    student, session = classroom.join(req.code, req.name, session_of(request), address_of(request))
    return with_session(request, JSONResponse({"name": student.name, "lesson": classroom.lesson}), session)


def with_session(request: Request, response: Response, session: str) -> Response:
    """``response`` setting the student's session cookie (strict, HTTP only, two weeks)."""
    cookie = port_cookie(dict(request.scope), SESSION_COOKIE)
    response.set_cookie(cookie, session, max_age=SESSION_SECONDS, path="/", httponly=True, samesite="strict")
    return response


@router.get("/api/classe/messages")
def messages(lang: LangDep) -> dict:
    return messages_of(("classe.", "kind."), lang)  # the kinds' names too (the teacher's choice of modes)


@router.get("/api/classe/me")
def me(student: StudentDep, classroom: ClassroomDep) -> dict:
    running, waiting = classroom.queue.counts()
    return {
        "name": student.name,
        "lesson": classroom.lesson,
        "limits": classroom.limits.to_dict(),
        "queue": {"slots": classroom.queue.slots, "running": running, "waiting": waiting},
        "runs": len(classroom.db.runs(student.id)),
        "convolutional": roster.convolutional(classroom.limits.modes),  # the page's notes on CNNs, or not
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
def my_summary(request: Request, student: StudentDep, classroom: ClassroomDep, lang: LangDep) -> HTMLResponse:
    return pages.summary_page(request, classroom, student.id, lang)


@router.get("/teacher", include_in_schema=False)
def teacher_page() -> FileResponse:
    return FileResponse(STATIC / "teacher.html", headers=pages.NO_STORE)


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
        "url": classroom.students_url(str(request.base_url)),
        "limits": classroom.limits.to_dict(),
        "ranges": {
            "max_epochs": MAX_EPOCHS.as_list(),
            "max_hidden": MAX_HIDDEN.as_list(),
            "constraint": CONSTRAINT.as_list(),
        },  # fmt: skip
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
        "joining": classroom.joining.to_dict() | {"students": len(students), "sizes": roster.SIZE.as_list()},
    }


@router.get("/api/classe/teacher/answer")
def teacher_answer(classroom: ClassroomDep, lang: LangDep) -> dict:
    return classroom.answer(lang)


@router.post("/api/classe/teacher/limits")
def set_limits(classroom: ClassroomDep, req: LimitsRequest) -> dict:
    given = teacher_limits(req.max_epochs, req.max_hidden, req.modes, req.constraint, options=False)
    classroom.set_limits(Limits.from_dict(given))
    return classroom.limits.to_dict()


@router.get("/api/classe/teacher/qr.svg", include_in_schema=False)
def teacher_qr(request: Request, classroom: ClassroomDep) -> Response:
    code = pages.qr_code(classroom.students_url(str(request.base_url)))
    if code is None:
        raise WebError("classe.error.no_qr", status=404)
    return Response(code.svg_inline(scale=6, border=2), media_type="image/svg+xml", headers=pages.NO_STORE)


@router.get("/teacher/students/{student_id}/summary", include_in_schema=False)
def student_summary(request: Request, student_id: int, classroom: ClassroomDep, lang: LangDep) -> HTMLResponse:
    if classroom.db.student(student_id) is None:
        raise WebError("classe.error.no_student", status=404, id=student_id)
    return pages.summary_page(request, classroom, student_id, lang)


@router.get("/api/classe/export.csv", include_in_schema=False)
def export_csv(classroom: ClassroomDep) -> Response:
    return Response(
        answer.to_csv(classroom.db.runs()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{classroom.lesson}.csv"'} | pages.NO_STORE,
    )


@router.get("/api/classe/export.json")
def export_json(classroom: ClassroomDep) -> dict:
    return {"lesson": classroom.lesson, "runs": answer.to_json(classroom.db.runs())}


# ---------------------------------------------------------------------------
# The roster (issue 24): joining open or closed, the lesson's size, renaming, removing, resuming
# ---------------------------------------------------------------------------


def address_of(request: Request) -> str | None:
    """The address a request comes from (what the join limit counts)."""
    return request.client.host if request.client else None


class ResumeRequest(Strict):
    code: str = Field(max_length=32)


class JoiningRequest(Strict):
    open: bool = Field(strict=True)
    size: int = Field(strict=True)


class RenameRequest(Strict):
    name: str = Field(max_length=200)


class RemoveRequest(Strict):
    runs: Literal["keep", "delete"]  # the teacher's choice, confirmed on the page


@router.post("/api/classe/resume")
def resume(request: Request, classroom: ClassroomDep, req: ResumeRequest) -> Response:
    student, session = classroom.resume(req.code, address_of(request))
    return with_session(request, JSONResponse({"name": student.name, "lesson": classroom.lesson}), session)


@router.post("/api/classe/teacher/joining")
def set_joining(classroom: ClassroomDep, req: JoiningRequest) -> dict:
    classroom.set_joining(roster.Joining(req.open, roster.checked_size(req.size)))
    return classroom.joining.to_dict()


@router.post("/api/classe/teacher/students/{student_id}/rename")
def rename_student(student_id: int, classroom: ClassroomDep, req: RenameRequest) -> dict:
    return {"id": student_id, "name": classroom.rename(student_id, req.name)}


@router.post("/api/classe/teacher/students/{student_id}/remove")
def remove_student(student_id: int, classroom: ClassroomDep, req: RemoveRequest) -> dict:
    return {"id": student_id, "deleted_runs": classroom.remove(student_id, keep_runs=req.runs == "keep")}


@router.post("/api/classe/teacher/students/{student_id}/resume")
def resume_code(request: Request, student_id: int, classroom: ClassroomDep) -> dict:
    """A one-use code for the student (good for a day), and the link that uses it in one click."""
    code = classroom.resume_code(student_id)
    base = (classroom.public_url or str(request.base_url)).rstrip("/")
    return {"id": student_id, "code": roster.shown_code(code), "url": f"{base}/?resume={code}"}
