"""A drawing -> the 28x28 image MNIST would have made of it.

MNIST's digits were made this way (LeCun et al.): the ink is cropped, scaled
to fit a 20x20 box keeping its aspect ratio, with anti-aliasing (grey levels
at the edges), then placed in a 28x28 field so that its centre of mass falls
at the field's centre.  A network trained on MNIST only recognises drawings
prepared the same way, so :func:`to_mnist` does exactly these steps, in NumPy.
Pure functions: arrays in, arrays out.
"""

from __future__ import annotations

import numpy as np

SIDE = 28  # MNIST images are 28x28
BOX = 20  # the digit is scaled to fit a BOX x BOX square
CENTRE = 14.0  # mean centre of mass of MNIST's 60 000 training digits, (row, col) = (14.0, 14.0)
INK = 0.02  # grey level above which a pixel counts as ink when cropping


def to_mnist(grey: np.ndarray) -> np.ndarray | None:
    """``grey (H, W)`` in [0, 1], ink = 1 -> ``(28, 28)`` float32 in [0, 1], or None if nothing is drawn."""
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
    return centre_by_mass(small).astype(np.float32)


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
