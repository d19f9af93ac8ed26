"""Forward and backward passes of a multi-layer perceptron on a mini-batch of rows.

Layer ``k`` computes ``a_{k+1} = f(a_k @ W_k.T + b_k)`` for a batch of rows
``a_k (n, n_in)``.  The hidden activation ``f`` is sigmoid, tanh or ReLU; the
output layer is handled by :mod:`reseau.training.losses`.  Each activation's
derivative is written from its *output* ``a`` (``a (1 - a)`` for the
sigmoid, as in the document's ``h * (1 - h)``), so the pre-activations need
not be kept.

Dropout (inverted): during training each hidden value is kept with
probability ``1 - rate`` and the kept ones are divided by ``1 - rate``, so the
expected value is unchanged and the trained weights are used as they are at
inference time.  The same masks scale the gradient on the way back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from reseau.training import losses
from reseau.training.parameters import Parameters

# The hidden activations, in place: each overwrites ``z (n, m)`` with ``f(z)`` and returns it.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": losses.sigmoid_,
    "tanh": lambda z: np.tanh(z, out=z),
    "relu": lambda z: np.maximum(z, 0, out=z),
}

# Their derivatives: ``delta (n, m) *= f'(z)`` in place, with ``f'`` written from the output ``a = f(z) (n, m)``.
DERIVATIVES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "sigmoid": lambda delta, a: np.multiply(delta, a * (1 - a), out=delta),  # the document's h * (1 - h)
    "tanh": lambda delta, a: np.multiply(delta, 1 - a * a, out=delta),  # tanh' = 1 - tanh^2
    "relu": lambda delta, a: np.multiply(delta, a > 0, out=delta),  # f' = 1 where a > 0, else 0
}


def _look_up(table: dict, name: str):
    """``table[name]``, or a ValueError naming the unknown activation."""
    if name not in table:
        raise ValueError(f"unknown activation {name!r}")
    return table[name]


def activate_(name: str, z: np.ndarray) -> np.ndarray:
    """Apply the hidden activation ``name`` to ``z (n, m)`` in place and return it."""
    return _look_up(ACTIVATIONS, name)(z)


def times_derivative_(name: str, delta: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``delta (n, m) *= f'(z)`` in place, with ``f'`` written from the activation's output ``a = f(z) (n, m)``."""
    return _look_up(DERIVATIVES, name)(delta, a)


@dataclass
class Cache:
    """What the backward pass needs from the forward pass of one batch of ``n`` rows."""

    inputs: list[np.ndarray] = field(default_factory=list)  # inputs[k]: layer k's input after dropout, (n, n_in)
    hidden: list[np.ndarray] = field(default_factory=list)  # hidden[k]: hidden layer k's output before dropout
    masks: list[np.ndarray | None] = field(default_factory=list)  # masks[k]: dropout scale on inputs[k], or None
    z_out: np.ndarray | None = None  # output pre-activations (n, 10): the loss turns them into o


def dropout_mask(rng: np.random.Generator | None, shape: tuple[int, int], rate: float) -> np.ndarray | None:
    """float32 ``(n, m)`` of ``0`` (dropped) and ``1 / (1 - rate)`` (kept), or None when there is no dropout."""
    if rng is None or rate <= 0:
        return None
    keep = 1.0 - rate
    draws = rng.random(shape, dtype=np.float32)  # (n, m) uniform in [0, 1)
    kept = draws < keep  # (n, m) booleans, True with probability keep
    return np.multiply(kept, np.float32(1.0 / keep), out=draws)  # reuse the draws' memory


def forward(
    params: Parameters,
    x: np.ndarray,
    activation: str,
    rng: np.random.Generator | None = None,
    dropout: float = 0.0,
    input_dropout: float = 0.0,
) -> Cache:
    """Run rows ``x (n, 784)`` up to the output pre-activations; dropout only when ``rng`` is given."""
    cache = Cache()
    a = x
    n_layers = len(params.weights)
    for k, (w, b) in enumerate(zip(params.weights, params.biases)):
        mask = dropout_mask(rng, a.shape, input_dropout if k == 0 else dropout)
        if mask is not None:
            a = a * mask  # (n, n_in) * (n, n_in)
        cache.inputs.append(a)
        cache.masks.append(mask)
        z = a @ w.T  # (n, n_in) @ (n_in, n_out) -> (n, n_out)
        z += b  # + (n_out,)
        if k == n_layers - 1:
            cache.z_out = z
        else:
            a = activate_(activation, z)
            cache.hidden.append(a)
    return cache


def backward(params: Parameters, grads: Parameters, cache: Cache, delta: np.ndarray, activation: str) -> Parameters:
    """Fill ``grads`` with d(loss)/d(parameters), given ``delta = d(loss)/d(z_out) (n, 10)``.

    Layer ``k``'s gradient is ``delta_k.T @ input_k`` and ``delta_k`` summed over
    the batch; ``delta`` then goes back through ``W_k``, the dropout mask and
    the activation's derivative.  The input's own gradient is never needed, so
    the first layer stops there (a third of the work of a 784-wide layer).
    """
    for k in range(len(params.weights) - 1, -1, -1):
        np.matmul(delta.T, cache.inputs[k], out=grads.weights[k])  # (n_out, n) @ (n, n_in) -> (n_out, n_in)
        np.sum(delta, axis=0, out=grads.biases[k])  # (n, n_out) -> (n_out,)
        if k == 0:
            break
        delta = delta @ params.weights[k]  # (n, n_out) @ (n_out, n_in) -> (n, n_in)
        if cache.masks[k] is not None:
            delta *= cache.masks[k]  # dropped neurons pass no gradient
        times_derivative_(activation, delta, cache.hidden[k - 1])  # (n, n_in) * f'(z)
    return grads
