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
machine, so a seed gives the same network everywhere.  The
layers are in :mod:`reseau.training.convlayers`; this module holds the
configuration, the presets, the trained network (:class:`ConvNetwork`) and
the training loop, which reports to the same callbacks and returns the same
:class:`~reseau.history.History` as the other trainers.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from threadpoolctl import threadpool_limits

from reseau.config import EPOCHS, SEED, Config, Range
from reseau.errors import ConfigError, DivergenceError
from reseau.history import EpochReport, History
from reseau.network import softmax
from reseau.trainers import EpochFn, ProgressFn
from reseau.training import losses, optimizers, schedules
from reseau.training.convlayers import BN_MOMENTUM, LAYERS, BatchNorm, Dropout, Slots
from reseau.training.trainer import BestEpoch, prepare

DTYPE = np.float32
SIDE = 28  # MNIST images are 28 x 28, one channel
PROGRESS_EVERY = 5000  # images between two on_progress calls, as the other trainers
PREDICT_BATCH = 1000  # images per forward pass at inference (bounded memory)
SHARDS = 2  # each batch is split in this many parts, trained in parallel threads (fixed: results do not
#             depend on the machine)
FILTERS = Range(1, 256)  # per convolution
KERNEL = Range(2, 7)  # side of a square kernel
NEURONS = Range(1, 4096)  # per dense layer
LEARN_RATE = Range(0, 1, low_open=True)
BATCH_SIZE = Range(1, 4096)
FRACTION = Range(0, 0.95)


# What each ``augment`` setting does to a batch ``(b, 784)``: "module:function" (imported when used).
AUGMENTATIONS = {
    "none": None,
    "light": "reseau.training.augmentation:augment",  # small shifts, rotations, zooms
    "drawing": "reseau.distort:random_drawing",  # what people draw: sizes, slants, elastic strokes, thickness
}
AUGMENTS = tuple(AUGMENTATIONS)


def augmentation(name: str) -> Callable[[np.ndarray, np.random.Generator], np.ndarray] | None:
    where = AUGMENTATIONS[name]
    if where is None:
        return None
    module, function = where.split(":")
    return getattr(importlib.import_module(module), function)


@dataclass
class CNNConfig(Config):
    """How to train a convolutional network on images ``(batch, 28, 28, 1)``.  The defaults are ``cnn``."""

    mode: ClassVar[str] = "cnn"
    LIMITS: ClassVar[dict[str, Range]] = {
        "learn_rate": LEARN_RATE,
        "batch_size": BATCH_SIZE,
        "epochs": EPOCHS,
        "dropout": FRACTION,
        "label_smoothing": Range(0, 0.5),
        "val_size": Range(0, 59000),
        "seed": SEED,
    }
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "optimizer": tuple(optimizers.OPTIMIZERS),
        "schedule": tuple(schedules.SCHEDULES),
        "augment": AUGMENTS,
    }

    conv: tuple[int, ...] = (32, 64)  # filters of each convolution block (conv, pool, [batch norm], ReLU)
    kernels: tuple[int, ...] = (5, 3)  # side of each block's square kernels (5: LeNet's)
    dense: tuple[int, ...] = (128,)  # dense hidden layers after the convolutions
    batch_norm: bool = True  # standardise each block's channels over the batch (Ioffe & Szegedy, 2015)
    dropout: float = 0.3  # fraction of dense hidden neurons switched off at each update
    optimizer: str = "adam"
    learn_rate: float = 0.002  # at the start; the schedule lowers it
    schedule: str = "cosine"
    batch_size: int = 64
    epochs: int = 12
    augment: str = "none"  # none, light (small shifts/rotations/zooms) or drawing (what people draw)
    label_smoothing: float = 0.0
    val_size: int = 0  # last training images held out to choose the best epoch (0: keep the last)
    seed: int = 0

    def check_more(self) -> None:
        side = SIDE
        for name, values, limit in (("conv", self.conv, FILTERS), ("kernels", self.kernels, KERNEL)):
            for value in values:
                if not isinstance(value, int) or isinstance(value, bool) or not limit.low <= value <= limit.high:
                    raise ConfigError("config.bad_int", field=name, value=value, low=limit.low, high=limit.high)
        if len(self.kernels) != len(self.conv):
            raise ConfigError("cnn.kernels", conv=len(self.conv), kernels=len(self.kernels))
        for k in self.kernels:
            side = (side - k + 1) // 2
        if not 1 <= len(self.conv) <= 3 or side < 1:
            raise ConfigError("cnn.too_small", conv=len(self.conv), kernels="-".join(map(str, self.kernels)))
        for n in self.dense:
            if not isinstance(n, int) or not NEURONS.low <= n <= NEURONS.high:
                raise ConfigError("config.bad_int", field="dense", value=n, low=NEURONS.low, high=NEURONS.high)

    def describe(self, preset: str | None = None) -> str:
        from reseau.i18n import counted, t

        return t(
            "cnn.header",
            preset=preset or "-",
            conv="-".join(map(str, self.conv)),
            kernels="-".join(f"{k}x{k}" for k in self.kernels),
            dense="-".join(map(str, self.dense)) or "-",
            batch_norm=t("training.yes" if self.batch_norm else "training.no"),
            dropout=self.dropout,
            optimizer=self.optimizer,
            lr=self.learn_rate,
            schedule=self.schedule,
            batch=self.batch_size,
            epochs=counted(self.epochs, "unit.epoch"),
            augment=self.augment,
            seed=self.seed,
        )

    def quick(self) -> CNNConfig:
        return self.with_(epochs=1, val_size=0)

    def cost(self) -> float:
        """Multiply-adds per image in the document trainer's units (784 per hidden neuron), per epoch, x3 for
        the backward pass."""
        macs, side, c = 0, SIDE, 1
        for filters, k in zip(self.conv, self.kernels):
            side -= k - 1
            macs += side * side * filters * k**2 * c
            side, c = side // 2, filters
        n = side * side * c
        for m in (*self.dense, 10):
            macs, n = macs + n * m, m
        return self.epochs * (3 * macs / 784 + 33.0)


CONFIG = CNNConfig
PRESETS: dict[str, CNNConfig] = {
    # LeNet-like, no augmentation.
    "cnn": CNNConfig(),
    # The network for drawings: the same, trained on what people draw
    # (shifts, rotations, sizes 0.7-1.3, elastic strokes, thinner and thicker lines).
    "dessin": CNNConfig(augment="drawing", epochs=16),
}


# ---------------------------------------------------------------------------
# The network: layers built from a plain description, parameters in one vector
# ---------------------------------------------------------------------------


def architecture(config: CNNConfig) -> list[dict[str, Any]]:
    """The layers of ``config``'s network as plain data (saved in the model file to rebuild it)."""
    spec: list[dict[str, Any]] = []
    side, c = SIDE, 1
    for k, (filters, size) in enumerate(zip(config.conv, config.kernels)):
        spec += [
            {"type": "conv", "name": f"conv{k}", "c_in": c, "c_out": filters, "k": size},
            {"type": "pool", "name": f"pool{k}"},
        ]
        if config.batch_norm:  # after pooling: 4 times fewer values, and max and a rising affine map commute
            spec.append({"type": "batchnorm", "name": f"bn{k}", "c": filters})
        spec.append({"type": "relu", "name": f"relu{k}"})
        side, c = (side - size + 1) // 2, filters
    spec.append({"type": "flatten", "name": "flatten"})
    n = side * side * c
    for k, m in enumerate(config.dense):
        spec += [
            {"type": "dense", "name": f"dense{k}", "n_in": n, "n_out": m},
            {"type": "relu", "name": f"relu_d{k}"},
            {"type": "dropout", "name": f"dropout{k}", "rate": config.dropout},
        ]
        n = m
    spec.append({"type": "dense", "name": "out", "n_in": n, "n_out": 10})
    return spec


def build(spec: list[dict[str, Any]]) -> list[Any]:
    """The layer objects of ``spec``; the first convolution needs no gradient for its input (the image)."""
    layers = [LAYERS[item["type"]](**{k: v for k, v in item.items() if k != "type"}) for item in spec]
    if layers and spec[0]["type"] == "conv":
        layers[0].needs_input_grad = False
    return layers


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


def forward(layers: list[Any], p: dict[str, np.ndarray], x: np.ndarray, training: bool) -> np.ndarray:
    """Rows ``x (n, 784)`` -> the output layer's pre-activations ``(n, 10)``."""
    a = x.reshape(len(x), SIDE, SIDE, 1)  # (n, 28, 28, 1): one channel of grey
    for layer in layers:
        a = layer.forward(a, p, training)
    return a


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


@dataclass
class ConvNetwork:
    """A trained convolutional network: its description and its parameters, ready to recognise."""

    spec: list[dict[str, Any]]  # the layers, as :func:`architecture` writes them
    params: dict[str, np.ndarray]  # "conv0.w" -> (k*k*c_in, c_out), ...

    def __post_init__(self) -> None:
        self.layers = build(self.spec)
        expected = {name: shape for layer in self.layers for name, shape in layer.shapes().items()}
        for name, shape in expected.items():
            if name not in self.params or self.params[name].shape != shape:
                got = self.params[name].shape if name in self.params else None
                raise ValueError(f"parameter {name}: expected shape {shape}, got {got}")

    @property
    def sizes(self) -> list[int]:
        """Values per layer that a dense network would call neurons: the image, each dense layer, the output."""
        return [SIDE * SIDE] + [item["n_out"] for item in self.spec if item["type"] == "dense"]

    @property
    def activations(self) -> list[str]:
        return [item["type"] for item in self.spec]

    def logits(self, x: np.ndarray) -> np.ndarray:
        return forward(self.layers, self.params, np.asarray(x, DTYPE), training=False)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Output values ``o`` (softmax) for rows ``x``: ``(n, 784) -> (n, 10)``; one image ``(784,)`` works too."""
        single = x.ndim == 1
        x2 = x.reshape(1, -1) if single else x
        o = np.concatenate([softmax(self.logits(x2[i : i + PREDICT_BATCH])) for i in range(0, len(x2), PREDICT_BATCH)])
        return o[0] if single else o

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.forward(np.atleast_2d(x)).argmax(axis=1)

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        digits = labels.argmax(axis=1) if labels.ndim == 2 else labels
        return float(np.mean(self.predict(images) == digits) * 100)

    def all_finite(self) -> bool:
        return all(np.isfinite(v).all() for v in self.params.values())

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """The values after each dense hidden layer (as rows) and the output ``o``: what the page shows."""
        a, outputs = np.asarray(x, DTYPE).reshape(len(x), SIDE, SIDE, 1), []
        for layer, item in zip(self.layers, self.spec):
            a = layer.forward(a, self.params, False)
            if item["type"] == "relu" and a.ndim == 2:
                outputs.append(a)
        return [*outputs, softmax(a)]

    def feature_maps(self, image: np.ndarray, block: int = 0) -> np.ndarray:
        """What the convolution block ``block`` sees in one image ``(784,)``: ``(h, w, filters)`` after ReLU."""
        a = np.asarray(image, DTYPE).reshape(1, SIDE, SIDE, 1)
        for layer, item in zip(self.layers, self.spec):
            a = layer.forward(a, self.params, False)
            if item["type"] == "relu" and item["name"] == f"relu{block}":
                return a[0]
        raise ValueError(f"no convolution block {block}")

    def filters(self, block: int = 0) -> np.ndarray:
        """The kernels of convolution ``block`` as ``(filters, k, k, c_in)``."""
        item = next(i for i in self.spec if i["name"] == f"conv{block}")
        w = self.params[f"conv{block}.w"]  # (k*k*c_in, c_out)
        return w.T.reshape(item["c_out"], item["k"], item["k"], item["c_in"])


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
    n_train = len(x) - config.val_size
    spec = architecture(config)
    slots = initial_slots(build(spec), config.seed)
    run = _Runner(config, spec, slots, x[:n_train], targets[:n_train], digits[:n_train])
    validation = (x[n_train:], digits[n_train:]) if config.val_size else None
    history, keeper = History(), BestEpoch(slots.flat)
    with run.pool:  # its two threads end with the training, even when a callback stops it
        for epoch in range(config.epochs):
            started = time.perf_counter()
            with np.errstate(over="ignore", invalid="ignore"), threadpool_limits(1, user_api="blas"):
                nr_correct, loss = run.epoch(on_progress)
            seconds = time.perf_counter() - started
            if not np.isfinite(slots.flat).all():
                raise DivergenceError(
                    "training.diverged", epoch=epoch, lr=config.learn_rate, optimizer=config.optimizer
                )
            network = ConvNetwork(spec, slots.values)
            report = EpochReport(
                epoch,
                nr_correct,
                n_train,
                network.accuracy(*test) if test is not None else None,
                seconds,
                network.accuracy(*validation) if validation else None,
                loss,
                run.last_lr,
            )
            history.epochs.append(report)
            keeper.offer(report, slots.flat, history)
            if on_epoch:
                on_epoch(report)
    kept = Slots({name: v.shape for name, v in slots.values.items()}, DTYPE)
    kept.flat[:] = keeper.flat
    return ConvNetwork(spec, kept.values), history


class _Runner:
    """What lives across epochs: the layers (one copy per shard), parameters, optimiser, random streams."""

    def __init__(self, config: CNNConfig, spec: list[dict[str, Any]], slots: Slots, x, targets, digits) -> None:
        self.config, self.slots = config, slots
        self.x, self.targets, self.digits = x, targets, digits
        self.optimizer = optimizers.make_optimizer(config.optimizer, len(slots.flat), DTYPE)
        self.shuffle_rng, self.augment_rng = (np.random.default_rng([config.seed, s]) for s in (1, 3))
        shapes = {name: v.shape for name, v in slots.values.items()}
        self.replicas = [build(spec) for _ in range(SHARDS)]  # one copy of the layers (and caches) per part
        self.shard_grads = [Slots(shapes, DTYPE) for _ in range(SHARDS)]  # a gradient vector per part
        for r, replica in enumerate(self.replicas):
            for layer in replica:
                if isinstance(layer, Dropout):
                    layer.rng = np.random.default_rng([config.seed, 2, r])
        self.pool = ThreadPoolExecutor(SHARDS, thread_name_prefix="reseau-cnn")
        self.augment = augmentation(config.augment)
        self.total_steps = -(-len(x) // config.batch_size) * config.epochs
        self.t, self.last_lr = 0, config.learn_rate

    def epoch(self, on_progress: ProgressFn | None) -> tuple[int, float]:
        """One pass over the training images in a new random order; returns (nr_correct, mean loss)."""
        n, size = len(self.x), self.config.batch_size
        order = self.shuffle_rng.permutation(n)
        nr_correct, loss_sum, next_report = 0, 0.0, PROGRESS_EVERY
        for start in range(0, n, size):
            batch = order[start : start + size]
            correct, loss = self.step(self.x[batch], self.targets[batch], self.digits[batch])
            nr_correct, loss_sum = nr_correct + correct, loss_sum + loss * len(batch)
            done = start + len(batch)
            if on_progress and (done >= next_report or done == n):
                on_progress(done, n)
                next_report = done + PROGRESS_EVERY
        return nr_correct, loss_sum / n

    def step(self, x: np.ndarray, targets: np.ndarray, digits: np.ndarray) -> tuple[int, float]:
        """One update on a batch ``x (b, 784)``; returns (images recognised, mean batch loss) before it."""
        if self.augment is not None:
            x = self.augment(x, self.augment_rng)
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
        grad = self.slots.grad
        np.copyto(grad, self.shard_grads[0].grad)
        for shard in self.shard_grads[1 : len(parts)]:
            grad += shard.grad  # the parts' gradients add up: each is its share of the batch's mean
        update_statistics(self.replicas[: len(parts)], shares, self.slots.values)
        self.last_lr = schedules.learn_rate_at(self.config.schedule, self.config.learn_rate, self.t, self.total_steps)
        self.optimizer.step(self.slots.flat, grad, self.last_lr)
        self.t += 1
        return sum(c for c, _ in results), sum(loss for _, loss in results)
