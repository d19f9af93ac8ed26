"""What several commands share: consoles, progress bars, loading data with feedback."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, DownloadColumn, Progress, TaskProgressColumn,
                           TextColumn, TimeRemainingColumn)

from reseau import data
from reseau.i18n import t

out = Console(highlight=False, soft_wrap=True, markup=False)  # results, on stdout (no [markup]: paths and extras stay as written)
err = Console(stderr=True, highlight=False, markup=False)  # progress and notes, on stderr


class DownloadBar:
    """The progress-bar object pooch expects (``total``, ``update``, ``reset``, ``close``), drawn by Rich."""

    def __init__(self) -> None:
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                                 TimeRemainingColumn(), console=err, transient=True)
        self.task = None
        self.total = 0

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
    return data.get_mnist(split, dataset=dataset, data_dir=data_dir, progressbar=DownloadBar())


def epoch_progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                    TimeRemainingColumn(), console=err, transient=True)
