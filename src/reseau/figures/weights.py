"""What each hidden neuron looks for: its weights as an image (and the tiles the CNN's kernels share)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from reseau.figures.common import (
    DIVERGING,
    DecimalTicks,
    caption,
    grid_shape,
    hide_ticks,
    image_side,
    layers_only,
    used_axes,
)
from reseau.i18n import t

if TYPE_CHECKING:
    from reseau.network import Recogniser


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
