"""Figures: functions that take data and networks and return a matplotlib ``Figure``.

No file I/O and no window here: the command line (or a notebook) decides to
save or show.  Figures are built with ``matplotlib.figure.Figure`` directly,
not pyplot, so they work headless with no setting.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from reseau.i18n import t

HIGHLIGHT = "#d62728"
BAR = "#7f7f7f"


def prediction_figure(image: np.ndarray, outputs: np.ndarray, index: int, label: int,
                      split: str = "train") -> Figure:
    """The document's inference picture: the image titled with the recognised digit, and ``o``.

    ``image`` is ``(784,)`` in [0, 1], ``outputs`` the network's 10 values ``o``.
    """
    digit = int(np.argmax(outputs))
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax_img, ax_out = fig.subplots(1, 2, width_ratios=[1, 1.2])
    ax_img.imshow(image.reshape(28, 28), cmap="Greys")  # the document's cmap="Greys"
    ax_img.set_title(t("predict.title", digit=digit))
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    colors = [HIGHLIGHT if d == digit else BAR for d in range(10)]
    ax_out.bar(range(10), outputs, color=colors)
    ax_out.set_xticks(range(10))
    ax_out.set_ylim(0, 1)
    ax_out.set_title(t("predict.outputs"))
    fig.suptitle(t("predict.subtitle", index=index, split=split, label=label), fontsize=10)
    return fig
