"""``reseau train``: the document's NN.py, exactly, but fast — then the honest test accuracy."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from reseau import faithful, modelfile
from reseau.cli.common import epoch_progress, err, load_split, out
from reseau.errors import ReseauError
from reseau.i18n import format_count, t

LR_WARNING = 10.0  # above this the document's network learns nothing: say so before starting


def train_and_save(config: faithful.FaithfulConfig, dataset: str = "mnist",
                   data_dir: Path | None = None, out_path: Path | None = None) -> modelfile.SavedModel:
    """Train with ``config``, printing the document's lines, then test, save and say where."""
    config.validate()
    images, labels = load_split("train", dataset, data_dir)
    test = load_split("test", dataset, data_dir)
    sizes = f"784-{config.hidden}-10"
    err.print(t("train.header", sizes=sizes, lr=config.learn_rate, epochs=config.epochs,
                seed=config.seed, engine=config.engine), style="dim")
    if config.learn_rate > LR_WARNING:
        err.print(t("train.lr_warning", lr=config.learn_rate), style="yellow")
    started = time.perf_counter()
    bar = EpochBar()
    try:
        network, history = faithful.train(images, labels, config, test=test,
                                          on_epoch=bar.epoch_done, on_progress=bar.advance)
    except KeyboardInterrupt:
        bar.stop()
        raise ReseauError("train.interrupted", done=len(bar.done)) from None
    seconds = time.perf_counter() - started
    test_accuracy = history.epochs[-1].test_accuracy
    out.print(t("train.test_line", n=format_count(len(test[0])), accuracy=test_accuracy))
    info = {
        "mode": "faithful",
        "dataset": dataset,
        "config": vars(config).copy(),
        "test_accuracy": test_accuracy,
        "train_precision": history.epochs[-1].precision,
        "history": history.to_dict(),
        "seconds": seconds,
        "reseau_version": _version(),
    }
    model = modelfile.SavedModel(network, info)
    path = modelfile.save(model, out_path or modelfile.default_path())
    out.print(t("train.saved", path=path))
    err.print(t("train.precision_note"), style="dim")
    err.print(t("train.seconds", seconds=seconds), style="dim")
    return model


def _version() -> str:
    from reseau import __version__

    return __version__


class EpochBar:
    """A transient progress bar per epoch on stderr; the document's epoch line on stdout."""

    def __init__(self) -> None:
        self.progress = None
        self.task = None
        self.done: list[faithful.EpochReport] = []

    def advance(self, n_done: int, n_total: int) -> None:
        if not err.is_terminal:  # no bar in logs and pipes
            return
        if self.progress is None:
            self.progress = epoch_progress()
            self.progress.start()
            self.task = self.progress.add_task(t("train.progress", epoch=len(self.done)), total=n_total)
        self.progress.update(self.task, completed=n_done)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def epoch_done(self, report: faithful.EpochReport) -> None:
        self.stop()
        self.done.append(report)
        out.print(t("train.epoch_line", epoch=report.epoch, precision=report.precision))


def register(app: typer.Typer) -> None:
    @app.command("train", help=t("cli.train.help"))
    def train(
        epochs: int = typer.Option(3, "--epochs", "-e", help=t("cli.opt.epochs")),
        hidden: int = typer.Option(20, "--hidden", help=t("cli.opt.hidden")),
        lr: float = typer.Option(0.01, "--lr", help=t("cli.opt.lr")),
        seed: int = typer.Option(0, "--seed", help=t("cli.opt.seed")),
        engine: str = typer.Option("fast", "--engine", help=t("cli.opt.engine")),
        dataset: str = typer.Option("mnist", "--dataset", help=t("cli.opt.dataset")),
        data_dir: Path = typer.Option(None, "--data-dir", help=t("cli.opt.data_dir")),
        out_path: Path = typer.Option(None, "--out", "-o", help=t("cli.opt.out")),
    ) -> None:
        config = faithful.FaithfulConfig(hidden=hidden, learn_rate=lr, epochs=epochs,
                                         seed=seed, engine=engine)
        train_and_save(config, dataset, data_dir, out_path)
