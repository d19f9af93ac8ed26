"""The local web app: a JSON API under ``/api/`` and the page that uses it.

``create_app(...)`` builds a FastAPI application around three shared objects:
the model in use (:class:`~reseau.web.state.ModelStore`), the loaded datasets
(:class:`~reseau.web.state.DataCache`) and the training runner
(:class:`~reseau.web.jobs.Trainer`).  The page (``static/``) is plain HTML,
CSS and JavaScript served by the app itself (no CDN): it works offline and
talks only to the API below.

    GET  /api/messages?lang=fr      the page's sentences, French or English
    GET  /api/options               modes, presets, defaults, the document's sigmoid cases
    GET  /api/model                 the model in use (sizes, accuracies, history)
    POST /api/predict               a drawing -> 28x28 input, outputs, hidden values, digit
    GET  /api/dataset/{split}/{i}   image i of the training or test set, its label and the answer
    POST /api/train                 start a training (202); 409 while one runs
    POST /api/train/stop            stop it (the model in use is untouched)
    GET  /api/train                 the current or last run and its events
    GET  /api/train/events          the same events, live (server-sent events)
    GET  /api/experiments           the stored experiment report and plots, if any
    GET  /experiments/{file}        those files, read-only

Every error is JSON ``{"detail": message, "key": ..., "field": ...}`` with a
4xx status when the request is at fault, its message in the request's
language (``?lang=``, else ``Accept-Language``, else the server's).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from reseau import data, faithful, modelfile
from reseau.errors import ReseauError
from reseau.i18n import LANGUAGES, get_language, normalise, t
from reseau.locales import MESSAGES
from reseau.web import experiments, schemas
from reseau.web.errors import WebError, add_error_handlers, asked_lang, too_large_body
from reseau.web.jobs import Event, Plan, Trainer, config_dict, modern_module
from reseau.web.middleware import MAX_BODY, BodyLimit, ServerTiming
from reseau.web.preprocess import SIDE, to_mnist
from reseau.web.state import DataCache, ModelStore

STATIC = Path(__file__).parent / "static"
SIGMOID_CASES = ({"w": 1.0, "b": 0.0}, {"w": 4.0, "b": 0.0}, {"w": 0.25, "b": 0.41})  # the document's three plots
POLL = 0.05  # seconds between looks at the event log while streaming


@dataclasses.dataclass
class Context:
    """The app's shared objects."""

    store: ModelStore  # the model in use
    cache: DataCache  # datasets, loaded once
    trainer: Trainer  # one training at a time
    lang: str  # the language when a request names none
    experiments_dir: Path | None  # None: reseau.experiments.default_dir()
    train_if_missing: bool  # train the document's network at start-up when there is no model


def create_app(model_path: str | Path | None = None, data_dir: str | Path | None = None, *,
               train_if_missing: bool = True, experiments_dir: str | Path | None = None,
               lang: str | None = None, max_body: int = MAX_BODY) -> FastAPI:
    """The web app for the model at ``model_path`` (default: the user's model file).

    With no model file there, and ``train_if_missing``, the document's network
    is trained at start-up (about a second; the page shows it streaming in),
    so a classroom gets a working page without a step.  A corrupt or foreign
    model file raises :class:`~reseau.errors.ModelFileError` here: it is not
    overwritten behind the user's back.
    """
    store = ModelStore.open(Path(model_path).expanduser() if model_path else modelfile.default_path())
    cache = DataCache(Path(data_dir) if data_dir else None)
    ctx = Context(store, cache, Trainer(store, cache), normalise(lang or get_language()),
                  Path(experiments_dir) if experiments_dir else None, train_if_missing)
    app = FastAPI(title="reseau", lifespan=_lifespan(ctx), docs_url=None, redoc_url=None,  # their pages use a CDN
                  openapi_url="/api/openapi.json")
    app.state.ctx = ctx
    add_error_handlers(app, lambda: ctx.lang)
    _add_routes(app, ctx)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyLimit, limit=max_body, message=lambda scope, limit: too_large_body(scope, limit, ctx.lang))
    app.add_middleware(ServerTiming)
    return app


def _lifespan(ctx: Context):
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if ctx.store.model is None and ctx.train_if_missing:
            ctx.trainer.start(Plan("faithful", faithful.FaithfulConfig()))
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
            ctx.cache.get(split, _dataset(ctx))
    except ReseauError:
        pass  # said again, clearly, to the request that needs the data


# ---------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------

def lang_of(request: Request, ctx: Context) -> str:
    return asked_lang(request.query_params.get("lang"), request.headers.get("accept-language"), ctx.lang)


def _dataset(ctx: Context) -> str:
    model = ctx.store.model
    return (model.info.get("dataset") if model else None) or "mnist"


def _classes(dataset: str) -> list[str]:
    return list(data.DATASETS[dataset].class_names) if dataset in data.DATASETS else [str(d) for d in range(10)]


def answer(ctx: Context, x: np.ndarray) -> dict:
    """What the model in use makes of ``x (784,)``: digit, outputs, hidden values, input."""
    model = ctx.store.model
    if model is None:
        raise WebError("web.error.training_first" if ctx.trainer.running else "web.error.no_model", status=503)
    layers = model.network.layer_outputs(x.reshape(1, -1))  # [(1, hidden), ..., (1, 10)]
    o = layers[-1][0]  # (10,)
    hidden = layers[0][0] if len(layers) > 1 else np.zeros(0)  # (hidden,)
    digit = int(o.argmax())
    return {"digit": digit, "name": _classes(_dataset(ctx))[digit], "outputs": o.round(6).tolist(),
            "hidden": hidden.round(6).tolist(), "input": np.round(x.reshape(-1), 4).tolist()}


def predict(ctx: Context, req: schemas.PredictRequest) -> dict:
    """A drawing -> its MNIST-like 28x28 input -> the network's answer."""
    if len(req.pixels) != req.width * req.height:
        raise WebError("web.error.pixel_count", status=422, width=req.width, height=req.height,
                       expected=req.width * req.height, got=len(req.pixels))
    grey = np.asarray(req.pixels, dtype=np.float64).reshape(req.height, req.width)  # (H, W), ink 1
    if not req.preprocess:
        if grey.shape != (SIDE, SIDE):
            raise WebError("web.error.raw_size", status=422, width=req.width, height=req.height)
        return answer(ctx, grey) | {"empty": not grey.any()}
    x = to_mnist(grey)  # (28, 28) or None
    if x is None:
        empty = np.zeros(SIDE * SIDE)
        return {"digit": None, "name": None, "outputs": [], "hidden": [], "input": empty.tolist(), "empty": True}
    return answer(ctx, x) | {"empty": False}


def dataset_item(ctx: Context, split: str, index: int) -> dict:
    dataset = _dataset(ctx)
    images, labels = ctx.cache.get(split, dataset)
    if not 0 <= index < len(images):
        raise WebError("web.error.index", status=404, index=index, last=len(images) - 1)
    label = int(labels[index].argmax())
    item = {"split": split, "index": index, "count": len(images), "label": label,
            "label_name": _classes(dataset)[label]}
    if ctx.store.model is None:
        return item | {"digit": None, "name": None, "outputs": [], "hidden": [],
                       "input": np.round(images[index], 4).tolist()}
    return item | answer(ctx, images[index])


def model_info(ctx: Context) -> dict:
    model = ctx.store.model
    info = {"ready": model is not None, "training": ctx.trainer.running, "path": str(ctx.store.path)}
    if model is None:
        return info
    net, meta = model.network, model.info
    history = [{k: e.get(k) for k in ("epoch", "precision", "test_accuracy")}
               for e in (meta.get("history") or {}).get("epochs", [])]
    dataset = meta.get("dataset") or "mnist"
    return info | {"sizes": net.sizes, "activations": list(net.activations), "mode": meta.get("mode"),
                   "dataset": dataset, "classes": _classes(dataset), "config": meta.get("config"),
                   "test_accuracy": meta.get("test_accuracy"), "train_precision": meta.get("train_precision"),
                   "history": history}


def options(ctx: Context) -> dict:
    training = modern_module()
    presets = getattr(training, "PRESETS", {}) if training else {}
    defaults = dataclasses.asdict(faithful.FaithfulConfig())
    return {"modes": ["faithful", "modern"] if training else ["faithful"],
            "presets": {name: config_dict(config) for name, config in presets.items()},
            "defaults": {k: defaults[k] for k in ("epochs", "hidden", "learn_rate", "seed")},
            "limits": {"epochs": [1, 1000], "hidden": [1, 4096], "learn_rate": [0, faithful.MAX_LEARN_RATE],
                       "seed": [0, 2**32 - 1]},
            "sigmoid_cases": list(SIGMOID_CASES), "counts": dict(data.N_IMAGES), "max_side": schemas.MAX_SIDE}


def plan_for(req: schemas.TrainRequest, dataset: str) -> Plan:
    """The validated plan for a training request (ConfigError -> 422 with the library's message)."""
    if req.mode == "faithful":
        config = faithful.FaithfulConfig(hidden=req.hidden, learn_rate=req.learn_rate, epochs=req.epochs,
                                         seed=req.seed).validate()
        return Plan("faithful", config, dataset)
    training = modern_module()
    if training is None:
        raise WebError("web.error.no_modern", status=422)
    presets = getattr(training, "PRESETS", {}) or {}
    if req.preset is not None and req.preset not in presets:
        raise WebError("web.error.preset", status=422, value=req.preset, choices=", ".join(sorted(presets)))
    base = presets[req.preset] if req.preset else training.TrainConfig()
    config = dataclasses.replace(base, **_overrides(base, req))
    if hasattr(config, "validate"):
        config.validate()
    return Plan("modern", config, dataset, req.preset)


def _overrides(base, req: schemas.TrainRequest) -> dict:
    """The request's settings that the modern config has (the preset gives the rest)."""
    asked = {"epochs": req.epochs, "learn_rate": req.learn_rate, "seed": req.seed}
    if req.layers is not None:
        asked["layers"] = tuple(req.layers)
    names = {f.name for f in dataclasses.fields(base)}
    return {k: v for k, v in asked.items() if k in names}


def decimal(x: float, digits: int, lang: str) -> str:
    """``93.3246`` -> ``"93,32"`` in French, ``"93.32"`` in English."""
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


def experiments_dir(ctx: Context) -> Path:
    return ctx.experiments_dir or experiments.default_folder()


def render_event(event: Event, lang: str) -> dict:
    """An event with its sentences written in ``lang``."""
    out = {"id": event.id, "kind": event.kind, **event.data}
    d = event.data
    if event.kind == "epoch":
        if "precision" in d:
            out["line"] = t("train.epoch_line", lang=lang, epoch=d["epoch"], precision=d["precision"])
        else:
            out["line"] = t("web.train.modern_line", lang=lang, epoch=d["epoch"],
                            train=decimal(d.get("train_accuracy", float("nan")), 2, lang))
        if d.get("test_accuracy") is not None:
            out["test_line"] = t("web.train.test_point", lang=lang, accuracy=decimal(d["test_accuracy"], 2, lang))
    elif event.kind == "done":
        out["message"] = t("web.train.done", lang=lang, accuracy=decimal(d["test_accuracy"], 2, lang),
                           seconds=decimal(d["seconds"], 1, lang), path=d["path"])
        if "save_error" in d:
            out["warning"] = t(d["save_error"]["key"], lang=lang, **d["save_error"]["params"])
    elif event.kind == "stopped":
        out["message"] = t("web.train.stopped", lang=lang, n=d["epochs_done"])
    elif event.kind == "failed":
        out["message"] = t(d["key"], lang=lang, **d["params"])
        out.pop("params", None)
    return out


def train_status(ctx: Context, lang: str) -> dict:
    """The current or last run: its plan and its events (of the progress reports, only the latest)."""
    trainer = ctx.trainer
    events = trainer.events_since(0)
    progress = [e for e in events if e.kind == "progress"]
    kept = [e for e in events if e.kind != "progress" or e is progress[-1]]
    return {"state": trainer.state, "plan": trainer.plan.summary() if trainer.plan else None,
            "events": [render_event(e, lang) for e in kept]}


async def event_stream(ctx: Context, request: Request, first: int, lang: str):
    """Server-sent events: the run's events from id ``first``, live, until the run ends."""
    yield "retry: 1000\n\n"
    while True:
        ended = not ctx.trainer.running  # read before the events, so none is missed
        for event in ctx.trainer.events_since(first):
            yield f"id: {event.id}\ndata: {json.dumps(render_event(event, lang))}\n\n"
            first = event.id + 1
        if ended:
            yield f"data: {json.dumps({'kind': 'end', 'state': ctx.trainer.state})}\n\n"
            return
        if await request.is_disconnected():
            return
        await asyncio.sleep(POLL)


# ---------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------

def _add_routes(app: FastAPI, ctx: Context) -> None:
    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/messages", response_model=schemas.Messages)
    def messages(request: Request):
        lang = lang_of(request, ctx)
        return {"lang": lang, "messages": {k: pair[LANGUAGES.index(lang)]
                                           for k, pair in MESSAGES.items() if k.startswith("web.")}}

    @app.get("/api/options", response_model=schemas.Options)
    def get_options():
        return options(ctx)

    @app.get("/api/model", response_model=schemas.ModelInfo)
    def get_model():
        return model_info(ctx)

    @app.post("/api/predict", response_model=schemas.PredictResponse)
    def post_predict(req: schemas.PredictRequest):
        return predict(ctx, req)

    @app.get("/api/dataset/{split}/{index}", response_model=schemas.DatasetItem)
    def get_item(split: Literal["train", "test"], index: int):
        return dataset_item(ctx, split, index)

    @app.post("/api/train", response_model=schemas.TrainStatus, status_code=202)
    def post_train(req: schemas.TrainRequest, request: Request):
        ctx.trainer.start(plan_for(req, "mnist"))
        return train_status(ctx, lang_of(request, ctx))

    @app.post("/api/train/stop", response_model=schemas.TrainStatus)
    def post_stop(request: Request):
        ctx.trainer.stop()
        return train_status(ctx, lang_of(request, ctx))

    @app.get("/api/train", response_model=schemas.TrainStatus)
    def get_train(request: Request):
        return train_status(ctx, lang_of(request, ctx))

    @app.get("/api/train/events")
    async def get_events(request: Request, since: int = 0):
        last = request.headers.get("last-event-id", "")
        first = int(last) + 1 if last.isdigit() else since
        return StreamingResponse(event_stream(ctx, request, first, lang_of(request, ctx)),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.get("/api/experiments", response_model=schemas.Experiments)
    def get_experiments():
        return experiments.summary(experiments_dir(ctx))

    @app.get("/experiments/{path:path}", include_in_schema=False)
    def get_experiment_file(path: str):
        return FileResponse(experiments.served_file(experiments_dir(ctx), path), headers={"Cache-Control": "no-cache"})
