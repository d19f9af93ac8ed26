"""All the weights and biases of a network in one flat vector, seen layer by layer.

Keeping every parameter in one contiguous vector makes the optimisers simple
and fast: an Adam step is a handful of NumPy operations on one vector, however
many layers there are.  Each layer's ``W (n_out, n_in)`` and ``b (n_out,)`` are
views into that vector (weights first, then biases, so weight decay touches
``flat[:n_weights]`` only).  A gradient has the same layout, so backpropagation
writes each layer's gradient straight into its place.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


class Parameters:
    """``flat`` and its views ``weights[k] (n_out, n_in)``, ``biases[k] (n_out,)`` for ``sizes``."""

    def __init__(self, sizes: list[int], dtype=np.float32, flat: np.ndarray | None = None) -> None:
        self.sizes = list(sizes)
        shapes = list(zip(self.sizes[1:], self.sizes[:-1]))  # (n_out, n_in) per layer
        self.n_weights = sum(o * i for o, i in shapes)
        total = self.n_weights + sum(self.sizes[1:])
        self.flat = np.zeros(total, dtype) if flat is None else flat
        assert self.flat.shape == (total,)
        self.weights, self.biases = [], []
        w_at, b_at = 0, self.n_weights
        for n_out, n_in in shapes:
            self.weights.append(self.flat[w_at : w_at + n_out * n_in].reshape(n_out, n_in))
            self.biases.append(self.flat[b_at : b_at + n_out])
            w_at, b_at = w_at + n_out * n_in, b_at + n_out

    def zeros_like(self) -> Parameters:
        """A zero vector with the same layout (for gradients and optimiser state)."""
        return Parameters(self.sizes, self.flat.dtype)

    def copy(self) -> Parameters:
        return Parameters(self.sizes, flat=self.flat.copy())


def uniform(rng: np.random.RandomState, n_out: int, n_in: int) -> np.ndarray:
    """The document's ``np.random.uniform(-0.5, 0.5, (n_out, n_in))``."""
    return rng.uniform(-0.5, 0.5, (n_out, n_in))


def xavier(rng: np.random.RandomState, n_out: int, n_in: int) -> np.ndarray:
    """Glorot's uniform(-a, a), ``a = sqrt(6 / (n_in + n_out))``: keeps the signal's variance through sigmoid/tanh."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_out, n_in))


def he(rng: np.random.RandomState, n_out: int, n_in: int) -> np.ndarray:
    """normal(0, sqrt(2 / n_in)): the same idea for ReLU, which zeroes half its inputs."""
    return rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in))


# Each initialisation by name: ``(rng, n_out, n_in) -> float64 (n_out, n_in)``.  A new choice is one line here.
INITS: dict[str, Callable[[np.random.RandomState, int, int], np.ndarray]] = {
    "uniform": uniform,
    "xavier": xavier,
    "he": he,
}


def initial_parameters(sizes: list[int], init: str, seed: int, dtype=np.float32) -> Parameters:
    """Random weights (zero biases) for ``sizes``, drawn layer after layer from ``RandomState(seed)``.

    ``init`` names one of :data:`INITS`.  With ``uniform`` and ``sizes = [784, 20, 10]``
    these are exactly the faithful trainer's starting weights (drawn in float64,
    then rounded to ``dtype``).
    """
    rng = np.random.RandomState(seed)
    params = Parameters(sizes, dtype)
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}")
    for w in params.weights:
        w[:] = INITS[init](rng, *w.shape)  # (n_out, n_in), rounded to dtype
    return params
