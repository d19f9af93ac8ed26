"""A drawing -> the 28x28 image MNIST would have made of it.

MNIST's digits were made this way (LeCun et al.): the ink is cropped, scaled
to fit a 20x20 box keeping its aspect ratio, with anti-aliasing (grey levels
at the edges), then placed in a 28x28 field so that its centre of mass falls
at the field's centre.  A network trained on MNIST only recognises drawings
prepared the same way, so :func:`to_mnist` does exactly these steps, in NumPy.

One thing the steps cannot make alike is the pen: NIST's writers used pens
whose strokes end up about 2.4 pixels wide in the 28x28 field, while a digit
drawn with the web page's pen comes out thin when drawn large and fat when
drawn small.  So :func:`to_mnist` can also grow or shrink the strokes, on the
drawing itself, until the 28x28 result has MNIST's median stroke thickness
(:data:`STROKE`, measured by :func:`stroke_thickness`).  Measured, it did not
help the trained networks (see :func:`to_mnist`): it is there to try, off by default.
Pure functions: arrays in, arrays out.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from reseau.distort import signed_distance

SIDE = 28  # MNIST images are 28x28
BOX = 20  # the digit is scaled to fit a BOX x BOX square
CENTRE = 14.0  # mean centre of mass of MNIST's 60 000 training digits, (row, col) = (14.0, 14.0)
INK = 0.02  # grey level above which a pixel counts as ink when cropping
# Median stroke_thickness of MNIST's 60 000 training digits, in pixels: 2.3597 (quartiles 2.01
# and 2.78), measured once over all of them with stroke_thickness; tests re-measure it on a sample.
STROKE = 2.36
STROKE_TOLERANCE = 0.03  # the pen is adjusted until the thickness is within 3 % of STROKE
WORK = 4 * BOX  # a large drawing is shrunk (by whole blocks) to no less than this across before its pen changes
SEARCH_STEPS = 8  # at most this many trial pens per drawing (two or three are usually enough)


def to_mnist(grey: np.ndarray, normalise_stroke: bool = False) -> np.ndarray | None:
    """``grey (H, W)`` in [0, 1], ink = 1 -> ``(28, 28)`` float32 in [0, 1], or None if nothing is drawn.

    With ``normalise_stroke`` the strokes are then made as thick as MNIST's (:func:`with_mnist_stroke`);
    without it (the default, what the web page does), only cropped, scaled and centred.  Measured with
    ``benchmarks/bench_robustness.py``: the normalisation cost every trained network but the document's
    1 to 2 points on the digits of 133 fonts, and more on thickened or thinned MNIST digits (the
    networks trained for drawings already expect every pen), so the page leaves the pen as it is.
    """
    box = ink_box(grey)
    if box is None:
        return None
    top, bottom, left, right = box
    crop = grey[top:bottom, left:right]  # (h, w)
    x = with_mnist_stroke(crop) if normalise_stroke else fit(crop)
    return None if x is None else x.astype(np.float32)


def fit(grey: np.ndarray) -> np.ndarray | None:
    """``grey (h, w)`` cropped to its ink, scaled into the 20x20 box and centred by mass in 28x28 (float64)."""
    box = ink_box(grey)
    if box is None:
        return None
    top, bottom, left, right = box
    crop = grey[top:bottom, left:right]  # (h, w)
    h, w = crop.shape
    scale = BOX / max(h, w)
    small = resize_area(crop, max(1, round(h * scale)), max(1, round(w * scale)))  # (<=20, <=20)
    peak = small.max()
    if peak <= 0:
        return None
    small = small / peak  # a thin pen still gives MNIST's full-black stroke centres
    return centre_by_mass(small)


def stroke_thickness(images: np.ndarray) -> np.ndarray:
    """Mean stroke width in pixels of ``images (..., h, w)`` (ink 1) -> ``(...)``: twice the ink over the edge.

    A stroke of width ``t`` and length ``L`` has ink ``t L`` and an edge of length ``2 L`` (both
    sides; its two ends are small beside that), so ``2 ink / edge = t``, whatever the shape of
    the stroke.  With grey levels the edge length is the total variation ``sum |grad x|`` (forward
    differences, zero outside): by the coarea formula it adds up the edge lengths of every grey
    level, as the ink adds up their areas.  Exact for edges along the axes; slanted and curved
    edges measure up to 15 % long when blocky, about 7 % when anti-aliased over a pixel, as both
    MNIST's digits and :func:`fit`'s are: the bias is the same on both sides of the comparison.
    """
    x = np.asarray(images, dtype=np.float64)
    padded = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(1, 1), (1, 1)])  # (..., h+2, w+2)
    down = padded[..., 1:, :-1] - padded[..., :-1, :-1]  # (..., h+1, w+1)
    right = padded[..., :-1, 1:] - padded[..., :-1, :-1]  # (..., h+1, w+1)
    edge = np.sqrt(down**2 + right**2).sum(axis=(-2, -1))  # (...)
    ink = x.sum(axis=(-2, -1))  # (...)
    return 2 * ink / np.where(edge > 0, edge, 1.0)


def with_mnist_stroke(crop: np.ndarray) -> np.ndarray | None:
    """``crop (h, w)`` redrawn with a pen that gives MNIST's stroke thickness, then :func:`fit` (28x28).

    The drawing's shape (its pixels over half its darkest) is grown or shrunk by ``r`` pixels on
    every side, with anti-aliased edges (:func:`reseau.distort.signed_distance`), at the drawing's
    resolution (at most :data:`WORK` pixels across, see :func:`pool_any`), where a fraction of a
    28x28 pixel is several pixels.  Growing the strokes also grows the digit's box, which
    :func:`fit` scales back to 20 pixels, so the ``r`` that gives :data:`STROKE` is searched for on
    the final 28x28 image (:func:`solve_pen`).
    """
    shape = pool_any(crop > 0.5 * crop.max(), max(1, max(crop.shape) // WORK))  # (h', w') bool
    margin = math.ceil(0.25 * max(shape.shape)) + 2  # room for the widest pen (a quarter of the box)
    distance = signed_distance(np.pad(shape, margin))  # (h' + 2m, w' + 2m): < 0 inside the strokes

    def drawn(r: float) -> np.ndarray | None:  # the drawing with every stroke r pixels wider on each side
        return fit(np.clip(r + 0.5 - distance, 0.0, 1.0))  # (28, 28)

    deepest = float(-distance.min())  # about half the widest stroke: shrinking by that much erases it
    return solve_pen(drawn, low=0.75 - deepest, high=margin - 1.0, length=max(shape.shape))  # the middle stays


def pool_any(mask: np.ndarray, step: int) -> np.ndarray:
    """``mask (h, w)`` -> ``(ceil(h / step), ceil(w / step))``: True where any pixel of the block is.

    Any, not the mean: a one-pixel line of a large drawing must not vanish.  The block is at most
    a quarter of a 28x28 pixel (:data:`WORK`), and the pen search corrects the slight thickening.
    """
    h, w = mask.shape
    padded = np.pad(mask, ((0, -h % step), (0, -w % step)))  # (step h', step w')
    blocks = padded.reshape(padded.shape[0] // step, step, padded.shape[1] // step, step)  # (h', step, w', step)
    return np.any(blocks, axis=(1, 3))  # (h', w')


def solve_pen(drawn: Callable[[float], np.ndarray | None], low: float, high: float, length: int) -> np.ndarray | None:
    """The image ``drawn(r)`` whose stroke thickness is closest to :data:`STROKE`, ``r`` in ``[low, high]``.

    Secant steps on ``log(thickness / STROKE)``, started from ``r = 0`` (the drawing as it is) and
    from the guess that a box of ``length`` pixels scales strokes by ``BOX / (length + 2 r)``:
    ``t(r) = (t0 length + 2 BOX r) / (length + 2 r)``, solved for ``t(r) = STROKE``.  At most
    :data:`SEARCH_STEPS` trials; the closest is kept (never further than the shape redrawn as it is).
    """
    tried: list[tuple[float, float, np.ndarray]] = []  # (r, log-error, image)

    def attempt(r: float) -> float:
        image = drawn(r)
        error = math.inf if image is None else math.log(float(stroke_thickness(image)) / STROKE)
        if image is not None:
            tried.append((r, error, image))
        return error

    e0 = attempt(0.0)
    if not tried:
        return None
    t0 = STROKE * math.exp(e0)
    r_prev, e_prev = 0.0, e0
    r = length * (STROKE - t0) / (2 * BOX - 2 * STROKE)  # the guess above
    for _ in range(SEARCH_STEPS - 1):
        if abs(e_prev) < STROKE_TOLERANCE:
            break
        r = min(max(r, low), high)
        e = attempt(r)
        if not math.isfinite(e) or e == e_prev:
            break
        r, r_prev, e_prev = r - e * (r - r_prev) / (e - e_prev), r, e
    return min(tried, key=lambda t: abs(t[1]))[2]


def ink_box(grey: np.ndarray) -> tuple[int, int, int, int] | None:
    """``(top, bottom, left, right)`` bounds (end excluded) of the pixels above :data:`INK`; None if none."""
    ink = grey > INK  # (H, W) bool
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def area_weights(n_in: int, n_out: int) -> np.ndarray:
    """``(n_out, n_in)`` matrix averaging input pixels by how much of each an output pixel covers.

    Output pixel ``i`` covers input coordinates ``[i, i+1) * n_in / n_out``;
    weights are the overlaps, normalised so each row sums to 1.  This is
    area-averaging (box-filter) resampling: anti-aliased when shrinking.
    """
    edges = np.linspace(0.0, n_in, n_out + 1)  # (n_out + 1,) output pixel edges, in input units
    starts = np.arange(n_in)  # (n_in,) left edge of each input pixel
    lo = np.maximum(edges[:-1, None], starts[None, :])  # (n_out, n_in)
    hi = np.minimum(edges[1:, None], starts[None, :] + 1)  # (n_out, n_in)
    overlap = np.clip(hi - lo, 0.0, None)  # (n_out, n_in)
    return overlap / overlap.sum(axis=1, keepdims=True)


def resize_area(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """``image (h, w)`` -> ``(height, width)`` by area averaging along both axes."""
    rows = area_weights(image.shape[0], height)  # (height, h)
    cols = area_weights(image.shape[1], width)  # (width, w)
    return rows @ image @ cols.T  # (height, h) @ (h, w) @ (w, width) -> (height, width)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """``(row, col)`` of the grey-level-weighted mean pixel position of ``image (h, w)``."""
    total = image.sum()
    rows = image.sum(axis=1) @ np.arange(image.shape[0]) / total  # (h,) @ (h,) -> ()
    cols = image.sum(axis=0) @ np.arange(image.shape[1]) / total  # (w,) @ (w,) -> ()
    return float(rows), float(cols)


def centre_by_mass(small: np.ndarray) -> np.ndarray:
    """Place ``small (h, w)`` (h, w <= 28) in a 28x28 field with its centre of mass at :data:`CENTRE`.

    The shift is a whole number of pixels (no blurring), kept so the digit stays inside the field.
    """
    h, w = small.shape
    row, col = centre_of_mass(small)
    top = int(np.clip(round(CENTRE - row), 0, SIDE - h))
    left = int(np.clip(round(CENTRE - col), 0, SIDE - w))
    field = np.zeros((SIDE, SIDE))
    field[top : top + h, left : left + w] = small
    return field
