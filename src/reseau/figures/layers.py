"""The network drawn as layers (columns of neurons, connections coloured by the trained weights), and what each
hidden neuron looks for: its weights as an image (as the CNN's kernels are drawn)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from reseau.figures.common import (
    DIVERGING,
    HIGHLIGHT,
    DecimalTicks,
    caption,
    class_names,
    grid_shape,
    hide_ticks,
    image_side,
    layers_only,
    used_axes,
)
from reseau.i18n import t
from reseau.network import Network

if TYPE_CHECKING:
    from reseau.network import Recogniser

NEURON = {"facecolor": "white", "edgecolor": "#333333", "linewidth": 1.2, "zorder": 3}  # how a neuron is drawn


def neurons_figure(network: Recogniser, max_tiles: int = 64) -> Figure:
    """The first layer's weights ``weights[0] (n_hidden, 784)`` as 28x28 images, zero in white."""
    w = layers_only(network, "neurons").weights[0]  # (n_hidden, 784): w_i_h for the document's network
    side = image_side(w.shape[1])
    title = t("figures.neurons.title", n_in=w.shape[1], side=side)
    fig = weight_tiles(w.reshape(-1, side, side), max_tiles, "neuron", "figures.neurons.tile", (1.7, 1.8, 0.0), title)
    caption(fig, "figures.neurons.caption")
    return fig


def weight_tiles(
    weights: np.ndarray, max_tiles: int, label: str, tile_key: str, inches: tuple[float, float, float], title: str
) -> Figure:
    """The first ``max_tiles`` of ``weights (n, s, s)`` as a grid of images with their colour bar
    (:func:`draw_tiles`) under ``title``; ``inches`` are the width and height of a tile, and the least width
    of the figure (its title must fit)."""
    tiles = weights[:max_tiles]
    if len(tiles) < len(weights):
        title += " " + t("figures.neurons.shown", shown=len(tiles), n=len(weights))
    rows, cols = grid_shape(len(tiles))
    fig = Figure(figsize=(max(inches[0] * cols + 1.4, inches[2]), inches[1] * rows + 1.3), layout="constrained")
    bar = {"shrink": 0.6, "label": t("figures.neurons.colorbar"), "format": DecimalTicks()}
    draw_tiles(fig, fig.subplots(rows, cols, squeeze=False), tiles, label, lambda k: t(tile_key, k=k), bar)
    fig.suptitle(title, fontsize=13)
    return fig


def draw_tiles(fig, axes: np.ndarray, tiles: np.ndarray, label: str, title: Callable[[int], str], bar: dict) -> None:
    """Weights ``tiles (n, s, s)`` in a grid of ``axes``, on one symmetric red/blue scale (zero is white, so
    the tiles compare), tile ``k`` titled ``title(k)``; then the colour bar, with the options ``bar``."""
    limit = float(np.abs(tiles).max()) or 1.0
    for k, ax in enumerate(used_axes(axes, len(tiles))):
        ax.set_label(label)
        image = ax.imshow(tiles[k], cmap=DIVERGING, vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_title(title(k), fontsize=9 if tiles.shape[1] > 8 else 8)
        hide_ticks(ax)
    fig.colorbar(image, ax=axes, **bar)


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
    network: Recogniser,
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
        ax.scatter(np.full(len(y), 3.0 * k), y, s=110 if len(y) <= 20 else 60, label=f"layer {k}", **NEURON)
    _label_layers(ax, network, shown, ys, dataset)
    ax.set_axis_off()
    _importance_map(ax_imp, network, shown[0], pixel_mean)
    bar = fig.colorbar(ScalarMappable(Normalize(-1, 1), DIVERGING), ax=ax, shrink=0.5, ticks=[-1, 0, 1])
    bar.ax.set_yticklabels(["−max", "0", "+max"])
    bar.set_label(t("figures.network.weight"))
    fig.suptitle(t("figures.network.title", sizes=" → ".join(str(n) for n in network.sizes)), fontsize=14)
    caption(fig, "figures.network.caption")
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
    widths = 0.3 + 2.2 * strength[i, j]
    ax.add_collection(LineCollection(list(segments), colors=colors, linewidths=widths, zorder=1, label="connections"))


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
    names = class_names(dataset, sizes[-1])
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
    hide_ticks(ax)
    key = "figures.network.importance" if pixel_mean is None else "figures.network.signal"
    ax.set_title(t(key, shown=len(pixels)), fontsize=9)
