"""The document's algorithm: the compiled engine, the NumPy reference and the document's own loop agree."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseau import faithful
from reseau.document import literal_inference, literal_training
from reseau.errors import ConfigError, DivergenceError
from reseau.faithful import FaithfulConfig
from reseau.network import Network, sigmoid


@pytest.fixture(scope="module")
def literal_3_epochs(train_data):
    """The document's loop, as printed, 3 epochs on the 60 000 images under np.random.seed(0) (~12 s)."""
    images, labels = (a.copy() for a in train_data)
    return literal_training(images, labels, epochs=3, seed=0, echo=False)


def lines_of(history):
    return [f"Epoch : {r.epoch}, Précision : {r.precision}%" for r in history.epochs]


# the numbers the course's README gives for np.random.seed(0)
DOCUMENT_LINES = ["Epoch : 0, Précision : 86.18%", "Epoch : 1, Précision : 92.38%", "Epoch : 2, Précision : 93.44%"]


def test_default_run_prints_the_documents_lines(trained):
    """The default run prints the document's three lines, to the last digit."""
    assert lines_of(trained.info.history) == DOCUMENT_LINES


# The document's own loop on the 60 000 images takes ~12 s: CI compares the engines with it on slices
# (test_other_settings_on_a_slice, the document's settings among them); `pytest -m long` at full size.
@pytest.mark.long
def test_default_run_is_the_documents_own_loop(literal_3_epochs, trained):
    """Same seed -> the same three lines as the document's own loop, to the last digit."""
    assert literal_3_epochs[0] == lines_of(trained.info.history) == DOCUMENT_LINES


@pytest.mark.long
def test_fast_engine_ends_with_the_documents_weights(literal_3_epochs, trained):
    _, w_i_h, b_i_h, w_h_o, b_h_o = literal_3_epochs
    net = trained.network
    for ours, theirs in [(net.w_i_h, w_i_h), (net.b_i_h, b_i_h.ravel()),
                         (net.w_h_o, w_h_o), (net.b_h_o, b_h_o.ravel())]:
        assert np.abs(ours - theirs).max() <= 1e-9


@pytest.mark.long  # 3 epochs of the NumPy engine (~10 s); test_other_settings_on_a_slice checks the bits in CI
def test_reference_engine_is_the_document_to_the_bit(literal_3_epochs, train_data, trained):
    """The readable engine does the document's arithmetic in the document's order: identical bits."""
    net, history = faithful.train(*train_data, FaithfulConfig(engine="reference"))
    _, w_i_h, b_i_h, w_h_o, b_h_o = literal_3_epochs
    assert np.array_equal(net.w_i_h, w_i_h) and np.array_equal(net.w_h_o, w_h_o)
    assert np.array_equal(net.b_i_h, b_i_h.ravel()) and np.array_equal(net.b_h_o, b_h_o.ravel())
    # reference vs compiled: same final weights to 1e-9, same printed numbers
    for a, b in zip(net.weights + net.biases, trained.network.weights + trained.network.biases):
        assert np.abs(a - b).max() <= 1e-9
    assert lines_of(history) == lines_of(trained.info.history)


@pytest.mark.parametrize("hidden, lr, seed, epochs", [(20, 0.01, 0, 3),  # the document's
                                                    (7, 0.05, 3, 2), (33, 0.003, 12345, 1), (1, 0.5, 0, 2)])
def test_other_settings_on_a_slice(train_data, hidden, lr, seed, epochs):
    images, labels = (a[:3000].copy() for a in train_data)
    lines, w_i_h, b_i_h, w_h_o, b_h_o = literal_training(images, labels, epochs, seed, hidden, lr, echo=False)
    for engine in faithful.ENGINES:
        net, history = faithful.train(images, labels, FaithfulConfig(hidden, lr, epochs, seed, engine))
        assert lines_of(history) == lines
        assert np.abs(net.w_i_h - w_i_h).max() <= 1e-9
        assert np.abs(net.w_h_o - w_h_o).max() <= 1e-9
        if engine == "reference":  # the document's arithmetic in the document's order: identical bits
            assert np.array_equal(net.w_i_h, w_i_h) and np.array_equal(net.w_h_o, w_h_o)
            assert np.array_equal(net.b_i_h, b_i_h.ravel()) and np.array_equal(net.b_h_o, b_h_o.ravel())


def test_initial_weights_are_drawn_as_the_document_would():
    np.random.seed(42)
    w_i_h = np.random.uniform(-0.5, 0.5, (20, 784))
    w_h_o = np.random.uniform(-0.5, 0.5, (10, 20))
    ours = faithful.initial_weights(20, 42)
    assert np.array_equal(ours[0], w_i_h) and np.array_equal(ours[1], w_h_o)
    assert not ours[2].any() and not ours[3].any()


def test_test_accuracy_after_three_epochs(trained, test_data):
    assert trained.info.test_accuracy >= 92.0
    assert trained.info.test_accuracy == pytest.approx(93.32, abs=0.005)  # the course README's figure
    assert trained.network.accuracy(*test_data) == trained.info.test_accuracy


def test_batched_forward_equals_the_documents_inference(trained, test_data):
    net = trained.network
    images = test_data[0]
    o_batch = net.forward(images[:50])
    for index in range(50):
        o = literal_inference(images, index, net.w_i_h, net.b_i_h.reshape(-1, 1),
                              net.w_h_o, net.b_h_o.reshape(-1, 1))
        assert np.allclose(o.ravel(), o_batch[index], rtol=0, atol=1e-12)
        assert o.argmax() == o_batch[index].argmax()


def test_progress_and_epoch_callbacks(train_data):
    images, labels = (a[:12000] for a in train_data)
    progress, epochs = [], []
    faithful.train(images, labels, FaithfulConfig(epochs=2), on_epoch=epochs.append,
                   on_progress=lambda done, total: progress.append((done, total)))
    assert progress[-1] == (12000, 12000) and len(progress) == 2 * 3  # chunks of 5000
    assert [e.epoch for e in epochs] == [0, 1] and all(e.n_images == 12000 for e in epochs)


def test_an_exception_in_a_callback_stops_training(train_data):
    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop

    with pytest.raises(Stop):
        faithful.train(*train_data, FaithfulConfig(epochs=3), on_progress=stop)


@pytest.mark.parametrize("field, value, word", [
    ("hidden", 0, "1 et 4096"), ("hidden", 5000, "5000"), ("learn_rate", -1.0, "> 0"),
    ("learn_rate", 0.0, "> 0"), ("learn_rate", float("nan"), "nan"), ("learn_rate", 1e6, "au plus 1000"),
    ("epochs", 0, "entre 1 et 1000"), ("seed", -1, "entre 0 et 4294967295"), ("engine", "gpu", "fast, reference"),
])
def test_bad_settings_get_a_clear_message(field, value, word):
    config = FaithfulConfig(**{field: value})
    with pytest.raises(ConfigError) as err:
        config.validate()
    assert word in str(err.value) and "Traceback" not in str(err.value)


def test_large_learning_rate_never_warns(train_data):
    images, labels = (a[:3000] for a in train_data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow warning fails the test
        for engine in faithful.ENGINES:
            net, history = faithful.train(images, labels, FaithfulConfig(learn_rate=50.0, epochs=2, engine=engine))
            assert net.all_finite()
    assert history.epochs[-1].precision < 50  # it learns (almost) nothing, but quietly


@pytest.mark.parametrize("engine", faithful.ENGINES)
def test_non_finite_weights_stop_with_a_message(train_data, engine):
    images, labels = train_data[0][:100].copy(), train_data[1][:100]
    images[50, 300] = np.nan  # one broken pixel poisons every weight it touches
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DivergenceError) as err:
            faithful.train(images, labels, FaithfulConfig(learn_rate=0.5, epochs=1, engine=engine))
    assert "--lr 0.01" in str(err.value) and "0,5" in str(err.value) and "epoch 0" in str(err.value)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-700, max_value=700))
def test_sigmoid_is_the_documents_formula(x):
    a = np.array([x])
    assert sigmoid(a)[0] == (1 / (1 + np.exp(-a)))[0]


def test_sigmoid_extremes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sigmoid(np.array([-1e308, -1000.0, -710.0, 0.0, 1000.0, 1e308]))
        values32 = sigmoid(np.array([-1e30, -100.0, 100.0], dtype=np.float32))
    assert values[0] < 1e-300 and values[3] == 0.5 and values[-1] == 1.0
    assert values32.dtype == np.float32 and values32[0] < 1e-37 and values32[-1] == 1.0


def test_network_rejects_mismatched_layers():
    with pytest.raises(ValueError, match="do not fit"):
        Network([np.zeros((20, 784)), np.zeros((10, 20))], [np.zeros(20), np.zeros(9)])


def test_pixel_lists_are_cached_only_for_frozen_images(train_data):
    from reseau.data import freeze

    images = train_data[0][:2000].copy()  # writeable: listed anew every time
    first, again = faithful.sparse_rows(images), faithful.sparse_rows(images)
    assert first is not again and all(np.array_equal(a, b) for a, b in zip(first, again))
    assert images[0, 0] == 0
    images[0, 0] = 0.5  # a change is seen, since nothing was cached
    assert faithful.sparse_rows(images)[2].size == first[2].size + 1
    view = images[:1000]
    view.flags.writeable = False  # read-only view of a writeable array: still not cached
    assert faithful.sparse_rows(view) is not faithful.sparse_rows(view)
    freeze(images)
    cached = faithful.sparse_rows(images)
    assert faithful.sparse_rows(images) is cached
    mask = images != 0
    assert np.array_equal(cached[1], np.nonzero(mask)[1]) and np.array_equal(cached[2], images[mask])
