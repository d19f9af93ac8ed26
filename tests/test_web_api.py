"""The web app's JSON API, through a real uvicorn server on 127.0.0.1, with httpx.

Every endpoint is called; every kind of bad input gets a 4xx with a clear
message and leaves the model as it was; training runs off the request thread
(the server answers while it runs), can be stopped, and a second one is
refused; a bounded load test checks that no prediction fails.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import threading
import time

import httpx
import numpy as np
import pytest

import reseau
from conftest import wait_idle
from reseau import modelfile
from reseau.drawing import preprocess_for, to_mnist
from reseau.web import create_app
from reseau.web.server import BackgroundServer

SIDE = 112  # the page sends its drawing as 112 x 112 grey levels


@pytest.fixture(scope="module")
def served(model_file, tmp_path_factory):
    """The app on a free port, with its own copy of the default model and an empty experiments folder."""
    folder = tmp_path_factory.mktemp("web-api")
    path = shutil.copy(model_file, folder / "model.safetensors")
    app = create_app(path, experiments_dir=folder / "experiments")
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client, app, path


@pytest.fixture
def client(served):
    return served[0]


def drawing_of(image: np.ndarray) -> np.ndarray:
    """An MNIST image (784,) as the page would send a drawing of it: 112 x 112, the digit 4x larger."""
    return np.kron(image.reshape(28, 28), np.ones((4, 4)))  # (112, 112)


def predict_body(grey: np.ndarray) -> dict:
    return {"width": grey.shape[1], "height": grey.shape[0], "pixels": np.round(grey, 3).ravel().tolist()}


# ---------------------------------------------------------------------------
# Every endpoint, used as the page uses it
# ---------------------------------------------------------------------------

def test_page_and_its_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for src in ("/static/app.js", "/static/style.css"):
        assert src in page.text
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 1000
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN: works offline
    assert "https://" not in client.get("/static/style.css").text
    assert "http" not in client.get("/static/app.js").text.replace("HTTP ", "")


def test_messages_in_both_languages(client):
    from reseau.kinds import kind

    fr = client.get("/api/messages", params={"lang": "fr"}).json()
    en = client.get("/api/messages", params={"lang": "en"}).json()
    assert fr["lang"] == "fr" and en["lang"] == "en"
    assert fr["messages"].keys() == en["messages"].keys()
    assert fr["messages"]["web.tab.draw"] == "Dessiner" and en["messages"]["web.tab.draw"] == "Draw"
    # The page's, the kinds' names, and what the browser's own training writes (the document's epoch line...)
    page = ("web.", "kind.", "train.epoch_line", "train.diverged", "unit.complete_epoch.", "config.bad_")
    assert all(k.startswith(page) for k in fr["messages"])
    assert "train.epoch_line" in fr["messages"] and not any(k.startswith("cli.") for k in fr["messages"])
    assert en["messages"]["kind.cnn"] == kind("cnn").name("en")
    by_header = client.get("/api/messages", headers={"Accept-Language": "en-GB,en;q=0.9"}).json()
    assert by_header["lang"] == "en"
    assert client.get("/api/messages").json()["lang"] == "fr"  # the server's language (RESEAU_LANG=fr)
    assert fr["format"] == {"decimal": ",", "group": "\u202f"}  # the page writes 93,32 % and 10 000
    assert en["format"] == {"decimal": ".", "group": ","}  # and 93.32% and 10,000


@pytest.mark.parametrize("body, lang, said", [
    ({"width": 2}, "fr", "(et 1 autre erreur)"),
    ({"width": "a", "height": "b"}, "fr", "(et 2 autres erreurs)"),
    ({"width": 2}, "en", "(and 1 more error)"),
    ({}, "en", "(and 2 more errors)"),
])
def test_a_request_with_several_mistakes_counts_the_others_in_words(client, body, lang, said):
    answer = client.post("/api/predict", json=body, params={"lang": lang})
    assert answer.status_code == 422 and answer.json()["detail"].endswith(" " + said)


def test_the_page_quotes_the_measured_training_times(client):
    from reseau.measured import MEASURED

    for lang in ("fr", "en"):
        messages = client.get("/api/messages", params={"lang": lang}).json()["messages"]
        assert f"({MEASURED['dessin'].time_text(lang)} " in messages["web.train.save_note"]
        assert not any("_time}" in text for text in messages.values())  # every such claim filled by the server


def test_model_describes_the_default_network(client, trained):
    info = client.get("/api/model").json()
    assert info["ready"] and not info["training"]
    assert info["sizes"] == [784, 20, 10] and info["mode"] == "faithful" and info["preset"] == "document"
    assert info["test_accuracy"] == pytest.approx(trained.info.test_accuracy)
    assert info["train_precision"] == trained.info.train_precision
    assert info["best_epoch"] == 2 and info["val_accuracy"] is None  # the document keeps its last epoch
    assert info["config"] == trained.info.config.to_dict() and info["config"]["hidden"] == 20
    assert [e["precision"] for e in info["history"]] == [e.precision for e in trained.info.history.epochs]
    assert [e["test_accuracy"] for e in info["history"]] == [e.test_accuracy for e in trained.info.history.epochs]
    assert info["classes"] == [str(d) for d in range(10)]
    assert info["reseau_version"] == trained.info.reseau_version and info["source"] == "cli"


def test_options_offer_the_documents_defaults_and_sigmoid_cases(client):
    from reseau import trainers
    from reseau.faithful import FaithfulConfig

    options = client.get("/api/options").json()
    assert options["defaults"] == {"epochs": 3, "hidden": 20, "learn_rate": 0.01, "seed": 0}
    assert options["limits"] == {k: v for k, v in FaithfulConfig.limits().items() if k in options["defaults"]}
    assert options["limits"]["hidden"] == [1, 4096]
    assert {(c["w"], c["b"]) for c in options["sigmoid_cases"]} == {(1.0, 0.0), (4.0, 0.0), (0.25, 0.41)}
    presets = trainers.presets()
    assert options["modes"] == list(trainers.KINDS) and len(options["modes"]) >= 3
    assert {c.mode for c in presets.values()} == set(options["modes"])  # each mode offered has a preset
    assert options["presets"] == {name: {"mode": c.mode, "config": c.to_dict()} for name, c in presets.items()}
    assert options["presets"]["document"] == {"mode": "faithful", "config": FaithfulConfig().to_dict()}
    assert options["counts"] == {"train": 60000, "test": 10000}


def test_dataset_item_is_the_documents_loop(client, train_data, test_data, trained):
    for split, (images, labels) in (("train", train_data), ("test", test_data)):
        for index in (0, 1, len(images) - 1):
            item = client.get(f"/api/dataset/{split}/{index}").json()
            assert item["label"] == int(labels[index].argmax())
            o = trained.network.forward(images[index])
            assert item["digit"] == int(o.argmax())
            np.testing.assert_allclose(item["outputs"], o, atol=1e-6)
            np.testing.assert_allclose(item["input"], images[index], atol=1e-4)
            assert len(item["hidden"]) == 20 and item["count"] == len(images)
    assert client.get("/api/dataset/train/0").json()["label"] == 5  # the document's first image is a 5


def test_predicting_drawings_of_test_digits(client, test_data, trained):
    images, labels = test_data
    for index in range(12):
        grey = drawing_of(images[index])
        answer = client.post("/api/predict", json=predict_body(grey)).json()
        expected = to_mnist(np.round(grey, 3)).reshape(-1)
        np.testing.assert_allclose(answer["input"], expected, atol=1e-4)
        o = trained.network.forward(expected)
        assert answer["digit"] == int(o.argmax()) and not answer["empty"]
        np.testing.assert_allclose(answer["outputs"], o, atol=1e-6)
        assert len(answer["hidden"]) == 20
    assert sum(client.post("/api/predict", json=predict_body(drawing_of(images[i]))).json()["digit"]
               == labels[i].argmax() for i in range(12)) >= 11


def test_an_empty_drawing_and_a_raw_28x28_image(client, test_data, trained):
    empty = client.post("/api/predict", json={"width": 20, "height": 10, "pixels": [0] * 200}).json()
    assert empty["empty"] and empty["digit"] is None and len(empty["input"]) == 784
    image = test_data[0][0]
    raw = client.post("/api/predict", json={"width": 28, "height": 28, "pixels": image.tolist(),
                                            "preprocess": False}).json()
    assert raw["digit"] == int(trained.network.forward(image).argmax())


def test_the_api_is_described_with_typed_models(client):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/messages", "/api/options", "/api/model", "/api/predict", "/api/dataset/{split}/{index}",
                 "/api/train", "/api/train/stop", "/api/train/events", "/api/experiments", "/api/models",
                 "/api/train/estimate"):
        assert path in schema["paths"], path
    predict = schema["components"]["schemas"]["PredictRequest"]
    assert predict["properties"]["width"]["maximum"] == 280 and predict["additionalProperties"] is False
    components = schema["components"]["schemas"]
    for name in ("ModelStatus", "EpochOut", "PlanOut", "TrainStatus", "Options", "PresetOut", "NumberFormat",
                 "StartEvent", "ProgressEvent", "EpochEvent", "DoneEvent", "StoppedEvent", "FailedEvent",
                 "ModelList", "ModelEntry", "FeatureMaps", "Estimate"):
        assert name in components, name
    assert components["ModelStatus"]["properties"]["history"]["items"] == {"$ref": "#/components/schemas/EpochOut"}
    assert client.get("/api/docs").status_code == 404  # Swagger's page would load scripts from a CDN


def test_every_answer_says_how_long_the_server_took(client, test_data):
    response = client.post("/api/predict", json=predict_body(drawing_of(test_data[0][0])))
    timing = response.headers["server-timing"]
    assert timing.startswith("app;dur=") and float(timing.split("=")[1]) > 0


# ---------------------------------------------------------------------------
# Bad input: a 4xx with a clear message, never a crash, never a changed model
# ---------------------------------------------------------------------------

GOOD = {"width": 2, "height": 2, "pixels": [0, 0.5, 1, 0]}
BAD_REQUESTS = [
    # (what, method, path, request keywords, status, key, words the message must contain)
    ("malformed JSON", "post", "/api/predict",
     {"content": b'{"width": 2,', "headers": {"content-type": "application/json"}}, 400, "web.error.json", ["JSON"]),
    ("not JSON at all", "post", "/api/predict", {"content": b"pixels=1"}, 415, "web.error.content_type",
     ["JSON", "Content-Type"]),
    ("a list, not an object", "post", "/api/predict", {"json": [1, 2]}, 422, "web.error.object", ["objet"]),
    ("a missing field", "post", "/api/predict", {"json": {"width": 2, "height": 2}}, 422, "web.error.missing",
     ["pixels"]),
    ("a word among the pixels", "post", "/api/predict", {"json": GOOD | {"pixels": [0, "abc", 1, 0]}}, 422,
     "web.error.number", ["pixels[1]", "abc"]),
    ("a number as a string", "post", "/api/predict", {"json": GOOD | {"pixels": [0, "0.5", 1, 0]}}, 422,
     "web.error.number", ["pixels[1]"]),
    ("a pixel above 1", "post", "/api/predict", {"json": GOOD | {"pixels": [0, 2, 1, 0]}}, 422,
     "web.error.max", ["pixels[1]", "1"]),
    ("a negative pixel", "post", "/api/predict", {"json": GOOD | {"pixels": [0, -1, 1, 0]}}, 422,
     "web.error.min", ["pixels[1]"]),
    ("a non-finite pixel", "post", "/api/predict",
     {"content": b'{"width": 2, "height": 2, "pixels": [0, NaN, 1, 0]}',
      "headers": {"content-type": "application/json"}}, 422, "web.error.finite", ["pixels[1]"]),
    ("too few pixels", "post", "/api/predict", {"json": GOOD | {"pixels": [0, 1, 0]}}, 422,
     "web.error.pixel_count", ["4", "3"]),
    ("a width of 0", "post", "/api/predict", {"json": GOOD | {"width": 0}}, 422, "web.error.min", ["width"]),
    ("a giant width", "post", "/api/predict", {"json": GOOD | {"width": 100000}}, 422, "web.error.max",
     ["width", "280"]),
    ("a fractional height", "post", "/api/predict", {"json": GOOD | {"height": 2.5}}, 422, "web.error.integer",
     ["height"]),
    ("an unknown field", "post", "/api/predict", {"json": GOOD | {"colour": "red"}}, 422,
     "web.error.unknown_field", ["colour"]),
    ("raw input of the wrong size", "post", "/api/predict", {"json": GOOD | {"preprocess": False}}, 422,
     "web.error.raw_size", ["28"]),
    ("a negative learning rate", "post", "/api/train", {"json": {"learn_rate": -1}}, 422, "config.bad_positive",
     ["learn_rate", "\u22121"]),
    ("an absurd learning rate", "post", "/api/train", {"json": {"learn_rate": 1e9}}, 422, "config.bad_positive",
     ["learn_rate", "1000"]),
    ("zero hidden neurons", "post", "/api/train", {"json": {"hidden": 0}}, 422, "config.bad_int", ["hidden", "4096"]),
    ("a million epochs", "post", "/api/train", {"json": {"epochs": 1000000}}, 422, "config.bad_int",
     ["epochs", "1000"]),
    ("epochs as a word", "post", "/api/train", {"json": {"epochs": "trois"}}, 422, "web.error.integer",
     ["epochs", "trois"]),
    ("a negative seed", "post", "/api/train", {"json": {"seed": -5}}, 422, "config.bad_int", ["seed", "\u22125"]),
    ("an explicit null", "post", "/api/train", {"json": {"epochs": None}}, 422, "web.error.null", ["epochs"]),
    ("an unknown mode", "post", "/api/train", {"json": {"mode": "magic"}}, 422, "web.error.choice",
     ["faithful", "magic"]),
    ("an unknown preset", "post", "/api/train", {"json": {"preset": "nope"}}, 422, "config.bad_choice",
     ["preset", "nope", "document", "better"]),
    ("a preset of another mode", "post", "/api/train", {"json": {"mode": "faithful", "preset": "best"}}, 422,
     "config.preset_mode", ["best", "faithful"]),
    ("layers for the document's network", "post", "/api/train", {"json": {"layers": [30]}}, 422,
     "config.not_for_preset", ["layers", "document", "hidden"]),
    ("hidden and layers for a modern preset", "post", "/api/train",
     {"json": {"preset": "better", "hidden": 30, "layers": [30]}}, 422, "config.hidden_and_layers",
     ["hidden", "layers"]),
    ("an impossible modern layer", "post", "/api/train", {"json": {"preset": "better", "layers": [0]}}, 422,
     "training.bad_layers", ["8192"]),
    ("an unknown modern choice", "post", "/api/train", {"json": {"mode": "modern", "batch_size": 3}}, 422,
     "web.error.unknown_field", ["batch_size"]),
    ("an index past the end", "get", "/api/dataset/train/60000", {}, 404, "web.error.index", ["59999"]),
    ("a negative index", "get", "/api/dataset/test/-1", {}, 404, "web.error.index", ["9999"]),
    ("an index that is a word", "get", "/api/dataset/train/cinq", {}, 422, "web.error.integer", ["cinq"]),
    ("an unknown split", "get", "/api/dataset/validation/3", {}, 422, "web.error.choice", ["train", "test"]),
    ("stopping when nothing runs", "post", "/api/train/stop", {"json": {}}, 409, "web.error.not_training",
     ["arrêter"]),
    ("an unknown address", "get", "/api/nothing", {}, 404, "web.error.not_found", ["/api/nothing"]),
    ("a wrong method", "delete", "/api/model", {}, 405, "web.error.method", ["DELETE"]),
    ("a file outside the experiments", "get", "/experiments/%2e%2e/model.safetensors", {}, 404,
     "web.error.no_file", ["model.safetensors"]),
    ("a missing experiment file", "get", "/experiments/report.html", {}, 404, "web.error.no_file", ["report.html"]),
]


@pytest.mark.parametrize("what,method,path,kwargs,status,key,words", BAD_REQUESTS, ids=[b[0] for b in BAD_REQUESTS])
def test_bad_input_gets_a_clear_4xx(client, what, method, path, kwargs, status, key, words):
    response = client.request(method.upper(), path, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["detail"] and "Traceback" not in body["detail"]
    if key:
        assert body["key"] == key
    if key.startswith("config.bad_") or key == "config.not_for_preset":
        assert body["field"] == words[0]  # the request field at fault
    for word in words:
        assert word in body["detail"], body["detail"]


def test_error_messages_follow_the_requests_language(client):
    fr = client.post("/api/train", json={"learn_rate": -1}).json()["detail"]
    en = client.post("/api/train", json={"learn_rate": -1}, headers={"Accept-Language": "en"}).json()["detail"]
    assert fr == "learn_rate doit être un nombre > 0 et au plus 1000 (reçu : \u22121,0)."  # the library's message
    assert en == "learn_rate must be a number > 0 and at most 1000 (got \u22121.0)."
    en = client.get("/api/dataset/train/70000", params={"lang": "en"}).json()["detail"]
    assert "between 0 and 59999" in en


def test_a_body_over_the_limit_is_refused_before_parsing(client):
    big = b'{"width": 280, "height": 280, "pixels": [' + b"0.1000000000000000000000000000001," * 78400 + b"0]}"
    response = client.post("/api/predict", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["key"] == "web.error.too_large" and "Kio" in response.json()["detail"]

    def chunks():  # no Content-Length: the limit still holds
        for _ in range(300):
            yield b" " * 10000

    response = client.post("/api/predict", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert client.get("/api/model").status_code == 200  # and the server goes on


def test_bad_input_leaves_the_model_unchanged(served, test_data):
    client, _, path = served
    wait_idle(client)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    answer = client.get("/api/dataset/test/7").json()
    for _, method, url, kwargs, *_ in BAD_REQUESTS:
        client.request(method.upper(), url, **kwargs)
    assert client.get("/api/dataset/test/7").json()["outputs"] == answer["outputs"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# ---------------------------------------------------------------------------
# Training from the page
# ---------------------------------------------------------------------------

def read_events(client, since=0, lang="fr") -> list[dict]:
    """The server-sent events of the current run, read until the stream ends."""
    events = []
    with client.stream("GET", "/api/train/events", params={"since": since, "lang": lang}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    return events


def test_one_epoch_streams_in_and_is_saved_beside_the_documents_network(served, trained, test_data):
    """One epoch is not the document's 3: saved under its own name, the model in use (the document's) stays."""
    client, _, path = served
    wait_idle(client)
    kept = client.get("/api/model").json()
    started = client.post("/api/train", json={"epochs": 1})
    assert started.status_code == 202 and started.json()["state"] == "running"
    events = read_events(client)
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "start" and kinds[-2:] == ["done", "end"]
    assert kinds.count("progress") == 12 and kinds.count("epoch") == 1  # every 5000 images, then the epoch
    epoch = next(e for e in events if e["kind"] == "epoch")
    first = trained.info.history.epochs[0]  # the default run's first epoch: same seed, same numbers
    assert epoch["precision"] == first.precision
    assert epoch["line"] == f"Epoch : 0, Précision : {first.precision}%"
    assert epoch["test_accuracy"] == pytest.approx(first.test_accuracy)
    assert epoch["test_line"].endswith(f" : {first.test_accuracy:.2f} %".replace(".", ","))  # French: 91,95 %
    done = events[-2]
    own = path.parent / "document-epochs-1.safetensors"  # its own name, not the document's file
    assert "Enregistré dans" in done["message"] and str(own) in done["message"]
    assert f"{first.test_accuracy:.2f} % des images".replace(".", ",") in done["message"]  # French: 91,95 %
    assert client.get("/api/model").json() == kept | {"training": False}  # the model in use did not change
    assert not done["in_use"] and done["name"] == own.name
    saved = modelfile.load(own)  # the file was written
    assert saved.info.test_accuracy == pytest.approx(first.test_accuracy) and len(saved.info.history.epochs) == 1
    assert saved.info.config.epochs == 1 and saved.info.config.hidden == 20 and saved.info.source == "web"
    assert saved.info.preset == "document"
    assert saved.info.reseau_version == reseau.__version__ and saved.info.best_epoch == 0
    assert saved.info.seconds > 0 and saved.info.history.epochs[0].precision == first.precision
    image = test_data[0][3]
    raw = {"width": 28, "height": 28, "pixels": image.tolist(), "preprocess": False, "model": own.name}
    served_answer = client.post("/api/predict", json=raw).json()
    np.testing.assert_allclose(served_answer["outputs"], saved.network.forward(image), atol=1e-6)
    status = client.get("/api/train", params={"lang": "en"}).json()
    assert status["state"] == "done" and status["events"][-1]["kind"] == "done"
    assert [e["kind"] for e in status["events"]].count("progress") == 1  # only the latest progress report
    assert "Saved to" in status["events"][-1]["message"]  # rendered in the reader's language
    assert f"{first.test_accuracy:.2f}% of the test images" in status["events"][-1]["message"]  # English: 91.95%
    assert status["plan"] == {"mode": "faithful", "dataset": "mnist", "preset": "document",
                              "config": saved.info.config.to_dict()}
    replay = read_events(client, since=events[-2]["id"])  # a reconnecting page gets only what it missed
    assert [e["kind"] for e in replay] == ["done", "end"]


def test_training_is_off_the_request_thread_and_can_be_stopped(served, test_data):
    client, _, path = served
    wait_idle(client)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    before_answer = client.get("/api/dataset/test/0").json()["outputs"]
    assert client.post("/api/train", json={"epochs": 200, "hidden": 200}).status_code == 202
    second = client.post("/api/train", json={"epochs": 1})
    assert second.status_code == 409 and second.json()["key"] == "web.error.busy"
    assert "Arrêter" in second.json()["detail"]
    answers = [client.post("/api/predict", json=predict_body(drawing_of(test_data[0][i]))) for i in range(5)]
    assert all(a.status_code == 200 for a in answers)  # the server answers while it trains
    assert client.get("/api/model").json()["training"] is True
    stopped = client.post("/api/train/stop", json={})
    assert stopped.status_code == 200
    status = wait_idle(client)
    assert status["state"] == "stopped"
    said = status["events"][-1]["message"]
    assert "modèle précédent" in said and re.search(r"arrêté après \d+ epochs? complètes? :", said), said
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # not saved
    assert client.get("/api/dataset/test/0").json()["outputs"] == before_answer  # not swapped


def test_modern_mode_trains_a_preset_with_the_pages_changes(served, test_data):
    from reseau import trainers

    client = served[0]
    wait_idle(client)
    better = trainers.preset("better")
    started = client.post("/api/train", json={"mode": "modern", "preset": "better", "epochs": 2,
                                              "learn_rate": 0.05, "seed": 0, "layers": [16]})
    assert started.status_code == 202
    plan = started.json()["plan"]
    assert plan["mode"] == "modern" and plan["preset"] == "better"
    assert plan["config"] == better.with_(epochs=2, learn_rate=0.05, seed=0, layers=(16,)).to_dict()
    assert plan["config"]["optimizer"] == "momentum"  # the preset's own settings are kept
    status = wait_idle(client, timeout=120)
    assert status["state"] == "done", status["events"][-1]
    epochs = [e for e in status["events"] if e["kind"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [0, 1] and all(e["loss"] > 0 for e in epochs)
    assert epochs[0]["line"].startswith("Epoch 1/2 : entraînement ") and "perte" in epochs[0]["line"]
    done = status["events"][-1]
    assert done["name"] == "better-layers-16-epochs-2.safetensors" and not done["in_use"]  # saved beside it
    assert client.get("/api/model").json()["mode"] == "faithful"  # the model in use stays the document's
    listed = {m["name"]: m for m in client.get("/api/models").json()["models"]}
    info = listed[done["name"]]
    assert info["mode"] == "modern" and info["preset"] == "better" and info["test_accuracy"] > 85
    raw = {"width": 28, "height": 28, "pixels": test_data[0][0].tolist(), "preprocess": False, "model": done["name"]}
    item = client.post("/api/predict", json=raw).json()
    assert len(item["hidden"]) == 16 and sum(item["outputs"]) == pytest.approx(1.0, abs=1e-4)  # softmax


def test_a_model_trained_from_the_page_is_recorded_like_the_command_lines(served):
    """The saved record is ModelInfo.build's: version, the epoch kept, and the validation accuracy."""
    from reseau import trainers

    client, _, path = served
    wait_idle(client)
    assert trainers.preset("better").val_size > 0  # the preset holds out validation images
    started = client.post("/api/train", json={"preset": "better", "epochs": 2, "hidden": 16})  # hidden: one layer
    assert started.status_code == 202 and started.json()["plan"]["config"]["layers"] == [16]
    status = wait_idle(client, timeout=120)
    assert status["state"] == "done", status["events"][-1]
    saved = modelfile.load(path.parent / "better-layers-16-epochs-2.safetensors")  # its own name
    info = saved.info
    assert saved.network.sizes == [784, 16, 10] and list(saved.network.activations) == ["relu", "softmax"]
    assert info.mode == "modern" and info.preset == "better" and info.source == "web"
    assert info.reseau_version == reseau.__version__ and info.dataset == "mnist"
    assert info.config == trainers.preset("better").with_(epochs=2, layers=(16,))
    assert info.best_epoch in (0, 1) and info.val_accuracy is not None and 80 < info.val_accuracy <= 100
    kept = info.history.epochs[info.best_epoch]
    assert info.val_accuracy == kept.val_accuracy == max(e.val_accuracy for e in info.history.epochs)
    assert info.test_accuracy == kept.test_accuracy
    shown = next(m for m in client.get("/api/models").json()["models"] if m["name"] == saved_name(status))
    assert shown["test_accuracy"] == pytest.approx(info.test_accuracy) and shown["preset"] == "better"
    epoch = next(e for e in status["events"] if e["kind"] == "epoch")
    assert "validation" in epoch["line"] and epoch["val_accuracy"] is not None
    assert f"{epoch['val_accuracy']:.2f} %".replace(".", ",") in epoch["line"]  # French numbers: 97,12 %


def saved_name(status: dict) -> str:
    """The file name a finished run was saved under (its "done" event's)."""
    return status["events"][-1]["name"]


def test_a_failing_training_says_why_and_keeps_the_model(model_file, tmp_path):
    """No dataset where --data-dir points: the run fails with the data error, the model stays."""
    path = shutil.copy(model_file, tmp_path / "model.safetensors")
    before = path.read_bytes()
    app = create_app(path, data_dir=tmp_path / "empty", experiments_dir=tmp_path)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.post("/api/train", json={"epochs": 1}).status_code == 202
        status = wait_idle(client)
        assert status["state"] == "failed"
        assert str(tmp_path / "empty") in status["events"][-1]["message"]
        browse = client.get("/api/dataset/train/0")
        assert browse.status_code == 503 and "RESEAU_DATA" in browse.json()["detail"]
        assert client.get("/api/model").json()["ready"]
    assert path.read_bytes() == before


def test_no_model_file_trains_the_documents_network_at_start(tmp_path, trained):
    path = tmp_path / "new" / "model.safetensors"
    app = create_app(path, experiments_dir=tmp_path)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        first = client.get("/api/model").json()
        assert first["ready"] or first["training"]
        if not first["ready"]:
            early = client.post("/api/predict", json=GOOD)
            assert early.status_code in (200, 503)  # 503 "wait a moment" while the first network trains
        status = wait_idle(client)
        assert status["state"] == "done"
        info = client.get("/api/model").json()
        assert info["test_accuracy"] == pytest.approx(trained.info.test_accuracy)  # the document's run
    saved = modelfile.load(path)
    assert saved.network.sizes == [784, 20, 10] and saved.info.preset == "document" and saved.info.source == "web"


def test_a_missing_model_without_training_says_what_to_do(tmp_path):
    app = create_app(tmp_path / "none.safetensors", train_if_missing=False, experiments_dir=tmp_path)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url) as client:
        response = client.post("/api/predict", json=GOOD)
        assert response.status_code == 503 and "Entraîner" in response.json()["detail"]
        item = client.get("/api/dataset/train/0").json()  # browsing still works, without an answer
        assert item["label"] == 5 and item["digit"] is None


def test_a_corrupt_model_file_is_refused_not_overwritten(tmp_path):
    from reseau.errors import ModelFileError

    path = tmp_path / "model.safetensors"
    path.write_bytes(b"not a model at all")
    with pytest.raises(ModelFileError):
        create_app(path)
    assert path.read_bytes() == b"not a model at all"


# ---------------------------------------------------------------------------
# Experiments
# ---------------------------------------------------------------------------

def test_experiments_empty_then_served_read_only(served):
    client, app, _ = served
    folder = app.state.ctx.experiments_dir
    empty = client.get("/api/experiments").json()
    assert not empty["available"] and empty["command"] == "reseau experiment"
    assert empty["folder"] == str(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.md").write_text("# Résultats\n| epochs | test |\n", encoding="utf-8")
    (folder / "report.html").write_text("<h1>Résultats</h1><img src='plots/lr.png'>", encoding="utf-8")
    (folder / "plots").mkdir(exist_ok=True)
    (folder / "plots" / "lr.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (folder / "secret.py").write_text("print('no')")
    found = client.get("/api/experiments").json()
    assert found["available"] and found["report_html"] == "/experiments/report.html"
    assert found["plots"] == ["/experiments/plots/lr.png"] and "Résultats" in found["report_md"]
    assert "Résultats" in client.get(found["report_html"]).text
    assert client.get("/experiments/plots/lr.png").content.startswith(b"\x89PNG")
    assert client.get("/experiments/secret.py").status_code == 404  # only reports and plots
    assert client.put("/experiments/report.html", content=b"x").status_code == 405
    assert "Résultats" in (folder / "report.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Load: 20 clients at once, 15 predictions each, none may fail
# (python benchmarks/bench_web.py measures the latency under load: here only that nothing fails)
# ---------------------------------------------------------------------------

CLIENTS, PER_CLIENT = 20, 15


def test_load_20_clients_at_once_none_fails(served, test_data, trained):
    client, app, _ = served
    wait_idle(client)
    network = app.state.ctx.store.model.network
    images = test_data[0][:PER_CLIENT]
    bodies = [json.dumps(predict_body(drawing_of(image))).encode() for image in images]
    expected = [int(network.forward(to_mnist(np.round(drawing_of(i), 3)).reshape(-1)).argmax()) for i in images]
    start = threading.Barrier(CLIENTS)

    def one_client(k):
        times, wrong = [], 0
        with httpx.Client(base_url=str(client.base_url), timeout=60) as own:
            start.wait()
            for j in range(PER_CLIENT):
                i = (j + k) % PER_CLIENT
                began = time.perf_counter()
                r = own.post("/api/predict", content=bodies[i], headers={"content-type": "application/json"})
                times.append(time.perf_counter() - began)
                wrong += r.status_code != 200 or r.json()["digit"] != expected[i]
        return times, wrong

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(one_client, range(CLIENTS)))
    elapsed = time.perf_counter() - began
    times = np.array([t for ts, _ in results for t in ts]) * 1000
    assert len(times) == CLIENTS * PER_CLIENT and sum(w for _, w in results) == 0
    print(f"\nload: {CLIENTS} clients x {PER_CLIENT} predictions of a 112x112 drawing in {elapsed:.1f} s "
          f"({CLIENTS * PER_CLIENT / elapsed:.0f}/s); latency p50 {np.percentile(times, 50):.1f} ms, "
          f"p99 {np.percentile(times, 99):.1f} ms, max {times.max():.1f} ms")


# ---------------------------------------------------------------------------
# The models folder: the Draw tab's picker, a chosen model, a convolutional network's feature maps
# ---------------------------------------------------------------------------

def small_cnn(train_data, test_data, preset: str = "dessin", seed: int = 0):
    """A small convolutional network (8 and 16 filters, 4 000 images, one epoch: about 3 s), recorded as ``preset``."""
    from reseau.modelfile import ModelInfo, SavedModel

    config = reseau.presets()["cnn"].with_(conv=(8, 16), dense=(32,), epochs=1, batch_size=32, dropout=0.0,
                                           learn_rate=0.004, seed=seed)
    network, history = reseau.train(train_data[0][:4000], train_data[1][:4000], config,
                                    test=(test_data[0][:1000], test_data[1][:1000]))
    return SavedModel(network, ModelInfo.build(config, history, preset=preset))


@pytest.fixture(scope="module")
def cnn_model(train_data, test_data):
    return small_cnn(train_data, test_data)


@pytest.fixture(scope="module")
def folder_site(model_file, cnn_model, tmp_path_factory):
    """A models folder as a user's looks after a while: the model in use, the drawing network, an older
    convolutional network, a broken file, and files that are not models."""
    import os

    folder = tmp_path_factory.mktemp("web-models")
    path = shutil.copy(model_file, folder / "model.safetensors")
    modelfile.save(cnn_model, folder / "dessin.safetensors")
    older = modelfile.save(modelfile.SavedModel(cnn_model.network, cnn_model.info), folder / "old-dessin.safetensors")
    os.utime(older, (1_000_000_000, 1_000_000_000))  # written long ago: the newer one is the drawing network
    (folder / "broken.safetensors").write_bytes(b"not a model at all")
    (folder / "notes.txt").write_text("not a model")
    (folder / ".model.safetensors.1234.tmp").write_bytes(b"half a model being written")
    app = create_app(path, experiments_dir=folder / "experiments")
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client, folder


def test_models_lists_the_folder_and_says_why_a_file_cannot_be_used(folder_site, cnn_model, trained):
    client, folder = folder_site
    listed = client.get("/api/models")
    assert listed.status_code == 200
    body = listed.json()
    assert body["folder"] == str(folder) and body["in_use"] == "model.safetensors"
    assert body["drawing"] == "dessin.safetensors"  # the newest model of the "dessin" preset
    models = {m["name"]: m for m in body["models"]}
    assert list(models) == ["broken.safetensors", "dessin.safetensors", "model.safetensors", "old-dessin.safetensors"]
    in_use = models["model.safetensors"]
    assert in_use["in_use"] and in_use["usable"] and not in_use["convolutional"] and not in_use["drawing"]
    assert in_use["preset"] == "document" and in_use["mode"] == "faithful"
    assert in_use["test_accuracy"] == pytest.approx(trained.info.test_accuracy)
    drawing = models["dessin.safetensors"]
    assert drawing["drawing"] and drawing["convolutional"]
    assert drawing["mode"] == "cnn" and drawing["preset"] == "dessin"
    assert drawing["test_accuracy"] == pytest.approx(cnn_model.info.test_accuracy) and drawing["dataset"] == "mnist"
    assert not models["old-dessin.safetensors"]["drawing"]
    broken = models["broken.safetensors"]
    assert not broken["usable"] and broken["error_key"] == "model.foreign" and broken["preset"] is None
    assert "n'est pas un modèle reseau" in broken["error"]
    english = client.get("/api/models", params={"lang": "en"}).json()
    assert "is not a reseau model" in next(m for m in english["models"] if not m["usable"])["error"]


def test_predict_answers_with_the_model_chosen(folder_site, cnn_model, trained, test_data):
    client, _ = folder_site
    image = test_data[0][0]
    grey = drawing_of(image)
    expected = to_mnist(np.round(grey, 3)).reshape(-1)
    mlp = client.post("/api/predict", json=predict_body(grey)).json()
    assert mlp["model"] is None and mlp["maps"] is None and len(mlp["hidden"]) == 20  # the model in use
    np.testing.assert_allclose(mlp["outputs"], trained.network.forward(expected), atol=1e-6)
    same = client.post("/api/predict", json=predict_body(grey) | {"model": "model.safetensors"}).json()
    assert same["outputs"] == mlp["outputs"] and same["maps"] is None  # its own file name: the same model
    cnn = client.post("/api/predict", json=predict_body(grey) | {"model": "dessin.safetensors"}).json()
    assert cnn["model"] == "dessin.safetensors" and cnn["classes"] == [str(d) for d in range(10)]
    own = preprocess_for(cnn_model.info)(np.round(grey, 3)).reshape(-1)  # the drawing network's own preprocessing
    assert not np.array_equal(own, expected)  # (« dessin » keeps the drawing's stroke: not the document's input)
    o = cnn_model.network.forward(own)
    np.testing.assert_allclose(cnn["outputs"], o, atol=1e-5)
    assert cnn["digit"] == int(o.argmax()) and len(cnn["hidden"]) == 32  # the dense layer's values
    maps = cnn["maps"]
    assert (maps["block"], maps["height"], maps["width"], len(maps["values"])) == (0, 12, 12, 8)  # 8 filters
    assert all(len(m) == 144 and min(m) >= 0 for m in maps["values"])  # after ReLU
    np.testing.assert_allclose(np.array(maps["values"]).reshape(8, 12, 12),
                               cnn_model.network.feature_maps(own).transpose(2, 0, 1), atol=1e-4)
    raw = client.post("/api/predict", json={"width": 28, "height": 28, "pixels": image.tolist(), "preprocess": False,
                                            "model": "dessin.safetensors"}).json()
    assert raw["digit"] == int(cnn_model.network.forward(image).argmax()) and len(raw["maps"]["values"]) == 8
    empty = client.post("/api/predict", json=GOOD | {"pixels": [0] * 4, "model": "dessin.safetensors"}).json()
    assert empty["empty"] and empty["maps"] is None


BAD_MODELS = [
    # (what, the model asked for, status, key, words the message must contain)
    ("a path upwards", "../model.safetensors", 422, "web.error.model_name", ["../model.safetensors", ".safetensors"]),
    ("an absolute path", "/etc/passwd", 422, "web.error.model_name", ["/etc/passwd"]),
    ("a sub-folder", "experiments/x.safetensors", 422, "web.error.model_name", ["sans chemin"]),
    ("a backslash path", "..\\model.safetensors", 422, "web.error.model_name", ["model.safetensors"]),
    ("not a model file name", "model", 422, "web.error.model_name", ["model", ".safetensors"]),
    ("a hidden file", ".model.safetensors.1234.tmp", 422, "web.error.model_name", [".model"]),
    ("two dots", "..", 422, "web.error.model_name", [".."]),
    ("an empty name", "", 422, "web.error.model_name", [".safetensors"]),
    ("a control character", "a\nb.safetensors", 422, "web.error.model_name", ["b.safetensors"]),
    ("a file that is not there", "nope.safetensors", 404, "web.error.model_missing", ["nope.safetensors",
                                                                                    "/api/models"]),
    ("a broken file", "broken.safetensors", 422, "web.error.model_unusable", ["broken.safetensors",
                                                                             "n'est pas un modèle reseau"]),
    ("a giant name", "x" * 300 + ".safetensors", 422, "web.error.model_name", ["xxxx", ".safetensors"]),
    ("a number", 3, 422, "web.error.text", ["model"]),
]


@pytest.mark.parametrize("what,name,status,key,words", BAD_MODELS, ids=[b[0] for b in BAD_MODELS])
def test_a_bad_model_name_gets_a_clear_4xx(folder_site, what, name, status, key, words):
    client, folder = folder_site
    response = client.post("/api/predict", json=GOOD | {"model": name})
    assert response.status_code == status, response.text
    body = response.json()
    assert body["key"] == key and body["field"] == "model"
    for word in words:
        assert word in body["detail"], body["detail"]
    assert (folder / "model.safetensors").is_file()  # nothing was touched


def test_a_model_file_changed_on_disk_is_read_again(folder_site, trained, test_data):
    client, folder = folder_site
    body = predict_body(drawing_of(test_data[0][1])) | {"model": "swap.safetensors"}
    modelfile.save(trained, folder / "swap.safetensors")
    first = client.post("/api/predict", json=body).json()
    assert first["maps"] is None and len(first["hidden"]) == 20
    modelfile.save(modelfile.load(folder / "dessin.safetensors"), folder / "swap.safetensors")  # replaced
    second = client.post("/api/predict", json=body).json()
    assert second["maps"] is not None and len(second["hidden"]) == 32
    assert "swap.safetensors" in [m["name"] for m in client.get("/api/models").json()["models"]]
    (folder / "swap.safetensors").unlink()
    gone = client.post("/api/predict", json=body)
    assert gone.status_code == 404 and gone.json()["key"] == "web.error.model_missing"
    assert "swap.safetensors" not in [m["name"] for m in client.get("/api/models").json()["models"]]


def test_the_shelf_keeps_a_few_models_and_reloads_a_changed_file(tmp_path, trained):
    from reseau.web.state import ModelShelf

    for name in ("a", "b", "c"):
        modelfile.save(trained, tmp_path / f"{name}.safetensors")
    shelf = ModelShelf(tmp_path, keep=2)
    a = shelf.load("a.safetensors")
    assert shelf.load("a.safetensors") is a  # unchanged: not read again
    shelf.load("b.safetensors")
    shelf.load("c.safetensors")  # a is the least recently used of three: dropped
    assert shelf.load("a.safetensors") is not a
    a = shelf.load("a.safetensors")
    modelfile.save(trained, tmp_path / "a.safetensors")  # rewritten: read again
    assert shelf.load("a.safetensors") is not a
    assert [e.name for e in shelf.entries()] == ["a.safetensors", "b.safetensors", "c.safetensors"]
    assert ModelShelf(tmp_path / "absent").entries() == []


# ---------------------------------------------------------------------------
# Training any preset from the page: how long it will take, where it is saved
# ---------------------------------------------------------------------------

def test_the_time_of_a_training_is_estimated_before_it_starts(folder_site):
    from reseau.web.jobs import reference_rates

    client, _ = folder_site
    estimate = client.post("/api/train/estimate", json={"preset": "cnn"}).json()
    cost = reseau.presets()["cnn"].cost()
    assert not estimate["measured"]  # nothing timed in this folder: the reference rate
    assert estimate["seconds"] == pytest.approx(cost * 60000 * reference_rates()["cnn", "none"])
    assert re.fullmatch(r"environ \d+ min", estimate["text"]) and "2 cœurs" in estimate["basis"]
    longer = client.post("/api/train/estimate", json={"preset": "dessin"}).json()
    assert longer["seconds"] > estimate["seconds"]  # more epochs, and the drawings' augmentation
    short = client.post("/api/train/estimate", json={"preset": "dessin", "epochs": 1, "conv": [8], "kernels": [5]},
                        params={"lang": "en"}).json()
    assert re.fullmatch(r"about \d+ (s|min)", short["text"]) and short["seconds"] < longer["seconds"] / 15
    document = client.post("/api/train/estimate", json={}).json()
    assert document["text"] == "environ 1 s"
    bad = client.post("/api/train/estimate", json={"preset": "cnn", "hidden": 30})
    assert bad.status_code == 422 and bad.json()["key"] == "config.not_for_preset"
    bad = client.post("/api/train/estimate", json={"preset": "cnn", "dense": [0]})
    assert bad.status_code == 422 and bad.json()["key"] == "config.bad_int" and "dense" in bad.json()["detail"]


def test_the_reference_estimates_are_the_measured_times_of_reseau_measured():
    """Before this computer has timed anything, each preset that sets its speed class's rate is estimated at the
    middle of the time range the help and the README quote, and every preset at a time of the same order."""
    from reseau.measured import MEASURED
    from reseau.web.jobs import estimate, speed_class

    by_class: dict = {}
    for name, config in reseau.presets().items():
        by_class.setdefault(speed_class(config), []).append((config.cost(), name))
    setters = {max(names)[1] for names in by_class.values()}  # the costliest preset of each class
    assert setters <= set(MEASURED)  # the rate of each class comes from a measured preset
    for name in MEASURED:
        seconds, by = estimate(reseau.presets()[name], [])
        low, high = MEASURED[name].seconds
        assert by is None
        if name in setters:
            assert seconds == pytest.approx((low + high) / 2), name
        else:  # "better" goes by "best"'s rate: a small network pays more per unit of cost
            assert low / 2 < seconds < high, name


def test_an_estimate_uses_a_training_timed_on_this_computer(tmp_path, trained):
    from reseau.history import EpochReport, History
    from reseau.modelfile import ModelInfo, SavedModel
    from reseau.web.jobs import estimate
    from reseau.web.state import ModelShelf

    config = reseau.presets()["cnn"].with_(epochs=4)
    epochs = [EpochReport(k, 50000, 60000, test_accuracy=90.0, seconds=60.0) for k in range(2)]
    history = History(epochs)  # stopped after two of its four epochs
    info = ModelInfo.build(config, history, preset="cnn", seconds=120.0)
    from reseau.training.cnn import ConvNetwork, architecture, build, initial_slots

    spec = architecture(config)  # an untrained network of that shape: only its record is read here
    network = ConvNetwork(spec, dict(initial_slots(build(spec), seed=0).values))
    modelfile.save(SavedModel(network, info), tmp_path / "timed.safetensors")
    shelf = ModelShelf(tmp_path)
    seconds, by = estimate(reseau.presets()["cnn"], shelf.entries())
    rate = 120.0 / (config.cost() / 2 * 60000)  # two of its four epochs ran
    assert by is not None and by.name == "timed.safetensors"
    assert seconds == pytest.approx(reseau.presets()["cnn"].cost() * 60000 * rate)
    _, by = estimate(reseau.presets()["dessin"], shelf.entries())
    assert by is None  # trained without the drawings' augmentation: it does not time this one


@pytest.mark.parametrize("seconds, lang, text", [
    (0.4, "fr", "environ 1 s"), (42, "fr", "environ 40 s"), (250, "fr", "environ 4 min"),
    (250, "en", "about 4 min"), (3900, "fr", "environ 1 h 05"), (3900, "en", "about 1 h 05 min"),
])
def test_durations_are_written_roughly_in_words(seconds, lang, text):
    from reseau.web.routes.train import duration

    assert duration(seconds, lang) == text


def test_a_convolutional_network_trained_from_the_page_is_saved_beside_the_model_in_use(tmp_path, trained, train_data,
                                                                                          test_data):
    """The trainer of the page with a few images (fast): the network is saved under its own name (its preset's
    and what changed), and the model in use (a network of layers of neurons) stays; the document's preset,
    unchanged, replaces it, and is saved as document.safetensors too; a document's run with other settings
    does not replace it."""
    from reseau.web.jobs import Plan, Trainer
    from reseau.web.state import ModelShelf, ModelStore

    class FewImages:  # the DataCache of the page, with 2 000 training images and 1 000 test images
        def get(self, split, dataset="mnist"):
            return (train_data[0][:2000], train_data[1][:2000]) if split == "train" else \
                (test_data[0][:1000], test_data[1][:1000])

    path = modelfile.save(trained, tmp_path / "model.safetensors")
    before = path.read_bytes()
    store = ModelStore.open(path)
    shelf = ModelShelf(tmp_path)
    trainer = Trainer(store, shelf, FewImages())
    config = reseau.presets()["cnn"].with_(conv=(4,), kernels=(5,), dense=(8,), epochs=1)
    trainer.start(Plan(config, preset="cnn"))
    assert trainer.wait(60) and trainer.state == "done"
    done = trainer.events_since(0)[-1].data
    own = "cnn-conv-4-kernels-5-dense-8-epochs-1.safetensors"
    assert done["in_use"] is False and done["name"] == own
    assert done["path"] == str(tmp_path / own) and "save_error" not in done
    saved = modelfile.load(tmp_path / own)
    assert saved.info.preset == "cnn" and saved.info.config == config and saved.info.source == "web"
    assert store.model is not None and store.model.info.preset == "document"  # the model in use did not change
    assert path.read_bytes() == before
    trainer.start(Plan(reseau.presets()["document"].with_(epochs=1), preset="document"))
    assert trainer.wait(60) and trainer.state == "done"
    done = trainer.events_since(0)[-1].data
    assert done["in_use"] is False and done["name"] == "document-epochs-1.safetensors"
    assert path.read_bytes() == before  # the model in use did not change
    trainer.start(Plan(reseau.presets()["document"], preset="document"))
    assert trainer.wait(60) and trainer.state == "done"
    done = trainer.events_since(0)[-1].data
    assert done["in_use"] is True and done["name"] == "model.safetensors" and done["path"] == str(path)
    assert modelfile.load(path).info.history.epochs[0].n_images == 2000  # the model in use, replaced
    assert modelfile.load(tmp_path / "document.safetensors").info == modelfile.load(path).info  # and kept


@pytest.mark.may_skip  # a platform without per-thread priority, not a missing tool
@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no per-thread priority on this system")
def test_a_training_thread_yields_the_cpu_to_the_pages_requests():
    from reseau.web.jobs import TRAINING_NICENESS, lower_priority

    seen = {}

    def training():
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        lower_priority()
        seen["before"], seen["after"] = before, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        lower_priority()  # twice: never raised back, never past the value
        seen["again"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=training)
    thread.start()
    thread.join()
    assert seen["after"] == max(seen["before"], TRAINING_NICENESS) == seen["again"]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == seen["before"]  # the caller's own is untouched
