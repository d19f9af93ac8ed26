"""The modern trainer on real MNIST: each preset learns, runs repeat exactly, the validation set
chooses the epoch, mistakes get clear messages; and ``reseau train --mode modern`` end to end."""

from __future__ import annotations

import numpy as np
import pytest

from reseau import modelfile
from reseau.cli import run
from reseau.errors import ConfigError, DataError, DivergenceError
from reseau.history import History
from reseau.i18n import t
from reseau.training import PRESETS, TrainConfig, train

SMALL = dict(val_size=2000, epochs=2)  # 2 epochs on a subset: quick, far above chance (10 %)


def subset(train_data, n):
    images, labels = train_data
    return images[:n], labels[:n]


@pytest.mark.parametrize("preset, n_images, changes, threshold", [
    ("better", 60000, {"epochs": 2}, 96.0),  # the full preset reaches ~98 % in 15 epochs
    ("best", 12000, SMALL, 94.0),  # ~98.6 % in 15 epochs on 50 000 images
    # augmentation slows the start, wins in the end; "best" and the augmentation's own tests check it in CI
    pytest.param("best-augment", 12000, SMALL, 92.0, marks=pytest.mark.long),
])
def test_each_preset_learns_real_mnist(train_data, test_data, preset, n_images, changes, threshold):
    config = PRESETS[preset].with_(**changes)
    network, history = train(*subset(train_data, n_images), config, test=test_data)
    assert history.test_accuracy > threshold
    assert network.accuracy(*test_data) == pytest.approx(history.test_accuracy)
    assert all(w.dtype == np.float32 for w in network.weights)  # float32 in this mode
    assert network.sizes == config.sizes
    assert network.activations == [config.activation] * len(config.layers) + [config.output]


def test_the_document_network_in_minibatches_learns(train_data, test_data):
    """The document's choices (sigmoid, uniform init, SGD) on mini-batches: it learns, slower."""
    config = TrainConfig(layers=(20,), activation="sigmoid", output="sigmoid", init="uniform",
                         optimizer="sgd", learn_rate=0.5, batch_size=16, epochs=2, schedule="none",
                         val_size=5000)
    network, history = train(*subset(train_data, 30000), config, test=test_data)
    assert history.test_accuracy > 85
    assert network.activations == ["sigmoid", "sigmoid"]


def test_same_seed_same_network_other_seed_other_network(train_data):
    config = TrainConfig(layers=(32,), dropout=0.2, augment="light", epochs=2, val_size=1000)
    images, labels = subset(train_data, 4000)
    first, h1 = train(images, labels, config)
    again, h2 = train(images, labels, config)
    other, _ = train(images, labels, config.with_(seed=1))
    for a, b in zip(first.weights + first.biases, again.weights + again.biases):
        np.testing.assert_array_equal(a, b)
    assert [e.loss for e in h1.epochs] == [e.loss for e in h2.epochs]
    assert not np.array_equal(first.weights[0], other.weights[0])


def test_validation_chooses_the_epoch_and_test_is_only_measured(train_data, test_data):
    config = TrainConfig(layers=(32,), optimizer="adam", learn_rate=0.003, epochs=4, val_size=2000)
    network, history = train(*subset(train_data, 10000), config, test=test_data)
    vals = [e.val_accuracy for e in history.epochs]
    assert history.best_epoch == int(np.argmax(vals))  # first best validation score
    assert history.test_accuracy == history.epochs[history.best_epoch].test_accuracy
    assert network.accuracy(*test_data) == pytest.approx(history.test_accuracy)
    images, labels = subset(train_data, 10000)
    assert network.accuracy(images[-2000:], labels[-2000:]) == pytest.approx(max(vals))
    assert all(e.n_images == 8000 for e in history.epochs)  # the validation images are not learned
    restored = History.from_dict(history.to_dict())
    assert restored == history


def test_patience_stops_early(train_data):
    """A learning rate so small that nothing changes: validation never improves, training stops."""
    config = TrainConfig(layers=(16,), optimizer="sgd", learn_rate=1e-12, schedule="none",
                         epochs=50, patience=2, val_size=1000)
    _, history = train(*subset(train_data, 3000), config)
    assert len(history.epochs) == 3 and history.best_epoch == 0


def test_progress_and_cancel(train_data):
    calls = []
    images, labels = subset(train_data, 12000)
    train(images, labels, TrainConfig(epochs=1, val_size=0), on_progress=lambda d, n: calls.append((d, n)))
    assert calls[0] == (5024, 12000) and calls[-1] == (12000, 12000)  # about every 5000 images

    class Stop(Exception):
        pass

    def cancel(done, total):
        raise Stop

    with pytest.raises(Stop):
        train(images, labels, TrainConfig(epochs=3, val_size=0), on_progress=cancel)


def test_divergence_is_a_clear_error(train_data):
    """Softmax and ReLU keep the gradient bounded, so a huge rate alone kills the network rather
    than overflowing it; pixels in the billions make the weights overflow within one epoch."""
    images, labels = subset(train_data, 2000)
    config = TrainConfig(layers=(64,), optimizer="sgd", learn_rate=2.0, schedule="none", epochs=2,
                         val_size=0)
    with pytest.raises(DivergenceError) as caught:
        train(images * np.float32(1e10), labels, config)
    french = t(caught.value.key, lang="fr", **caught.value.params)
    assert "2,0" in french and "sgd" in french


def test_bad_data_gets_clear_errors(train_data):
    images, labels = subset(train_data, 3000)
    with pytest.raises(DataError, match=r"\(3000, 28, 28\)"):
        train(images.reshape(-1, 28, 28), labels)
    with pytest.raises(DataError, match="2999"):
        train(images, labels[:-1])
    with pytest.raises(DataError, match="one-hot"):
        train(images, labels.argmax(axis=1) + 5)  # digits 5..14
    broken = images.copy()
    broken[5, 300] = np.nan
    with pytest.raises(DataError, match="nan"):
        train(broken, labels)
    with pytest.raises(ConfigError, match="3000"):
        train(images, labels, TrainConfig(val_size=10000))
    digits = labels.argmax(axis=1)  # plain digits work as well as one-hot rows
    network, _ = train(images, digits, TrainConfig(layers=(8,), epochs=1, val_size=500))
    assert network.sizes == [784, 8, 10]


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

def test_cli_modern_trains_saves_and_predict_uses_it(tmp_path, capsys):
    path = tmp_path / "modern.safetensors"
    assert run(["train", "--preset", "better", "--layers", "32", "--epochs", "2", "--batch-size", "64",
                "--out", str(path)]) == 0
    stdout, stderr = capsys.readouterr()
    lines = stdout.splitlines()
    assert lines[0].startswith("Epoch 1/2 : entraînement ") and "validation" in lines[0]
    assert lines[2].startswith("Meilleure epoch selon la validation : ")
    assert lines[3].startswith("Test (10\u202f000 images jamais vues) : ")
    assert "784-32-10" in stderr and "graine 0" in stderr and "lots de 64" in stderr
    assert "la validation choisit l'epoch gardée" in stderr and "« Précision »" not in stderr
    model = modelfile.load(path)
    info = model.info
    assert info.mode == "modern" and info.preset == "better" and info.source == "cli"
    assert info.config == PRESETS["better"].with_(layers=(32,), epochs=2, batch_size=64)
    assert info.test_accuracy > 90 and info.test_accuracy == info.history.best.test_accuracy
    assert info.val_accuracy == max(e.val_accuracy for e in info.history.epochs)
    assert model.network.sizes == [784, 32, 10]
    assert run(["predict", "--model", str(path), "--index", "0", "--save", str(tmp_path / "p.png")]) == 0
    assert "(étiquette : 5)" in capsys.readouterr().out


def test_the_closing_note_explains_the_lines_printed_above_it(tmp_path, capsys):
    """The document's note speaks of « Précision »; a modern run without validation printed « entraînement »."""
    assert run(["train", "--preset", "better", "--layers", "16", "--epochs", "1", "--val-size", "0",
                "--out", str(tmp_path / "m.safetensors")]) == 0
    stdout, stderr = capsys.readouterr()
    assert stdout.startswith("Epoch 1/1 : entraînement ") and "validation" not in stdout
    (note,) = [line for line in stderr.splitlines() if line.startswith("(«")]
    assert note.startswith("(« entraînement » = images reconnues pendant l'apprentissage")
    assert "« Précision »" not in stderr and "validation" not in note


def test_cli_default_is_still_the_document(tmp_path, capsys):
    assert run(["train", "--epochs", "1", "--out", str(tmp_path / "m.safetensors")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Epoch : 0, Précision : 86.18%"
    assert run(["train", "--preset", "document", "--epochs", "1", "--out", str(tmp_path / "d.safetensors")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Epoch : 0, Précision : 86.18%"
    assert modelfile.load(tmp_path / "d.safetensors").info.mode == "faithful"


@pytest.mark.parametrize("args, words", [
    (["--optimizer", "adam"], "--preset better, best… ouvre les autres"),
    (["--mode", "modern", "--layers", "256,abc"], "256,abc"),
    (["--mode", "modern", "--layers", "0"], "(0,)"),
    (["--mode", "modern", "--optimizer", "rmsprop"], "sgd, momentum, adam"),
    (["--mode", "modern", "--dropout", "1.5"], "--dropout doit être un nombre entre 0 et 0,95 (reçu : 1,5)"),
    (["--mode", "modern", "--engine", "reference"], "--engine"),
    (["--mode", "modern", "--hidden", "10", "--layers", "10"], "--layers"),
    (["--mode", "modern", "--preset", "document"], "« document » n'est pas du mode modern"),
    (["--mode", "faithful", "--preset", "best"], "best"),
    (["--mode", "turbo"], "faithful, modern"),
    (["--preset", "fastest"], "document, better, best"),
    (["--preset", "better", "--output", "sigmoid", "--label-smoothing", "0.1"], "softmax"),
])
def test_cli_mistakes_get_one_clear_line(args, words, tmp_path, capsys):
    path = tmp_path / "m.safetensors"
    assert run(["train", *args, "--out", str(path)]) == 2
    _, stderr = capsys.readouterr()
    assert words in " ".join(stderr.split()) and "Traceback" not in stderr
    assert not path.exists()
