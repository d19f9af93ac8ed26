"""The site's Train tab (``web/static/local/training.js``, ``train.js``, ``trained.js``) against the Python it copies.

Python trains the document's network on MNIST's first 3 000 images (reseau.faithful, the reference engine, 2
epochs, a test pass on 2 000 test images after each) and writes what ``reseau train`` and the server's
Train tab say of it: each epoch's line (:meth:`EpochReport.line`), the test line, a stop, a divergence, the
sentences of refused settings, the file names of web/jobs.py and the durations of routes/train.py. Node
runs the worker's training (its pure functions, not a Worker) on the same bytes and must give the same
weights (1e-12), numbers and sentences, in French and English; it writes the trained network as a model
file, which :func:`reseau.modelfile.load` must read back with the same weights and record.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from reseau import faithful, trainers
from reseau.data import load_raw
from reseau.errors import ConfigError
from reseau.faithful_config import FaithfulConfig
from reseau.i18n import LANGUAGES, counted, format_number, t
from reseau.modelfile import load
from reseau.web.jobs import Event, Plan
from reseau.web.routes import model as model_routes
from reseau.web.routes.page import PAGE_MESSAGES, messages_of, options
from reseau.web.routes.train import duration, render_event
from reseau.web.state import ShelfEntry
from test_js_faithful import run_node, write, write_weights

SLICE, TEST_SLICE = 3000, 2000  # training and test images of the comparison
CONFIG = FaithfulConfig(hidden=20, learn_rate=0.01, epochs=2, seed=0, engine="reference")

BAD = [  # settings the server refuses, and the sentence it says (config.check_int / check_number)
    {"epochs": 0},
    {"epochs": 1001},
    {"epochs": 2.5},
    {"hidden": 0},
    {"hidden": 5000},
    {"seed": -1},
    {"seed": 2**32},
    {"learn_rate": 0},
    {"learn_rate": -0.5},
    {"learn_rate": 1000.5},
]
PLANS = [  # settings -> the file name a finished run is kept under (web/jobs.py Plan.file_name)
    {},
    {"epochs": 10},
    {"learn_rate": 0.05},
    {"learn_rate": 1e-05, "seed": 7},
    {"hidden": 64, "epochs": 1},
    {"learn_rate": 0.001234567890123, "hidden": 4096, "epochs": 1000, "seed": 4294967295},
]
FLOATS = [
    86.18,
    90.0,
    100.0,
    0.0,
    -0.0,
    0.01,
    1e-05,
    0.0001,
    0.00012,
    1e16,
    1.5e16,
    123456789012345.6,
    93.44,
    -0.5,
    2e-07,
    1e300,
    5e-324,
    0.1 + 0.2,
    1 / 3,
    2**53 + 2.0,
]  # Python's str() of these, in the JS
SECONDS = [0.2, 1.5, 2.5, 3.5, 9.6, 12.4, 12.5, 37.5, 59.9, 60, 89, 150, 3599, 3600, 5000, 7430]


def sentences(lang: str, history, lines_last: int) -> dict:
    """What the server says of the Python run, in ``lang``."""
    plan = Plan(CONFIG)
    stopped = [render_event(Event(0, "stopped", {"epochs_done": n}), plan, lang).message for n in (0, 1, 2)]
    refused = []
    for change in BAD:
        with pytest.raises(ConfigError) as err:
            trainers.configure(None, "faithful", change)
        refused.append({"change": change, "message": t(err.value.key, lang=lang, **err.value.params)})
    return {
        "messages": messages_of(PAGE_MESSAGES, lang)["messages"],  # what the page has: the JS writes with these
        "format": messages_of(PAGE_MESSAGES, lang)["format"],
        "lines": [e.line(lines_last, lang) for e in history.epochs],
        "test_lines": [
            t("web.train.test_point", lang=lang, accuracy=format_number(e.test_accuracy, 2, lang))
            for e in history.epochs
        ],
        "stopped": stopped,
        "diverged": t("train.diverged", lang=lang, epoch=1, lr=500.0),
        "refused": refused,
        "durations": [[s, duration(s, lang)] for s in SECONDS],
        "counted": [counted(n, "unit.complete_epoch", lang) for n in (0, 1, 2)],
    }


def test_the_sites_training_in_javascript(tmp_path, mnist_dir, train_data, test_data):
    raw_images, raw_labels = load_raw("train", data_dir=mnist_dir)
    raw_test, test_labels = load_raw("test", data_dir=mnist_dir)
    images, labels = train_data[0][:SLICE], train_data[1][:SLICE]
    test = test_data[0][:TEST_SLICE], test_data[1][:TEST_SLICE]
    network, history = faithful.train(images, labels, CONFIG, test=test)

    model_path = tmp_path / "node-model.safetensors"
    cases = {
        "config": {k: v for k, v in CONFIG.to_dict().items() if k != "engine"},
        "train_images": write(tmp_path, "train-images.u8", raw_images[:SLICE]),
        "train_digits": write(tmp_path, "train-digits.u8", raw_labels[:SLICE]),
        "test_images": write(tmp_path, "test-images.u8", raw_test[:TEST_SLICE]),
        "test_digits": write(tmp_path, "test-digits.u8", test_labels[:TEST_SLICE]),
        "after": write_weights(tmp_path, "after", (network.w_i_h, network.w_h_o, network.biases[0], network.biases[1])),
        "epochs": [
            {"nr_correct": e.nr_correct, "precision": e.precision, "test_accuracy": e.test_accuracy}
            for e in history.epochs
        ],
        "lang": {lang: sentences(lang, history, CONFIG.epochs - 1) for lang in LANGUAGES},
        "options": json.loads(json.dumps(options())),
        "plans": [
            {"change": change, "name": Plan(trainers.configure(None, "faithful", change)[0], "mnist").file_name}
            for change in PLANS
        ],
        "model_path": str(model_path),
        "records_path": str(tmp_path / "node-records.json"),
        "floats": [[x, str(x)] for x in FLOATS],
    }
    path = tmp_path / "train-cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    run_node("train.test.mjs", "RESEAU_TRAIN_CASES", path)

    # The model file the browser keeps is one reseau reads: the same weights, the same record
    saved = load(model_path)
    for got, expected in zip(saved.network.parameters().values(), network.parameters().values(), strict=True):
        assert np.abs(got - expected).max() <= 1e-12
    info = saved.info
    assert info.mode == "faithful" and info.config == FaithfulConfig(hidden=20, learn_rate=0.01, epochs=2, seed=0)
    assert [e.precision for e in info.history.epochs] == [e.precision for e in history.epochs]
    assert info.test_accuracy == history.test_accuracy and info.best_epoch == 1 and info.source == "browser"

    # What the site's GET /api/model and GET /api/models say of it: what the server says of that file
    records = json.loads((tmp_path / "node-records.json").read_text(encoding="utf-8"))
    name = "document-epochs-2.safetensors"
    assert records["model"] == model_routes.model_status(saved, name, False).model_dump(mode="json")
    entry = ShelfEntry(name, 1234.5, info)
    assert records["entry"] == model_routes.model_entry(entry, name, None, "fr").model_dump(mode="json")
