"""A convolutional network, from scratch: it sees a digit moved by two pixels as the same digit.

A fully connected network gives each of the 784 pixels its own weights: a
stroke learned at one place means nothing one pixel further.  A convolution
slides the same small kernel (5 x 5 weights) over the whole image, so what is
learned anywhere is found everywhere; max-pooling then keeps the strongest
response of each 2 x 2 square, so small shifts barely change what follows.
Two such blocks, then the dense layers of before::

    image (28, 28, 1) -> conv 5x5, 32 -> (24, 24, 32) -> pool -> (12, 12, 32) -> [batch norm] -> ReLU
                      -> conv 3x3, 64 -> (10, 10, 64) -> pool -> (5, 5, 64)   -> [batch norm] -> ReLU
                      -> flatten 1600 -> dense 128 -> ReLU -> dropout -> dense 10 -> softmax

(LeNet-5's shape, LeCun et al. 1998, with ReLU, max-pooling, batch normalisation and Adam.)

Training uses two cores by splitting each batch in two halves, each pushed
forward and backward by its own copy of the layers in its own thread (the
compiled loops and the matrix products release Python's lock), then adding
the two gradients: data parallelism, as large trainings do across machines.
Each half runs BLAS on one thread: the products here are small and skinny,
and OpenBLAS's own second thread made them several times *slower* on a busy
machine (78 ms instead of 4 ms for the first layer's weight gradient).  Batch
normalisation standardises each half over its own images; the running
averages get the mean of the two.  The split is always in two, whatever the
machine, so a seed gives the same network everywhere.  The layers are in
:mod:`reseau.training.convlayers`, the settings in :mod:`reseau.training.cnn_config`,
the trained network in :mod:`reseau.convnet`; this module builds and trains it.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from reseau.convnet import DTYPE, ConvNetwork, build, forward
from reseau.history import EpochFn, History, ProgressFn
from reseau.training import losses, optimizers
from reseau.training.cnn_config import CNNConfig, architecture
from reseau.training.convlayers import BN_MOMENTUM, BatchNorm, Dropout, Slots
from reseau.training.optimizers import in_halves
from reseau.training.trainer import BatchRunner, prepare, split, train_epochs

SHARDS = 2  # each batch is split in this many parts, trained in parallel threads (fixed: results do not
#             depend on the machine)
# ---------------------------------------------------------------------------
# The network: layers built from a plain description, parameters in one vector
# ---------------------------------------------------------------------------


def initial_slots(layers: list[Any], seed: int) -> Slots:
    """He-normal weights (``sqrt(2 / fan_in)``, for ReLU), zero biases, batch norm at identity."""
    shapes = {name: shape for layer in layers for name, shape in layer.shapes().items()}
    slots = Slots(shapes, DTYPE)
    rng = np.random.default_rng(seed)
    for layer in layers:
        for name, value in slots.values.items():
            if not name.startswith(layer.name + "."):
                continue
            if name.endswith(".w"):
                value[:] = rng.normal(0.0, np.sqrt(2.0 / layer.fan_in()), value.shape)
            elif name.endswith((".gamma", ".var")):
                value[:] = 1.0
    return slots


def backward(layers: list[Any], p: dict[str, np.ndarray], g: dict[str, np.ndarray], delta: np.ndarray) -> None:
    """Fill the gradients ``g`` from ``delta = d(loss)/d(output pre-activations) (n, 10)``, last layer first."""
    for layer in reversed(layers):
        delta = layer.backward(delta, p, g)
        if delta is None:  # the first convolution: the image needs no gradient
            break


def update_statistics(replicas: list[list[Any]], weights: list[float], p: dict[str, np.ndarray]) -> None:
    """Fold the batch statistics of each batch-norm layer (one per replica, ``weights`` = shares of the batch)
    into the running averages ``.mean`` and ``.var``: ``new = 0.9 old + 0.1 batch``."""
    for position, layer in enumerate(replicas[0]):
        if isinstance(layer, BatchNorm):
            for k, name in enumerate((".mean", ".var")):
                batch = sum(w * r[position].batch_stats[k] for r, w in zip(replicas, weights))
                p[layer.name + name] *= BN_MOMENTUM
                p[layer.name + name] += (1 - BN_MOMENTUM) * batch


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------


def train(
    images: np.ndarray,
    labels: np.ndarray,
    config: CNNConfig | None = None,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    on_epoch: EpochFn | None = None,
    on_progress: ProgressFn | None = None,
) -> tuple[ConvNetwork, History]:
    """Train a convolutional network on ``images (n, 784)`` and ``labels`` (one-hot or digits).

    Mini-batches in a new random order each epoch, augmented when asked; the
    kept network is the last epoch's (or the best validation epoch's).
    """
    config = (config or CNNConfig()).validate()
    x, targets, digits = prepare(images, labels, config)
    spec = architecture(config)
    slots = initial_slots(build(spec), config.seed)
    return train_epochs(_Runner(config, spec, slots, *split(config, x, targets, digits)), test, on_epoch, on_progress)


class _Runner(BatchRunner):
    """The convolutional network's update, each batch split in two halves trained in parallel threads."""

    augment_batches = 4  # 256 images augmented at once: 1.6 times quicker per image than 64 (most of the drawing
    #                     augmentation's steps are many small array operations)

    def __init__(self, config: CNNConfig, spec: list[dict[str, Any]], slots: Slots, rows: tuple, validation) -> None:
        super().__init__(config, slots.flat, rows, validation)
        self.spec, self.slots = spec, slots
        self.optimizer = optimizers.make_optimizer(config.optimizer, len(slots.flat), DTYPE)
        shapes = {name: v.shape for name, v in slots.values.items()}
        self.replicas = [build(spec) for _ in range(SHARDS)]  # one copy of the layers (and caches) per part
        self.shard_grads = [Slots(shapes, DTYPE) for _ in range(SHARDS)]  # a gradient vector per part
        for r, replica in enumerate(self.replicas):
            for layer in replica:
                if isinstance(layer, Dropout):
                    layer.rng = np.random.default_rng([config.seed, 2, r])
        self.pool = ThreadPoolExecutor(SHARDS, thread_name_prefix="reseau-cnn")

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown()  # its two threads end with the training, even when a callback stops it

    def network(self, flat: np.ndarray | None = None) -> ConvNetwork:
        if flat is None:
            return ConvNetwork(self.spec, self.slots.values)
        kept = Slots({name: v.shape for name, v in self.slots.values.items()}, DTYPE)
        kept.flat[:] = flat
        return ConvNetwork(self.spec, kept.values)

    def threads(self) -> contextlib.AbstractContextManager:
        return threadpool_limits(1, user_api="blas")  # each half's products on one thread (module docstring)

    def step(self, x: np.ndarray, targets: np.ndarray, digits: np.ndarray) -> tuple[int, float]:
        parts = [part for part in np.array_split(np.arange(len(x)), SHARDS) if len(part)]
        shares = [len(part) / len(x) for part in parts]

        def half(r: int) -> tuple[int, float]:  # forward and backward of one part, in its own thread
            z = forward(self.replicas[r], self.slots.values, x[parts[r]], training=True)  # (b_r, 10)
            o, loss = losses.output_and_loss("softmax", z, targets[parts[r]])
            correct = int(np.count_nonzero(o.argmax(axis=1) == digits[parts[r]]))
            delta = losses.output_delta_(o, targets[parts[r]]) * DTYPE(shares[r])  # the loss is the batch's mean
            backward(self.replicas[r], self.slots.values, self.shard_grads[r].grads, delta)
            return correct, loss * shares[r]

        results = list(self.pool.map(half, range(len(parts))))
        grad = self.slots.grad  # the parts' gradients add up: each is its share of the batch's mean
        if len(parts) == 2:  # np.add(a, b, out), each thread on half of the vectors
            in_halves(self.pool, np.add, (self.shard_grads[0].grad, self.shard_grads[1].grad, grad), ())
        else:  # a batch of one image
            np.copyto(grad, self.shard_grads[0].grad)
        update_statistics(self.replicas[: len(parts)], shares, self.slots.values)
        self.optimizer.step(self.slots.flat, grad, self.learn_rate(), self.pool)  # each thread updates half
        return sum(c for c, _ in results), sum(loss for _, loss in results)
