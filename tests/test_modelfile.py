"""Model files: round trip, atomic writes, and clear errors for anything that is not a good model."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseau import modelfile
from reseau.errors import ModelFileError
from reseau.modelfile import SavedModel
from reseau.network import Network


def test_round_trip(trained, tmp_path):
    path = modelfile.save(trained, tmp_path / "sub" / "m.safetensors")
    loaded = modelfile.load(path)
    for a, b in zip(loaded.network.weights + loaded.network.biases,
                    trained.network.weights + trained.network.biases):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert loaded.network.activations == ["sigmoid", "sigmoid"]
    assert loaded.info == trained.info
    assert loaded.info["config"] == {"hidden": 20, "learn_rate": 0.01, "epochs": 3, "seed": 0, "engine": "fast"}
    assert sorted(os.listdir(path.parent)) == ["m.safetensors"]  # no temporary file left


def test_deeper_float32_network_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    net = Network([rng.normal(size=(64, 784)).astype(np.float32), rng.normal(size=(32, 64)).astype(np.float32),
                   rng.normal(size=(10, 32)).astype(np.float32)],
                  [np.zeros(64, np.float32), np.ones(32, np.float32), np.zeros(10, np.float32)],
                  ["relu", "tanh", "softmax"])
    loaded = modelfile.load(modelfile.save(SavedModel(net, {"mode": "modern"}), tmp_path / "deep.safetensors"))
    assert loaded.network.sizes == [784, 64, 32, 10] and loaded.network.activations == ["relu", "tanh", "softmax"]
    x = rng.random((5, 784)).astype(np.float32)
    assert np.array_equal(loaded.network.forward(x), net.forward(x))


def test_failed_write_keeps_the_previous_model(trained, tmp_path, monkeypatch):
    path = modelfile.save(trained, tmp_path / "m.safetensors")
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ModelFileError, match="No space left"):
        modelfile.save(SavedModel(trained.network, {"other": 1}), path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m.safetensors"]


def test_missing_model_says_how_to_train(tmp_path):
    with pytest.raises(ModelFileError) as err:
        modelfile.load(tmp_path / "nothing.safetensors")
    assert err.value.key == "model.missing" and "reseau train" in str(err.value)


@pytest.mark.parametrize("content, key", [
    (b"", "model.corrupt"),
    (b"hello, world! this is text", "model.foreign"),
    (pickle.dumps({"weights": [1, 2, 3]}), "model.foreign"),
    (np.arange(10).tobytes(), "model.foreign"),
])
def test_foreign_files(tmp_path, content, key):
    path = tmp_path / "x.safetensors"
    path.write_bytes(content)
    with pytest.raises(ModelFileError) as err:
        modelfile.load(path)
    assert err.value.key == key and str(path) in str(err.value)


def test_a_pickle_is_never_unpickled(tmp_path):
    class Boom:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(ModelFileError):
        modelfile.load(path)
    assert not (tmp_path / "pwned").exists()


def test_safetensors_without_our_metadata_is_foreign(tmp_path):
    from safetensors.numpy import save_file

    save_file({"w": np.zeros((2, 2))}, str(tmp_path / "other.safetensors"))
    with pytest.raises(ModelFileError) as err:
        modelfile.load(tmp_path / "other.safetensors")
    assert err.value.key == "model.foreign"


def test_newer_format_version(trained, tmp_path, monkeypatch):
    monkeypatch.setattr(modelfile, "FORMAT_VERSION", 99)
    path = modelfile.save(trained, tmp_path / "new.safetensors")
    monkeypatch.setattr(modelfile, "FORMAT_VERSION", 1)
    with pytest.raises(ModelFileError) as err:
        modelfile.load(path)
    assert err.value.key == "model.newer" and "99" in str(err.value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=10**9), flip=st.integers(min_value=0, max_value=10**9))
def test_any_truncation_or_flipped_byte_gives_a_model_error(trained, tmp_path, cut, flip):
    data = modelfile.to_bytes(trained)
    truncated = data[: cut % len(data)]
    with pytest.raises(ModelFileError):
        modelfile.from_bytes(truncated, "t")
    damaged = bytearray(data)
    position = flip % 200  # inside the header, where damage must be noticed
    damaged[position] ^= 0xFF
    try:
        model = modelfile.from_bytes(bytes(damaged), "d")
    except ModelFileError:
        return
    assert model.network.sizes == [784, 20, 10]  # a harmless change (e.g. inside a JSON string) still loads
