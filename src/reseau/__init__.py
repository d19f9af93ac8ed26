"""reseau — the neural network of the French course document, made real.

The small public API::

    import reseau
    images, labels = reseau.get_mnist()                         # (60000, 784), (60000, 10)
    network, history = reseau.train(images, labels, reseau.FaithfulConfig())  # the document's NN.py
    network.predict(images[:5])                                  # recognised digits
    better = reseau.presets()["better"]                          # or "document", "best", ...
    network, history = reseau.train(images, labels, better, test=reseau.get_mnist("test"))

The names are imported on first use (PEP 562): ``import reseau.cli``, the
command line's start-up, then pays for NumPy and the engines only when a
command needs them, and ``reseau --help`` answers at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reseau.version import __version__

# Each public name and the module it comes from.
_PUBLIC = {
    "EpochReport": "reseau.history",
    "FaithfulConfig": "reseau.faithful",
    "History": "reseau.history",
    "ModelInfo": "reseau.modelfile",
    "Network": "reseau.network",
    "SavedModel": "reseau.modelfile",
    "get_mnist": "reseau.data",
    "load_raw": "reseau.data",
    "presets": "reseau.trainers",
    "train": "reseau.trainers",
}

__all__ = [
    "EpochReport",
    "FaithfulConfig",
    "History",
    "ModelInfo",
    "Network",
    "SavedModel",
    "__version__",
    "get_mnist",
    "load_raw",
    "presets",
    "train",
]

if TYPE_CHECKING:  # what type checkers and editors see: the same names, imported at once
    from reseau.data import get_mnist, load_raw
    from reseau.faithful import FaithfulConfig
    from reseau.history import EpochReport, History
    from reseau.modelfile import ModelInfo, SavedModel
    from reseau.network import Network
    from reseau.trainers import presets, train


def __getattr__(name: str) -> Any:
    """``reseau.Network`` and the other public names, imported the first time they are asked for."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'reseau' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value  # the next look-up is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
