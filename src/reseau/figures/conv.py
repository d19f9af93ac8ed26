"""A convolutional network: the kernels of its first convolution, and what its convolutions see in one image."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from reseau.figures.common import HIGHLIGHT, INK, SIDE, caption, class_names, convolutional_only, hide_ticks, used_axes
from reseau.figures.layers import weight_tiles
from reseau.i18n import t

if TYPE_CHECKING:
    from reseau.convnet import ConvNetwork
    from reseau.network import Recogniser


def filters_figure(network: Recogniser, max_tiles: int = 64) -> Figure:
    """The kernels of the first convolution ``(filters, k, k, 1)`` as small k x k images, zero in white.

    The colours are the neurons figure's: red a positive weight, blue a
    negative one, one symmetric scale for all, so the kernels compare.
    """
    kernels = convolutional_only(network, "filters").filters(0)[..., 0]  # (filters, k, k): one grey channel in
    k = kernels.shape[1]
    title = t("figures.filters.title", n=len(kernels), k=k)
    fig = weight_tiles(kernels, max_tiles, "filter", "figures.filters.tile", (1.25, 1.35, 9.5), title)  # title fits
    caption(fig, "figures.filters.caption", k=k)
    return fig


def feature_maps_figure(
    network: Recogniser,
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
    caption(fig, "figures.maps.caption")
    return fig


def map_grid(n: int) -> tuple[int, int]:
    """Rows and columns for ``n`` feature maps: 8 a row (16 when there are many small ones)."""
    cols = min(n, 16 if n > 32 else 8)
    return math.ceil(n / cols), cols


def _input_panel(subfig, image: np.ndarray, index: int, label, split: str, names: list[str], chosen: int) -> None:
    ax = subfig.subplots()
    ax.set_label("image")
    ax.imshow(np.asarray(image).reshape(SIDE, SIDE), cmap=INK, vmin=0, vmax=1)
    hide_ticks(ax)
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
    for j, ax in enumerate(used_axes(axes, n)):
        ax.set_label("map")
        ax.imshow(maps[:, :, j], cmap=INK, vmin=0, vmax=top, interpolation="nearest")
        hide_ticks(ax)
    subfig.suptitle(
        t("figures.maps.block", block=block + 1, n=n, h=h, w=w, steps=block_steps(network, block)), fontsize=10
    )


def block_steps(network: ConvNetwork, block: int) -> str:
    """What the convolution block ``block`` does, in words: "convolution 5 × 5, pooling 2 × 2, ReLU"."""
    names = [item["name"] for item in network.spec]
    first, last = names.index(f"conv{block}"), names.index(f"relu{block}")
    return ", ".join(t(f"figures.maps.{item['type']}", k=item.get("k")) for item in network.spec[first : last + 1])
