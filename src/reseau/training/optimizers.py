"""How a gradient becomes a step: plain SGD (the document), momentum, Adam; and weight decay.

Each optimiser works on the flat parameter vector ``p (P,)`` and its gradient
``g (P,)`` (see :mod:`reseau.training.parameters`) in place, and may use ``g``
as scratch space once it has read it (the next backward pass rewrites it).

Each has a readable NumPy ``step`` (a few whole-vector operations) and, used
in training, the same arithmetic fused into one compiled loop (``fast=True``):
one pass over memory instead of four to eleven, which matters when the step
itself is a third of the time of a small network's update.  Tests check the
two agree.  Given a ``pool`` of two threads, the fused step runs on each half
of the vector in its own thread (:func:`in_halves`; the convolutional trainer
does this).
"""

from __future__ import annotations

import functools
import math
from concurrent.futures import Executor

import numpy as np

MOMENTUM = 0.9  # the usual momentum coefficient
BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8  # Adam's usual constants (Kingma & Ba, 2015)


class SGD:
    """The document's rule, ``w += -learn_rate * gradient``."""

    def __init__(self, size: int = 0, dtype=np.float32, fast: bool = False) -> None:
        self.fast = fast

    def step(self, p: np.ndarray, g: np.ndarray, lr: float, pool: Executor | None = None) -> None:
        if self.fast:
            return in_halves(pool, _kernels()["sgd"], (p, g), (p.dtype.type(lr),))
        g *= lr  # (P,)
        p -= g


class Momentum:
    """Heavy ball: ``v = 0.9 v + g``; ``p -= lr v``: steps build up speed along steady directions."""

    def __init__(self, size: int, dtype, fast: bool = False) -> None:
        self.v = np.zeros(size, dtype)  # velocity (P,)
        self.fast = fast

    def step(self, p: np.ndarray, g: np.ndarray, lr: float, pool: Executor | None = None) -> None:
        if self.fast:
            f = p.dtype.type
            return in_halves(pool, _kernels()["momentum"], (p, g, self.v), (f(lr), f(MOMENTUM)))
        self.v *= MOMENTUM
        self.v += g
        np.multiply(self.v, lr, out=g)
        p -= g


class Adam:
    """Adam: the step follows a running mean of the gradient, divided by its running RMS.

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2``, and with the
    bias corrections ``m^ = m / (1 - b1^t)``, ``v^ = v / (1 - b2^t)``:
    ``p -= lr m^ / (sqrt(v^) + eps)``.  Every parameter gets its own step size.
    """

    def __init__(self, size: int, dtype, fast: bool = False) -> None:
        self.m = np.zeros(size, dtype)  # first moment (P,)
        self.v = np.zeros(size, dtype)  # second moment (P,)
        self.scratch = None if fast else np.empty(size, dtype)
        self.t = 0
        self.fast = fast

    def step(self, p: np.ndarray, g: np.ndarray, lr: float, pool: Executor | None = None) -> None:
        self.t += 1
        if self.fast:
            f = p.dtype.type
            step_size, rms_scale = lr / (1 - BETA1**self.t), 1 / math.sqrt(1 - BETA2**self.t)
            scalars = (f(step_size), f(rms_scale), f(BETA1), f(BETA2), f(EPSILON))
            return in_halves(pool, _kernels()["adam"], (p, g, self.m, self.v), scalars)
        s = self.scratch
        assert s is not None  # made for the NumPy step
        self.m *= BETA1
        np.multiply(g, 1 - BETA1, out=s)
        self.m += s  # m = b1 m + (1 - b1) g
        np.multiply(g, g, out=s)
        s *= 1 - BETA2
        self.v *= BETA2
        self.v += s  # v = b2 v + (1 - b2) g^2
        np.sqrt(self.v, out=s)
        s *= 1 / math.sqrt(1 - BETA2**self.t)  # sqrt(v^) = sqrt(v) / sqrt(1 - b2^t)
        s += EPSILON  # sqrt(v^) + eps
        np.divide(self.m, s, out=s)
        s *= lr / (1 - BETA1**self.t)  # lr m^ / (sqrt(v^) + eps)
        p -= s


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}  # name -> class(size, dtype, fast)


def in_halves(pool: Executor | None, kernel, vectors: tuple[np.ndarray, ...], scalars: tuple) -> None:
    """``kernel(*vectors, *scalars)``, a loop over each element on its own: at once, or given a ``pool``
    of two threads, on each half of the vectors in its own thread (the same numbers either way).

    The step is bound by memory (Adam reads and writes four vectors of 226 000 values for ``cnn``,
    432 000 for ``dessin`` and its dense layer of 256): two cores share it while the training's threads wait.
    """
    if pool is None:
        return kernel(*vectors, *scalars)
    cut = len(vectors[0]) // 2
    halves = [pool.submit(kernel, *(v[:cut] for v in vectors), *scalars)]
    kernel(*(v[cut:] for v in vectors), *scalars)  # the other half here, meanwhile
    halves[0].result()


def make_optimizer(name: str, size: int, dtype, fast: bool = True):
    """The optimiser ``name`` for ``size`` parameters; ``fast`` uses the fused compiled step."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}")
    return OPTIMIZERS[name](size, dtype, fast)


@functools.cache
def _kernels() -> dict:
    """The fused steps, compiled on first use (and cached on disk by numba).

    The scalars are passed as float32 so the loops stay in float32 and
    vectorise; ``error_model="numpy"`` drops Python's division-by-zero check,
    which would stop vectorisation (``sqrt(v) + eps`` is never 0 anyway).
    """
    import numba

    jit = numba.njit(cache=True, nogil=True, error_model="numpy")

    @jit
    def sgd(p, g, lr):  # pragma: no cover - compiled
        for i in range(p.size):
            p[i] -= g[i] * lr

    @jit
    def momentum(p, g, v, lr, mu):  # pragma: no cover - compiled
        for i in range(p.size):
            vi = v[i] * mu + g[i]
            v[i] = vi
            p[i] -= vi * lr

    @jit
    def adam(p, g, m, v, step_size, rms_scale, b1, b2, eps):  # pragma: no cover - compiled
        one_minus_b1, one_minus_b2 = 1 - b1, 1 - b2
        for i in range(p.size):
            gi = g[i]
            mi = m[i] * b1 + gi * one_minus_b1
            vi = v[i] * b2 + gi * gi * one_minus_b2
            m[i], v[i] = mi, vi
            p[i] -= mi / (np.sqrt(vi) * rms_scale + eps) * step_size

    return {"sgd": sgd, "momentum": momentum, "adam": adam}


def decay_weights_(weights: np.ndarray, lr: float, weight_decay: float) -> None:
    """Decoupled weight decay, ``w -= lr * weight_decay * w``, on the weights (not the biases).

    With plain SGD this is exactly a gradient step on the L2 penalty
    ``weight_decay / 2 * sum(w^2)``; with Adam it is AdamW's decay, which
    (unlike adding the penalty to the gradient) is not divided by Adam's RMS.
    """
    if weight_decay:
        weights *= 1 - lr * weight_decay
