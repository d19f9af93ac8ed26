"""One learning step of the document, number by number (:mod:`reseau.explain`), and what a derivative says."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from reseau.figures.common import BAR, CURVE, HIGHLIGHT, INK, SIDE, DecimalTicks, caption, hide_ticks
from reseau.figures.layers import draw_tiles
from reseau.i18n import format_number, t

if TYPE_CHECKING:
    from reseau.explain import Derivative, Step

TOO_LARGE = HIGHLIGHT  # delta > 0: the output (or the neuron) was too large, the step lowers it
TOO_SMALL = CURVE  # delta < 0: too small, the step raises it


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
    hide_ticks(axes[0])
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
    before, after = format_number(step.right_before, 4), format_number(step.right_after, 4)
    change = format_number(step.right_after - step.right_before, 4, sign=True)
    fig.suptitle(t("explain.fig.title", digit=step.digit, before=before, after=after, change=change), fontsize=14)
    caption(fig, "explain.fig.caption", answer=step.answer, answer_after=step.answer_after)
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
        ax.text(right, top, format_number(values[right], 3), ha="center", va="bottom", color=HIGHLIGHT, fontsize=9)
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
    axes = subfig.subplots(rows, math.ceil(len(tiles) / rows), squeeze=False)
    bar = {"shrink": 0.8, "label": t("explain.fig.tiles_bar"), "format": DecimalTicks(5)}
    draw_tiles(subfig, axes, tiles, "change", lambda j: t("explain.fig.tile", j=j), bar)
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
    lr, gradient = format_number(d.learn_rate, 2), format_number(d.gradient, 4)
    before, after = format_number(d.cost, 4), format_number(d.cost_moved, 4)
    change = format_number(d.change, 5, sign=True)
    moved = t("explain.fig.step", lr=lr, gradient=gradient, change=change, before=before, after=after)
    close.set_title(moved, fontsize=10)
    wide.set_title(t("explain.fig.slope", slope=gradient, formula=_formula(d)), fontsize=10)
    fig.suptitle(t("explain.fig.derivative", index=index, split=t(f"figures.split.{split}"), name=d.name), fontsize=13)
    key = "explain.fig.derivative_caption" if d.layer == "w_h_o" else "explain.fig.derivative_caption_w_i_h"
    caption(fig, key, lr=lr, textbook=format_number(d.textbook_gradient, 4))
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
        [t("explain.fig.curve"), t("explain.fig.tangent", slope=format_number(d.gradient, 4))],
        fontsize=8,
        loc="best",
    )
