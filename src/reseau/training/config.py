"""The modern trainer's settings: one dataclass, its checks, and the named presets.

Every idea beyond the document is one field, so a learner can switch them on
one at a time and measure each: the activation, the output and its loss, the
initialisation, the optimiser, the schedule, weight decay, dropout, mini-batch
size and data augmentation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from reseau.config import EPOCHS, SEED, Config, Range
from reseau.errors import ConfigError
from reseau.kinds import named

# What a user may choose: the keys of the tables that implement each choice (training.layers.ACTIVATIONS,
# losses.OUTPUTS, parameters.INITS, optimizers.OPTIMIZERS, schedules.SCHEDULES; tests/test_kinds.py checks
# they agree).  Written here as names, so the command line lists the settings without loading NumPy.
ACTIVATIONS = ("sigmoid", "tanh", "relu")
OUTPUTS = ("sigmoid", "softmax")
INITS = ("uniform", "xavier", "he")
OPTIMIZERS = ("sgd", "momentum", "adam")
SCHEDULES = ("none", "step", "cosine")
# What each ``augment`` setting does to a batch ``(b, 784)``: "module:function" (imported when used).
AUGMENTATIONS = {
    "none": None,
    "light": "reseau.training.augmentation:augment",  # small shifts, rotations, zooms
    "drawing": "reseau.distort:random_drawing",  # what people draw: sizes, slants, elastic strokes, thickness
}
NEURONS = Range(1, 8192)  # per hidden layer; more does not fit a laptop's memory for MNIST
LAYERS = Range(1, 8)  # hidden layers
LEARN_RATE = Range(0, 100, low_open=True)  # beyond 100 nothing can be learned: a typo, not an experiment
BATCH_SIZE = Range(1, 60000)
VAL_SIZE = Range(0, 59000)
FRACTION = Range(0, 0.95)  # dropout rates: dropping every neuron would leave nothing to learn
SMOOTHING = Range(0, 0.5)
WEIGHT_DECAY = Range(0, 1)
PATIENCE = Range(0, 1000)


@dataclass
class TrainConfig(Config):
    """How to train a multi-layer perceptron on rows ``(batch, 784)``.

    The defaults are the ``better`` preset: the document's network with three
    ideas added (softmax + cross-entropy, ReLU + He initialisation, mini-batches
    of 32 with momentum), 100 hidden neurons.
    """

    mode: ClassVar[str] = "modern"
    LIMITS: ClassVar[dict[str, Range]] = {
        "learn_rate": LEARN_RATE,
        "batch_size": BATCH_SIZE,
        "epochs": EPOCHS,
        "weight_decay": WEIGHT_DECAY,
        "dropout": FRACTION,
        "input_dropout": FRACTION,
        "label_smoothing": SMOOTHING,
        "val_size": VAL_SIZE,
        "seed": SEED,
        "patience": PATIENCE,
    }
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "activation": ACTIVATIONS,
        "output": OUTPUTS,
        "init": INITS,
        "optimizer": OPTIMIZERS,
        "schedule": SCHEDULES,
        "augment": tuple(AUGMENTATIONS),
    }

    layers: tuple[int, ...] = (100,)  # hidden layer sizes, input side first (document: (20,))
    activation: str = "relu"  # hidden activation: sigmoid (document), tanh or relu
    output: str = "softmax"  # sigmoid (document: delta_o = o - l) or softmax + cross-entropy
    init: str = "he"  # uniform(-0.5, 0.5) (document), xavier (Glorot) or he
    optimizer: str = "momentum"  # sgd (document), momentum (0.9) or adam
    learn_rate: float = 0.05  # step size at the start of training (document: 0.01)
    batch_size: int = 32  # images per update (document: 1)
    epochs: int = 15  # passes over the training images (document: 3)
    schedule: str = "cosine"  # learning rate over time: none, step (/10 at 50 % and 75 %) or cosine
    weight_decay: float = 0.0  # L2 decay of the weights per step: w -= learn_rate * weight_decay * w
    dropout: float = 0.0  # fraction of hidden neurons switched off at each update (0 = none)
    val_size: int = 10000  # last training images held out to choose the best epoch (0 = none)
    augment: str = "none"  # none, light (small shifts/rotations/zooms) or drawing (what people draw)
    seed: int = 0  # seeds the initial weights, the shuffling, dropout and augmentation
    patience: int = 0  # stop after this many epochs without a better validation score (0 = never)
    label_smoothing: float = 0.0  # softmax only: the target is (1 - s) * l + s / 10 instead of l
    input_dropout: float = 0.0  # fraction of input pixels switched off at each update

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, input first: ``[784, 100, 10]``."""
        return [784, *self.layers, 10]

    @classmethod
    def upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Files written before version 0.2 say ``augment`` as true or false."""
        if isinstance(data.get("augment"), bool):
            return {**data, "augment": "light" if data["augment"] else "none"}
        return data

    def hidden_sizes(self) -> list[int]:
        return list(self.layers)

    def layout(self) -> list[str]:
        """Each layer's activation, as the trainer builds the network: the hidden ones', then the output's."""
        return [self.activation] * len(self.layers) + [self.output]

    def check_more(self) -> None:
        ok = isinstance(self.layers, (tuple, list)) and LAYERS.low <= len(self.layers) <= LAYERS.high
        if not ok or not all(
            isinstance(n, int) and not isinstance(n, bool) and NEURONS.low <= n <= NEURONS.high for n in self.layers
        ):
            raise ConfigError(
                "training.bad_layers", value=self.layers, max_layers=LAYERS.high, max_neurons=NEURONS.high
            )
        if self.label_smoothing and self.output != "softmax":
            raise ConfigError("training.smoothing_needs_softmax", value=self.label_smoothing)

    def describe(self, preset: str | None = None) -> str:
        """One line, in the user's language, that says everything needed to repeat the run."""
        from reseau.i18n import counted, format_count, t

        return t(
            "training.header",
            preset=preset or "-",
            sizes="-".join(map(str, self.sizes)),
            activation=self.activation,
            output=self.output,
            init=self.init,
            optimizer=self.optimizer,
            lr=self.learn_rate,
            schedule=self.schedule,
            batch=self.batch_size,
            epochs=counted(self.epochs, "unit.epoch"),
            dropout=self.dropout,
            input_dropout=self.input_dropout,
            decay=self.weight_decay,
            smoothing=self.label_smoothing,
            augment=self.augment,
            val=format_count(self.val_size),
            seed=self.seed,
        )

    def cost(self) -> float:
        """Multiply-adds per image in the faithful trainer's units (784 per hidden neuron), per epoch."""
        per_image = sum(a * b for a, b in zip(self.sizes, self.sizes[1:])) / 784
        return self.epochs * (per_image + 33.0)


# The named presets ("document" is the faithful trainer's, in reseau.faithful).
PRESETS: dict[str, TrainConfig] = {
    # The document's network plus a few ideas: softmax + cross-entropy,
    # ReLU with He initialisation, 100 hidden neurons, mini-batches with
    # momentum and a cosine schedule.  Measured: 97.94 ± 0.13 % on the test
    # images (3 seeds), about 10 s on two cores.
    "better": TrainConfig(),
    # The most accurate plain MLP reached here in under two minutes of training
    # on two cores: two wide ReLU layers, Adam, cosine schedule, dropout on the
    # hidden layers and the input, label smoothing.  Measured: 98.68 ± 0.02 %
    # (3 seeds), 98.5 % after 25-70 s, 15 epochs in 76 s on a quiet machine.
    "best": TrainConfig(
        layers=(1024, 1024),
        activation="relu",
        output="softmax",
        init="he",
        optimizer="adam",
        learn_rate=0.001,
        batch_size=128,
        epochs=15,
        schedule="cosine",
        dropout=0.3,
        input_dropout=0.1,
        label_smoothing=0.1,
    ),
}
# "best" with light augmentation (shifts, rotations, zooms) and more epochs
# (input dropout off: the augmentation already varies the pixels).
# Measured: 99.22 ± 0.09 % (3 seeds), 40 epochs in about 220 s.
PRESETS["best-augment"] = PRESETS["best"].with_(epochs=40, input_dropout=0.0, augment="light")

# One idea at a time, from the document to the best preset: each step changes
# what its name says and keeps the rest, so the gain of each idea can be measured
# (benchmarks/bench_modern.py --ladder).  The first step is the document's
# network and update in this trainer (batch of one, textbook backpropagation
# order, float32, 50 000 images: the other 10 000 are the validation set).
_DOCUMENT_LIKE = TrainConfig(
    layers=(20,),
    activation="sigmoid",
    output="sigmoid",
    init="uniform",
    optimizer="sgd",
    learn_rate=0.01,
    batch_size=1,
    epochs=3,
    schedule="none",
)
LADDER: list[tuple[str, TrainConfig]] = [
    ("document", _DOCUMENT_LIKE),
    ("+ softmax & cross-entropy", _DOCUMENT_LIKE.with_(output="softmax")),
    (
        "+ ReLU, He init, 100 hidden",
        _DOCUMENT_LIKE.with_(output="softmax", activation="relu", init="he", layers=(100,)),
    ),
    ("+ batches of 32, momentum, cosine, 15 epochs (better)", PRESETS["better"]),
    ("+ 2 x 1024, Adam, dropout, label smoothing (best)", PRESETS["best"]),
    ("+ augmentation, 40 epochs (best-augment)", PRESETS["best-augment"]),
]


def augmentation(name: str) -> Callable[..., Any] | None:
    """The function of the augmentation ``name``, ``(images (b, 784), generator, digits=(b,)) -> images`` (None
    for "none")."""
    where = AUGMENTATIONS[name]
    return None if where is None else named(where)


def check_dataset(config: Any, dataset: str) -> None:
    """Refuse an augmentation made for another dataset: ``drawing`` writes handwritten digits (ConfigError)."""
    if getattr(config, "augment", "none") == "drawing" and dataset != "mnist":
        raise ConfigError("training.drawing_needs_digits", dataset=dataset)
