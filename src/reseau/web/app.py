"""The local web app: a JSON API under ``/api/`` and the page that uses it.

``create_app(...)`` builds a FastAPI application around four shared objects
(a :class:`~reseau.web.deps.Context`): the model in use
(:class:`~reseau.web.state.ModelStore`), the model files beside it
(:class:`~reseau.web.state.ModelShelf`), the loaded datasets
(:class:`~reseau.web.state.DataCache`) and the training runner
(:class:`~reseau.web.jobs.Trainer`).  The page (``static/``) is plain HTML,
CSS and JavaScript served by the app itself (no CDN): it works offline and
talks only to the API, whose routes are in :mod:`reseau.web.routes`:

    GET  /api/messages?lang=fr      the page's sentences, French or English, and how numbers are written
    GET  /api/options               modes, presets, defaults, the document's sigmoid cases
    GET  /api/model                 the model in use (sizes, accuracies, history)
    GET  /api/models                the model files beside it (the Draw tab's picker), the drawing network
    POST /api/predict               a drawing -> 28x28 input, outputs, hidden values or feature maps, digit
                                    (with the model in use, or the model file named)
    GET  /api/dataset/{split}/{i}   image i of the training or test set, its label and the answer
    POST /api/train/estimate        how long a training would take here ("about 4 min")
    POST /api/train                 start a training (202); 409 while one runs
    POST /api/train/stop            stop it (the model in use is untouched)
    GET  /api/train                 the current or last run and its events
    GET  /api/train/events          the same events, live (server-sent events)
    GET  /api/experiments           the stored experiment report and plots, if any
    GET  /experiments/{file}        those files, read-only
    POST /api/step/reset, /api/step the « Pas à pas » tab: one learning step, every number
    POST /api/photo                 a photo of a digit on paper -> each step's picture and the answer

Every error is one JSON sentence in the request's language (:mod:`reseau.web.errors`).  Who may ask
(:mod:`reseau.web.middleware`, :mod:`reseau.web.token`; SECURITY.md): only requests addressed to a name the
server is served by (``Host``); a request that changes something only from the server's own page, as JSON;
and, on a server open to the network, only requests carrying the token printed with its address.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from reseau import modelfile, trainers
from reseau.errors import ReseauError
from reseau.i18n import get_language, normalise
from reseau.web.deps import Context, Resolver
from reseau.web.errors import Shown, add_error_handlers, scope_lang
from reseau.web.jobs import Plan, Trainer
from reseau.web.middleware import MAX_BODY, BodyLimit, HostCheck, SameOrigin, ServedHosts, ServerTiming, is_loopback
from reseau.web.routes import ROUTERS
from reseau.web.routes.page import STATIC
from reseau.web.state import DataCache, ModelShelf, ModelStore
from reseau.web.token import COOKIE, TokenGate, new_token

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    model_path: str | Path | None = None,
    data_dir: str | Path | None = None,
    *,
    train_if_missing: bool = True,
    experiments_dir: str | Path | None = None,
    lang: str | None = None,
    max_body: int = MAX_BODY,
    host: str = "127.0.0.1",
    token: str | None = None,
) -> FastAPI:
    """The web app for the model at ``model_path`` (default: the user's model file).

    With no model file there, and ``train_if_missing``, the document's network
    is trained at start-up (about a second; the page shows it streaming in),
    so a classroom gets a working page without a step.  A corrupt or foreign
    model file raises :class:`~reseau.errors.ModelFileError` here: it is not
    overwritten behind the user's back.

    ``host`` is the address the server listens on: requests must name it
    (or a loopback name) in their ``Host`` header.  On any address other
    than a loopback one, every request must carry ``token`` (a new random
    one if None; it is ``app.state.token``, to print with the address).
    A ``token`` given for a loopback address is required too.
    """
    store = ModelStore.open(Path(model_path).expanduser() if model_path else modelfile.default_path())
    shelf = ModelShelf(store.path.parent)  # the models folder: the model in use and the others beside it
    cache = DataCache(Path(data_dir) if data_dir else None)
    if experiments_dir is None:
        from reseau.experiments import default_dir  # imported here: it brings in matplotlib (half a second)

        experiments_dir = default_dir()
    language = normalise(lang or get_language())
    ctx = Context(store, shelf, cache, Trainer(store, shelf, cache), language, Path(experiments_dir), train_if_missing)
    if token is None and not is_loopback(host):
        token = new_token()
    app = page_app(Resolver.alone(ctx), "reseau", _lifespan(ctx), host=host, max_body=max_body, token=token)
    app.state.ctx = ctx  # the one Context (the command and the tests read its model and trainer)
    return app


def page_app(
    resolver: Resolver,
    title: str,
    lifespan: Lifespan,
    *,
    host: str,
    max_body: int,
    token: str | None,
    gate: type[TokenGate] = TokenGate,
    cookie: str = COOKIE,
    replaced_by: APIRouter | None = None,
    shown: Shown | None = None,
) -> FastAPI:
    """An app serving the page (:mod:`reseau.web.routes`, ``/static``) to whom ``resolver`` says.

    ``reseau web`` and ``reseau classe`` are both made here, so both have the
    same error handlers and the same guards.  With a ``token``, ``gate``
    asks for it (in the cookie ``cookie`` once given).  ``replaced_by``, a
    router of the caller's (the classroom's), comes first, and replaces the
    page's routes of the same path and method (:func:`page_routes`).  ``shown`` rewrites
    an error's message for its reader (:func:`~reseau.web.errors.add_error_handlers`).
    """
    app = FastAPI(title=title, lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.resolver = resolver  # what reseau.web.deps hands to the routes
    app.state.token = token  # to print with the address; None: no token asked (this computer only)
    add_error_handlers(app, lambda: resolver.lang, shown)
    app.include_router(page_routes(replaced_by))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def lang_of(scope: dict) -> str:  # the language of a middleware's answer
        return scope_lang(scope, resolver.lang)

    # The last added runs first: timing, body limit, Host, origin, token, then the app.
    if token:
        app.add_middleware(gate, token=token, lang=lang_of, cookie=cookie)
    app.add_middleware(SameOrigin, lang=lang_of)
    app.add_middleware(HostCheck, hosts=ServedHosts(host), lang=lang_of)
    app.add_middleware(BodyLimit, lang=lang_of, limit=max_body)
    app.add_middleware(ServerTiming)
    return app


def page_routes(replaced_by: APIRouter | None = None) -> APIRouter:
    """The page's routes (:data:`reseau.web.routes.ROUTERS`), except those ``replaced_by`` has its own
    version of (same path, same method); its routes first.  Each path and method is then served
    by one route, whatever the order of registration."""
    own = replaced_by or APIRouter()
    taken = {(r.path, m) for r in own.routes if isinstance(r, APIRoute) for m in r.methods or ()}
    routes = APIRouter(routes=list(own.routes))
    for router in ROUTERS:
        for route in router.routes:
            if not (isinstance(route, APIRoute) and any((route.path, m) in taken for m in route.methods or ())):
                routes.routes.append(route)
    return routes


def _lifespan(ctx: Context) -> Lifespan:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if ctx.store.model is None and ctx.train_if_missing:
            ctx.trainer.start(Plan(trainers.preset("document"), preset="document"))
        else:  # load the datasets now, so the first browse is instant
            threading.Thread(target=_warm, args=(ctx,), daemon=True).start()
        yield
        if ctx.trainer.running:
            ctx.trainer.stop()
            ctx.trainer.wait(10)

    return lifespan


def _warm(ctx: Context) -> None:
    try:
        for split in ("train", "test"):
            ctx.cache.get(split, ctx.dataset)
    except ReseauError:
        pass  # said again, clearly, to the request that needs the data
