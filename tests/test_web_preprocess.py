"""The drawing -> MNIST-like 28x28 preprocessing of the web page (pure NumPy, no server)."""

from __future__ import annotations

import numpy as np
import pytest

from reseau.web.preprocess import BOX, CENTRE, SIDE, area_weights, centre_of_mass, ink_box, resize_area, to_mnist


def test_centre_constant_is_mnists_mean_centre_of_mass(train_data):
    images = train_data[0][:20000].reshape(-1, SIDE, SIDE).astype(np.float64)
    mass = images.sum(axis=(1, 2))
    rows = images.sum(axis=2) @ np.arange(SIDE) / mass
    cols = images.sum(axis=1) @ np.arange(SIDE) / mass
    assert abs(rows.mean() - CENTRE) < 0.1 and abs(cols.mean() - CENTRE) < 0.1


def test_mnist_digits_fill_a_20_pixel_box(train_data):
    """The box size is MNIST's: almost every digit's larger side is exactly BOX pixels."""
    ink = train_data[0][:5000].reshape(-1, SIDE, SIDE) > 0
    extent = np.maximum(ink.any(axis=2).sum(axis=1), ink.any(axis=1).sum(axis=1))
    assert np.mean(extent == BOX) > 0.98


def test_area_weights_rows_sum_to_one_and_average():
    w = area_weights(5, 2)  # each output pixel covers 2.5 input pixels
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    np.testing.assert_allclose(w[0], [0.4, 0.4, 0.2, 0, 0])
    image = np.arange(12.0).reshape(3, 4)
    np.testing.assert_allclose(resize_area(image, 3, 4), image)  # same size: unchanged
    assert resize_area(np.ones((100, 40)), 20, 8).shape == (20, 8)
    np.testing.assert_allclose(resize_area(np.ones((100, 40)), 20, 8), 1.0)  # a flat image stays flat


def test_nothing_drawn_gives_none():
    assert to_mnist(np.zeros((112, 112))) is None
    assert to_mnist(np.full((50, 50), 0.01)) is None  # below the ink threshold: paper noise
    assert ink_box(np.zeros((3, 3))) is None


def test_a_stroke_is_cropped_scaled_and_centred():
    grey = np.zeros((112, 112))
    grey[10:90, 70:78] = 1.0  # a tall bar in the top-right corner: "1"
    x = to_mnist(grey)
    assert x.shape == (SIDE, SIDE) and x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() == pytest.approx(1.0)
    top, bottom, left, right = ink_box(x)
    assert bottom - top == BOX  # the taller side fills the 20-pixel box
    assert right - left == 2  # 8/80 of 20 pixels, aspect ratio kept
    row, col = centre_of_mass(x)
    assert abs(row - CENTRE) <= 0.5 and abs(col - CENTRE) <= 0.5


def test_a_dot_and_a_wide_stroke_fit_inside():
    dot = np.zeros((40, 40))
    dot[39, 39] = 1.0  # a tap in the corner
    x = to_mnist(dot)
    assert x.sum() > 0 and ink_box(x)[1] <= SIDE
    wide = np.zeros((30, 300))
    wide[10:20, :] = 0.7
    x = to_mnist(wide)
    top, bottom, left, right = ink_box(x)
    assert right - left == BOX and bottom - top <= 2


def test_thin_faint_pen_still_reaches_full_ink():
    grey = np.zeros((112, 112))
    grey[20:90, 55] = 0.3  # one pixel wide, light grey
    assert to_mnist(grey).max() == pytest.approx(1.0)


def test_mnist_digits_survive_the_round_trip(trained, test_data):
    """An MNIST digit blown up 4x and put off-centre on a 160x160 "drawing", prepared again,
    is recognised almost as well as the original: the preprocessing is MNIST's own."""
    images, labels = test_data[0][:1000], test_data[1][:1000].argmax(axis=1)
    network = trained.network
    prepared = []
    for image in images:
        drawing = np.kron(image.reshape(SIDE, SIDE), np.ones((4, 4)))  # (112, 112)
        drawing = np.pad(drawing, ((37, 11), (5, 43)))  # (160, 160), the digit off-centre
        prepared.append(to_mnist(drawing).reshape(-1))
    original = np.mean(network.predict(images) == labels)
    again = np.mean(network.predict(np.array(prepared)) == labels)
    assert again > original - 0.01, (original, again)
