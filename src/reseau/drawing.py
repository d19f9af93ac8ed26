"""A drawing -> the 28x28 image MNIST would have made of it.

MNIST's digits were made this way (LeCun et al.): the ink is cropped, scaled
to fit a 20x20 box keeping its aspect ratio, with anti-aliasing (grey levels
at the edges), then placed in a 28x28 field so that its centre of mass falls
at the field's centre.  A network trained on MNIST only recognises drawings
prepared the same way, so :func:`to_mnist` does exactly these steps, in NumPy.

One thing the steps cannot make alike is the pen: NIST's writers used pens
whose strokes end up about 2.4 pixels wide in the 28x28 field, while a digit
drawn with the web page's pen comes out thin when drawn large and fat when
drawn small.  So :func:`to_mnist` also makes the pen thicker or thinner until
the 28x28 result has MNIST's median stroke thickness (:data:`STROKE`, measured
by :func:`stroke_thickness`).

Not every network wants that: one trained on thick, thin and blurred pens
(``dessin``) reads them better as they are, and the normalisation breaks a
thick blurred stroke.  So each network's model file records its own
:class:`Preprocessing` (:attr:`reseau.modelfile.ModelInfo.preprocessing`),
chosen per preset by measurement (:data:`PRESETS`); a file written before the
record gets :data:`DEFAULT`, what the page always did.  :func:`preprocess_for`
gives the function that prepares a drawing for a given network: the page,
``reseau predict``, ``reseau evaluate`` and the benchmarks call that one.
Pure functions: arrays in, arrays out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

SIDE = 28  # MNIST images are 28x28
BOX = 20  # the digit is scaled to fit a BOX x BOX square
CENTRE = 14.0  # mean centre of mass of MNIST's 60 000 training digits, (row, col) = (14.0, 14.0)
INK = 0.02  # grey level above which a pixel counts as ink when cropping
# Median stroke_thickness of MNIST's 60 000 training digits, in pixels: 2.3597 (quartiles 2.01
# and 2.78), measured once over all of them with stroke_thickness; tests re-measure it on a sample.
STROKE = 2.36
SEARCH_STEPS = 12  # bisection steps on the pen: its amount to within 3 / 2**12
PEN_RANGE = (-1.0, 2.0)  # from one whole 3x3 erosion (more breaks strokes) to two whole 3x3 dilations


@dataclass(frozen=True)
class Preprocessing:
    """What is done to a drawing before a network reads it: recorded with each network (its model file).

    Always MNIST's steps (:func:`fit`); then, with ``normalise_stroke``, the pen made thicker or thinner
    (within ``pen``: whole 3x3 erosions < 0 < dilations) until the strokes are ``stroke`` pixels wide.
    """

    normalise_stroke: bool = True  # bring the strokes to ``stroke`` pixels (False: only crop, scale, centre)
    stroke: float = STROKE  # the stroke thickness aimed at, in pixels (MNIST's median)
    pen: tuple[float, float] = PEN_RANGE  # how far the pen may change: (thinner, thicker), in 3x3 steps

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"pen": list(self.pen)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Preprocessing:
        """The inverse of :meth:`to_dict`; a record without it (a file written before it) is :data:`DEFAULT`."""
        if not data:
            return DEFAULT
        pen = data.get("pen", PEN_RANGE)
        return cls(bool(data.get("normalise_stroke", True)), float(data.get("stroke", STROKE)),
                   (float(pen[0]), float(pen[1])))  # fmt: skip


DEFAULT = Preprocessing()  # what the page did before networks recorded theirs: every file without a record
NO_STROKE = Preprocessing(normalise_stroke=False)  # only MNIST's crop, scale and centre
# Each preset's, chosen with benchmarks/bench_robustness.py (the rows "through the page", both ways; README).
# A network trained on the drawing augmentation learned thick, thin, blurred and faint pens itself.
PRESETS: dict[str, Preprocessing] = {"dessin": NO_STROKE}


def chosen_preprocessing(preset: str | None, augment: str | None = None) -> Preprocessing:
    """The preprocessing a new network records: its preset's (:data:`PRESETS`); one trained from no preset on
    the drawing augmentation gets ``dessin``'s; any other, :data:`DEFAULT`."""
    if preset in PRESETS:
        return PRESETS[preset]
    return PRESETS["dessin"] if augment == "drawing" else DEFAULT


def preprocessing_of(info: Any | None) -> Preprocessing:
    """The preprocessing the network that ``info`` describes (a :class:`reseau.modelfile.ModelInfo`) was
    trained for; :data:`DEFAULT` for None or a file written before networks recorded theirs."""
    return getattr(info, "preprocessing", None) or DEFAULT


def preprocess_for(info: Any | None) -> Callable[[np.ndarray], np.ndarray | None]:
    """The function preparing a drawing for the network that ``info`` describes (:func:`preprocessing_of`):
    ``grey (H, W)`` -> ``(28, 28)`` or None."""
    chosen = preprocessing_of(info)
    return lambda grey: to_mnist(grey, preprocessing=chosen)


def to_mnist(
    grey: np.ndarray, normalise_stroke: bool = True, preprocessing: Preprocessing | None = None
) -> np.ndarray | None:
    """``grey (H, W)`` in [0, 1], ink = 1 -> ``(28, 28)`` float32 in [0, 1], or None if nothing is drawn.

    With ``normalise_stroke`` (the default, what the web page does) the strokes are then made as thick
    as MNIST's (:func:`with_mnist_stroke`); without it, only cropped, scaled and centred.  Measured with
    ``benchmarks/bench_robustness.py``: on thickened and thinned digits it gains 1 to 8 points for every
    network (but ``dessin`` on thick ones, -0.3), on the digits of 133 fonts from +2.9 (the document's
    network) to -1.1 (``best-augment``); on MNIST's own digits the document's network loses 2.5.
    ``preprocessing`` (a network's own: :func:`preprocess_for`), when given, says it all instead.
    """
    p = preprocessing or (DEFAULT if normalise_stroke else NO_STROKE)
    x = with_mnist_stroke(grey, p.stroke, p.pen) if p.normalise_stroke else fit(grey)
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


def fit_many(images: np.ndarray) -> np.ndarray:
    """``images (n, 784)`` each prepared as :func:`fit` prepares a drawing -> ``(n, 784)`` (blank ones stay blank).

    :func:`fit` for a whole batch at once, for training: a network then learns the digits the page will
    give it (a blurred scan cropped with its halo comes out smaller, a marker's digit too).  Each image's
    crop and area reduction is one matrix per axis, ``A x B^T`` (the rows of :func:`area_weights` placed at
    its ink box), then the peak is made full ink and the digit moved to put its centre of mass at
    :data:`CENTRE`, as :func:`centre_by_mass` does.  Equal to :func:`fit` image by image up to the last bits
    of the sums (a centre of mass falling on half a pixel to within 1e-12 may move one pixel differently).
    """
    grid = np.asarray(images, dtype=np.float64).reshape(-1, SIDE, SIDE)  # (n, 28, 28)
    ink = np.asarray(grid > INK)  # (n, 28, 28)
    rows, cols = np.asarray(ink.any(axis=2)), np.asarray(ink.any(axis=1))  # (n, 28) each
    drawn = rows.any(axis=1)  # (n,) images with ink
    top, bottom = rows.argmax(axis=1), SIDE - rows[:, ::-1].argmax(axis=1)  # (n,) each, end excluded
    left, right = cols.argmax(axis=1), SIDE - cols[:, ::-1].argmax(axis=1)  # (n,) each
    h, w = bottom - top, right - left  # (n,) each
    scale = BOX / np.maximum(h, w)  # (n,)
    # Python's round(), as fit: halves to even (np.round does the same)
    height, width = np.maximum(1, np.round(h * scale)), np.maximum(1, np.round(w * scale))  # (n,) each
    a = _placed_area_weights(top, h, height)  # (n, 28, 28): output row i <- input rows
    b = _placed_area_weights(left, w, width)  # (n, 28, 28): output column j <- input columns
    small = a @ grid @ np.swapaxes(b, 1, 2)  # (n, 28, 28): the digit in the top left corner
    peak = small.max(axis=(1, 2))  # (n,)
    drawn &= peak > 0
    small /= np.where(drawn, peak, 1.0)[:, None, None]
    total = np.where(drawn, small.sum(axis=(1, 2)), 1.0)  # (n,)
    axis = np.arange(SIDE)
    row = (small.sum(axis=2) * axis).sum(axis=1) / total  # (n,) centre of mass
    col = (small.sum(axis=1) * axis).sum(axis=1) / total  # (n,)
    down = np.clip(np.round(CENTRE - row), 0, SIDE - height).astype(int)  # (n,)
    across = np.clip(np.round(CENTRE - col), 0, SIDE - width).astype(int)  # (n,)
    source_rows = (axis[None, :] - down[:, None]) % SIDE  # (n, 28): output row r reads small's row r - down
    source_cols = (axis[None, :] - across[:, None]) % SIDE  # (n, 28)
    n = np.arange(len(grid))[:, None, None]
    out = small[n, source_rows[:, :, None], source_cols[:, None, :]]  # (n, 28, 28): wrapped rows are zeros
    out[~drawn] = 0.0
    return out.reshape(np.shape(images)).astype(np.asarray(images).dtype)


def _placed_area_weights(start: np.ndarray, length: np.ndarray, size: np.ndarray) -> np.ndarray:
    """``(n, 28, 28)``: for each image, :func:`area_weights` ``(length, size)``'s ``(size, length)`` matrix
    placed at rows ``[0, size)`` and columns ``[start, start + length)``, zeros elsewhere."""
    i = np.arange(SIDE)[None, :, None]  # output pixel
    j = np.arange(SIDE)[None, None, :] - start[:, None, None]  # input pixel, counted from the crop's start
    length, size = length[:, None, None].astype(np.float64), size[:, None, None]
    lo = np.maximum(i * length / size, j)  # (n, 28, 28): where output pixel i's span and input pixel j's meet
    hi = np.minimum((i + 1) * length / size, j + 1)
    overlap = np.clip(hi - lo, 0.0, None) * ((i < size) & (j >= 0) & (j < length))  # (n, 28, 28)
    return overlap / np.where(i < size, length / size, 1.0)  # each used row sums to 1


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


def with_mnist_stroke(
    grey: np.ndarray, stroke: float = STROKE, pen_range: tuple[float, float] = PEN_RANGE
) -> np.ndarray | None:
    """``grey (h, w)`` made like MNIST (:func:`fit`), then its pen made thicker or thinner (within
    ``pen_range``) until its stroke thickness is ``stroke`` (MNIST's: :data:`STROKE`).

    The pen changes by fractions of a 3x3 grey dilation (thicker) or erosion (thinner) of the 28x28
    image (``x + a (dilate(x) - x)``, up to two whole steps one way or one the other), which keeps
    MNIST's soft grey edges; the result is cropped and fitted again (box and centre stay MNIST's),
    and the amount is found by bisection on the thickness, which grows with it.
    """
    x = fit(grey)
    if x is None:
        return None
    low, high = pen_range
    best = x
    for _ in range(SEARCH_STEPS):
        amount = (low + high) / 2
        y = fit(pen(x, amount))
        if y is None:  # thinned away: a smaller change
            low = amount
            continue
        best = y
        if float(stroke_thickness(y)) < stroke:
            low = amount
        else:
            high = amount
    return best


def _filter3(images: np.ndarray, pick: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """``pick`` (np.maximum or np.minimum) over each pixel's 3x3 neighbourhood, zero outside the field.

    A 3x3 square is a 3-wide row of 3-high columns, so the filter is two passes of three.  (Also what
    :mod:`reseau.distort` draws its thicker and thinner pens with.)
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


def pen(x: np.ndarray, amount: float) -> np.ndarray:
    """``x (28, 28)`` drawn ``amount`` 3x3 steps thicker (``> 0``, grey dilation) or thinner (``< 0``, erosion)."""
    row = x.reshape(1, SIDE * SIDE)
    change, left = (thicken if amount > 0 else thin), abs(amount)
    while left > 0:
        step = min(left, 1.0)
        row = row + step * (change(row) - row)  # a fraction of one more step
        left -= step
    return row.reshape(SIDE, SIDE)


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
    return product(product(rows, image), cols.T)  # (height, h) @ (h, w) @ (w, width) -> (height, width)


def product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a (m, k) @ b (k, n)``, each value's sum of products added in index order, the same on every machine.

    Not ``@``: it hands the sums to the BLAS library, which adds them in an order of its own, chosen for
    the processor.  The last bits differ, and a symmetric drawing (a full pad) whose centre of mass falls
    on half a pixel is moved one pixel or the other depending on the machine; the web page's JavaScript
    twin (``static/engine/drawing.js``) can then not find the same image.  Here the order is written out.
    """
    out = np.zeros((a.shape[0], b.shape[1]))  # (m, n)
    for k in range(a.shape[1]):
        out += a[:, k, None] * b[None, k, :]  # (m, 1) * (1, n): the k-th products, added to the sums
    return out


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """``(row, col)`` of the grey-level-weighted mean pixel position of ``image (h, w)``."""
    total = image.sum()
    # (sums * positions).sum(), not sums @ positions: NumPy's own sum, whose order is the same on every machine
    rows = (image.sum(axis=1) * np.arange(image.shape[0])).sum() / total  # (h,) * (h,) -> ()
    cols = (image.sum(axis=0) * np.arange(image.shape[1])).sum() / total  # (w,) * (w,) -> ()
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
