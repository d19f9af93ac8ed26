"""The « Pas à pas » tab: the document's network learning one image at a time, every number shown.

Each page (a random ``session`` name it makes) has its own network, kept in
the server's memory: it starts from the document's random weights for a
seed, and each step changes it as the document's loop would
(:func:`reseau.explain.step`).  After each request the network is measured
on a fixed sample, the first :data:`SAMPLE` test images (its cost and its
accuracy), so the page can draw them move::

    POST /api/step/reset   {"session": "...", "seed": 0}               the document's start again
    POST /api/step         {"session": "...", "seed": 0, "index": 12}  one step on training image 12
                           {..., "index": 12, "count": 10}            ten steps, images 12 to 21 (shows the last)
                           {..., "drawing": {...}, "label": 5}        one step on a drawing of a 5

The sessions (:class:`reseau.web.state.Sessions`, the asker's own through
:data:`~reseau.web.deps.SessionsDep`) are forgotten when the server stops; at
most :data:`~reseau.web.state.MAX_SESSIONS` are kept, the least recently used
one is dropped first (a page that comes back starts again from the document's start).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from fastapi import APIRouter
from pydantic import Field

from reseau import explain
from reseau.config import SEED, STEPS
from reseau.drawing import to_mnist
from reseau.explain import Step
from reseau.web.deps import ContextDep, SessionsDep
from reseau.web.errors import WebError
from reseau.web.schemas import Drawing, Strict
from reseau.web.state import Session

SAMPLE = 1000  # the first SAMPLE test images measure the network after each request
HISTORY = 2000  # (steps, cost, accuracy) points kept per session for the page's curve
SESSION = r"^[A-Za-z0-9_-]{8,64}$"  # a name the page makes up (crypto.randomUUID)

router = APIRouter()


# ---------------------------------------------------------------------------
# Requests and answers
# ---------------------------------------------------------------------------


class ResetRequest(Strict):
    session: str = Field(pattern=SESSION)
    seed: int = Field(0, ge=SEED.low, le=SEED.high, strict=True)  # the start (of a step: if the server forgot it)


class StepRequest(ResetRequest):
    """One step (or ``count``) on dataset images from ``index``, or one on a drawing of the digit ``label``."""

    split: Literal["train", "test"] = "train"
    index: int | None = Field(None, ge=0, strict=True)
    count: int = Field(1, ge=STEPS.low, le=STEPS.high, strict=True)  # the « Lecture » button asks for several
    drawing: Drawing | None = None
    label: int | None = Field(None, ge=0, le=9, strict=True)


# ---------------------------------------------------------------------------
# The routes
# ---------------------------------------------------------------------------


@router.post("/api/step/reset")
def reset(ctx: ContextDep, sessions: SessionsDep, req: ResetRequest) -> dict[str, Any]:
    """Start the session again from the document's random weights for ``seed``."""
    session = sessions.get(req.session, req.seed, fresh=True)
    with session.lock:
        measure(session, sample(ctx))
        return state(req.session, session) | {"step": None, "derivative": None}


@router.post("/api/step")
def take_step(ctx: ContextDep, sessions: SessionsDep, req: StepRequest) -> dict[str, Any]:
    """One step of the document (or ``count``, one image after the other) and every number of the last one."""
    img, label, where = chosen_image(ctx, req)  # (count, 784), (count, 10) or a digit: checked before any step
    session = sessions.get(req.session, req.seed)
    with session.lock:
        if where["source"] == "dataset":
            found = explain.steps(img, label, session.weights)  # one after the other, as the document's loop
        else:
            found = [explain.step(img[0], label, session.weights)]
        last = found[-1]
        session.weights = last.after
        session.steps += len(found)
        measure(session, sample(ctx))
        return state(req.session, session) | {"step": step_json(last) | where, "derivative": derivative_json(last)}


def chosen_image(ctx, req: StepRequest) -> tuple[np.ndarray, Any, dict[str, Any]]:
    """The images the request names: ``count`` rows of a split from ``index``, or the drawing made 28x28."""
    if (req.index is None) == (req.drawing is None):
        raise WebError("web.step.error.which", status=422)
    if req.drawing is not None:
        return drawn_image(req, req.drawing)
    first = int(req.index)  # type: ignore[arg-type]  # not None: no drawing, so an index
    last = first + req.count - 1
    images, labels = ctx.cache.get(req.split, "mnist")  # the document's network learns MNIST
    if last >= len(images):
        raise WebError("web.error.index", status=404, field="index", index=last, last=len(images) - 1)
    rows = slice(first, last + 1)
    return images[rows], labels[rows], {"source": "dataset", "split": req.split, "index": last, "first": first}


def drawn_image(req: StepRequest, drawing: Drawing) -> tuple[np.ndarray, int, dict[str, Any]]:
    if req.label is None:
        raise WebError("web.step.error.label", status=422, field="label")
    if req.count != 1:
        raise WebError("web.step.error.count", status=422, field="count")
    x = to_mnist(drawing.grey())  # (28, 28) float32, or None: made as the Draw tab makes its drawings
    if x is None:
        raise WebError("web.step.error.empty", status=422, field="drawing")
    return x.reshape(1, -1), req.label, {"source": "drawing", "split": None, "index": None, "first": None}


def sample(ctx) -> tuple[np.ndarray, np.ndarray]:
    """The fixed sample: the first :data:`SAMPLE` test images and their labels."""
    images, labels = ctx.cache.get("test", "mnist")
    return images[:SAMPLE], labels[:SAMPLE]


def measure(session: Session, sample: tuple[np.ndarray, np.ndarray]) -> None:
    """Add the session's cost (mean cross-entropy) and accuracy (%) on the sample to its history."""
    network = session.weights.network()
    point = {
        "steps": float(session.steps),
        "cost": explain.sample_cost(network, *sample),
        "accuracy": network.accuracy(*sample),
    }
    session.history.append(point)
    del session.history[:-HISTORY]


def state(name: str, session: Session) -> dict[str, Any]:
    """What the page shows of a session besides the step: its start, its steps, the sample's curve."""
    return {
        "session": name,
        "seed": session.seed,
        "steps": session.steps,
        "learn_rate": explain.LEARN_RATE,
        "hidden": session.weights.hidden,
        "sample": SAMPLE,
        "history": session.history,
    }


def step_json(step: Step) -> dict[str, Any]:
    """Every number of the step but the change to ``w_i_h`` (the page makes it: ``-learn_rate * delta_h * img``)."""
    found = step.to_dict()
    del found["change_w_i_h"]
    found["img"] = np.round(step.img.reshape(-1), 4).tolist()
    found["largest"] = [c.__dict__ | {"name": c.name} for c in step.largest_changes(5)]
    return found


def derivative_json(step: Step) -> dict[str, Any]:
    """The cost along the weight that moved the most, wide and close up (the page's derivative plot)."""
    d = explain.derivative(step)
    reach = 3 * (abs(d.change) or 0.01)
    close = np.linspace(d.value - reach, d.value + reach, 41)  # (41,)
    return d.to_dict() | {
        "close_xs": close.tolist(),
        "close_costs": explain.cost_along(step, d.layer, d.row, d.col, close).tolist(),
    }
