"""POST /api/photo: a photo of a digit on paper -> each step's picture and the network's answer (reseau.photo)."""

from __future__ import annotations

import base64
import binascii
import io

import numpy as np
from fastapi import APIRouter

from reseau.drawing import preprocessing_of
from reseau.photo import PhotoError, Steps, read_photo
from reseau.web import schemas
from reseau.web.deps import ContextDep, LangDep
from reseau.web.errors import WebError
from reseau.web.routes.model import answer, classes, feature_maps

router = APIRouter()
PREVIEW = 160  # pixels on the longer side of each step's picture


@router.post("/api/photo", response_model=schemas.PhotoResponse)
def photo(ctx: ContextDep, lang: LangDep, req: schemas.PhotoRequest) -> dict:
    """The photo's steps (small pictures) and what the network makes of the 28x28 image at their end."""
    model = ctx.model(req.model, lang)  # a bad name is refused before any work
    try:
        steps = read_photo(file_bytes(req.image), model)
    except PhotoError as exc:
        raise WebError(exc.key, status=422, **exc.params) from None
    x = steps.input.reshape(-1)  # (784,)
    stroke = preprocessing_of(model.info).normalise_stroke  # the last step's caption says it
    chosen = {"model": req.model, "classes": classes(model.info.dataset), "empty": False, "stroke_normalised": stroke}
    return answer(model, x) | feature_maps(model, x) | chosen | {"steps": pictures(steps)}


def file_bytes(text: str) -> bytes:
    """The file sent in base 64 (``data:image/jpeg;base64,...`` or the bare base 64)."""
    encoded = text.split(",", 1)[1] if text.startswith("data:") else text
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise WebError("photo.not_image", status=422, formats="PNG / JPEG") from None


def pictures(steps: Steps) -> dict[str, str]:
    """Each step as a small PNG data URL (ink dark on white paper, as on the sheet)."""
    ink = np.where(steps.kept, 0.0, np.where(steps.ink, 0.75, 1.0))  # the digit black, other ink (lines...) pale
    return {
        "photo": png(steps.photo),
        "grey": png(steps.grey),
        "flat": png(1 - steps.darkness),
        "ink": png(ink),
        "digit": png(1 - steps.digit),
        "input": png(1 - steps.input, side=28),
    }


def png(values: np.ndarray, side: int = PREVIEW) -> str:
    """``values (h, w)`` or ``(h, w, 3)`` in [0, 1] (1 = white) -> a PNG data URL, at most ``side`` pixels a side."""
    from PIL import Image

    image = Image.fromarray(np.uint8(np.round(np.clip(values, 0, 1) * 255)))
    image.thumbnail((side, side), Image.Resampling.BOX)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
