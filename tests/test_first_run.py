"""What a new user meets first, as the README says it: the download says what comes before its first byte,
``reseau train`` and ``reseau predict`` print what "What you see" shows, and every measured number the README,
the help and the messages quote is the one of :data:`reseau.measured.MEASURED`."""

from __future__ import annotations

import http.server
import io
import re
import shutil
import threading
from pathlib import Path

import pytest

from reseau import data
from reseau.cli import run
from reseau.i18n import t
from reseau.measured import MEASURED

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# what the documentation says: the README and the site's English pages (docs/*.en.md), where the measured tables live
README += "".join(page.read_text(encoding="utf-8") for page in sorted((ROOT / "docs").rglob("*.en.md")))
FILES = tuple(data.DATASETS["mnist"].files.values())


def same_spaces(text: str) -> str:
    """No-break spaces (French numbers and units) read as plain ones; runs of spaces as one."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split(" "))


def flat(text: str) -> str:
    """A help wrapped by the terminal, as one line."""
    return " ".join(text.replace("│", " ").split())


# ---------------------------------------------------------------------------
# The first download says what it does
# ---------------------------------------------------------------------------


@pytest.fixture
def mirror(tmp_path, mnist_dir):
    """A local HTTP mirror of the four MNIST files; yields (base_url, events), events shared with the test."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    for name in FILES:
        shutil.copy(mnist_dir / name, folder / name)
    events: list[tuple[str, str]] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self):
            events.append(("request", self.path.rsplit("/", 1)[-1]))
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", events
    server.shutdown()
    server.server_close()


class Recorder:
    """A progress bar as pooch drives it, that notes when each file is announced."""

    def __init__(self, events):
        self.events, self.total = events, 0

    def announce(self, file_name, url, n_bytes):
        self.events.append(("announce", file_name))
        assert url.endswith("/" + file_name) and n_bytes > 0

    def update(self, n):
        pass

    def reset(self):
        pass

    def close(self):
        pass


def test_each_file_is_announced_before_its_first_byte_is_asked_for(mirror, tmp_path):
    base, events = mirror
    data.fetch("mnist", dest=tmp_path / "cache", mirrors=(base,), progressbar=Recorder(events))
    for name in FILES:
        assert events.index(("announce", name)) < events.index(("request", name)), events


def test_the_announced_sizes_are_the_canonical_files(mnist_dir):
    assert data.GZ_BYTES["mnist"] == {name: (mnist_dir / name).stat().st_size for name in FILES}
    for name, info in data.DATASETS.items():
        assert set(data.GZ_BYTES[name]) == set(info.files.values())
    assert sum(data.GZ_BYTES["mnist"].values()) / 1e6 == pytest.approx(11.6, abs=0.05)  # as the README says


def test_reseau_train_says_what_it_downloads(mirror, tmp_path, monkeypatch, capsys):
    base, _ = mirror
    monkeypatch.delenv("RESEAU_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("RESEAU_MIRROR", base)
    assert run(["train", "--epochs", "1", "--out", str(tmp_path / "m.safetensors")]) == 0
    stderr = capsys.readouterr().err
    host = base.split("/")[2]
    line = f"Téléchargement de train-images-idx3-ubyte.gz (9,9 Mo) depuis {host}, vérifié par son empreinte SHA-256…"
    assert line in stderr.splitlines(), stderr
    assert "README" not in stderr and sum(name in stderr for name in FILES) == 4


# ---------------------------------------------------------------------------
# "What you see" is what the program prints
# ---------------------------------------------------------------------------


def what_you_see() -> dict[str, list[str]]:
    """The README's "What you see" transcript: command -> the lines under it."""
    section = README.split("## What you see", 1)[1]
    block = section.split("```", 2)[1]
    commands: dict[str, list[str]] = {}
    for line in block.splitlines()[1:]:
        if line.startswith("$ "):
            current = commands.setdefault(line[2:], [])
        elif line.strip():
            current.append(line)
    return commands


def normalised(line: str) -> str:
    """A printed line without what differs from one computer or run to the next: the model's path, the time."""
    line = re.sub(r"^(Modèle enregistré : ).+$", r"\1<path>", same_spaces(line))
    return re.sub(r"^(Durée : )\d+(,\d+)? s$", r"\1<n> s", line)


def interleaves(lines: list[str], stdout: list[str], stderr: list[str]) -> bool:
    """Whether ``lines`` are the two streams' lines, each in its order, and nothing else (as a terminal shows them)."""
    i = j = 0
    for line in lines:
        if i < len(stdout) and stdout[i] == line:
            i += 1
        elif j < len(stderr) and stderr[j] == line:
            j += 1
        else:
            return False
    return i == len(stdout) and j == len(stderr)


def test_reseau_train_prints_what_the_readme_shows(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RESEAU_MODEL", str(tmp_path / "model.safetensors"))  # the user's default, here
    assert run(["train"]) == 0
    stdout, stderr = capsys.readouterr()
    shown = [normalised(line) for line in what_you_see()["reseau train"]]
    printed = [normalised(line) for line in stdout.splitlines()], [normalised(line) for line in stderr.splitlines()]
    assert interleaves(shown, *printed), (shown, printed)


def test_reseau_predict_prints_what_the_readme_shows(model_file, monkeypatch, capsys):
    """The README's session: 7 typed, the window opens (closed by the user), then q."""
    monkeypatch.setenv("RESEAU_MODEL", str(model_file))
    monkeypatch.setattr("reseau.cli.predict_cmd.has_display", lambda: True)
    windows = []
    monkeypatch.setattr("reseau.cli.predict_cmd.show_figure", windows.append)
    transcript = what_you_see()["reseau predict"]
    prompt = t("predict.prompt", last=59999)
    typed = [line.removeprefix(prompt) for line in transcript if line.startswith(prompt)]
    assert typed == ["7", "q"]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{x}\n" for x in typed)))
    assert run(["predict"]) == 0
    stdout, stderr = capsys.readouterr()
    first, *after_prompts = stdout.split(prompt)  # a terminal shows what was typed after each prompt
    stdout = first + "".join(prompt + answer + "\n" + rest for answer, rest in zip(typed, after_prompts))
    printed = [normalised(line) for line in stdout.splitlines()], [normalised(line) for line in stderr.splitlines()]
    assert interleaves([normalised(line) for line in transcript], *printed), (transcript, printed)
    assert len(windows) == 1


# ---------------------------------------------------------------------------
# Measured numbers: one table, the same everywhere
# ---------------------------------------------------------------------------


def test_the_readme_quotes_the_measured_presets():
    for name in ("better", "best", "best-augment"):
        measured = MEASURED[name]
        line = re.search(rf"^reseau train --preset {name} +#.*: ~(.+) % in (.+)$", README, re.MULTILINE)
        assert line is not None, name
        assert (line[1], line[2]) == (measured.accuracy_text("en"), same_spaces(measured.time_text("en"))), name
        row = f"| {name} | {measured.accuracy:.2f} ± {measured.spread:.2f} % |"
        assert row in README, row
    document = MEASURED["document"]
    about = same_spaces(document.time_text("en"))  # "about 1 s"
    assert f"| document (faithful, `reseau train`) | {document.accuracy:.2f} % (seed 0) | ~{about[6:]} |" in README
    assert f"trains the document's network at start-up ({about})." in README


def test_the_help_and_the_messages_quote_the_measured_numbers(capsys):
    for lang in ("fr", "en"):
        assert run(["train", "--help", "--lang", lang]) == 0
        help_text = flat(capsys.readouterr().out)
        for name in ("better", "best", "best-augment", "cnn", "dessin"):
            claim = f"{name} (≈ {MEASURED[name].accuracy_text(lang)}{' ' if lang == 'fr' else ''}%"
            claim += f" {'en' if lang == 'fr' else 'in'} {flat(MEASURED[name].time_text(lang))}"
            assert claim in help_text, (claim, help_text)
        about = same_spaces(MEASURED["document"].time_text(lang))  # training the document's network
        assert about in same_spaces(t("web.cli.no_model", lang=lang, path="~"))
        assert about in same_spaces(t("predict.offer_train", lang=lang))
