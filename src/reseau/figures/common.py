"""What the figures share: colours, class names, image shapes, grids, tick labels, captions."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from reseau import kinds
from reseau.errors import ReseauError
from reseau.i18n import format_number, t
from reseau.network import Network

if TYPE_CHECKING:
    from reseau.convnet import ConvNetwork
    from reseau.network import Recogniser

HIGHLIGHT = "#d62728"  # the chosen digit
BAR = "#7f7f7f"
CURVE = "#1f77b4"
CORRECT = "#c7e9c0"  # the diagonal of the confusion matrix
DIVERGING = "RdBu_r"  # weights: red positive, blue negative, white zero
INK = "Greys"  # the document's cmap: 0 is white, 1 is black
SIDE = 28  # MNIST images are 28 x 28


def class_names(dataset: str = "mnist", n: int = 10) -> list[str]:
    """The ``n`` class names in the user's language: digits for MNIST, clothes for Fashion-MNIST.

    An output layer that does not have 10 neurons has no names: its neurons are numbered.
    """
    if dataset == "fashion-mnist" and n == 10:
        return [t(f"figures.class.fashion-mnist.{k}") for k in range(10)]
    return [str(k) for k in range(n)]


def as_digits(labels: np.ndarray) -> np.ndarray:
    """Labels one-hot ``(n, 10)`` (the document's form) or ``(n,)`` -> class numbers ``(n,)``."""
    labels = np.asarray(labels)
    return labels.argmax(axis=-1) if labels.ndim == 2 else labels.astype(int)


def as_squares(images: np.ndarray) -> np.ndarray:
    """Images ``(n, 784)`` or ``(n, 28, 28)``, uint8 or in [0, 1] -> ``(n, 28, 28)`` floats in [0, 1]."""
    images = np.asarray(images)
    scale = 255.0 if images.dtype == np.uint8 else 1.0
    return images.reshape(len(images), SIDE, SIDE) / scale


def image_side(n_in: int) -> int:
    """The side of the square image a neuron's ``n_in`` input weights make (28 for MNIST)."""
    side = math.isqrt(n_in)
    if side * side != n_in:
        raise ReseauError("figures.not_square", n=n_in)
    return side


def grid_shape(n: int, max_cols: int = 10) -> tuple[int, int]:
    """Rows and columns for ``n`` tiles: a little wider than square, with as few empty cells as possible."""
    ideal = min(max(math.ceil(math.sqrt(n * 1.25)), 1), max_cols, n)
    candidates = range(max(ideal - 1, 1), min(ideal + 2, max_cols, n) + 1)
    cols = min(candidates, key=lambda c: (math.ceil(n / c) * c - n, abs(c - ideal), -c))
    return math.ceil(n / cols), cols


def used_axes(axes: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` axes of a grid, in reading order; the others (a grid is rarely full) are hidden."""
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return axes.flat[:n]


class DecimalTicks(Formatter):
    """Tick labels in the user's language (``0,5`` in French, ``0.5`` in English).

    Every tick of an axis gets the same number of decimals, the fewest that
    write all of them exactly (``92``, ``92,5``, ``93``... or ``0,0``, ``0,2``...).
    """

    def __init__(self, max_digits: int = 3) -> None:
        self.max_digits = max_digits
        self.digits = 0

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        self.digits = next(
            (k for k in range(self.max_digits) if all(abs(round(x, k) - x) < 1e-9 for x in locs)), self.max_digits
        )

    def __call__(self, x: float, pos: int | None = None) -> str:
        return format_number(x, self.digits)


def class_ticks(ax, names: list[str]) -> None:
    """The class names under the x axis, slanted when they are words (clothes), not digits."""
    rotate = max(map(len, names)) > 2
    ax.set_xticks(
        range(len(names)),
        names,
        rotation=45 if rotate else 0,
        ha="right" if rotate else "center",
        rotation_mode="anchor",
    )


def hide_ticks(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


def caption(fig: Figure, key: str, **params: object) -> None:
    """One explanatory line under the figure (laid out with it, never clipped)."""
    fig.supxlabel(t(key, None, **params), fontsize=9, color="#444444", wrap=True)


def layers_only(network: Recogniser, figure: str) -> Network:
    """``network`` if ``figure`` can be drawn of it (layers of neurons: :attr:`reseau.kinds.Kind.figures`);
    a convolutional one is a clear :class:`ReseauError`."""
    if not kinds.can_show(network, figure):
        raise ReseauError("figures.needs_layers", figure=figure)
    return cast(Network, network)


def convolutional_only(network: Recogniser, figure: str) -> ConvNetwork:
    """``network`` if ``figure`` can be drawn of it (a convolutional one); layers of neurons are a clear
    :class:`ReseauError`."""
    if not kinds.can_show(network, figure):
        raise ReseauError("figures.needs_conv", figure=figure, sizes="-".join(map(str, network.sizes)))
    return cast("ConvNetwork", network)
