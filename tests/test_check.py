"""Model files prove their contents: the weights' checksum, the record against the layers, ``reseau check``.

The network is the document's, trained here for one epoch with the compiled
engine (about a second); every expected value (accuracies, sentences, sizes)
is computed by the Python side during the test.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from reseau import modelcheck, modelfile
from reseau.cli import run
from reseau.errors import DivergenceError, ModelFileError
from reseau.faithful_config import FaithfulConfig
from reseau.history import History
from reseau.i18n import counted, t
from reseau.modelfile import ModelInfo, SavedModel
from reseau.network import Network
from reseau.training import TrainConfig, cnn

IMAGES = np.random.default_rng(0).random((20, 784))  # pixels in [0, 1]


@pytest.fixture(scope="module")
def one_epoch(train_data, test_data) -> SavedModel:
    """The document's network after one epoch (compiled engine), tested on the 10 000 test images."""
    from reseau import faithful

    config = FaithfulConfig(epochs=1)
    network, history = faithful.train(*train_data, config, test=test_data)
    return SavedModel(network, ModelInfo.build(config, history, preset="document"))


@pytest.fixture()
def saved(one_epoch, tmp_path):
    return modelfile.save(one_epoch, tmp_path / "m.safetensors")


# --- Files as bytes: header, metadata, tensors ----------------------------------------------------------------


def split(data: bytes) -> tuple[dict, bytes]:
    n = int.from_bytes(data[:8], "little")
    return json.loads(data[8 : 8 + n]), data[8 + n :]


def join(header: dict, body: bytes) -> bytes:
    text = json.dumps(header).encode()
    return len(text).to_bytes(8, "little") + text + body


def edit_meta(data: bytes, **changes: str | None) -> bytes:
    """The file with metadata keys set (or removed: ``None``); the tensors' bytes unchanged."""
    header, body = split(data)
    for key, value in changes.items():
        if value is None:
            del header["__metadata__"][key]
        else:
            header["__metadata__"][key] = value
    return join(header, body)


def edit_info(data: bytes, change) -> bytes:
    info = json.loads(split(data)[0]["__metadata__"]["info"])
    change(info)
    return edit_meta(data, info=json.dumps(info))


def flip_sign(data: bytes, tensor: str, index: int) -> bytes:
    """The file with one bit flipped: the sign of value ``index`` of ``tensor`` (little-endian: its last byte)."""
    header, body = split(data)
    entry = header[tensor]
    size = modelcheck.FLOAT_DTYPES[entry["dtype"]]
    at = len(data) - len(body) + entry["data_offsets"][0] + size * index + size - 1
    flipped = bytearray(data)
    flipped[at] ^= 0x80
    return bytes(flipped)


def load(data: bytes, tmp_path, name: str = "x.safetensors") -> SavedModel:
    path = tmp_path / name
    path.write_bytes(data)
    return modelfile.load(path)


def refused(data: bytes, tmp_path) -> ModelFileError:
    path = tmp_path / "refused.safetensors"
    path.write_bytes(data)
    with pytest.raises(ModelFileError) as err:
        modelfile.load(path)
    for lang in ("fr", "en"):  # one sentence in each language, naming the file
        text = t(err.value.key, lang, **err.value.params)
        assert str(path) in text and "\n" not in text
    return err.value


def cli(capsys, *args) -> tuple[int, str, str]:
    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- The checksum -----------------------------------------------------------------------------------------------


def test_a_flipped_bit_in_the_weights_is_refused(one_epoch, tmp_path):
    data = modelfile.to_bytes(one_epoch)
    damaged = flip_sign(data, "weights.1", 57)
    assert refused(damaged, tmp_path).key == "model.checksum"
    # Without its checksum the same file loads and answers otherwise: what the checksum is there to catch.
    unguarded = load(edit_meta(damaged, **{modelcheck.CHECKSUM: None}), tmp_path)
    assert not np.array_equal(unguarded.network.forward(IMAGES), one_epoch.network.forward(IMAGES))


def test_the_checksum_covers_names_types_and_shapes():
    rng = np.random.default_rng(0)
    tensors = {"weights.0": rng.random((2, 3)), "biases.0": rng.random(2)}
    digest = modelcheck.weights_sha256(tensors)
    assert len(digest) == 64 and digest == modelcheck.weights_sha256(dict(reversed(tensors.items())))  # sorted
    assert digest != modelcheck.weights_sha256({"weights.0": tensors["weights.0"].reshape(3, 2),
                                                "biases.0": tensors["biases.0"]})  # fmt: skip
    assert digest != modelcheck.weights_sha256({k: v.astype(np.float32) for k, v in tensors.items()})
    assert digest != modelcheck.weights_sha256({"weights.1": tensors["weights.0"], "biases.0": tensors["biases.0"]})
    import hashlib  # the definition of the docstring, written out for one tensor

    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    by_hand = hashlib.sha256(b'["w","F32",[2,3]]\n' + w.astype("<f4").tobytes()).hexdigest()
    assert modelcheck.weights_sha256({"w": w}) == by_hand


def test_a_file_written_before_the_checksum_loads_and_says_so_once(one_epoch, saved, tmp_path, capsys):
    old = tmp_path / "old.safetensors"
    old.write_bytes(edit_meta(saved.read_bytes(), **{modelcheck.CHECKSUM: None}))
    model = modelfile.load(old)
    assert [note.key for note in model.notes] == ["model.note.no_checksum"]
    assert np.array_equal(model.network.forward(IMAGES), one_epoch.network.forward(IMAGES))
    assert modelfile.load(saved).notes == []  # a file with its checksum: nothing to say
    note = t("model.note.no_checksum", "fr", path=old)
    code, out, err = cli(capsys, "predict", "--model", old, "--index", "0", "--save", tmp_path / "p.png")
    assert code == 0 and " ".join(err.split()).count(" ".join(note.split())) == 1


# --- The record against the layers -------------------------------------------------------------------------------


def dense_file(sizes: list[int], activations: list[str], config) -> bytes:
    rng = np.random.default_rng(1)
    net = Network([rng.normal(0, 0.1, (b, a)) for a, b in zip(sizes, sizes[1:])], [np.zeros(b) for b in sizes[1:]],
                  activations)  # fmt: skip
    return modelfile.to_bytes(SavedModel(net, ModelInfo.build(config, History())))


def test_a_record_that_says_20_hidden_neurons_over_weights_of_30_is_refused(tmp_path):
    error = refused(dense_file([784, 30, 10], ["sigmoid", "sigmoid"], FaithfulConfig()), tmp_path)
    assert error.key == "model.contradicts_sizes"
    assert "784-20-10" in str(error) and "784-30-10" in str(error)


@pytest.mark.parametrize("activations", [["identity", "identity"], ["sigmoid", "softmax"], ["relu", "sigmoid"]])
def test_the_documents_network_is_sigmoid_sigmoid_whatever_the_metadata_says(one_epoch, activations, tmp_path):
    error = refused(edit_meta(modelfile.to_bytes(one_epoch), activations=json.dumps(activations)), tmp_path)
    assert error.key == "model.contradicts_activations"
    assert "sigmoid, sigmoid" in str(error) and ", ".join(activations) in str(error)


@pytest.mark.parametrize("sizes, activations, key", [
    ([784, 16, 10], ["relu", "softmax"], "model.contradicts_sizes"),
    ([784, 8, 8, 10], ["relu", "relu", "softmax"], "model.contradicts_sizes"),
    ([784, 8, 10], ["tanh", "softmax"], "model.contradicts_activations"),
    ([784, 8, 10], ["relu", "sigmoid"], "model.contradicts_activations"),
])  # fmt: skip
def test_a_modern_networks_layers_are_its_configurations(sizes, activations, key, tmp_path):
    config = TrainConfig(layers=(8,), activation="relu", output="softmax")
    assert refused(dense_file(sizes, activations, config), tmp_path).key == key
    load(dense_file([784, 8, 10], ["relu", "softmax"], config), tmp_path)  # the same, agreeing: loads


def cnn_file(built: cnn.CNNConfig, recorded: cnn.CNNConfig) -> bytes:
    spec = cnn.architecture(built)
    params = {k: v.copy() for k, v in cnn.initial_slots(cnn.build(spec), 0).values.items()}
    return modelfile.to_bytes(SavedModel(cnn.ConvNetwork(spec, params), ModelInfo.build(recorded, History())))


@pytest.mark.parametrize("change, layer", [({"conv": (3,)}, "conv0"), ({"dropout": 0.5}, "dropout0"),
                                           ({"batch_norm": False}, "bn0"), ({"dense": (4, 4)}, "dense1")])
def test_a_convolutional_networks_architecture_is_its_configurations(change, layer, tmp_path):
    config = cnn.CNNConfig(conv=(2,), kernels=(5,), dense=(4,), dropout=0.3)
    error = refused(cnn_file(config, config.with_(**change)), tmp_path)
    assert error.key == "model.contradicts_architecture" and layer in str(error)
    load(cnn_file(config, config), tmp_path)


# --- Weights that load but cannot tell images apart ------------------------------------------------------------------


@pytest.mark.parametrize("value, key", [(0.0, "model.note.zero_weights"), (0.25, "model.note.constant_weights")])
def test_weights_all_equal_load_with_a_note(value, key, tmp_path):
    net = Network([np.full((20, 784), value), np.full((10, 20), -value)], [np.zeros(20), np.arange(10.0)])
    model = load(modelfile.to_bytes(SavedModel(net, ModelInfo.build(FaithfulConfig(), History()))), tmp_path)
    assert [note.key for note in model.notes] == [key]
    assert len(set(model.network.predict(IMAGES))) == 1  # the note is true: one answer for every image


def test_a_trained_network_has_no_note(one_epoch, tmp_path):
    assert load(modelfile.to_bytes(one_epoch), tmp_path).notes == []


# --- reseau check -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_check_says_what_a_file_is(one_epoch, saved, lang, capsys):
    code, out, err = cli(capsys, "--lang", lang, "check", saved)
    info = one_epoch.info
    assert code == 0 and not err
    digest = modelcheck.weights_sha256(one_epoch.network.parameters())
    expected = [
        t("check.file", lang, path=saved),
        t("check.network", lang, kind=t("kind.faithful", lang), sizes="784-20-10", layers="sigmoid, sigmoid"),
        t("check.dataset", lang, dataset="mnist", classes=10),
        t("check.settings", lang, settings=info.config.describe("document")),  # run() left the language at lang
        t("check.checksum", lang, digest=digest[:16]),
    ]
    for line in expected:
        assert line in out.splitlines(), line
    results = t("check.results", lang, epoch=0, precision=t("check.percent", lang, value=info.train_precision),
                val="—", test=t("check.percent", lang, value=info.test_accuracy))  # fmt: skip
    assert results in out and counted(1, "unit.epoch", lang) in out


def test_check_test_agrees_with_the_record_of_a_trained_network(one_epoch, saved, test_data, capsys):
    code, out, err = cli(capsys, "check", saved, "--test")
    accuracy = one_epoch.network.accuracy(*test_data)
    assert code == 0 and t("check.test_same", "fr", measured=accuracy, recorded=accuracy) in out


def test_check_test_says_both_numbers_when_the_record_was_edited(one_epoch, saved, test_data, tmp_path, capsys):
    recorded = one_epoch.info.test_accuracy + 7.5

    def boast(info: dict) -> None:
        info["history"]["test_accuracy"] = recorded

    edited = tmp_path / "edited.safetensors"
    edited.write_bytes(edit_info(saved.read_bytes(), boast))  # the weights, and their checksum, untouched
    code, out, err = cli(capsys, "--lang", "en", "check", edited, "--test")
    measured = one_epoch.network.accuracy(*test_data)
    assert code == 1 and t("check.test_differs", "en", measured=measured, recorded=recorded) in out
    assert "Traceback" not in err


def test_check_of_a_file_without_checksum_says_it_once(saved, tmp_path, capsys):
    old = tmp_path / "old.safetensors"
    old.write_bytes(edit_meta(saved.read_bytes(), **{modelcheck.CHECKSUM: None}))
    code, out, err = cli(capsys, "check", old)
    said = " ".join((out + err).split())
    assert code == 0 and said.count(" ".join(t("model.note.no_checksum", "fr", path=old).split())) == 1
    assert "SHA-256" not in out  # no « vérifiée » line


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_check_of_a_missing_or_damaged_file_is_one_sentence(one_epoch, tmp_path, lang, capsys):
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(flip_sign(modelfile.to_bytes(one_epoch), "weights.0", 1000))
    for path, key in ((tmp_path / "none.safetensors", "check.missing"), (damaged, "model.checksum")):
        code, out, err = cli(capsys, "--lang", lang, "check", path)
        assert code == 2 and not out and "Traceback" not in err
        assert t(key, lang, path=path) in " ".join(err.split()) and err.count("\n") == 1


# --- A training that diverged is not saved ---------------------------------------------------------------------------


def test_a_network_the_loader_would_refuse_is_not_saved(tmp_path):
    """lr = 100 with SGD (measured: weights up to 5e6): the save refuses with the learning rate, writes nothing."""
    net = Network([np.full((8, 784), 0.01), np.full((10, 8), 2 * modelcheck.MAX_WEIGHT)], [np.zeros(8), np.zeros(10)],
                  ["relu", "softmax"])  # fmt: skip
    config = TrainConfig(layers=(8,), optimizer="sgd", learn_rate=1.0)
    with pytest.raises(DivergenceError) as err:
        modelfile.save(SavedModel(net, ModelInfo.build(config, History())), tmp_path / "m.safetensors")
    assert err.value.key == "model.diverged" and "weights.1" in str(err.value) and list(tmp_path.iterdir()) == []
    net.weights[1][:] = modelcheck.MAX_WEIGHT / 2  # within the bound: saved, and loads
    load(modelfile.save(SavedModel(net, ModelInfo.build(config, History())), tmp_path / "m.safetensors").read_bytes(),
         tmp_path)  # fmt: skip
