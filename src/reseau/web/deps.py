"""What the routes share, handed to them as FastAPI dependencies.

A route names what it needs in its parameters, and FastAPI passes it::

    @router.get("/api/model")
    def get_model(ctx: ContextDep, lang: LangDep): ...

``ctx`` is the app's one :class:`Context` (the model in use, the datasets, the
trainer) and ``lang`` the request's language.  (This is the ``deps.py`` of
FastAPI's full-stack template.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Header, Request

from reseau.web.errors import asked_lang
from reseau.web.jobs import Trainer
from reseau.web.state import DataCache, ModelStore


@dataclass
class Context:
    """The app's shared objects (one per app, kept in ``app.state.ctx``)."""

    store: ModelStore  # the model in use
    cache: DataCache  # datasets, loaded once
    trainer: Trainer  # one training at a time
    lang: str  # the language when a request names none
    experiments_dir: Path  # where ``reseau experiment`` writes its report
    train_if_missing: bool  # train the document's network at start-up when there is no model

    @property
    def dataset(self) -> str:
        """The dataset of the model in use ("mnist" when there is none)."""
        model = self.store.model
        return model.info.dataset if model else "mnist"


# These two are ``async`` only because they wait for nothing: FastAPI then calls
# them directly, instead of in a worker thread as it does a plain ``def``.


async def get_context(request: Request) -> Context:
    return request.app.state.ctx


ContextDep = Annotated[Context, Depends(get_context)]


async def get_lang(
    ctx: ContextDep, lang: str | None = None, accept_language: Annotated[str | None, Header()] = None
) -> str:
    """The request's language: ``?lang=``, else ``Accept-Language``, else the server's."""
    return asked_lang(lang, accept_language, ctx.lang)


LangDep = Annotated[str, Depends(get_lang)]
