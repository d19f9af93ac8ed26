"""The network's mistakes: the confusion matrix and the most confident wrong answers."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from reseau.digitset import confusion_matrix  # (the core's: `reseau evaluate` counts the same way)
from reseau.figures.common import (
    CORRECT,
    INK,
    as_digits,
    as_squares,
    caption,
    class_names,
    class_ticks,
    hide_ticks,
    used_axes,
)
from reseau.i18n import format_count, t

if TYPE_CHECKING:
    from reseau.network import Recogniser


def most_confident_mistakes(outputs: np.ndarray, true: np.ndarray, count: int) -> np.ndarray:
    """Rows of ``outputs (n, k)`` answered wrong, largest output value first; at most ``count``."""
    pred = outputs.argmax(axis=1)  # (n,)
    wrong = np.flatnonzero(pred != true)
    confidence = outputs[wrong, pred[wrong]]  # the output value of the chosen (wrong) class
    return wrong[np.argsort(-confidence, kind="stable")][:count]


def errors_figure(
    network: Recogniser, images: np.ndarray, labels: np.ndarray, n_mistakes: int = 24, dataset: str = "mnist"
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
    caption(fig, "figures.errors.caption")
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
        color = "white" if r != c and norm(count) > 0.6 else "black"  # white on the darkest reds
        weight = "bold" if r == c else "normal"  # the right answers
        ax.text(c, r, str(count), ha="center", va="center", fontsize=9, color=color, fontweight=weight)
    class_ticks(ax, names)
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
    for k, ax in enumerate(used_axes(axes, len(chosen))):
        row, pred = chosen[k], int(outputs[chosen[k]].argmax())
        ax.set_label("mistake")
        ax.imshow(squares[k], cmap=INK, vmin=0, vmax=1)
        ax.set_title(t(key, true=names[true[row]], pred=names[pred], value=float(outputs[row, pred])), fontsize=8)
        hide_ticks(ax)
