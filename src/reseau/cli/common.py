"""What several commands share: consoles, progress bars, loading data with feedback."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer.core
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, ProgressColumn, TaskID, TextColumn, TimeRemainingColumn

from reseau.cli.localised import LocalisedErrors, LocalisedHelpText
from reseau.i18n import t

if TYPE_CHECKING:
    from reseau.explain import Start, Step
    from reseau.modelfile import SavedModel

# results, on stdout (no [markup]: paths and extras stay as written)
out = Console(highlight=False, soft_wrap=True, markup=False)
# progress and notes, on stderr; wrapped to the terminal's width, but not in logs, pipes and CI,
# where a sentence broken at 80 columns would stay broken
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=not (sys.stderr and sys.stderr.isatty()))


class _LocalisedHelp:
    """The ``-h/--help`` option described in the user's language, through Click's public ``get_help_option``."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = t("cli.help_option")
            option.metavar = ""  # a flag takes no value
            # False, not Typer's None, when absent: a bool flag's value is taken as it is, while None
            # would be checked through pydantic (an import of 0.1 s before `reseau train --help`)
            option.default = False
        return option


class LocalisedCommand(LocalisedErrors, LocalisedHelpText, _LocalisedHelp, typer.core.TyperCommand):
    """A ``reseau`` command with its help option and Typer's own errors in the user's language."""


class LocalisedGroup(LocalisedErrors, LocalisedHelpText, _LocalisedHelp, typer.core.TyperGroup):
    """The ``reseau`` group (and ``reseau figures``) with its help option and Typer's errors in the user's language.

    ``--lang`` is read and taken out of the arguments before Typer runs
    (:func:`reseau.cli.run`): the group shows it in its help but does not parse
    it.  Parsing it would make Typer check its value through pydantic, an import
    of 0.1 s that ``reseau train --help`` would wait for.
    """

    NOT_PARSED = ("lang",)
    _all_params: list | None = None  # every option while the others are parsed, for a help asked meanwhile

    def parse_args(self, ctx, args):
        self._all_params, self.params = self.params, [p for p in self.params if p.name not in self.NOT_PARSED]
        try:
            return super().parse_args(ctx, args)
        finally:
            self.params, self._all_params = self._all_params, None

    def get_help(self, ctx):
        """The help, written while the arguments are parsed (``--help`` is one): it lists ``--lang`` too."""
        parsed = self.params
        self.params = self._all_params or parsed
        try:
            return super().get_help(ctx)
        finally:
            self.params = parsed


NON_INTERACTIVE = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}  # matplotlib backends with no window


def has_display() -> bool:
    """Whether a window can be opened: a display (on Linux) and an interactive matplotlib backend."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    import matplotlib
    import matplotlib.pyplot  # noqa: F401  (resolves the backend: Agg when no GUI toolkit works)

    backend = matplotlib.get_backend().lower()
    return not (backend in NON_INTERACTIVE or backend.startswith("module://"))


def show_figure(fig: Any) -> None:
    """Open ``fig`` (built without pyplot) in a window and wait until it is closed, as the document's plt.show()."""
    import matplotlib.pyplot as plt

    manager = plt.figure(figsize=fig.get_size_inches()).canvas.manager  # a window; give it our figure
    assert manager is not None  # has_display() said there is a window
    manager.canvas.figure = fig
    fig.set_canvas(manager.canvas)
    plt.show()
    plt.close("all")


class DownloadBar:
    """The progress-bar object pooch expects (``total``, ``update``, ``reset``, ``close``), drawn by Rich."""

    def __init__(self) -> None:
        self.progress = progress_bar(
            TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn()
        )
        self.task: TaskID | None = None
        self.total = 0

    def announce(self, file_name: str, url: str, n_bytes: int) -> None:
        """One line before a request (called by :func:`reseau.data.fetch`): what comes, how big, from where."""
        from urllib.parse import urlsplit

        err.print(t("data.downloading_file", file=file_name, mb=n_bytes / 1e6, host=urlsplit(url).netloc or url))

    def update(self, n: int) -> None:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task(t("data.downloading"), total=self.total or None)
        self.progress.update(self.task, advance=n, total=self.total or None)

    def reset(self) -> None:
        if self.task is not None:
            self.progress.reset(self.task)

    def close(self) -> None:
        if self.task is not None:
            self.progress.stop()
            self.task = None


def load_split(split: str, dataset: str, data_dir: Path | None):
    """The document's arrays for one split, with a spinner (and a download bar if needed)."""
    from reseau import data  # imported here: NumPy is not needed for `reseau --help`

    return data.get_mnist(split, dataset=dataset, data_dir=data_dir, progressbar=DownloadBar())


def run_steps(start: Start, index: int, count: int, test: bool, data_dir: Path | None) -> list[Step]:
    """``count`` steps of the document's learning on images ``index, index + 1, ...`` of the split, each
    from where the last ended (``reseau explain``, ``reseau figures backprop``)."""
    from reseau import explain

    split = "test" if test else "train"
    images, labels = load_split(split, start.dataset, data_dir)
    explain.check_steps(index, count, len(images), split)
    return explain.steps(images[index : index + count], labels[index : index + count], start.weights, start.learn_rate)


def show_notes(model: SavedModel) -> None:
    """What loading the model found worth saying (a file without checksum, weights all equal), once each, on stderr."""
    for note in model.notes:
        err.print(t(note.key, None, **note.params), style="yellow")


def progress_bar(*columns: ProgressColumn) -> Progress:
    """A Rich progress bar on stderr, erased once it stops (the lines printed above it stay)."""
    return Progress(*columns, console=err, transient=True)
