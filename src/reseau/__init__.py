"""reseau — the neural network of the French course document, made real.

The small public API::

    from reseau import get_mnist, FaithfulConfig, train_faithful, Network
    images, labels = get_mnist()                      # (60000, 784), (60000, 10)
    network, history = train_faithful(images, labels, FaithfulConfig())
    network.predict(images[:5])                       # recognised digits
"""

from reseau.data import get_mnist, load_raw
from reseau.faithful import FaithfulConfig, History
from reseau.faithful import train as train_faithful
from reseau.modelfile import SavedModel
from reseau.network import Network

__version__ = "0.1.0"
__all__ = ["FaithfulConfig", "History", "Network", "SavedModel", "__version__",
           "get_mnist", "load_raw", "train_faithful"]
