"""The layers of a convolutional network, forward and backward, written out.

Images are batches in ``(n, height, width, channels)`` order ("NHWC"): a
pixel's channels sit side by side, so a convolution becomes one matrix
product.  For each output position, the ``k x k x c_in`` input values under
the kernel are copied into one row (``im2col``); the rows of the whole batch
times the kernel matrix ``W (k*k*c_in, c_out)`` give every output at once,
already in NHWC order.  Backward is the same product read the other way:
``dW = cols.T @ dy`` and ``dcols = dy @ W.T``, whose rows are added back
where they came from (``col2im``).

Each layer keeps in ``self.cache`` what its backward pass needs from the
forward pass of the same batch, reads its parameters from and writes its
gradients into views of one flat vector (see :class:`Slots`), so the
optimisers of :mod:`reseau.training.optimizers` work unchanged.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

BN_MOMENTUM = 0.9  # running statistics of batch normalisation: new = 0.9 old + 0.1 batch
BN_EPSILON = 1e-5


class Slots:
    """Named parameter arrays as views of one flat vector (and a gradient vector of the same layout)."""

    def __init__(self, shapes: dict[str, tuple[int, ...]], dtype: Any = np.float32) -> None:
        sizes = {name: math.prod(shape) for name, shape in shapes.items()}
        self.flat = np.zeros(sum(sizes.values()), dtype)  # every parameter, (P,)
        self.grad = np.zeros_like(self.flat)  # d(loss)/d(flat), (P,)
        self.values: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        at = 0
        for name, shape in shapes.items():
            self.values[name] = self.flat[at : at + sizes[name]].reshape(shape)
            self.grads[name] = self.grad[at : at + sizes[name]].reshape(shape)
            at += sizes[name]


class Layer:
    """What every layer has: a name, what its backward pass needs from the last training forward pass
    (``cache``), and the shapes of its parameters (none, unless it says otherwise)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cache: tuple[Any, ...] = ()

    def shapes(self) -> dict[str, tuple[int, ...]]:
        return {}


# ---------------------------------------------------------------------------
# Convolution
# ---------------------------------------------------------------------------


def im2col(x: np.ndarray, k: int) -> np.ndarray:
    """``x (n, h, w, c)`` -> ``(n * oh * ow, k * k * c)``: the ``k x k`` patch under each output position.

    ``oh = h - k + 1`` ("valid" convolution: the kernel stays inside the image).
    The same as :func:`im2col_numpy`, compiled: one pass, each patch row copied as ``k`` runs of ``k * c``.
    """
    n, h, w, c = x.shape
    cols = np.empty((n * (h - k + 1) * (w - k + 1), k * k * c), x.dtype)
    _kernels()["im2col"](np.ascontiguousarray(x), k, cols)
    return cols


def col2im(cols: np.ndarray, shape: tuple[int, int, int, int], k: int) -> np.ndarray:
    """The adjoint of :func:`im2col`: add each row's values back to the pixels they came from (compiled)."""
    x = np.zeros(shape, cols.dtype)
    _kernels()["col2im"](np.ascontiguousarray(cols), k, x)
    return x


def im2col_numpy(x: np.ndarray, k: int) -> np.ndarray:
    """:func:`im2col` in NumPy: the patches read through a strided view (no copy), then copied into rows."""
    n, h, w, c = x.shape
    oh, ow = h - k + 1, w - k + 1
    sn, sh, sw, sc = x.strides
    patches = as_strided(x, (n, oh, ow, k, k, c), (sn, sh, sw, sh, sw, sc), writeable=False)
    return np.ascontiguousarray(patches).reshape(n * oh * ow, k * k * c)


def col2im_numpy(cols: np.ndarray, shape: tuple[int, int, int, int], k: int) -> np.ndarray:
    """:func:`col2im` in NumPy: ``k * k`` additions of shifted slices."""
    n, h, w, c = shape
    oh, ow = h - k + 1, w - k + 1
    patches = cols.reshape(n, oh, ow, k, k, c)
    x = np.zeros(shape, cols.dtype)
    for i in range(k):
        for j in range(k):
            x[:, i : i + oh, j : j + ow, :] += patches[:, :, :, i, j, :]  # (n, oh, ow, c)
    return x


class Conv(Layer):
    """``c_out`` filters of ``k x k x c_in`` weights, slid over the image ("valid": no padding)."""

    def __init__(self, name: str, c_in: int, c_out: int, k: int, needs_input_grad: bool = True) -> None:
        super().__init__(name)
        self.c_in, self.c_out, self.k = c_in, c_out, k
        self.needs_input_grad = needs_input_grad  # the first layer's input is the image: no gradient needed

    def shapes(self) -> dict[str, tuple[int, ...]]:
        return {f"{self.name}.w": (self.k * self.k * self.c_in, self.c_out), f"{self.name}.b": (self.c_out,)}

    def fan_in(self) -> int:
        return self.k * self.k * self.c_in

    def forward(self, x: np.ndarray, p: dict[str, np.ndarray], training: bool) -> np.ndarray:
        n, h, w, _ = x.shape
        oh, ow = h - self.k + 1, w - self.k + 1
        cols = im2col(x, self.k)  # (n*oh*ow, k*k*c_in)
        y = cols @ p[f"{self.name}.w"]  # (n*oh*ow, k*k*c_in) @ (k*k*c_in, c_out) -> (n*oh*ow, c_out)
        y += p[f"{self.name}.b"]
        if training:
            self.cache = (cols, x.shape)
        return y.reshape(n, oh, ow, self.c_out)

    def backward(self, dy: np.ndarray, p: dict[str, np.ndarray], g: dict[str, np.ndarray]) -> np.ndarray | None:
        cols, shape = self.cache
        dy2 = dy.reshape(-1, self.c_out)  # (n*oh*ow, c_out)
        np.matmul(cols.T, dy2, out=g[f"{self.name}.w"])  # (k*k*c_in, n*oh*ow) @ (n*oh*ow, c_out)
        np.sum(dy2, axis=0, out=g[f"{self.name}.b"])
        if not self.needs_input_grad:
            return None
        dcols = dy2 @ p[f"{self.name}.w"].T  # (n*oh*ow, c_out) @ (c_out, k*k*c_in)
        return col2im(dcols, shape, self.k)


# ---------------------------------------------------------------------------
# Pooling, activation, batch normalisation, flattening, dense, dropout
# ---------------------------------------------------------------------------


def max_pool_numpy(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``x (n, h, w, c)`` -> the largest value of each 2x2 square ``(n, h/2, w/2, c)`` and where it was:
    ``(n, h/2, w/2, c)`` indices 0-3 of the square (row-major: 0 top-left, 3 bottom-right)."""
    n, h, w, c = x.shape
    squares = x[:, : h // 2 * 2, : w // 2 * 2, :].reshape(n, h // 2, 2, w // 2, 2, c)
    squares = squares.transpose(0, 1, 3, 5, 2, 4).reshape(n, h // 2, w // 2, c, 4)  # the 4 values last
    where = squares.argmax(axis=-1)
    return np.take_along_axis(squares, where[..., None], axis=-1)[..., 0], where


class MaxPool(Layer):
    """The largest value of each 2x2 square: half the height and width, the strongest response kept.

    Backward, each square's gradient goes to the one position that was the largest.
    (Compiled; :func:`max_pool_numpy` is the same in NumPy.)
    """

    def forward(self, x: np.ndarray, p: dict[str, np.ndarray], training: bool) -> np.ndarray:
        n, h, w, c = x.shape
        y = np.empty((n, h // 2, w // 2, c), x.dtype)
        where = np.empty(y.shape, np.uint8)  # 0-3: which of the square's four pixels was the largest
        _kernels()["pool"](np.ascontiguousarray(x), y, where)
        if training:
            self.cache = (where, x.shape)
        return y

    def backward(self, dy: np.ndarray, p: dict[str, np.ndarray], g: dict[str, np.ndarray]) -> np.ndarray:
        where, shape = self.cache
        dx = np.zeros(shape, dy.dtype)
        _kernels()["unpool"](np.ascontiguousarray(dy), where, dx)
        return dx


class ReLU(Layer):
    """``max(x, 0)``; its derivative is 1 where the output is positive, else 0."""

    def forward(self, x: np.ndarray, p: dict[str, np.ndarray], training: bool) -> np.ndarray:
        y = np.maximum(x, 0)
        if training:
            self.cache = (y > 0,)
        return y

    def backward(self, dy: np.ndarray, p: dict[str, np.ndarray], g: dict[str, np.ndarray]) -> np.ndarray:
        return dy * self.cache[0]


def batch_norm_numpy(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> tuple[np.ndarray, ...]:
    """Training batch normalisation of ``x (..., c)`` over every axis but the channels, in NumPy:
    ``y``, ``x_hat``, ``inv_std (c,)``, the batch's ``mean (c,)`` and ``var (c,)``."""
    axes = tuple(range(x.ndim - 1))
    mean, var = x.mean(axis=axes), x.var(axis=axes)  # (c,), (c,)
    inv_std = 1 / np.sqrt(var + BN_EPSILON)  # (c,)
    x_hat = (x - mean) * inv_std  # (..., c)
    return x_hat * gamma + beta, x_hat, inv_std, mean, var


def batch_norm_backward_numpy(
    dy: np.ndarray, x_hat: np.ndarray, inv_std: np.ndarray, gamma: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``dx``, ``dgamma (c,)``, ``dbeta (c,)`` of :func:`batch_norm_numpy`, in NumPy.

    ``dx`` goes through the batch's mean and variance too (per channel, over its ``m`` values):
    ``dx = gamma inv_std (dy - mean(dy) - x_hat mean(dy x_hat))``.
    """
    axes = tuple(range(dy.ndim - 1))
    m = dy.size // dy.shape[-1]  # values per channel
    dbeta, dgamma = dy.sum(axis=axes), (dy * x_hat).sum(axis=axes)
    return gamma * inv_std * (dy - dbeta / m - x_hat * (dgamma / m)), dgamma, dbeta


class BatchNorm(Layer):
    """Each channel standardised over the batch (mean 0, variance 1), then scaled and shifted by
    learned ``gamma`` and ``beta`` (Ioffe & Szegedy, 2015).

    Training uses the batch's own statistics (kept in ``batch_stats``; the
    trainer folds them into running averages, see
    :func:`reseau.training.cnn.update_statistics`); a trained network uses the
    running averages (``.mean``, ``.var``, saved with the weights but not
    learned by gradient).  Training runs compiled loops, one pass over the
    values for each sum (:func:`batch_norm_numpy` and
    :func:`batch_norm_backward_numpy` are the same in NumPy).
    """

    def __init__(self, name: str, c: int) -> None:
        super().__init__(name)
        self.c = c
        self.batch_stats: tuple[np.ndarray, np.ndarray] | None = None  # the last training batch's (mean, var)

    def shapes(self) -> dict[str, tuple[int, ...]]:
        c = (self.c,)
        return {f"{self.name}.gamma": c, f"{self.name}.beta": c, f"{self.name}.mean": c, f"{self.name}.var": c}

    def forward(self, x: np.ndarray, p: dict[str, np.ndarray], training: bool) -> np.ndarray:
        name, gamma, beta = self.name, p[f"{self.name}.gamma"], p[f"{self.name}.beta"]
        if not training:
            inv_std = 1 / np.sqrt(p[f"{name}.var"] + BN_EPSILON)  # (c,)
            return (x - p[f"{name}.mean"]) * inv_std * gamma + beta
        rows = np.ascontiguousarray(x).reshape(-1, self.c)  # (m, c): every value of a channel in one column
        y, x_hat = np.empty_like(rows), np.empty_like(rows)
        inv_std, mean, var = (np.empty(self.c, x.dtype) for _ in range(3))
        _kernels()["bn_forward"](rows, gamma, beta, BN_EPSILON, y, x_hat, inv_std, mean, var)
        self.batch_stats = (mean, var)
        self.cache = (x_hat, inv_std)
        return y.reshape(x.shape)

    def backward(self, dy: np.ndarray, p: dict[str, np.ndarray], g: dict[str, np.ndarray]) -> np.ndarray:
        x_hat, inv_std = self.cache
        g[f"{self.name}.mean"][:] = 0  # statistics, not learned
        g[f"{self.name}.var"][:] = 0
        dx = np.empty_like(x_hat)
        rows = np.ascontiguousarray(dy).reshape(x_hat.shape)
        _kernels()["bn_backward"](
            rows, x_hat, inv_std, p[f"{self.name}.gamma"], dx, g[f"{self.name}.gamma"], g[f"{self.name}.beta"]
        )
        return dx.reshape(dy.shape)


class Flatten(Layer):
    """``(n, h, w, c)`` -> ``(n, h*w*c)``: the feature maps as one row per image, for the dense layers."""

    def forward(self, x: np.ndarray, p: dict[str, np.ndarray], training: bool) -> np.ndarray:
        if training:
            self.cache = (x.shape,)
        return x.reshape(len(x), -1)

    def backward(self, dy: np.ndarray, p: dict[str, np.ndarray], g: dict[str, np.ndarray]) -> np.ndarray:
        return dy.reshape(self.cache[0])


class Dense(Layer):
    """``y = x @ W + b`` for rows ``x (n, n_in)``, ``W (n_in, n_out)``."""

    def __init__(self, name: str, n_in: int, n_out: int) -> None:
        super().__init__(name)
        self.n_in, self.n_out = n_in, n_out

    def shapes(self) -> dict[str, tuple[int, ...]]:
        return {f"{self.name}.w": (self.n_in, self.n_out), f"{self.name}.b": (self.n_out,)}

    def fan_in(self) -> int:
        return self.n_in

    def forward(self, x: np.ndarray, p: dict[str, np.ndarray], training: bool) -> np.ndarray:
        if training:
            self.cache = (x,)
        return x @ p[f"{self.name}.w"] + p[f"{self.name}.b"]  # (n, n_in) @ (n_in, n_out) + (n_out,)

    def backward(self, dy: np.ndarray, p: dict[str, np.ndarray], g: dict[str, np.ndarray]) -> np.ndarray:
        (x,) = self.cache
        np.matmul(x.T, dy, out=g[f"{self.name}.w"])  # (n_in, n) @ (n, n_out)
        np.sum(dy, axis=0, out=g[f"{self.name}.b"])
        return dy @ p[f"{self.name}.w"].T  # (n, n_out) @ (n_out, n_in)


class Dropout(Layer):
    """During training, each value is kept with probability ``1 - rate`` and scaled by ``1 / (1 - rate)``."""

    def __init__(self, name: str, rate: float) -> None:
        super().__init__(name)
        self.rate = rate
        self.rng: np.random.Generator | None = None  # set by the trainer; None: no dropout

    def forward(self, x: np.ndarray, p: dict[str, np.ndarray], training: bool) -> np.ndarray:
        if not training or self.rng is None or self.rate <= 0:
            if training:
                self.cache = (None,)
            return x
        keep = 1.0 - self.rate
        mask = (self.rng.random(x.shape, dtype=np.float32) < keep) * np.float32(1 / keep)
        self.cache = (mask,)
        return x * mask

    def backward(self, dy: np.ndarray, p: dict[str, np.ndarray], g: dict[str, np.ndarray]) -> np.ndarray:
        (mask,) = self.cache
        return dy if mask is None else dy * mask


@functools.cache
def _kernels() -> dict[str, Any]:
    """The compiled loops of :func:`im2col`, :func:`col2im`, :class:`MaxPool` and :class:`BatchNorm` (cached on
    disk by numba)."""
    import numba

    jit = numba.njit(cache=True, nogil=True)

    @jit
    def im2col_kernel(x, k, cols):  # pragma: no cover - compiled
        n, h, w, c = x.shape
        oh, ow = h - k + 1, w - k + 1
        row = 0
        for b in range(n):
            for i in range(oh):
                for j in range(ow):
                    q = 0
                    for di in range(k):
                        for dj in range(k):
                            for ch in range(c):
                                cols[row, q] = x[b, i + di, j + dj, ch]
                                q += 1
                    row += 1

    @jit
    def col2im_kernel(cols, k, x):  # pragma: no cover - compiled
        n, h, w, c = x.shape
        oh, ow = h - k + 1, w - k + 1
        row = 0
        for b in range(n):
            for i in range(oh):
                for j in range(ow):
                    q = 0
                    for di in range(k):
                        for dj in range(k):
                            for ch in range(c):
                                x[b, i + di, j + dj, ch] += cols[row, q]
                                q += 1
                    row += 1

    @jit
    def pool_kernel(x, y, where):  # pragma: no cover - compiled
        n, h2, w2, c = y.shape
        for b in range(n):
            for i in range(h2):
                for j in range(w2):
                    for ch in range(c):
                        best, at = x[b, 2 * i, 2 * j, ch], 0
                        for q in range(1, 4):
                            v = x[b, 2 * i + q // 2, 2 * j + q % 2, ch]
                            if v > best:
                                best, at = v, q
                        y[b, i, j, ch] = best
                        where[b, i, j, ch] = at

    @jit
    def unpool_kernel(dy, where, dx):  # pragma: no cover - compiled
        n, h2, w2, c = dy.shape
        for b in range(n):
            for i in range(h2):
                for j in range(w2):
                    for ch in range(c):
                        q = where[b, i, j, ch]
                        dx[b, 2 * i + q // 2, 2 * j + q % 2, ch] = dy[b, i, j, ch]

    @jit
    def bn_forward_kernel(x, gamma, beta, eps, y, x_hat, inv_std, mean, var):  # pragma: no cover - compiled
        m, c = x.shape
        total, spread = np.zeros(c), np.zeros(c)  # float64 sums: a channel has up to 18 432 values
        for i in range(m):
            for j in range(c):
                total[j] += x[i, j]
        centre = total / m
        for i in range(m):
            for j in range(c):
                d = x[i, j] - centre[j]
                spread[j] += d * d
        scale = 1 / np.sqrt(spread / m + eps)
        for i in range(m):
            for j in range(c):
                h = (x[i, j] - centre[j]) * scale[j]
                x_hat[i, j] = h
                y[i, j] = h * gamma[j] + beta[j]
        mean[:], var[:], inv_std[:] = centre, spread / m, scale

    @jit
    def bn_backward_kernel(dy, x_hat, inv_std, gamma, dx, dgamma, dbeta):  # pragma: no cover - compiled
        m, c = dy.shape
        sum_dy, sum_dy_x = np.zeros(c), np.zeros(c)
        for i in range(m):
            for j in range(c):
                sum_dy[j] += dy[i, j]
                sum_dy_x[j] += dy[i, j] * x_hat[i, j]
        scale, mean_dy, mean_dy_x = gamma * inv_std, sum_dy / m, sum_dy_x / m
        for i in range(m):
            for j in range(c):
                dx[i, j] = scale[j] * (dy[i, j] - mean_dy[j] - x_hat[i, j] * mean_dy_x[j])
        dgamma[:], dbeta[:] = sum_dy_x, sum_dy

    return {
        "im2col": im2col_kernel,
        "col2im": col2im_kernel,
        "pool": pool_kernel,
        "unpool": unpool_kernel,
        "bn_forward": bn_forward_kernel,
        "bn_backward": bn_backward_kernel,
    }


LAYERS = {
    "conv": Conv,
    "pool": MaxPool,
    "relu": ReLU,
    "batchnorm": BatchNorm,
    "flatten": Flatten,
    "dense": Dense,
    "dropout": Dropout,
}  # a spec's "type" -> its class
