"""What people's drawings do to a digit: moved, turned, resized, thicker or thinner, wobbly, blurred, faint.

Batch transforms of rows ``images (n, 784)`` in [0, 1] (ink 1), each returning
new rows of the same shape and dtype.  They serve twice:

* :data:`SLICES`, fixed changes of the MNIST test images, measure how much of a
  network's accuracy survives each one (``benchmarks/bench_robustness.py``);
* :func:`random_drawing` draws a fresh mix of all of them for every training
  batch, so a network learns that a digit drawn on the web page, bigger,
  slanted, with a thinner pen or a marker, scanned, or written the French way
  (a 1 with a flag, a 7 with a bar), is still the same digit; half of them are
  then prepared as the page prepares a drawing, so it learns what the page gives.

Geometry: rotations and zooms turn around each image's centre of mass (the
point MNIST's preprocessing puts at the field's centre, so it stays there),
then every output pixel reads the source at the inverse-mapped point by
bilinear interpolation, zero outside, in :func:`reseau.training.augmentation.warp`'s
compiled loop (numba), which the elastic cases give a displacement per pixel.
What a scanner or a camera does (a blur, a low resolution enlarged back) is a
linear map of the rows and one of the columns: ``L X L^T`` with ``L (28, 28)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from reseau.drawing import area_weights, fit_many, stroke_thickness, thicken, thin  # the page's pen, its 3x3 steps
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
# Scans and pens: blurs, low resolutions, markers, faint pencils (linear maps, NumPy)
# ---------------------------------------------------------------------------


def along_both_axes(images: np.ndarray, maps: np.ndarray) -> np.ndarray:
    """``images (n, 784)`` changed by ``L X L^T``: ``maps (28, 28)`` for all, or ``(n, 28, 28)`` one each."""
    grid = images.reshape(-1, SIDE, SIDE).astype(np.float64)  # (n, 28, 28)
    out = maps @ grid @ np.swapaxes(maps, -1, -2)  # (n, 28, 28) @ (n, 28, 28) @ (n, 28, 28) -> (n, 28, 28)
    return np.clip(out, 0.0, 1.0).reshape(images.shape).astype(images.dtype)


@functools.cache
def blur_map(sigma: float) -> np.ndarray:
    """``G (28, 28)``: a Gaussian blur of width ``sigma`` pixels along one axis, zero outside the field.

    Its kernel sums to 1 (ink is kept, except what the blur spreads out of the field).
    """
    reach = np.arange(-SIDE, SIDE + 1)  # (57,) every distance between two pixels
    kernel = np.exp(-(reach**2) / (2 * sigma**2))  # (57,)
    kernel /= kernel.sum()
    axis = np.arange(SIDE)
    return kernel[axis[:, None] - axis[None, :] + SIDE]  # (28, 28): G[i, j] = kernel(i - j)


@functools.cache
def low_resolution_map(side: int) -> np.ndarray:
    """``L (28, 28)``: an axis reduced to ``side`` pixels by area averaging, then enlarged back bilinearly.

    What a scan at a low resolution gives once enlarged: the strokes blurred, blocky at the smallest sizes.
    """
    down = area_weights(SIDE, side)  # (side, 28)
    centres = (np.arange(SIDE) + 0.5) * side / SIDE - 0.5  # (28,) each output pixel's place among the small ones
    centres = np.clip(centres, 0.0, side - 1.0)
    left = np.minimum(np.floor(centres).astype(int), side - 2)  # (28,)
    weight = centres - left  # (28,) share of the right neighbour
    up = np.zeros((SIDE, side))  # (28, side): bilinear interpolation
    up[np.arange(SIDE), left] = 1 - weight
    up[np.arange(SIDE), left + 1] += weight
    return up @ down  # (28, side) @ (side, 28) -> (28, 28)


def blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """``images (n, 784)`` blurred by a Gaussian of width ``sigma`` pixels (out of focus, a soft pencil)."""
    return along_both_axes(images, blur_map(float(sigma)))


def low_resolution(images: np.ndarray, side: int) -> np.ndarray:
    """``images (n, 784)`` reduced to ``side x side`` pixels, then enlarged back to 28x28 (a coarse scan)."""
    return along_both_axes(images, low_resolution_map(int(side)))


def thicker(images: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """``images (n, 784)`` each drawn ``amount (n,)`` 3x3 dilations thicker (a fraction blended in, as the page's
    pen does)."""
    out = images.copy()
    left = np.asarray(amount, dtype=np.float64).copy()  # (n,)
    while (left > 0).any():
        step = np.clip(left, 0.0, 1.0).astype(images.dtype)[:, None]  # (n, 1)
        out = out + step * (thicken(out) - out)  # (n, 784)
        left -= 1.0
    return out


def marker(images: np.ndarray, width: float, steps: int = 12) -> np.ndarray:
    """``images (n, 784)`` redrawn with a marker: each one's strokes made ``width`` pixels wide.

    The width is :func:`reseau.drawing.stroke_thickness` (MNIST's median: 2.36 px); each image's amount
    of dilation is found by bisection, between none and three whole 3x3 dilations.
    """
    grid = lambda x: x.reshape(-1, SIDE, SIDE)  # noqa: E731
    low, high = np.zeros(len(images)), np.full(len(images), 3.0)  # (n,) each
    for _ in range(steps):
        amount = (low + high) / 2
        thin_enough = stroke_thickness(grid(thicker(images, amount))) < width  # (n,)
        low, high = np.where(thin_enough, amount, low), np.where(thin_enough, high, amount)
    return thicker(images, (low + high) / 2)


def faint(images: np.ndarray, ink: np.ndarray | float) -> np.ndarray:
    """``images (n, 784)`` with ``ink`` (a number, or one per image ``(n,)``) instead of full ink: a light pencil."""
    ink = np.broadcast_to(np.asarray(ink, dtype=images.dtype), (len(images),))  # (n,)
    return images * ink[:, None]


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
    thick: float = 0.25  # probability of a thicker pen, up to a marker (dilations blended in)
    stroke: tuple[float, float] = (0.75, 1.0)  # how much of the erosion, in [low, high]
    marker: tuple[float, float] = (0.75, 2.5)  # how many 3x3 dilations for a thicker pen, in [low, high]
    flag: float = 0.2  # probability that a 1 gets a long flag at its top, as French writers draw it
    flag_length: tuple[float, float] = (0.25, 0.45)  # the flag's length, in parts of the digit's height
    flag_angle: tuple[float, float] = (20.0, 50.0)  # its slope, in degrees below the horizontal
    bar: float = 0.2  # probability that a 7 gets a bar across its stem, as French writers draw it
    plain: float = 0.75  # probability that a scanned image keeps its shape (no zoom, slant, move or wobble):
    # the scan of a neat digit, which a network learns to read better than a scan of an already twisted one
    scan: float = 0.4  # probability of a blur or a low resolution (a scan, a photo): one of SCAN_MAPS
    faint: float = 0.2  # probability of a faint pencil: ink drawn in ``ink`` instead of 1
    ink: tuple[float, float] = (0.25, 0.9)
    page: float = 0.5  # probability that an image is then prepared as the page prepares a drawing (fit_many)
    clean: float = 0.25  # probability that an image is left as it is (the network still sees MNIST's own digits)


DRAWING = DrawingAugmentation()

# What a scan or a photo does to a digit: Gaussian blurs of 0.5 to 1.8 pixels, resolutions of 6 to 14 pixels (the
# coarse ones are the hard ones: a digit reduced to 8x8 keeps about 64 pixels)
SCAN_SIGMAS = tuple(round(0.5 + 0.1 * k, 1) for k in range(14))
SCAN_SIDES = tuple(range(6, 15))


@functools.cache
def scan_maps() -> np.ndarray:
    """``(k, 28, 28)``: every blur of :data:`SCAN_SIGMAS` and low resolution of :data:`SCAN_SIDES`."""
    maps = [blur_map(sigma) for sigma in SCAN_SIGMAS] + [low_resolution_map(side) for side in SCAN_SIDES]
    return np.stack(maps)


def random_strokes(images: np.ndarray, rng: np.random.Generator, params: DrawingAugmentation) -> np.ndarray:
    """``images (n, 784)`` with a random pen: thinner, unchanged or thicker (up to a marker), by a random amount.

    A fraction ``a`` of a full 3x3 erosion gives ``x + a (thin(x) - x)``: the stroke's edge fades by
    less than a pixel, which a 28x28 grid cannot do with whole pixels; a thicker pen is
    :func:`thicker`'s dilations, the last one a fraction.
    """
    draw = rng.random(len(images))  # (n,)
    amount = rng.uniform(*params.stroke, len(images)).astype(images.dtype)[:, None]  # (n, 1)
    dilations = rng.uniform(*params.marker, len(images))  # (n,)
    out = images.copy()
    thinner, thickened = draw < params.thin, draw > 1 - params.thick  # (n,) each
    if thinner.any():
        x = images[thinner]  # (m, 784)
        out[thinner] = x + amount[thinner] * (thin(x) - x)  # (m, 784)
    if thickened.any():
        out[thickened] = thicker(images[thickened], dilations[thickened])
    return out


def random_scans(
    images: np.ndarray, rng: np.random.Generator, params: DrawingAugmentation, scanned: np.ndarray
) -> np.ndarray:
    """``images (n, 784)``, those ``scanned (n,)`` says blurred or made coarse, then ``params.faint`` of all faint."""
    n = len(images)
    which = rng.integers(0, len(scan_maps()), n)  # (n,)
    faint_ones = rng.random(n) < params.faint  # (n,)
    ink = rng.uniform(*params.ink, n)  # (n,)
    out = images.copy()
    if scanned.any():
        out[scanned] = along_both_axes(images[scanned], scan_maps()[which[scanned]])
    return faint(out, np.where(faint_ones, ink, 1.0))


def segment(field: np.ndarray, start, end, width: float) -> np.ndarray:
    """``(28, 28)``: on ``field (2, 28, 28)`` (each pixel's row and column), a straight stroke from ``start``
    to ``end`` ((row, column), in pixels), ``width`` pixels wide, its edge anti-aliased over one pixel."""
    rows, cols = field
    (r0, c0), (r1, c1) = start, end
    dr, dc = r1 - r0, c1 - c0
    along = np.clip(((rows - r0) * dr + (cols - c0) * dc) / max(dr * dr + dc * dc, 1e-9), 0.0, 1.0)
    distance = np.hypot(rows - (r0 + along * dr), cols - (c0 + along * dc))  # to the nearest point of the stroke
    return np.clip(width / 2 + 0.5 - distance, 0.0, 1.0)


def french_strokes(
    images: np.ndarray, digits: np.ndarray, rng: np.random.Generator, params: DrawingAugmentation
) -> np.ndarray:
    """``images (n, 784)`` with a share of their 1s given a flag and of their 7s a bar, as French students write
    them (MNIST's American writers mostly draw a 1 as a plain stick and a 7 without a bar).

    The flag starts at the top of the 1 and goes down to the left (its length and slope drawn in
    ``params.flag_length`` and ``params.flag_angle``); the bar crosses the 7's stem a little below its
    middle, 40 to 70 % of its height wide; both with the digit's own pen (:func:`reseau.drawing.stroke_thickness`).
    A digit of -1 gets nothing (the augmentation gives -1 for the scanned ones, and for all when it is not
    told the digits).
    """
    n = len(images)
    draw = rng.random(n)  # (n,)
    length, angle = rng.uniform(*params.flag_length, n), np.deg2rad(rng.uniform(*params.flag_angle, n))  # (n,) each
    side = rng.uniform(0.2, 0.35, n)  # (n,) half the bar's width, in parts of the digit's height
    chosen = ((digits == 1) & (draw < params.flag)) | ((digits == 7) & (draw < params.bar))  # (n,)
    out = images.copy()
    field = np.mgrid[:SIDE, :SIDE].astype(np.float64)  # (2, 28, 28) rows, columns
    for k in np.flatnonzero(chosen):
        grid = images[k].reshape(SIDE, SIDE).astype(np.float64)
        ink = grid > 0.3  # (28, 28)
        rows = np.flatnonzero(ink.any(axis=1))
        if rows.size < 4:
            continue
        top, height = rows[0], rows[-1] - rows[0] + 1
        width = float(np.clip(stroke_thickness(grid), 1.0, 4.0))
        if digits[k] == 1:  # from the top of the stick, down to the left
            col = np.flatnonzero(ink[top]).mean()
            a = length[k] * height
            stroke = segment(field, (top, col), (top + a * np.sin(angle[k]), col - a * np.cos(angle[k])), width)
        else:  # across the stem, a little below the middle
            row = int(top + 0.55 * height)
            if not ink[row].any():
                continue
            col, a = np.flatnonzero(ink[row]).mean(), side[k] * height
            stroke = segment(field, (row, col - a), (row, col + a), width)
        out[k] = np.maximum(grid, stroke).reshape(-1)
    return out


def random_drawing(
    images: np.ndarray,
    rng: np.random.Generator,
    params: DrawingAugmentation = DRAWING,
    digits: np.ndarray | None = None,
) -> np.ndarray:
    """``images (n, 784)`` as different people might draw them: a random pen, zoom, slant, place and wobble,
    some then scanned (blurred, coarse) or written with a faint pencil; given the ``digits (n,)``, some 1s
    and 7s written the French way first (:func:`french_strokes`).  A share ``params.page`` is last prepared
    as the page prepares a drawing (:func:`reseau.drawing.fit_many`): cropped with what the changes added
    (a blur's halo, a marker's width), scaled into the 20x20 box and centred, as the network will get it.

    Each image gets its own draw of every change in ``params`` (:class:`DrawingAugmentation`),
    from ``rng`` only, in a fixed order: the same generator state gives the same batch.
    The geometry is sampled once (elastic field, then the affine map), so the digit is blurred once;
    then, as the web page's preprocessing does, the darkest pixel is made full ink: a thin pen
    gives thin strokes, not faint ones (a faint pencil is drawn after, on its own).
    """
    n = len(images)
    scanned = rng.random(n) < params.scan  # (n,) decided first: a scanned digit keeps its shape more often,
    # and is not written the French way (blurred, a 1 with a flag is a 7: the network would learn to say 1)
    french = np.full(n, -1) if digits is None else np.where(scanned, -1, digits)  # (n,) -1: none written
    written = french_strokes(images, french, rng, params)  # (n, 784)
    strokes = random_strokes(written, rng, params)  # (n, 784)
    degrees = rng.uniform(-params.rotate, params.rotate, n)  # (n,)
    factor = rng.uniform(*params.scale, n)  # (n,)
    moves = rng.uniform(-params.shift, params.shift, (n, 2))  # (n, 2) rows, columns
    fields = displacement_fields(rng, n, params.alpha, params.sigma)  # (n, 2, 28, 28)
    plain = scanned & (rng.random(n) < params.plain)  # (n,) shapes kept
    degrees[plain], factor[plain], moves[plain], fields[plain] = 0.0, 1.0, 0.0, 0.0
    out = warp(strokes, maps_about_mass(strokes, degrees, factor, moves), fields)  # (n, 784)
    peak = out.max(axis=1, keepdims=True)  # (n, 1)
    out /= np.where(peak > 0, peak, 1).astype(out.dtype)
    out = random_scans(out, rng, params, scanned)  # (n, 784)
    page = rng.random(n) < params.page  # (n,) cropped, scaled and centred again, with what the changes added
    if page.any():
        out[page] = fit_many(out[page])
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
    "low resolution 8x8": lambda x: low_resolution(x, 8),
    "low resolution 16x16": lambda x: low_resolution(x, 16),
    "thick marker 4 px": lambda x: marker(x, 4.0),
    "thick marker 7 px": lambda x: marker(x, 7.0),
    "faint pencil (ink 0.3-0.5)": lambda x: faint(x, np.random.default_rng(0).uniform(0.3, 0.5, len(x))),
    "blurred (sigma 1)": lambda x: blur(x, 1.0),
    "blurred (sigma 1.5)": lambda x: blur(x, 1.5),
}
