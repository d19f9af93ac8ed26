"""Each network's own preprocessing (reseau.drawing.Preprocessing), recorded in its model file.

The record round-trips; files written before it (reseau 0.1's, and a file whose record lacks it) load with
what the page always did (stroke normalisation); each preset records its own; values that would make the
drawing's preparation endless are refused; and the server's /api/predict applies the network's own.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from reseau import drawing, modelfile, presets
from reseau.drawing import DEFAULT, NO_STROKE, Preprocessing, preprocess_for, to_mnist
from reseau.errors import ModelFileError
from reseau.history import History
from reseau.modelfile import ModelInfo, SavedModel
from reseau.training.cnn_config import CNNConfig
from reseau.web import create_app

DATA = Path(__file__).parent / "data"


def thick_drawing() -> np.ndarray:
    """A thick bar with a foot, 112 x 112: stroke normalisation changes it (it thins the pen)."""
    grey = np.zeros((112, 112))
    grey[10:100, 45:70] = 1.0
    grey[80:100, 20:90] = 1.0
    return grey


def test_the_record_round_trips(trained, tmp_path):
    own = Preprocessing(normalise_stroke=True, stroke=3.0, pen=(-0.5, 1.0))
    for chosen in (own, NO_STROKE, DEFAULT):
        model = SavedModel(trained.network, replace(trained.info, preprocessing=chosen))
        loaded = modelfile.load(modelfile.save(model, tmp_path / "m.safetensors")).info
        assert loaded.preprocessing == chosen and loaded == model.info
    assert Preprocessing.from_dict(own.to_dict()) == own


def test_each_preset_records_its_own():
    chosen = {name: ModelInfo.build(config, History(), preset=name).preprocessing for name, config in presets().items()}
    assert chosen["dessin"] == drawing.PRESETS["dessin"] == NO_STROKE
    assert {name: p for name, p in chosen.items() if name != "dessin"} == {n: DEFAULT for n in chosen if n != "dessin"}
    assert ModelInfo.build(CNNConfig(augment="drawing", epochs=1), History()).preprocessing == NO_STROKE  # no preset
    assert ModelInfo.build(CNNConfig(), History()).preprocessing == DEFAULT


@pytest.mark.parametrize("name", ["faithful", "modern", "web"])
def test_files_written_before_the_record_behave_as_before(name):
    info = modelfile.load(DATA / f"v0.1-{name}.safetensors").info
    assert info.preprocessing == DEFAULT
    grey = thick_drawing()
    np.testing.assert_array_equal(preprocess_for(info)(grey), to_mnist(grey))  # what the page always did


def _without_record(trained) -> bytes:
    """``trained``'s file as this version writes it, its record's preprocessing taken out (an older file)."""
    data = modelfile.to_bytes(trained)
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + n])
    record = json.loads(header["__metadata__"]["info"])
    assert "preprocessing" in record
    del record["preprocessing"]
    header["__metadata__"]["info"] = json.dumps(record)
    raw = json.dumps(header).encode()
    return len(raw).to_bytes(8, "little") + raw + data[8 + n :]


def test_a_record_without_it_loads_as_today(trained):
    info = modelfile.from_bytes(_without_record(trained)).info
    assert info.preprocessing == DEFAULT and preprocess_for(None) is not None


@pytest.mark.parametrize("value", [
    {"pen": [-1e9, 2.0]}, {"pen": [-1.0, 50.0]}, {"pen": [1.0, 2.0]}, {"pen": [-1.0]}, {"pen": "wide"},
    {"pen": [-1.0, "2"]}, {"stroke": 0.0}, {"stroke": 1e6}, {"normalise_stroke": "yes"}, [1, 2],
])  # fmt: skip
def test_a_preprocessing_out_of_bounds_is_refused(trained, value):
    data = modelfile.to_bytes(trained)
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + n])
    record = json.loads(header["__metadata__"]["info"])
    record["preprocessing"] = value if isinstance(value, list) else record["preprocessing"] | value
    header["__metadata__"]["info"] = json.dumps(record)
    raw = json.dumps(header).encode()
    with pytest.raises(ModelFileError) as caught:
        modelfile.from_bytes(len(raw).to_bytes(8, "little") + raw + data[8 + n :])
    assert "info.preprocessing" in caught.value.params["field"]


def test_the_server_prepares_a_drawing_with_the_networks_own(trained, tmp_path, mnist_dir, model_file):
    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy(model_file, folder / "today.safetensors")
    own_model = SavedModel(trained.network, replace(trained.info, preprocessing=NO_STROKE))
    modelfile.save(own_model, folder / "own.safetensors")
    grey = thick_drawing()
    body = {"width": 112, "height": 112, "pixels": grey.ravel().tolist()}
    app = create_app(folder / "today.safetensors", mnist_dir, train_if_missing=False, experiments_dir=tmp_path)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        today_answer = client.post("/api/predict", json=body).json()
        own_answer = client.post("/api/predict", json=body | {"model": "own.safetensors"}).json()
    today, own = today_answer["input"], own_answer["input"]
    # what the page's caption under the 28x28 image says was done
    assert today_answer["stroke_normalised"] is True and own_answer["stroke_normalised"] is False
    np.testing.assert_allclose(today, to_mnist(grey).reshape(-1), atol=1e-4)
    np.testing.assert_allclose(own, to_mnist(grey, normalise_stroke=False).reshape(-1), atol=1e-4)
    assert np.abs(np.subtract(today, own)).max() > 0.1  # the two really differ on this drawing
