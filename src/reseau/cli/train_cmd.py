"""``reseau train``: the document's NN.py, exactly, but fast — then the honest test accuracy.

With ``--mode modern`` or ``--preset better|best`` it trains a modern network
instead (:mod:`reseau.training`): mini-batches, softmax, ReLU, Adam, dropout...
The model file is the same kind, so ``reseau predict`` and the figures work
for both.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from reseau import faithful, modelfile
from reseau.cli.common import epoch_progress, err, load_split, out
from reseau.errors import ConfigError, ReseauError
from reseau.i18n import format_count, t

LR_WARNING = 10.0  # above this the document's network learns nothing: say so before starting
MODES = ("faithful", "modern")
DOCUMENT = "document"  # the preset that is the faithful trainer
OPTION_OF = {"learn_rate": "--lr"}  # config fields whose option is not --field-name
NOTHING_LEARNED = 20.0  # % of training images recognised: below this, say the network learned nothing


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
    network, history = run_with_bar(faithful.train, EpochBar(), images, labels, config, test)
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
    return save_and_say(modelfile.SavedModel(network, info), out_path, "train.precision_note")


def train_modern_and_save(config, dataset: str = "mnist", data_dir: Path | None = None,
                          out_path: Path | None = None, preset: str | None = None) -> modelfile.SavedModel:
    """Train a modern network (:mod:`reseau.training`), print each epoch, test the best one, save it."""
    from reseau import training

    config.validate()
    images, labels = load_split("train", dataset, data_dir)
    test = load_split("test", dataset, data_dir)
    err.print(modern_header(config, preset), style="dim")
    started = time.perf_counter()
    network, history = run_with_bar(training.train, ModernEpochBar(config.epochs), images, labels, config, test)
    seconds = time.perf_counter() - started
    best = history.best
    if max(e.precision for e in history.epochs) < NOTHING_LEARNED:
        err.print(t("training.learned_nothing", precision=best.precision, lr=config.learn_rate,
                    optimizer=config.optimizer), style="yellow")
    if config.val_size:
        out.print(t("training.best_epoch", epoch=best.epoch, val=best.val_accuracy))
    out.print(t("train.test_line", n=format_count(len(test[0])), accuracy=history.test_accuracy))
    info = {
        "mode": "modern",
        "dataset": dataset,
        "preset": preset,
        "config": config.to_dict(),
        "test_accuracy": history.test_accuracy,
        "train_precision": best.precision,
        "val_accuracy": best.val_accuracy,
        "best_epoch": best.epoch,
        "history": history.to_dict(),
        "seconds": seconds,
        "reseau_version": _version(),
    }
    return save_and_say(modelfile.SavedModel(network, info), out_path, "training.note")


def run_with_bar(train_fn, bar, images, labels, config, test):
    """``train_fn`` with ``bar`` showing progress; Ctrl-C becomes a message (nothing is saved)."""
    try:
        return train_fn(images, labels, config, test=test, on_epoch=bar.epoch_done, on_progress=bar.advance)
    except KeyboardInterrupt:
        bar.stop()
        raise ReseauError("train.interrupted", done=len(bar.done)) from None


def save_and_say(model: modelfile.SavedModel, out_path: Path | None, note_key: str) -> modelfile.SavedModel:
    """Save ``model`` (atomically) and say where, what the numbers mean and how long it took."""
    path = modelfile.save(model, out_path or modelfile.default_path())
    out.print(t("train.saved", path=path))
    err.print(t(note_key), style="dim")
    err.print(t("train.seconds", seconds=model.info["seconds"]), style="dim")
    return model


def modern_header(config, preset: str | None) -> str:
    """One line that says everything needed to repeat the run."""
    return t("training.header", preset=preset or "-", sizes="-".join(map(str, config.sizes)),
             activation=config.activation, output=config.output, init=config.init,
             optimizer=config.optimizer, lr=config.learn_rate, schedule=config.schedule,
             batch=config.batch_size, epochs=config.epochs, dropout=config.dropout,
             input_dropout=config.input_dropout, decay=config.weight_decay,
             smoothing=config.label_smoothing, augment=t("training.yes" if config.augment else "training.no"),
             val=format_count(config.val_size), seed=config.seed)


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


class ModernEpochBar(EpochBar):
    """The same bar; the epoch line shows training and validation accuracy, loss and time."""

    def __init__(self, epochs: int) -> None:
        super().__init__()
        self.epochs = epochs
        self.best_val = -1.0

    def epoch_done(self, report) -> None:
        self.stop()
        self.done.append(report)
        val = report.val_accuracy
        better = val is not None and val > self.best_val
        self.best_val = max(self.best_val, val) if val is not None else self.best_val
        key = "training.epoch_line" if val is not None else "training.epoch_line_no_val"
        out.print(t(key, epoch=report.epoch, last=self.epochs - 1, precision=report.precision,
                    val=val if val is not None else 0.0, loss=report.loss, seconds=report.seconds,
                    mark=" ★" if better else ""))


# ---------------------------------------------------------------------------
# From options to a configuration
# ---------------------------------------------------------------------------

def parse_layers(text: str) -> tuple[int, ...]:
    """``"256,128"`` -> ``(256, 128)``; anything else raises :class:`ConfigError`."""
    from reseau.training.config import MAX_LAYERS, MAX_NEURONS

    try:
        sizes = tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise ConfigError("training.bad_layers", value=text, max_layers=MAX_LAYERS,
                          max_neurons=MAX_NEURONS) from None
    return sizes


def choose_config(mode: str | None, preset: str | None, epochs: int | None, hidden: int | None,
                  lr: float | None, seed: int | None, engine: str | None, modern: dict):
    """The faithful or modern configuration that the options ask for (validated).

    ``modern`` holds the modern-only options the user gave (``None`` = not given);
    they start from ``--preset`` (``better`` if none).  Mixing a faithful-only and
    a modern-only option, or a mode and a preset that disagree, is a clear error.
    """
    from reseau import training

    presets = (DOCUMENT, *training.PRESETS)
    if mode is not None and mode not in MODES:
        raise ConfigError("training.bad_choice", field="--mode", value=mode, choices=", ".join(MODES))
    if preset is not None and preset not in presets:
        raise ConfigError("training.bad_choice", field="--preset", value=preset, choices=", ".join(presets))
    given = {name: value for name, value in modern.items() if value is not None}
    faithful_wanted = preset == DOCUMENT or (preset is None and mode != "modern")
    if faithful_wanted:
        if mode == "modern":
            raise ConfigError("training.cli.document_is_faithful")
        if given:
            raise ConfigError("training.cli.modern_only", options=_option_names(given))
        return faithful.FaithfulConfig(hidden=20 if hidden is None else hidden,
                                       learn_rate=0.01 if lr is None else lr,
                                       epochs=3 if epochs is None else epochs,
                                       seed=0 if seed is None else seed,
                                       engine="fast" if engine is None else engine).validate()
    if mode == "faithful":
        raise ConfigError("training.cli.preset_is_modern", preset=preset)
    if engine is not None:
        raise ConfigError("training.cli.engine_is_faithful")
    if hidden is not None and "layers" in given:
        raise ConfigError("training.cli.hidden_and_layers")
    if hidden is not None:
        given["layers"] = (hidden,)
    if "layers" in given:
        given["layers"] = parse_layers(given["layers"])
    plain = {"epochs": epochs, "learn_rate": lr, "seed": seed}
    given.update({name: value for name, value in plain.items() if value is not None})
    try:
        return training.PRESETS[preset or "better"].with_(**given).validate()
    except ConfigError as exc:  # name the option the user typed, not the config field
        if "field" in exc.params:
            exc.params["field"] = OPTION_OF.get(exc.params["field"], "--" + exc.params["field"].replace("_", "-"))
        raise


def _option_names(given: dict) -> str:
    return ", ".join("--" + name.replace("_", "-") for name in given)


def register(app: typer.Typer) -> None:
    @app.command("train", help=t("training.cli.help"))
    def train(
        epochs: int = typer.Option(None, "--epochs", "-e", help=t("training.opt.epochs")),
        hidden: int = typer.Option(None, "--hidden", help=t("training.opt.hidden")),
        lr: float = typer.Option(None, "--lr", help=t("training.opt.lr")),
        seed: int = typer.Option(None, "--seed", help=t("training.opt.seed")),
        engine: str = typer.Option(None, "--engine", help=t("training.opt.engine")),
        dataset: str = typer.Option("mnist", "--dataset", help=t("cli.opt.dataset")),
        data_dir: Path = typer.Option(None, "--data-dir", help=t("cli.opt.data_dir")),
        out_path: Path = typer.Option(None, "--out", "-o", help=t("cli.opt.out")),
        mode: str = typer.Option(None, "--mode", help=t("training.opt.mode")),
        preset: str = typer.Option(None, "--preset", "-p", help=t("training.opt.preset")),
        layers: str = typer.Option(None, "--layers", help=t("training.opt.layers")),
        activation: str = typer.Option(None, "--activation", help=t("training.opt.activation")),
        output: str = typer.Option(None, "--output", help=t("training.opt.output")),
        init: str = typer.Option(None, "--init", help=t("training.opt.init")),
        optimizer: str = typer.Option(None, "--optimizer", help=t("training.opt.optimizer")),
        batch_size: int = typer.Option(None, "--batch-size", "-b", help=t("training.opt.batch_size")),
        schedule: str = typer.Option(None, "--schedule", help=t("training.opt.schedule")),
        weight_decay: float = typer.Option(None, "--weight-decay", help=t("training.opt.weight_decay")),
        dropout: float = typer.Option(None, "--dropout", help=t("training.opt.dropout")),
        input_dropout: float = typer.Option(None, "--input-dropout", help=t("training.opt.input_dropout")),
        label_smoothing: float = typer.Option(None, "--label-smoothing",
                                              help=t("training.opt.label_smoothing")),
        augment: bool = typer.Option(None, "--augment/--no-augment", help=t("training.opt.augment"),
                                     show_default=False),
        val_size: int = typer.Option(None, "--val-size", help=t("training.opt.val_size")),
        patience: int = typer.Option(None, "--patience", help=t("training.opt.patience")),
    ) -> None:
        modern = {"layers": layers, "activation": activation, "output": output, "init": init,
                  "optimizer": optimizer, "batch_size": batch_size, "schedule": schedule,
                  "weight_decay": weight_decay, "dropout": dropout, "input_dropout": input_dropout,
                  "label_smoothing": label_smoothing, "augment": augment, "val_size": val_size,
                  "patience": patience}
        config = choose_config(mode, preset, epochs, hidden, lr, seed, engine, modern)
        if isinstance(config, faithful.FaithfulConfig):
            train_and_save(config, dataset, data_dir, out_path)
        else:
            train_modern_and_save(config, dataset, data_dir, out_path,
                                  preset=preset or "better")
