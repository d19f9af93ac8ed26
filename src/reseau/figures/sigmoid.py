"""The sigmoid, as the document draws it for three (w, b)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from reseau.figures.common import CURVE, HIGHLIGHT, DecimalTicks, caption, used_axes
from reseau.i18n import format_number, format_sci, t
from reseau.network import sigmoid

DOCUMENT_SIGMOIDS = ((1.0, 0.0), (4.0, 0.0), (0.25, 0.41))  # the document's three (w, b)
RISE = 2 * math.log(99)  # σ goes from 0.01 to 0.99 while w·x + b goes from -ln 99 to +ln 99
FLAT = 0.01  # a curve that moves less than this over the whole frame is flat to the eye


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


def written(value: float) -> str:
    """``value`` with two decimals (``4,00``), or in scientific notation (``1,00e+308``) where two decimals
    would write a number too long to read or round a small one to zero."""
    if value == 0 or 0.005 <= abs(value) < 1e6:
        return format_number(value)
    return format_sci(value)


def sigmoid_values(x: np.ndarray, w: float, b: float) -> np.ndarray:
    """σ(w·x + b) for every x, without a floating-point warning.

    With a huge w or b (``--w 1e308``), w·x + b is beyond the largest float and
    becomes ±inf: its sigmoid is then exactly 0 or 1, which is the true value to
    within 1e-300, so the overflow is expected here and not reported.
    """
    with np.errstate(over="ignore"):
        return sigmoid(w * x + b)  # (points,)


def is_step(x: np.ndarray, w: float) -> bool:
    """True when the curve rises (or falls) from 0,01 to 0,99 within less than the gap between two drawn
    points: at this scale it is a step, and joining the points would draw a slope that is not there."""
    return w != 0 and RISE / abs(w) < (x[-1] - x[0]) / (len(x) - 1)


def _sigmoid_panel(ax, x: np.ndarray, w: float, b: float) -> None:
    ax.set_label("sigmoid")
    ax.axhline(0.5, color="#bbbbbb", lw=0.8, ls=":")
    ax.axvline(0.0, color="#bbbbbb", lw=0.8)
    middle = -b / w if w != 0 else math.nan  # where σ = 0.5 (±inf when b/w is beyond the floats)
    inside = bool(x[0] <= middle <= x[-1])
    if is_step(x, w) and inside:
        _step(ax, x, w, middle)
    else:
        y = sigmoid_values(x, w, b)  # (points,)
        ax.plot(x, y, color=CURVE, lw=2.2, label="curve")
        if w != 0 and not inside and np.ptp(y) < FLAT:
            _note(ax, t("figures.sigmoid.flat", y=format_number(y.mean()), x=written(middle)), y.mean() < 0.5)
    if inside:
        _middle(ax, x, middle)
    ax.set_title(t("figures.sigmoid.panel", w=written(w), b=written(b)), fontsize=12)
    ax.set_xlabel("x")
    ax.set_ylabel("σ(w·x + b)")
    ax.set_ylim(-0.04, 1.04)
    ax.xaxis.set_major_formatter(DecimalTicks())
    ax.yaxis.set_major_formatter(DecimalTicks())
    ax.grid(alpha=0.25)


def _step(ax, x: np.ndarray, w: float, middle: float) -> None:
    """The curve drawn as the step it is at this scale: 0 then 1 (1 then 0 when w < 0), straight up at the
    middle, and a note saying over how little x it really rises."""
    low, high = (0.0, 1.0) if w > 0 else (1.0, 0.0)
    xs = [x[0], middle, middle, middle, x[-1]]  # (5,)
    ax.plot(xs, [low, low, 0.5, high, high], color=CURVE, lw=2.2, label="curve")
    left_is_wider = middle - x[0] > x[-1] - middle
    at_top = low < 0.5 if left_is_wider else high < 0.5  # on the wider side, the empty half of the panel
    _note(ax, t("figures.sigmoid.step", width=written(RISE / abs(w))), at_top, left=left_is_wider)


def _note(ax, text: str, at_top: bool, left: bool | None = None) -> None:
    """A small sentence inside the panel, in its empty half (top or bottom; left, right or centred)."""
    x, ha = {True: (0.03, "left"), False: (0.97, "right"), None: (0.5, "center")}[left]
    y, va = (0.95, "top") if at_top else (0.05, "bottom")
    ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=8, color=CURVE)


def _middle(ax, x: np.ndarray, middle: float) -> None:
    """The dot where σ = 0,5 and its value, written on the wider side of the panel."""
    ax.plot([middle], [0.5], "o", color=HIGHLIGHT, ms=5, label="middle")
    left = middle > (x[0] + x[-1]) / 2  # on the right half, write the note to the left of the dot
    ax.annotate(
        t("figures.sigmoid.middle", x=format_number(middle)),
        (middle, 0.5),
        xytext=(-6 if left else 6, -14),
        textcoords="offset points",
        fontsize=8,
        color=HIGHLIGHT,
        ha="right" if left else "left",
    )
