"""The JavaScript twin of :func:`reseau.drawing.to_mnist` (``static/engine/drawing.js``), checked by Node.

200 drawings are made here (seeded): strokes of several pens, tiny and huge digits, off-centre ones
cut by the pad's edge, a single dot, an empty pad, a full pad, noise, faint pens, other pad sizes,
and real MNIST digits enlarged to the pad's 112 x 112.  Their grey levels are the page's (an alpha
byte, sent as ``Math.round(alpha / 0.255) / 1000``).  Python's answers (``to_mnist`` with and
without the stroke normalisation, and with a network's own recorded :class:`~reseau.drawing.Preprocessing`:
another thickness and pen range) are computed during the test and written beside the drawings;
``tests/js/drawing.test.mjs`` (the paths in ``RESEAU_DRAWING_CASES``) must give every one within
1e-6, and null where Python gives None.
"""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

import numpy as np
import pytest

from reseau import drawing
from test_js_faithful import run_node

NODE = shutil.which("node")
N = 112  # the page's pad, as sent (app.js SEND_SIDE)
PAGE_PEN = 0.075 * N  # the page's pen width on the sent pad (app.js PEN)

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")


def page_grey(coverage: np.ndarray) -> np.ndarray:
    """Ink coverage in [0, 1] -> the grey levels the page sends: an alpha byte, then round(alpha / 0.255) / 1000."""
    alpha = np.floor(np.clip(coverage, 0.0, 1.0) * 255 + 0.5)
    return np.floor(alpha / 0.255 + 0.5) / 1000


def strokes(points: list[np.ndarray], width: float, shape: tuple[int, int] = (N, N)) -> np.ndarray:
    """Anti-aliased round-capped pen strokes along polylines ``points`` (each ``(k, 2)`` row, col) -> coverage."""
    rows, cols = np.mgrid[: shape[0], : shape[1]] + 0.5  # pixel centres, (H, W) each
    distance = np.full(shape, np.inf)  # to the nearest segment
    for line in points:
        for (r0, c0), (r1, c1) in zip(line[:-1], line[1:], strict=True):
            dr, dc = r1 - r0, c1 - c0
            t = np.clip(((rows - r0) * dr + (cols - c0) * dc) / max(dr * dr + dc * dc, 1e-12), 0.0, 1.0)
            distance = np.minimum(distance, np.hypot(rows - r0 - t * dr, cols - c0 - t * dc))
    return np.clip(width / 2 + 0.5 - distance, 0.0, 1.0)


def random_line(rng: np.random.Generator, centre: np.ndarray, size: float) -> np.ndarray:
    """A digit-like line: a few random points in a ``size`` box around ``centre``, smoothed (Chaikin)."""
    line = centre + (rng.random((int(rng.integers(2, 7)), 2)) - 0.5) * size * np.array([1.0, rng.uniform(0.3, 1.0)])
    for _ in range(3):  # each corner cut at a quarter and three quarters of its segments
        cuts = np.stack([0.75 * line[:-1] + 0.25 * line[1:], 0.25 * line[:-1] + 0.75 * line[1:]], axis=1)
        line = np.concatenate([line[:1], cuts.reshape(-1, 2), line[-1:]])
    return line


def random_drawing(rng: np.random.Generator) -> np.ndarray:
    """A random drawing on the pad: 1 to 3 lines, of any size (tiny to past the edges), pen and place."""
    size = float(np.exp(rng.uniform(np.log(3), np.log(160))))
    centre = rng.uniform(0, N, 2) if rng.random() < 0.4 else N / 2 + rng.normal(0, 8, 2)
    width = float(rng.choice([1.0, 2.0, 4.0, PAGE_PEN, PAGE_PEN, 15.0, 25.0]))
    lines = [random_line(rng, centre + rng.normal(0, size / 6, 2), size) for _ in range(int(rng.integers(1, 4)))]
    grey = page_grey(strokes(lines, width))
    return grey * rng.uniform(0.3, 1.0) if rng.random() < 0.1 else grey  # now and then a faint pen


def enlarged(digit: np.ndarray, smooth: bool) -> np.ndarray:
    """A 28x28 MNIST digit as a 112x112 drawing: each pixel a 4x4 block, or smoothly (bilinear)."""
    if not smooth:
        return np.kron(digit.reshape(28, 28), np.ones((4, 4)))
    at = (np.arange(N) + 0.5) / 4 - 0.5  # each pad pixel's centre, in MNIST pixels
    along = np.stack([np.interp(at, np.arange(28), column) for column in digit.reshape(28, 28).T], axis=1)
    return np.stack([np.interp(at, np.arange(28), row) for row in along])


def drawings(mnist: np.ndarray) -> list[np.ndarray]:
    """The 200 drawings: the special cases first, then random ones."""
    rng = np.random.default_rng(22)
    empty = np.zeros((N, N))
    dot = empty.copy()
    dot[int(rng.integers(N)), int(rng.integers(N))] = 1.0
    corner = empty.copy()
    corner[-1, -1] = 0.5
    square = empty.copy()
    square[40:72, 40:72] = 1.0  # symmetric: its centre of mass falls on a half pixel
    turn = np.linspace(0, 2 * np.pi, 60)
    ring = page_grey(strokes([np.c_[56 + 30 * np.cos(turn), 56 + 30 * np.sin(turn)]], PAGE_PEN))  # symmetric too
    salt = (rng.random((N, N)) < 0.01) * rng.random((N, N))
    wide = np.zeros((30, 300))
    wide[10:20] = 0.7
    special = [
        empty,  # nothing drawn: None
        rng.uniform(0, drawing.INK, (N, N)),  # paper noise below the ink threshold: None
        np.ones((N, N)),  # a full pad
        rng.random((N, N)),  # noise everywhere
        page_grey(rng.random((N, N)) ** 8),  # sparse noise, as the page would send it
        dot,  # a single pixel
        corner,  # a single grey pixel in the corner
        square,
        ring,
        np.maximum(salt, random_drawing(rng)),  # a digit among specks
        np.ones((1, 1)),  # a one-pixel pad
        wide,  # a long flat stroke on a wide pad
        page_grey(strokes([np.array([[10.0, 5.0], [30.0, 80.0]])], 6.0, (40, 90))),  # a pad not square
        page_grey(strokes([random_line(rng, np.array([140.0, 140.0]), 200.0)], 21.0, (280, 280))),  # the largest pad
        page_grey(strokes([random_line(rng, np.array([20.0, 20.0]), 30.0)], 1.0, (40, 40))),  # a small pad
    ]
    taps = [((56.0, 56.0), PAGE_PEN), ((3.0, 100.0), PAGE_PEN), ((60.5, 20.5), 1.0), ((80.0, 30.0), 2.5)]
    special += [page_grey(strokes([np.array([at, np.add(at, 0.01)])], pen)) for at, pen in taps]  # a dot per pen
    special += [enlarged(mnist[i], smooth=i % 2 == 1) for i in range(6)]  # real MNIST digits
    return special + [random_drawing(rng) for _ in range(200 - len(special))]


OWN = {"normalise_stroke": True, "stroke": 3.1, "pen": [-0.5, 1.5]}  # a network's own record (ModelInfo's)


def test_the_drawing_twin_agrees_with_python(tmp_path, train_data):
    cases, pixels, expected = [], [], []
    own = drawing.preprocess_for(SimpleNamespace(preprocessing=drawing.Preprocessing.from_dict(OWN)))
    for grey in drawings(train_data[0]):
        case = {"height": grey.shape[0], "width": grey.shape[1]}
        pixels.append(grey.ravel())
        answers = (("stroke", drawing.to_mnist(grey)), ("fit", drawing.to_mnist(grey, False)), ("own", own(grey)))
        for name, answer in answers:
            case[name] = None if answer is None else len(expected)  # which 784 values of expected.f64
            if answer is not None:
                expected.append(answer.astype(np.float64).ravel())
        cases.append(case)
    assert len(cases) == 200 and sum(c["stroke"] is None for c in cases) == 2  # the empty pad, the paper noise
    np.concatenate(pixels).astype("<f8").tofile(tmp_path / "pixels.f64")
    np.concatenate(expected).astype("<f8").tofile(tmp_path / "expected.f64")
    constants = {name: getattr(drawing, name) for name in ("SIDE", "BOX", "CENTRE", "INK", "STROKE", "SEARCH_STEPS")}
    constants["PEN_RANGE"] = list(drawing.PEN_RANGE)
    records = {"own": OWN, "default": drawing.DEFAULT.to_dict(), "no_stroke": drawing.NO_STROKE.to_dict()}
    payload = {"constants": constants, "cases": cases, "records": records}
    (tmp_path / "cases.json").write_text(json.dumps(payload), encoding="utf-8")
    run_node("drawing.test.mjs", "RESEAU_DRAWING_CASES", tmp_path)
