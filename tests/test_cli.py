"""The `reseau` command as a user runs it: train, predict, help, languages, mistakes, Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from reseau import modelfile
from reseau.cli import run
from reseau.faithful import FaithfulConfig

RESEAU = [sys.executable, "-m", "reseau"]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_train_prints_the_documents_lines_then_the_test(tmp_path, capsys):
    out_path = tmp_path / "m.safetensors"
    assert run(["train", "--out", str(out_path)]) == 0
    stdout, stderr = capsys.readouterr()
    lines = stdout.splitlines()
    assert lines[:3] == ["Epoch : 0, Précision : 86.18%", "Epoch : 1, Précision : 92.38%",
                         "Epoch : 2, Précision : 93.44%"]
    assert lines[3] == "Test (10\u202f000 images jamais vues) : 93,32 %"  # the document's line keeps 86.18%
    assert lines[4] == f"Modèle enregistré : {out_path}"
    assert "graine 0" in stderr  # the seed is printed, so the run can be repeated
    model = modelfile.load(out_path)
    assert model.info.mode == "faithful" and model.info.preset == "document"
    assert model.info.config == FaithfulConfig()  # the document's settings, typed
    assert model.info.test_accuracy == pytest.approx(93.32)
    assert [e.precision for e in model.info.history.epochs] == [86.18, 92.38, 93.44]
    assert model.info.best_epoch == 2 and model.info.dataset == "mnist" and model.info.source == "cli"


def test_train_in_english_with_options(tmp_path, capsys):
    assert run(["train", "--lang", "en", "--epochs", "1", "--hidden", "10", "--lr", "0.1",
                "--seed", "3", "--out", str(tmp_path / "m.safetensors")]) == 0
    stdout, _ = capsys.readouterr()
    assert stdout.startswith("Epoch: 0, Training accuracy: ")
    assert re.search(r"^Test \(10,000 never-seen images\): \d+\.\d\d%$", stdout, re.MULTILINE), stdout
    model = modelfile.load(tmp_path / "m.safetensors")
    assert model.network.sizes == [784, 10, 10]
    assert model.info.config == FaithfulConfig(hidden=10, learn_rate=0.1, epochs=1, seed=3)


@pytest.mark.parametrize("args, words", [
    (["train", "--lr", "-1"], ["--lr", "> 0", "1000", "\u22121"]),  # the true minus sign
    (["train", "--lr", "1e9"], ["--lr", "1000", "1000000000,0"]),  # the number as French writes it
    (["train", "--epochs", "0"], ["--epochs", "1 et 1000", "0"]),
    (["train", "--hidden", "5000"], ["--hidden", "1 et 4096", "5000"]),
    (["train", "--engine", "gpu"], ["--engine", "gpu", "fast, reference"]),
    (["train", "--dataset", "cifar"], ["cifar", "fashion-mnist"]),
    (["train", "--preset", "nope"], ["--preset", "nope", "document", "better", "best"]),
    (["train", "--preset", "better", "--engine", "fast"], ["« better »", "--engine", "--layers"]),
    (["train", "--hidden", "20", "--dropout", "0.2"], ["« document »", "--dropout", "--hidden", "--preset better"]),
    (["train", "--mode", "modern", "--preset", "document"], ["« document »", "modern", "--mode"]),
    (["train", "--mode", "quantum"], ["--mode", "quantum", "faithful, modern"]),
    (["train", "-p", "dessin", "--dataset", "fashion-mnist"], ["« drawing »", "fashion-mnist", "--augment light"]),
])
def test_bad_options_get_one_clear_line(args, words, tmp_path, capsys):
    assert run(args + ["--out", str(tmp_path / "m.safetensors")]) == 2
    stdout, stderr = capsys.readouterr()
    assert "Traceback" not in stderr and not stdout  # nothing was trained
    message = flat(stderr)
    assert message.startswith("Erreur : ")
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert not (tmp_path / "m.safetensors").exists()


@pytest.mark.parametrize("args, key, message", [
    (["--preset", "better", "--engine", "fast"], "config.not_for_preset",
     "These settings do not apply to the 'better' network: --engine. Its own are: --activation, "),
    (["--mode", "modern", "--preset", "document"], "config.preset_mode",
     "The preset 'document' is not of the modern mode: remove --mode or --preset."),
])
def test_options_that_do_not_fit_the_preset_in_english(args, key, message, tmp_path, capsys):
    from reseau.cli.train_cmd import choose_config
    from reseau.errors import ConfigError

    assert run(["train", *args, "--lang", "en", "--out", str(tmp_path / "m.safetensors")]) == 2
    assert flat(capsys.readouterr().err).startswith("Error: " + message)
    mode = args[args.index("--mode") + 1] if "--mode" in args else None
    with pytest.raises(ConfigError) as caught:  # the same check, on the options the command line read
        choose_config(mode, args[args.index("--preset") + 1], {"engine": "fast"} if "--engine" in args else {})
    assert caught.value.key == key


@pytest.mark.parametrize("command", [[], ["train"], ["figures"], ["figures", "errors"], ["predict"]])
@pytest.mark.parametrize("lang, line", [("fr", "Afficher cette aide et quitter."), ("en", "Show this help and exit.")])
def test_help_option_line_is_in_the_users_language(command, lang, line, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one line per option
    assert run([*command, "--help", "--lang", lang]) == 0
    text = capsys.readouterr().out
    help_line = [row for row in text.splitlines() if "--help" in row]
    assert len(help_line) == 1 and "-h" in help_line[0] and line in help_line[0]
    other = "Show this help and exit." if lang == "fr" else "Afficher cette aide et quitter."
    assert other not in text and "<bool>" not in text  # a flag is shown without a value


def test_version_and_help_in_both_languages(capsys):
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("reseau 0.")
    assert run(["--help"]) == 0
    french = flat(capsys.readouterr().out)
    assert "Entraîner le réseau du document" in french and "Commandes" in french
    assert run(["train", "--help", "--lang", "en"]) == 0
    english = flat(capsys.readouterr().out)
    assert "Number of epochs" in english and "Learning rate" in english


def test_predict_once_saves_the_figure(model_file, tmp_path, capsys):
    png = tmp_path / "seven.png"
    assert run(["predict", "--model", str(model_file), "--index", "7", "--save", str(png)]) == 0
    stdout = capsys.readouterr().out
    assert "Image 7 : le réseau de neurones a reconnu le chiffre 3 (étiquette : 3)" in stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_predict_on_test_images_headless(model_file, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no display: the figure goes to a PNG in the current folder
    assert run(["predict", "--model", str(model_file), "--index", "0", "--test"]) == 0
    assert "(étiquette : 7)" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["reseau_image_test_0.png"]  # the split is in the name


def test_predict_index_out_of_range(model_file, capsys):
    assert run(["predict", "--model", str(model_file), "--index", "60000"]) == 2
    assert "entre 0 et 59999" in capsys.readouterr().err


def test_predict_without_model_says_how_to_train(tmp_path, capsys):
    assert run(["predict", "--model", str(tmp_path / "none.safetensors"), "--index", "1"]) == 2
    err = flat(capsys.readouterr().err)
    assert "Aucun modèle" in err and "reseau train" in err


def test_predict_train_option_trains_first(tmp_path, capsys):
    path = tmp_path / "new.safetensors"
    assert run(["predict", "--model", str(path), "--train", "--index", "0", "--save", str(tmp_path / "a.png")]) == 0
    stdout = capsys.readouterr().out
    assert "Epoch : 2, Précision : 93.44%" in stdout and "(étiquette : 5)" in stdout
    info = modelfile.load(path).info  # the document's network, recorded as trained from its preset
    assert info.mode == "faithful" and info.preset == "document" and info.config == FaithfulConfig()
    assert info.test_accuracy == pytest.approx(93.32)


def _env(**extra):
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
    env.update(extra)
    return env


def test_interactive_loop_never_crashes(model_file, tmp_path):
    typed = "abc\n-1\n60000\n 7 \n3.5\n0\nq\n"
    result = subprocess.run(RESEAU + ["predict", "--model", str(model_file), "--save", str(tmp_path / "f.png")],
                            input=typed, capture_output=True, text=True, env=_env(), timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count("Entrer un nombre entre 0 et 59999 : ") == 7
    err = flat(result.stderr)
    assert "« abc » n'est pas un nombre entier" in err and "« 3.5 »" in err
    assert "\u22121 est hors limites" in err and "60000 est hors limites" in err  # the true minus sign
    assert "Image 7 : le réseau de neurones a reconnu le chiffre 3" in result.stdout
    assert "Image 0 : le réseau de neurones a reconnu le chiffre 5" in result.stdout
    assert result.stdout.rstrip().endswith("Au revoir !")


@pytest.mark.parametrize("typed", ["", "\n", "7\n"])
def test_interactive_loop_ends_cleanly_on_eof(model_file, tmp_path, typed):
    result = subprocess.run(RESEAU + ["predict", "--model", str(model_file), "--lang", "en",
                                      "--save", str(tmp_path / "f.png")],
                            input=typed, capture_output=True, text=True, env=_env(), timeout=120, check=False)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "Enter a number between 0 and 59999: " in result.stdout and "Goodbye!" in result.stdout


def test_ctrl_c_during_training_keeps_the_previous_model(model_file, tmp_path):
    path = tmp_path / "model.safetensors"
    path.write_bytes(model_file.read_bytes())
    before = path.read_bytes()
    proc = subprocess.Popen(RESEAU + ["train", "--engine", "reference", "--out", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    # wait until training has really started (the first epoch line needs ~4 s with the reference engine)
    deadline = time.time() + 60
    while time.time() < deadline and "Epoch" not in (line := proc.stdout.readline()):
        pass
    assert "Epoch : 0" in line
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "interrompu" in flat(stderr) and "Traceback" not in stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.safetensors"]


def test_offline_without_data_is_one_message(tmp_path):
    env = _env(HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "c"), RESEAU_MIRROR="http://127.0.0.1:9/")
    env.pop("RESEAU_DATA")
    result = subprocess.run(RESEAU + ["train", "--out", str(tmp_path / "m.safetensors")],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "RESEAU_DATA" in result.stderr and "--data-dir" in result.stderr


def test_corrupt_model_file_is_one_message(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    result = subprocess.run(RESEAU + ["predict", "--model", str(bad), "--index", "0"],
                            capture_output=True, text=True, env=_env(), timeout=120, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "n'est pas un modèle reseau" in result.stderr


def test_predict_opens_a_real_window_when_a_display_exists(model_file, tmp_path):
    """Under a virtual X display the figure opens in a window (Tk), as the document's plt.show()."""
    import shutil

    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb/xdotool not installed (.ci/run installs them)")
    display = f":{90 + os.getpid() % 500}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1024x768x24"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        env = _env(DISPLAY=display)
        env.pop("MPLBACKEND", None)
        proc = subprocess.Popen(RESEAU + ["predict", "--model", str(model_file), "--index", "7"],
                                cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        windows = ""
        for _ in range(120):  # wait for the window (up to 60 s on a busy machine)
            found = subprocess.run(["xdotool", "search", "--name", "Figure"], env=env,
                                   capture_output=True, text=True, check=False)
            windows = found.stdout.split()
            if windows:
                break
            time.sleep(0.5)
        assert windows, "no window appeared"
        assert proc.poll() is None  # it waits while the window is open, as plt.show() does
        time.sleep(1.0)  # let plt.show() enter its event loop
        for _ in range(5):  # Ctrl-C while the window is open: a clean exit
            proc.send_signal(signal.SIGINT)
            try:
                stdout, stderr = proc.communicate(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
        assert proc.returncode == 130 and "Traceback" not in stderr
        assert "le réseau de neurones a reconnu le chiffre 3" in stdout
        assert not list(tmp_path.glob("*.png"))  # shown, not saved
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def test_predict_with_a_convolutional_network(train_data, tmp_path, capsys):
    """A convolutional model file (a small one, trained here in about 2 s) answers like the document's network."""
    import reseau

    config = reseau.presets()["cnn"].with_(conv=(4, 8), dense=(16,), epochs=1)
    network, history = reseau.train(train_data[0][:3000], train_data[1][:3000], config)
    path = modelfile.save(modelfile.SavedModel(network, modelfile.ModelInfo.build(config, history, preset="cnn")),
                          tmp_path / "cnn.safetensors")
    png = tmp_path / "x.png"
    assert run(["predict", "--model", str(path), "--index", "0", "--save", str(png)]) == 0
    digit = int(network.forward(train_data[0][0]).argmax())
    assert f"Image 0 : le réseau de neurones a reconnu le chiffre {digit} (étiquette : 5)" in capsys.readouterr().out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


# --- Output files: a bad --out is said before training, --save says what it writes ----------------------------

@pytest.mark.parametrize("kind", ["folder", "fifo", "/dev/null", "missing folder"])
def test_a_bad_out_path_is_refused_before_training(kind, tmp_path, capsys, monkeypatch):
    from reseau import trainers

    target = {"folder": tmp_path, "fifo": tmp_path / "pipe", "/dev/null": "/dev/null",
              "missing folder": tmp_path / "nowhere" / "m.safetensors"}[kind]
    if kind == "fifo":
        os.mkfifo(target)

    def no_training(*args, **kwargs):  # so nothing is ever saved, even if the check regresses
        raise AssertionError("training started")

    monkeypatch.setattr(trainers, "train", no_training)
    assert run(["train", "--out", str(target)]) == 2
    stdout, stderr = capsys.readouterr()
    assert not stdout and "Traceback" not in stderr and str(target) in flat(stderr)
    assert not (tmp_path / "nowhere").exists()


def test_predict_save_to_a_missing_folder_or_an_unknown_format(model_file, tmp_path, capsys):
    missing = tmp_path / "nowhere" / "f.png"
    assert run(["predict", "--model", str(model_file), "--index", "0", "--save", str(missing)]) == 2
    err = flat(capsys.readouterr().err)
    assert "Traceback" not in err and f"le dossier {missing.parent} n'existe pas" in err
    assert run(["predict", "--model", str(model_file), "--index", "0", "--save", str(tmp_path / "f.xyz"),
                "--lang", "en"]) == 2
    err = flat(capsys.readouterr().err)
    assert "Traceback" not in err and "'.xyz' is not a known image format" in err and "png, ps, raw" in err
    assert not list(tmp_path.iterdir())


def test_predict_save_without_extension_writes_a_png_and_says_so(model_file, tmp_path, capsys):
    assert run(["predict", "--model", str(model_file), "--index", "0", "--save", str(tmp_path / "p")]) == 0
    assert f"Figure enregistrée : {tmp_path / 'p.png'}\n" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["p.png"]
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"


# --- Language: every word in the user's, class names, epoch numbers, one line per sentence ---------------------

@pytest.mark.parametrize("args, fr, en", [
    (["train", "--lr", "abc"], "Valeur invalide pour --lr : « abc » n'est pas un nombre.",
     "Invalid value for --lr: 'abc' is not a number."),
    (["train", "--epochs", "x"], "Valeur invalide pour --epochs : « x » n'est pas un nombre entier.",
     "Invalid value for --epochs: 'x' is not a whole number."),
    (["nope"], "Commande inconnue : « nope ».", "Unknown command: 'nope'."),
    (["trian"], "Commande inconnue : « trian ». Vouliez-vous dire train ?",
     "Unknown command: 'trian'. Did you mean train?"),
    (["figures", "nope"], "Commande inconnue : « nope ».", "Unknown command: 'nope'."),
    (["train", "--nope"], "Option inconnue : --nope.", "Unknown option: --nope."),
    (["train", "--epochs"], "L'option --epochs attend une valeur.", "The option --epochs needs a value."),
    (["train", "extra"], "Argument en trop : extra.", "Unexpected extra argument: extra."),
    (["train", "a", "b"], "Arguments en trop : a b.", "Unexpected extra arguments: a b."),
])
def test_typers_own_errors_are_in_the_users_language(args, fr, en, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the message on one line of its panel
    for lang, message in (("fr", fr), ("en", en)):
        assert run([*args, "--lang", lang]) == 2
        stdout, stderr = capsys.readouterr()
        assert message in stderr, stderr
        assert ("Erreur" if lang == "fr" else "Error") in stderr and "Traceback" not in stderr
        for english in ("Invalid value for '", "Input should be", "No such", "requires an argument", "unexpected"):
            assert english not in stderr


def test_a_download_that_fails_says_why_in_the_users_language(monkeypatch):
    import requests

    from reseau import data

    for lang, no_network, timeout in (("fr", "connexion impossible (pas de réseau ?)", "pas de réponse à temps"),
                                      ("en", "cannot connect (no network?)", "timed out")):
        monkeypatch.setenv("RESEAU_LANG", lang)
        monkeypatch.setattr("reseau.i18n._current", None)
        assert data._short_reason(requests.ConnectionError("[Errno 111] Connection refused")) == no_network
        assert data._short_reason(requests.Timeout("read timed out. (read timeout=30)")) == timeout


def fashion_model(trained, tmp_path):
    """A model file recorded as trained on Fashion-MNIST (its weights do not matter here: its classes do)."""
    info = modelfile.ModelInfo.build(trained.info.config, trained.info.history, dataset="fashion-mnist")
    return modelfile.save(modelfile.SavedModel(trained.network, info), tmp_path / "fashion.safetensors")


@pytest.mark.parametrize("lang, label, said, digit", [
    ("fr", "étiquette : Bottine (classe 9)", "le réseau de neurones a reconnu : ", "le chiffre"),
    ("en", "label: Ankle boot (class 9)", "the neural network recognised: ", "the digit"),
])
def test_a_fashion_model_names_the_clothes_it_recognises(trained, tmp_path, capsys, lang, label, said, digit):
    from pathlib import Path

    if not Path("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip("Debian package dataset-fashion-mnist not installed (.ci/run installs it)")
    from reseau import data
    from reseau.figures import class_names

    path = fashion_model(trained, tmp_path)
    png = tmp_path / "boot.png"
    assert run(["predict", "--model", str(path), "--test", "--index", "0", "--save", str(png), "--lang", lang]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    images, _ = data.get_mnist("test", dataset="fashion-mnist")
    k = int(trained.network.forward(images[0]).argmax())
    name = class_names("fashion-mnist")[k]
    assert f"{said}{name[0].lower() + name[1:]} ({'classe' if lang == 'fr' else 'class'} {k})" in line
    assert label in line and digit not in line
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_predict_test_and_training_images_get_their_own_default_files(model_file, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no display: each figure goes to a PNG in the current folder
    assert run(["predict", "--model", str(model_file), "--index", "7"]) == 0
    assert run(["predict", "--model", str(model_file), "--index", "7", "--test"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reseau_image_test_7.png", "reseau_image_train_7.png"]
    assert "Figure enregistrée : reseau_image_test_7.png" in capsys.readouterr().out


def test_a_modern_training_numbers_its_epochs_from_1_and_says_which_it_kept(tmp_path, capsys):
    path = tmp_path / "m.safetensors"
    assert run(["train", "--mode", "modern", "--layers", "16", "--epochs", "3", "--val-size", "2000",
                "--batch-size", "256", "--out", str(path)]) == 0
    stdout, _ = capsys.readouterr()
    lines = [line for line in stdout.splitlines() if line.startswith("Epoch ")]
    assert [line.split(" :")[0] for line in lines] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    info = modelfile.load(path).info
    kept = info.history.best
    assert f"Meilleure epoch selon la validation : {kept.epoch + 1} (" in stdout  # as its line is numbered
    assert lines[kept.epoch].startswith(f"Epoch {kept.epoch + 1}/3")


def test_the_epoch_bar_reads_like_the_epoch_lines():
    from reseau import kinds
    from reseau.cli.train_cmd import EpochBar

    assert EpochBar(3).description(0) == "Epoch : 0 (1 sur 3)"  # the document's lines: "Epoch : 0"
    for mode in ("modern", "cnn"):
        assert EpochBar(15, kinds.kind(mode)).description(0) == "Epoch 1/15"
        assert EpochBar(15, kinds.kind(mode)).description(14) == "Epoch 15/15"


def test_notes_on_stderr_are_not_broken_at_80_columns_in_a_pipe(model_file, tmp_path):
    result = subprocess.run(RESEAU + ["train", "--epochs", "1", "--out", str(tmp_path / "m.safetensors")],
                            capture_output=True, text=True, env=_env(COLUMNS=""), timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    note = "(« Précision » = images reconnues pendant l'apprentissage ; le test mesure des images jamais vues.)"
    assert note in result.stderr.splitlines()  # one line, as written: not wrapped for a terminal that is not there
    header = next(line for line in result.stderr.splitlines() if line.startswith("Réseau 784-20-10"))
    assert header.endswith("(moteur : fast)")


@pytest.mark.parametrize("argv, said", [
    (["--lang", "de", "train"], "Langue inconnue : « de ». reseau parle français (--lang fr) et anglais (--lang en)."),
    (["train", "--lang"], "--lang attend une langue : --lang fr (français) ou --lang en (anglais)."),
    (["train", "--lang="], "--lang attend une langue"),
])
def test_a_language_reseau_does_not_speak_is_refused_clearly(argv, said, capsys, tmp_path):
    """Not French without a word (« --lang de »), nor « Option inconnue : --lang » for a missing value."""
    assert run([*argv, "--out", str(tmp_path / "m.safetensors")]) == 2
    err = capsys.readouterr().err
    assert said in flat(err) and "Option inconnue" not in err
    assert not (tmp_path / "m.safetensors").exists()  # nothing was trained


@pytest.mark.parametrize("lang", ["EN", "english", "Français", "fr_FR.UTF-8"])
def test_the_language_may_be_written_in_full(lang, capsys):
    assert run(["--version", "--lang", lang]) == 0


@pytest.mark.parametrize("lang, said", [("fr", "Langue des messages : fr ou en."),
                                        ("en", "Language of messages: fr or en.")])
def test_the_help_shows_how_to_change_the_language(lang, said, capsys, monkeypatch):
    """``--lang`` is read before Typer parses anything, but the help lists it like any option."""
    monkeypatch.setenv("COLUMNS", "120")
    assert run(["--help", "--lang", lang]) == 0
    options = [row for row in capsys.readouterr().out.splitlines() if row.lstrip("│ ").startswith("--lang")]
    assert len(options) == 1 and said in options[0], options


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_help_screens_show_no_python_types_and_keep_quotes_whole(lang, capsys, monkeypatch):
    commands = [[], ["train"], ["predict"], ["explain"], ["experiment"], ["web"], ["notebook"], ["figures"],
                ["figures", "curves"], ["figures", "sample"], ["evaluate"]]
    for width in (60, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        for command in commands:
            assert run([*command, "--help", "--lang", lang]) == 0
            text = capsys.readouterr().out
            assert "<list[" not in text and "<bool>" not in text, (command, text)
            for row in text.splitlines():
                words = row.strip("│ \u00a0").split()
                assert not words or (words[0] not in ("»", "»,", "»).", "».") and words[-1] != "«"), (command, row)
