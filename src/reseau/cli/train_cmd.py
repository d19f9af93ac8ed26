"""``reseau train``: the document's NN.py, exactly, but fast — then the honest test accuracy.

With ``--preset better|best|...`` (or ``--mode modern``) it trains another kind
of network instead.  Every kind goes through the library's one front door,
:func:`reseau.trainers.train`, and is saved with the same :class:`ModelInfo`
record, so ``reseau predict`` and the figures work for all of them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reseau import trainers
from reseau.cli.common import LocalisedCommand, epoch_progress, err, load_split, out
from reseau.config import Config
from reseau.errors import ConfigError, ReseauError
from reseau.history import EpochReport
from reseau.i18n import counted, format_count, t
from reseau.measured import help_claims

if TYPE_CHECKING:
    from reseau.modelfile import SavedModel

LR_WARNING = 10.0  # above this no network here learns anything: say so before starting
NOTHING_LEARNED = 20.0  # % of training images recognised: below this, say the network learned nothing
OPTION_OF = {"learn_rate": "--lr"}  # config fields whose option is not --field-name


def note_key(mode: str, validated: bool) -> str:
    """The closing note that explains the lines just printed: the document's « Précision », or the modern
    and convolutional trainers' « entraînement » (and the validation, when there was one)."""
    if mode == "faithful":
        return "train.precision_note"
    return "training.note" if validated else "training.note_no_validation"


def train_and_save(
    config: Config,
    dataset: str = "mnist",
    data_dir: Path | None = None,
    out_path: Path | None = None,
    preset: str | None = None,
) -> SavedModel:
    """Train ``config`` through the front door, printing each epoch; then test, save and say where.

    Where the model will go is checked first (the folder of ``--out`` exists and
    is writable, the target is not a folder or a device): a bad path is said
    before minutes of training, not after.
    """
    from reseau import compiled, modelfile
    from reseau.modelfile import ModelInfo, SavedModel

    config.validate()
    compiled.announce = lambda: err.print(t("train.compiling"), style="dim")
    target = modelfile.check_target(out_path or modelfile.default_path(), create_folder=out_path is None)
    images, labels = load_split("train", dataset, data_dir)
    test = load_split("test", dataset, data_dir)
    err.print(config.describe(preset), style="dim")
    if config.learn_rate > LR_WARNING:
        err.print(t("train.lr_warning", lr=config.learn_rate), style="yellow")
    bar = EpochBar(config.epochs, document=config.mode == "faithful")
    started = time.perf_counter()
    try:
        network, history = trainers.train(
            images, labels, config, test=test, on_epoch=bar.epoch_done, on_progress=bar.advance
        )
    except KeyboardInterrupt:
        bar.stop()
        raise ReseauError("train.interrupted", done=counted(len(bar.done), "unit.complete_epoch")) from None
    info = ModelInfo.build(config, history, dataset=dataset, preset=preset, seconds=time.perf_counter() - started)
    kept = history.best
    assert kept is not None  # at least one epoch ran
    if max(e.precision for e in history.epochs) < NOTHING_LEARNED:
        err.print(t("training.learned_nothing", precision=kept.precision, lr=config.learn_rate), style="yellow")
    if kept.val_accuracy is not None:
        out.print(t("training.best_epoch", epoch=kept.number, val=kept.val_accuracy))
    out.print(t("train.test_line", n=format_count(len(test[0])), accuracy=info.test_accuracy))
    path = modelfile.save(SavedModel(network, info), target)
    out.print(t("train.saved", path=path))
    err.print(t(note_key(config.mode, validated=kept.val_accuracy is not None)), style="dim")
    err.print(t("train.seconds", seconds=info.seconds), style="dim")
    return SavedModel(network, info)


class EpochBar:
    """One progress bar for the whole training on stderr (with the time left), one line per epoch on stdout.

    The bar lives from the first image to the end of the last epoch, so its
    time estimate covers the whole run; the epoch lines are printed above it.
    The document's trainer prints the document's own ``Epoch : 0, Précision :
    86.18%``; the others add validation, loss and time, and a star on each
    new best validation score (:meth:`EpochReport.line`).
    """

    def __init__(self, epochs: int, document: bool = True) -> None:
        self.epochs = epochs
        self.document = document  # the document's trainer numbers its epochs from 0, the others from 1
        self.progress: Any = None
        self.task: Any = None
        self.done: list[EpochReport] = []
        self.best_val = -1.0

    def advance(self, n_done: int, n_total: int) -> None:
        if not err.is_terminal:  # no bar in logs and pipes
            return
        if self.progress is None:
            self.progress = epoch_progress()
            self.progress.start()
            self.task = self.progress.add_task("", total=n_total * self.epochs)
        description = self.description(len(self.done))
        self.progress.update(self.task, completed=len(self.done) * n_total + n_done, description=description)

    def description(self, k: int) -> str:
        """The bar's label during epoch ``k`` (from 0): ``Epoch : 0 (1 sur 3)`` for the document's trainer,
        whose lines read ``Epoch : 0``; ``Epoch 1/15`` for the others, as their lines."""
        if self.document:
            return t("train.progress_document", epoch=k, k=k + 1, total=self.epochs)
        return t("train.progress", epoch=k + 1, total=self.epochs)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def epoch_done(self, report: EpochReport) -> None:
        self.done.append(report)
        line = self.line(report)
        if self.progress is not None:
            self.progress.console.print(line, markup=False, highlight=False)  # above the bar, in the terminal
        else:
            out.print(line)
        if len(self.done) == self.epochs:
            self.stop()

    def line(self, report: EpochReport) -> str:
        val = report.val_accuracy
        better = val is not None and val > self.best_val
        self.best_val = max(self.best_val, val if val is not None else -1.0)
        return report.line(self.epochs - 1, mark=" ★" if better else "")


# ---------------------------------------------------------------------------
# From options to a configuration
# ---------------------------------------------------------------------------


def option_name(field: str) -> str:
    return OPTION_OF.get(field, "--" + field.replace("_", "-"))


def parse_layers(text: str) -> tuple[int, ...]:
    """``"256,128"`` -> ``(256, 128)``; anything else raises :class:`ConfigError`."""
    from reseau.training.config import LAYERS, NEURONS

    try:
        return tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise ConfigError("training.bad_layers", value=text, max_layers=LAYERS.high, max_neurons=NEURONS.high) from None


def choose_config(mode: str | None, preset: str | None, options: dict[str, Any]) -> tuple[Config, str]:
    """The configuration the options ask for (validated) and the preset it starts from (see
    :func:`reseau.trainers.configure`); errors name the options as typed (``--lr``)."""
    given = {k: v for k, v in options.items() if v is not None}
    if isinstance(given.get("layers"), str):
        given["layers"] = parse_layers(given["layers"])
    return trainers.configure(preset, mode, given, name=option_name)


def register(app: typer.Typer) -> None:
    @app.command("train", help=t("training.cli.help"), cls=LocalisedCommand)
    def train(
        epochs: Annotated[int | None, typer.Option("--epochs", "-e", help=t("training.opt.epochs"))] = None,
        hidden: Annotated[int | None, typer.Option("--hidden", help=t("training.opt.hidden"))] = None,
        lr: Annotated[float | None, typer.Option("--lr", help=t("training.opt.lr"))] = None,
        seed: Annotated[int | None, typer.Option("--seed", help=t("training.opt.seed"))] = None,
        engine: Annotated[str | None, typer.Option("--engine", help=t("training.opt.engine"))] = None,
        dataset: Annotated[str, typer.Option("--dataset", help=t("cli.opt.dataset"))] = "mnist",
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))] = None,
        out_path: Annotated[Path | None, typer.Option("--out", "-o", help=t("cli.opt.out"))] = None,
        mode: Annotated[str | None, typer.Option("--mode", help=t("training.opt.mode"))] = None,
        preset: Annotated[
            str | None, typer.Option("--preset", "-p", help=t("training.opt.preset", **help_claims()))
        ] = None,
        layers: Annotated[str | None, typer.Option("--layers", help=t("training.opt.layers"))] = None,
        activation: Annotated[str | None, typer.Option("--activation", help=t("training.opt.activation"))] = None,
        output: Annotated[str | None, typer.Option("--output", help=t("training.opt.output"))] = None,
        init: Annotated[str | None, typer.Option("--init", help=t("training.opt.init"))] = None,
        optimizer: Annotated[str | None, typer.Option("--optimizer", help=t("training.opt.optimizer"))] = None,
        batch_size: Annotated[int | None, typer.Option("--batch-size", "-b", help=t("training.opt.batch_size"))] = None,
        schedule: Annotated[str | None, typer.Option("--schedule", help=t("training.opt.schedule"))] = None,
        weight_decay: Annotated[
            float | None, typer.Option("--weight-decay", help=t("training.opt.weight_decay"))
        ] = None,
        dropout: Annotated[float | None, typer.Option("--dropout", help=t("training.opt.dropout"))] = None,
        input_dropout: Annotated[
            float | None, typer.Option("--input-dropout", help=t("training.opt.input_dropout"))
        ] = None,
        label_smoothing: Annotated[
            float | None, typer.Option("--label-smoothing", help=t("training.opt.label_smoothing"))
        ] = None,
        augment: Annotated[
            bool | None,
            typer.Option("--augment/--no-augment", help=t("training.opt.augment"), show_default=False, metavar=""),
        ] = None,
        val_size: Annotated[int | None, typer.Option("--val-size", help=t("training.opt.val_size"))] = None,
        patience: Annotated[int | None, typer.Option("--patience", help=t("training.opt.patience"))] = None,
    ) -> None:
        options = {
            "epochs": epochs,
            "hidden": hidden,
            "learn_rate": lr,
            "seed": seed,
            "engine": engine,
            "layers": layers,
            "activation": activation,
            "output": output,
            "init": init,
            "optimizer": optimizer,
            "batch_size": batch_size,
            "schedule": schedule,
            "weight_decay": weight_decay,
            "dropout": dropout,
            "input_dropout": input_dropout,
            "label_smoothing": label_smoothing,
            "augment": augment,
            "val_size": val_size,
            "patience": patience,
        }
        config, name = choose_config(mode, preset, options)
        train_and_save(config, dataset, data_dir, out_path, preset=name)
