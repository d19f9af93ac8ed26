"""The page itself, its sentences and what its forms may offer."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from reseau import data, kinds, trainers
from reseau.i18n import LANGUAGES, number_format
from reseau.locales import MESSAGES
from reseau.measured import help_claims
from reseau.web import schemas
from reseau.web.deps import LangDep

STATIC = Path(__file__).parents[1] / "static"
SIGMOID_CASES = ({"w": 1.0, "b": 0.0}, {"w": 4.0, "b": 0.0}, {"w": 0.25, "b": 0.41})  # the document's three plots
FORM = ("epochs", "hidden", "learn_rate", "seed")  # the training form's fields (the document's network)

router = APIRouter()


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


# The message keys the page reads: its own (web.), the kinds' names, and what a training in the browser writes as
# `reseau train` does (local/train.js: the document's epoch line, a divergence, a stop, a refused setting)
PAGE_MESSAGES = ("web.", "kind.", "train.epoch_line", "train.diverged", "unit.complete_epoch.", "config.bad_")


@router.get("/api/messages", response_model=schemas.Messages)
def messages(lang: LangDep) -> dict:
    """Every sentence of the page (``web.``, and the kinds' names ``kind.``) in the request's language, and how
    that language writes numbers."""
    return messages_of(PAGE_MESSAGES, lang, help_claims(lang))


def messages_of(prefix: str | tuple[str, ...], lang: str, claims: dict[str, str] | None = None) -> dict:
    """The sentences whose key starts with ``prefix``, in ``lang`` (:func:`with_measured` ``claims`` filled in),
    and how that language writes numbers (a schemas.Messages)."""
    column = LANGUAGES.index(lang)
    said = {k: with_measured(pair[column], claims or {}) for k, pair in MESSAGES.items() if k.startswith(prefix)}
    return {"lang": lang, "messages": said, "format": number_format(lang)}


def with_measured(text: str, claims: dict[str, str]) -> str:
    """``{dessin_time}`` and the like filled in from :func:`reseau.measured.help_claims` (``4 à 4,5 min``); the
    page fills the other ``{names}`` itself."""
    for key, claim in claims.items():
        text = text.replace(f"{{{key}}}", claim)
    return text


@router.get("/api/options", response_model=schemas.Options)
def options() -> dict:
    """The kinds of network, every preset, the document's values and their limits, the sigmoid cases."""
    document = kinds.document().config_class()()
    limits = document.limits()
    return {
        "modes": list(kinds.KINDS),
        "kinds": {mode: kind.to_dict() for mode, kind in kinds.KINDS.items()},
        "presets": {
            name: {"mode": config.mode, "config": config.to_dict()} for name, config in trainers.presets().items()
        },
        "defaults": {name: getattr(document, name) for name in FORM},
        "limits": {name: limits[name] for name in FORM},
        "sigmoid_cases": list(SIGMOID_CASES),
        "counts": dict(data.N_IMAGES),
        "max_side": schemas.MAX_SIDE,
    }
