"""``reseau evaluate [--data-dir DIR] [--model FILE]``: how a network reads a set of digits, digit by digit.

Any folder of MNIST-format IDX files (the « Mes chiffres » tab's export, a
class's set, MNIST itself) or, by default, MNIST's own 10 000 test images: the
accuracy for each digit, then the confusions (which digit was read as which,
how many times).  The images are read as they are (already the 28x28 the
networks get: :mod:`reseau.digitset`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reseau.cli.common import LocalisedCommand, err, out, show_notes
from reseau.i18n import format_count, t

if TYPE_CHECKING:
    import numpy as np

    from reseau.digitset import Evaluation

WIDTHS = (8, 8, 10, 10)  # the table's columns: digit, images, read right, accuracy


def row(*cells: str) -> str:
    return "  ".join(cell.rjust(width) for cell, width in zip(cells, WIDTHS, strict=True)).rstrip()


def percent(value: float | None) -> str:
    return t("evaluate.none") if value is None else t("evaluate.percent", value=value)


def table(found: Evaluation, names: list[str]) -> list[str]:
    """The accuracy per digit: one line a class, then the total."""
    heads = ("digit", "images", "right", "accuracy")
    lines = [row(*(t(f"evaluate.col.{head}") for head in heads))]
    for k, (n, right, acc) in enumerate(zip(found.count, found.correct, found.per_digit(), strict=True)):
        lines.append(row(names[k], format_count(int(n)), format_count(int(right)), percent(acc)))
    total, right = int(found.count.sum()), int(found.correct.sum())
    lines.append(row(t("evaluate.col.total"), format_count(total), format_count(right), percent(found.accuracy)))
    return lines


def confusions(found: Evaluation, names: list[str], most: int = 10) -> list[str]:
    """The most frequent mistakes, « 4 lu comme 9 : 3 fois »."""
    mistakes = found.confusions()
    if not mistakes:
        return [t("evaluate.no_confusion")]
    lines = [t("evaluate.confusions")]
    lines += [t("evaluate.confusion", written=names[w], read=names[r], times=n) for w, r, n in mistakes[:most]]
    if len(mistakes) > most:
        lines.append(t("evaluate.more", n=len(mistakes) - most))
    return lines


def the_set(data_dir: Path | None, dataset: str) -> tuple[np.ndarray, np.ndarray, str]:
    """The images, labels and a line naming them: the folder's set, or the dataset's test set."""
    from reseau import data, digitset

    if data_dir is None:
        images, labels = data.load_raw("test", dataset)
        shown = data.dataset_info(dataset).title
        return images, labels, t("evaluate.test_set", dataset=shown, n=format_count(len(images)))
    images, labels = digitset.read_set(data_dir)
    return images, labels, t("evaluate.folder_set", path=data_dir, n=format_count(len(images)))


def evaluate(model_path: Path | None, data_dir: Path | None) -> None:
    from reseau import digitset, modelfile
    from reseau.data import DATASETS

    path = (model_path or modelfile.default_path()).expanduser()
    model = modelfile.load(path)
    show_notes(model)
    images, labels, named = the_set(data_dir, model.info.dataset)
    err.print(t("evaluate.model", path=path), style="dim")
    out.print(named)
    found = digitset.evaluate(model.network, images, labels)
    names = list(DATASETS[model.info.dataset].class_names)
    for line in table(found, names) + [""] + confusions(found, names):
        out.print(line)


def register(app: typer.Typer) -> None:
    @app.command("evaluate", help=t("evaluate.cli.help"), cls=LocalisedCommand)
    def evaluate_command(
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("evaluate.cli.data_dir"))] = None,
        model_path: Annotated[Path | None, typer.Option("--model", "-m", help=t("cli.opt.model"))] = None,
    ) -> None:
        evaluate(model_path, data_dir)
