"""The printed-digits test set (reseau.fontdigits): the installed fonts, through the web page's preprocessing."""

from __future__ import annotations

import numpy as np
import pytest

from reseau import fontdigits
from reseau.drawing import CENTRE, STROKE, centre_of_mass, stroke_thickness, to_mnist
from reseau.fontdigits import CANVAS, font_digits, font_files, framed, names_digits, render

MIN_FONTS = 60  # .ci/run installs 18 Debian font packages: about 130 fonts draw digits


@pytest.fixture(scope="module")
def fonts():
    found = font_files()
    if len(found) < MIN_FONTS:
        pytest.fail(f"only {len(found)} fonts with digits under {fontdigits.FONT_ROOT}: install the FONTS of .ci/run")
    return found


def test_font_files_are_sorted_unique_and_readable(fonts):
    assert fonts == sorted(fonts) and len(set(fonts)) == len(fonts)
    assert all(f.suffix.lower() in fontdigits.SUFFIXES and f.is_file() for f in fonts)
    families = {f.parent.name for f in fonts}
    assert len(families) >= 10  # many designs, not one family in many weights


def test_fonts_that_draw_no_digits_are_left_out(fonts, tmp_path):
    everything = {p.resolve() for p in fontdigits.FONT_ROOT.rglob("*") if p.suffix.lower() in fontdigits.SUFFIXES}
    for name in ("D050000L.otf", "LinBiolinum_K.otf"):  # dingbats; digits drawn on keyboard keys
        present = [p for p in everything if p.name == name]
        assert not present or present[0] not in fonts
    (tmp_path / "broken.ttf").write_bytes(b"not a font")
    assert font_files(tmp_path) == [] and font_files(tmp_path / "nowhere") == []
    assert all(names_digits(f) for f in fonts[:: max(1, len(fonts) // 10)])


def test_framed_tells_a_key_from_a_digit():
    key = np.zeros((60, 50), np.uint8)
    key[[0, -1], :] = key[:, [0, -1]] = 255
    key[20:40, 20:30] = 255
    ring = np.zeros((60, 50), np.uint8)
    rows, cols = np.mgrid[:60, :50]
    ring[np.abs(np.hypot((rows - 29.5) / 30, (cols - 24.5) / 25) - 0.9) < 0.1] = 255  # a "0"
    assert framed(key) > fontdigits.FRAMED > framed(ring)


def test_render_draws_black_ink_on_white_where_asked(fonts):
    grey = render(fonts[0], 8, 160)
    assert grey.shape == (CANVAS, CANVAS) and grey.dtype == np.float64
    assert grey.min() >= 0.0 and grey.max() == 1.0 and (grey > 0.5).sum() > 500
    assert grey[0].max() == 0 and grey[:, 0].max() == 0  # white paper around the digit
    moved = render(fonts[0], 8, 160, (30, -40))
    rows, cols = np.nonzero(grey > 0.5)
    rows2, cols2 = np.nonzero(moved > 0.5)
    assert (rows2.min() - rows.min(), cols2.min() - cols.min()) == (30, -40)


def test_where_the_digit_is_drawn_makes_no_difference(fonts):
    """The page's preprocessing crops the ink first: a digit drawn anywhere gives the same 28x28 image."""
    for font in fonts[:: max(1, len(fonts) // 5)]:
        here = to_mnist(render(font, 5, 120))
        there = to_mnist(render(font, 5, 120, (-50, 60)))
        np.testing.assert_array_equal(here, there)


def test_font_digits_build_balanced_inked_centred_images(fonts):
    images, labels, names = font_digits(sizes=(96,), normalise_stroke=False)
    assert images.shape == (10 * len(fonts), 784) and images.dtype == np.float32
    assert labels.dtype == np.int64 and names[:10] == [fonts[0].name] * 10
    np.testing.assert_array_equal(np.bincount(labels, minlength=10), [len(fonts)] * 10)
    np.testing.assert_array_equal(labels[:20], list(range(10)) * 2)  # digits innermost, a fixed order
    assert images.min() >= 0.0 and images.max() <= 1.0
    np.testing.assert_allclose(images.max(axis=1), 1.0)  # every image has full ink
    centres = np.array([centre_of_mass(x) for x in images.reshape(-1, 28, 28)])
    assert np.abs(centres - CENTRE).max() <= 0.75


def test_font_digits_take_every_size_and_position_and_repeat_exactly(fonts):
    chosen = fonts[::20]
    images, labels, names = font_digits(sizes=(64, 160), positions=((0, 0), (20, 20)), fonts=chosen)
    assert len(images) == len(chosen) * 2 * 2 * 10 == len(labels) == len(names)
    again, _, _ = font_digits(sizes=(64, 160), positions=((0, 0), (20, 20)), fonts=chosen)
    np.testing.assert_array_equal(images, again)


def test_font_digits_get_mnists_stroke_when_asked(fonts):
    """Light, regular and bold fonts all come out with MNIST's stroke thickness, as a drawing on the page does."""
    chosen = fonts[::6]
    raw, _, _ = font_digits(sizes=(128,), normalise_stroke=False, fonts=chosen)
    even, _, _ = font_digits(sizes=(128,), fonts=chosen)
    before, after = stroke_thickness(raw.reshape(-1, 28, 28)), stroke_thickness(even.reshape(-1, 28, 28))
    assert np.mean(np.abs(after / STROKE - 1) < 0.15) > 0.9
    assert np.abs(np.median(after) / STROKE - 1) < 0.05
    assert np.std(after) < 0.5 * np.std(before)  # the fonts' many pen widths made alike
