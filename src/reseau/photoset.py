"""A test set of photos of digits on paper, made from MNIST's test digits (seeded, nothing on disk).

Each photo is what a phone would give of one MNIST digit written on a sheet: paper with its grain,
plain, ruled (sometimes with a red margin) or squared; blue or black ink; the light falling off across
the page and a soft shadow over part of it; the page turned up to +-10 degrees and seen a little
askew (a mild perspective); slightly out of focus; saved as a JPEG of quality 50 to 80.  The digit is
20 to 60 % of the photo's height (of its width, when the photo stands upright).
:func:`photo` makes one; :func:`photos` the set.

It is the synthetic set of issue 23 (item 3): reseau.photo.read_photo must read it like the digits
themselves (tests/test_photo.py, benchmarks/bench_photo.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

SIZES = ((640, 480), (480, 640), (800, 600), (600, 800), (512, 512))  # photo (width, height), landscape or portrait
SMALL = ((320, 240), (240, 320), (256, 256))  # the quick set of the tests
HEIGHT = (0.2, 0.6)  # the digit's height, as a fraction of the photo's
TURN = 10.0  # degrees, either way
ASKEW = 0.04  # each corner moved up to this fraction of the side: a mild perspective
BLUR = (0.4, 1.4)  # Gaussian blur radius, pixels
QUALITY = (50, 80)  # JPEG quality
PAPERS = ("plain", "ruled", "squared")
INKS = {"blue": ((0.10, 0.18, 0.55), 0.08), "black": ((0.10, 0.10, 0.12), 0.04)}  # colour, and how much it varies
LINE_COLOURS = ((0.55, 0.70, 0.90), (0.70, 0.70, 0.72), (0.72, 0.62, 0.85))  # light blue, grey, Seyès's purple
MARGIN = (0.90, 0.35, 0.35)  # the red margin line


@dataclass(frozen=True)
class Photo:
    data: bytes  # the JPEG file
    label: int  # the digit written
    paper: str  # "plain", "ruled" or "squared"
    ink: str  # "blue" or "black"
    height: float  # the digit's height / the photo's height


def photos(images: np.ndarray, labels: np.ndarray, count: int, seed: int = 0, sizes: tuple = SIZES) -> Iterator[Photo]:
    """``count`` photos of ``images (n, 784)`` (MNIST's, ink 1) with ``labels (n,)`` digits, drawn in order."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        yield photo(images[i % len(images)].reshape(28, 28), int(labels[i % len(labels)]), rng, sizes)


def photo(digit: np.ndarray, label: int, rng: np.random.Generator, sizes: tuple = SIZES) -> Photo:
    """One photo of ``digit (28, 28)`` (ink 1) written on paper, of one of ``sizes`` (width, height)."""
    width, height = sizes[rng.integers(len(sizes))]
    paper, ink = PAPERS[rng.integers(len(PAPERS))], ("blue", "black")[rng.integers(2)]
    share = rng.uniform(*HEIGHT)
    big = (int(width * 1.5), int(height * 1.5))  # the sheet, larger than the photo: turned, it still fills it
    lines = ruling(paper, big, height, rng)  # (H, W) line ink, and margin ink
    written = placed(digit, big, share * min(width, height), (width, height), rng)  # (H, W) ink 1
    warp = perspective(big, (width, height), rng)
    lines_seen = [seen(layer, (width, height), warp) for layer in lines]
    written_seen = seen(written, (width, height), warp)
    colour = np.clip(np.array(INKS[ink][0]) + rng.normal(0, INKS[ink][1], 3), 0, 1)
    rgb = sheet((width, height), rng)  # (h, w, 3)
    line_colour = np.array(LINE_COLOURS[rng.integers(len(LINE_COLOURS))])
    for layer, tint in zip(lines_seen, (line_colour, np.array(MARGIN))):
        rgb = rgb * (1 - layer[..., None] * (1 - tint))  # ink absorbs what its colour does not reflect
    rgb = rgb * (1 - written_seen[..., None] * (1 - colour))
    rgb = rgb * lighting((width, height), rng)[..., None]
    return Photo(jpeg(rgb, rng), label, paper, ink, share)


def ruling(paper: str, size: tuple[int, int], photo_height: int, rng: np.random.Generator) -> list[np.ndarray]:
    """The sheet's printed lines ``(H, W)`` and its margin line ``(H, W)``, each in [0, 1] (how much ink)."""
    w, h = size
    lines, margin = np.zeros((h, w)), np.zeros((h, w))
    strength = rng.uniform(0.5, 0.9)  # a printed line is pale
    if paper != "plain":
        spacing = photo_height * (rng.uniform(0.05, 0.08) if paper == "squared" else rng.uniform(0.08, 0.14))
        thickness = rng.uniform(1.0, 2.0)
        y = np.arange(h)[:, None]
        lines = np.maximum(lines, strength * line_profile(y, spacing, rng.uniform(0, spacing), thickness))
        if paper == "squared":
            x = np.arange(w)[None, :]
            lines = np.maximum(lines, strength * line_profile(x, spacing, rng.uniform(0, spacing), thickness))
        lines = np.broadcast_to(lines, (h, w)).copy()
        if paper == "ruled" and rng.random() < 0.5:  # a red margin on the left
            x = np.arange(w)[None, :]
            at = w * rng.uniform(0.2, 0.28)
            margin = np.broadcast_to(strength * np.clip(1.5 - np.abs(x - at), 0, 1), (h, w)).copy()
    return [lines, margin]


def line_profile(position: np.ndarray, spacing: float, offset: float, thickness: float) -> np.ndarray:
    """How much of each row (or column) a line every ``spacing`` pixels covers, with anti-aliased edges."""
    distance = np.abs((position - offset + spacing / 2) % spacing - spacing / 2)
    return np.clip(thickness / 2 + 0.5 - distance, 0, 1)


def placed(digit: np.ndarray, size: tuple[int, int], tall: float, photo: tuple[int, int], rng) -> np.ndarray:
    """``digit (28, 28)`` enlarged so its ink is ``tall`` pixels high, as a pen's crisp stroke, placed on
    a ``size`` sheet near the middle of what the photo will show."""
    w, h = size
    rows = np.flatnonzero(digit.max(axis=1) > 0.1)
    ink_rows = rows[-1] - rows[0] + 1 if rows.size else 20
    side = max(28, round(28 * tall / ink_rows))
    big = np.asarray(Image.fromarray(np.uint8(digit * 255)).resize((side, side), Image.Resampling.BICUBIC)) / 255.0
    pen = np.clip((big - 0.3) / 0.3, 0, 1)  # a pen's edge: crisper than MNIST's blur, enlarged
    sheet = np.zeros((h, w))
    room_x, room_y = max(0, photo[0] - side), max(0, photo[1] - side)  # how far it can move and stay in the photo
    top = (h - side) // 2 + int(rng.uniform(-0.25, 0.25) * room_y)
    left = (w - side) // 2 + int(rng.uniform(-0.25, 0.25) * room_x)
    sheet[top : top + side, left : left + side] = pen
    return sheet


def perspective(big: tuple[int, int], size: tuple[int, int], rng: np.random.Generator) -> tuple[float, ...]:
    """Pillow's 8 perspective coefficients taking each photo pixel to the sheet's: the photo's corners,
    turned up to TURN degrees and each moved up to ASKEW, land on the sheet around its centre."""
    w, h = size
    angle = np.radians(rng.uniform(-TURN, TURN))
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=float)
    centred = corners - [w / 2, h / 2] + rng.uniform(-ASKEW, ASKEW, (4, 2)) * [w, h]
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    on_sheet = centred @ turn.T + [big[0] / 2, big[1] / 2]
    rows = []  # x' = (a x + b y + c) / (g x + h y + 1), y' = (d x + e y + f) / (g x + h y + 1)
    for (x, y), (u, v) in zip(corners, on_sheet):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    return tuple(np.linalg.solve(np.array(rows), on_sheet.reshape(-1)))


def seen(layer: np.ndarray, size: tuple[int, int], warp: tuple[float, ...]) -> np.ndarray:
    """What the photo shows of a sheet's ``layer (H, W)`` in [0, 1]: ``(h, w)``."""
    image = Image.fromarray(np.float32(layer))
    return np.asarray(image.transform(size, Image.Transform.PERSPECTIVE, warp, Image.Resampling.BILINEAR))


def sheet(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """White-ish paper ``(h, w, 3)`` with a slight tint and a grain."""
    w, h = size
    tint = 0.93 + rng.uniform(-0.04, 0.04, 3)
    grain = rng.normal(0, 0.02, (h, w, 1))  # (the photo's blur, later, makes it a grain)
    return np.clip(tint * (1 + grain), 0, 1)


def lighting(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """How much light each pixel gets ``(h, w)``: falling off across the page, and a soft shadow over part of it."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w] / max(w, h)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = 1 - rng.uniform(0.1, 0.3) * (0.5 + 0.5 * (np.cos(angle) * (x - 0.5) + np.sin(angle) * (y - 0.5)) * 2)
    edge_angle = rng.uniform(0, 2 * np.pi)
    across = np.cos(edge_angle) * (x - 0.5) + np.sin(edge_angle) * (y - 0.5) - rng.uniform(-0.3, 0.3)
    softness = rng.uniform(0.02, 0.08)
    shadow = 1 - rng.uniform(0.25, 0.5) / (1 + np.exp(-across / softness))
    return np.clip(ramp, 0.4, 1) * shadow


def jpeg(rgb: np.ndarray, rng: np.random.Generator) -> bytes:
    """``rgb (h, w, 3)`` in [0, 1], out of focus and with a little sensor noise, as a JPEG file."""
    noisy = np.clip(rgb + rng.normal(0, 0.01, rgb.shape), 0, 1)
    image = Image.fromarray(np.uint8(np.round(noisy * 255))).filter(ImageFilter.GaussianBlur(rng.uniform(*BLUR)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=int(rng.integers(QUALITY[0], QUALITY[1] + 1)))
    return out.getvalue()
