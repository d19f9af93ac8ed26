"""Mistakes a page or a client can make, and the JSON answers they get.

Every error is answered as ``{"detail": message, "key": key, "field": field}``
with a 4xx status when the request is at fault, its message in the request's
language: ``?lang=``, else ``Accept-Language``, else the server's.  Pydantic's
validation errors are turned into one sentence from the message table (the
first problem, and how many more there are).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from reseau.errors import ConfigError, DataError, DivergenceError, ModelFileError, ReseauError
from reseau.i18n import counted, normalise, t


class WebError(ReseauError):
    """A request the server cannot honour; ``status`` is the HTTP code of the answer."""

    def __init__(self, key: str, status: int = 400, **params: object) -> None:
        super().__init__(key, **params)
        self.status = status


def status_of(err: ReseauError) -> int:
    """The HTTP status for any :class:`ReseauError` (4xx: the client can fix it)."""
    if isinstance(err, WebError):
        return err.status
    if isinstance(err, (ConfigError, DivergenceError)):
        return 422
    if isinstance(err, DataError):
        return 503  # the server lacks its data files: not the page's fault, but not a crash either
    if isinstance(err, ModelFileError):
        return 500
    return 400


def asked_lang(query_lang: str | None, accept_language: str | None, default: str) -> str:
    """``?lang=``, else the first language of ``Accept-Language``, else ``default``."""
    asked = (query_lang or accept_language or "").split(",")[0].split(";")[0].strip()
    return normalise(asked) if asked else default


def error_body(key: str, lang: str, params: dict | None = None, field: str | None = None) -> dict:
    return {"detail": t(key, lang=lang, **(params or {})), "key": key, "field": field}


def error_response(
    status: int, key: str, lang: str, params: dict | None = None, field: str | None = None
) -> JSONResponse:
    return JSONResponse(error_body(key, lang, params, field), status_code=status)


def field_name(loc: tuple) -> str | None:
    """``("body", "pixels", 3)`` -> ``"pixels[3]"``; None for the body as a whole."""
    name = ""
    for part in (p for p in loc if p not in ("body", "query", "path")):
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or None


NULL_ERROR = "null_for_a_default"  # reseau.web.schemas.Strict's error: null sent where leaving out is meant

_ERROR_KEYS = {  # pydantic error type -> our message key
    NULL_ERROR: "web.error.null",
    "json_invalid": "web.error.json",
    "missing": "web.error.missing",
    "float_type": "web.error.number",
    "float_parsing": "web.error.number",
    "finite_number": "web.error.finite",
    "int_type": "web.error.integer",
    "int_parsing": "web.error.integer",
    "int_from_float": "web.error.integer",
    "bool_type": "web.error.boolean",
    "bool_parsing": "web.error.boolean",
    "greater_than_equal": "web.error.min",
    "greater_than": "web.error.min",
    "less_than_equal": "web.error.max",
    "less_than": "web.error.max",
    "too_long": "web.error.too_long",
    "extra_forbidden": "web.error.unknown_field",
    "literal_error": "web.error.choice",
    "string_type": "web.error.text",
    "list_type": "web.error.list",
    "model_attributes_type": "web.error.object",
    "dict_type": "web.error.object",
}
_BODY_KEYS = ("web.error.json",)  # the body as a whole is unreadable: 400


def validation_error(errors: list[dict], lang: str) -> JSONResponse:
    """The first problem of a request that failed validation, as one clear sentence."""
    first = errors[0]
    key = _ERROR_KEYS.get(first["type"], "web.error.invalid")
    # (a body not sent as JSON never gets here: reseau.web.middleware.SameOrigin answers it 415)
    field = None if key in _BODY_KEYS else field_name(tuple(first.get("loc", ())))
    if key == "web.error.missing" and field is None:  # no body at all: it should have been a JSON object
        key = "web.error.object"
    body = error_body(key, lang, _params(first, field, lang), field)
    if len(errors) > 1:
        body["detail"] += " " + t("web.error.more", lang=lang, more=counted(len(errors) - 1, "unit.more_error", lang))
    return JSONResponse(body, status_code=400 if key in _BODY_KEYS else 422)


def _params(error: dict, field: str | None, lang: str) -> dict:
    ctx = error.get("ctx") or {}
    value = repr(error.get("input"))
    return {
        "field": field or "body",
        "value": value if len(value) <= 40 else value[:37] + "…",
        "limit": next((ctx[k] for k in ("ge", "gt", "le", "lt", "max_length") if k in ctx), ""),
        "expected": str(ctx.get("expected", "")).replace(" or ", t("web.or", lang=lang)),
        "reason": ctx.get("error", error.get("msg", "")),
    }


Shown = Callable[[str, dict, str], tuple[str, dict]]  # (key, params, lang) -> the key and params its reader gets


def add_error_handlers(app: FastAPI, default_lang: Callable[[], str], shown: Shown | None = None) -> None:
    """Answer every error with one clear JSON sentence; a bug gets a 500 and no traceback.

    ``shown`` rewrites a :class:`ReseauError`'s message for its reader (the classroom hides the server's paths)."""

    def lang_of(request: Request) -> str:
        return asked_lang(request.query_params.get("lang"), request.headers.get("accept-language"), default_lang())

    @app.exception_handler(ReseauError)
    async def reseau_error(request: Request, err: ReseauError):  # a configuration's error names its field
        lang = lang_of(request)
        key, params = shown(err.key, err.params, lang) if shown else (err.key, err.params)
        field = params.get("field")
        return error_response(status_of(err), key, lang, params, str(field) if field else None)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError):
        return validation_error(list(err.errors()), lang_of(request))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException):
        key = {404: "web.error.not_found", 405: "web.error.method"}.get(err.status_code, "web.error.http")
        params = {"path": request.url.path, "method": request.method, "status": err.status_code}
        return error_response(err.status_code, key, lang_of(request), params)

    @app.exception_handler(Exception)
    async def crash(request: Request, err: Exception):  # a bug: the server logs it; the page gets one line
        return error_response(500, "web.error.internal", lang_of(request))


def scope_lang(scope: dict, default_lang: str) -> str:
    """The language of a request seen by an ASGI middleware (before FastAPI): as :func:`asked_lang`."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
    headers = dict(scope.get("headers", []))
    return asked_lang(query, headers.get(b"accept-language", b"").decode("latin-1"), default_lang)


def error_json(key: str, lang: str, params: dict | None = None) -> bytes:
    """An error answer's JSON bytes, for the middlewares (which answer before FastAPI)."""
    return json.dumps(error_body(key, lang, params)).encode()
