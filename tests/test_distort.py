"""What people's drawings do to a digit (reseau.distort): each change does what it says, on real MNIST."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from reseau import distort
from reseau.distort import (
    DRAWING,
    SLICES,
    DrawingAugmentation,
    centres_of_mass,
    displacement_fields,
    elastic,
    random_drawing,
    rotate,
    scale,
    shift,
    smoothing_basis,
    thicken,
    thin,
)
from reseau.drawing import BOX, INK, stroke_thickness

SIDE = 28


@pytest.fixture(scope="module")
def digits(test_data):
    """500 MNIST test digits (500, 784) float32, and those 400 of them with no ink within 3 pixels of the edge."""
    images = test_data[0][:500]
    grid = images.reshape(-1, SIDE, SIDE)
    inner = np.zeros((SIDE, SIDE), bool)
    inner[3:-3, 3:-3] = True
    clear = ~(grid[:, ~inner] > 0).any(axis=1)
    return images, images[clear]


@pytest.mark.parametrize("rows, cols", [(0, 2), (0, -2), (-2, 0), (2, 0), (2, 2), (-3, 1)])
def test_shift_moves_the_centre_of_mass_by_whole_pixels(digits, rows, cols):
    _, clear = digits
    moved = shift(clear, rows, cols)
    assert moved.shape == clear.shape and moved.dtype == clear.dtype
    np.testing.assert_allclose(centres_of_mass(moved) - centres_of_mass(clear), [[rows, cols]] * len(clear), atol=1e-4)
    np.testing.assert_array_equal(np.sort(moved, axis=1), np.sort(clear, axis=1))  # the same pixels, moved


def test_shift_lets_zeros_in_and_ink_out():
    full = np.ones((1, SIDE * SIDE), np.float32)
    right = shift(full, 0, 2).reshape(SIDE, SIDE)
    assert (right[:, :2] == 0).all() and (right[:, 2:] == 1).all()
    up = shift(full, -3, 0).reshape(SIDE, SIDE)
    assert (up[-3:] == 0).all() and (up[:-3] == 1).all()
    assert not shift(full, SIDE + 5, 0).any()  # moved out of the field entirely


def test_rotate_by_0_and_scale_by_1_change_nothing(digits):
    images, _ = digits
    np.testing.assert_allclose(rotate(images, 0.0), images, atol=1e-6)
    np.testing.assert_allclose(scale(images, 1.0), images, atol=1e-6)


def test_rotate_and_scale_turn_around_the_centre_of_mass(digits):
    _, clear = digits
    before = centres_of_mass(clear)
    for changed in (rotate(clear, 15.0), rotate(clear, -15.0), scale(clear, 0.75)):
        moved = np.abs(centres_of_mass(changed) - before)  # (n, 2): only the resampling's error
        assert np.median(moved) < 0.08 and moved.max() < 0.4
    # a turn there and back is the identity up to two bilinear blurs
    back = rotate(rotate(clear, 15.0), -15.0)
    assert np.abs(back - clear).sum() < 0.35 * clear.sum()


def test_rotate_turns_counter_clockwise_on_screen():
    image = np.zeros((SIDE, SIDE), np.float32)
    image[14, 6:22] = 0.5
    image[14, 18:22] = 1.0  # heavier at its right end
    turned = rotate(image.reshape(1, -1), 90.0).reshape(SIDE, SIDE)
    row, col = centres_of_mass(image.reshape(1, -1))[0]
    assert turned[:, int(col) - 1 : int(col) + 2].sum() > 0.9 * turned.sum()  # now a vertical bar
    heavy_rows = np.argwhere(turned > 0.6 * turned.max())[:, 0]
    assert heavy_rows.size and heavy_rows.max() < row - 2  # the heavy right end went up


def test_scale_changes_the_size_by_the_factor(digits):
    _, clear = digits
    ink = clear.sum(axis=1)
    for factor in (0.75, 1.25):
        ratio = scale(clear, factor).sum(axis=1) / ink
        assert abs(np.median(ratio) - factor**2) < 0.08 * factor**2  # area grows as the square


def test_thicken_adds_ink_and_thin_removes_it(digits):
    _, images = digits  # clear of the edge: the field's border cuts a dilation short
    thick, slim = thicken(images), thin(images)
    assert thick.shape == images.shape and thick.dtype == images.dtype and slim.dtype == images.dtype
    assert (thick >= images).all() and (slim <= images).all()
    assert (thick.sum(axis=1) > 1.3 * images.sum(axis=1)).all()
    assert (slim.sum(axis=1) < 0.7 * images.sum(axis=1)).all()
    assert (thin(thicken(images)) >= images - 1e-7).all()  # a closing covers the digit
    assert (thicken(thin(images)) <= images + 1e-7).all()  # an opening stays inside it


def test_thicken_is_a_3x3_max_filter():
    image = np.zeros((SIDE, SIDE), np.float32)
    image[10, 10], image[0, 27] = 0.7, 1.0
    thick = thicken(image.reshape(1, -1)).reshape(SIDE, SIDE)
    assert (thick[9:12, 9:12] == np.float32(0.7)).all() and thick[8, 10] == 0 and thick[10, 12] == 0
    assert (thick[0:2, 26:28] == 1).all() and thick.sum() == pytest.approx(9 * 0.7 + 4)


def test_elastic_is_deterministic_bounded_and_moves_pixels(digits):
    images, _ = digits
    a = elastic(images, np.random.default_rng(7), 34.0, 4.0)
    b = elastic(images, np.random.default_rng(7), 34.0, 4.0)
    c = elastic(images, np.random.default_rng(8), 34.0, 4.0)
    assert a.shape == images.shape and a.dtype == images.dtype
    assert a.min() >= 0.0 and a.max() <= 1.0 + 1e-6
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c) and not np.allclose(a, images, atol=0.05)
    assert abs(a.sum() / images.sum() - 1) < 0.1  # the ink is moved, not made or lost
    np.testing.assert_allclose(elastic(images[:5], np.random.default_rng(0), 0.0, 4.0), images[:5], atol=1e-6)


def test_elastic_fields_have_simards_size_and_smoothness():
    """The fields drawn on the blur's basis have the spread of Simard et al.'s blurred uniform noise."""
    alpha, sigma = 34.0, 4.0
    fields = displacement_fields(np.random.default_rng(0), 3000, alpha, sigma)  # (3000, 2, 28, 28)
    axis = np.arange(SIDE)
    g = np.exp(-((axis[:, None] - axis[None, :]) ** 2) / (2 * sigma**2)) / (np.sqrt(2 * np.pi) * sigma)
    expected = alpha * np.sqrt(np.outer((g**2).sum(axis=1), (g**2).sum(axis=1)) / 3)  # (28, 28) std of G N G^T
    measured = fields.std(axis=(0, 1))  # (28, 28)
    assert np.abs(measured / expected - 1).max() < 0.1
    size = np.sqrt((fields**2).sum(axis=1)).mean()
    assert 1.0 < size < 2.5, size  # pixels: a wobble, not a scramble
    neighbours = np.corrcoef(fields[:, 0, 14, 14], fields[:, 0, 14, 15])[0, 1]
    assert neighbours > 0.9  # smooth: next-door pixels move together


def test_smoothing_basis_keeps_the_blur():
    sigma = 4.0
    b = smoothing_basis(sigma).astype(np.float64)  # (28, k)
    axis = np.arange(SIDE)
    g = np.exp(-((axis[:, None] - axis[None, :]) ** 2) / (2 * sigma**2)) / (np.sqrt(2 * np.pi) * sigma)
    assert b.shape[1] < 12  # far fewer directions than pixels
    assert np.abs(b @ b.T - g @ g.T).max() < 1e-3 * np.abs(g @ g.T).max()  # the same covariance


def test_random_drawing_is_deterministic_and_in_range(digits):
    images, _ = digits
    a = random_drawing(images, np.random.default_rng(3))
    b = random_drawing(images, np.random.default_rng(3))
    c = random_drawing(images, np.random.default_rng(4))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == images.shape and a.dtype == images.dtype
    assert a.min() >= 0.0 and a.max() <= 1.0 + 1e-6
    changed = ~np.all(a == images, axis=1)
    peaks = a[changed].max(axis=1)  # full ink, as the web page's preprocessing, but for faint pencils and blurs
    assert np.mean(np.abs(peaks - 1.0) < 1e-6) > 0.5 and peaks.min() > DRAWING.ink[0] * 0.3
    assert 0.15 < 1 - changed.mean() < 0.45  # about DRAWING.clean of the images are left as they are
    assert random_drawing(images, np.random.default_rng(3), DRAWING) is not None  # the default is DRAWING


def test_random_drawing_shifts_within_its_range(digits):
    _, clear = digits
    only_shift = DrawingAugmentation(
        rotate=0.0, scale=(1.0, 1.0), alpha=0.0, thin=0.0, thick=0.0, scan=0.0, faint=0.0, page=0.0, clean=0.0
    )
    moved = centres_of_mass(random_drawing(clear, np.random.default_rng(0), only_shift)) - centres_of_mass(clear)
    assert np.abs(moved).max() <= only_shift.shift + 0.05
    assert np.abs(moved).max() > 0.8 * only_shift.shift  # and the range is used


def test_random_drawing_sizes_within_its_range(digits):
    _, clear = digits
    only_scale = DrawingAugmentation(
        shift=0.0, rotate=0.0, alpha=0.0, thin=0.0, thick=0.0, scan=0.0, faint=0.0, page=0.0, clean=0.0
    )
    out = random_drawing(clear, np.random.default_rng(0), only_scale)

    def spread(x):  # (n,) grey-weighted standard distance from the centre of mass: grows with the size
        grid = x.reshape(-1, SIDE, SIDE)
        rows, cols = np.mgrid[:SIDE, :SIDE]
        c = centres_of_mass(x)
        d2 = (rows - c[:, 0, None, None]) ** 2 + (cols - c[:, 1, None, None]) ** 2
        return np.sqrt((grid * d2).sum(axis=(1, 2)) / grid.sum(axis=(1, 2)))

    ratio = spread(out) / spread(clear)
    low, high = only_scale.scale
    assert ratio.min() > low - 0.05 and ratio.max() < high + 0.05
    assert ratio.min() < low + 0.1 and ratio.max() > high - 0.1


def test_random_drawing_changes_strokes_both_ways(digits):
    images, _ = digits
    only_pen = DrawingAugmentation(shift=0.0, rotate=0.0, scale=(1.0, 1.0), alpha=0.0)
    ratio = distort.random_strokes(images, np.random.default_rng(0), only_pen).sum(axis=1) / images.sum(axis=1)
    thinner, same, thicker = np.mean(ratio < 0.95), np.mean(np.abs(ratio - 1) < 1e-6), np.mean(ratio > 1.05)
    assert abs(thinner - only_pen.thin) < 0.07 and abs(thicker - only_pen.thick) < 0.07
    assert abs(same - (1 - only_pen.thin - only_pen.thick)) < 0.07


def test_slices_are_the_benchmarks(digits):
    images, _ = digits
    assert list(SLICES)[0] == "original"
    expected = {
        "shift right 2",
        "shift left 2",
        "shift up 2",
        "shift down 2",
        "shift diagonal 2",
        "rotate +15",
        "rotate -15",
        "scale 0.75",
        "scale 1.25",
        "thick (3x3 dilation)",
        "thin (erosion)",
        "elastic",
        "low resolution 8x8",
        "low resolution 16x16",
        "thick marker 4 px",
        "thick marker 7 px",
        "faint pencil (ink 0.3-0.5)",
        "blurred (sigma 1)",
        "blurred (sigma 1.5)",
    }
    assert set(SLICES) == expected | {"original"}
    np.testing.assert_array_equal(SLICES["original"](images), images)
    for name, change in SLICES.items():
        out = change(images[:50])
        assert out.shape == (50, 784) and out.dtype == images.dtype, name
        assert out.min() >= 0.0 and out.max() <= 1.0 + 1e-6, name
    np.testing.assert_array_equal(SLICES["elastic"](images[:50]), SLICES["elastic"](images[:50]))  # a fixed seed


def test_scans_and_pens_do_what_they_say(digits):
    images, _ = digits
    width = lambda x: np.median(stroke_thickness(x.reshape(-1, SIDE, SIDE)))  # noqa: E731
    assert abs(width(distort.marker(images[:100], 4.0)) - 4.0) < 0.05
    assert abs(width(distort.marker(images[:100], 7.0)) - 7.0) < 0.05
    np.testing.assert_allclose(distort.faint(images, 0.4), images * 0.4)
    for blurred in (distort.blur(images, 1.5), distort.low_resolution(images, 8)):
        assert width(blurred) > width(images) + 1.5  # softer, wider strokes
        assert abs(blurred.sum() / images.sum() - 1) < 0.05  # the ink is kept
    np.testing.assert_allclose(distort.blur_map(1.0).sum(axis=1)[5:-5], 1.0)  # a blur, not a darkening
    np.testing.assert_allclose(distort.low_resolution_map(28), np.eye(SIDE), atol=1e-12)  # 28 pixels: unchanged


def test_random_drawing_gives_a_share_what_the_page_would(digits):
    """With ``page``, an image is cropped, scaled into MNIST's 20x20 box and centred again after its changes,
    as the page prepares a drawing: a zoomed, thickened or blurred digit comes back to the box."""
    images, _ = digits
    every_change = DrawingAugmentation(clean=0.0, page=1.0)
    none = DrawingAugmentation(clean=0.0, page=0.0)

    def box_sides(x):  # (n,) the larger side of each image's ink box, as reseau.drawing.ink_box sees it
        ink = x.reshape(-1, SIDE, SIDE) > INK
        rows, cols = ink.any(axis=2).sum(axis=1), ink.any(axis=1).sum(axis=1)
        return np.maximum(rows, cols)

    prepared = box_sides(random_drawing(images, np.random.default_rng(0), every_change))
    assert prepared.max() <= BOX and np.mean(prepared == BOX) > 0.9
    assert np.mean(box_sides(random_drawing(images, np.random.default_rng(0), none)) > BOX) > 0.3
    half = box_sides(random_drawing(images, np.random.default_rng(0), DrawingAugmentation(clean=0.0, page=0.5)))
    assert 0.2 < np.mean(half > BOX) < np.mean(box_sides(random_drawing(images, np.random.default_rng(0), none)) > BOX)


def test_french_strokes_flag_the_1s_and_bar_the_7s(train_data):
    """A flag goes up-left from the top of a 1, a bar across a 7 below its middle; other digits are untouched."""
    images, labels = train_data[0][:600], train_data[1][:600].argmax(axis=1)
    every = DrawingAugmentation(flag=1.0, bar=1.0)
    out = distort.french_strokes(images, labels, np.random.default_rng(0), every)
    others = (labels != 1) & (labels != 7)
    np.testing.assert_array_equal(out[others], images[others])
    assert (out >= images).all() and out.max() <= 1.0  # ink added, never removed
    added = (out - images).reshape(-1, SIDE, SIDE)  # (n, 28, 28)
    grid = images.reshape(-1, SIDE, SIDE) > 0.3
    chosen = np.flatnonzero((labels == 1) | (labels == 7))
    drawn = [k for k in chosen if added[k].sum() > 3]  # a stroke drawn where there was no ink yet
    assert len(drawn) > 0.9 * len(chosen)
    for k in drawn:
        rows, cols = np.nonzero(grid[k])
        new_rows, new_cols = np.nonzero(added[k] > 0.5)
        if labels[k] == 1:  # from the top, going left of the stick's top
            assert new_rows.mean() < rows.min() + 0.35 * np.ptp(rows), k
            assert new_cols.min() < cols[rows == rows.min()].mean() - 1, k
        else:  # a horizontal bar below the middle: its rows few, its columns many
            assert np.ptp(new_rows) <= 4 and np.ptp(new_cols) > np.ptp(new_rows), k
            assert rows.min() + 0.4 * np.ptp(rows) < new_rows.mean() < rows.min() + 0.7 * np.ptp(rows), k
    none = distort.french_strokes(images, labels, np.random.default_rng(0), DrawingAugmentation(flag=0.0, bar=0.0))
    np.testing.assert_array_equal(none, images)


def test_random_drawing_writes_french_digits_only_when_told_the_digits(train_data):
    images, labels = train_data[0][:300], train_data[1][:300].argmax(axis=1)
    plain = DrawingAugmentation(
        shift=0.0, rotate=0.0, scale=(1.0, 1.0), alpha=0.0, thin=0.0, thick=0.0, scan=0.0, faint=0.0, page=0.0,
        clean=0.0, flag=1.0, bar=1.0,
    )  # fmt: skip
    ones = labels == 1
    told = random_drawing(images, np.random.default_rng(0), plain, digits=labels)
    blind = random_drawing(images, np.random.default_rng(0), plain)
    assert (told[ones].sum(axis=1) > blind[ones].sum(axis=1) + 3).all()  # every 1 got its flag
    np.testing.assert_allclose(told[~ones & (labels != 7)], blind[~ones & (labels != 7)], atol=1e-6)
    scans = replace(plain, scan=1.0)  # a scanned digit is never written the French way (blurred, a flag makes a 7)
    np.testing.assert_array_equal(
        random_drawing(images, np.random.default_rng(0), scans, digits=labels),
        random_drawing(images, np.random.default_rng(0), scans),
    )


def test_plain_scans_keep_the_digits_shape(digits):
    """``plain``: a scanned image skips the zoom, slant, move and wobble (the scan of a neat digit)."""
    _, clear = digits
    scans = dict(thin=0.0, thick=0.0, scan=1.0, faint=0.0, page=0.0, clean=0.0)
    neat = random_drawing(clear, np.random.default_rng(0), DrawingAugmentation(plain=1.0, **scans))
    moved = random_drawing(clear, np.random.default_rng(0), DrawingAugmentation(plain=0.0, **scans))
    assert np.abs(centres_of_mass(neat) - centres_of_mass(clear)).max() < 0.5  # blurred where it was
    assert np.abs(centres_of_mass(moved) - centres_of_mass(clear)).max() > 1.5
    assert not np.allclose(neat, clear, atol=0.05)  # but scanned all the same
    unscanned = random_drawing(
        clear, np.random.default_rng(0), DrawingAugmentation(plain=1.0, **(scans | {"scan": 0.0}))
    )
    assert np.abs(centres_of_mass(unscanned) - centres_of_mass(clear)).max() > 1.5  # only scans are kept plain
