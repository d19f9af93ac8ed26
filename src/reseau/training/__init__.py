"""Modern training, beyond the document: how real networks reach 98–99 % on MNIST.

From scratch in NumPy, on mini-batches of rows ``(batch, 784)`` in float32,
each idea switchable in :class:`TrainConfig` so it can be measured alone:

* hidden activations sigmoid / tanh / ReLU, any number of hidden layers;
* output sigmoid (the document's ``delta_o = o - l``) or softmax + cross-entropy;
* initialisation uniform(-0.5, 0.5) (the document), Xavier/Glorot, He;
* optimisers SGD, momentum, Adam; learning-rate schedules step or cosine;
* L2 weight decay, dropout, label smoothing, light data augmentation;
* a validation split to choose the best epoch and stop early.

::

    from reseau.training import PRESETS, train
    network, history = train(images, labels, PRESETS["better"], test=(test_images, test_labels))

(``reseau.train`` is the front door that takes this config or the document's.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each public name and its module, imported on first use (PEP 562): the settings (reseau.training.config)
# load without NumPy, so `reseau train --help` lists them at once.
_PUBLIC = {
    **dict.fromkeys(
        ("ACTIVATIONS", "INITS", "OPTIMIZERS", "OUTPUTS", "PRESETS", "SCHEDULES", "TrainConfig"),
        "reseau.training.config",
    ),  # fmt: skip
    "to_network": "reseau.training.trainer",
    "train": "reseau.training.trainer",
}
__all__ = [
    "ACTIVATIONS",
    "INITS",
    "OPTIMIZERS",
    "OUTPUTS",
    "PRESETS",
    "SCHEDULES",
    "TrainConfig",
    "to_network",
    "train",
]

if TYPE_CHECKING:
    from reseau.training.config import ACTIVATIONS, INITS, OPTIMIZERS, OUTPUTS, PRESETS, SCHEDULES, TrainConfig
    from reseau.training.trainer import to_network, train


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'reseau.training' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
