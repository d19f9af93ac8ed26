"""The drawing's answer computed in the browser (``static/local/predict.js``) against the server's route.

Python makes three model files during the test — the document's network (its seed-0 start, then its loop
over 1 000 images), a small modern MLP and a small convolutional network, each briefly trained — and asks
its own app (``reseau web``'s routes, through a TestClient) for ``POST /api/predict`` on 20 varied drawings
with each, an empty pad and raw 28x28 images, ``GET /api/dataset/...`` on a few images, and bad requests.
It writes the requests, the answers, the page's state (``/api/models``, ``/api/model``, ``/api/options``,
``/api/messages``) and the folders to a JSON file; ``tests/js/predict.test.mjs`` (its path in
``RESEAU_PREDICT_CASES``) answers the same requests with predict.js, reading the model files and MNIST's from
those folders, and must give the same JSON: every field equal, the numbers within 1e-12 for the document's
network (float64 on both sides), 1e-5 (relative) for the float32 networks, plus one step of the server's
rounding (6 decimals, 4 for the feature maps) where a float32 value and its float64 twin fall on either side
of a rounding step; and the same sentence for each bad request.

Then the classroom serves each student their own model files (the page computes from them) and the same
JS modules; and in Chromium, drawing on ``reseau web``'s page gets an answer with no POST /api/predict.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from reseau import data, drawing, faithful, modelfile
from reseau.modelfile import ModelInfo, SavedModel
from reseau.training import cnn, trainer
from reseau.training.cnn_config import CNNConfig
from reseau.training.config import TrainConfig
from reseau.web import create_app
from test_js_drawing import N, enlarged, page_grey, random_drawing, strokes
from test_js_faithful import run_node

NODE = shutil.which("node")
BASE = "http://127.0.0.1"
EXACT = 1e-12  # the document's network: float64 on both sides
FLOAT32 = 1e-5  # the modern MLP and the CNN compute in float32 in Python, float64 in the browser

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")


# ---------------------------------------------------------------------------
# The networks and the drawings (made here, during the test)
# ---------------------------------------------------------------------------


OWN = drawing.Preprocessing(normalise_stroke=True, stroke=3.1, pen=(-0.5, 1.5))  # a network's own record


def document_model(train_data) -> SavedModel:
    """The document's network: its seed-0 start, one epoch of its loop over the first 1 000 images."""
    config = faithful.FaithfulConfig(epochs=1)
    network, history = faithful.train(train_data[0][:1000], train_data[1][:1000], config)
    return SavedModel(network, ModelInfo.build(config, history, preset="document"))


def mlp_model(train_data) -> SavedModel:
    """A 784-32-16-10 relu/softmax MLP of the modern trainer (float32), one epoch on 1 000 images."""
    config = TrainConfig(layers=(32, 16), epochs=1, val_size=0)
    network, history = trainer.train(train_data[0][:1000], train_data[1][:1000], config)
    assert network.weights[0].dtype == np.float32
    info = replace(ModelInfo.build(config, history), preprocessing=drawing.NO_STROKE)  # its own: no stroke change
    return SavedModel(network, info)


def cnn_model(train_data) -> SavedModel:
    """Conv 4 (5x5) and 8 (3x3) filters, batch norm, dense 16: one epoch on 320 images (float32)."""
    config = CNNConfig(conv=(4, 8), kernels=(5, 3), dense=(16,), epochs=1, batch_size=32, val_size=0)
    network, history = cnn.train(train_data[0][:320], train_data[1][:320], config)
    return SavedModel(network, replace(ModelInfo.build(config, history), preprocessing=OWN))


def drawings(test_images: np.ndarray) -> list[np.ndarray]:
    """20 drawings of the page's 112x112 pad: a 1, a 0, a dot, a tiny and a huge stroke, an off-centre one cut
    by the edge, thick and thin pens, MNIST digits enlarged, random ones."""
    rng = np.random.default_rng(2022)
    line = lambda *points: np.array(points, dtype=float)  # noqa: E731
    ring = [line(*[(56 + 35 * np.cos(a), 56 + 22 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 30)])]
    made = [
        page_grey(strokes([line((15, 58), (95, 54))], 8.4)),  # a 1 with the page's pen
        page_grey(strokes(ring, 8.4)),  # a 0
        page_grey(strokes([line((50, 50), (50.01, 50))], 8.4)),  # a single dot
        page_grey(strokes([line((54, 54), (60, 57))], 2.0)),  # tiny
        page_grey(strokes([line((-20, 10), (130, 100))], 25.0)),  # huge, past the edges
        page_grey(strokes([line((2, 100), (40, 108))], 6.0)),  # off-centre, cut by the edge
        page_grey(strokes([line((20, 30), (90, 80)), line((20, 80), (90, 30))], 1.0)),  # a thin x
        enlarged(test_images[0], smooth=False),
        enlarged(test_images[1], smooth=True),
    ]
    made += [random_drawing(rng) for _ in range(20 - len(made))]
    return made


def body(grey: np.ndarray, **more) -> dict:
    height, width = grey.shape
    return {"width": width, "height": height, "pixels": grey.ravel().tolist()} | more


def bad_requests(good: dict) -> list[dict]:
    """Requests the server refuses, one mistake each (the sentences must be the same)."""
    small = {"width": 2, "height": 2, "pixels": [0, 0.5, 1, 0]}
    return [
        small | {"pixels": [0, 1, 0]},  # too few pixels
        small | {"preprocess": False},  # raw input that is not 28x28
        small | {"width": 0},
        small | {"width": 100000},
        small | {"height": 2.5},
        small | {"width": True},
        small | {"pixels": [0, "abc", 1, 0]},
        small | {"pixels": [0, 2, 1, 0]},
        small | {"pixels": [0, -1, 1, 0]},
        small | {"pixels": "1111"},
        small | {"colour": "red"},
        small | {"preprocess": "yes"},
        small | {"preprocess": None},
        small | {"model": None},
        small | {"model": 3},
        {"width": 2, "height": 2},  # no pixels
        good | {"model": "../document.safetensors"},
        good | {"model": "notes.txt"},
        good | {"model": "absent.safetensors"},
        good | {"model": "broken.safetensors"},
    ]


# ---------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------


def test_the_browsers_answers_are_the_servers(tmp_path, train_data, test_data, mnist_dir):
    folder = tmp_path / "models"
    folder.mkdir()
    models = {"document.safetensors": (document_model(train_data), EXACT),
              "mlp.safetensors": (mlp_model(train_data), FLOAT32),
              "cnn.safetensors": (cnn_model(train_data), FLOAT32)}  # fmt: skip
    for name, (saved, _) in models.items():
        modelfile.save(saved, folder / name)
    (folder / "broken.safetensors").write_bytes(b"not a model")
    app = create_app(folder / "document.safetensors", mnist_dir, train_if_missing=False, experiments_dir=tmp_path)
    pads = drawings(test_data[0])
    raw = [test_data[0][2].reshape(28, 28).astype(np.float64), np.zeros((28, 28))]
    with TestClient(app, base_url=BASE) as client:
        get = lambda path: client.get(path).json()  # noqa: E731
        said = get("/api/messages")  # the page's sentences and number format
        state = {"lang": "fr", "messages": said["messages"], "format": said["format"], "models": get("/api/models"),
                 "model": get("/api/model"), "options": get("/api/options")}  # fmt: skip
        cases = []
        for name, (_, tolerance) in models.items():
            chosen = {} if name == "document.safetensors" else {"model": name}
            requests = [body(grey, **chosen) for grey in pads] + [body(np.zeros((N, N)), **chosen)]
            requests += [body(grey, preprocess=False, **chosen) for grey in raw]
            for request in requests:
                answer = client.post("/api/predict", json=request)
                assert answer.status_code == 200, answer.text
                cases.append({"model": name, "tolerance": tolerance, "body": request, "expected": answer.json()})
        items = [f"/api/dataset/{split}/{i}" for split, i in [("train", 0), ("train", 59999), ("test", 0), ("test", 7)]]
        browsing = [{"path": path, "expected": get(path)} for path in items]
        bad = [(request, client.post("/api/predict", json=request)) for request in bad_requests(cases[0]["body"])]
        wrong_items = [f"/api/dataset/{item}" for item in ("valid/0", "test/x", "test/-1", "train/60000")]
        bad += [(path, client.get(path)) for path in wrong_items]
    refused = [{"request": request, "status": answer.status_code, "json": answer.json()} for request, answer in bad]
    assert all(400 <= r["status"] < 500 for r in refused), refused
    assert {c["expected"]["empty"] for c in cases} == {True, False}
    assert {c["expected"]["stroke_normalised"] for c in cases} == {True, False}  # the caption's two sentences
    for name, (saved, _) in models.items():  # the server prepared each drawing with that network's own preprocessing
        prepared = drawing.preprocess_for(saved.info)(np.round(pads[0], 3))
        first = next(c for c in cases if c["model"] == name)["expected"]["input"]
        np.testing.assert_allclose(first, prepared.reshape(-1), atol=1e-4)
    own = [c["expected"]["input"] for c in cases if c["body"]["pixels"] == cases[0]["body"]["pixels"]]
    assert own[0] != own[1] != own[2] != own[0]  # three networks, three preprocessings: three inputs
    answered = [c["expected"] for c in cases if c["model"] == "cnn.safetensors" and c["expected"]["digit"] is not None]
    assert all(answer["maps"] for answer in answered)
    written = {
        "state": state,
        "models": str(folder),
        "mnist": str(mnist_dir),
        "class_names": {name: list(d.class_names) for name, d in data.DATASETS.items()},
        "cases": cases,
        "browsing": browsing,
        "refused": refused,
        "steps": {"outputs": 1e-6, "hidden": 1e-6, "input": 1e-4, "maps": 1e-4},  # the server's rounding
    }
    path = tmp_path / "predict-cases.json"
    path.write_text(json.dumps(written), encoding="utf-8")
    report = run_node("predict.test.mjs", "RESEAU_PREDICT_CASES", path)
    assert int(re.search(r"# pass (\d+)", report)[1]) >= 6, report
    print("\n".join(line for line in report.splitlines() if "max |" in line or " ms " in line))


# ---------------------------------------------------------------------------
# The classroom: the same JS modules, each student's own model files
# ---------------------------------------------------------------------------


def test_a_students_page_computes_from_the_students_own_model_files(tmp_path, model_file):
    from reseau.classe import create_classe_app

    app = create_classe_app("test", root=tmp_path, host="127.0.0.1", token="t", train_images=2000,
                            start_model=model_file)  # fmt: skip
    with TestClient(app, base_url=BASE) as lea:
        assert lea.get("/api/files/model.safetensors").status_code == 401  # not joined: nobody's files
        code = app.state.classroom.code
        assert lea.post("/api/classe/join", json={"code": code, "name": "Léa"}).status_code == 200
        page = lea.get("/").text
        assert '<script type="module" src="/static/app.js"></script>' in page  # reseau web's page, its modules
        assert "./predict.js" in lea.get("/static/local/routes.js").text
        assert lea.get("/static/local/predict.js").status_code == 200
        in_use = lea.get("/api/models").json()["in_use"]
        served = lea.get(f"/api/files/{in_use}")
        assert served.status_code == 200 and served.headers["cache-control"] == "no-cache"
        assert served.content == model_file.read_bytes()  # her copy of the network every student starts with
        assert lea.get("/api/files/..%2Fmodel.safetensors").status_code in (404, 422)
        (folder,) = {s.ctx.store.path.parent for s in app.state.classroom.loaded().values()}
        (folder / "mine.safetensors").write_bytes(b"hers alone")
        assert lea.get("/api/files/mine.safetensors").content == b"hers alone"
        with TestClient(app, base_url=BASE) as tom:
            assert tom.post("/api/classe/join", json={"code": code, "name": "Tom"}).status_code == 200
            assert tom.get("/api/files/mine.safetensors").status_code == 404  # Léa's file is not in Tom's folder


# ---------------------------------------------------------------------------
# In Chromium: drawing on `reseau web`'s page asks the server for the model file, never for the answer
# ---------------------------------------------------------------------------


def test_drawing_on_the_page_is_answered_in_the_browser(tmp_path, model_file):
    from conftest import CHROMIUM, CHROMIUM_ARGS, watched_page

    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Chromium (apt install chromium)")
    from reseau.web.server import BackgroundServer

    path = shutil.copy(model_file, tmp_path / "model.safetensors")
    app = create_app(path, experiments_dir=tmp_path / "experiments")
    asked: list[str] = []
    with BackgroundServer(app) as server, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with watched_page(browser, viewport={"width": 1200, "height": 820}) as page:
            page.on("request", lambda request: asked.append(f"{request.method} {request.url}"))
            page.goto(server.url + "#draw")
            page.wait_for_selector("body[data-ready=true]")
            box = page.locator("#pad").bounding_box()
            scale = box["width"] / 280
            page.mouse.move(box["x"] + 142 * scale, box["y"] + 40 * scale)
            page.mouse.down()
            for x, y in [(140, 140), (137, 245)]:  # a 1
                page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=3)
            page.mouse.up()
            playwright.expect(page.locator("#draw-answer")).to_have_attribute("data-digit", "1")
        browser.close()
    assert not [a for a in asked if "/api/predict" in a], asked  # no drawing reached the server
    assert f"GET {server.url.rstrip('/')}/api/files/model.safetensors" in asked  # the network it answered with
