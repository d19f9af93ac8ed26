"""No explicit null where a field has a default, on every JSON request of ``reseau web`` and ``reseau classe``.

A field left out takes its default; the same field sent as ``null`` gets a 422 that names it, in the
request's language.  The cases are not listed by hand: the test walks each app's routes, takes the
request model of every POST route and, for every field with a default (nested models included), sends a
valid body with that field set to null.  A new route, model or field is covered without touching this file
(a new POST route only needs a valid body in :func:`valid_body`, and the test says so).
"""

from __future__ import annotations

import base64
import json
import typing
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from reseau.classe import create_classe_app
from reseau.i18n import t
from reseau.web import create_app
from reseau.web.errors import NULL_ERROR
from reseau.web.schemas import Strict

TOKEN = "teacher-token-for-tests"
BASE = "http://127.0.0.1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DRAWING = {"width": 2, "height": 2, "pixels": [0, 1, 1, 0]}
LANGS = ("fr", "en")


# ---------------------------------------------------------------------------
# Walking the apps: every POST route's request model, every field with a default
# ---------------------------------------------------------------------------


def api_routes(routes: list, prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """``(path, route)`` for every API route of ``routes``, into included routers (FastAPI keeps them whole)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes, prefix + (route.include_context.prefix or ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def posted_models(app) -> dict[str, type[BaseModel]]:
    """Path -> the request model of every POST route that takes a JSON body."""
    found = {}
    for path, route in api_routes(app.routes):
        body = route.dependant.body_params
        if "POST" in route.methods and body:
            assert len(body) == 1, f"{path}: one body model per route (an embedded body is not walked here)"
            found[path] = body[0].field_info.annotation
    return found


def model_in(annotation: object) -> type[BaseModel] | None:
    """The pydantic model a field holds (``Drawing | None`` -> ``Drawing``), if any."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def nulled(model: type[BaseModel], body: dict, where: tuple = ()) -> Iterator[tuple[str, dict]]:
    """``(field name as the error writes it, body with that field null)`` for each field with a default."""
    for name, field in model.model_fields.items():
        if not field.is_required():
            yield ".".join((*where, name)), body | {name: None}
        inner = model_in(field.annotation)
        if inner is not None and isinstance(body.get(name), dict):  # a nested model: its fields too
            for dotted, inner_body in nulled(inner, body[name], (*where, name)):
                yield dotted, body | {name: inner_body}


def valid_body(path: str, app) -> dict:
    """A body each POST route accepts; a new route makes the test fail here until it gets one."""
    classroom = getattr(app.state, "classroom", None)
    bodies = {
        "/api/predict": DRAWING,
        "/api/train": {},  # every field has a default: the document's network
        "/api/train/estimate": {},
        "/api/step/reset": {"session": "session-for-tests", "seed": 0},
        "/api/step": {"session": "session-for-tests", "drawing": DRAWING, "label": 3},
        "/api/classe/join": {"code": classroom and classroom.code, "name": "Léa"},
        "/api/classe/teacher/limits": {"max_epochs": 2, "max_hidden": 30, "modes": ["faithful"], "constraint": "lr"},
        "/api/photo": {"image": base64.b64encode(b"not looked at: the body is only validated").decode()},
        "/api/classe/resume": {"code": "K7P3-QXAB"},
        "/api/classe/teacher/joining": {"open": True, "size": 30},
        "/api/classe/teacher/students/{student_id}/rename": {"name": "Tom"},
        "/api/classe/teacher/students/{student_id}/remove": {"runs": "keep"},
        "/api/classe/digits": {"images": base64.b64encode(bytes(784)).decode(), "labels": [3]},
        "/api/classe/teacher/digits": {"allowed": True},
    }
    assert path in bodies, f"POST {path} is new: give valid_body() a body it accepts"
    return bodies[path]


def null_cases(app) -> list[tuple[str, str, dict]]:
    """``(path, field, body)``: every field with a default of every POST route, sent as null."""
    cases = []
    for path, model in posted_models(app).items():
        body = valid_body(path, app)
        model.model_validate(body)  # the body is valid: a 422 can only be the null's
        cases += [(path, field, nulled_body) for field, nulled_body in nulled(model, body)]
    return cases


# ---------------------------------------------------------------------------
# The two apps, as tests/test_web_api.py and tests/test_classe.py make them
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """``reseau web`` with no model file and no training at start (a refused request needs none)."""
    folder = tmp_path_factory.mktemp("web-nulls")
    app = create_app(folder / "model.safetensors", train_if_missing=False, experiments_dir=folder / "experiments")
    with TestClient(app, base_url=BASE) as client:
        yield app, {path: client for path, _ in api_routes(app.routes)}


@pytest.fixture(scope="module")
def classe(tmp_path_factory):
    """``reseau classe``: a joined student asks, the teacher (with the token) sets the limits."""
    app = create_classe_app(
        "test", root=tmp_path_factory.mktemp("classe-nulls"), host="127.0.0.1", token=TOKEN, train_images=2000
    )
    with TestClient(app, base_url=BASE) as teacher:
        lea = TestClient(app, base_url=BASE)  # a second client of the same app (its lifespan runs once)
        joined = lea.post("/api/classe/join", json={"code": app.state.classroom.code, "name": "Léa"})
        assert joined.status_code == 200, joined.text
        teacher.headers.update(AUTH)
        yield app, {path: teacher if "/teacher/" in path else lea for path, _ in api_routes(app.routes)}


def check_nulls_are_refused(app, clients: dict, lang: str) -> int:
    """Send every null case; each gets a 422 naming its field in ``lang``. The number of cases sent."""
    wrong = []
    for path, field, body in null_cases(app):
        response = clients[path].post(f"{path}?lang={lang}", json=body)
        answer = response.json()
        expected = t("web.error.null", lang=lang, field=field)
        if response.status_code != 422 or answer.get("field") != field or answer.get("detail") != expected:
            wrong.append(f"POST {path} {field}=null -> {response.status_code} {answer}")
    assert not wrong, "\n".join(wrong)
    return len(null_cases(app))


# ---------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------


def test_the_walk_finds_every_request_model_and_the_reported_case(web, classe):
    web_models, classe_models = posted_models(web[0]), posted_models(classe[0])
    names = {model.__name__ for model in (*web_models.values(), *classe_models.values())}
    assert {"PredictRequest", "TrainRequest", "ResetRequest", "StepRequest", "JoinRequest", "LimitsRequest"} <= names
    cases = {(path, field) for path, field, _ in null_cases(web[0])}
    assert ("/api/train", "mode") in cases  # {"mode": null} was once taken as the default
    assert ("/api/classe/teacher/limits", "constraint") in {(p, f) for p, f, _ in null_cases(classe[0])}


@pytest.mark.parametrize("which", ["web", "classe"])
def test_the_api_description_offers_no_null_where_one_is_refused(which, request):
    app = request.getfixturevalue(which)[0]
    described = app.openapi()["components"]["schemas"]
    for model in posted_models(app).values():
        for name, field in model.model_fields.items():
            if not field.is_required():
                assert "null" not in json.dumps(described[model.__name__]["properties"][name]), (model, name)


@pytest.mark.parametrize("lang", LANGS)
def test_a_null_for_a_field_with_a_default_is_refused_by_the_web_page(web, lang):
    assert check_nulls_are_refused(*web, lang) > 10


@pytest.mark.parametrize("lang", LANGS)
def test_a_null_for_a_field_with_a_default_is_refused_by_the_classroom(classe, lang):
    assert check_nulls_are_refused(*classe, lang) > 10


def test_the_message_names_the_field_in_both_languages_and_counts_the_other_nulls(web):
    clients = web[1]
    for lang, accept in (("fr", "fr-FR,fr;q=0.9"), ("en", "en-GB,en;q=0.8")):
        answer = clients["/api/train"].post("/api/train", json={"mode": None}, headers={"Accept-Language": accept})
        assert answer.status_code == 422
        assert answer.json() == {
            "detail": t("web.error.null", lang=lang, field="mode"),
            "key": "web.error.null",
            "field": "mode",
        }
    two = clients["/api/train"].post("/api/train?lang=en", json={"mode": None, "epochs": None}).json()
    assert two["field"] == "mode" and two["detail"].startswith(t("web.error.null", lang="en", field="mode") + " (")


def test_a_field_left_out_still_takes_its_default(web):
    client = web[1]["/api/train/estimate"]
    estimate = client.post("/api/train/estimate", json={})
    assert estimate.status_code == 200, estimate.text
    assert estimate.json() == client.post("/api/train/estimate", json={"mode": "faithful"}).json()


def test_a_model_may_accept_null_on_purpose_when_it_says_so():
    class Choice(Strict):
        NULL_ACCEPTED = frozenset({"model"})  # here null would mean "no model at all", not "not given"
        model: str | None = "default"
        seed: int = 0

    assert Choice.model_validate({"model": None}).model_dump() == {"model": None, "seed": 0}
    errors = pytest.raises(ValidationError, Choice.model_validate, {"seed": None}).value.errors()
    assert [(e["type"], e["loc"]) for e in errors] == [(NULL_ERROR, ("seed",))]
