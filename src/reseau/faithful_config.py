"""The document's settings: the hidden neurons, the learning rate, the epochs, the seed, the engine.

Kept apart from :mod:`reseau.faithful` (the algorithm), so the command line
can list them without loading NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reseau.config import EPOCHS, SEED, Config, Range

ENGINES = ("fast", "reference")  # the keys of reseau.faithful.ENGINES: the same arithmetic, compiled or read
HIDDEN = Range(1, 4096)  # neurons in the hidden layer
LEARN_RATE = Range(0, 1000, low_open=True)  # beyond 1000 nothing can be learned: a typo, not an experiment


@dataclass
class FaithfulConfig(Config):
    """The document's hyper-parameters; the defaults are the document's values."""

    mode: ClassVar[str] = "faithful"
    LIMITS: ClassVar[dict[str, Range]] = {"hidden": HIDDEN, "learn_rate": LEARN_RATE, "epochs": EPOCHS, "seed": SEED}
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"engine": ENGINES}
    FACTORS: ClassVar[dict[str, str] | None] = {"epochs": "epochs", "hidden": "hidden", "lr": "learn_rate"}

    hidden: int = 20  # neurons in the hidden layer (document: 20)
    learn_rate: float = 0.01  # step size of every update (document: learn_rate = 0.01)
    epochs: int = 3  # passes over the 60 000 images (document: epochs = 3)
    seed: int = 0  # np.random.seed(seed) before drawing the weights (the document sets none)
    engine: str = "fast"  # "fast" (compiled, default) or "reference" (NumPy, line by line)

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, input first: ``[784, 20, 10]``."""
        return [784, self.hidden, 10]

    def hidden_sizes(self) -> list[int]:
        return [self.hidden]

    def layout(self) -> list[str]:
        """The document's network is sigmoid, sigmoid by definition: no model file can say otherwise."""
        return ["sigmoid", "sigmoid"]

    def describe(self, preset: str | None = None) -> str:
        """One line, in the user's language, that says everything needed to repeat the run."""
        from reseau.i18n import counted, t

        return t(
            "train.header",
            sizes="-".join(map(str, self.sizes)),
            lr=self.learn_rate,
            epochs=counted(self.epochs, "unit.epoch"),
            seed=self.seed,
            engine=self.engine,
        )

    def cost(self) -> float:
        """Measured with the fast engine: an epoch costs about ``hidden + 33`` units (its test pass included)."""
        return self.epochs * (self.hidden + 33.0)


PRESETS: dict[str, FaithfulConfig] = {"document": FaithfulConfig()}  # the document's NN.py, as printed
