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

from reseau.training.config import ACTIVATIONS, INITS, OPTIMIZERS, OUTPUTS, PRESETS, SCHEDULES, TrainConfig
from reseau.training.trainer import to_network, train

CONFIG = TrainConfig  # the configuration this trainer takes (see reseau.trainers.KINDS)

__all__ = [
    "ACTIVATIONS",
    "CONFIG",
    "INITS",
    "OPTIMIZERS",
    "OUTPUTS",
    "PRESETS",
    "SCHEDULES",
    "TrainConfig",
    "to_network",
    "train",
]
