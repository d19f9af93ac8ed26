"""``reseau predict``: the document's inference loop, that never crashes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reseau import kinds, trainers
from reseau.cli.common import LocalisedCommand, err, has_display, load_split, out, show_figure, show_notes
from reseau.errors import ModelFileError, ReseauError
from reseau.i18n import t

if TYPE_CHECKING:
    from reseau import modelfile

QUIT = {"q", "quit", "quitter", "exit", ""}


def load_or_train(model_path: Path | None, train: bool, data_dir: Path | None) -> modelfile.SavedModel:
    """The saved model; if there is none, train one when asked (``--train`` or a yes at the prompt)."""
    from reseau import modelfile

    try:
        model = modelfile.load(model_path or modelfile.default_path())
        show_notes(model)
        return model
    except ModelFileError as exc:
        if exc.key != "model.missing":
            raise
        if not train and sys.stdin.isatty():
            answer = input(t("predict.offer_train")).strip().lower()
            train = answer in ("", "o", "oui", "y", "yes")
        if not train:
            raise
    from reseau.cli.train_cmd import train_and_save

    name = kinds.document().default_preset  # the document's network
    return train_and_save(trainers.preset(name), data_dir=data_dir, out_path=model_path, preset=name)


def answer(model: modelfile.SavedModel, images, labels, index: int, split: str, save: Path | None) -> None:
    """Recognise image ``index``, print the answer and show (or save) the document's figure."""
    from reseau.figures import prediction_figure

    o = model.network.forward(images[index])  # (784,) -> (10,)
    digit, label = int(o.argmax()), int(labels[index].argmax())
    out.print(answer_line(model.info.dataset, index, digit, label))
    fig = prediction_figure(images[index], o, index, label, split, model.info.dataset)
    if save is None and has_display():
        show_figure(fig)
        return
    path = save or default_figure_path(split, index)
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:  # a folder removed meanwhile, a full disk, no permission
        raise ReseauError("predict.cannot_save", path=path, reason=exc.strerror or exc) from None
    out.print(t("predict.saved", path=path))


def answer_line(dataset: str, index: int, k: int, label: int) -> str:
    """The answer for image ``index``: the digit, as the document says it, or the class by its name."""
    mark = "✓" if k == label else "✗"
    if dataset == "mnist":
        return t("predict.answer", index=index, digit=k, label=label, mark=mark)
    from reseau.figures import class_names, in_sentence

    names = class_names(dataset)
    name, label_name = in_sentence(names[k]), names[label]
    return t("predict.answer_class", index=index, name=name, digit=k, label_name=label_name, label=label, mark=mark)


def default_figure_path(split: str, index: int) -> Path:
    """Where the figure goes without ``--save``: ``reseau_image_test_7.png`` is not training image 7's file."""
    return Path(f"reseau_image_{split}_{index}.png")


def figure_path(save: Path) -> Path:
    """The file ``--save`` names, checked before anything is computed; a name without extension gets ``.png``.

    The extension says the format: one of those matplotlib writes (png, svg, pdf, ...).
    """
    from matplotlib.backend_bases import FigureCanvasBase

    path = save.expanduser()
    if path.is_dir():
        raise ReseauError("predict.save_is_folder", path=path)
    if not path.suffix:
        path = path.with_name(path.name + ".png")
    formats = FigureCanvasBase.get_supported_filetypes()  # {"png": "Portable Network Graphics", ...}
    if path.suffix[1:].lower() not in formats:
        raise ReseauError("predict.bad_format", path=path, suffix=path.suffix, formats=", ".join(sorted(formats)))
    if not path.parent.is_dir():
        raise ReseauError("predict.no_folder", path=path, folder=path.parent)
    return path


def read_photos(model: modelfile.SavedModel, paths: list[Path]) -> bool:
    """``reseau predict --image FILE...``: each photo's answer, or in one sentence why it has none; True if all read."""
    from reseau.photo import PhotoError, photo_bytes, read_photo  # read_photo applies the model's preprocessing

    all_read = True
    for path in paths:
        try:
            steps = read_photo(photo_bytes(path), model)
        except PhotoError as exc:
            err.print(t("photo.failed", path=path, reason=str(exc)), style="yellow")
            all_read = False
            continue
        o = model.network.forward(steps.input.reshape(-1))  # (784,) -> (10,)
        out.print(t("photo.answer", path=path, digit=int(o.argmax())))
    return all_read


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
    @app.command("predict", help=t("cli.predict.help"), cls=LocalisedCommand)
    def predict(
        index: Annotated[int | None, typer.Option("--index", "-i", help=t("cli.opt.index"))] = None,
        test: Annotated[bool, typer.Option("--test", help=t("cli.opt.test"), metavar="")] = False,
        save: Annotated[Path | None, typer.Option("--save", help=t("cli.opt.save"))] = None,
        model_path: Annotated[Path | None, typer.Option("--model", "-m", help=t("cli.opt.model"))] = None,
        train: Annotated[bool, typer.Option("--train", help=t("cli.opt.train"), metavar="")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))] = None,
        image: Annotated[bool, typer.Option("--image", help=t("cli.opt.image"), metavar="")] = False,
        files: Annotated[list[Path] | None, typer.Argument(metavar="FILE...", show_default=False)] = None,
    ) -> None:
        if files and not image:
            raise ReseauError("photo.files_without_image", path=files[0])
        if image:
            if not files:
                raise ReseauError("photo.no_files")
            if not read_photos(load_or_train(model_path, train, data_dir), files):
                raise typer.Exit(2)
            return
        if save is not None:
            save = figure_path(save)
        model = load_or_train(model_path, train, data_dir)
        split = "test" if test else "train"
        images, labels = load_split(split, model.info.dataset, data_dir)
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
