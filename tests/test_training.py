"""The modern trainer's pieces, checked one by one: gradients against finite differences,
a step worked by hand, optimisers, schedules, augmentation, and the settings' checks."""

from __future__ import annotations

import itertools
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from reseau import faithful
from reseau.errors import ConfigError
from reseau.i18n import t
from reseau.training import PRESETS, TrainConfig, augmentation, layers, losses, optimizers, schedules
from reseau.training import config as training_config
from reseau.training.parameters import Parameters, initial_parameters

# ---------------------------------------------------------------------------
# Gradient checks: every activation, both outputs, dropout, label smoothing
# ---------------------------------------------------------------------------

SIZES = [7, 5, 4, 10]  # small, two hidden layers: every kind of layer appears


def mean_loss(params, x, targets, activation, output, dropout_seed, dropout, input_dropout):
    rng = None if dropout_seed is None else np.random.default_rng(dropout_seed)  # same masks each call
    cache = layers.forward(params, x, activation, rng, dropout, input_dropout)
    return losses.loss_value(output, cache.z_out, targets)


def analytic_gradient(params, x, targets, activation, output, dropout_seed, dropout, input_dropout):
    rng = None if dropout_seed is None else np.random.default_rng(dropout_seed)
    cache = layers.forward(params, x, activation, rng, dropout, input_dropout)
    o = losses.output_values(output, cache.z_out)
    grads = params.zeros_like()
    layers.backward(params, grads, cache, losses.output_delta(o, targets), activation)
    return grads.flat


def numeric_gradient(params, loss, eps=1e-6):
    grad = np.zeros_like(params.flat)
    for i in range(len(params.flat)):
        keep = params.flat[i]
        params.flat[i] = keep + eps
        up = loss()
        params.flat[i] = keep - eps
        down = loss()
        params.flat[i] = keep
        grad[i] = (up - down) / (2 * eps)
    return grad


CASES = [(act, out, drop) for act, out, drop in itertools.product(
    ("sigmoid", "tanh", "relu"), ("sigmoid", "softmax"), (False, True))]


@pytest.mark.parametrize("activation, output, with_dropout", CASES)
def test_backpropagation_matches_finite_differences(activation, output, with_dropout):
    rng = np.random.default_rng(1)
    params = initial_parameters(SIZES, "xavier", seed=2, dtype=np.float64)
    params.flat[params.n_weights:] = rng.normal(0, 0.1, len(params.flat) - params.n_weights)  # biases too
    x = rng.uniform(0, 1, (6, SIZES[0]))  # (6, 7) rows
    targets = np.eye(10)[rng.integers(0, 10, 6)]  # (6, 10) one-hot
    if output == "softmax" and with_dropout:
        targets = losses.smoothed(targets, 0.1)  # label smoothing changes the targets only
    args = (x, targets, activation, output, 3 if with_dropout else None,
            0.5 if with_dropout else 0.0, 0.25 if with_dropout else 0.0)
    analytic = analytic_gradient(params, *args)
    numeric = numeric_gradient(params, lambda: mean_loss(params, *args))
    assert np.abs(analytic).max() > 1e-3  # the check is not vacuous
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_dropout_masks_switch_off_and_rescale():
    mask = layers.dropout_mask(np.random.default_rng(0), (200, 500), 0.3)
    assert set(np.unique(mask)) == {np.float32(0), np.float32(1 / 0.7)}
    assert mask.mean() == pytest.approx(1.0, abs=0.01)  # expected value unchanged
    assert (mask == 0).mean() == pytest.approx(0.3, abs=0.01)
    assert layers.dropout_mask(None, (2, 2), 0.3) is None  # evaluation: no dropout


def test_losses_values_by_hand():
    z = np.array([[2.0, 0.0, -1.0] + [0.0] * 7])
    target = np.eye(10)[[0]]
    log_o = 2.0 - math.log(math.exp(2) + 8 + math.exp(-1))  # log softmax of the right digit
    assert losses.loss_value("softmax", z, target) == pytest.approx(-log_o)
    bce = -math.log(1 / (1 + math.exp(-2))) + math.log(2) * 8 + math.log(1 + math.exp(-1))
    assert losses.loss_value("sigmoid", z, target) == pytest.approx(bce)
    o, loss = losses.output_and_loss("softmax", z.copy(), target)
    assert loss == pytest.approx(-log_o) and o.sum() == pytest.approx(1.0)
    huge = np.array([[1000.0, -1000.0] + [0.0] * 8], dtype=np.float32)  # no overflow, no nan
    assert np.isfinite(losses.loss_value("softmax", huge, target))
    assert np.isfinite(losses.loss_value("sigmoid", huge, target))


# ---------------------------------------------------------------------------
# One step worked by hand, and the document's per-image step
# ---------------------------------------------------------------------------

def test_one_sgd_step_worked_by_hand():
    """2 inputs -> 1 ReLU neuron -> 2 softmax outputs, one image, plain SGD with lr 0.1.

    x = (1, 0), W1 = (0.5, -0.5): h = relu(0.5) = 0.5.  W2 = (1, -1)^T: z = (0.5, -0.5),
    o = softmax(z) = (s, 1 - s) with s = sigmoid(1).  Target (1, 0): delta_o = (s - 1, 1 - s).
    dW2 = delta_o h = (s - 1, 1 - s) / 2;  delta_h = W2 . delta_o = 2 (s - 1);  dW1 = delta_h x.
    """
    s = 1 / (1 + math.exp(-1))
    params = Parameters([2, 1, 2], np.float64)
    params.weights[0][:] = [[0.5, -0.5]]
    params.weights[1][:] = [[1.0], [-1.0]]
    x, target = np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])
    cache = layers.forward(params, x, "relu")
    o, loss = losses.output_and_loss("softmax", cache.z_out, target)
    assert o[0] == pytest.approx([s, 1 - s]) and loss == pytest.approx(-math.log(s))
    grads = layers.backward(params, params.zeros_like(), cache, losses.output_delta(o, target), "relu")
    optimizers.SGD().step(params.flat, grads.flat, 0.1)
    delta_h = 2 * (s - 1)
    np.testing.assert_allclose(params.weights[0], [[0.5 - 0.1 * delta_h, -0.5]])
    np.testing.assert_allclose(params.biases[0], [-0.1 * delta_h])
    np.testing.assert_allclose(params.weights[1], [[1 - 0.1 * (s - 1) / 2], [-1 - 0.1 * (1 - s) / 2]])
    np.testing.assert_allclose(params.biases[1], [-0.1 * (s - 1), -0.1 * (1 - s)])


def test_uniform_init_is_the_documents_draw():
    w_i_h, w_h_o, _, _ = faithful.initial_weights(20, seed=4)
    params = initial_parameters([784, 20, 10], "uniform", seed=4, dtype=np.float64)
    np.testing.assert_array_equal(params.weights[0], w_i_h)
    np.testing.assert_array_equal(params.weights[1], w_h_o)
    assert not params.biases[0].any() and not params.biases[1].any()


def test_document_network_one_image_is_the_textbook_step(train_data):
    """Batch of one, sigmoid everywhere, SGD 0.01: the document's update, in the textbook order
    (delta_h from the weights *before* w_h_o changes; the document uses the updated ones)."""
    images, labels = train_data
    img, l = images[0].astype(np.float64).reshape(784, 1), labels[0].reshape(10, 1)  # noqa: E741
    w_i_h, w_h_o, b_i_h, b_h_o = faithful.initial_weights(20, seed=0)
    h = 1 / (1 + np.exp(-(b_i_h + w_i_h @ img)))  # (20, 1)
    o = 1 / (1 + np.exp(-(b_h_o + w_h_o @ h)))  # (10, 1)
    delta_o = o - l
    delta_h = w_h_o.T @ delta_o * (h * (1 - h))  # textbook: the old w_h_o
    expected = [w_i_h - 0.01 * delta_h @ img.T, w_h_o - 0.01 * delta_o @ h.T]

    params = initial_parameters([784, 20, 10], "uniform", seed=0, dtype=np.float64)
    cache = layers.forward(params, images[:1].astype(np.float64), "sigmoid")
    o_rows = losses.output_values("sigmoid", cache.z_out)
    np.testing.assert_allclose(o_rows[0], o[:, 0])
    grads = layers.backward(params, params.zeros_like(), cache, losses.output_delta(o_rows, labels[:1]),
                            "sigmoid")
    optimizers.SGD().step(params.flat, grads.flat, 0.01)
    np.testing.assert_allclose(params.weights[0], expected[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(params.weights[1], expected[1], rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------------------
# Optimisers and schedules
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_fused_step_equals_the_readable_numpy_step(name):
    rng = np.random.default_rng(0)
    start = rng.normal(0, 1, 10_001).astype(np.float32)
    grads = [rng.normal(0, 1, start.size).astype(np.float32) for _ in range(5)]
    results = []
    with ThreadPoolExecutor(2) as pool:
        for fast, threads in ((False, None), (True, None), (True, pool)):  # fused: at once, or a half per thread
            p, opt = start.copy(), optimizers.make_optimizer(name, start.size, np.float32, fast=fast)
            for g in grads:
                opt.step(p, g.copy(), 0.01, threads)
            results.append(p)
    assert not np.array_equal(results[0], start)
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6, atol=1e-6)  # float32 rounding
    np.testing.assert_array_equal(results[2], results[1])  # each value's own loop: the same bits


def test_momentum_and_adam_by_hand():
    p = np.array([1.0], np.float32)
    opt = optimizers.Momentum(1, np.float32)
    opt.step(p, np.array([2.0], np.float32), 0.1)  # v = 2, p = 1 - 0.2
    opt.step(p, np.array([2.0], np.float32), 0.1)  # v = 0.9 * 2 + 2 = 3.8, p = 0.8 - 0.38
    assert p[0] == pytest.approx(0.42)
    p = np.array([1.0, 1.0], np.float32)
    adam = optimizers.Adam(2, np.float32)
    adam.step(p, np.array([5.0, -0.001], np.float32), 0.01)  # first step: lr * sign(g), whatever |g|
    np.testing.assert_allclose(p, [0.99, 1.01], rtol=1e-5)


def test_weight_decay_is_a_gradient_step_on_the_l2_penalty():
    w = np.array([2.0, -4.0])
    optimizers.decay_weights_(w, lr=0.1, weight_decay=0.5)  # penalty 0.25 |w|^2 has gradient 0.5 w
    np.testing.assert_allclose(w, [2.0 - 0.1 * 0.5 * 2.0, -4.0 + 0.1 * 0.5 * 4.0])


def test_schedules():
    assert schedules.learn_rate_at("none", 0.1, 70, 100) == 0.1
    assert [schedules.learn_rate_at("step", 0.1, t, 100) for t in (0, 49, 50, 75, 99)] == \
        pytest.approx([0.1, 0.1, 0.01, 0.001, 0.001])
    assert schedules.learn_rate_at("cosine", 0.1, 0, 100) == pytest.approx(0.1)
    assert schedules.learn_rate_at("cosine", 0.1, 50, 100) == pytest.approx(0.05)
    assert schedules.learn_rate_at("cosine", 0.1, 99, 100) < 0.0001


# ---------------------------------------------------------------------------
# Augmentation
# ---------------------------------------------------------------------------

def digit_like(seed=0):
    image = np.zeros((28, 28), np.float32)
    image[6:22, 12:16] = 1.0  # a thick vertical bar
    image[6:9, 9:16] = 0.5  # with a flag, so rotations and flips differ
    return image


def test_identity_map_leaves_images_unchanged():
    images = np.stack([digit_like().ravel(), np.random.default_rng(0).random(784, dtype=np.float32)])
    maps = augmentation.affine_maps(np.zeros(2), np.ones(2), np.zeros((2, 2)))
    out = augmentation.warp(images, maps)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, images, atol=1e-6)


def test_whole_pixel_shifts_and_quarter_turns():
    image = digit_like()
    maps = augmentation.affine_maps(np.array([0.0, 0.0, 90.0]), np.ones(3),
                                    np.array([[2.0, 0.0], [0.0, -3.0], [0.0, 0.0]]))
    down2, left3, turned = augmentation.warp(np.stack([image.ravel()] * 3), maps).reshape(3, 28, 28)
    expected_down = np.zeros_like(image)
    expected_down[2:] = image[:-2]  # two rows down, zeros come in at the top
    np.testing.assert_allclose(down2, expected_down, atol=1e-6)
    expected_left = np.zeros_like(image)
    expected_left[:, :-3] = image[:, 3:]
    np.testing.assert_allclose(left3, expected_left, atol=1e-6)
    np.testing.assert_allclose(turned, np.rot90(image), atol=1e-5)  # counter-clockwise on screen


def test_random_augmentation_stays_light(train_data):
    images = train_data[0][:500]
    out = augmentation.augment(images, np.random.default_rng(0))
    assert out.shape == images.shape and out.dtype == images.dtype
    assert out.min() >= 0 and out.max() <= 1 + 1e-6
    changed = np.abs(out - images).sum(axis=1) > 1
    assert changed.mean() > 0.9  # almost every image moved
    ink = out.sum(axis=1) / images.sum(axis=1)  # zoom within 10 %: ink within (0.9^2, 1.1^2)
    assert ink.min() > 0.75 and ink.max() < 1.3
    again = augmentation.augment(images, np.random.default_rng(0))
    np.testing.assert_array_equal(out, again)  # reproducible from the seed


@pytest.mark.parametrize("kind, together", [("light", 1), ("drawing", 4)])
def test_batches_are_the_order_s_rows_augmented_a_few_batches_at_a_time(train_data, kind, together):
    """Every row once, in the epoch's order, in batches of ``batch_size``; the images are those rows
    augmented ``together`` batches at a time by the one generator (the last group and batch short)."""
    from reseau.training.trainer import BatchRunner

    images, digits = train_data[0][:700], train_data[1][:700].argmax(axis=1)
    config = TrainConfig(augment=kind, batch_size=64, seed=3).validate()
    runner = BatchRunner(config, np.zeros(1), (images, None, digits), None)
    runner.augment_batches = together
    order = np.random.default_rng(1).permutation(700)
    batches = list(runner.batches(order))
    assert [len(rows) for rows, _ in batches] == [64] * 10 + [60]
    np.testing.assert_array_equal(np.concatenate([rows for rows, _ in batches]), order)
    rng, augment, group = np.random.default_rng([3, 3]), training_config.augmentation(kind), 64 * together
    expected = np.concatenate([augment(images[order[k : k + group]], rng, digits=digits[order[k : k + group]])
                               for k in range(0, 700, group)])
    np.testing.assert_array_equal(np.concatenate([x for _, x in batches]), expected)
    assert not np.array_equal(batches[0][1], images[batches[0][0]])  # augmented indeed


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------

def test_presets_and_defaults_are_valid():
    assert {"better", "best"} <= set(PRESETS)
    for config in [TrainConfig(), *PRESETS.values()]:
        assert config.validate() is config
        assert TrainConfig.from_dict(config.to_dict()) == config
    assert PRESETS["best"].augment == "none" and PRESETS["best-augment"].augment == "light"
    assert TrainConfig.from_dict({"augment": True}).augment == "light"  # a model file of version 0.1
    assert TrainConfig.from_dict({"augment": False}).augment == "none"
    assert TrainConfig(layers=(256, 128)).sizes == [784, 256, 128, 10]


@pytest.mark.parametrize("changes, key, shown", [
    ({"layers": ()}, "training.bad_layers", "()"),
    ({"layers": (256, 0)}, "training.bad_layers", "(256, 0)"),
    ({"layers": (10_000,)}, "training.bad_layers", "10000"),
    ({"activation": "gelu"}, "config.bad_choice", "gelu"),
    ({"output": "linear"}, "config.bad_choice", "linear"),
    ({"init": "zeros"}, "config.bad_choice", "zeros"),
    ({"optimizer": "rmsprop"}, "config.bad_choice", "rmsprop"),
    ({"schedule": "linear"}, "config.bad_choice", "linear"),
    ({"learn_rate": 0}, "config.bad_positive", "0"),
    ({"learn_rate": float("nan")}, "config.bad_positive", "nan"),
    ({"learn_rate": 1e6}, "config.bad_positive", "1000000.0"),
    ({"batch_size": 0}, "config.bad_int", "0"),
    ({"batch_size": 2.5}, "config.bad_int", "2.5"),
    ({"epochs": -1}, "config.bad_int", "-1"),
    ({"weight_decay": -0.1}, "config.bad_range", "-0.1"),
    ({"dropout": 1.0}, "config.bad_range", "1.0"),
    ({"val_size": -5}, "config.bad_int", "-5"),
    ({"seed": -1}, "config.bad_int", "-1"),
    ({"augment": "yes"}, "config.bad_choice", "yes"),
    ({"output": "sigmoid", "label_smoothing": 0.1}, "training.smoothing_needs_softmax", "0.1"),
])
def test_bad_settings_say_what_and_what_was_received(changes, key, shown):
    with pytest.raises(ConfigError) as caught:
        TrainConfig(**changes).validate()
    assert caught.value.key == key
    for lang in ("fr", "en"):
        text = t(key, lang=lang, **caught.value.params)
        shown_here = shown.replace("-", "\u2212")  # the true minus sign in both languages (reseau.i18n)
        assert (shown_here.replace(".", ",") if lang == "fr" else shown_here) in text  # French writes 0,1
    name = next(iter(changes))
    if key != "training.smoothing_needs_softmax" and name != "layers":
        assert name in str(caught.value)  # which setting was wrong
