"""``reseau figures ...`` as a user runs it: files written, paths printed, clear messages for mistakes."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from reseau.cli import run

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def reseau(capsys, *args: str) -> tuple[int, str, str]:
    """Run the command line in this process; returns (exit code, stdout, stderr)."""
    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def png_pixels(path: Path) -> np.ndarray:
    from matplotlib.image import imread

    return imread(path)


def assert_written(path: Path, stdout: str) -> None:
    assert path.is_file(), f"{path} was not written"
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert png_pixels(path).std() > 0.05  # not a blank picture
    assert str(path) in stdout  # the path is printed
    assert "Figure écrite" in stdout


def test_sigmoid_writes_a_png_and_prints_its_path(capsys, tmp_path):
    code, out, err = reseau(capsys, "figures", "sigmoid", "--out", tmp_path)
    assert code == 0, err
    assert_written(tmp_path / "sigmoid.png", out)


def test_sigmoid_svg_in_english_with_other_w_b(capsys, tmp_path):
    code, out, err = reseau(capsys, "figures", "sigmoid", "--w", "2", "--b", "-1", "--w", "0.5", "--b", "3",
                            "--format", "svg", "--out", tmp_path, "--lang", "en")
    assert code == 0, err
    svg = (tmp_path / "sigmoid.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Figure written" in out and str(tmp_path / "sigmoid.svg") in out


def test_digits_with_per_digit_and_seed(capsys, tmp_path):
    code, out, err = reseau(capsys, "figures", "digits", "--per-digit", "5", "--seed", "3", "--out", tmp_path,
                            "--dpi", "60")
    assert code == 0, err
    assert_written(tmp_path / "digits.png", out)
    other = tmp_path / "other"
    reseau(capsys, "figures", "digits", "--per-digit", "5", "--seed", "4", "--out", other, "--dpi", "60")
    assert not np.array_equal(png_pixels(tmp_path / "digits.png"), png_pixels(other / "digits.png"))


def test_sample_from_the_test_set(capsys, tmp_path):
    code, out, err = reseau(capsys, "figures", "sample", "--index", "9999", "--test", "--out", tmp_path,
                            "--dpi", "50")
    assert code == 0, err
    assert_written(tmp_path / "sample-test-9999.png", out)


@pytest.mark.parametrize("command, file", [
    (["network"], "network.png"),
    (["neurons"], "neurons.png"),
    (["forward", "--index", "7"], "forward-7.png"),
    (["curves"], "curves.png"),
    (["errors", "--mistakes", "6"], "errors.png"),
])
def test_model_figures(capsys, tmp_path, model_file, command, file):
    code, out, err = reseau(capsys, "figures", *command, "--model", model_file, "--out", tmp_path,
                            "--dpi", "50")
    assert code == 0, err
    assert_written(tmp_path / file, out)


def test_all_writes_every_figure(capsys, tmp_path, model_file):
    code, out, err = reseau(capsys, "figures", "all", "--model", model_file, "--out", tmp_path, "--dpi", "40")
    assert code == 0, err
    names = ["sigmoid", "digits", "sample-0", "network", "neurons", "forward-0", "backprop-0", "derivative-0",
             "curves", "errors"]
    for name in names:
        assert_written(tmp_path / f"{name}.png", out)
    assert len(out.strip().splitlines()) == len(names)


def test_model_figures_work_for_a_deeper_modern_network(capsys, tmp_path):
    """A model of the modern trainer: more layers, ReLU and softmax, a history with validation."""
    from reseau import modelfile
    from reseau.history import EpochReport, History
    from reseau.modelfile import ModelInfo
    from reseau.network import Network
    from reseau.training import TrainConfig

    rng = np.random.default_rng(1)
    sizes = [784, 128, 32, 10]
    network = Network([rng.normal(0, 0.1, (n_out, n_in)) for n_in, n_out in pairwise(sizes)],
                      [rng.normal(0, 0.1, n) for n in sizes[1:]], ["relu", "relu", "softmax"])
    epochs = [EpochReport(epoch=k, nr_correct=45000 + 500 * k, n_images=50000, test_accuracy=94.0 + k,
                          seconds=2.0, val_accuracy=95.0 + k, loss=0.3 / (k + 1)) for k in range(3)]
    info = ModelInfo.build(TrainConfig(layers=(128, 32), epochs=3), History(epochs, best_epoch=2, test_accuracy=96.0),
                           preset="better")
    path = modelfile.save(modelfile.SavedModel(network, info), tmp_path / "modern.safetensors")
    for command in ("network", "neurons", "forward", "curves", "errors"):
        code, _, err = reseau(capsys, "figures", command, "--model", path, "--out", tmp_path, "--dpi", "30")
        assert code == 0, err
        assert len(list(tmp_path.glob(f"{command}*.png"))) == 1


def test_curves_read_the_saved_history(tmp_path, model_file, trained):
    """The curves of a saved model are drawn from the history read back from its file."""
    from reseau import modelfile
    from reseau.cli.figures_cmd import make_curves

    model = modelfile.load(model_file)
    assert model.info.history == trained.info.history
    (ax,) = [ax for ax in make_curves(model, model_file).axes if ax.get_label() == "curves"]
    assert [list(line.get_ydata()) for line in ax.lines] == \
        [[e.precision for e in trained.info.history.epochs], [e.test_accuracy for e in trained.info.history.epochs]]


# --------------------------------------------------------------------------
# Mistakes get one clear message, never a traceback
# --------------------------------------------------------------------------

def assert_refused(code: int, err: str, *words: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    for word in words:
        assert word in err, f"{word!r} not in the message: {err}"


@pytest.mark.parametrize("command", [["neurons"], ["network"], ["forward"], ["curves"], ["errors"], ["all"]])
def test_missing_model_says_how_to_train_one(capsys, tmp_path, command):
    code, _, err = reseau(capsys, "figures", *command, "--model", tmp_path / "none.safetensors",
                            "--out", tmp_path)
    assert_refused(code, err, "reseau train", "none.safetensors")
    assert not list(tmp_path.glob("*.png"))  # nothing half-written


@pytest.mark.parametrize("args, valid", [
    (["sample", "--index", "60000"], "59999"),
    (["sample", "--index", "-1"], "59999"),
    (["sample", "--index", "10000", "--test"], "9999"),
])
def test_wrong_index_gives_the_valid_range(capsys, tmp_path, args, valid):
    code, _, err = reseau(capsys, "figures", *args, "--out", tmp_path)
    assert_refused(code, err, "0", valid)


def test_wrong_index_for_forward_in_english(capsys, tmp_path, model_file):
    code, _, err = reseau(capsys, "figures", "forward", "--index", "70000", "--model", model_file,
                            "--out", tmp_path, "--lang", "en")
    assert_refused(code, err, "out of range", "70000", "between 0 and 59999")


@pytest.mark.parametrize("args, words", [
    (["sigmoid", "--w", "1", "--w", "2", "--b", "0"], ["--w", "--b", "2", "1"]),
    (["sigmoid", "--w", "nan"], ["--w", "nan"]),
    (["sigmoid", "--format", "jpg"], ["jpg", "png", "svg"]),
    (["sigmoid", "--dpi", "5"], ["--dpi", "5", "30", "600"]),
    (["digits", "--per-digit", "0"], ["--per-digit", "0", "40"]),
    (["digits", "--seed", "-3"], ["--seed", "\u22123"]),
    (["digits", "--dataset", "cifar"], ["cifar", "mnist", "fashion-mnist"]),
])
def test_bad_options_are_explained(capsys, tmp_path, args, words):
    code, _, err = reseau(capsys, "figures", *args, "--out", tmp_path)
    assert_refused(code, err, *words)


def test_errors_mistakes_out_of_range(capsys, tmp_path, model_file):
    code, _, err = reseau(capsys, "figures", "errors", "--mistakes", "0", "--model", model_file,
                            "--out", tmp_path)
    assert_refused(code, err, "--mistakes", "60")


def test_out_must_be_a_folder(capsys, tmp_path):
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    code, _, err = reseau(capsys, "figures", "sigmoid", "--out", a_file)
    assert_refused(code, err, "--out", "not-a-folder")


def test_curves_of_a_model_without_history(capsys, tmp_path, trained):
    from reseau import modelfile
    from reseau.faithful import FaithfulConfig
    from reseau.history import History
    from reseau.modelfile import ModelInfo

    info = ModelInfo.build(FaithfulConfig(), History())  # trained without keeping its epochs
    path = modelfile.save(modelfile.SavedModel(trained.network, info), tmp_path / "old.safetensors")
    code, _, err = reseau(capsys, "figures", "curves", "--model", path, "--out", tmp_path)
    assert_refused(code, err, "old.safetensors", "reseau train")
    assert not list(tmp_path.glob("*.png"))
    code, _, err = reseau(capsys, "figures", "all", "--model", path, "--out", tmp_path, "--dpi", "30")
    assert code == 0 and "old.safetensors" in err  # `all` says why, and writes the others
    assert not (tmp_path / "curves.png").exists() and (tmp_path / "errors.png").is_file()


def test_help_is_in_french_and_english(capsys):
    code, out, _ = reseau(capsys, "figures", "--help")
    assert code == 0 and "sigmoïde" in out and "neurons" in out and "Afficher cette aide et quitter." in out
    code, out, _ = reseau(capsys, "figures", "--help", "--lang", "en")
    assert code == 0 and "The sigmoid" in out and "Show this help and exit." in out


@pytest.mark.parametrize("lang, words", [
    ("fr", ["Nombre d'erreurs montrées", "Fichier modèle à utiliser.", "Afficher cette aide et quitter."]),
    ("en", ["Number of mistakes shown", "Model file to use.", "Show this help and exit."]),
])
def test_help_of_one_figure(capsys, lang, words):
    code, out, _ = reseau(capsys, "figures", "errors", "--help", "--lang", lang)
    assert code == 0
    for word in words:
        assert word in " ".join(out.split())
    no_show = next(row for row in out.splitlines() if "--no-show" in row)
    assert "<" not in no_show  # a flag is shown without a value


# --------------------------------------------------------------------------
# A convolutional network: its own figures, and a clear refusal of the others
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cnn_file(train_data, test_data, tmp_path_factory) -> Path:
    """A small convolutional network really trained (3 000 images, one epoch: about 2 s), with its history."""
    import reseau
    from reseau import modelfile

    config = reseau.presets()["cnn"].with_(conv=(4, 8), dense=(16,), epochs=1)
    network, history = reseau.train(*(a[:3000] for a in train_data), config, test=tuple(a[:1000] for a in test_data))
    model = modelfile.SavedModel(network, modelfile.ModelInfo.build(config, history, preset="cnn"))
    return modelfile.save(model, tmp_path_factory.mktemp("cnn") / "cnn.safetensors")


@pytest.mark.parametrize("command, file", [
    (["filters"], "filters.png"),
    (["feature-maps", "--index", "3"], "feature-maps-3.png"),
    (["feature-maps", "--index", "9999", "--test"], "feature-maps-test-9999.png"),
    (["errors", "--mistakes", "6"], "errors.png"),
    (["curves"], "curves.png"),
])
def test_convolutional_figures(capsys, tmp_path, cnn_file, command, file):
    code, out, err = reseau(capsys, "figures", *command, "--model", cnn_file, "--out", tmp_path, "--dpi", "40")
    assert code == 0, err
    assert_written(tmp_path / file, out)


@pytest.mark.parametrize("command", [["neurons"], ["network"], ["forward", "--index", "3"]])
def test_figures_of_layers_of_neurons_refuse_a_convolutional_network(capsys, tmp_path, cnn_file, command):
    code, _, err = reseau(capsys, "figures", *command, "--model", cnn_file, "--out", tmp_path)
    assert_refused(code, err, "convolutif", "reseau figures filters", "reseau figures feature-maps")
    assert len(err.strip().splitlines()) == 1  # one line, no traceback
    assert not list(tmp_path.glob("*.png"))


@pytest.mark.parametrize("command", [["filters"], ["feature-maps"]])
def test_convolutional_figures_refuse_layers_of_neurons(capsys, tmp_path, model_file, command):
    code, _, err = reseau(capsys, "figures", *command, "--model", model_file, "--out", tmp_path, "--lang", "en")
    assert_refused(code, err, "784-20-10", "reseau figures neurons", "--preset cnn")
    assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.png"))


def test_all_draws_what_applies_to_a_convolutional_network(capsys, tmp_path, cnn_file):
    code, out, err = reseau(capsys, "figures", "all", "--model", cnn_file, "--out", tmp_path, "--dpi", "30")
    assert code == 0, err
    names = ["sigmoid", "digits", "sample-0", "filters", "feature-maps-0", "curves", "errors"]
    for name in names:
        assert_written(tmp_path / f"{name}.png", out)
    assert sorted(p.stem for p in tmp_path.glob("*.png")) == sorted(names)
    assert "network, neurons, forward-0, backprop-0, derivative-0" in err  # said, not silently left out
