"""Learning curves, from the history saved with the model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reseau import kinds
from reseau.figures.common import CURVE, DecimalTicks, caption
from reseau.history import EpochReport, History
from reseau.i18n import format_number, t

if TYPE_CHECKING:
    from reseau.config import Config

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
    caption(fig, "figures.curves.caption")
    return fig


def _series_label(key: str, epochs: Sequence[EpochReport]) -> str:
    """The legend of one curve: the training accuracy is the document's "Précision" only for its trainer."""
    if key == "precision" and not all(e.kind.document for e in epochs):
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
    if "feature-maps" in kinds.kind(config.mode).figures:  # its sizes say nothing of its convolutions
        conv = "-".join(map(str, config.conv))  # type: ignore[attr-defined]  # a CNNConfig
        return t("figures.curves.subtitle_cnn", conv=conv, lr=float(config.learn_rate), seed=config.seed)
    return t("figures.curves.subtitle", sizes="-".join(map(str, sizes)), lr=float(config.learn_rate), seed=config.seed)
