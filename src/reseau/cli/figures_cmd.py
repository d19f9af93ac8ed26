"""``reseau figures``: the document's pictures and a look inside the trained network.

A thin shell over :mod:`reseau.figures`: it checks the options, loads the data
and the model, asks for a ``Figure``, saves it (PNG or SVG) into ``--out``,
prints the path, and opens a window only when a display exists.  matplotlib
is imported only when a figure is made, so ``reseau --help`` stays quick.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reseau.cli.common import (
    LocalisedCommand,
    LocalisedGroup,
    err,
    has_display,
    load_split,
    out,
    run_steps,
    show_figure,
    show_notes,
)
from reseau.config import SEED, Range, check_index
from reseau.errors import ReseauError
from reseau.i18n import t

if TYPE_CHECKING:
    from reseau import modelfile

FORMATS = ("png", "svg")
DPI = 100
DPI_RANGE = Range(30, 600)  # dots per inch of a written figure
CURVES = Range(1, 12)  # sigmoid curves in one figure
PER_DIGIT = Range(1, 40)  # images of each digit in the grid
MISTAKES = Range(1, 60)  # wrong answers shown


# --------------------------------------------------------------------------
# Checking options (once, here at the boundary)
# --------------------------------------------------------------------------


def check_range(option: str, value: int, limit: Range) -> None:
    if not limit.low <= value <= limit.high:
        raise ReseauError("figures.bad_range", option=option, low=limit.low, high=limit.high, value=value)


def sigmoid_cases(ws: list[float] | None, bs: list[float] | None) -> list[tuple[float, float]]:
    """The ``(w, b)`` pairs asked with ``--w``/``--b``; the document's three when none is given."""
    from reseau.figures import DOCUMENT_SIGMOIDS

    ws, bs = list(ws or []), list(bs or [])
    if not ws and not bs:
        return list(DOCUMENT_SIGMOIDS)
    if bs and len(bs) != len(ws):
        raise ReseauError("figures.wb_mismatch", n_w=len(ws), n_b=len(bs))
    bs = bs or [0.0] * len(ws)
    for option, value in [("--w", v) for v in ws] + [("--b", v) for v in bs]:
        if not math.isfinite(value):
            raise ReseauError("figures.bad_number", option=option, value=value)
    if len(ws) > CURVES.high:
        raise ReseauError("figures.too_many_curves", n=len(ws), limit=CURVES.high)
    return list(zip(ws, bs))


# --------------------------------------------------------------------------
# Loading, saving, showing
# --------------------------------------------------------------------------


def load_model(model_path: Path | None) -> modelfile.SavedModel:
    """The model of ``--model``, else the default one; a missing one says to run ``reseau train``.
    What loading it found worth saying (:attr:`~reseau.modelfile.SavedModel.notes`) is shown."""
    from reseau import modelfile

    model = modelfile.load(model_path or modelfile.default_path())
    show_notes(model)
    return model


def check_output(out_dir: Path, fmt: str, dpi: int) -> str:
    """``--out``, ``--format`` and ``--dpi`` checked (before anything is loaded); the format as ``png`` or ``svg``."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ReseauError("figures.not_a_folder", path=out_dir)
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ReseauError("figures.bad_format", value=fmt)
    check_range("--dpi", dpi, DPI_RANGE)
    return fmt


def save_figure(fig, out_dir: Path, name: str, fmt: str, dpi: int) -> None:
    """Write ``fig`` as ``out_dir/name.fmt`` (creating the folder) and print where."""
    path = out_dir / f"{name}.{fmt}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=dpi, format=fmt)
    except OSError as exc:
        raise ReseauError("figures.cannot_write", path=path, reason=exc.strerror or exc) from None
    out.print(t("cli.figures.written", path=path), markup=False)


# --------------------------------------------------------------------------
# Building each figure from options (shared by its command and by `all`)
# --------------------------------------------------------------------------


def make_sigmoid(w=None, b=None):
    from reseau import figures

    return figures.sigmoid_figure(sigmoid_cases(w, b))


def make_digits(per_digit: int, seed: int, dataset: str, data_dir: Path | None):
    from reseau import data, figures

    check_range("--per-digit", per_digit, PER_DIGIT)
    check_range("--seed", seed, SEED)
    images, labels = data.load_raw("train", dataset, data_dir)  # uint8 (60000, 28, 28), (60000,)
    return figures.digits_figure(images, labels, per_digit, seed, dataset, "train")


def one_image(index: int, test: bool, dataset: str, data_dir: Path | None):
    """Image ``index`` of the split asked (checked to be one), its one-hot label, the split's name and size."""
    split = "test" if test else "train"
    images, labels = load_split(split, dataset, data_dir)
    check_index(index, len(images), split)
    return images[index], labels[index], split, len(images)


def make_sample(index: int, test: bool, dataset: str, data_dir: Path | None):
    from reseau import figures

    image, label, split, n_images = one_image(index, test, dataset, data_dir)
    return figures.sample_figure(image, label, index, split, n_images)


def make_network(model: modelfile.SavedModel, data_dir: Path | None):
    from reseau import figures

    dataset = model.info.dataset
    images, _ = load_split("train", dataset, data_dir)
    return figures.network_figure(model.network, images.mean(axis=0), dataset=dataset)  # (784,) mean image


def make_neurons(model: modelfile.SavedModel):
    from reseau import figures

    return figures.neurons_figure(model.network)


def make_forward(model: modelfile.SavedModel, index: int, test: bool, data_dir: Path | None):
    from reseau import figures

    image, label, split, _ = one_image(index, test, model.info.dataset, data_dir)
    return figures.forward_figure(model.network, image, index, int(label.argmax()), split, model.info.dataset)


def make_filters(model: modelfile.SavedModel):
    from reseau import figures

    return figures.filters_figure(model.network)


def make_feature_maps(model: modelfile.SavedModel, index: int, test: bool, data_dir: Path | None):
    from reseau import figures

    figures.convolutional_only(model.network, "feature-maps")  # before loading the data
    image, label, split, _ = one_image(index, test, model.info.dataset, data_dir)
    return figures.feature_maps_figure(model.network, image, index, int(label.argmax()), split, model.info.dataset)


def make_curves(model: modelfile.SavedModel, model_path: Path | None):
    from reseau import figures, modelfile

    history = model.info.history
    if not figures.has_curves(history):
        raise ReseauError("figures.no_history", path=model_path or modelfile.default_path())
    return figures.curves_figure(history, model.network.sizes, model.info.config)


def make_errors(model: modelfile.SavedModel, mistakes: int, data_dir: Path | None):
    from reseau import figures

    check_range("--mistakes", mistakes, MISTAKES)
    dataset = model.info.dataset
    images, labels = load_split("test", dataset, data_dir)
    return figures.errors_figure(model.network, images, labels, mistakes, dataset)


def make_step_figure(
    kind: str,
    index: int,
    test: bool,
    seed: int | None,
    model_path: Path | None,
    lr: float | None,
    data_dir: Path | None,
):
    """``backprop`` or ``derivative`` for one step on image ``index``, started as ``reseau explain`` starts."""
    from reseau import figures
    from reseau.explain import starting_point

    step = run_steps(starting_point(seed, model_path, lr), index, 1, test, data_dir)[0]
    split = "test" if test else "train"
    draw = figures.backprop_figure if kind == "backprop" else figures.derivative_figure
    return draw(step, index, split)


def file_name(command: str, options: dict[str, Any]) -> str:
    """The file a command writes: ``forward-test-5`` for one image, ``digits-fashion`` for another
    dataset's digits, else the command's name."""
    if "index" in options:
        return f"{command}-{'test-' if options['test'] else ''}{options['index']}"
    dataset = options.get("dataset", "mnist")
    return command if dataset == "mnist" else f"{command}-{dataset}"


# --------------------------------------------------------------------------
# The commands: a table of what each one draws from which options, made into Typer commands by one function
# --------------------------------------------------------------------------

KEYWORD = inspect.Parameter.KEYWORD_ONLY
OUTPUT = ("out_dir", "fmt", "dpi", "no_show")  # every figure command's last options


def option(name: str, hint: Any, default: Any, *decls: str, **info: Any) -> inspect.Parameter:
    """The parameter ``name`` that Typer reads as the option ``decls`` (``info``: its help, its metavar)."""
    return inspect.Parameter(name, KEYWORD, default=default, annotation=Annotated[hint, typer.Option(*decls, **info)])


def all_options() -> dict[str, inspect.Parameter]:
    """Every option of the figure commands, by the name the table of commands gives it (made with the commands:
    the language is chosen by then)."""
    return {
        "w": option("w", list[float] | None, None, "--w", help=t("cli.figures.opt.w"), metavar="<float>"),
        "b": option("b", list[float] | None, None, "--b", help=t("cli.figures.opt.b"), metavar="<float>"),
        "per_digit": option("per_digit", int, 16, "--per-digit", help=t("cli.figures.opt.per_digit")),
        "seed": option("seed", int, 0, "--seed", help=t("cli.figures.opt.seed")),
        "mistakes": option("mistakes", int, 24, "--mistakes", help=t("cli.figures.opt.mistakes")),
        "index": option("index", int, 0, "--index", "-i", help=t("cli.figures.opt.index")),
        "test": option("test", bool, False, "--test", help=t("cli.figures.opt.test"), metavar=""),
        "dataset": option("dataset", str, "mnist", "--dataset", help=t("cli.opt.dataset")),
        "model_path": option("model_path", Path | None, None, "--model", "-m", help=t("cli.opt.model")),
        "data_dir": option("data_dir", Path | None, None, "--data-dir", help=t("cli.opt.data_dir")),
        # one learning step starts as `reseau explain` starts, with its options
        "step_seed": option("seed", int | None, None, "--seed", help=t("explain.opt.seed")),
        "step_model": option("model_path", Path | None, None, "--model", "-m", help=t("explain.opt.model")),
        "lr": option("lr", float | None, None, "--lr", help=t("explain.opt.lr")),
        # where and how the figure is written: every command's last options
        "out_dir": option("out_dir", Path, Path("."), "--out", "-o", help=t("cli.figures.opt.out")),
        "fmt": option("fmt", str, "png", "--format", "-f", help=t("cli.figures.opt.format")),
        "dpi": option("dpi", int, DPI, "--dpi", help=t("cli.figures.opt.dpi")),
        "no_show": option("no_show", bool, False, "--no-show", help=t("cli.figures.opt.no_show"), metavar=""),
    }


def with_model(make: Callable) -> Callable:
    """``make(model, **options)`` as a command calls it: with the model of ``--model``, loaded."""
    return lambda model_path, **options: make(load_model(model_path), **options)


def figure_commands() -> dict[str, tuple[str, list[str], Callable]]:
    """Each figure's command: its help, its options before :data:`OUTPUT` (named as in :func:`all_options`)
    in the order ``--help`` lists them, and what draws the figure from them."""
    model = ["model_path"]
    image = ["index", "test", "model_path", "data_dir"]
    step = ["index", "test", "step_seed", "step_model", "lr", "data_dir"]
    return {
        "sigmoid": (t("cli.figures.sigmoid"), ["w", "b"], make_sigmoid),
        "digits": (t("cli.figures.digits"), ["per_digit", "seed", "dataset", "data_dir"], make_digits),
        "sample": (t("cli.figures.sample"), ["index", "test", "dataset", "data_dir"], make_sample),
        "network": (t("cli.figures.network"), ["model_path", "data_dir"], with_model(make_network)),
        "neurons": (t("cli.figures.neurons"), model, with_model(make_neurons)),
        "forward": (t("cli.figures.forward"), image, with_model(make_forward)),
        "filters": (t("cli.figures.filters"), model, with_model(make_filters)),
        "feature-maps": (t("cli.figures.feature_maps"), image, with_model(make_feature_maps)),
        "curves": (t("cli.figures.curves"), model, lambda model_path: make_curves(load_model(model_path), model_path)),
        "errors": (t("cli.figures.errors"), ["mistakes", "model_path", "data_dir"], with_model(make_errors)),
        "backprop": (t("explain.cli.figures_backprop"), step, functools.partial(make_step_figure, "backprop")),
        "derivative": (t("explain.cli.figures_derivative"), step, functools.partial(make_step_figure, "derivative")),
    }


def register(app: typer.Typer) -> None:
    figures_app = typer.Typer(
        help=t("cli.figures.help"),
        no_args_is_help=True,
        add_completion=False,
        cls=LocalisedGroup,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    found = all_options()
    for name, (help_text, options, draw) in figure_commands().items():
        params = [found[o] for o in [*options, *OUTPUT]]
        add_command(figures_app, name, help_text, params, functools.partial(draw_and_save, name, draw))
    params = [found[o] for o in ("index", "model_path", "data_dir", *OUTPUT[:-1])]  # all: never shown
    add_command(figures_app, "all", t("cli.figures.all"), params, all_figures)
    app.add_typer(figures_app, name="figures")


def add_command(fapp: typer.Typer, name: str, help_text: str, params: list[inspect.Parameter], run: Callable) -> None:
    """``run`` as the command ``reseau figures NAME`` with ``params`` as its options, in this order."""

    def command(**options: Any) -> None:
        run(**options)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]  # what Typer reads
    fapp.command(name, help=help_text, cls=LocalisedCommand)(command)


def draw_and_save(name: str, draw: Callable, out_dir: Path, fmt: str, dpi: int, no_show: bool, **options: Any) -> None:
    """One figure's command: the output checked first (a mistake loads nothing), then the figure drawn, saved,
    and shown if a display exists and it is wanted."""
    fmt = check_output(out_dir, fmt, dpi)
    fig = draw(**options)
    save_figure(fig, out_dir, file_name(name, options), fmt, dpi)
    if not no_show and has_display():
        show_figure(fig)


def all_figures(index: int, model_path: Path | None, data_dir: Path | None, out_dir: Path, fmt: str, dpi: int) -> None:
    """``reseau figures all``: every figure that applies to the model, saved, none shown."""
    from reseau.data import N_IMAGES

    fmt = check_output(out_dir, fmt, dpi)  # every check first: a mistake writes nothing
    check_index(index, N_IMAGES["train"], "train")
    model = load_model(model_path)
    for name, make in all_makers(model, model_path, index, data_dir):
        save_figure(make(), out_dir, name, fmt, dpi)


def all_makers(
    model: modelfile.SavedModel, model_path: Path | None, index: int, data_dir: Path | None
) -> list[tuple[str, Callable]]:
    """Each figure's file name and how to make it, for ``reseau figures all`` (those that apply to the model)."""
    from reseau import kinds, modelfile
    from reseau.figures import has_curves

    dataset = model.info.dataset
    image = {"index": index, "test": False}  # the image of --index, in the training set (for the files' names)

    def step(kind: str) -> Callable:  # one learning step of the document's algorithm from this model, on MNIST
        return lambda: make_step_figure(kind, index, False, None, model_path, None, data_dir)  # no --seed, no --lr

    # the figures of a trained network, by the name its kind's record gives them
    of_model: dict[str, tuple[str, Callable]] = {
        "network": ("network", lambda: make_network(model, data_dir)),
        "neurons": ("neurons", lambda: make_neurons(model)),
        "forward": (file_name("forward", image), lambda: make_forward(model, index, False, data_dir)),
        "filters": ("filters", lambda: make_filters(model)),
        "feature-maps": (file_name("feature-maps", image), lambda: make_feature_maps(model, index, False, data_dir)),
        "backprop": (file_name("backprop", image), step("backprop")),
        "derivative": (file_name("derivative", image), step("derivative")),
    }
    shown = kinds.kind(model.info.mode).figures - ({"backprop", "derivative"} if dataset != "mnist" else set())
    kept = [maker for figure, maker in of_model.items() if figure in shown]
    skipped = [maker for figure, maker in of_model.items() if figure not in shown]
    makers: list[tuple[str, Callable]] = [
        ("sigmoid", make_sigmoid),
        (file_name("digits", {"dataset": dataset}), lambda: make_digits(16, 0, dataset, data_dir)),
        (file_name("sample", image), lambda: make_sample(index, False, dataset, data_dir)),
        *kept,
        ("curves", lambda: make_curves(model, model_path)),
        ("errors", lambda: make_errors(model, 24, data_dir)),
    ]
    err.print(t("cli.figures.skipped", names=", ".join(name for name, _ in skipped)), style="dim", markup=False)
    if not has_curves(model.info.history):
        err.print(t("figures.no_history", path=model_path or modelfile.default_path()), style="yellow", markup=False)
        makers = [m for m in makers if m[0] != "curves"]
    return makers
