"""The convolutional network's settings: its blocks, kernels, dense layers and training, and the presets.

Kept apart from :mod:`reseau.training.cnn` (the training), so the command
line can list them without loading NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from reseau.config import EPOCHS, SEED, Config, Range, check_int
from reseau.errors import ConfigError
from reseau.training.config import AUGMENTATIONS, OPTIMIZERS, PATIENCE, SCHEDULES

SIDE = 28  # MNIST images are 28 x 28, one channel
FILTERS = Range(1, 256)  # per convolution
KERNEL = Range(2, 7)  # side of a square kernel
NEURONS = Range(1, 4096)  # per dense layer
LEARN_RATE = Range(0, 1, low_open=True)
BATCH_SIZE = Range(1, 4096)
FRACTION = Range(0, 0.95)
BLOCKS = Range(1, 3)  # convolution blocks: a 28 x 28 image has room for at most three


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
        "patience": PATIENCE,
    }
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "optimizer": OPTIMIZERS,
        "schedule": SCHEDULES,
        "augment": tuple(AUGMENTATIONS),
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
    seed: int = 0  # seeds the initial weights, the shuffling, dropout and augmentation
    patience: int = 0  # stop after this many epochs without a better validation score (0 = never)

    def check_more(self) -> None:
        side = SIDE
        for name, values, limit in (("conv", self.conv, FILTERS), ("kernels", self.kernels, KERNEL)):
            for value in values:
                check_int(name, value, limit)
        if len(self.kernels) != len(self.conv):
            raise ConfigError("cnn.kernels", conv=len(self.conv), kernels=len(self.kernels))
        for k in self.kernels:
            side = (side - k + 1) // 2
        if not BLOCKS.low <= len(self.conv) <= BLOCKS.high or side < 1:
            raise ConfigError("cnn.too_small", conv=len(self.conv), kernels="-".join(map(str, self.kernels)))
        for n in self.dense:
            if not isinstance(n, int) or not NEURONS.low <= n <= NEURONS.high:
                raise ConfigError("config.bad_int", field="dense", value=n, low=NEURONS.low, high=NEURONS.high)

    def hidden_sizes(self) -> list[int]:
        return list(self.dense)

    def layout(self) -> list[dict[str, Any]]:
        """The layers as plain data (:func:`architecture`)."""
        return architecture(self)

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


PRESETS: dict[str, CNNConfig] = {
    # LeNet-like, no augmentation.
    "cnn": CNNConfig(),
    # The network for drawings: the same, trained on what people write (reseau.distort.random_drawing:
    # shifts, rotations, sizes 0.7-1.3, elastic strokes, thinner and thicker pens up to markers, blurred and
    # coarse scans, faint pencils, French 1s and 7s, half of them prepared as the page prepares a drawing),
    # with a dense layer of 256 and 18 epochs: what all of that asks of one network (with 128 and 16 epochs it
    # read 96.65 % of the 8x8 scans; measured in the docs' benchmarks page).
    "dessin": CNNConfig(dense=(256,), augment="drawing", epochs=18),
}


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
