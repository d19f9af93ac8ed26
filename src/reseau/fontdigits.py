"""A second test set, not MNIST: the digits 0-9 as the computer's fonts draw them.

MNIST's test images were written by the same kind of people, with the same
pens, scanned the same way as its training images: a network can score 99 %
there and still miss digits drawn differently.  Printed digits are a cheap,
honest second opinion: serif, sans, monospace, bold, italic and
handwriting-like fonts (whatever is installed under ``/usr/share/fonts``; CI
installs a chosen set of Debian font packages, see ``.ci/run``).

Each digit is rendered with Pillow in black on a white 280x280 canvas (the web
page's drawing pad, scaled up), turned into ink-1 grey levels and prepared by
exactly the web page's preprocessing, :func:`reseau.drawing.to_mnist`:
so these are the images the network would see if a person drew those digits
on the page.  Nothing is written to disk; the same fonts give the same images
in the same order.

Where a digit is placed on the canvas makes no difference: ``to_mnist`` crops
the ink first.  ``positions`` is kept to show (and test) exactly that.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from reseau.drawing import Preprocessing

FONT_ROOT = Path("/usr/share/fonts")  # where Debian's font packages put their files
SUFFIXES = (".ttf", ".otf", ".ttc")  # TrueType and OpenType (Type 1 files are left out)
CANVAS = 280  # side of the white canvas, pixels: the web page's drawing pad
SIZES = (96, 192)  # font sizes in canvas pixels: a digit about 70 and about 140 pixels tall
POSITIONS = ((0, 0),)  # (rows, columns) from the canvas centre to the digit's centre
PROBE = 64  # font size of the check that a font draws ten different digits
FRAMED = 0.8  # a font whose digits' median framed() is above this draws them in boxes
DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
UNNAMED = ("glyph", "cid")  # the names fontTools gives glyphs that a font leaves unnamed
Offset = tuple[int, int]


def font_files(root: Path = FONT_ROOT) -> list[Path]:
    """Every TrueType/OpenType font under ``root`` that draws the ten digits, in path order, each shape once.

    Left out: files that do not load; fonts without digits, which draw their "missing glyph" box
    (the same for all ten) or nothing, or send '0'-'9' to pictures (dingbats: :func:`names_digits`);
    fonts that draw each digit in a frame (keyboard keys: :func:`framed`); and a font whose ten
    digits are pixel for pixel those of a font kept before it (the same font installed twice).
    """
    if not root.is_dir():
        return []
    paths = sorted({p.resolve() for p in root.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()})
    kept, seen = [], set()
    for path in paths:
        fingerprint = digit_print(path)
        if fingerprint is not None and fingerprint not in seen:
            kept.append(path)
            seen.add(fingerprint)
    return kept


def digit_print(font: Path) -> str | None:
    """A fingerprint of the ten digits drawn by ``font``; None if they are not ten plain, inked, different digits."""
    try:
        if not names_digits(font):
            return None
        glyphs = [_glyph(font, digit) for digit in range(10)]
    except (OSError, ValueError, KeyError):  # not a font we can read, or no glyph at this size (bitmap emoji)
        return None
    shapes = [str(g.shape).encode() + g.tobytes() for g in glyphs]  # size and pixels of each digit
    if any(g.size == 0 for g in glyphs) or len(set(shapes)) < 10 or np.median([framed(g) for g in glyphs]) > FRAMED:
        return None
    return hashlib.sha256(b"".join(shapes)).hexdigest()


def names_digits(font: Path) -> bool:
    """Whether ``font`` is a font that maps '0'-'9' to glyphs named as those digits (or not named at all).

    A dingbat font maps them to its pictures (``a105``, ``a17``, ...): drawn, inked and all different,
    yet no digits.  Names as Adobe's glyph list gives them (``zero``, ``one.lf``, ``uni0030``); a font
    without names (fontTools then calls them ``glyph00017`` or ``cid00017``) is given the benefit of the doubt.
    """
    from fontTools.ttLib import TTFont, TTLibError  # comes with matplotlib, as Pillow does

    try:
        with TTFont(font, fontNumber=0, lazy=True) as tt:
            cmap = tt.getBestCmap() or {}
    except (TTLibError, OSError, ValueError):  # not a font file after all
        return False
    for digit, word in enumerate(DIGIT_NAMES):
        name = cmap.get(ord(str(digit)), "").split(".")[0]
        if name not in (word, f"uni{0x30 + digit:04X}", f"u{0x30 + digit:04X}") and not name.startswith(UNNAMED):
            return False
    return True


def framed(glyph: np.ndarray) -> float:
    """How much of its box's outline ``glyph (h, w)`` inks: the least, over the four sides, of the share of
    that side with ink in its outer tenth.  About 1 for a digit drawn in a frame (a key), under 0.5 otherwise."""
    ink = glyph > 128
    h, w = ink.shape
    bh, bw = max(1, h // 10), max(1, w // 10)
    sides = (ink[:bh].any(axis=0), ink[-bh:].any(axis=0), ink[:, :bw].any(axis=1), ink[:, -bw:].any(axis=1))
    return float(min(side.mean() for side in sides))


def _glyph(font: Path, digit: int) -> np.ndarray:
    """``(h, w)`` uint8 ink of ``digit`` at :data:`PROBE` size, cropped to the ink; empty if none."""
    ink = 255 - np.asarray(_paint(font, digit, PROBE, (0, 0), 2 * PROBE))  # (2P, 2P)
    rows, cols = np.flatnonzero(ink.max(axis=1) > 64), np.flatnonzero(ink.max(axis=0) > 64)
    if rows.size == 0:
        return np.zeros((0, 0), np.uint8)
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


@functools.lru_cache(maxsize=16)
def _face(font: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font), size)


def _paint(font: Path, digit: int, size: int, offset: Offset, side: int) -> Image.Image:
    """A white ``side x side`` greyscale canvas with ``digit`` in black, its middle at the centre + ``offset``."""
    canvas = Image.new("L", (side, side), 255)
    centre = (side / 2 + offset[1], side / 2 + offset[0])  # Pillow's (x, y)
    ImageDraw.Draw(canvas).text(centre, str(digit), font=_face(font, size), fill=0, anchor="mm")
    return canvas


def render(font: Path, digit: int, size: int, offset: Offset = (0, 0)) -> np.ndarray:
    """``(280, 280)`` float64 grey in [0, 1], ink 1: ``digit`` in ``font`` at ``size`` pixels, moved by ``offset``.

    ``offset`` is (rows, columns) from the canvas centre to the middle of the digit (Pillow's
    anchor "mm": half-way across the digit, half-way between the font's ascender and descender).
    """
    return 1.0 - np.asarray(_paint(Path(font), digit, size, offset, CANVAS), dtype=np.float64) / 255.0


def font_digits(
    sizes: Sequence[int] = SIZES,
    positions: Sequence[Offset] = POSITIONS,
    normalise_stroke: bool = True,
    fonts: Sequence[Path] | None = None,
    preprocessing: Preprocessing | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every font x size x position x digit, prepared as the web page prepares a drawing.

    Returns ``images (n, 784)`` float32 in [0, 1], ``labels (n,)`` int64 (the digits) and the
    font file name of each image (``n`` names), in that nested order (digits innermost).
    ``fonts`` defaults to :func:`font_files`; ``normalise_stroke`` is passed to ``to_mnist``
    (True: the strokes made as thick as MNIST's, as the page does); ``preprocessing`` (a network's own,
    :class:`reseau.drawing.Preprocessing`), when given, instead.
    """
    from reseau.drawing import to_mnist  # the web page's own preprocessing (pure NumPy)

    images, labels, names = [], [], []
    for font in font_files() if fonts is None else fonts:
        for size in sizes:
            for offset in positions:
                for digit in range(10):
                    x = to_mnist(render(font, digit, size, offset), normalise_stroke, preprocessing)
                    if x is not None:
                        images.append(x.reshape(-1))
                        labels.append(digit)
                        names.append(Path(font).name)
    stack = np.array(images, dtype=np.float32).reshape(-1, 28 * 28)  # (n, 784)
    return stack, np.array(labels, dtype=np.int64), names
