"""What the routes share, handed to them as FastAPI dependencies.

A route names what it needs in its parameters, and FastAPI passes it::

    @router.get("/api/model")
    def get_model(ctx: ContextDep, lang: LangDep): ...

``ctx`` is the asker's :class:`Context` (the model in use, the other saved
models, the datasets, the trainer) and ``lang`` the request's language.
Whose context that is, the app's :class:`Resolver` says (``app.state.resolver``,
always set): ``reseau web`` has one for everyone (:meth:`Resolver.alone`),
``reseau classe`` gives each student their own (:mod:`reseau.classe.routes`).
(This is the ``deps.py`` of FastAPI's full-stack template.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Header, Request

from reseau.errors import ModelFileError
from reseau.i18n import t
from reseau.modelfile import SavedModel
from reseau.web.errors import WebError, asked_lang
from reseau.web.jobs import Trainer
from reseau.web.state import DataCache, ModelShelf, ModelStore, Sessions


@dataclass
class Context:
    """The objects a request works on (``reseau web``: one for the app, ``app.state.ctx``; ``reseau classe``:
    one per student)."""

    store: ModelStore  # the model in use
    shelf: ModelShelf  # the model files beside it (the page's model picker)
    cache: DataCache  # datasets, loaded once
    trainer: Trainer  # one training at a time
    lang: str  # the language when a request names none
    experiments_dir: Path  # where ``reseau experiment`` writes its report
    train_if_missing: bool  # train the document's network at start-up when there is no model

    def model(self, name: str | None = None, lang: str | None = None) -> SavedModel:
        """The model file ``name`` of the shelf, or the model in use (``None`` or its own file name).

        No model in use yet is a 503 (one is being trained, or none exists);
        a bad name is a 422, a missing file a 404, an unusable file a 422
        whose message says why in ``lang``.
        """
        if name is None or name == self.store.path.name:
            model = self.store.model
            if model is None:
                raise WebError("web.error.training_first" if self.trainer.running else "web.error.no_model", status=503)
            return model
        try:
            return self.shelf.load(name)
        except ModelFileError as exc:
            raise WebError(
                "web.error.model_unusable", status=422, field="model", name=name, reason=t(exc.key, lang, **exc.params)
            ) from None

    @property
    def dataset(self) -> str:
        """The dataset of the model in use ("mnist" when there is none)."""
        model = self.store.model
        return model.info.dataset if model else "mnist"


@dataclass(frozen=True)
class Resolver:
    """Whose things a request works on: the app's one way to say it (``app.state.resolver``).  (An object
    the app holds rather than FastAPI's ``dependency_overrides``, which rebuild every signature per request.)"""

    lang: str  # the language when a request names none
    context: Callable[[Request], Context]  # the asker's Context
    sessions: Callable[[Request], Sessions]  # the asker's « Pas à pas » networks

    @classmethod
    def alone(cls, ctx: Context) -> Resolver:
        """``reseau web``: one person, one context, one set of « Pas à pas » networks."""
        sessions = Sessions()
        return cls(ctx.lang, lambda request: ctx, lambda request: sessions)


# The dependencies are ``async`` only because they wait for nothing: FastAPI then
# calls them directly, instead of in a worker thread as it does a plain ``def``.


async def get_context(request: Request) -> Context:
    return request.app.state.resolver.context(request)


ContextDep = Annotated[Context, Depends(get_context)]


async def get_sessions(request: Request) -> Sessions:
    return request.app.state.resolver.sessions(request)


SessionsDep = Annotated[Sessions, Depends(get_sessions)]


async def get_lang(
    request: Request, lang: str | None = None, accept_language: Annotated[str | None, Header()] = None
) -> str:
    """The request's language: ``?lang=``, else ``Accept-Language``, else the server's."""
    return asked_lang(lang, accept_language, request.app.state.resolver.lang)


LangDep = Annotated[str, Depends(get_lang)]
