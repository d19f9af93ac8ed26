"""The classroom server: every student's own ``reseau web``, and the teacher's page.

``create_classe_app(lesson)`` composes the lesson (:mod:`reseau.classe.lesson`) and the web page's app
(:func:`reseau.web.app.page_app`), told by the classroom's :func:`~reseau.classe.routes.resolver` whose
things each request works on, with the classroom's routes (:mod:`reseau.classe.routes`) in place of four
of its own, and the teacher's token gate.  A student never reads where the lesson's files are
(:mod:`reseau.classe.paths`).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from reseau import modelfile
from reseau.classe import digits
from reseau.classe.lesson import DEFAULT_LESSON, Classroom, lessons_dir, train_start_model
from reseau.classe.limits import JOINS_PER_MINUTE
from reseau.classe.roster import Joining, checked_size
from reseau.classe.routes import STATIC, TEACHER_COOKIE, TeacherGate, resolver, router
from reseau.i18n import get_language, normalise
from reseau.web.app import Lifespan, page_app
from reseau.web.middleware import MAX_BODY
from reseau.web.token import new_token


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
    joins_per_minute: int | None = None,
    size: int | None = None,
) -> FastAPI:
    """The classroom app for ``lesson`` (its database: ``<root>/<lesson>.sqlite``, default root
    :func:`lessons_dir`).

    ``slots`` trainings run at once (default: one per core; with ``cluster``,
    a Dask scheduler's address, one per thread of its workers).
    ``train_images`` limits the training set (tests, benchmarks).
    ``start_model`` is the network each student starts with (default: the
    user's model file if any; else the document's, trained once at start).
    ``limits`` are the teacher's from the command line (checked by
    :func:`~reseau.classe.limits.teacher_limits`), stored in the lesson.
    ``joins_per_minute``: join attempts a minute from one address (default
    :data:`~reseau.classe.limits.JOINS_PER_MINUTE`; a class behind one address needs more).
    ``size``: the students the lesson takes (stored in the lesson; default its own, else
    :data:`~reseau.classe.roster.DEFAULT_SIZE`).
    The teacher's token is ``app.state.token`` (a new one if None).
    """
    from reseau.experiments.runner import cpu_count, dask_client

    stack = ExitStack()
    executor = None
    if cluster:
        client = stack.enter_context(dask_client(cluster))
        executor = client.get_executor(pure=False)
        slots = slots or sum(client.nthreads().values())  # one per thread of the cluster's workers
    if start_model is None and modelfile.default_path().is_file():
        start_model = modelfile.default_path()
    classroom = Classroom(
        lesson,
        Path(root) if root else lessons_dir(),
        Path(data_dir) if data_dir else None,
        normalise(lang or get_language()),
        slots or cpu_count(),
        executor,
        train_images,
        Path(start_model) if start_model else None,
        limits,
        joins_per_minute or JOINS_PER_MINUTE,
    )
    if size is not None:
        classroom.set_joining(Joining(classroom.joining.open, checked_size(size)))
    token = token or new_token()
    app = page_app(
        resolver(classroom),
        "reseau classe",
        _lifespan(classroom, stack),
        host=host,
        max_body=max_body,
        token=token,
        gate=TeacherGate,
        cookie=TEACHER_COOKIE,
        replaced_by=router,
        shown=classroom.hider.error,  # any error as the web page says it, with no path of the server
    )
    app.state.classroom = classroom
    app.include_router(digits.router)  # the class's own digits (« Mes chiffres »), their own routes
    app.mount("/classe/static", StaticFiles(directory=STATIC), name="classe-static")
    return app


def _lifespan(classroom: Classroom, stack: ExitStack) -> Lifespan:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not classroom.start_model.is_file():
            threading.Thread(target=train_start_model, args=(classroom,), daemon=True).start()
        yield
        classroom.close()
        stack.close()

    return lifespan
