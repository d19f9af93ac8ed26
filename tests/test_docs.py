"""The documentation cannot drift from the program (issue 25).

* Every block of ``docs/`` marked ``<!-- reseau-run -->`` (a ``console`` block: ``$ reseau ...`` lines, each
  followed by what it prints) is run here, in this process, and what the command prints must be the block's lines,
  in order. A line ``...`` in a block stands for any lines. What differs from one run or computer to the next is
  read alike on both sides: times (``1,2 s``), and this test's folder shown as a user's (``/home/you/...``).
  The commands share one user: ``reseau train`` runs first and saves the document's network (seed 0, about 1 s),
  so ``reseau predict`` or ``reseau check`` in a page read a really trained network.
* The figures the pages show (``docs/figures/``) are drawn again by the command the page names and compared pixel
  by pixel: a picture made from another network (a test model, another seed) fails.
* Every French page has its English twin (``page.en.md``): the site's English half falls back to French silently.

The site itself is built by ``mkdocs build --strict`` in ``.ci/run`` (a broken link or a missing page fails there).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reseau.cli import run

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
MARK = re.compile(r"<!-- reseau-run -->\n```console\n(.*?)\n```", re.S)
SHOWN_HOME = "/home/you/.local/share/reseau"  # where the pages show the user's models folder
FIGURES = {  # a picture of docs/figures/ -> the command that drew it (as docs/commandes/figures.md says)
    "forward-7.png": "figures forward --index 7 --dpi 80",
    "neurons.png": "figures neurons --dpi 72",
    "derivative-0.png": "figures derivative --index 0 --dpi 72",
    "backprop-0.png": "figures backprop --index 0 --dpi 72",
    "digits.png": "figures digits --dpi 72",
}


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "experiments" not in p.parts)


def blocks() -> list[tuple[str, str, list[str]]]:
    """(page:line, command, the lines shown under it) for every command of every marked block."""
    found = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for match in MARK.finditer(text):
            where = f"{page.relative_to(DOCS)}:{text[: match.start()].count(chr(10)) + 1}"
            current: list[str] | None = None
            for line in match.group(1).splitlines():
                if line.startswith("$ "):
                    current = []
                    found.append((where, line[2:], current))
                else:
                    assert current is not None, f"{where}: a marked block starts with its command ($ reseau ...)"
                    current.append(line)
    return found


def normalised(line: str) -> str:
    """A line without what differs from one run to the next: no-break spaces, trailing spaces, times."""
    line = line.replace("\u202f", " ").replace("\u00a0", " ").rstrip()
    return re.sub(r"\d+(?:[.,]\d+)? (?:s|ms|min)\b", "<time>", line)


def shows(expected: list[str], stdout: list[str], stderr: list[str]) -> bool:
    """Whether ``expected`` is the two streams' lines interleaved, each in its order (as a terminal shows them),
    a line ``...`` standing for any lines of either stream."""

    @functools.cache
    def match(i: int, j: int, k: int) -> bool:
        if i == len(expected):
            return j == len(stdout) and k == len(stderr)
        if expected[i] == "...":
            return (match(i + 1, j, k) or (j < len(stdout) and match(i, j + 1, k))
                    or (k < len(stderr) and match(i, j, k + 1)))
        return ((j < len(stdout) and stdout[j] == expected[i] and match(i + 1, j + 1, k))
                or (k < len(stderr) and stderr[k] == expected[i] and match(i + 1, j, k + 1)))

    return match(0, 0, 0)


class User:
    """One user for every command of the pages: a models folder, a working folder, and what each command printed
    (a command shown on several pages runs once)."""

    def __init__(self, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.home = home
        self.folder = home / ".local" / "share" / "reseau"
        self.monkeypatch = monkeypatch
        self.printed: dict[str, tuple[list[str], list[str]]] = {}
        monkeypatch.setenv("RESEAU_MODEL", str(self.folder / "model.safetensors"))
        monkeypatch.delenv("RESEAU_LANG", raising=False)
        monkeypatch.chdir(home)

    def run(self, command: str) -> tuple[list[str], list[str]]:
        if command not in self.printed:
            words = shlex.split(command.replace(SHOWN_HOME, str(self.folder)))
            assert words[0] == "reseau", command
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(words[1:])
            assert code == 0, (command, out.getvalue(), err.getvalue())
            self.printed[command] = tuple(  # type: ignore[assignment]
                [normalised(line.replace(str(self.folder), SHOWN_HOME)) for line in stream.getvalue().splitlines()]
                for stream in (out, err)
            )
        return self.printed[command]


@pytest.fixture(scope="module")
def user(tmp_path_factory, mnist_dir):
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("RESEAU_DATA", str(mnist_dir))
        person = User(tmp_path_factory.mktemp("home"), monkeypatch)
        person.run("reseau train")  # the document's network, saved where the pages say; the first run in a fresh
        person.printed.clear()  # cache also compiles the epoch kernel and says so: the pages show a later run
        person.run("reseau train")
        yield person


def test_the_pages_show_commands_to_run():
    shown = blocks()
    assert len(shown) >= 10, shown  # a marker misspelt would leave the pages unchecked
    assert {command.split()[1] for _, command, _ in shown} >= {"train", "predict", "explain", "figures", "check"}


@pytest.mark.parametrize("where, command, lines", blocks(), ids=lambda v: v if isinstance(v, str) else "")
def test_each_command_prints_what_its_page_shows(user, where, command, lines):
    stdout, stderr = user.run(command)
    expected = [normalised(line) for line in lines]
    assert shows(expected, stdout, stderr), f"{where}: `{command}` printed\n" + "\n".join(stdout + stderr)


def test_every_page_has_its_english_twin():
    french = [p for p in pages() if not p.name.endswith(".en.md")]
    assert [p for p in french if not p.with_name(p.stem + ".en.md").is_file()] == []
    assert [p for p in pages() if p.name.endswith(".en.md") and not p.with_name(p.name[:-6] + ".md").is_file()] == []


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_each_figure_is_what_its_command_draws_from_the_trained_network(user, name, tmp_path):
    user.run(f"reseau {FIGURES[name]} --out {tmp_path}")
    drawn = np.asarray(Image.open(tmp_path / name).convert("L"), dtype=float)
    shown = np.asarray(Image.open(DOCS / "figures" / name).convert("L"), dtype=float)
    assert drawn.shape == shown.shape, name
    differ = np.abs(drawn - shown) > 24
    assert differ.mean() < 0.002, f"{name}: {differ.mean():.2%} of the pixels differ (remake it: {FIGURES[name]})"
