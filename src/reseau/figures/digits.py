"""The data as the document shows it: the sheet of digits, and one image as numbers with its one-hot label."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from reseau.figures.common import INK, SIDE, as_digits, as_squares, caption, class_names
from reseau.i18n import format_count, t


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
    caption(fig, "figures.digits.caption", n=format_count(len(images)), images=t(f"figures.images_of.{split}"))
    fig.reseau_chosen = chosen  # type: ignore[attr-defined]  # which images were drawn, for whoever wants to know
    return fig


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
    caption(fig, "figures.sample.caption", images=f"({n_images}, 784)", labels=f"({n_images}, 10)")
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
