"""What people's drawings do to a digit: moved, turned, resized, thicker or thinner, wobbly.

Batch transforms of rows ``images (n, 784)`` in [0, 1] (ink 1), each returning
new rows of the same shape and dtype.  They serve twice:

* :data:`SLICES`, fixed changes of the MNIST test images, measure how much of a
  network's accuracy survives each one (``benchmarks/bench_robustness.py``);
* :func:`random_drawing` draws a fresh mix of all of them for every training
  batch, so a network learns that a digit drawn on the web page, bigger,
  slanted, with a thinner pen, is still the same digit.

Geometry: rotations and zooms turn around each image's centre of mass (the
point MNIST's preprocessing puts at the field's centre, so it stays there),
then every output pixel reads the source at the inverse-mapped point by
bilinear interpolation, zero outside, in :func:`reseau.training.augmentation.warp`'s
compiled loop (numba), which the elastic cases give a displacement per pixel.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from reseau.training.augmentation import CENTRE, SIDE, affine_maps, warp

# ---------------------------------------------------------------------------
# Whole-pixel shifts and strokes (NumPy)
# ---------------------------------------------------------------------------


def shift(images: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``images (n, 784)`` moved ``rows`` pixels down and ``cols`` right (negative: up, left); zeros enter."""
    grid = images.reshape(-1, SIDE, SIDE)  # (n, 28, 28)
    out = np.zeros_like(grid)
    src_r, dst_r = _span(rows)
    src_c, dst_c = _span(cols)
    out[:, dst_r, dst_c] = grid[:, src_r, src_c]
    return out.reshape(images.shape)


def _span(step: int) -> tuple[slice, slice]:
    """Source and destination slices of one axis moved by ``step`` whole pixels."""
    step = max(-SIDE, min(SIDE, int(step)))
    if step >= 0:
        return slice(0, SIDE - step), slice(step, SIDE)
    return slice(-step, SIDE), slice(0, SIDE + step)


def _filter3(images: np.ndarray, pick: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """``pick`` (np.maximum or np.minimum) over each pixel's 3x3 neighbourhood, zero outside the field.

    A 3x3 square is a 3-wide row of 3-high columns, so the filter is two passes of three.
    """
    padded = np.pad(images.reshape(-1, SIDE, SIDE), ((0, 0), (1, 1), (1, 1)))  # (n, 30, 30)
    columns = pick(pick(padded[:, :-2], padded[:, 1:-1]), padded[:, 2:])  # (n, 28, 30): over 3 rows
    out = pick(pick(columns[:, :, :-2], columns[:, :, 1:-1]), columns[:, :, 2:])  # (n, 28, 28): over 3 columns
    return out.reshape(images.shape)


def thicken(images: np.ndarray) -> np.ndarray:
    """Grey dilation by a 3x3 square (max filter): every stroke about 2 pixels wider."""
    return _filter3(images, np.maximum)


def thin(images: np.ndarray) -> np.ndarray:
    """Grey erosion by a 3x3 square (min filter): every stroke about 2 pixels narrower (thin ones fade out)."""
    return _filter3(images, np.minimum)


# ---------------------------------------------------------------------------
# Geometry around the centre of mass (affine, through augmentation.warp)
# ---------------------------------------------------------------------------


def centres_of_mass(images: np.ndarray) -> np.ndarray:
    """``(n, 2)`` grey-weighted mean ``(row, column)`` of each image; the field's centre for an empty one."""
    moments = (images @ _MOMENTS.astype(images.dtype)).astype(np.float64)  # (n, 784) @ (784, 3) -> (n, 3)
    mass = moments[:, 0]  # (n,)
    centres = np.full((len(images), 2), CENTRE)
    full = mass > 0
    centres[full] = moments[full, 1:] / mass[full, None]
    return centres


_MOMENTS = np.stack(  # (784, 3): each pixel's 1, row and column, so images @ _MOMENTS = mass and first moments
    [np.ones(SIDE * SIDE), np.repeat(np.arange(SIDE), SIDE), np.tile(np.arange(SIDE), SIDE)], axis=1
).astype(np.float32)


def maps_about_mass(images: np.ndarray, degrees, factor, moves) -> np.ndarray:
    """``(n, 2, 3)`` inverse maps turning each image by ``degrees`` and zooming it by ``factor``
    around its centre of mass ``m``, then moving it by ``moves (n, 2)`` = (rows, columns).

    The forward map is ``p' = m + s R (p - m) + u``; :func:`affine_maps` writes maps as
    ``p' = C + s R (p - C) + t`` around the field's centre ``C``, so ``t = (m - C) - s R (m - C) + u``.
    """
    n = len(images)
    degrees = np.broadcast_to(np.asarray(degrees, dtype=np.float64), (n,))  # (n,)
    factor = np.broadcast_to(np.asarray(factor, dtype=np.float64), (n,))  # (n,)
    moves = np.broadcast_to(np.asarray(moves, dtype=np.float64), (n, 2))  # (n, 2)
    v = centres_of_mass(images) - CENTRE  # (n, 2): m - C
    theta = np.deg2rad(degrees)  # (n,)
    cos, sin = np.cos(theta) * factor, np.sin(theta) * factor  # (n,) each: s R's entries
    turned = np.stack([cos * v[:, 0] - sin * v[:, 1], sin * v[:, 0] + cos * v[:, 1]], axis=1)  # (n, 2): s R (m - C)
    return affine_maps(degrees, factor, v - turned + moves)


def rotate(images: np.ndarray, degrees: float) -> np.ndarray:
    """``images (n, 784)`` turned ``degrees`` counter-clockwise (on screen) around each centre of mass."""
    return warp(images, maps_about_mass(images, degrees, 1.0, (0.0, 0.0)))


def scale(images: np.ndarray, factor: float) -> np.ndarray:
    """``images (n, 784)`` zoomed by ``factor`` around each centre of mass (which stays put)."""
    return warp(images, maps_about_mass(images, 0.0, factor, (0.0, 0.0)))


# ---------------------------------------------------------------------------
# Elastic distortion (Simard, Steinkraus and Platt, 2003)
# ---------------------------------------------------------------------------


@functools.cache
def smoothing_basis(sigma: float) -> np.ndarray:
    """``B (28, k)`` with ``B Z B^T`` distributed like ``G N G^T`` for white noises ``Z (k, k)``, ``N (28, 28)``.

    ``G (28, 28)`` is the Gaussian blur of width ``sigma`` along one axis (kernel summing to 1, zero
    outside the field: scipy's ``mode="constant"``), so ``G N G^T`` is the smoothed noise of Simard et al.
    With ``G = U diag(w) U^T``, ``G N G^T = U diag(w) (U^T N U) diag(w) U^T``, and ``U^T N U`` is again
    white noise of the same variance: drawing it directly on the ``k`` directions whose weight is over
    1 % of the largest (8 of 28 for ``sigma = 4``; the others carry under 0.01 % of the variance)
    needs ``k^2`` random numbers per field instead of 784, and two small products instead of a blur.
    """
    axis = np.arange(SIDE)
    g = np.exp(-((axis[:, None] - axis[None, :]) ** 2) / (2 * sigma**2)) / (np.sqrt(2 * np.pi) * sigma)  # (28, 28)
    w, u = np.linalg.eigh(g)  # (28,), (28, 28): ascending
    keep = w > 0.01 * w.max()
    return np.ascontiguousarray(u[:, keep] * w[keep], dtype=np.float32)  # (28, k)


def displacement_fields(rng: np.random.Generator, n: int, alpha: float, sigma: float) -> np.ndarray:
    """``(n, 2, 28, 28)`` float32 random smooth displacements (rows, columns), in pixels.

    Simard et al.: uniform(-1, 1) noise per pixel, blurred by a Gaussian of width ``sigma``,
    times ``alpha``.  Here the same noise is drawn on the blur's own basis (:func:`smoothing_basis`):
    the fields have exactly Simard's mean and covariance, for a tenth of the random numbers.
    """
    b = smoothing_basis(float(sigma))  # (28, k)
    k = b.shape[1]
    z = rng.random((n, 2, k, k), dtype=np.float32) * 2 - 1  # (n, 2, k, k): uniform(-1, 1) on the basis
    # many small products, not one wide one: a wide one may wake every BLAS thread, which costs more here
    return np.float32(alpha) * (b @ z @ b.T)  # (28, k) @ (n, 2, k, k) @ (k, 28) -> (n, 2, 28, 28)


def elastic(images: np.ndarray, rng: np.random.Generator, alpha: float = 34.0, sigma: float = 4.0) -> np.ndarray:
    """``images (n, 784)`` elastically distorted: each pixel moved by a random smooth field (Simard et al.)."""
    n = len(images)
    identity = affine_maps(np.zeros(n), np.ones(n), np.zeros((n, 2)))  # (n, 2, 3)
    return warp(images, identity, displacement_fields(rng, n, alpha, sigma))


# ---------------------------------------------------------------------------
# Random "what people draw" for training
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawingAugmentation:
    """How far :func:`random_drawing` goes; each change drawn uniformly within its range, per image."""

    shift: float = 3.0  # pixels along each axis, in [-shift, shift]
    rotate: float = 15.0  # degrees, in [-rotate, rotate]
    scale: tuple[float, float] = (0.7, 1.3)  # zoom around the centre of mass, in [low, high]
    alpha: float = 34.0  # elastic: strength of the displacement (Simard et al.'s value for MNIST)
    sigma: float = 4.0  # elastic: smoothness of the displacement, in pixels (ibid.)
    thin: float = 0.3  # probability of a thinner pen (erosion blended in)
    thick: float = 0.2  # probability of a thicker pen (dilation blended in)
    stroke: tuple[float, float] = (0.75, 1.0)  # how much of the erosion or dilation, in [low, high]
    clean: float = 0.3  # probability that an image is left as it is (the network still sees MNIST's own digits)


DRAWING = DrawingAugmentation()


def random_strokes(images: np.ndarray, rng: np.random.Generator, params: DrawingAugmentation) -> np.ndarray:
    """``images (n, 784)`` with a random pen: thinner, unchanged or thicker, by a random fraction.

    A fraction ``a`` of a full 3x3 erosion (dilation) gives ``x + a (thin(x) - x)``: the stroke's
    edge fades or grows by less than a pixel, which a 28x28 grid cannot do with whole pixels.
    """
    draw = rng.random(len(images))  # (n,)
    amount = rng.uniform(*params.stroke, len(images)).astype(images.dtype)[:, None]  # (n, 1)
    out = images.copy()
    for chosen, change in ((draw < params.thin, thin), (draw > 1 - params.thick, thicken)):
        if chosen.any():
            x = images[chosen]  # (m, 784)
            out[chosen] = x + amount[chosen] * (change(x) - x)  # (m, 784)
    return out


def random_drawing(images: np.ndarray, rng: np.random.Generator, params: DrawingAugmentation = DRAWING) -> np.ndarray:
    """``images (n, 784)`` as different people might draw them: a random pen, zoom, slant, place and wobble.

    Each image gets its own draw of every change in ``params`` (:class:`DrawingAugmentation`),
    from ``rng`` only, in a fixed order: the same generator state gives the same batch.
    The geometry is sampled once (elastic field, then the affine map), so the digit is blurred once;
    then, as the web page's preprocessing does, the darkest pixel is made full ink: a thin pen
    gives thin strokes, not faint ones.
    """
    n = len(images)
    strokes = random_strokes(images, rng, params)  # (n, 784)
    degrees = rng.uniform(-params.rotate, params.rotate, n)  # (n,)
    factor = rng.uniform(*params.scale, n)  # (n,)
    moves = rng.uniform(-params.shift, params.shift, (n, 2))  # (n, 2) rows, columns
    fields = displacement_fields(rng, n, params.alpha, params.sigma)  # (n, 2, 28, 28)
    out = warp(strokes, maps_about_mass(strokes, degrees, factor, moves), fields)  # (n, 784)
    peak = out.max(axis=1, keepdims=True)  # (n, 1)
    out /= np.where(peak > 0, peak, 1).astype(out.dtype)
    keep = rng.random(n) < params.clean  # (n,) images left as they were
    out[keep] = images[keep]
    return out


# ---------------------------------------------------------------------------
# Fixed changes for the robustness benchmark
# ---------------------------------------------------------------------------

Transform = Callable[[np.ndarray], np.ndarray]

SLICES: dict[str, Transform] = {
    "original": lambda x: x,
    "shift right 2": lambda x: shift(x, 0, 2),
    "shift left 2": lambda x: shift(x, 0, -2),
    "shift up 2": lambda x: shift(x, -2, 0),
    "shift down 2": lambda x: shift(x, 2, 0),
    "shift diagonal 2": lambda x: shift(x, 2, 2),
    "rotate +15": lambda x: rotate(x, 15.0),
    "rotate -15": lambda x: rotate(x, -15.0),
    "scale 0.75": lambda x: scale(x, 0.75),
    "scale 1.25": lambda x: scale(x, 1.25),
    "thick (3x3 dilation)": thicken,
    "thin (erosion)": thin,
    "elastic": lambda x: elastic(x, np.random.default_rng(0), 34.0, 4.0),
}
