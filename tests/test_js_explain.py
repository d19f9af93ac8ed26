"""The « Pas à pas » tab computed in the browser (``static/local/step.js`` + ``static/engine/explain.js``) against
the server's routes (:mod:`reseau.web.routes.step`, :mod:`reseau.explain`), under Node.

The same requests, in the same order, go to a running ``reseau web`` app and to the JavaScript handlers
(their files read from ``RESEAU_DATA`` by a Node source): the document's start for seeds 0 and 3, one step
on image 0 (the document's o[5] 0,3152 -> 0,3288, delta_o[5] = -0,6848), ten steps from image 12, a step on a
test image, a drawing of a digit, and each bad request. The answers must be the same JSON: the same keys,
numbers within 1e-12 (rounded ones equal), the same error status, key, field and sentence.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import numpy as np
import pytest

from reseau.web import create_app
from reseau.web.server import BackgroundServer
from test_js_faithful import run_node

NODE = shutil.which("node")
MODEL = Path(__file__).parent / "data" / "v0.1-faithful.safetensors"  # the app needs one; the tab does not use it
SESSION = "explain-twin-0001"

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")


def drawing(image: np.ndarray, side: int = 112) -> dict:
    """An MNIST image (784,) as the page's pad would send it: ``side`` x ``side`` grey levels, 3 decimals."""
    grey = np.kron(image.reshape(28, 28), np.ones((side // 28, side // 28)))
    return {"width": side, "height": side, "pixels": np.round(grey, 3).ravel().tolist()}


def requests(test_images: np.ndarray) -> list[tuple[str, dict]]:
    """The requests both sides answer, one after the other on one session (then a second one)."""
    step = "/api/step"
    reset = "/api/step/reset"
    empty = {"width": 4, "height": 4, "pixels": [0.0] * 16}
    two = {"session": SESSION, "seed": 0}
    return [
        (reset, {"session": SESSION, "seed": 0}),
        (step, {**two, "index": 0}),  # the document's first step: o[5] 0,3152 -> 0,3288
        (step, {**two, "index": 12, "count": 10}),  # ten steps, the last one shown
        (step, {**two, "split": "test", "index": 5}),
        (step, {**two, "drawing": drawing(test_images[0]), "label": 7}),
        (step, {"session": "explain-twin-0002", "seed": 3, "index": 59999}),  # a new session starts from seed 3
        (reset, {"session": SESSION, "seed": 3}),
        (step, {**two, "seed": 3, "index": 1}),
        # Bad requests: the session does not move
        (step, two),  # neither an image nor a drawing
        (step, {**two, "index": 0, "drawing": drawing(test_images[1])}),  # both
        (step, {**two, "drawing": drawing(test_images[1])}),  # no label
        (step, {**two, "drawing": drawing(test_images[1]), "label": 3, "count": 2}),
        (step, {**two, "drawing": empty, "label": 3}),
        (step, {**two, "drawing": {"width": 3, "height": 2, "pixels": [0.5] * 5}, "label": 3}),
        (step, {**two, "index": 59995, "count": 10}),  # past the last training image
        (step, {**two, "split": "test", "index": 10000}),
        (step, {**two, "seed": -1, "index": 0}),
        (step, {**two, "seed": "abc", "index": 0}),
        (step, {**two, "index": 0, "count": 0}),
        (step, {**two, "index": 0, "count": 101}),
        (step, {**two, "drawing": empty, "label": 10}),
        (step, {**two, "split": "valid", "index": 0}),
        (step, {**two, "index": None}),
        (step, {**two, "index": 0, "colour": "red"}),
        (reset, {"session": "short", "seed": 0}),
        (step, {**two, "index": 2}),  # still where it was
    ]


@pytest.fixture(scope="module")
def server(mnist_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("js-explain")
    app = create_app(shutil.copy(MODEL, folder / "model.safetensors"), experiments_dir=folder / "experiments")
    with BackgroundServer(app) as served, httpx.Client(base_url=served.url, timeout=60) as client:
        yield client


def test_the_step_by_step_in_javascript_answers_as_the_server(tmp_path, server, mnist_dir, test_data):
    asked = requests(test_data[0])
    answers = []
    for path, body in asked:
        response = server.post(path, json=body, headers={"Accept-Language": "fr"})
        answers.append({"status": response.status_code, "json": response.json()})
    first = answers[1]["json"]["step"]  # what the document promises, checked on the Python side too
    assert (round(first["right_before"], 4), round(first["right_after"], 4)) == (0.3152, 0.3288)
    assert round(first["delta_o"][5], 4) == -0.6848
    assert [a["status"] for a in answers[8:-1]] == [422] * 6 + [404, 404] + [422] * 9
    messages = server.get("/api/messages", params={"lang": "fr"}).json()["messages"]
    cases = {"data": str(mnist_dir), "requests": [{"path": p, "body": b} for p, b in asked], "answers": answers,
             "messages": messages}
    path = tmp_path / "explain-cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    run_node("explain.test.mjs", "RESEAU_EXPLAIN_CASES", path)
