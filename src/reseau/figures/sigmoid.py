"""The sigmoid, as the document draws it for three (w, b)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from reseau.figures.common import CURVE, HIGHLIGHT, DecimalTicks, caption, used_axes
from reseau.i18n import format_number, t
from reseau.network import sigmoid

DOCUMENT_SIGMOIDS = ((1.0, 0.0), (4.0, 0.0), (0.25, 0.41))  # the document's three (w, b)


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
    for ax, (w, b) in zip(used_axes(axes, len(cases)), cases):
        _sigmoid_panel(ax, x, float(w), float(b))
    fig.suptitle(t("figures.sigmoid.title"), fontsize=13)
    caption(fig, "figures.sigmoid.caption")
    return fig


def _sigmoid_panel(ax, x: np.ndarray, w: float, b: float) -> None:
    ax.set_label("sigmoid")
    ax.axhline(0.5, color="#bbbbbb", lw=0.8, ls=":")
    ax.axvline(0.0, color="#bbbbbb", lw=0.8)
    ax.plot(x, sigmoid(w * x + b), color=CURVE, lw=2.2, label="curve")  # (points,)
    if w != 0 and x[0] <= -b / w <= x[-1]:
        ax.plot([-b / w], [0.5], "o", color=HIGHLIGHT, ms=5, label="middle")
        left = -b / w > (x[0] + x[-1]) / 2  # on the right half, write the note to the left of the dot
        ax.annotate(
            t("figures.sigmoid.middle", x=format_number(-b / w)),
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
