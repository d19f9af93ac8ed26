"""``reseau check MODEL [--test]``: what a model file is, and whether its record tells the truth.

Loading the file already proves what can be proved without data (its weights
against their SHA-256, its record against its layers: :mod:`reseau.modelcheck`);
this command prints what the file says it is.  With ``--test`` it measures the
network on the 10 000 test images again and compares with the accuracy the
record states: the same, it says so; different, it says both and exits with 1.
A file that cannot be read: one sentence, exit 2 (a :class:`ReseauError`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reseau.cli.common import LocalisedCommand, err, load_split, out, show_notes
from reseau.errors import ReseauError
from reseau.i18n import counted, format_count, format_number, t

if TYPE_CHECKING:
    from reseau.modelfile import SavedModel


def describe(model: SavedModel, path: Path) -> list[str]:
    """The lines that say what the file is: kind, layers, data, settings, training, recorded results, checksum."""
    from reseau import kinds, modelcheck
    from reseau.data import DATASETS

    info, net = model.info, model.network
    lines = [
        t("check.file", path=path),
        t("check.network", kind=kinds.kind(info.mode).name(), sizes="-".join(map(str, net.sizes)),
          layers=", ".join(net.activations)),  # fmt: skip
        t("check.dataset", dataset=info.dataset, classes=len(DATASETS[info.dataset].class_names)),
        t("check.settings", settings=info.config.describe(info.preset)),
        t("check.trained", epochs=counted(len(info.history.epochs), "unit.epoch"),
          seconds=format_number(info.seconds or 0.0, 1), version=info.reseau_version or "0.1", source=info.source),
    ]  # fmt: skip
    lines.append(results(model))
    if not any(note.key == "model.note.no_checksum" for note in model.notes):  # that note says it is absent
        digest = modelcheck.weights_sha256(net.parameters())  # the file's: the load checked it
        lines.append(t("check.checksum", digest=digest[:16]))
    return lines


def results(model: SavedModel) -> str:
    """The record's figures of the epoch kept: training (the document's « Précision »), validation, test."""
    info, kept = model.info, model.info.kept
    if kept is None and info.test_accuracy is None:
        return t("check.no_results")

    def percent(value: float | None) -> str:
        return t("check.none") if value is None else t("check.percent", value=value)

    return t("check.results", epoch=kept.number if kept else t("check.none"), precision=percent(info.train_precision),
             val=percent(info.val_accuracy), test=percent(info.test_accuracy))  # fmt: skip


def measure(model: SavedModel, data_dir: Path | None) -> int:
    """Measure the test accuracy again and compare it with the record's; the exit code (1: they differ)."""
    images, labels = load_split("test", model.info.dataset, data_dir)
    err.print(t("check.measuring", n=format_count(len(images))), style="dim")
    measured, recorded = model.network.accuracy(images, labels), model.info.test_accuracy
    if recorded is None:
        out.print(t("check.test_unrecorded", measured=measured))
        return 0
    same = round(measured * len(images) / 100) == round(recorded * len(images) / 100)  # images recognised
    out.print(t("check.test_same" if same else "check.test_differs", measured=measured, recorded=recorded))
    return 0 if same else 1


def check(path: Path | None, test: bool, data_dir: Path | None) -> int:
    """What ``reseau check`` does; returns the exit code."""
    from reseau import modelfile

    path = (path or modelfile.default_path()).expanduser()
    if not path.is_file():
        raise ReseauError("check.missing", path=path)
    model = modelfile.load(path)
    for line in describe(model, path):
        out.print(line)
    show_notes(model)
    return measure(model, data_dir) if test else 0


def register(app: typer.Typer) -> None:
    @app.command("check", help=t("check.cli.help"), cls=LocalisedCommand)
    def check_command(
        model_path: Annotated[
            Path | None, typer.Argument(metavar=t("check.cli.metavar"), help=t("check.cli.model"), show_default=False)
        ] = None,
        test: Annotated[bool, typer.Option("--test", help=t("check.cli.test"), metavar="")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))] = None,
    ) -> None:
        code = check(model_path, test, data_dir)
        if code:
            raise typer.Exit(code)
