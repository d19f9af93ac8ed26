"""A photo of a digit written on paper -> the 28x28 image a network reads, step by step.

A drawing on the web page is already ink on nothing.  A photo is not: the paper is grey, lit unevenly,
maybe ruled or squared, the ink is blue or black, and the digit is somewhere in the middle.  The steps:

1. :func:`decode`: the file's pixels (PNG or JPEG, read by Pillow), turned upright as the phone held it,
   reduced to at most :data:`WORK_SIDE` pixels a side.  Its size is checked from the file's header
   BEFORE any pixel is decoded (:data:`MAX_PIXELS`): a huge image or a decompression bomb costs nothing.
2. :func:`grey_of`: one grey level per pixel.  The red channel: blue ink and black ink are both dark in
   it, while the paper's light blue lines and red margin are pale.
3. :func:`flatten`: the light of the paper is measured block by block (its bright pixels) and divided
   out, so a shadow across the page or a darker corner becomes plain paper; ``darkness = 1 - grey / paper``.
4. :func:`ink_of`: ink is what is darker than a threshold chosen from the photo itself (Otsu's, among
   the pixels darker than the paper): the paper's printed lines are paler than ink and stay below it.
5. :func:`digit_of`: the ink's connected pieces; specks and the paper's long lines are dropped (and
   a line's thin parts where it crosses the digit), the
   pieces that stand one above the other make the digit (two groups side by side are two digits:
   refused), and the digit is cut out with soft edges.
6. :func:`network_input`: the network's own preprocessing of the cut-out digit (the one its model file
   records: :func:`reseau.drawing.preprocess_for`).

Pure functions on NumPy arrays, but for :func:`decode` (bytes in).  Every refusal is a
:class:`PhotoError` whose message (``photo.*`` in the message table) is one sentence.
Tested by tests/test_photo.py (each step on constructed photos, bad files, the synthetic set of
:mod:`reseau.photoset`); measured by benchmarks/bench_photo.py.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reseau.drawing import preprocess_for
from reseau.errors import ReseauError

FORMATS = ("PNG", "JPEG")  # what a photo may be (a phone's camera gives JPEG)
MAX_PIXELS = 50_000_000  # width * height, read from the header: a 48-megapixel phone photo passes, 12000 x 12000 not
MAX_BYTES = 40 * 1024 * 1024  # a file larger than this is not read at all
WORK_SIDE = 512  # the photo is reduced to at most this many pixels a side before any step
MIN_SIDE = 28  # a photo smaller than MNIST's own images has nothing to read
BLOCKS = 16  # the paper's light is measured on a grid of about BLOCKS x BLOCKS blocks
PAPER_PERCENTILE = 90  # a block's paper light: this percentile of its grey levels (the ink is the dark minority)
FLOOR = 0.08  # darkness below this is the paper's grain and JPEG's noise
MIN_INK = 0.2  # the ink threshold is never below this: a blank page has no ink
SPECK = 0.0004  # a piece of ink smaller than this fraction of the photo is a speck
SPECK_OF_LARGEST = 0.03  # ... and so is one smaller than this fraction of the largest piece
LINE_SPAN = 0.75  # a piece spanning this fraction of the photo's width or height is a line (or the paper's edge)
LINE_WIDTH = 0.01  # ... and its parts this thin (x the photo's shorter side, at least 2 pixels) are the line's
SIDE_BY_SIDE = 0.04  # pieces whose columns are further apart than this x the digit's height are side by side
OTHER_DIGIT = 0.4  # a second group at least this tall and this heavy (x the first) is a second digit
MIN_DIGIT = 0.06  # a digit is at least this fraction of the photo's shorter side tall
EDGE = 2  # pixels of soft edge kept around the digit's ink


class PhotoError(ReseauError):
    """A photo that cannot be read as one digit: not an image, too large, no digit, several digits..."""


@dataclass(frozen=True)
class Steps:
    """Every step's image, for the page and for tests; grey levels in [0, 1]."""

    photo: np.ndarray  # (h, w, 3) the photo, upright, reduced (1 = white)
    grey: np.ndarray  # (h, w) its grey levels (1 = white)
    darkness: np.ndarray  # (h, w) the lighting flattened: 0 = paper, 1 = black
    ink: np.ndarray  # (h, w) bool: what is darker than the ink threshold
    kept: np.ndarray  # (h, w) bool: the ink pieces that make the digit
    digit: np.ndarray  # (dh, dw) the digit cut out, ink 1
    input: np.ndarray  # (28, 28) float32: what the network reads, ink 1


# ---------------------------------------------------------------------------
# 1. The file's pixels
# ---------------------------------------------------------------------------


def decode(data: bytes) -> np.ndarray:
    """A PNG or JPEG file's bytes -> ``(h, w, 3)`` colours in [0, 1], upright, at most WORK_SIDE a side.

    The size is read from the header and checked before the pixels are decoded; a JPEG is decoded
    directly at 1/2, 1/4 or 1/8 of its size when that is enough (Pillow's ``draft``), so memory stays
    bounded by :data:`MAX_PIXELS`.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise PhotoError("photo.empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit is lower: below
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoError("photo.too_large", width=width, height=height, limit=MAX_PIXELS // 1_000_000)
            if min(width, height) < MIN_SIDE:
                raise PhotoError("photo.too_small", width=width, height=height, side=MIN_SIDE)
            image.draft("RGB", (WORK_SIDE, WORK_SIDE))  # JPEG: decode at a reduced scale, still >= WORK_SIDE
            upright = ImageOps.exif_transpose(image).convert("RGB")
            upright.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)  # area-averaging, aspect kept
            return np.asarray(upright, dtype=np.float64) / 255.0  # (h, w, 3)
    except UnidentifiedImageError:
        raise PhotoError("photo.not_image", formats=" / ".join(FORMATS)) from None
    except Image.DecompressionBombError:
        raise PhotoError("photo.bomb", limit=MAX_PIXELS // 1_000_000) from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:  # truncated, damaged, odd
        raise PhotoError("photo.unreadable", reason=str(exc)[:80]) from None


# ---------------------------------------------------------------------------
# 2-4. Grey, the light flattened, the ink
# ---------------------------------------------------------------------------


def grey_of(rgb: np.ndarray) -> np.ndarray:
    """``rgb (h, w, 3)`` -> ``(h, w)`` grey: the red channel (blue and black ink dark, blue lines, red margin pale)."""
    return rgb[..., 0]


def flatten(grey: np.ndarray) -> np.ndarray:
    """``grey (h, w)`` (1 = white) -> darkness ``(h, w)`` in [0, 1]: 0 where the paper is, whatever its light."""
    paper = paper_light(grey)  # (h, w)
    return np.clip(1.0 - grey / np.maximum(paper, 1e-3), 0.0, 1.0)


def paper_light(grey: np.ndarray) -> np.ndarray:
    """The paper's light at every pixel of ``grey (h, w)``: each block's bright percentile, a 3x3 median over
    the blocks (a block full of ink takes its neighbours' light), then spread smoothly between block centres."""
    h, w = grey.shape
    side = -(-max(h, w) // BLOCKS)  # pixels per block side (rounded up)
    rows, cols = -(-h // side), -(-w // side)
    padded = np.pad(grey, ((0, rows * side - h), (0, cols * side - w)), mode="edge")  # (rows side, cols side)
    blocks = padded.reshape(rows, side, cols, side).transpose(0, 2, 1, 3).reshape(rows, cols, side * side)
    grid = median3(np.percentile(blocks, PAPER_PERCENTILE, axis=-1))  # (rows, cols)
    return spread(grid, rows * side, cols * side)[:h, :w]


def median3(grid: np.ndarray) -> np.ndarray:
    """The median of each value's 3x3 neighbourhood of ``grid (r, c)`` (edges repeated)."""
    padded = np.pad(grid, 1, mode="edge")  # (r + 2, c + 2)
    r, c = grid.shape
    around = [padded[i : i + r, j : j + c] for i in range(3) for j in range(3)]  # 9 x (r, c)
    return np.median(np.stack(around), axis=0)


def spread(grid: np.ndarray, h: int, w: int) -> np.ndarray:
    """``grid (r, c)`` of block values -> ``(h, w)``, linear between the block centres, constant beyond."""
    r, c = grid.shape
    centres_r, centres_c = (np.arange(r) + 0.5) * h / r, (np.arange(c) + 0.5) * w / c
    y, x = np.arange(h) + 0.5, np.arange(w) + 0.5
    tall = np.stack([np.interp(y, centres_r, grid[:, j]) for j in range(c)], axis=1)  # (h, c)
    return np.stack([np.interp(x, centres_c, tall[i]) for i in range(h)])  # (h, w)


def ink_threshold(darkness: np.ndarray) -> float:
    """The darkness above which a pixel is ink: Otsu's threshold among the pixels darker than the paper
    (FLOOR), which falls between the paper's pale lines and the ink; never below MIN_INK."""
    values = darkness[darkness > FLOOR]
    if values.size < 2:
        return MIN_INK
    counts, edges = np.histogram(values, bins=64, range=(FLOOR, 1.0))  # (64,)
    centres = (edges[:-1] + edges[1:]) / 2
    below = np.cumsum(counts)  # pixels at or below each bin
    mean_below = np.cumsum(counts * centres) / np.maximum(below, 1)
    above = below[-1] - below
    mean_above = (np.sum(counts * centres) - np.cumsum(counts * centres)) / np.maximum(above, 1)
    between = below * above * (mean_below - mean_above) ** 2  # Otsu: the split that separates the two most
    return max(MIN_INK, float(edges[1:][int(np.argmax(between))]))


def ink_of(darkness: np.ndarray) -> tuple[np.ndarray, float]:
    """``darkness (h, w)`` -> ``(ink (h, w) bool, threshold)``."""
    threshold = ink_threshold(darkness)
    return darkness > threshold, threshold


# ---------------------------------------------------------------------------
# 5. The digit: pieces of ink, specks and lines dropped, grouped, cut out
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """One connected piece of ink."""

    label: int  # its number in the label image
    area: int  # pixels
    top: int
    bottom: int  # (end excluded)
    left: int
    right: int  # (end excluded)


def pieces(ink: np.ndarray) -> tuple[np.ndarray, list[Piece]]:
    """The 8-connected pieces of ``ink (h, w)``: a label image ``(h, w)`` (0 = no ink) and each piece's box.

    Row by row, the ink comes in runs (a stretch of ink pixels); a run touching a run of the row above
    (their columns overlap, corners included) is joined to it (union-find); each set of joined runs is a piece.
    """
    h, w = ink.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    changes = np.diff(padded, axis=1)  # (h, w + 1): +1 where a run starts, -1 just after it ends
    run_rows, starts = np.nonzero(changes == 1)
    ends = np.nonzero(changes == -1)[1]  # (runs,) in the same order: row by row, left to right
    parent = list(range(len(starts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of_row = np.searchsorted(run_rows, np.arange(h + 1))  # runs of row r: first_of_row[r] to first_of_row[r+1]
    for i in range(len(starts)):
        r = run_rows[i]
        if r == 0:
            continue
        for j in range(first_of_row[r - 1], first_of_row[r]):  # the runs of the row above
            if starts[j] <= ends[i] and starts[i] <= ends[j]:  # overlapping, or touching by a corner
                parent[root(i)] = root(j)
    roots = np.array([root(i) for i in range(len(starts))], dtype=np.int64)
    _, run_label = np.unique(roots, return_inverse=True)  # (runs,) each run's piece, numbered 0, 1, 2...
    labels = np.zeros((h, w), dtype=np.int32)
    found = []
    for label in range(run_label.max() + 1 if len(starts) else 0):
        runs = np.flatnonzero(run_label == label)
        for run in runs:
            labels[run_rows[run], starts[run] : ends[run]] = label + 1
        found.append(
            Piece(
                label + 1,
                int((ends[runs] - starts[runs]).sum()),
                int(run_rows[runs].min()),
                int(run_rows[runs].max()) + 1,
                int(starts[runs].min()),
                int(ends[runs].max()),
            )
        )
    return labels, found


def is_line(piece: Piece, h: int, w: int) -> bool:
    """A piece as long as most of the photo: a ruled line, the margin, the paper's edge, not a digit."""
    return piece.right - piece.left >= LINE_SPAN * w or piece.bottom - piece.top >= LINE_SPAN * h


def run_lengths(mask: np.ndarray) -> np.ndarray:
    """For each pixel of ``mask (h, w)``, the length of the run of True along its row it belongs to (0 if False)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    changes = np.diff(padded, axis=1)  # (h, w + 1)
    rows, starts = np.nonzero(changes == 1)
    ends = np.nonzero(changes == -1)[1]
    lengths = ends - starts  # (runs,)
    offsets = np.cumsum(lengths) - lengths  # where each run's pixels begin in the flat list below
    cols = np.arange(lengths.sum()) - np.repeat(offsets, lengths) + np.repeat(starts, lengths)
    out = np.zeros((h, w), dtype=np.int64)
    out[np.repeat(rows, lengths), cols] = np.repeat(lengths, lengths)
    return out


def without_lines(ink: np.ndarray, labels: np.ndarray, found: list[Piece]) -> np.ndarray:
    """``ink (h, w)`` without the thin parts of its line pieces: a ruled line a digit's stroke crosses is
    one piece with it; its pixels that are thin across (a few pixels high, or wide) go, the stroke's stay."""
    h, w = ink.shape
    lines = [p.label for p in found if is_line(p, h, w)]
    if not lines:
        return ink
    width = max(2, round(LINE_WIDTH * min(h, w)))
    down, across = run_lengths(ink.T).T, run_lengths(ink)  # (h, w) each
    thin = (down <= width) | (across <= width)  # thin down (a line across), or thin across (a line down)
    return ink & ~(np.isin(labels, lines) & thin)


def groups(kept: list[Piece]) -> list[list[Piece]]:
    """The pieces grouped by columns: pieces whose columns overlap (or nearly) belong to the same digit."""
    if not kept:
        return []
    tallest = max(p.bottom - p.top for p in kept)
    gap = SIDE_BY_SIDE * tallest
    out: list[list[Piece]] = []
    for piece in sorted(kept, key=lambda p: p.left):
        if out and piece.left <= max(p.right for p in out[-1]) + gap:
            out[-1].append(piece)
        else:
            out.append([piece])
    return out


def height(group: list[Piece]) -> int:
    return max(p.bottom for p in group) - min(p.top for p in group)


def weight(group: list[Piece]) -> int:
    return sum(p.area for p in group)


def digit_pieces(ink: np.ndarray) -> tuple[np.ndarray, list[Piece]]:
    """The label image and the pieces of the one digit in ``ink (h, w)``; no digit or several is a PhotoError."""
    h, w = ink.shape
    labels, found = pieces(without_lines(ink, *pieces(ink)))
    found = [p for p in found if not is_line(p, h, w)]
    largest = max((p.area for p in found), default=0)
    kept = [p for p in found if p.area >= max(SPECK * h * w, SPECK_OF_LARGEST * largest)]
    candidates = sorted(groups(kept), key=weight, reverse=True)
    if not candidates or height(candidates[0]) < MIN_DIGIT * min(h, w):
        raise PhotoError("photo.no_digit")
    first = candidates[0]
    tall, heavy = OTHER_DIGIT * height(first), OTHER_DIGIT * weight(first)
    others = [g for g in candidates[1:] if height(g) >= tall and weight(g) >= heavy]
    if others:
        raise PhotoError("photo.several_digits", count=1 + len(others))
    return labels, first


def dilate(mask: np.ndarray, steps: int) -> np.ndarray:
    """``mask (h, w)`` grown by ``steps`` pixels (3x3 steps)."""
    for _ in range(steps):
        padded = np.pad(mask, 1)
        h, w = mask.shape
        mask = np.any([padded[i : i + h, j : j + w] for i in range(3) for j in range(3)], axis=0)
    return mask


def digit_of(darkness: np.ndarray, ink: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """The digit cut out of ``darkness (h, w)``: ``(digit (dh, dw) ink 1 with soft edges, kept (h, w) bool)``.

    Inside the digit's pieces (grown by EDGE pixels) the darkness is stretched so that half the
    threshold is paper (0) and the strokes' usual darkness is full ink (1); everything else is paper.
    """
    labels, group = digit_pieces(ink)
    kept = np.isin(labels, [p.label for p in group])  # (h, w) bool
    near = dilate(kept, EDGE)
    low, full = threshold / 2, float(np.percentile(darkness[kept], 75))
    stretched = np.clip((darkness - low) / max(full - low, 1e-6), 0.0, 1.0) * near  # (h, w)
    top, bottom = max(0, min(p.top for p in group) - EDGE), max(p.bottom for p in group) + EDGE
    left, right = max(0, min(p.left for p in group) - EDGE), max(p.right for p in group) + EDGE
    return stretched[top:bottom, left:right], kept


# ---------------------------------------------------------------------------
# 6. The network's own preprocessing, and the whole way
# ---------------------------------------------------------------------------


def network_input(digit: np.ndarray, model: object | None = None) -> np.ndarray | None:
    """The cut-out ``digit (dh, dw)`` (ink 1) made into what ``model`` reads: ``(28, 28)`` float32, or None.

    The ONE place where a photo meets a network's preprocessing: the one its model file records
    (:func:`reseau.drawing.preprocess_for`: cropped, scaled into 20x20, centred by mass, and the strokes made
    MNIST's thickness when the network was trained for that); a model None gets the page's default.
    """
    return preprocess_for(getattr(model, "info", None))(digit)


def photo_bytes(path: Path) -> bytes:
    """The bytes of the photo file ``path``; a missing, odd or over-large file is a PhotoError (nothing read)."""
    if not path.exists():
        raise PhotoError("photo.missing", path=path)
    if not path.is_file():
        raise PhotoError("photo.not_a_file", path=path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PhotoError("photo.file_too_large", size=size // (1024 * 1024), limit=MAX_BYTES // (1024 * 1024))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PhotoError("photo.unreadable", reason=exc.strerror or exc) from None


def read_photo(data: bytes, model: object | None = None) -> Steps:
    """A photo file's bytes -> every step, up to the 28x28 image ``model`` reads (a PhotoError says why not)."""
    if len(data) > MAX_BYTES:
        raise PhotoError("photo.file_too_large", size=len(data) // (1024 * 1024), limit=MAX_BYTES // (1024 * 1024))
    photo = decode(data)  # (h, w, 3)
    grey = grey_of(photo)  # (h, w)
    darkness = flatten(grey)  # (h, w)
    ink, threshold = ink_of(darkness)  # (h, w) bool
    digit, kept = digit_of(darkness, ink, threshold)  # (dh, dw), (h, w)
    x = network_input(digit, model)
    if x is None:
        raise PhotoError("photo.no_digit")
    return Steps(photo, grey, darkness, ink, kept, digit, x)
