"""Model files: round trip, atomic writes, and clear errors for anything that is not a good model."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseau import modelfile
from reseau.errors import ModelFileError
from reseau.faithful import FaithfulConfig
from reseau.history import History
from reseau.modelfile import ModelInfo, SavedModel
from reseau.network import Network
from reseau.training import TrainConfig

DATA = Path(__file__).parent / "data"


def test_round_trip(trained, tmp_path):
    path = modelfile.save(trained, tmp_path / "sub" / "m.safetensors")
    loaded = modelfile.load(path)
    for a, b in zip(loaded.network.weights + loaded.network.biases,
                    trained.network.weights + trained.network.biases):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert loaded.network.activations == ["sigmoid", "sigmoid"]
    assert loaded.info == trained.info
    assert loaded.info.config == FaithfulConfig() and loaded.info.mode == "faithful"
    assert loaded.info.history.best_epoch == 2 and loaded.info.test_accuracy == pytest.approx(93.32)
    assert sorted(os.listdir(path.parent)) == ["m.safetensors"]  # no temporary file left


def test_deeper_float32_network_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    net = Network([rng.normal(size=(64, 784)).astype(np.float32), rng.normal(size=(32, 64)).astype(np.float32),
                   rng.normal(size=(10, 32)).astype(np.float32)],
                  [np.zeros(64, np.float32), np.ones(32, np.float32), np.zeros(10, np.float32)],
                  ["tanh", "tanh", "softmax"])  # as TrainConfig(activation="tanh") makes it: its record says so
    model = SavedModel(net, ModelInfo.build(TrainConfig(layers=(64, 32), activation="tanh"), History()))
    loaded = modelfile.load(modelfile.save(model, tmp_path / "deep.safetensors"))
    assert loaded.network.sizes == [784, 64, 32, 10] and loaded.network.activations == ["tanh", "tanh", "softmax"]
    x = rng.random((5, 784)).astype(np.float32)
    assert np.array_equal(loaded.network.forward(x), net.forward(x))


@pytest.mark.parametrize("name, mode, config, test_accuracy, precision, source, version", [
    ("faithful", "faithful", FaithfulConfig(hidden=2, epochs=1), 43.13, 33.26, "cli", "0.1.0"),
    ("modern", "modern", TrainConfig(layers=(3,), epochs=1, val_size=1000), 26.8, 15.7, "cli", "0.1.0"),
    ("web", "faithful", FaithfulConfig(hidden=2, epochs=1), 43.13, 33.26, "web", ""),
])
def test_files_of_version_0_1_still_load(name, mode, config, test_accuracy, precision, source, version, test_data):
    """Files written by reseau 0.1 (before the typed record): the CLI's two kinds and the web page's,
    which lacked the version and the best epoch.  They load as a ModelInfo with the same numbers."""
    model = modelfile.load(DATA / f"v0.1-{name}.safetensors")
    info = model.info
    assert (info.mode, info.config, info.source, info.reseau_version) == (mode, config, source, version)
    assert info.test_accuracy == test_accuracy and info.train_precision == precision
    assert info.best_epoch == 0 and len(info.history.epochs) == 1
    assert info.history.epochs[0].loss is None or info.history.epochs[0].loss > 0
    assert model.network.accuracy(*test_data) == pytest.approx(test_accuracy)  # the weights match the record


def test_the_record_round_trips_for_every_kind(tmp_path):
    history = History.from_dict({"epochs": [{"epoch": 0, "nr_correct": 5, "n_images": 10, "test_accuracy": 50.0,
                                             "seconds": 1.0, "val_accuracy": 40.0, "loss": 0.5}],
                                 "best_epoch": 0, "test_accuracy": 50.0})
    net = Network([np.zeros((3, 784), np.float32), np.zeros((10, 3), np.float32)],
                  [np.zeros(3, np.float32), np.zeros(10, np.float32)], ["relu", "softmax"])
    info = ModelInfo.build(TrainConfig(layers=(3,)), history, dataset="fashion-mnist", preset="better",
                           seconds=2.5, source="notebook")
    loaded = modelfile.load(modelfile.save(SavedModel(net, info), tmp_path / "m.safetensors")).info
    assert loaded == info and isinstance(loaded.config, TrainConfig) and loaded.config.layers == (3,)
    assert (loaded.val_accuracy, loaded.train_precision, loaded.best_epoch) == (40.0, 50.0, 0)
    assert loaded.reseau_version and loaded.dataset == "fashion-mnist"


def test_failed_write_keeps_the_previous_model(trained, tmp_path, monkeypatch):
    path = modelfile.save(trained, tmp_path / "m.safetensors")
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ModelFileError, match="No space left"):
        modelfile.save(SavedModel(trained.network, ModelInfo.build(FaithfulConfig(seed=1), History())), path)
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


# --- Crafted files: nothing crafted gets in, nothing is lost --------------------------------------------------


def _random_network(config, seed: int = 0):
    """The network ``config`` describes, with its initial (untrained) weights."""
    from reseau.training import cnn

    rng = np.random.default_rng(seed)
    if config.mode == "cnn":
        spec = cnn.architecture(config)
        return cnn.ConvNetwork(spec, {k: v.copy() for k, v in cnn.initial_slots(cnn.build(spec), seed).values.items()})
    sizes = config.sizes
    return Network([rng.normal(0, 0.1, (b, a)).astype(np.float32) for a, b in zip(sizes, sizes[1:])],
                   [np.zeros(b, np.float32) for b in sizes[1:]],
                   ["relu"] * (len(sizes) - 2) + ["softmax"] if config.mode == "modern" else ["sigmoid", "sigmoid"])


@pytest.mark.parametrize("name", sorted(__import__("reseau").presets()))
def test_every_presets_network_passes_the_checks(name, tmp_path):
    """Every network the presets make (best's 784-1024-1024-10, the CNNs' layers) is a file the loader accepts."""
    from reseau import presets

    config = presets()[name]
    model = SavedModel(_random_network(config), ModelInfo.build(config, History(), preset=name))
    loaded = modelfile.load(modelfile.save(model, tmp_path / f"{name}.safetensors"))
    assert loaded.network.sizes == model.network.sizes and loaded.info.preset == name


def test_the_documents_trainer_at_its_largest_learning_rate_still_loads(tmp_path):
    """lr = 1000 (the largest allowed) writes weights up to 3.5e5, measured: the program's own file must load."""
    net = Network([np.full((20, 784), 3.5e5), np.full((10, 20), -3.5e5)], [np.zeros(20), np.zeros(10)])
    model = SavedModel(net, ModelInfo.build(FaithfulConfig(learn_rate=1000.0), History()))
    loaded = modelfile.load(modelfile.save(model, tmp_path / "m.safetensors"))
    assert np.isfinite(loaded.network.forward(np.ones(784))).all()


def _refused_with_peak_memory(function) -> tuple[ModelFileError, int]:
    """The ModelFileError ``function()`` raises, and the bytes allocated at the peak while it ran."""
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError) as err:
            function()
        return err.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_padded_file_is_refused_without_reading_it(trained, tmp_path):
    """64 MB after a valid model: its header says how long the file is, so the rest is never read."""
    path = tmp_path / "padded.safetensors"
    with path.open("wb") as f:
        f.write(modelfile.to_bytes(trained))
        f.truncate(64 * 2**20)
    error, peak = _refused_with_peak_memory(lambda: modelfile.load(path))
    assert error.key == "model.truncated" and str(64 * 2**20) in str(error) and peak < 2**20


def test_a_multi_gigabyte_file_is_refused_before_reading(trained, tmp_path):
    path = tmp_path / "huge.safetensors"
    with path.open("wb") as f:  # a sparse file: 3 GB that take no disk
        f.write(modelfile.to_bytes(trained))
        f.truncate(3 * 2**30)
    error, peak = _refused_with_peak_memory(lambda: modelfile.load(path))
    assert error.key == "model.too_big" and "3072" in str(error) and "1024" in str(error) and peak < 2**20


@pytest.mark.parametrize("kind", ["folder", "fifo", pytest.param("device", marks=pytest.mark.may_skip),
                                  "link to /dev/null"])  # a device node needs root: not a missing tool
def test_saving_never_replaces_what_is_not_a_regular_file(trained, tmp_path, kind):
    """The atomic save renames over its target: run as root, that turned /dev/null into a regular file.

    The device is a copy of /dev/null made in the test's folder (root only), so a regression here
    can never damage the real one.
    """
    import stat

    path = tmp_path / "target"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the null device's numbers
    else:
        path.symlink_to("/dev/null")
    before = os.stat(path).st_mode
    with pytest.raises(ModelFileError) as err:
        modelfile.save(trained, path)
    assert err.value.key in ("model.target_is_folder", "model.target_not_file") and str(path) in str(err.value)
    assert os.stat(path).st_mode == before and not stat.S_ISREG(before)
    assert [p.name for p in tmp_path.iterdir()] == ["target"]  # and no temporary file left


def test_json_nested_deeper_than_the_limit_is_refused_before_parsing():
    from reseau import modelcheck

    assert modelcheck.parse_json('{"a": [[1, "[[[[[["]]}', "x", "f") == {"a": [[1, "[[[[[["]]}  # strings don't count
    with pytest.raises(ModelFileError) as err:
        modelcheck.parse_json("[" * 10**6 + "]" * 10**6, "info", "f")
    assert err.value.key == "model.too_deep" and "info" in str(err.value)
