"""``reseau predict``: the document's inference loop, that never crashes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from reseau import modelfile
from reseau.cli.common import err, load_split, out
from reseau.errors import ModelFileError
from reseau.i18n import t

QUIT = {"q", "quit", "quitter", "exit", ""}


def has_display() -> bool:
    """Whether a window can be opened: a display (on Linux) and an interactive matplotlib backend."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    import matplotlib

    import matplotlib.pyplot  # noqa: F401  (resolves the backend: Agg when no GUI toolkit works)

    backend = matplotlib.get_backend().lower()
    return not (backend in NON_INTERACTIVE or backend.startswith("module://"))


NON_INTERACTIVE = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


def load_or_train(model_path: Path | None, train: bool, data_dir: Path | None) -> modelfile.SavedModel:
    """The saved model; if there is none, train one when asked (``--train`` or a yes at the prompt)."""
    try:
        return modelfile.load(model_path or modelfile.default_path())
    except ModelFileError as exc:
        if exc.key != "model.missing":
            raise
        if not train and sys.stdin.isatty():
            answer = input(t("predict.offer_train")).strip().lower()
            train = answer in ("", "o", "oui", "y", "yes")
        if not train:
            raise
    from reseau.cli.train_cmd import train_and_save
    from reseau.faithful import FaithfulConfig

    return train_and_save(FaithfulConfig(), data_dir=data_dir, out_path=model_path)


def answer(model: modelfile.SavedModel, images, labels, index: int, split: str,
           save: Path | None) -> None:
    """Recognise image ``index``, print the answer and show (or save) the document's figure."""
    from reseau.figures import prediction_figure

    o = model.network.forward(images[index])  # (784,) -> (10,)
    digit, label = int(o.argmax()), int(labels[index].argmax())
    out.print(t("predict.answer", index=index, digit=digit, label=label,
                mark="✓" if digit == label else "✗"))
    fig = prediction_figure(images[index], o, index, label, split)
    if save is None and has_display():
        _show(fig)
        return
    path = Path(save) if save else Path(f"reseau_image_{index}.png")
    fig.savefig(path, dpi=100)
    out.print(t("predict.saved", path=path))


def _show(fig) -> None:
    """Open ``fig`` (built without pyplot) in a window, and wait until it is closed, as the document's plt.show()."""
    import matplotlib.pyplot as plt

    manager = plt.figure(figsize=fig.get_size_inches()).canvas.manager
    manager.canvas.figure = fig
    fig.set_canvas(manager.canvas)
    plt.show()
    plt.close("all")


def parse_index(text: str, last: int) -> int | None:
    """The index typed, or None after printing why it is not one."""
    try:
        index = int(text)
    except ValueError:
        err.print(t("predict.not_a_number", text=text, last=last), style="yellow")
        return None
    if not 0 <= index <= last:
        err.print(t("predict.out_of_range", index=index, last=last), style="yellow")
        return None
    return index


def register(app: typer.Typer) -> None:
    @app.command("predict", help=t("cli.predict.help"))
    def predict(
        index: int = typer.Option(None, "--index", "-i", help=t("cli.opt.index")),
        test: bool = typer.Option(False, "--test", help=t("cli.opt.test"), metavar=""),
        save: Path = typer.Option(None, "--save", help=t("cli.opt.save")),
        model_path: Path = typer.Option(None, "--model", "-m", help=t("cli.opt.model")),
        train: bool = typer.Option(False, "--train", help=t("cli.opt.train"), metavar=""),
        data_dir: Path = typer.Option(None, "--data-dir", help=t("cli.opt.data_dir")),
    ) -> None:
        model = load_or_train(model_path, train, data_dir)
        split = "test" if test else "train"
        images, labels = load_split(split, model.info.get("dataset", "mnist"), data_dir)
        last = len(images) - 1
        if index is not None:
            if parse_index(str(index), last) is None:
                raise typer.Exit(2)
            answer(model, images, labels, index, split, save)
            return
        err.print(t("predict.hint"), style="dim")
        while True:
            try:
                text = input(t("predict.prompt", last=last)).strip()
            except (EOFError, KeyboardInterrupt):
                out.print()
                break
            if text.lower() in QUIT:
                break
            chosen = parse_index(text, last)
            if chosen is not None:
                answer(model, images, labels, chosen, split, save)
        out.print(t("predict.bye"))
