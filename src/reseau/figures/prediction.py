"""One prediction: layer by layer (``h``, then ``o``), and the document's inference picture (``reseau predict``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from reseau.figures.common import (
    BAR,
    CURVE,
    HIGHLIGHT,
    INK,
    SIDE,
    DecimalTicks,
    caption,
    class_names,
    class_ticks,
    hide_ticks,
    layers_only,
)
from reseau.i18n import format_number, t

if TYPE_CHECKING:
    from reseau.network import Network, Recogniser


def forward_figure(
    network: Recogniser,
    image: np.ndarray,
    index: int,
    label: int | None = None,
    split: str = "train",
    dataset: str = "mnist",
) -> Figure:
    """The image, then the values of every layer (``h``, ..., ``o``) as bars, the chosen output in red."""
    network = layers_only(network, "forward")
    values = [v[0] for v in network.layer_outputs(np.asarray(image).reshape(1, -1))]  # [(20,), (10,)]
    names = class_names(dataset, len(values[-1]))
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
    hide_ticks(axes[0])
    for k, (ax, v) in enumerate(zip(axes[1:], values)):
        _layer_bars(ax, v, network, k, chosen if k == len(values) - 1 else None, names)
    fig.suptitle(t("figures.forward.title", name=names[chosen]), fontsize=13)
    key = "figures.forward.caption" if dataset == "mnist" else "figures.forward.caption_class"
    caption(fig, key, chain=_chain(network))
    return fig


def _layer_title(network: Network, k: int) -> str:
    last = len(network.weights) - 1
    n, act = network.sizes[k + 1], network.activations[k]
    if len(network.weights) == 2 and network.activations == ["sigmoid", "sigmoid"]:  # the document's h and o
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
        class_ticks(ax, names)
        value = format_number(v[chosen], 2)
        ax.text(chosen, v[chosen], value, ha="center", va="bottom", color=HIGHLIGHT, fontsize=9, fontweight="bold")
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
    hide_ticks(ax_img)
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
