"""A trained network: its parameters, the forward pass and the prediction.

Batches are rows: ``x`` has shape ``(n, 784)``.  Weights keep the document's
orientation, ``W`` of shape ``(n_out, n_in)`` (``w_i_h`` is ``(20, 784)``), so a
layer computes ``x @ W.T + b``.  The same class holds the document's 784-20-10
sigmoid network and the deeper networks of the modern trainer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` as the document writes it, without ever overflowing.

    ``exp(-x)`` overflows for x below about -709 (float64) or -88 (float32).
    There the sigmoid is 0 to within 1e-300 anyway, so x is clipped just above
    that limit: for every other x the result is bit-for-bit the document's.
    """
    limit = np.log(np.finfo(x.dtype).max) - 1.0  # 708.8 (float64), 87.7 (float32)
    return 1 / (1 + np.exp(-np.maximum(x, -limit)))


def softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum so ``exp`` never overflows."""
    z = np.exp(x - x.max(axis=-1, keepdims=True))  # (n, k)
    return z / z.sum(axis=-1, keepdims=True)


# Each layer's activation by name: ``(n, m) -> (n, m)``.  A new choice is one line here.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0),
    "softmax": softmax,
    "identity": lambda x: x,
}


def activate(name: str, x: np.ndarray) -> np.ndarray:
    """The activation ``name`` applied to ``x (n, m)``; a ValueError lists the choices for an unknown name."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {tuple(ACTIVATIONS)}")
    return ACTIVATIONS[name](x)


@dataclass
class Network:
    """A multi-layer perceptron: ``weights[k]`` is ``(n_out, n_in)``, ``biases[k]`` is ``(n_out,)``."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: list[str] = field(default_factory=lambda: ["sigmoid", "sigmoid"])

    def __post_init__(self) -> None:
        if not (len(self.weights) == len(self.biases) == len(self.activations)):
            raise ValueError("one weight matrix, one bias vector and one activation per layer")
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            if w.ndim != 2 or b.shape != (w.shape[0],):
                raise ValueError(f"layer {k}: weights {w.shape} and biases {b.shape} do not fit")
            if k and w.shape[1] != self.weights[k - 1].shape[0]:
                raise ValueError(
                    f"layer {k} takes {w.shape[1]} inputs, the previous gives {self.weights[k - 1].shape[0]}"
                )
        for name in self.activations:
            if name not in ACTIVATIONS:
                raise ValueError(f"unknown activation {name!r}; choose one of {tuple(ACTIVATIONS)}")

    @classmethod
    def from_document(cls, w_i_h: np.ndarray, b_i_h: np.ndarray, w_h_o: np.ndarray, b_h_o: np.ndarray) -> Network:
        """The document's four arrays (biases as columns ``(20, 1)``) -> a Network."""
        return cls(
            [np.array(w_i_h), np.array(w_h_o)],
            [np.array(b_i_h).reshape(-1), np.array(b_h_o).reshape(-1)],
            ["sigmoid", "sigmoid"],
        )

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, input first: ``[784, 20, 10]`` for the document."""
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]

    # The document's names, for its two-layer network.
    @property
    def w_i_h(self) -> np.ndarray:
        return self.weights[0]

    @property
    def w_h_o(self) -> np.ndarray:
        return self.weights[-1]

    @property
    def b_i_h(self) -> np.ndarray:
        return self.biases[0]

    @property
    def b_h_o(self) -> np.ndarray:
        return self.biases[-1]

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """Every layer's values for rows ``x (n, 784)``: ``[h, ..., o]``, each ``(n, size)``."""
        outputs = []
        a = x
        for w, b, name in zip(self.weights, self.biases, self.activations):
            a = activate(name, a @ w.T + b)  # (n, n_in) @ (n_in, n_out) + (n_out,) -> (n, n_out)
            outputs.append(a)
        return outputs

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Output values ``o`` for rows ``x``: ``(n, 784) -> (n, 10)``; a single image ``(784,)`` works too."""
        single = x.ndim == 1
        o = self.layer_outputs(x.reshape(1, -1) if single else x)[-1]
        return o[0] if single else o

    def predict(self, x: np.ndarray, batch: int = 10000) -> np.ndarray:
        """The recognised digit (the index of the largest output) for each row of ``x``."""
        x = np.atleast_2d(x)
        return np.concatenate([self.forward(x[i : i + batch]).argmax(axis=1) for i in range(0, len(x), batch)])

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        """Percentage of ``images (n, 784)`` whose prediction equals ``labels`` (one-hot or digits)."""
        digits = labels.argmax(axis=1) if labels.ndim == 2 else labels
        return float(np.mean(self.predict(images) == digits) * 100)

    def all_finite(self) -> bool:
        return all(np.isfinite(p).all() for p in self.weights + self.biases)
