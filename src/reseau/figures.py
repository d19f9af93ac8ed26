"""Figures: functions that take data and networks and return a matplotlib ``Figure``.

No file I/O and no window here: the command line (or a notebook) decides to
save or show.  Figures are built with ``matplotlib.figure.Figure`` directly,
not pyplot, so they work headless with no setting.  Every text comes from the
message table, so a figure is in French or English like the rest.

The document draws four pictures (the sigmoid for three (w, b), the sheet of
digits, one image with its label, the layers of the network) and one at the
end (the recognised digit).  This module draws those from real data and the
real trained network, and adds what a learner needs to see *why* it works:
the weights of each hidden neuron, one prediction layer by layer, the learning
curves and the mistakes.  Any :class:`reseau.network.Network` works, not only
the document's 784-20-10 one.  A convolutional network
(:class:`reseau.training.cnn.ConvNetwork`) has its own two: the learned
kernels of its first convolution (:func:`filters_figure`) and what its
convolutions see in one image (:func:`feature_maps_figure`); the figures of
layers of neurons refuse it, and these two refuse layers of neurons, with a
clear :class:`~reseau.errors.ReseauError` (:func:`layers_only`, :func:`convolutional_only`).

Artists that tests (and curious readers) look for carry a label: panels are
axes labelled ``"sigmoid"``, ``"neuron"``, ``"layer"``, ``"mistake"``...
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from reseau.errors import ReseauError
from reseau.history import EpochReport, History
from reseau.i18n import format_count, format_number, t
from reseau.network import Network, sigmoid

if TYPE_CHECKING:
    from reseau.config import Config
    from reseau.explain import Derivative, Step
    from reseau.training.cnn import ConvNetwork

HIGHLIGHT = "#d62728"  # the chosen digit
BAR = "#7f7f7f"
CURVE = "#1f77b4"
CORRECT = "#c7e9c0"  # the diagonal of the confusion matrix
DIVERGING = "RdBu_r"  # weights: red positive, blue negative, white zero
INK = "Greys"  # the document's cmap: 0 is white, 1 is black
DOCUMENT_SIGMOIDS = ((1.0, 0.0), (4.0, 0.0), (0.25, 0.41))  # the document's three (w, b)
SIDE = 28  # MNIST images are 28 x 28


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def class_names(dataset: str = "mnist") -> list[str]:
    """The 10 class names in the user's language: digits for MNIST, clothes for Fashion-MNIST."""
    if dataset == "fashion-mnist":
        return [t(f"figures.class.fashion-mnist.{k}") for k in range(10)]
    return [str(k) for k in range(10)]


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


def _signed(text: str) -> str:
    """A number as written by :func:`format_number`, with a true minus sign (−) for a negative one."""
    return text.replace("-", "\u2212")


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
        return _signed(format_number(float(x) + 0.0, self.digits))


def _hide_ticks(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


def _caption(fig: Figure, key: str, **params: object) -> None:
    """One explanatory line under the figure (laid out with it, never clipped)."""
    fig.supxlabel(t(key, None, **params), fontsize=9, color="#444444", wrap=True)


def layers_only(network: Network | ConvNetwork, figure: str) -> Network:
    """``network`` if it is made of layers of neurons; a convolutional one is a clear :class:`ReseauError`."""
    if not isinstance(network, Network):
        raise ReseauError("figures.needs_layers", figure=figure)
    return network


def convolutional_only(network: Network | ConvNetwork, figure: str) -> ConvNetwork:
    """``network`` if it is convolutional; layers of neurons are a clear :class:`ReseauError`."""
    if isinstance(network, Network):
        raise ReseauError("figures.needs_conv", figure=figure, sizes="-".join(map(str, network.sizes)))
    return network


# --------------------------------------------------------------------------
# 1. The sigmoid, as the document draws it for three (w, b)
# --------------------------------------------------------------------------


def sigmoid_figure(
    cases: Sequence[tuple[float, float]] = DOCUMENT_SIGMOIDS,
    x_range: tuple[float, float] = (-10.0, 10.0),
    points: int = 401,
) -> Figure:
    """σ(w·x + b) for each ``(w, b)``, one panel each, titled with w and b as the document writes them."""
    x = np.linspace(*x_range, points)  # (points,)
    cols = min(len(cases), 3)
    rows = math.ceil(len(cases) / cols)
    fig = Figure(figsize=(4.2 * cols, 3.2 * rows + 1.0), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, sharey=True)
    for ax, (w, b) in zip(axes.flat, cases):
        _sigmoid_panel(ax, x, float(w), float(b))
    for ax in axes.flat[len(cases) :]:
        ax.set_visible(False)
    fig.suptitle(t("figures.sigmoid.title"), fontsize=13)
    _caption(fig, "figures.sigmoid.caption")
    return fig


def _sigmoid_panel(ax, x: np.ndarray, w: float, b: float) -> None:
    ax.set_label("sigmoid")
    ax.axhline(0.5, color="#bbbbbb", lw=0.8, ls=":")
    ax.axvline(0.0, color="#bbbbbb", lw=0.8)
    ax.plot(x, sigmoid(w * x + b), color=CURVE, lw=2.2, label="curve")  # (points,)
    if w != 0 and x[0] <= -b / w <= x[-1]:
        ax.plot([-b / w], [0.5], "o", color=HIGHLIGHT, ms=5, label="middle")
        middle = _signed(format_number(-b / w + 0.0, 2))  # + 0.0: no "-0.00"
        left = -b / w > (x[0] + x[-1]) / 2  # on the right half, write the note to the left of the dot
        ax.annotate(
            t("figures.sigmoid.middle", x=middle),
            (-b / w, 0.5),
            xytext=(-6 if left else 6, -14),
            textcoords="offset points",
            fontsize=8,
            color=HIGHLIGHT,
            ha="right" if left else "left",
        )
    ax.set_title(t("figures.sigmoid.panel", w=w, b=b), fontsize=12)
    ax.set_xlabel("x")
    ax.set_ylabel("σ(w·x + b)")
    ax.set_ylim(-0.04, 1.04)
    ax.xaxis.set_major_formatter(DecimalTicks())
    ax.yaxis.set_major_formatter(DecimalTicks())
    ax.grid(alpha=0.25)


# --------------------------------------------------------------------------
# 2. The sheet of digits
# --------------------------------------------------------------------------


def pick_per_class(labels: np.ndarray, per_class: int, seed: int = 0, n_classes: int = 10) -> np.ndarray:
    """Indices of ``per_class`` random examples of each class: ``(n_classes, per_class)``."""
    digits = as_digits(labels)
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_classes):
        members = np.flatnonzero(digits == c)
        if len(members) < per_class:
            raise ValueError(f"class {c} has {len(members)} examples, fewer than {per_class}")
        rows.append(rng.choice(members, size=per_class, replace=False))
    return np.stack(rows)


def mosaic(tiles: np.ndarray, gap: int = 2, fill: float = 0.12) -> np.ndarray:
    """Tiles ``(rows, cols, s, s)`` -> one image ``(rows*(s+gap)-gap, cols*(s+gap)-gap)``.

    The ``gap`` pixels between tiles are ``fill``: light grey lines with the ``Greys`` colour map.
    """
    rows, cols, s, _ = tiles.shape
    sheet = np.full((rows * (s + gap) - gap, cols * (s + gap) - gap), fill)
    for r in range(rows):
        for c in range(cols):
            sheet[r * (s + gap) : r * (s + gap) + s, c * (s + gap) : c * (s + gap) + s] = tiles[r, c]
    return sheet


def digits_figure(
    images: np.ndarray,
    labels: np.ndarray,
    per_digit: int = 16,
    seed: int = 0,
    dataset: str = "mnist",
    split: str = "train",
) -> Figure:
    """The document's sheet: one row per class, ``per_digit`` real examples each, drawn with ``seed``."""
    chosen = pick_per_class(labels, per_digit, seed)  # (10, per_digit)
    sheet = mosaic(as_squares(images[chosen.reshape(-1)]).reshape(10, per_digit, SIDE, SIDE))
    tile = min(0.5, 20.0 / per_digit)  # inches per image, so 40 per row still fit a wide screen
    fig = Figure(figsize=(max(8.5, 1.5 + tile * per_digit), 1.6 + 10 * tile), layout="constrained")
    ax = fig.subplots()
    ax.set_label("digits")
    ax.imshow(sheet, cmap=INK, vmin=0, vmax=1, interpolation="nearest")
    ax.set_yticks((np.arange(10) + 0.5) * (SIDE + 2) - 1.5, class_names(dataset), fontsize=11)
    ax.set_xticks([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    key = "figures.digits.title" if per_digit > 1 else "figures.digits.title_one"
    ax.set_title(t(key, dataset=t(f"figures.dataset.{dataset}"), per=per_digit, seed=seed), fontsize=13)
    _caption(fig, "figures.digits.caption", n=format_count(len(images)), images=t(f"figures.images_of.{split}"))
    fig.reseau_chosen = chosen  # type: ignore[attr-defined]  # which images were drawn, for whoever wants to know
    return fig


# --------------------------------------------------------------------------
# 3. What goes in: one image as numbers, its label as a one-hot vector
# --------------------------------------------------------------------------


def sample_figure(
    image: np.ndarray, label: np.ndarray, index: int, split: str = "train", n_images: int = 60000
) -> Figure:
    """One image ``(784,)`` in [0, 1] as 28x28 grey levels 0-255, its one-hot ``label (10,)`` and its row."""
    grey = np.rint(np.asarray(image, dtype=np.float64).reshape(SIDE, SIDE) * 255).astype(int)  # (28, 28)
    label = np.asarray(label)
    fig = Figure(figsize=(12.5, 11.5), layout="constrained")
    axes = fig.subplot_mosaic(
        [["pixels", "onehot"], ["strip", "strip"]], width_ratios=[5.2, 1.3], height_ratios=[12, 1]
    )
    _pixel_grid(axes["pixels"], grey)
    _onehot_column(axes["onehot"], label, index, n_images)
    _row_strip(axes["strip"], image, index, n_images)
    fig.suptitle(t("figures.sample.title", index=index, split=t(f"figures.split.{split}")), fontsize=14)
    _caption(fig, "figures.sample.caption", images=f"({n_images}, 784)", labels=f"({n_images}, 10)")
    return fig


def _pixel_grid(ax, grey: np.ndarray) -> None:
    """The 28x28 grey levels, each written in its cell (white on dark, black on light)."""
    ax.set_label("pixels")
    ax.imshow(grey, cmap=INK, vmin=0, vmax=255, interpolation="nearest")
    for (r, c), value in np.ndenumerate(grey):
        color = "white" if value > 128 else ("#c8c8c8" if value == 0 else "black")
        ax.text(c, r, str(value), ha="center", va="center", fontsize=5.6, color=color)
    ax.set_xticks(range(0, SIDE, 4))
    ax.set_yticks(range(0, SIDE, 4))
    ax.tick_params(labelsize=8)
    ax.set_title(t("figures.sample.pixels"), fontsize=11)


def _onehot_column(ax, label: np.ndarray, index: int, n_images: int) -> None:
    """The label as the document stores it: a column of ten 0/1, the 1 at the digit."""
    ax.set_label("onehot")
    column = label.reshape(10, 1)  # (10,) -> (10, 1)
    ax.imshow(column, cmap="Reds", vmin=0, vmax=1.6, aspect="auto")
    for k, value in enumerate(column[:, 0]):
        ax.text(0, k, str(int(value)), ha="center", va="center", fontsize=12, fontweight="bold" if value else "normal")
    ax.set_yticks(range(10), [str(k) for k in range(10)])
    ax.set_xticks([])
    ax.set_title(
        t("figures.sample.onehot", index=index, label=int(np.argmax(label)), shape=f"({n_images}, 10)"), fontsize=10
    )


def _row_strip(ax, image: np.ndarray, index: int, n_images: int) -> None:
    """The image as the network receives it: one row of 784 numbers between 0 and 1."""
    ax.set_label("strip")
    ax.imshow(np.asarray(image).reshape(1, -1), cmap=INK, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_yticks([])
    ax.set_xticks([0, 195, 391, 587, 783])
    ax.tick_params(labelsize=8)
    ax.set_title(t("figures.sample.strip", index=index, shape=f"({n_images}, 784)"), fontsize=10)


# --------------------------------------------------------------------------
# 4. The network, drawn as layers
# --------------------------------------------------------------------------


def input_importance(network: Network, pixel_mean: np.ndarray | None = None) -> np.ndarray:
    """How much each input feeds the first layer: ``Σ|w|`` over its weights, ``(784,)``.

    With ``pixel_mean (784,)`` (the mean of each pixel over the images) it is
    ``mean × Σ|w|``, the signal that really flows through the pixel: a border
    pixel is always 0, so its weights, still the random ones, never matter.
    """
    importance = np.abs(network.weights[0]).sum(axis=0)  # (n_hidden, 784) -> (784,)
    return importance if pixel_mean is None else importance * np.asarray(pixel_mean).reshape(-1)


def shown_neurons(
    network: Network, max_inputs: int = 16, max_hidden: int = 32, pixel_mean: np.ndarray | None = None
) -> list[np.ndarray]:
    """The neurons drawn in each layer: all of a small layer, else the most important ones.

    Inputs are ranked by :func:`input_importance`, hidden neurons by the sum
    of |weights| into and out of them; indices are returned in order.
    """
    sizes = network.sizes
    shown = []
    for k, n in enumerate(sizes):
        limit = max_inputs if k == 0 else max_hidden
        if n <= limit:
            shown.append(np.arange(n))
            continue
        if k == 0:
            strength = input_importance(network, pixel_mean)
        else:
            strength = np.abs(network.weights[k - 1]).sum(axis=1)  # incoming: (n, n_prev) -> (n,)
            if k < len(sizes) - 1:
                strength += np.abs(network.weights[k]).sum(axis=0)  # outgoing: (n_next, n) -> (n,)
        shown.append(np.sort(np.argsort(strength, kind="stable")[-limit:]))
    return shown


def network_figure(
    network: Network | ConvNetwork,
    pixel_mean: np.ndarray | None = None,
    max_inputs: int = 16,
    max_hidden: int = 32,
    dataset: str = "mnist",
) -> Figure:
    """Layers as columns of neurons, connections coloured by the trained weights (a readable subset).

    ``pixel_mean (784,)``, the mean image of the training set, chooses the
    inputs drawn by the signal they carry (see :func:`input_importance`).
    """
    network = layers_only(network, "network")
    shown = shown_neurons(network, max_inputs, max_hidden, pixel_mean)
    fig = Figure(figsize=(13, 8.5), layout="constrained")
    ax_imp, ax = fig.subplots(1, 2, width_ratios=[1, 4.2])
    ax.set_label("network")
    ys = [(len(s) - 1) / 2 - np.arange(len(s)) for s in shown]  # neuron heights, centred on 0
    for k, w in enumerate(network.weights):
        _draw_connections(ax, 3 * k, ys[k], 3 * (k + 1), ys[k + 1], w[np.ix_(shown[k + 1], shown[k])])
    for k, y in enumerate(ys):
        ax.scatter(
            np.full(len(y), 3.0 * k),
            y,
            s=110 if len(y) <= 20 else 60,
            facecolor="white",
            edgecolor="#333333",
            linewidth=1.2,
            zorder=3,
            label=f"layer {k}",
        )
    _label_layers(ax, network, shown, ys, dataset)
    ax.set_axis_off()
    _importance_map(ax_imp, network, shown[0], pixel_mean)
    bar = fig.colorbar(ScalarMappable(Normalize(-1, 1), DIVERGING), ax=ax, shrink=0.5, ticks=[-1, 0, 1])
    bar.ax.set_yticklabels(["−max", "0", "+max"])
    bar.set_label(t("figures.network.weight"))
    fig.suptitle(t("figures.network.title", sizes=" → ".join(str(n) for n in network.sizes)), fontsize=14)
    _caption(fig, "figures.network.caption")
    return fig


def _draw_connections(ax, x0: float, y0: np.ndarray, x1: float, y1: np.ndarray, w: np.ndarray) -> None:
    """Lines from every drawn neuron at ``x0`` to every one at ``x1``; ``w`` is ``(len(y1), len(y0))``."""
    strength = np.abs(w) / max(np.abs(w).max(), 1e-12)  # (n1, n0) in [0, 1], this layer's own scale
    order = np.argsort(strength, axis=None)  # weak lines first, strong ones drawn on top
    i, j = np.unravel_index(order, w.shape)
    segments = np.stack(
        [np.stack([np.full(len(j), x0), y0[j]], 1), np.stack([np.full(len(i), x1), y1[i]], 1)], axis=1
    )  # (n_lines, 2 ends, 2 coords)
    colors = matplotlib.colormaps[DIVERGING](0.5 + 0.5 * (w[i, j] / max(np.abs(w).max(), 1e-12)))
    colors[:, 3] = 0.12 + 0.88 * strength[i, j]
    ax.add_collection(
        LineCollection(
            list(segments), colors=colors, linewidths=0.3 + 2.2 * strength[i, j], zorder=1, label="connections"
        )
    )


def _label_layers(ax, network: Network, shown: list[np.ndarray], ys: list[np.ndarray], dataset: str) -> None:
    """Names under each column, pixel coordinates beside the inputs, class names beside the outputs."""
    sizes, last = network.sizes, len(network.sizes) - 1
    bottom = min(y.min() for y in ys) - 1.0
    for k, n in enumerate(sizes):
        if k == 0:
            text = t("figures.network.input", n=n)
        elif k == last:
            text = t("figures.network.output", n=n, act=network.activations[-1])
        else:
            text = t("figures.network.hidden", n=n, act=network.activations[k - 1])
        if len(shown[k]) < n:
            text += "\n" + t("figures.network.shown", shown=len(shown[k]), n=n)
        ax.text(3 * k, bottom, text, ha="center", va="top", fontsize=10)
    side = image_side(sizes[0])
    for pixel, y in zip(shown[0], ys[0]):
        ax.text(-0.3, y, f"({pixel // side}, {pixel % side})", ha="right", va="center", fontsize=7, color="#555555")
    names = class_names(dataset) if sizes[-1] == 10 else [str(k) for k in range(sizes[-1])]
    for k, y in zip(shown[-1], ys[-1]):
        ax.text(3 * last + 0.3, y, names[k], ha="left", va="center", fontsize=10)
    top = max(y.max() for y in ys) + 0.8
    ax.set_xlim(-1.8, 3 * last + 1.8)
    ax.set_ylim(bottom - 2.2, top)


def _importance_map(ax, network: Network, pixels: np.ndarray, pixel_mean: np.ndarray | None) -> None:
    """The importance of each input pixel as an image, with the drawn pixels marked."""
    ax.set_label("importance")
    side = image_side(network.sizes[0])
    importance = input_importance(network, pixel_mean).reshape(side, side)  # (784,) -> (28, 28)
    ax.imshow(importance, cmap="viridis", interpolation="nearest")
    ax.scatter(pixels % side, pixels // side, s=14, color=HIGHLIGHT, edgecolor="white", linewidth=0.5)
    _hide_ticks(ax)
    key = "figures.network.importance" if pixel_mean is None else "figures.network.signal"
    ax.set_title(t(key, shown=len(pixels)), fontsize=9)


# --------------------------------------------------------------------------
# 5. What each hidden neuron looks for
# --------------------------------------------------------------------------


def neurons_figure(network: Network | ConvNetwork, max_tiles: int = 64) -> Figure:
    """The first layer's weights ``weights[0] (n_hidden, 784)`` as 28x28 images, zero in white."""
    w = layers_only(network, "neurons").weights[0]  # (n_hidden, 784): w_i_h for the document's network
    side = image_side(w.shape[1])
    tiles = w[:max_tiles].reshape(-1, side, side)  # (n, 28, 28)
    fig = weight_tiles(tiles, "neuron", "figures.neurons.tile", (1.7, 1.8, 0.0))
    title = t("figures.neurons.title", n_in=w.shape[1], side=side)
    if len(tiles) < len(w):
        title += " " + t("figures.neurons.shown", shown=len(tiles), n=len(w))
    fig.suptitle(title, fontsize=13)
    _caption(fig, "figures.neurons.caption")
    return fig


def weight_tiles(tiles: np.ndarray, label: str, tile_key: str, inches: tuple[float, float, float]) -> Figure:
    """Weights ``tiles (n, s, s)`` as a grid of images on one symmetric red/blue scale (zero is white, so
    the tiles compare), with its colour bar; ``inches`` are the width and height of a tile, and the least
    width of the figure (its title must fit)."""
    n = len(tiles)
    rows, cols = grid_shape(n)
    limit = float(np.abs(tiles).max()) or 1.0
    fig = Figure(figsize=(max(inches[0] * cols + 1.4, inches[2]), inches[1] * rows + 1.3), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_visible(False)
            continue
        ax.set_label(label)
        image = ax.imshow(tiles[k], cmap=DIVERGING, vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_title(t(tile_key, k=k), fontsize=9 if tiles.shape[1] > 8 else 8)
        _hide_ticks(ax)
    fig.colorbar(image, ax=axes, shrink=0.6, label=t("figures.neurons.colorbar"), format=DecimalTicks())
    return fig


# --------------------------------------------------------------------------
# 6. One prediction, layer by layer
# --------------------------------------------------------------------------


def forward_figure(
    network: Network | ConvNetwork,
    image: np.ndarray,
    index: int,
    label: int | None = None,
    split: str = "train",
    dataset: str = "mnist",
) -> Figure:
    """The image, then the values of every layer (``h``, ..., ``o``) as bars, the chosen output in red."""
    network = layers_only(network, "forward")
    values = [v[0] for v in network.layer_outputs(np.asarray(image).reshape(1, -1))]  # [(20,), (10,)]
    names = class_names(dataset) if len(values[-1]) == 10 else [str(k) for k in range(len(values[-1]))]
    chosen = int(np.argmax(values[-1]))
    widths = [1.3] + [min(max(len(v) / 10, 1.0), 3.0) for v in values]
    fig = Figure(figsize=(min(3.6 + 3.6 * sum(widths[1:]), 18.0), 4.8), layout="constrained")
    axes = fig.subplots(1, len(widths), width_ratios=widths)
    axes[0].imshow(np.asarray(image).reshape(SIDE, SIDE), cmap=INK, vmin=0, vmax=1)
    axes[0].set_title(t("figures.forward.image", n=np.asarray(image).size), fontsize=10)
    if label is not None:
        axes[0].set_xlabel(
            t(
                "figures.subtitle",
                index=index,
                split=t(f"figures.split.{split}"),
                label=names[label] if label < len(names) else label,
            ),
            fontsize=9,
        )
    _hide_ticks(axes[0])
    for k, (ax, v) in enumerate(zip(axes[1:], values)):
        _layer_bars(ax, v, network, k, chosen if k == len(values) - 1 else None, names)
    fig.suptitle(t("figures.forward.title", name=names[chosen]), fontsize=13)
    _caption(
        fig, "figures.forward.caption" if dataset == "mnist" else "figures.forward.caption_class", chain=_chain(network)
    )
    return fig


def _is_document_shape(network: Network) -> bool:
    return len(network.weights) == 2 and network.activations == ["sigmoid", "sigmoid"]


def _layer_title(network: Network, k: int) -> str:
    last = len(network.weights) - 1
    n, act = network.sizes[k + 1], network.activations[k]
    if _is_document_shape(network):
        return t("figures.forward.o_doc" if k == last else "figures.forward.h_doc")
    if k == last:
        return t("figures.forward.output", n=n, act=act)
    return t("figures.forward.hidden", k=k + 1, n=n, act=act)


def _layer_bars(ax, v: np.ndarray, network: Network, k: int, chosen: int | None, names: list[str]) -> None:
    """One layer's values as bars; on the output layer the chosen class is red and its value written."""
    ax.set_label("layer")
    colors = [HIGHLIGHT if i == chosen else (BAR if chosen is not None else CURVE) for i in range(len(v))]
    ax.bar(range(len(v)), v, color=colors, width=0.8)
    if network.activations[k] in ("sigmoid", "softmax"):
        ax.set_ylim(0, 1.08)
    ax.axhline(0, color="#333333", lw=0.6)
    if chosen is not None:
        rotate = max(map(len, names)) > 2
        ax.set_xticks(
            range(len(v)),
            names,
            rotation=45 if rotate else 0,
            ha="right" if rotate else "center",
            rotation_mode="anchor",
        )
        ax.text(
            chosen,
            v[chosen],
            format_number(v[chosen], 2),
            ha="center",
            va="bottom",
            color=HIGHLIGHT,
            fontsize=9,
            fontweight="bold",
        )
    elif len(v) <= 32:
        ax.set_xticks(range(len(v)))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel(t("figures.forward.neuron"), fontsize=9)
    ax.yaxis.set_major_formatter(DecimalTicks())
    ax.set_title(_layer_title(network, k), fontsize=10)
    ax.grid(axis="y", alpha=0.25)


def _chain(network: Network) -> str:
    """``img (784) → h (20) → o (10)``: the names and sizes of the values computed in turn."""
    hidden = len(network.weights) - 1
    names = ["img"] + (["h"] if hidden == 1 else [f"h{k + 1}" for k in range(hidden)]) + ["o"]
    return " → ".join(f"{name} ({n})" for name, n in zip(names, network.sizes))


# --------------------------------------------------------------------------
# 6b. A convolutional network: its kernels, and what its convolutions see
# --------------------------------------------------------------------------


def filters_figure(network: Network | ConvNetwork, max_tiles: int = 64) -> Figure:
    """The kernels of the first convolution ``(filters, k, k, 1)`` as small k x k images, zero in white.

    The colours are the neurons figure's: red a positive weight, blue a
    negative one, one symmetric scale for all, so the kernels compare.
    """
    kernels = convolutional_only(network, "filters").filters(0)[..., 0]  # (filters, k, k): one grey channel in
    k = kernels.shape[1]
    fig = weight_tiles(kernels[:max_tiles], "filter", "figures.filters.tile", (1.25, 1.35, 9.5))  # the title fits
    title = t("figures.filters.title", n=len(kernels), k=k)
    if max_tiles < len(kernels):
        title += " " + t("figures.neurons.shown", shown=max_tiles, n=len(kernels))
    fig.suptitle(title, fontsize=13)
    _caption(fig, "figures.filters.caption", k=k)
    return fig


def feature_maps_figure(
    network: Network | ConvNetwork,
    image: np.ndarray,
    index: int,
    label: int | None = None,
    split: str = "train",
    dataset: str = "mnist",
    blocks: int = 2,
) -> Figure:
    """One image ``(784,)`` and what each of the first ``blocks`` convolution blocks sees in it: one grey
    map per filter (after pooling and ReLU), black where the filter finds its pattern, one scale per block."""
    network = convolutional_only(network, "feature-maps")
    n_blocks = min(blocks, sum(item["type"] == "conv" for item in network.spec))
    maps = [network.feature_maps(image, b) for b in range(n_blocks)]  # [(12, 12, 32), (4, 4, 64)]
    grids = [map_grid(m.shape[2]) for m in maps]  # (rows, cols) of each block
    width = 13.0 if max(cols for _, cols in grids) > 6 else 9.0
    tile = (width * 0.78) / np.array([cols for _, cols in grids])  # inches per map, each block filling the width
    heights = [rows * size + 0.5 for (rows, _), size in zip(grids, tile)]  # + the block's title
    fig = Figure(figsize=(width, sum(heights) + 1.6), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[1, 4])  # type: ignore[misc]  # (2,) array of SubFigures
    names = class_names(dataset)
    chosen = int(network.forward(np.asarray(image).reshape(-1)).argmax())
    _input_panel(left, image, index, label, split, names, chosen)
    panels = np.atleast_1d(right.subfigures(n_blocks, 1, height_ratios=heights))
    for block, (subfig, m, grid) in enumerate(zip(panels, maps, grids)):
        _maps_panel(subfig, m, grid, block, network)
    fig.suptitle(t("figures.maps.title", index=index, split=t(f"figures.split.{split}")), fontsize=13)
    _caption(fig, "figures.maps.caption")
    return fig


def map_grid(n: int) -> tuple[int, int]:
    """Rows and columns for ``n`` feature maps: 8 a row (16 when there are many small ones)."""
    cols = min(n, 16 if n > 32 else 8)
    return math.ceil(n / cols), cols


def _input_panel(subfig, image: np.ndarray, index: int, label, split: str, names: list[str], chosen: int) -> None:
    ax = subfig.subplots()
    ax.set_label("image")
    ax.imshow(np.asarray(image).reshape(SIDE, SIDE), cmap=INK, vmin=0, vmax=1)
    _hide_ticks(ax)
    where = t("figures.maps.input", index=index, split=t(f"figures.split.{split}"))
    if label is not None:
        where += "\n" + t("figures.maps.label", label=names[label])
    ax.set_title(where, fontsize=9)
    ax.set_xlabel(t("figures.maps.answer", name=names[chosen]), fontsize=10, color=HIGHLIGHT)


def _maps_panel(subfig, maps: np.ndarray, grid: tuple[int, int], block: int, network: ConvNetwork) -> None:
    """The maps ``(h, w, filters)`` of one block as a grid of grey images on the block's own scale."""
    h, w, n = maps.shape
    top = float(maps.max()) or 1.0
    axes = subfig.subplots(*grid, squeeze=False)
    for j, ax in enumerate(axes.flat):
        if j >= n:
            ax.set_visible(False)
            continue
        ax.set_label("map")
        ax.imshow(maps[:, :, j], cmap=INK, vmin=0, vmax=top, interpolation="nearest")
        _hide_ticks(ax)
    subfig.suptitle(
        t("figures.maps.block", block=block + 1, n=n, h=h, w=w, steps=block_steps(network, block)), fontsize=10
    )


def block_steps(network: ConvNetwork, block: int) -> str:
    """What the convolution block ``block`` does, in words: "convolution 5 × 5, pooling 2 × 2, ReLU"."""
    names = [item["name"] for item in network.spec]
    first, last = names.index(f"conv{block}"), names.index(f"relu{block}")
    return ", ".join(t(f"figures.maps.{item['type']}", k=item.get("k")) for item in network.spec[first : last + 1])


# --------------------------------------------------------------------------
# 7. Learning curves, from the history saved with the model
# --------------------------------------------------------------------------

SERIES = (  # EpochReport fields that hold an accuracy in %, in the order drawn
    ("precision", "o-", CURVE),
    ("val_accuracy", "s--", "#ff7f0e"),
    ("test_accuracy", "s-", "#2ca02c"),
)


def _reports(history: History | Sequence[EpochReport]) -> Sequence[EpochReport]:
    return history.epochs if isinstance(history, History) else history


def has_curves(history: History | Sequence[EpochReport]) -> bool:
    """Whether a history (or its list of :class:`EpochReport`) holds at least one accuracy to draw."""
    return any(getattr(e, key) is not None for e in _reports(history) for key, _, _ in SERIES)


def curves_figure(
    history: History | Sequence[EpochReport], sizes: Sequence[int] | None = None, config: Config | None = None
) -> Figure:
    """Accuracy per epoch: the document's training "Précision" and the test accuracy.

    ``history`` is the one saved with the model (``model.info.history``) or its
    epochs; the validation accuracy, when the trainer measured one, is drawn too.
    ``sizes`` and ``config`` (the network's and its training's) make the subtitle.
    Epochs are numbered as the training printed them (:attr:`EpochReport.number`).
    When the legend gives values, they are those of the epoch whose network was
    kept (a :class:`History` says which: the best validation epoch of a modern
    training), the numbers ``reseau train`` printed, and that epoch is marked.
    """
    epochs = _reports(history)
    if not has_curves(epochs):
        raise ValueError("no accuracy in this history")
    kept = history.best if isinstance(history, History) else None
    fig = Figure(figsize=(9, 5.6), layout="constrained")
    ax = fig.subplots()
    ax.set_label("curves")
    series = [s for s in SERIES if any(getattr(e, s[0]) is not None for e in epochs)]
    write_points = len(series) <= 2 and len(epochs) <= 12  # more would write over each other
    for key, style, color in series:
        x, y = zip(*[(e.number, getattr(e, key)) for e in epochs if getattr(e, key) is not None])
        label = _series_label(key, epochs)
        ax.plot(x, y, style, color=color, lw=2, ms=6 if len(x) <= 30 else 0, label=label)
        if write_points:
            for xi, yi, above in zip(x, y, _label_above(epochs, key)):
                ax.annotate(
                    format_number(yi, 2),
                    (xi, yi),
                    xytext=(0, 8 if above else -9),
                    textcoords="offset points",
                    ha="center",
                    va="bottom" if above else "top",
                    fontsize=8,
                    color=color,
                )
        elif kept is not None and getattr(kept, key) is not None:
            value = float(getattr(kept, key))
            ax.lines[-1].set_label(t("figures.curves.kept", label=label, epoch=kept.number, value=value))
        else:
            ax.lines[-1].set_label(t("figures.curves.last", label=label, value=float(y[-1])))
    if kept is not None and kept is not epochs[-1]:  # an earlier epoch's network was kept: show which
        ax.axvline(kept.number, color="#777777", ls=":", lw=1.5, label=t("figures.curves.kept_line", epoch=kept.number))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(DecimalTicks())
    ax.set_xlabel(t("figures.curves.xlabel"))
    ax.set_ylabel(t("figures.curves.ylabel"))
    ax.margins(x=0.08, y=0.15)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    ax.set_title(_curves_subtitle(sizes, config), fontsize=10, color="#444444")
    fig.suptitle(t("figures.curves.title"), fontsize=14)
    _caption(fig, "figures.curves.caption")
    return fig


def _series_label(key: str, epochs: Sequence[EpochReport]) -> str:
    """The legend of one curve: the training accuracy is the document's "Précision" only for its trainer."""
    if key == "precision" and not all(e.from_document for e in epochs):
        return t("figures.curves.precision_modern")
    return t(f"figures.curves.{key}")


def _label_above(epochs: Sequence[EpochReport], key: str) -> list[bool]:
    """For each epoch where ``key`` was measured: write its value above the point if it is the
    higher one there, below otherwise, so two close curves do not write over each other."""
    above = []
    for e in epochs:
        value = getattr(e, key)
        if value is None:
            continue
        others = [getattr(e, k) for k, _, _ in SERIES if k != key and getattr(e, k) is not None]
        above.append(not others or value >= max(others))
    return above


def _curves_subtitle(sizes: Sequence[int] | None, config: Config | None) -> str:
    if sizes is None or config is None:
        return ""
    if config.mode == "cnn":  # its sizes say nothing of its convolutions
        conv = "-".join(map(str, config.conv))  # type: ignore[attr-defined]  # a CNNConfig
        return t("figures.curves.subtitle_cnn", conv=conv, lr=float(config.learn_rate), seed=config.seed)
    return t("figures.curves.subtitle", sizes="-".join(map(str, sizes)), lr=float(config.learn_rate), seed=config.seed)


# --------------------------------------------------------------------------
# 8. Confusion matrix and the most confident mistakes
# --------------------------------------------------------------------------


def confusion_matrix(true: np.ndarray, pred: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """Counts ``(n_classes, n_classes)``: row = true class, column = predicted class."""
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (true, pred), 1)
    return matrix


def most_confident_mistakes(outputs: np.ndarray, true: np.ndarray, count: int) -> np.ndarray:
    """Rows of ``outputs (n, k)`` answered wrong, largest output value first; at most ``count``."""
    pred = outputs.argmax(axis=1)  # (n,)
    wrong = np.flatnonzero(pred != true)
    confidence = outputs[wrong, pred[wrong]]  # the output value of the chosen (wrong) class
    return wrong[np.argsort(-confidence, kind="stable")][:count]


def errors_figure(
    network: Network | ConvNetwork, images: np.ndarray, labels: np.ndarray, n_mistakes: int = 24, dataset: str = "mnist"
) -> Figure:
    """Confusion matrix on ``images (n, 784)`` and a grid of the most confident wrong answers."""
    outputs = network.forward(images)  # (n, 784) -> (n, 10)
    true, pred = as_digits(labels), outputs.argmax(axis=1)
    matrix = confusion_matrix(true, pred, outputs.shape[1])
    names = class_names(dataset)
    fig = Figure(figsize=(17, 8), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[1, 1.25])  # type: ignore[misc]  # (2,) array of SubFigures
    _draw_confusion(left, matrix, names)
    _draw_mistakes(right, images, true, outputs, most_confident_mistakes(outputs, true, n_mistakes), names)
    accuracy = 100 * float(np.trace(matrix)) / len(true)
    fig.suptitle(t("figures.errors.title", n=format_count(len(true)), accuracy=accuracy), fontsize=14)
    _caption(fig, "figures.errors.caption")
    return fig


def _draw_confusion(subfig, matrix: np.ndarray, names: list[str]) -> None:
    """The matrix with its counts: mistakes in shades of red, the diagonal (right answers) in green."""
    ax = subfig.subplots()
    ax.set_label("confusion")
    off = matrix * (1 - np.eye(len(matrix), dtype=matrix.dtype))  # mistakes only
    norm = Normalize(0, max(int(off.max()), 1))
    rgba = matplotlib.colormaps["Reds"](norm(off))  # (k, k, 4)
    rgba[np.diag_indices(len(matrix))] = matplotlib.colors.to_rgba(CORRECT)
    ax.imshow(rgba, interpolation="nearest")
    for (r, c), count in np.ndenumerate(matrix):
        dark = r != c and norm(count) > 0.6
        ax.text(
            c,
            r,
            str(count),
            ha="center",
            va="center",
            fontsize=9,
            color="white" if dark else "black",
            fontweight="bold" if r == c else "normal",
        )
    rotate = max(map(len, names)) > 2
    ax.set_xticks(
        range(len(names)),
        names,
        rotation=45 if rotate else 0,
        ha="right" if rotate else "center",
        rotation_mode="anchor",
    )
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel(t("figures.errors.predicted"))
    ax.set_ylabel(t("figures.errors.true"))
    ax.set_title(t("figures.errors.confusion"), fontsize=12)
    subfig.colorbar(ScalarMappable(norm, "Reds"), ax=ax, shrink=0.7)


def _draw_mistakes(
    subfig, images: np.ndarray, true: np.ndarray, outputs: np.ndarray, chosen: np.ndarray, names: list[str]
) -> None:
    """A grid of the chosen wrong answers, each titled "vrai X / prédit Y" with its output value."""
    wrong = int(np.sum(outputs.argmax(axis=1) != true))
    subfig.suptitle(t("figures.errors.mistakes", n=len(chosen), wrong=format_count(wrong)), fontsize=12)
    if len(chosen) == 0:
        ax = subfig.subplots()
        ax.text(0.5, 0.5, t("figures.errors.none"), ha="center", va="center", fontsize=16)
        ax.set_axis_off()
        return
    cols = min(len(chosen), 6)
    axes = subfig.subplots(math.ceil(len(chosen) / cols), cols, squeeze=False)
    squares = as_squares(images[chosen])  # (m, 28, 28)
    key = "figures.errors.tile" if max(map(len, names)) <= 2 else "figures.errors.tile_long"
    for k, ax in enumerate(axes.flat):
        if k >= len(chosen):
            ax.set_visible(False)
            continue
        row, pred = chosen[k], int(outputs[chosen[k]].argmax())
        ax.set_label("mistake")
        ax.imshow(squares[k], cmap=INK, vmin=0, vmax=1)
        ax.set_title(t(key, true=names[true[row]], pred=names[pred], value=float(outputs[row, pred])), fontsize=8)
        _hide_ticks(ax)


# --------------------------------------------------------------------------
# The document's inference picture (used by ``reseau predict``)
# --------------------------------------------------------------------------


def prediction_figure(
    image: np.ndarray, outputs: np.ndarray, index: int, label: int, split: str = "train", dataset: str = "mnist"
) -> Figure:
    """The document's inference picture: the image titled with the recognised class, and ``o``.

    ``image`` is ``(784,)`` in [0, 1], ``outputs`` the network's 10 values ``o``.
    The document's sentence is the figure's title, over both panels, so it
    is never cut however long it is in the chosen language.  A digit is named
    as the document names it ("le chiffre 3"); a class of another dataset by
    its name ("Bottine (classe 9)").
    """
    digit = int(np.argmax(outputs))
    names = class_names(dataset)
    fig = Figure(figsize=(8, 4.3), layout="constrained")
    ax_img, ax_out = fig.subplots(1, 2, width_ratios=[1, 1.2])
    ax_img.imshow(image.reshape(28, 28), cmap="Greys")  # the document's cmap="Greys"
    shown = label if dataset == "mnist" else t("predict.label_class", name=names[label], label=label)
    ax_img.set_title(t("figures.subtitle", index=index, split=t(f"figures.split.{split}"), label=shown), fontsize=10)
    _hide_ticks(ax_img)
    colors = [HIGHLIGHT if d == digit else BAR for d in range(10)]
    ax_out.bar(range(10), outputs, color=colors)
    if dataset == "mnist":
        ax_out.set_xticks(range(10))
    else:  # clothes: their names, slanted so they fit
        ax_out.set_xticks(range(10), names, rotation=45, ha="right", fontsize=8)
    ax_out.set_ylim(0, 1)
    ax_out.yaxis.set_major_formatter(DecimalTicks())
    ax_out.set_title(t("predict.outputs"), fontsize=10)
    fig.suptitle(recognised_title(digit, dataset), fontsize=13)
    return fig


def recognised_title(k: int, dataset: str = "mnist") -> str:
    """What the network recognised, in a sentence: the document's "le chiffre 3", or "Bottine (classe 9)"."""
    if dataset == "mnist":
        return t("predict.title", digit=k)
    return t("predict.title_class", name=in_sentence(class_names(dataset)[k]), digit=k)


def in_sentence(name: str) -> str:
    """A class name inside a sentence: ``"Bottine"`` -> ``"bottine"`` (only the first letter changes)."""
    return name[:1].lower() + name[1:]


# --------------------------------------------------------------------------
# 9. One learning step, number by number (reseau.explain)
# --------------------------------------------------------------------------

TOO_LARGE = "#d62728"  # delta > 0: the output (or the neuron) was too large, the step lowers it
TOO_SMALL = "#1f77b4"  # delta < 0: too small, the step raises it


def _number(x: float, digits: int = 4, sign: bool = False) -> str:
    """``x`` as the user's language writes it, with a true minus sign (and a plus sign when ``sign``)."""
    text = _signed(format_number(float(x) + 0.0, digits))
    return "+" + text if sign and not text.startswith("\u2212") else text


def backprop_figure(step: Step, index: int, split: str = "train") -> Figure:
    """One step of the document on one image: the image, ``h`` and ``o`` before, ``delta_o``, ``delta_h``,
    ``o`` after, and the change to ``w_i_h`` as one 28x28 image per hidden neuron (which pixels its weights
    moved on: the image itself, times ``-learn_rate * delta_h[j]``)."""
    fig = Figure(figsize=(16, 9.6), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.05])  # type: ignore[misc]
    axes = top.subplots(1, 6, width_ratios=[1.1, 2.3, 1.3, 1.3, 2.3, 1.3])
    axes[0].set_label("image")
    axes[0].imshow(np.asarray(step.img).reshape(SIDE, SIDE), cmap=INK, vmin=0, vmax=1)
    axes[0].set_title(
        t("explain.fig.image", index=index, split=t(f"figures.split.{split}"), digit=step.digit), fontsize=10
    )
    _hide_ticks(axes[0])
    hidden = range(step.before.hidden)
    _value_bars(axes[1], "h", step.h.ravel(), hidden, t("explain.fig.h"))
    _value_bars(axes[2], "o", step.o.ravel(), range(10), t("explain.fig.o"), step.digit)
    _delta_bars(axes[3], "delta_o", step.delta_o.ravel(), range(10), t("explain.fig.delta_o"))
    _delta_bars(axes[4], "delta_h", step.delta_h.ravel(), hidden, t("explain.fig.delta_h"))
    _value_bars(axes[5], "o_after", step.o_after.ravel(), range(10), t("explain.fig.o_after"), step.digit)
    axes[5].plot(range(10), step.o.ravel(), "_", color="black", ms=14, mew=1.5, label="o_before")
    for ax in axes[1:]:
        ax.yaxis.set_major_formatter(DecimalTicks())
    tiles = step.change_w_i_h.reshape(-1, SIDE, SIDE)  # (H, 784) -> (H, 28, 28)
    _change_tiles(bottom, tiles)
    change = step.right_after - step.right_before
    fig.suptitle(
        t(
            "explain.fig.title",
            digit=step.digit,
            before=_number(step.right_before),
            after=_number(step.right_after),
            change=_number(change, sign=True),
        ),
        fontsize=14,
    )
    _caption(fig, "explain.fig.caption", answer=step.answer, answer_after=step.answer_after)
    return fig


def _value_bars(ax, label: str, values: np.ndarray, ticks: range, title: str, right: int | None = None) -> None:
    """Values in [0, 1] as bars; the right digit's bar (if any) in red with its value written."""
    ax.set_label(label)
    colors = [HIGHLIGHT if k == right else (BAR if right is not None else CURVE) for k in ticks]
    ax.bar(list(ticks), values, color=colors, width=0.8)
    ax.set_ylim(0, 1.08)
    ax.set_xticks(list(ticks))
    ax.tick_params(axis="x", labelsize=6.5 if len(ticks) > 10 else 9)
    if right is not None:
        top = values[right] + 0.015
        ax.text(right, top, _number(values[right], 3), ha="center", va="bottom", color=HIGHLIGHT, fontsize=9)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", alpha=0.25)


def _delta_bars(ax, label: str, values: np.ndarray, ticks: range, title: str) -> None:
    """Signed values as bars: red where positive (too large), blue where negative (too small)."""
    ax.set_label(label)
    ax.bar(list(ticks), values, color=[TOO_LARGE if v > 0 else TOO_SMALL for v in values], width=0.8)
    ax.axhline(0, color="#333333", lw=0.6)
    top = float(np.abs(values).max()) or 1.0
    ax.set_ylim(-1.15 * top, 1.15 * top)
    ax.set_xticks(list(ticks))
    ax.tick_params(axis="x", labelsize=6.5 if len(ticks) > 10 else 9)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", alpha=0.25)


def _change_tiles(subfig, tiles: np.ndarray) -> None:
    """The change to each hidden neuron's 784 weights as a 28x28 image, one symmetric red/blue scale."""
    rows = 2 if len(tiles) > 10 else 1
    cols = math.ceil(len(tiles) / rows)
    axes = subfig.subplots(rows, cols, squeeze=False)
    limit = float(np.abs(tiles).max()) or 1.0
    image = None
    for j, ax in enumerate(axes.flat):
        if j >= len(tiles):
            ax.set_visible(False)
            continue
        ax.set_label("change")
        image = ax.imshow(tiles[j], cmap=DIVERGING, vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_title(t("explain.fig.tile", j=j), fontsize=9)
        _hide_ticks(ax)
    subfig.colorbar(image, ax=axes, shrink=0.8, label=t("explain.fig.tiles_bar"), format=DecimalTicks(5))
    subfig.suptitle(t("explain.fig.tiles"), fontsize=11)


def derivative_figure(step: Step, index: int, split: str = "train", d: Derivative | None = None) -> Figure:
    """The image's cost as a function of one weight alone (``d``, by default the one the step moved the most):
    the curve around the weight's value and its tangent (slope: the gradient the step used), then close up,
    the step ``-learn_rate × gradient`` taken along it."""
    from reseau.explain import cost_along, derivative

    d = d or derivative(step)
    fig = Figure(figsize=(13, 6), layout="constrained")
    wide, close = fig.subplots(1, 2)
    _cost_panel(wide, d, d.xs, d.costs, "wide")
    reach = 3 * (abs(d.change) or 0.01)  # close up: three steps either side
    xs = np.linspace(d.value - reach, d.value + reach, 61)  # (61,)
    _cost_panel(close, d, xs, cost_along(step, d.layer, d.row, d.col, xs), "close")
    close.annotate(
        "",
        xy=(d.value + d.change, d.cost_moved),
        xytext=(d.value, d.cost),
        arrowprops={"arrowstyle": "-|>", "color": HIGHLIGHT, "lw": 2},
    )
    close.plot([d.value + d.change], [d.cost_moved], "o", color=HIGHLIGHT, ms=6, label="after")
    close.set_title(
        t(
            "explain.fig.step",
            lr=_number(d.learn_rate, 2),
            gradient=_number(d.gradient),
            change=_number(d.change, 5, sign=True),
            before=_number(d.cost),
            after=_number(d.cost_moved),
        ),
        fontsize=10,
    )
    wide.set_title(t("explain.fig.slope", slope=_number(d.gradient), formula=_formula(d)), fontsize=10)
    fig.suptitle(t("explain.fig.derivative", index=index, split=t(f"figures.split.{split}"), name=d.name), fontsize=13)
    key = "explain.fig.derivative_caption" if d.layer == "w_h_o" else "explain.fig.derivative_caption_w_i_h"
    _caption(fig, key, lr=_number(d.learn_rate, 2), textbook=_number(d.textbook_gradient))
    return fig


def _formula(d: Derivative) -> str:
    """How the step computed the slope: ``delta_o[5] × h[1]`` or ``delta_h[3] × img[400]``."""
    return f"delta_o[{d.row}] × h[{d.col}]" if d.layer == "w_h_o" else f"delta_h[{d.row}] × img[{d.col}]"


def _cost_panel(ax, d: Derivative, xs: np.ndarray, costs: np.ndarray, label: str) -> None:
    """The cost curve over ``xs``, the weight's value, and the tangent there (slope ``d.gradient``)."""
    ax.set_label(label)
    ax.plot(xs, costs, color=CURVE, lw=2.2, label="cost")
    ax.plot(xs, d.cost + d.gradient * (xs - d.value), "--", color="#ff7f0e", lw=1.6, label="tangent")
    ax.plot([d.value], [d.cost], "o", color="black", ms=6, label="value")
    ax.set_xlabel(t("explain.fig.weight", name=d.name))
    ax.set_ylabel(t("explain.fig.cost"))
    ax.xaxis.set_major_formatter(DecimalTicks(5 if label == "close" else 3))
    ax.yaxis.set_major_formatter(DecimalTicks(4 if label == "close" else 3))
    ax.grid(alpha=0.25)
    ax.legend(
        [ax.lines[0], ax.lines[1]],
        [t("explain.fig.curve"), t("explain.fig.tangent", slope=_number(d.gradient))],
        fontsize=8,
        loc="best",
    )
