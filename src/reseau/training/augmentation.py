"""Light data augmentation: each training image slightly shifted, rotated and zoomed.

A digit moved by a pixel or turned by a few degrees is still the same digit.
Showing the network such variants at every epoch (never the same twice)
teaches it that, which a fully connected network cannot know by itself: it
sees 784 unrelated inputs.  The test images are never changed.

Each image gets a random affine map around the image centre; every output
pixel reads the source image at the inverse-mapped point, by bilinear
interpolation (zero outside the image).  The loop is compiled with numba.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

SIDE = 28
CENTRE = (SIDE - 1) / 2  # 13.5: rotations and zooms turn around the middle of the image


@dataclass(frozen=True)
class Augmentation:
    """How far the random changes go (uniform in ``[-x, x]``)."""

    shift: float = 2.0  # pixels, along each axis
    rotate: float = 10.0  # degrees
    zoom: float = 0.1  # relative change of size (0.1: 90 % to 110 %)


LIGHT = Augmentation()


def affine_maps(degrees: np.ndarray, scale: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """``(n, 2, 3)`` inverse maps: output pixel ``(r, c)`` reads the source at ``M @ (r, c, 1)``.

    Image ``k`` is turned by ``degrees[k]`` (counter-clockwise on screen), zoomed by
    ``scale[k]`` and moved by ``shift[k] = (rows, columns)``.  The forward map of a
    point ``p = (row, column)`` is ``p' = C + s R (p - C) + t`` around the centre
    ``C``; each output pixel needs the inverse, ``p = C + R^-1 (p' - C - t) / s``.
    """
    theta = np.deg2rad(np.asarray(degrees, dtype=np.float64))  # (n,)
    cos, sin = np.cos(theta) / scale, np.sin(theta) / scale  # (n,) each
    maps = np.empty((len(theta), 2, 3))
    # R^-1 / s in (row, column) coordinates; rows grow downwards, so this turns counter-clockwise
    maps[:, 0, 0], maps[:, 0, 1] = cos, sin
    maps[:, 1, 0], maps[:, 1, 1] = -sin, cos
    source_of_centre = CENTRE + np.asarray(shift, dtype=np.float64)  # (n, 2): C + t
    maps[:, :, 2] = CENTRE - np.einsum("nij,nj->ni", maps[:, :, :2], source_of_centre)  # (n, 2)
    return maps


def random_maps(rng: np.random.Generator, n: int, aug: Augmentation = LIGHT) -> np.ndarray:
    """``n`` random maps: angle, zoom and shift drawn uniformly within ``aug``'s bounds."""
    degrees = rng.uniform(-aug.rotate, aug.rotate, n)  # (n,)
    scale = 1 + rng.uniform(-aug.zoom, aug.zoom, n)  # (n,)
    shift = rng.uniform(-aug.shift, aug.shift, (n, 2))  # (n, 2) rows, columns
    return affine_maps(degrees, scale, shift)


def warp(images: np.ndarray, maps: np.ndarray, fields: np.ndarray | None = None) -> np.ndarray:
    """Apply ``maps (n, 2, 3)`` to ``images (n, 784)``; returns new ``(n, 784)`` images, same dtype.

    With ``fields (n, 2, 28, 28)`` (rows, columns; :func:`reseau.distort.displacement_fields`), output
    pixel ``q`` of image ``k`` reads the source at ``maps[k] @ (q + fields[k, :, q], 1)``: a displacement
    per output pixel followed by the affine map, sampled bilinearly once.
    """
    shape = (len(images), 2, SIDE * SIDE)  # (n, 2, 784)
    moves = np.zeros(shape, np.float32) if fields is None else np.ascontiguousarray(fields, np.float32).reshape(shape)
    out = np.empty_like(images)
    _kernel()(np.ascontiguousarray(images), np.ascontiguousarray(maps, np.float64), moves, out)
    return out


def augment(
    images: np.ndarray, rng: np.random.Generator, aug: Augmentation = LIGHT, digits: np.ndarray | None = None
) -> np.ndarray:
    """Randomly shifted, rotated and zoomed copies of ``images (n, 784)`` (the same for every digit: ``digits``,
    which the trainer gives every augmentation, are not needed)."""
    return warp(images, random_maps(rng, len(images), aug))


@functools.cache
def _kernel():
    """The warp loop over ``images (n, 784)``, compiled on first use (and cached on disk by numba)."""
    import numba

    @numba.njit(cache=True, nogil=True)
    def warp_kernel(images, maps, fields, out):  # pragma: no cover - compiled
        for k in range(images.shape[0]):
            m = maps[k]
            for r in range(SIDE):
                for c in range(SIDE):
                    q = r * SIDE + c
                    pr, pc = r + fields[k, 0, q], c + fields[k, 1, q]  # the output point, displaced
                    sr = m[0, 0] * pr + m[0, 1] * pc + m[0, 2]  # source row
                    sc = m[1, 0] * pr + m[1, 1] * pc + m[1, 2]  # source column
                    r0, c0 = int(np.floor(sr)), int(np.floor(sc))
                    fr, fc = sr - r0, sc - c0
                    value = 0.0
                    for dr in range(2):
                        rr = r0 + dr
                        if rr < 0 or rr >= SIDE:
                            continue
                        wr = fr if dr else 1.0 - fr
                        for dc in range(2):
                            cc = c0 + dc
                            if 0 <= cc < SIDE:
                                value += wr * (fc if dc else 1.0 - fc) * images[k, rr * SIDE + cc]
                    out[k, q] = value

    return warp_kernel
