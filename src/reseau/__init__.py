"""reseau — the neural network of the French course document, made real.

The small public API::

    import reseau
    images, labels = reseau.get_mnist()                         # (60000, 784), (60000, 10)
    network, history = reseau.train(images, labels, reseau.FaithfulConfig())  # the document's NN.py
    network.predict(images[:5])                                  # recognised digits
    better = reseau.presets()["better"]                          # or "document", "best", ...
    network, history = reseau.train(images, labels, better, test=reseau.get_mnist("test"))
"""

from reseau.data import get_mnist, load_raw
from reseau.faithful import FaithfulConfig
from reseau.history import EpochReport, History
from reseau.modelfile import ModelInfo, SavedModel
from reseau.network import Network
from reseau.trainers import presets, train

__version__ = "0.1.0"
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
