"""Training from the page: how long it will take, start a run, stop it, follow its events (server-sent events)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import TypeAdapter

from reseau import trainers
from reseau.history import EpochReport
from reseau.i18n import counted, format_number, t
from reseau.web import schemas
from reseau.web.deps import Context, ContextDep, LangDep
from reseau.web.jobs import Event, Plan, estimate

POLL = 0.05  # seconds between looks at the event log while streaming
MAX_ID_DIGITS = 18  # an event id fits in 18 digits (one event a microsecond for 30 000 years)
EVENT = TypeAdapter(schemas.EventOut)  # an event's dict -> its typed model (by its "kind")

router = APIRouter()


@router.post("/api/train", response_model=schemas.TrainStatus, status_code=202)
def start(ctx: ContextDep, lang: LangDep, req: schemas.TrainRequest) -> schemas.TrainStatus:
    """Start a training (202); 409 while one runs, 422 for a configuration that cannot be trained."""
    ctx.trainer.start(plan_for(req))
    return train_status(ctx, lang)


@router.post("/api/train/estimate", response_model=schemas.Estimate)
def estimate_time(ctx: ContextDep, lang: LangDep, req: schemas.TrainRequest) -> schemas.Estimate:
    """How long the training ``req`` describes would take on this computer; 422 for one that cannot be trained."""
    seconds, by = estimate(plan_for(req).config, ctx.shelf.entries())
    basis = t("web.estimate.measured", lang=lang, name=by.name) if by else t("web.estimate.reference", lang=lang)
    return schemas.Estimate(seconds=seconds, text=duration(seconds, lang), measured=by is not None, basis=basis)


def duration(seconds: float, lang: str) -> str:
    """A rough duration in words: "environ 4 min", "about 1 h 05 min"."""
    if seconds < 60:
        n = max(1, round(seconds)) if seconds < 10 else 5 * round(seconds / 5)
        return t("web.estimate.seconds", lang=lang, n=n)
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return t("web.estimate.minutes", lang=lang, n=minutes)
    hours, rest = divmod(5 * round(minutes / 5), 60)
    return t("web.estimate.hours", lang=lang, h=hours, m=f"{rest:02d}")


@router.post("/api/train/stop", response_model=schemas.TrainStatus)
def stop(ctx: ContextDep, lang: LangDep) -> schemas.TrainStatus:
    """Stop the run at its next progress report; the model in use is untouched."""
    ctx.trainer.stop()
    return train_status(ctx, lang)


@router.get("/api/train", response_model=schemas.TrainStatus)
def status(ctx: ContextDep, lang: LangDep) -> schemas.TrainStatus:
    return train_status(ctx, lang)


@router.get("/api/train/events")
async def events(ctx: ContextDep, lang: LangDep, request: Request, since: int = 0) -> StreamingResponse:
    """The run's events from id ``since`` (or after ``Last-Event-ID``), live, until the run ends."""
    last = event_id(request.headers.get("last-event-id"))
    first = last + 1 if last is not None else since
    return StreamingResponse(
        event_stream(ctx, request, first, lang),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def event_id(header: str | None) -> int | None:
    """The id of a ``Last-Event-ID`` header (the browser resends the last id it got), or None.

    Anything but a plain decimal number (``"²"``, ``"-1"``, 5 000 digits) is
    treated as absent: the stream then starts from ``since``.
    """
    if header is None or not (header.isascii() and header.isdigit() and len(header) <= MAX_ID_DIGITS):
        return None
    return int(header)


# ---------------------------------------------------------------------------
# From a request to a plan
# ---------------------------------------------------------------------------


def plan_for(req: schemas.TrainRequest) -> Plan:
    """The validated plan for a training request (see :func:`reseau.trainers.configure`):
    the preset named, or the mode's, with the fields the request sets; a :class:`ConfigError` is a 422."""
    changes = req.model_dump(include=req.model_fields_set - {"mode", "preset"})
    config, preset = trainers.configure(req.preset, req.mode, changes)
    return Plan(config, "mnist", preset)


# ---------------------------------------------------------------------------
# Events, with their sentences in the reader's language
# ---------------------------------------------------------------------------


def train_status(ctx: Context, lang: str) -> schemas.TrainStatus:
    """The current or last run: its plan and its events (of the progress reports, only the latest)."""
    trainer = ctx.trainer
    events = trainer.events_since(0)
    progress = [e for e in events if e.kind == "progress"]
    kept = [e for e in events if e.kind != "progress" or e is progress[-1]]
    plan = trainer.plan
    return schemas.TrainStatus(
        state=trainer.state, plan=plan.summary() if plan else None, events=[render_event(e, plan, lang) for e in kept]
    )


async def event_stream(ctx: Context, request: Request, first: int, lang: str) -> AsyncIterator[str]:
    """Server-sent events: the run's events from id ``first``, live, until the run ends."""
    yield "retry: 1000\n\n"
    while True:
        ended = not ctx.trainer.running  # read before the events, so none is missed
        plan = ctx.trainer.plan
        for event in ctx.trainer.events_since(first):
            yield f"id: {event.id}\ndata: {EVENT.dump_json(render_event(event, plan, lang)).decode()}\n\n"
            first = event.id + 1
        if ended:
            yield f"data: {json.dumps({'kind': 'end', 'state': ctx.trainer.state})}\n\n"
            return
        if await request.is_disconnected():
            return
        await asyncio.sleep(POLL)


def render_event(event: Event, plan: Plan | None, lang: str) -> Any:
    """An event as its typed model (:data:`schemas.EventOut`), with its sentences written in ``lang``."""
    d = event.data
    out = {"id": event.id, "kind": event.kind, **d}
    if event.kind == "epoch":
        last = plan.config.epochs - 1 if plan else d["epoch"]
        out["line"] = EpochReport.from_dict(d).line(last, lang)  # what the program prints, as the command line does
        if d["test_accuracy"] is not None:
            out["test_line"] = t("web.train.test_point", lang=lang, accuracy=format_number(d["test_accuracy"], 2, lang))
    elif event.kind == "done":
        out["message"] = t(
            "web.train.done" if d["in_use"] else "web.train.done_saved",
            lang=lang,
            accuracy=format_number(d["test_accuracy"], 2, lang),
            seconds=format_number(d["seconds"], 1, lang),
            path=d["path"],
        )
        if "save_error" in d:
            out["warning"] = t(d["save_error"]["key"], lang=lang, **d["save_error"]["params"])
    elif event.kind == "stopped":
        key = d.get("key", "web.train.stopped")  # the classroom's: stopped by the server's stop (classe.train.*)
        out["message"] = t(key, lang=lang, epochs=counted(d["epochs_done"], "unit.complete_epoch", lang))
    elif event.kind == "failed":
        out["message"] = t(d["key"], lang=lang, **d["params"])
    return EVENT.validate_python(out)
