"""The convolutional network: compiled loops equal to the NumPy ones, every gradient checked against
finite differences (float64), a short real-MNIST training, the model file, the command line."""

from __future__ import annotations

import numpy as np
import pytest

from reseau import modelfile, trainers
from reseau.convnet import ConvNetwork, build, forward
from reseau.errors import ConfigError
from reseau.history import History
from reseau.modelfile import ModelInfo, SavedModel
from reseau.training import convlayers as C
from reseau.training import losses
from reseau.training.cnn import architecture, backward, initial_slots
from reseau.training.cnn_config import PRESETS, CNNConfig

RNG = np.random.default_rng(0)


def numeric_gradient(array: np.ndarray, loss, eps: float = 1e-6) -> np.ndarray:
    """d(loss)/d(array) by central differences, one element at a time (``array`` is changed in place)."""
    grad = np.zeros_like(array)
    flat, out = array.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        up = loss()
        flat[i] = keep - eps
        down = loss()
        flat[i] = keep
        out[i] = (up - down) / (2 * eps)
    return grad


def check_layer(layer, x: np.ndarray, shapes_scale: float = 0.5):
    """Compare a layer's backward pass with finite differences of ``sum(forward(x) * r)`` (a random linear loss)."""
    slots = C.Slots(layer.shapes(), np.float64)
    slots.flat[:] = RNG.normal(0, shapes_scale, slots.flat.shape)
    for name, value in slots.values.items():
        if name.endswith(".var"):
            value[:] = np.abs(value) + 0.5
    r = RNG.normal(size=layer.forward(x, slots.values, True).shape)

    def loss():
        return float((layer.forward(x, slots.values, True) * r).sum())

    loss()
    dx = layer.backward(r, slots.values, slots.grads)
    if dx is not None:
        numeric_x = numeric_gradient(x, loss)
        assert np.abs(dx).max() > 1e-3  # not vacuous
        np.testing.assert_allclose(dx, numeric_x, rtol=1e-5, atol=1e-7)
    learned = [n for n in slots.values if not n.endswith((".mean", ".var"))]
    for name in learned:
        numeric = numeric_gradient(slots.values[name], loss)
        got = slots.grads[name]
        assert np.abs(got).max() > 1e-3, name
        np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-7, err_msg=name)


# ---------------------------------------------------------------------------
# The compiled loops are the NumPy ones
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape, k", [((3, 12, 12, 4), 5), ((2, 28, 28, 1), 5), ((2, 7, 9, 3), 3)])
def test_im2col_and_col2im_match_numpy_and_are_adjoint(shape, k):
    x = RNG.random(shape)
    cols = C.im2col(x, k)
    assert np.array_equal(cols, C.im2col_numpy(x, k))
    c = RNG.random(cols.shape)
    np.testing.assert_allclose(C.col2im(c, shape, k), C.col2im_numpy(c, shape, k), rtol=1e-12)
    assert np.vdot(cols, c) == pytest.approx(np.vdot(x, C.col2im(c, shape, k)))  # <Ax, c> = <x, A^T c>


def test_max_pool_matches_numpy_and_routes_the_gradient_to_the_winner():
    x = RNG.random((2, 9, 8, 3))  # odd height: the last row is dropped, as numpy's version does
    pool = C.MaxPool("p")
    y = pool.forward(x, {}, True)
    expected, where = C.max_pool_numpy(x)
    assert np.array_equal(y, expected) and np.array_equal(pool.cache[0], where)
    dx = pool.backward(np.ones_like(y), {}, {})
    assert dx.sum() == y.size and set(np.unique(dx)) == {0.0, 1.0}
    assert np.array_equal(x[dx == 1], np.sort(x[dx == 1])[np.argsort(np.argsort(x[dx == 1]))])  # winners kept


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-12), (np.float32, 2e-5)])
def test_batch_norm_compiled_matches_numpy(dtype, tolerance):
    """Training forward and backward, compiled, against the NumPy formulas (float64 sums either way up to
    rounding; the network trains in float32)."""
    x = (RNG.normal(size=(6, 5, 4, 3)) * [1.0, 40.0, 0.01] + [0.0, 300.0, -2.0]).astype(dtype)  # unlike channels
    gamma, beta = RNG.normal(size=3).astype(dtype), RNG.normal(size=3).astype(dtype)
    bn = C.BatchNorm("bn", 3)
    p = {"bn.gamma": gamma, "bn.beta": beta, "bn.mean": np.zeros(3, dtype), "bn.var": np.ones(3, dtype)}
    y = bn.forward(x, p, training=True)
    y_np, x_hat, inv_std, mean, var = C.batch_norm_numpy(x.astype(np.float64), gamma, beta)
    np.testing.assert_allclose(y, y_np, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(bn.batch_stats[0], mean, rtol=tolerance)
    np.testing.assert_allclose(bn.batch_stats[1], var, rtol=tolerance)
    dy = RNG.normal(size=x.shape).astype(dtype)
    g = {name: np.full(3, np.nan, dtype) for name in p}
    dx = bn.backward(dy, p, g)
    dx_np, dgamma, dbeta = C.batch_norm_backward_numpy(dy.astype(np.float64), x_hat, inv_std, gamma)
    np.testing.assert_allclose(dx, dx_np, rtol=tolerance, atol=tolerance * np.abs(dx_np).max())
    np.testing.assert_allclose(g["bn.gamma"], dgamma, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(g["bn.beta"], dbeta, rtol=tolerance, atol=tolerance)
    assert not g["bn.mean"].any() and not g["bn.var"].any()  # statistics, not learned


# ---------------------------------------------------------------------------
# Every gradient against finite differences (float64)
# ---------------------------------------------------------------------------


def test_conv_gradients():
    check_layer(C.Conv("conv", c_in=3, c_out=4, k=3), RNG.normal(size=(2, 6, 5, 3)))


def test_pool_gradient():
    check_layer(C.MaxPool("pool"), RNG.normal(size=(2, 6, 6, 3)))


def test_batch_norm_gradients():
    check_layer(C.BatchNorm("bn", 3), RNG.normal(size=(4, 3, 3, 3)))


def test_dense_and_relu_gradients():
    check_layer(C.Dense("dense", 7, 5), RNG.normal(size=(4, 7)))
    check_layer(C.ReLU("relu"), RNG.normal(size=(4, 7)) + 0.05)  # away from the kink at 0


def test_whole_network_gradient_with_batch_norm():
    """The loss of the real architecture (small), through every layer, against finite differences."""
    config = CNNConfig(conv=(3, 4), kernels=(3, 3), dense=(6,), batch_norm=True, dropout=0.0)
    layers = build(architecture(config))
    slots = initial_slots(layers, 0)
    slots64 = C.Slots({n: v.shape for n, v in slots.values.items()}, np.float64)
    slots64.flat[:] = slots.flat
    x = RNG.random((3, 784))
    targets = np.eye(10)[[1, 4, 7]]

    def loss():
        z = forward(layers, slots64.values, x, training=True)
        return losses.loss_value("softmax", z, targets)

    z = forward(layers, slots64.values, x, training=True)
    o = losses.output_values("softmax", z)
    backward(layers, slots64.values, slots64.grads, losses.output_delta(o, targets))
    analytic = slots64.grad.copy()
    stats = np.zeros_like(analytic, bool)
    for name, value in slots64.values.items():
        if name.endswith((".mean", ".var")):  # running statistics: not learned, and changed by each forward
            stats[np.isin(np.arange(len(analytic)), np.arange(value.size) + _offset(slots64, name))] = True
    picked = RNG.choice(np.flatnonzero(~stats), 60, replace=False)
    keep = slots64.flat.copy()
    numeric = []
    for i in picked:
        for sign in (1, -1):
            slots64.flat[:] = keep
            slots64.flat[i] += sign * 1e-6
            numeric.append(loss())
    slots64.flat[:] = keep
    numeric = (np.array(numeric[0::2]) - np.array(numeric[1::2])) / 2e-6
    assert np.abs(analytic[picked]).max() > 1e-3
    np.testing.assert_allclose(analytic[picked], numeric, rtol=1e-4, atol=1e-7)


def _offset(slots: C.Slots, name: str) -> int:
    return int((slots.values[name].__array_interface__["data"][0] - slots.flat.__array_interface__["data"][0])
               // slots.flat.itemsize)


def test_a_wrong_gradient_fails_the_check():
    """The checks above would catch a mistake: the same comparison with a wrong backward pass fails."""
    layer = C.Conv("conv", c_in=2, c_out=2, k=2)
    layer.backward = lambda dy, p, g: C.Conv.backward(layer, dy * 1.01, p, g)  # 1 % off
    with pytest.raises(AssertionError):
        check_layer(layer, RNG.normal(size=(2, 4, 4, 2)))


# ---------------------------------------------------------------------------
# Settings, model file, training on real MNIST
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("changes, key", [
    ({"conv": (32, 64, 64), "kernels": (5, 5, 5)}, "cnn.too_small"), ({"kernels": (9, 3)}, "config.bad_int"),
    ({"kernels": (5,)}, "cnn.kernels"),
    ({"conv": (0,)}, "config.bad_int"), ({"augment": "wild"}, "config.bad_choice"),
    ({"learn_rate": 0}, "config.bad_positive"), ({"dense": (10_000,)}, "config.bad_int"),
])
def test_bad_settings_are_clear(changes, key):
    with pytest.raises(ConfigError) as caught:
        CNNConfig(**changes).validate()
    assert caught.value.key == key and "Traceback" not in str(caught.value)


def test_presets_are_registered_at_the_front_door():
    assert trainers.presets()["cnn"] == PRESETS["cnn"] and trainers.presets()["dessin"].augment == "drawing"
    config, name = trainers.configure("cnn", None, {"epochs": 2})
    assert name == "cnn" and config.epochs == 2 and config.mode == "cnn"


def test_model_file_round_trip(tmp_path):
    config = CNNConfig(conv=(4, 8), dense=(16,), batch_norm=True)  # kernels 5 then 3
    layers = build(architecture(config))
    slots = initial_slots(layers, 3)
    net = ConvNetwork(architecture(config), slots.values)
    model = SavedModel(net, ModelInfo.build(config, History(), preset="cnn"))
    loaded = modelfile.load(modelfile.save(model, tmp_path / "c.safetensors"))
    assert isinstance(loaded.network, ConvNetwork) and loaded.info.config == config
    x = RNG.random((5, 784)).astype(np.float32)
    assert np.array_equal(loaded.network.forward(x), net.forward(x))
    assert loaded.network.filters(0).shape == (4, 5, 5, 1) and loaded.network.feature_maps(x[0]).shape == (12, 12, 4)
    assert loaded.network.feature_maps(x[0], block=1).shape == (5, 5, 8)


def test_many_images_in_two_threads_read_as_one_at_a_time(test_data):
    """Over PREDICT_BATCH images the network reads two parts at a time in two threads: each image gets the
    outputs it gets alone, in its own row (2 345 images: three parts and a short one)."""
    from reseau.convnet import PREDICT_BATCH, softmax

    config = CNNConfig(conv=(4, 8), dense=(16,))
    net = ConvNetwork(architecture(config), initial_slots(build(architecture(config)), 5).values)
    x = test_data[0][: 2 * PREDICT_BATCH + 345]
    o = net.forward(x)
    alone = np.concatenate([softmax(net.logits(x[k : k + 1])) for k in range(0, len(x), 7)])
    np.testing.assert_allclose(o[::7], alone, rtol=1e-5, atol=1e-7)
    assert len(o) == len(x) and len(set(o.argmax(axis=1))) > 1


def one_test_image_in_five(test_data):
    """2 000 of the 10 000 test images, taken across the whole set (its first half is the harder one):
    measuring a short training on them is five times quicker and tells the same (each epoch is tested)."""
    return test_data[0][::5], test_data[1][::5]


def test_a_short_real_training_learns(train_data, test_data):
    """6 000 images, 2 epochs: far above chance (10 %) on test images."""
    images, labels = train_data[0][:6000], train_data[1][:6000]
    test = one_test_image_in_five(test_data)
    reports = []
    network, history = trainers.train(images, labels, PRESETS["cnn"].with_(epochs=2), test=test,
                                      on_epoch=reports.append)
    assert len(reports) == 2 and history.best_epoch == 1
    assert history.test_accuracy > 93 and network.accuracy(*test) == history.test_accuracy
    assert reports[1].loss < reports[0].loss


def test_the_drawing_preset_trains_on_augmented_images(train_data, test_data):
    images, labels = train_data[0][:6000], train_data[1][:6000]
    network, history = trainers.train(images, labels, PRESETS["dessin"].with_(epochs=2),
                                      test=one_test_image_in_five(test_data))
    assert history.test_accuracy > 85


def test_the_two_halves_of_a_batch_add_up_to_the_whole_batchs_gradient(train_data):
    """Data parallelism changes nothing without batch norm and dropout: the gradient the runner adds up
    from its two threads equals the gradient of the whole batch computed at once."""
    from reseau.training.cnn import _Runner
    from reseau.training.trainer import prepare

    config = CNNConfig(conv=(4, 6), dense=(8,), batch_norm=False, dropout=0.0, batch_size=37)
    x, targets, digits = prepare(train_data[0][:37], train_data[1][:37], config)
    spec = architecture(config)
    slots = initial_slots(build(spec), 0)
    whole = C.Slots({n: v.shape for n, v in slots.values.items()}, np.float32)
    layers = build(spec)
    o = losses.output_values("softmax", forward(layers, slots.values, x, training=True))
    backward(layers, slots.values, whole.grads, losses.output_delta(o, targets))
    run = _Runner(config.with_(learn_rate=1e-12), spec, slots, (x, targets, digits), None)  # a step changing nothing
    run.step(x, targets, digits)
    assert np.abs(whole.grad).max() > 1e-3
    np.testing.assert_allclose(slots.grad, whole.grad, rtol=1e-4, atol=1e-6)


def test_training_is_repeatable(train_data):
    images, labels = train_data[0][:1280], train_data[1][:1280]
    config = CNNConfig(conv=(4, 8), dense=(16,), epochs=1)
    first, _ = trainers.train(images, labels, config)
    second, _ = trainers.train(images, labels, config)
    assert all(np.array_equal(first.params[k], second.params[k]) for k in first.params)
