"""``reseau train``: the document's NN.py, exactly, but fast — then the honest test accuracy.

With ``--preset better|best|...`` (or ``--mode modern``) it trains another kind
of network instead.  Every kind goes through the library's one front door,
:func:`reseau.trainers.train`, and is saved with the same :class:`ModelInfo`
record, so ``reseau predict`` and the figures work for all of them.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn

from reseau import kinds, trainers
from reseau.cli.common import LocalisedCommand, err, load_split, out, progress_bar
from reseau.config import Config, Range
from reseau.errors import ConfigError, ReseauError
from reseau.history import EpochReport
from reseau.i18n import counted, format_count, format_number, t
from reseau.kinds import Kind
from reseau.measured import help_claims
from reseau.training.config import check_dataset

KEYWORD = inspect.Parameter.KEYWORD_ONLY

if TYPE_CHECKING:
    from reseau.modelfile import SavedModel

LR_WARNING = 10.0  # above this no network here learns anything: say so before starting
NOTHING_LEARNED = 20.0  # % of training images recognised: below this, say the network learned nothing


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
    check_dataset(config, dataset)
    compiled.announce = lambda: err.print(t("train.compiling"), style="dim")
    target = modelfile.check_target(out_path or modelfile.default_path(), create_folder=out_path is None)
    images, labels = load_split("train", dataset, data_dir)
    test = load_split("test", dataset, data_dir)
    err.print(config.describe(preset), style="dim")
    if config.learn_rate > LR_WARNING:
        err.print(t("train.lr_warning", lr=config.learn_rate), style="yellow")
    bar = EpochBar(config.epochs, kinds.kind(config.mode))
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
    err.print(t(kinds.kind(config.mode).note(validated=kept.val_accuracy is not None)), style="dim")
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

    def __init__(self, epochs: int, kind: Kind | None = None) -> None:
        self.epochs = epochs
        self.kind = kind or kinds.document()  # the document's trainer numbers its epochs from 0, the others from 1
        self.progress: Any = None
        self.task: Any = None
        self.done: list[EpochReport] = []
        self.best_val = -1.0

    def advance(self, n_done: int, n_total: int) -> None:
        if not err.is_terminal:  # no bar in logs and pipes
            return
        if self.progress is None:
            self.progress = progress_bar(
                TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn()
            )
            self.progress.start()
            self.task = self.progress.add_task("", total=n_total * self.epochs)
        description = self.description(len(self.done))
        self.progress.update(self.task, completed=len(self.done) * n_total + n_done, description=description)

    def description(self, k: int) -> str:
        """The bar's label during epoch ``k`` (from 0): ``Epoch : 0 (1 sur 3)`` for the document's trainer,
        whose lines read ``Epoch : 0``; ``Epoch 1/15`` for the others, as their lines."""
        key = "train.progress_document" if self.kind.document else "train.progress"
        return t(key, epoch=k + self.kind.first_epoch, k=k + 1, total=self.epochs)

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
# From options to a configuration: one option per field of every kind's config
# ---------------------------------------------------------------------------

OPTION_OF = {"learn_rate": "--lr"}  # config fields whose option is not --field-name
SHORT = {"epochs": "-e", "batch_size": "-b"}


@dataclass(frozen=True)
class Setting:
    """A field of the kinds' configurations, as the command line offers it."""

    field: str
    type: type  # bool, int, float, str, or tuple (sizes, typed as 256,128)
    modes: tuple[str, ...]  # the kinds whose configuration has it
    limits: tuple[Range, ...]  # its range in each of them that declares one

    def help(self) -> str:
        """The field's sentence, then its range when every kind agrees, and the kinds that have it."""
        parts = [t(f"training.opt.{self.field}")]
        if self.limits and all(limit == self.limits[0] for limit in self.limits):
            low, high = self.limits[0].low, self.limits[0].high
            parts.append(t("training.opt.range", low=number(low), high=number(high)))
        if len(self.modes) < len(kinds.KINDS):
            parts.append(t("training.opt.kinds", kinds=", ".join(kinds.kind(m).name() for m in self.modes)))
        return " ".join(parts)

    def parameter(self) -> inspect.Parameter:
        """The Typer option: ``--lr``, ``--batch-size/-b``, ``--batch-norm/--no-batch-norm``, ``--conv 32,64``."""
        name = option_name(self.field)
        if self.type is bool:
            option = typer.Option(f"{name}/--no-{name[2:]}", help=self.help(), show_default=False, metavar="")
        else:
            option = typer.Option(name, *filter(None, [SHORT.get(self.field)]), help=self.help())
        value = str if self.type is tuple else self.type
        return inspect.Parameter(self.field, KEYWORD, default=None, annotation=Annotated[value | None, option])


def settings() -> dict[str, Setting]:
    """Every field of every kind's configuration, in the kinds' order, each with one type."""
    found: dict[str, Setting] = {}
    for kind in kinds.KINDS.values():
        cls = kind.config_class()
        for f in fields(cls):  # type: ignore[arg-type]
            seen, limit = found.get(f.name), cls.LIMITS.get(f.name)
            if seen is not None and seen.type is not type(f.default):
                raise TypeError(f"{f.name} is a {seen.type.__name__} in one configuration, not in {cls.__name__}")
            modes = (*seen.modes, kind.mode) if seen else (kind.mode,)
            limits = (*(seen.limits if seen else ()), *([limit] if limit else []))
            found[f.name] = Setting(f.name, type(f.default), modes, limits)
    return found


def number(x: float) -> str:
    """A limit as a person writes it: ``1000``, ``4 294 967 295``, ``0,95``."""
    return format_count(int(x)) if float(x).is_integer() else format_number(x, 2).rstrip("0")


def option_name(field: str) -> str:
    return OPTION_OF.get(field, "--" + field.replace("_", "-"))


def parse_sizes(field: str, text: str) -> tuple[int, ...]:
    """``"256,128"`` (or ``256-128``) -> ``(256, 128)``; anything else raises :class:`ConfigError`."""
    try:
        return tuple(int(part) for part in text.replace(" ", "").replace("-", ",").split(","))
    except ValueError:
        raise ConfigError("training.bad_sizes", value=text, option=option_name(field)) from None


def choose_config(mode: str | None, preset: str | None, options: dict[str, Any]) -> tuple[Config, str]:
    """The configuration the options ask for (validated) and the preset it starts from (see
    :func:`reseau.trainers.configure`); errors name the options as typed (``--lr``)."""
    sizes = {name for name, setting in settings().items() if setting.type is tuple}  # typed as 256,128
    given = {
        k: parse_sizes(k, v) if k in sizes and isinstance(v, str) else v for k, v in options.items() if v is not None
    }
    return trainers.configure(preset, mode, given, name=option_name)


def register(app: typer.Typer) -> None:
    def train(
        mode: str | None, preset: str | None, dataset: str, data_dir: Path | None, out_path: Path | None, **options: Any
    ) -> None:
        config, name = choose_config(mode, preset, options)
        train_and_save(config, dataset, data_dir, out_path, preset=name)

    fixed = {
        "mode": Annotated[str | None, typer.Option("--mode", help=t("training.opt.mode"))],
        "preset": Annotated[str | None, typer.Option("--preset", "-p", help=t("training.opt.preset", **help_claims()))],
        "dataset": Annotated[str, typer.Option("--dataset", help=t("cli.opt.dataset"))],
        "data_dir": Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))],
        "out_path": Annotated[Path | None, typer.Option("--out", "-o", help=t("cli.opt.out"))],
    }
    defaults = {"dataset": "mnist"}
    head = [inspect.Parameter(n, KEYWORD, default=defaults.get(n), annotation=a) for n, a in fixed.items()]
    train.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        head[:2] + [s.parameter() for s in settings().values()] + head[2:]
    )
    app.command("train", help=t("training.cli.help"), cls=LocalisedCommand)(train)
