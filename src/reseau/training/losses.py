"""The output layer and its loss: the document's sigmoid outputs, or softmax + cross-entropy.

Both give the same simple error signal at the output, ``delta = o - l``
(divided by the batch size, since the loss is a mean over the batch):

* ``sigmoid`` (the document): ``o = sigmoid(o_pre)`` and ``delta_o = o - l``.
  The document computes the squared error ``e`` but never uses it; its
  ``delta_o = o - l`` is the exact gradient of the *binary cross-entropy*
  ``-sum(l log o + (1 - l) log(1 - o))`` (the squared error's gradient would
  carry an extra ``o (1 - o)``).  That is the loss reported and checked here.
* ``softmax``: ``o = softmax(o_pre)`` sums to 1 over the ten digits, and the
  cross-entropy ``-sum(l log o)`` has gradient ``o - l``.  With label
  smoothing the target ``l`` becomes ``(1 - s) l + s / 10``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


def sigmoid_(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-z))`` in place, never overflowing (as :func:`reseau.network.sigmoid`)."""
    limit = np.log(np.finfo(z.dtype).max) - 1.0  # 87.7 (float32), 708.8 (float64)
    np.maximum(z, -limit, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1
    return np.reciprocal(z, out=z)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise ``log(softmax(z))`` computed stably: ``z - max - log(sum(exp(z - max)))``."""
    shifted = z - z.max(axis=1, keepdims=True)  # (n, 10), largest value 0 per row
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


class Output(NamedTuple):
    """An output layer: its values ``o (n, 10)`` and its mean loss, both from pre-activations ``z (n, 10)``."""

    values: Callable[[np.ndarray], np.ndarray]  # z -> o, z left unchanged
    loss: Callable[[np.ndarray, np.ndarray], float]  # (z, targets) -> mean loss over the batch


def binary_cross_entropy(z: np.ndarray, targets: np.ndarray) -> float:
    """The sigmoid's loss from ``z``, stably: ``softplus(z) - l z``, where
    ``softplus(z) = max(z, 0) + log(1 + exp(-|z|))``."""
    softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    return float((softplus - targets * z).sum() / len(z))


def cross_entropy(z: np.ndarray, targets: np.ndarray) -> float:
    """The softmax's loss ``-sum(l log o)``, averaged over the batch."""
    return float(-(targets * log_softmax(z)).sum() / len(z))


# Each output layer by name.  A new choice is one line here.
OUTPUTS: dict[str, Output] = {
    "sigmoid": Output(lambda z: sigmoid_(z.copy()), binary_cross_entropy),
    "softmax": Output(lambda z: np.exp(log_softmax(z)), cross_entropy),
}


def _output(name: str) -> Output:
    """``OUTPUTS[name]``, or a ValueError naming the unknown output."""
    if name not in OUTPUTS:
        raise ValueError(f"unknown output {name!r}")
    return OUTPUTS[name]


def output_values(output: str, z: np.ndarray) -> np.ndarray:
    """The output layer's values ``o (n, 10)`` from its pre-activations ``z`` (left unchanged)."""
    return _output(output).values(z)


def output_and_loss(output: str, z: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, float]:
    """``o (n, 10)`` and the mean loss, in one pass (the training loop's hot path; ``z`` is overwritten).

    Softmax: with ``z`` shifted by its row maximum and ``s = sum(exp(z))`` per
    row, ``log o = z - log s``; since each target row sums to 1, the
    cross-entropy is ``mean(log s) - sum(l * z) / n``.
    """
    if output == "softmax":
        z -= z.max(axis=1, keepdims=True)  # (n, 10), largest 0 per row: exp cannot overflow
        o = np.exp(z)
        sums = o.sum(axis=1, keepdims=True)  # (n, 1)
        o /= sums
        loss = np.log(sums).sum() - np.vdot(targets, z)
        return o, float(loss) / len(z)
    loss = loss_value(output, z, targets)
    return sigmoid_(z), loss


def smoothed(targets: np.ndarray, smoothing: float) -> np.ndarray:
    """Label smoothing: ``(1 - s) l + s / 10`` per row of one-hot ``targets (n, 10)``."""
    if not smoothing:
        return targets
    return targets * (1 - smoothing) + smoothing / targets.shape[1]


def loss_value(output: str, z: np.ndarray, targets: np.ndarray) -> float:
    """Mean loss over the batch for pre-activations ``z (n, 10)`` and ``targets (n, 10)``."""
    return _output(output).loss(z, targets)


def output_delta(o: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """``d(mean loss)/d(z) = (o - l) / n``, the same for both outputs (see the module docstring)."""
    return output_delta_(o.copy(), targets)


def output_delta_(o: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """:func:`output_delta` computed in the place of ``o``."""
    o -= targets  # (n, 10): the document's delta_o = o - l
    o *= o.dtype.type(1 / len(o))  # the loss is a mean over the batch
    return o
