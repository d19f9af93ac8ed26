"""The figures of ``reseau.figures`` on real MNIST and the real trained network.

Each figure is checked for what it must show (panels, tiles, bars, the values
drawn), for its texts in French and in English, for not being blank once
rendered, and for no text falling outside the picture (clipped titles).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex

from reseau import figures
from reseau.errors import ReseauError
from reseau.history import EpochReport, History
from reseau.i18n import get_language, set_language, t
from reseau.network import Network


@pytest.fixture
def lang(request):
    """Run the test in the language given by parametrize (French by default), then go back."""
    before = get_language()
    set_language(getattr(request, "param", "fr"))
    yield get_language()
    set_language(before)


def rendered(fig) -> tuple[np.ndarray, object]:
    """The figure drawn by Agg: RGB pixels ``(height, width, 3)`` and the renderer."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(float), canvas.get_renderer()


def check_drawn(fig) -> None:
    """Not blank (the pixels vary) and everything drawn, texts included, lies inside the picture."""
    pixels, renderer = rendered(fig)
    assert pixels.std() > 15, f"the figure looks blank (pixel std {pixels.std():.1f})"
    width, height = fig.get_size_inches()
    box = fig.get_tightbbox(renderer)  # inches; covers titles, tick labels, texts, colour bars
    tolerance = 0.02
    assert box.x0 >= -tolerance and box.y0 >= -tolerance, f"cut off on the left or bottom: {box}"
    assert box.x1 <= width + tolerance and box.y1 <= height + tolerance, \
        f"cut off on the right or top: {box} outside {width}x{height}"


def axes_labelled(fig, label: str) -> list:
    return [ax for ax in fig.axes if ax.get_label() == label and ax.get_visible()]


def suptitle(fig) -> str:
    return fig._suptitle.get_text()


def deep_network(seed: int = 1) -> Network:
    """A modern-looking network: 784-128-32-10, ReLU then softmax, random weights."""
    rng = np.random.default_rng(seed)
    sizes = [784, 128, 32, 10]
    weights = [rng.normal(0, 0.1, (n_out, n_in)) for n_in, n_out in pairwise(sizes)]
    biases = [rng.normal(0, 0.1, n) for n in sizes[1:]]
    return Network(weights, biases, ["relu", "relu", "softmax"])


LANGS = pytest.mark.parametrize("lang", ["fr", "en"], indirect=True)


def as_written(number: str, lang: str) -> str:
    """``"93.32"`` as the user's language writes it: ``"93,32"`` in French."""
    return number.replace(".", ",") if lang == "fr" else number


def tick_texts(axis) -> list[str]:
    """The tick labels of a drawn axis that lie within its limits, as the reader sees them."""
    low, high = sorted(axis.get_view_interval())
    return [label.get_text() for loc, label in zip(axis.get_majorticklocs(), axis.get_ticklabels())
            if low <= loc <= high and label.get_text()]


# --------------------------------------------------------------------------
# Numbers on the figures: the user's decimal separator
# --------------------------------------------------------------------------

@LANGS
def test_decimal_ticks_write_numbers_in_the_users_language(lang):
    ticks = figures.DecimalTicks()
    assert ticks.format_ticks([0.0, 0.25, 0.5, 0.75, 1.0]) == \
        [as_written(x, lang) for x in ("0.00", "0.25", "0.50", "0.75", "1.00")]
    assert ticks.format_ticks([90, 92, 94]) == ["90", "92", "94"]  # whole numbers stay whole
    assert ticks.format_ticks([-1.5, 0.0, 1.5]) == [as_written(x, lang) for x in ("\u22121.5", "0.0", "1.5")]


# --------------------------------------------------------------------------
# 1. Sigmoid
# --------------------------------------------------------------------------

def test_sigmoid_curves_follow_the_formula_for_each_w_b(lang):
    fig = figures.sigmoid_figure()
    panels = axes_labelled(fig, "sigmoid")
    assert len(panels) == 3
    titles = ["w = 1,00    b = 0,00", "w = 4,00    b = 0,00", "w = 0,25    b = 0,41"]  # two decimals, French
    for ax, (w, b), title in zip(panels, figures.DOCUMENT_SIGMOIDS, titles):
        assert ax.get_title() == title
        (curve,) = [line for line in ax.lines if line.get_label() == "curve"]
        x, y = curve.get_xdata(), curve.get_ydata()
        for x0 in (-6.0, -1.0, 0.0, 0.5, 2.0, 7.0):
            i = int(np.argmin(np.abs(x - x0)))
            assert y[i] == pytest.approx(1 / (1 + np.exp(-(w * x[i] + b))), abs=1e-12)
        assert np.all(np.diff(y) >= 0) and y[-1] - y[0] > 0.8  # w > 0: a rising step


@LANGS
def test_sigmoid_texts_in_both_languages(lang):
    fig = figures.sigmoid_figure()
    assert suptitle(fig) == t("figures.sigmoid.title")
    assert ("La sigmoïde" if lang == "fr" else "The sigmoid") in suptitle(fig)
    caption = fig._supxlabel.get_text()
    assert ("pente" if lang == "fr" else "steepness") in caption
    assert as_written("σ = 0.5", lang) in caption
    third = axes_labelled(fig, "sigmoid")[2]  # w = 0.25, b = 0.41: the middle is at x = -1.64
    assert third.get_title() == as_written("w = 0.25    b = 0.41", lang)
    (middle,) = third.texts
    assert middle.get_text() == (as_written("σ = 0.5 en x = −b/w = −1.64", lang) if lang == "fr"
                                 else "σ = 0.5 at x = −b/w = −1.64")
    check_drawn(fig)
    first = axes_labelled(fig, "sigmoid")[0]  # the panels share their y axis: its numbers are on the left
    assert tick_texts(first.yaxis) == [as_written(f"{k / 5:.1f}", lang) for k in range(6)]


def test_sigmoid_other_values_one_panel_each(lang):
    cases = [(1.0, 0.0), (-2.0, 1.0), (0.0, 0.5), (10.0, -3.0), (0.5, 4.0)]
    fig = figures.sigmoid_figure(cases)
    panels = axes_labelled(fig, "sigmoid")
    assert len(panels) == len(cases)
    flat = next(line for line in panels[2].lines if line.get_label() == "curve").get_ydata()
    assert np.allclose(flat, 1 / (1 + np.exp(-0.5)))  # w = 0: no slope, σ(b) everywhere
    check_drawn(fig)


# --------------------------------------------------------------------------
# 2. Digit grid
# --------------------------------------------------------------------------

def test_pick_per_class_picks_the_right_digits(train_data):
    _, labels = train_data
    digits = labels.argmax(axis=1)
    chosen = figures.pick_per_class(labels, 16, seed=3)
    assert chosen.shape == (10, 16)
    assert all(np.all(digits[chosen[d]] == d) for d in range(10))
    assert len(np.unique(chosen)) == 160
    assert np.array_equal(chosen, figures.pick_per_class(labels, 16, seed=3))
    assert not np.array_equal(chosen, figures.pick_per_class(labels, 16, seed=4))


@LANGS
def test_digit_grid_shows_the_chosen_real_images(lang, train_data):
    images, labels = train_data
    fig = figures.digits_figure(images, labels, per_digit=16, seed=0)
    (ax,) = axes_labelled(fig, "digits")
    sheet = ax.images[0].get_array()
    assert sheet.shape == (10 * 30 - 2, 16 * 30 - 2)  # 10 rows, 16 tiles of 28 + 2 px gaps
    chosen = fig.reseau_chosen
    for r, c in [(0, 0), (3, 7), (9, 15)]:
        tile = sheet[r * 30:r * 30 + 28, c * 30:c * 30 + 28]
        assert np.allclose(tile, images[chosen[r, c]].reshape(28, 28))
    assert [tick.get_text() for tick in ax.get_yticklabels()] == [str(d) for d in range(10)]
    assert ax.get_title() == t("figures.digits.title", dataset=t("figures.dataset.mnist"), per=16, seed=0)
    assert ("Chiffres" if lang == "fr" else "digits") in ax.get_title()
    check_drawn(fig)


@LANGS
def test_digit_grid_fashion_mnist_with_class_names(lang):
    from reseau.data import load_raw
    from reseau.errors import DataError

    try:
        images, labels = load_raw("test", "fashion-mnist", download=False)
    except DataError as error:  # only "not found" skips (a failure under CI=true): a damaged file fails here
        if error.key != "data.not_found":
            raise
        pytest.skip("Debian package dataset-fashion-mnist not installed (.ci/run installs it)")
    fig = figures.digits_figure(images, labels, per_digit=4, seed=1, dataset="fashion-mnist", split="test")
    (ax,) = axes_labelled(fig, "digits")
    names = [tick.get_text() for tick in ax.get_yticklabels()]
    assert names[9] == ("Bottine" if lang == "fr" else "Ankle boot")
    assert ax.images[0].get_array().shape == (10 * 30 - 2, 4 * 30 - 2)
    check_drawn(fig)


# --------------------------------------------------------------------------
# 3. What goes in
# --------------------------------------------------------------------------

@LANGS
def test_sample_shows_grey_levels_label_and_one_hot(lang, train_data, mnist_dir):
    from reseau.data import load_raw

    images, labels = train_data
    raw, raw_labels = load_raw("train", data_dir=mnist_dir)
    index = 7
    fig = figures.sample_figure(images[index], labels[index], index, "train", len(images))
    (pixels,) = axes_labelled(fig, "pixels")
    values = np.array([int(text.get_text()) for text in pixels.texts]).reshape(28, 28)
    assert np.array_equal(values, raw[index])  # the file's grey levels 0-255, every one
    (onehot,) = axes_labelled(fig, "onehot")
    cells = [text.get_text() for text in onehot.texts]
    assert cells == ["1" if d == raw_labels[index] else "0" for d in range(10)]
    (strip,) = axes_labelled(fig, "strip")
    assert strip.images[0].get_array().shape == (1, 784)
    assert "(60000, 784)" in strip.get_title() and "(60000, 10)" in onehot.get_title()
    assert suptitle(fig) == t("figures.sample.title", index=7, split=t("figures.split.train"))
    assert ("étiquette" if lang == "fr" else "label") in suptitle(fig)
    check_drawn(fig)


# --------------------------------------------------------------------------
# 4. The network
# --------------------------------------------------------------------------

def _layers(ax) -> list[int]:
    return [len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)]


@LANGS
def test_network_draws_layers_and_weight_coloured_connections(lang, trained, train_data):
    network = trained.network
    mean = train_data[0].mean(axis=0)
    fig = figures.network_figure(network, mean)
    (ax,) = axes_labelled(fig, "network")
    assert _layers(ax) == [16, 20, 10]  # 16 of the 784 inputs, every hidden and output neuron
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert [len(c.get_segments()) for c in lines] == [16 * 20, 20 * 10]
    shown = figures.shown_neurons(network, pixel_mean=mean)[0]
    importance = figures.input_importance(network, mean)
    assert importance[shown].min() >= np.sort(importance)[-16]  # the 16 pixels carrying most signal
    # the strongest hidden -> output line has the sign colour of its weight (red +, blue -)
    w = network.w_h_o
    colors = lines[1].get_colors()
    strongest = colors[-1]  # drawn last, on top
    sign = np.sign(w.flat[np.argmax(np.abs(w))])
    assert (strongest[0] > strongest[2]) == (sign > 0)
    assert suptitle(fig) == t("figures.network.title", sizes="784 → 20 → 10")
    assert ("couche cachée" if lang == "fr" else "hidden layer") in " ".join(x.get_text() for x in ax.texts)
    check_drawn(fig)


def test_network_works_for_a_deeper_network(lang):
    fig = figures.network_figure(deep_network())
    (ax,) = axes_labelled(fig, "network")
    assert _layers(ax) == [16, 32, 32, 10]
    assert any("32 sur 128" in text.get_text() for text in ax.texts)
    check_drawn(fig)


# --------------------------------------------------------------------------
# 5. What each hidden neuron looks for
# --------------------------------------------------------------------------

@LANGS
def test_neurons_one_tile_per_hidden_neuron_centred_on_zero(lang, trained):
    w_i_h = trained.network.w_i_h
    fig = figures.neurons_figure(trained.network)
    tiles = axes_labelled(fig, "neuron")
    assert len(tiles) == 20
    for k, ax in enumerate(tiles):
        image = ax.images[0]
        assert np.array_equal(image.get_array(), w_i_h[k].reshape(28, 28))
        low, high = image.get_clim()
        assert low == -high == -np.abs(w_i_h).max()  # zero is the middle of the colour map: white
        assert ax.get_title() == t("figures.neurons.tile", k=k)
    assert ("neurone" if lang == "fr" else "neuron") in suptitle(fig)
    check_drawn(fig)


def test_neurons_uses_the_first_layer_of_any_network(lang):
    network = deep_network()
    fig = figures.neurons_figure(network, max_tiles=24)
    tiles = axes_labelled(fig, "neuron")
    assert len(tiles) == 24
    assert np.array_equal(tiles[5].images[0].get_array(), network.weights[0][5].reshape(28, 28))
    assert "24" in suptitle(fig) and "128" in suptitle(fig)


def test_neurons_refuses_inputs_that_are_not_an_image():
    network = Network([np.zeros((3, 10)), np.zeros((2, 3))], [np.zeros(3), np.zeros(2)])
    with pytest.raises(ReseauError) as info:
        figures.neurons_figure(network)
    assert "10" in str(info.value)


# --------------------------------------------------------------------------
# 6. One prediction, layer by layer
# --------------------------------------------------------------------------

@LANGS
def test_forward_shows_every_layer_and_the_chosen_digit(lang, trained, test_data):
    images, labels = test_data
    network, index = trained.network, 0
    fig = figures.forward_figure(network, images[index], index, int(labels[index].argmax()), "test")
    layers = axes_labelled(fig, "layer")
    assert len(layers) == 2 and len(fig.axes) == 3  # the image, h, o
    expected = network.layer_outputs(images[index:index + 1])
    for ax, values in zip(layers, expected):
        heights = [p.get_height() for p in ax.patches]
        assert np.allclose(heights, values[0])
    bars = layers[1].patches
    red = [k for k, p in enumerate(bars) if to_hex(p.get_facecolor()) == figures.HIGHLIGHT]
    assert red == [int(expected[-1][0].argmax())]
    (value,) = layers[1].texts  # the chosen output's value, written over its bar
    assert value.get_text() == as_written(f"{expected[-1][0].max():.2f}", lang)
    assert layers[0].get_title() == "h = σ(w_i_h @ img + b_i_h)"
    assert suptitle(fig) == t("figures.forward.title", name=str(red[0]))
    assert ("reconnu" if lang == "fr" else "recognised") in suptitle(fig)
    check_drawn(fig)


def test_forward_for_a_deeper_network(lang, test_data):
    network = deep_network()
    fig = figures.forward_figure(network, test_data[0][1], 1, None)
    layers = axes_labelled(fig, "layer")
    assert [len(ax.patches) for ax in layers] == [128, 32, 10]
    assert "relu" in layers[0].get_title() and "softmax" in layers[2].get_title()
    check_drawn(fig)


# --------------------------------------------------------------------------
# 7. Learning curves
# --------------------------------------------------------------------------

@LANGS
def test_curves_plot_the_stored_history(lang, trained):
    history = trained.info.history
    fig = figures.curves_figure(history, trained.network.sizes, trained.info.config)
    (ax,) = axes_labelled(fig, "curves")
    by_label = {line.get_label(): line for line in ax.lines}
    assert len(ax.lines) == 2  # the document's trainer measures no validation
    precision = by_label[t("figures.curves.precision")]
    test = by_label[t("figures.curves.test_accuracy")]
    assert list(precision.get_xdata()) == [0, 1, 2]  # the document counts epochs from 0
    assert list(precision.get_ydata()) == [86.18, 92.38, 93.44] == [e.precision for e in history.epochs]
    assert list(test.get_ydata()) == [e.test_accuracy for e in history.epochs]
    assert test.get_ydata()[-1] == pytest.approx(trained.info.test_accuracy)
    assert suptitle(fig) == ("Courbes d'apprentissage" if lang == "fr" else "Learning curves")
    assert ax.get_title() == ("réseau 784-20-10, taux d'apprentissage 0,01, graine 0" if lang == "fr"
                              else "network 784-20-10, learning rate 0.01, seed 0")
    written = [text.get_text() for text in ax.texts]  # 3 epochs x 2 curves: each value beside its point
    assert written[:3] == [as_written(x, lang) for x in ("86.18", "92.38", "93.44")]
    assert written[5] == as_written(f"{trained.info.test_accuracy:.2f}", lang)
    check_drawn(fig)
    assert all(("." not in tick) if lang == "fr" else ("," not in tick) for tick in tick_texts(ax.yaxis))


def modern_history(n: int = 20) -> History:
    """A modern trainer's history: training "Précision", validation and test accuracy per epoch."""
    epochs = [EpochReport(epoch=k, nr_correct=40000 + 500 * k, n_images=50000, test_accuracy=84.5 + k / 2,
                          seconds=1.0, val_accuracy=85.0 + k / 2, loss=1.0 / (k + 1), learn_rate=0.05)
              for k in range(n)]
    return History(epochs, best_epoch=n - 1, test_accuracy=epochs[-1].test_accuracy)


@LANGS
def test_curves_of_a_modern_history_with_validation(lang):
    from reseau.training import TrainConfig

    history = modern_history()
    fig = figures.curves_figure(history.epochs, [784, 100, 10], TrainConfig(learn_rate=0.05))
    (ax,) = axes_labelled(fig, "curves")
    assert len(ax.lines) == 3  # "Précision", validation, test
    assert list(ax.lines[0].get_ydata()) == [80.0 + k for k in range(20)]
    assert list(ax.lines[1].get_ydata()) == [e.val_accuracy for e in history.epochs]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend[1].startswith(t("figures.curves.val_accuracy"))
    assert legend[2] == ("exactitude sur les images de test jamais vues (fin\u00a0: 94,00\u00a0%)" if lang == "fr"
                         else "accuracy on the never-seen test images (last: 94.00%)")
    assert not ax.texts  # 20 epochs x 3 curves: values go in the legend, not over the points
    assert ("taux d'apprentissage 0,05" if lang == "fr" else "learning rate 0.05") in ax.get_title()
    check_drawn(fig)


def test_curves_need_a_history():
    assert not figures.has_curves(History())
    assert not figures.has_curves([])
    assert figures.has_curves(modern_history(1)) and figures.has_curves(modern_history(1).epochs)
    with pytest.raises(ValueError):
        figures.curves_figure(History())
    fig = figures.curves_figure(modern_history(2))  # no network or configuration: no subtitle
    assert axes_labelled(fig, "curves")[0].get_title() == ""


# --------------------------------------------------------------------------
# 8. Confusion matrix and mistakes
# --------------------------------------------------------------------------

def test_confusion_matrix_counts_pairs():
    matrix = figures.confusion_matrix(np.array([0, 1, 1, 2, 2, 2]), np.array([0, 0, 1, 2, 2, 1]), 3)
    assert matrix.tolist() == [[1, 0, 0], [1, 1, 0], [0, 1, 2]]


def test_most_confident_mistakes_are_wrong_and_sorted():
    outputs = np.array([[0.9, 0.1], [0.2, 0.7], [0.6, 0.4], [0.1, 0.95], [0.8, 0.3]])
    true = np.array([1, 1, 1, 0, 0])  # rows 0, 2 and 3 are wrong, with confidence 0.9, 0.6, 0.95
    assert figures.most_confident_mistakes(outputs, true, 10).tolist() == [3, 0, 2]
    assert figures.most_confident_mistakes(outputs, true, 2).tolist() == [3, 0]


@LANGS
def test_errors_figure_on_the_10000_test_images(lang, trained, test_data):
    images, labels = test_data
    network = trained.network
    fig = figures.errors_figure(network, images, labels, n_mistakes=12)
    (ax,) = axes_labelled(fig, "confusion")
    counts = np.array([int(text.get_text()) for text in ax.texts]).reshape(10, 10)
    assert counts.sum() == 10000
    assert np.trace(counts) / 100 == pytest.approx(network.accuracy(images, labels))
    assert np.array_equal(counts.sum(axis=1), np.bincount(labels.argmax(axis=1), minlength=10))
    tiles = axes_labelled(fig, "mistake")
    assert len(tiles) == 12
    outputs = network.forward(images)
    chosen = figures.most_confident_mistakes(outputs, labels.argmax(axis=1), 12)
    word_true, word_pred = ("vrai", "prédit") if lang == "fr" else ("true", "predicted")
    for ax_tile, row in zip(tiles, chosen):
        true, pred = int(labels[row].argmax()), int(outputs[row].argmax())
        assert true != pred
        assert ax_tile.get_title().startswith(f"{word_true} {true} / {word_pred} {pred}")
        assert np.allclose(ax_tile.images[0].get_array(), images[row].reshape(28, 28))
    accuracy = network.accuracy(images, labels)
    assert suptitle(fig) == t("figures.errors.title", n=("10\u202f000" if lang == "fr" else "10,000"),
                              accuracy=accuracy)
    assert ("(exactitude 93,32 %)" if lang == "fr" else "(accuracy 93.32%)") in suptitle(fig)
    for ax_tile, row in zip(tiles, chosen):
        value = ax_tile.get_title().split("o = ")[1]
        assert value == as_written(f"{outputs[row].max():.2f}", lang)
    check_drawn(fig)


# --------------------------------------------------------------------------
# The document's inference picture (reseau predict)
# --------------------------------------------------------------------------

@LANGS
def test_prediction_figure_title_is_not_cut(lang, trained, train_data):
    images, labels = train_data
    o = trained.network.forward(images[7])
    fig = figures.prediction_figure(images[7], o, 7, int(labels[7].argmax()))
    assert suptitle(fig) == t("predict.title", digit=int(o.argmax()))
    assert ("le réseau de neurones a reconnu le chiffre" if lang == "fr" else "recognised the digit") \
        in suptitle(fig)
    assert len(fig.axes[1].patches) == 10
    check_drawn(fig)  # the long French title used to be clipped on the left
    assert tick_texts(fig.axes[1].yaxis) == [as_written(f"{k / 5:.1f}", lang) for k in range(6)]


def test_grid_shape_leaves_few_empty_cells():
    for n in (1, 3, 7, 10, 20, 32, 64, 100):
        rows, cols = figures.grid_shape(n)
        assert rows * cols >= n and rows * cols - n < cols <= 10
    assert figures.grid_shape(20) == (4, 5)


# --------------------------------------------------------------------------
# A convolutional network: its filters and its feature maps; the figures of layers of neurons refuse it
# --------------------------------------------------------------------------

def conv_network(conv=(6, 8), kernels=(5, 3), seed: int = 0):
    """A convolutional network with its initial weights (random, He-normal): figures need no training."""
    from reseau.training.cnn import CNNConfig, ConvNetwork, architecture, build, initial_slots

    spec = architecture(CNNConfig(conv=conv, kernels=kernels, dense=(16,)))
    return ConvNetwork(spec, initial_slots(build(spec), seed).values)


@LANGS
def test_filters_one_tile_per_kernel_centred_on_zero(lang):
    network = conv_network()
    kernels = network.filters(0)[..., 0]  # (6, k, k)
    k = kernels.shape[1]
    fig = figures.filters_figure(network)
    tiles = axes_labelled(fig, "filter")
    assert len(tiles) == 6
    for j, ax in enumerate(tiles):
        image = ax.images[0]
        assert np.array_equal(image.get_array(), kernels[j])
        assert image.get_clim() == (-np.abs(kernels).max(), np.abs(kernels).max())  # zero is white
        assert image.get_cmap().name == figures.DIVERGING  # the neurons figure's red and blue
        assert ax.get_title() == t("figures.filters.tile", k=j)
    assert suptitle(fig) == t("figures.filters.title", n=6, k=k)
    assert ("filtres" if lang == "fr" else "filters") in suptitle(fig) and f"{k} × {k}" in suptitle(fig)
    check_drawn(fig)


@LANGS
def test_feature_maps_of_both_blocks_for_one_image(lang, test_data):
    network = conv_network()
    image = test_data[0][0]
    fig = figures.feature_maps_figure(network, image, 0, label=7, split="test")
    maps = axes_labelled(fig, "map")
    first, second = network.feature_maps(image, 0), network.feature_maps(image, 1)  # (h, w, filters)
    assert first.shape[2] == 6 and second.shape[2] == 8
    assert len(maps) == 6 + 8  # one per filter of each block
    assert [ax.images[0].get_array().shape for ax in maps] == [first.shape[:2]] * 6 + [second.shape[:2]] * 8
    assert np.array_equal(maps[2].images[0].get_array(), first[:, :, 2])
    assert np.array_equal(maps[6 + 3].images[0].get_array(), second[:, :, 3])
    assert maps[0].images[0].get_clim() == (0, first.max())  # one scale per block, 0 is white
    (ax,) = axes_labelled(fig, "image")
    assert np.array_equal(ax.images[0].get_array(), image.reshape(28, 28))
    digit = int(network.forward(image).argmax())
    assert ax.get_xlabel() == t("figures.maps.answer", name=str(digit))
    texts = [sub._suptitle.get_text() for sub in fig.subfigs[1].subfigs]
    assert texts == [t("figures.maps.block", block=b + 1, n=m.shape[2], h=m.shape[0], w=m.shape[1],
                       steps=figures.block_steps(network, b)) for b, m in enumerate((first, second))]
    steps = {"fr": "convolution 3 × 3, pooling 2 × 2, normalisation, ReLU",
             "en": "3 × 3 convolution, 2 × 2 pooling, batch norm, ReLU"}[lang]
    assert texts[1].endswith(f"({steps})")  # the second block's own kernel, and every step, in order
    check_drawn(fig)


def test_feature_maps_of_a_network_with_one_convolution(test_data):
    fig = figures.feature_maps_figure(conv_network(conv=(4,), kernels=(5,)), test_data[0][1], 1)
    assert len(axes_labelled(fig, "map")) == 4
    check_drawn(fig)


@LANGS
def test_each_figure_refuses_the_other_kind_of_network(lang, trained, test_data):
    cnn, image = conv_network(), test_data[0][0]
    for make in (lambda: figures.neurons_figure(cnn), lambda: figures.network_figure(cnn),
                 lambda: figures.forward_figure(cnn, image, 0)):
        with pytest.raises(ReseauError) as refused:
            make()
        assert refused.value.key == "figures.needs_layers"
        assert "reseau figures filters" in str(refused.value) and "\n" not in str(refused.value)
    for make in (lambda: figures.filters_figure(trained.network),
                 lambda: figures.feature_maps_figure(trained.network, image, 0)):
        with pytest.raises(ReseauError) as refused:
            make()
        assert refused.value.key == "figures.needs_conv"
        assert "784-20-10" in str(refused.value) and "reseau figures neurons" in str(refused.value)
    assert ("convolutif" if lang == "fr" else "convolutional") in str(refused.value)


def test_errors_and_curves_work_for_a_convolutional_network(lang, test_data):
    from reseau.training.cnn import CNNConfig

    network = conv_network()
    images, labels = test_data[0][:500], test_data[1][:500]
    fig = figures.errors_figure(network, images, labels, n_mistakes=6)
    (ax,) = axes_labelled(fig, "confusion")
    assert sum(int(text.get_text()) for text in ax.texts) == 500
    assert len(axes_labelled(fig, "mistake")) == 6
    history = History([EpochReport(0, 50000, 60000, test_accuracy=97.5, seconds=80.0)], best_epoch=0,
                      test_accuracy=97.5)
    fig = figures.curves_figure(history, network.sizes, CNNConfig(conv=(6, 8)))
    (ax,) = axes_labelled(fig, "curves")
    assert ax.get_title() == t("figures.curves.subtitle_cnn", conv="6-8", lr=0.002, seed=0)
    assert "convolutif (6-8 filtres)" in ax.get_title()


# --------------------------------------------------------------------------
# Class names and kept epochs: a Fashion-MNIST answer names the clothes; curves say the kept epoch as the CLI does
# --------------------------------------------------------------------------

@LANGS
def test_prediction_figure_of_a_fashion_model_names_the_class(lang, trained, train_data):
    image = train_data[0][7]
    o = np.full(10, 0.05)
    o[9] = 0.9  # the network answers class 9: an ankle boot
    fig = figures.prediction_figure(image, o, 7, 9, "test", dataset="fashion-mnist")
    assert suptitle(fig) == ("le réseau de neurones a reconnu : bottine (classe 9)" if lang == "fr"
                             else "the neural network recognised: ankle boot (class 9)")
    assert ("Bottine (classe 9)" if lang == "fr" else "Ankle boot (class 9)") in fig.axes[0].get_title()
    assert [label.get_text() for label in fig.axes[1].get_xticklabels()] == figures.class_names("fashion-mnist")
    check_drawn(fig)


def modern_history_kept_early(n: int = 15, kept: int = 9) -> History:
    """A modern training whose best validation epoch (its network kept) is not the last one."""
    epochs = [EpochReport(epoch=k, nr_correct=40000 + 500 * k, n_images=50000, test_accuracy=97.5 + k / 100,
                          seconds=1.0, val_accuracy=97.0 + (k == kept), loss=1.0 / (k + 1), mode="modern")
              for k in range(n)]
    return History(epochs, best_epoch=kept, test_accuracy=epochs[kept].test_accuracy)


@LANGS
def test_curves_of_a_modern_model_give_the_kept_epochs_numbers(lang):
    history = modern_history_kept_early()
    fig = figures.curves_figure(history)
    (ax,) = axes_labelled(fig, "curves")
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    test_line = legend[2]
    assert history.test_accuracy == 97.59 and history.epochs[-1].test_accuracy == 97.64
    assert test_line == ("exactitude sur les images de test jamais vues (réseau gardé, epoch 10\u00a0: 97,59\u00a0%)"
                         if lang == "fr" else "accuracy on the never-seen test images (kept network, epoch 10: 97.59%)")
    assert "document" not in legend[0]  # the modern trainer's training accuracy is not the document's number
    assert list(ax.lines[0].get_xdata()) == list(range(1, 16))  # numbered 1..15, as "Epoch 1/15" ... "15/15"
    kept_line = [line for line in ax.lines if list(line.get_xdata()) == [10, 10]]
    assert kept_line and kept_line[0].get_label() == t("figures.curves.kept_line", epoch=10)
    check_drawn(fig)


def test_epoch_lines_number_a_modern_training_from_1_and_the_documents_from_0():
    modern = modern_history_kept_early().epochs
    assert modern[0].line(14, lang="fr").startswith("Epoch 1/15 : ")
    assert modern[14].line(14, lang="en").startswith("Epoch 15/15: ")
    document = EpochReport(epoch=0, nr_correct=51708, n_images=60000, test_accuracy=91.0, seconds=0.1)
    assert document.line(2, lang="fr") == "Epoch : 0, Précision : 86.18%"  # exactly as the document prints it
