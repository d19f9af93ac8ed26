"""One learning step shown number by number: the library (equal to the reference engine, bit for bit),
the derivative (its slope is a finite difference of the cost), ``reseau explain`` in both languages,
the figures ``backprop`` and ``derivative``, and the « Pas à pas » API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import numpy as np
import pytest

import reseau
from reseau import explain, faithful, figures, modelfile
from reseau.cli import run
from reseau.errors import ReseauError
from reseau.explain import Weights
from reseau.network import Network, sigmoid

DATA = Path(__file__).parent / "data"
LR = 0.01


def reference(images, labels, weights: Weights, learn_rate=LR) -> list[np.ndarray]:
    """The reference engine's weights after ``images``, from copies of ``weights``."""
    arrays = [np.array(a) for a in (weights.w_i_h, weights.w_h_o, weights.b_i_h, weights.b_h_o)]
    faithful.reference_epoch(images, labels, *arrays, learn_rate)
    return arrays


def assert_same_bits(weights: Weights, arrays: list[np.ndarray]) -> None:
    for name, theirs in zip(("w_i_h", "w_h_o", "b_i_h", "b_h_o"), arrays):
        assert np.array_equal(getattr(weights, name), theirs), name


@pytest.fixture(scope="module")
def first(train_data):
    """Seed 0's start, one step on image 0 (a 5)."""
    images, labels = train_data
    return explain.step(images[0], labels[0], Weights.document_start(0))


@pytest.fixture(scope="module")
def trained_weights(train_data):
    """The document's network after 3000 images of the reference engine (seed 3, learn_rate 0.1): a trained start."""
    images, labels = train_data
    start = Weights.document_start(3)
    return Weights(*reference(images[:3000], labels[:3000], start, 0.1))


# ---------------------------------------------------------------------------
# The step is the reference engine's, to the bit
# ---------------------------------------------------------------------------


def test_one_step_from_seed_0_is_the_reference_engines_to_the_bit(train_data, first):
    images, labels = train_data
    assert_same_bits(first.after, reference(images[:1], labels[:1], Weights.document_start(0)))


def test_many_steps_from_seed_0_are_the_reference_engines_to_the_bit(train_data):
    images, labels = train_data
    start = Weights.document_start(0)
    found = explain.steps(images[:200], labels[:200], start)
    assert_same_bits(found[-1].after, reference(images[:200], labels[:200], start))
    assert all(a.after is b.before for a, b in zip(found, found[1:]))  # each step starts where the last ended


def test_steps_from_a_trained_network_are_the_reference_engines_to_the_bit(train_data, trained_weights):
    images, labels = train_data
    found = explain.steps(images[1000:1050], labels[1000:1050], trained_weights, 0.05)
    assert_same_bits(found[-1].after, reference(images[1000:1050], labels[1000:1050], trained_weights, 0.05))
    assert np.mean([s.answer == s.digit for s in found]) > 0.5  # it is trained: most answers are right


def test_steps_from_a_saved_model_file_are_the_reference_engines_to_the_bit(train_data):
    images, labels = train_data
    weights = Weights.of_network(modelfile.load(DATA / "v0.1-faithful.safetensors").network)
    found = explain.steps(images[7:17], labels[7:17], weights)
    assert_same_bits(found[-1].after, reference(images[7:17], labels[7:17], weights))


def test_every_quantity_is_the_documents_line(train_data, first):
    """Each field is what the document's own lines give, written out here as the document writes them."""
    images, labels = train_data
    w_i_h, w_h_o, b_i_h, b_h_o = (np.array(a) for a in faithful.initial_weights(20, 0))
    img, l = images[0].reshape(784, 1), labels[0].reshape(10, 1)
    h_pre = b_i_h + w_i_h @ img
    h = 1 / (1 + np.exp(-h_pre))
    o_pre = b_h_o + w_h_o @ h
    o = 1 / (1 + np.exp(-o_pre))
    e = 1 / len(o) * np.sum((o - l) ** 2, axis=0)
    delta_o = o - l
    old_w_h_o = w_h_o.copy()
    w_h_o += -LR * delta_o @ np.transpose(h)
    delta_h = np.transpose(w_h_o) @ delta_o * (h * (1 - h))
    for name, value in [("h_pre", h_pre), ("h", h), ("o_pre", o_pre), ("o", o), ("e", e), ("delta_o", delta_o),
                        ("delta_h", delta_h), ("change_b_h_o", -LR * delta_o), ("change_b_i_h", -LR * delta_h)]:
        assert np.array_equal(getattr(first, name), value), name
    assert np.array_equal(first.delta_h_textbook, np.transpose(old_w_h_o) @ delta_o * (h * (1 - h)))
    # the document's order changes delta_h by -learn_rate * |delta_o|^2 * h^2 * (1 - h): never upwards
    gap = -LR * float(np.sum(delta_o**2)) * h**2 * (1 - h)
    assert np.allclose(first.delta_h_difference, gap, rtol=1e-9, atol=1e-15)
    assert (first.delta_h_difference <= 0).all() and np.abs(first.delta_h_difference).max() > 1e-4
    h_after = sigmoid(first.after.b_i_h + first.after.w_i_h @ img)
    assert np.array_equal(first.o_after, sigmoid(first.after.b_h_o + first.after.w_h_o @ h_after))


def test_image_0_from_seed_0_the_random_network_is_wrong_and_the_step_raises_the_5(first):
    assert first.digit == 5 and first.answer == 3 and first.answer_after == 3
    assert first.right_before == pytest.approx(0.315248, abs=1e-6)
    assert first.right_after == pytest.approx(0.328758, abs=1e-6)
    assert first.right_after > first.right_before
    assert float(first.e[0]) == pytest.approx(0.233428, abs=1e-6)
    assert first.cost_after < first.cost
    assert first.largest_changes(1)[0].name == "w_h_o[5, 1]"


def test_a_step_changes_nothing_it_was_given_and_cannot_be_changed(train_data, first):
    assert_same_bits(first.before, [np.array(a) for a in faithful.initial_weights(20, 0)])
    with pytest.raises(ValueError):
        first.delta_o[0, 0] = 1.0  # read-only
    with pytest.raises(ValueError):
        first.after.w_i_h[0, 0] = 1.0


def test_a_digit_or_a_one_hot_label_is_the_same_step(train_data, first):
    images, _ = train_data
    by_digit = explain.step(images[0], 5, Weights.document_start(0))
    assert_same_bits(by_digit.after, [first.after.w_i_h, first.after.w_h_o, first.after.b_i_h, first.after.b_h_o])


def test_largest_changes_are_the_largest_of_both_matrices(first):
    changes = first.largest_changes(6)
    sizes = [abs(c.change) for c in changes]
    assert sizes == sorted(sizes, reverse=True)
    everything = np.concatenate([first.change_w_h_o.ravel(), first.change_w_i_h.ravel()])
    assert sizes[0] == np.abs(everything).max()
    for c in changes:
        assert getattr(first.after, c.layer)[c.row, c.col] == c.before + c.change


def test_to_dict_is_json_with_every_quantity(first):
    data = json.loads(json.dumps(first.to_dict()))
    for name in ("img", "l", "h_pre", "h", "o_pre", "o", "e", "delta_o", "change_w_h_o", "change_b_h_o", "delta_h",
                 "delta_h_textbook", "delta_h_difference", "change_w_i_h", "change_b_i_h", "o_after"):
        assert name in data, name
    assert len(data["o"]) == 10 and len(data["h"]) == 20 and len(data["img"]) == 784
    assert np.shape(data["change_w_h_o"]) == (10, 20) and np.shape(data["change_w_i_h"]) == (20, 784)
    assert data["o"] == first.o.ravel().tolist() and data["digit"] == 5


def test_only_the_documents_kind_of_network_can_take_a_step():
    modern = modelfile.load(DATA / "v0.1-modern.safetensors").network
    with pytest.raises(ReseauError) as err:
        Weights.of_network(modern)
    assert err.value.key == "explain.not_document"
    deep = Network([np.zeros((5, 784)), np.zeros((5, 5)), np.zeros((10, 5))], [np.zeros(5), np.zeros(5), np.zeros(10)],
                   ["sigmoid"] * 3)
    with pytest.raises(ReseauError):
        Weights.of_network(deep)


def test_a_convolutional_network_is_told_apart_in_words(tmp_path, capsys):
    from reseau.history import History
    from reseau.modelfile import ModelInfo, SavedModel
    from reseau.training.cnn import ConvNetwork, architecture, build, initial_slots

    config = reseau.presets()["cnn"].with_(conv=(4,), kernels=(5,), dense=(8,), epochs=1)
    spec = architecture(config)
    network = ConvNetwork(spec, dict(initial_slots(build(spec), seed=0).values))
    path = modelfile.save(SavedModel(network, ModelInfo.build(config, History())), tmp_path / "cnn.safetensors")
    for lang, said in (("fr", "Ce réseau est convolutif"), ("en", "This network is convolutional")):
        assert run(["explain", "--model", str(path), "--index", "0", "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert said in err and "feature-maps" in err and "Traceback" not in err
        assert "couches ?" not in err and "layers ?" not in err  # what it said before: an unknown shape


# ---------------------------------------------------------------------------
# The derivative: delta_o is the cost's slope, the tangent's slope is a finite difference
# ---------------------------------------------------------------------------


def image_cost(weights: Weights, layer: str, row: int, col: int, value: float, img, l) -> float:
    """The cross-entropy of one image with one weight set to ``value``, by a whole forward pass (no shortcut)."""
    arrays = {name: np.array(getattr(weights, name)) for name in ("w_i_h", "w_h_o", "b_i_h", "b_h_o")}
    arrays[layer][row, col] = value
    network = Network.from_document(arrays["w_i_h"], arrays["b_i_h"], arrays["w_h_o"], arrays["b_h_o"])
    o = network.forward(np.asarray(img, dtype=np.float64).reshape(-1))  # (10,)
    l = np.asarray(l).reshape(-1)
    return float(-np.sum(l * np.log(o) + (1 - l) * np.log(1 - o)))


def central_difference(step, layer, row, col, eps=1e-6) -> float:
    value = float(getattr(step.before, layer)[row, col])
    up = image_cost(step.before, layer, row, col, value + eps, step.img, step.l)
    down = image_cost(step.before, layer, row, col, value - eps, step.img, step.l)
    return (up - down) / (2 * eps)


def test_delta_o_is_the_derivative_of_the_cost(first):
    eps = 1e-6
    for k in range(10):
        up, down = np.array(first.o_pre), np.array(first.o_pre)
        up[k] += eps
        down[k] -= eps
        slope = (explain.cost(up, first.l) - explain.cost(down, first.l)) / (2 * eps)
        assert slope == pytest.approx(first.delta_o[k, 0], abs=1e-7)


def test_the_tangents_slope_is_a_finite_difference_of_the_cost(first):
    d = explain.derivative(first)  # the weight that moved the most: w_h_o[5, 1]
    assert d.layer == "w_h_o" and (d.row, d.col) == (5, 1)
    assert d.gradient == pytest.approx(central_difference(first, "w_h_o", 5, 1), rel=1e-6)
    assert d.change == pytest.approx(-LR * d.gradient, rel=1e-12)
    assert d.cost == pytest.approx(image_cost(first.before, "w_h_o", 5, 1, d.value, first.img, first.l), rel=1e-12)
    assert d.cost_moved < d.cost  # the step goes down the slope
    middle = len(d.xs) // 2
    assert d.xs[middle] == pytest.approx(d.value) and d.costs[middle] == pytest.approx(d.cost, rel=1e-12)
    for x, c in list(zip(d.xs, d.costs))[::40]:  # the curve is the cost (the shortcut is exact)
        assert c == pytest.approx(image_cost(first.before, "w_h_o", 5, 1, x, first.img, first.l), rel=1e-10)


def test_for_w_i_h_the_textbook_slope_is_the_finite_difference_and_the_documents_differs(first):
    pixel = int(np.argmax(first.img))  # an inked pixel
    row = int(np.argmax(np.abs(first.delta_h_difference)))
    d = explain.derivative(first, "w_i_h", row, pixel)
    assert d.textbook_gradient == pytest.approx(central_difference(first, "w_i_h", row, pixel), rel=1e-5)
    assert d.gradient - d.textbook_gradient == pytest.approx(
        float(first.delta_h_difference[row, 0] * first.img[pixel, 0]), rel=1e-9
    )
    assert abs(d.gradient - d.textbook_gradient) > 1e-4
    assert d.change == float(first.change_w_i_h[row, pixel])


def test_the_figures_tangent_has_the_steps_slope(first):
    fig = figures.derivative_figure(first, 0)
    for label in ("wide", "close"):
        ax = next(a for a in fig.axes if a.get_label() == label)
        tangent = next(line for line in ax.lines if line.get_label() == "tangent")
        x, y = tangent.get_xdata(), tangent.get_ydata()
        slope = (y[-1] - y[0]) / (x[-1] - x[0])
        assert slope == pytest.approx(central_difference(first, "w_h_o", 5, 1), rel=1e-5)


def test_the_backprop_figure_has_every_panel(first):
    fig = figures.backprop_figure(first, 0)
    labels = [ax.get_label() for ax in fig.axes]
    for label in ("image", "h", "o", "delta_o", "delta_h", "o_after"):
        assert labels.count(label) == 1, label
    assert labels.count("change") == 20
    tile = next(ax for ax in fig.axes if ax.get_label() == "change").images[0].get_array()
    assert np.allclose(tile, first.change_w_i_h[0].reshape(28, 28))


# ---------------------------------------------------------------------------
# reseau explain, reseau figures backprop / derivative
# ---------------------------------------------------------------------------


def cli(capsys, *args) -> tuple[int, str, str]:
    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_explain_in_french(capsys):
    code, out, err = cli(capsys, "explain", "--index", "0")
    assert code == 0, err
    assert "Un pas d'apprentissage du document sur l'image 0 (entraînement), un 5." in out
    assert "les poids au hasard du document (graine 0)" in out
    assert ("Sortie du chiffre 5 (la bonne réponse) : 0,3152 avant le pas, 0,3288 après (+0,0135 : elle monte). "
            "Le réseau répond 3 avant comme après") in out
    for text in ("delta_o = o - l", "h_pre = b_i_h + w_i_h @ img", "w_h_o[5, 1]", "−0,6848", "(20, 784)",
                 "manuels", "écart"):
        assert text in out, text


def test_explain_in_english_with_following_steps(capsys):
    code, out, err = cli(capsys, "explain", "--index", "0", "--steps", "3", "--lang", "en")
    assert code == 0, err
    assert ("Output for digit 5 (the right answer): 0.3152 before the step, 0.3288 after (+0.0135: it goes up). "
            "The network answers 3 before and after") in out
    assert "image 1 (a 0): output for 0 0.6114 → 0.6241; answer 3 → 3" in out
    assert "image 2 (a 4): output for 4" in out
    outputs = out.split("The 10 outputs")[1].split("The hidden")[0]
    assert "\u22120.6848" in outputs and "-0." not in outputs  # the true minus sign in English too


def test_explain_json_is_the_library_step(capsys, first):
    code, out, err = cli(capsys, "explain", "--index", "0", "--steps", "2", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["steps"]) == 2 and data["learn_rate"] == LR
    one = data["steps"][0]
    assert one["o"] == first.o.ravel().tolist() and one["o_after"] == first.o_after.ravel().tolist()
    assert one["change_w_i_h"] == first.change_w_i_h.tolist()
    assert one["index"] == 0 and data["steps"][1]["index"] == 1 and one["largest_changes"][0]["name"] == "w_h_o[5, 1]"
    assert one["right_after"] > one["right_before"]


def test_explain_from_a_trained_model(capsys, tmp_path):
    model = shutil.copy(DATA / "v0.1-faithful.safetensors", tmp_path / "m.safetensors")
    code, out, err = cli(capsys, "explain", "--index", "7", "--model", model, "--lang", "en")
    assert code == 0, err
    assert f"the trained network {model}" in out and "(2, 784)" in out


@pytest.mark.parametrize("args, words", [
    (["--seed", "1", "--model", DATA / "v0.1-faithful.safetensors"], ["--seed", "--model"]),
    (["--steps", "0"], ["--steps", "1", "100", "0"]),
    (["--index", "60000"], ["60000", "59999"]),
    (["--index", "59999", "--steps", "2"], ["--steps 2", "59999"]),
    (["--lr", "-1"], ["--lr", "\u22121"]),  # a number written back with the true minus sign (reseau.i18n)
    (["--seed", "-3"], ["--seed", "\u22123"]),
    (["--model", DATA / "v0.1-modern.safetensors"], ["784-3-10", "relu, softmax", "reseau train"]),
    (["--model", DATA / "missing.safetensors"], ["missing.safetensors", "reseau train"]),
])
def test_explain_mistakes_get_one_clear_line(capsys, args, words):
    code, out, err = cli(capsys, "explain", *args)
    assert code == 2 and not out and "Traceback" not in err
    message = " ".join(err.split())
    assert message.startswith("Erreur : ")
    for word in words:
        assert str(word) in message, f"{word!r} not in {message!r}"


@pytest.mark.parametrize("kind", ["backprop", "derivative"])
def test_the_step_figures_are_written(capsys, tmp_path, kind):
    code, out, err = cli(capsys, "figures", kind, "--index", "0", "--out", tmp_path, "--dpi", "40")
    assert code == 0, err
    path = tmp_path / f"{kind}-0.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and str(path) in out
    code, out, err = cli(capsys, "figures", kind, "--index", "3", "--test", "--out", tmp_path, "--dpi", "40",
                         "--lang", "en")
    assert code == 0 and (tmp_path / f"{kind}-test-3.png").is_file() and "Figure written" in out
    code, out, err = cli(capsys, "figures", kind, "--model", DATA / "v0.1-modern.safetensors", "--out",
                         tmp_path / "bad")
    assert code == 2 and "relu, softmax" in err and not (tmp_path / "bad").exists()  # a mistake writes nothing


# ---------------------------------------------------------------------------
# The « Pas à pas » API
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(mnist_dir, tmp_path_factory):
    from reseau.web import create_app
    from reseau.web.server import BackgroundServer

    folder = tmp_path_factory.mktemp("web-step")
    path = shutil.copy(DATA / "v0.1-faithful.safetensors", folder / "model.safetensors")
    app = create_app(path, experiments_dir=folder / "experiments")
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def test_the_api_steps_as_the_library(client, train_data, test_data, first):
    start = client.post("/api/step/reset", json={"session": "session-one", "seed": 0}).json()
    assert start["steps"] == 0 and start["step"] is None and len(start["history"]) == 1
    network = Weights.document_start(0).network()
    assert start["history"][0]["accuracy"] == network.accuracy(test_data[0][:1000], test_data[1][:1000])
    answer = client.post("/api/step", json={"session": "session-one", "index": 0}).json()
    step = answer["step"]
    assert step["o"] == first.o.ravel().tolist() and step["o_after"] == first.o_after.ravel().tolist()
    assert step["right_after"] > step["right_before"] and step["digit"] == 5 and step["index"] == 0
    assert "change_w_i_h" not in step and step["delta_h"] == first.delta_h.ravel().tolist()
    assert answer["derivative"]["name"] == "w_h_o[5, 1]" and answer["derivative"]["gradient"] < 0
    assert answer["steps"] == 1 and len(answer["history"]) == 2
    # ten more, images 1 to 10, as the library does them one after the other
    answer = client.post("/api/step", json={"session": "session-one", "index": 1, "count": 10}).json()
    images, labels = train_data
    last = explain.steps(images[:11], labels[:11], Weights.document_start(0))[-1]
    assert answer["steps"] == 11 and answer["step"]["index"] == 10
    assert answer["step"]["o_after"] == last.o_after.ravel().tolist()


def test_sessions_are_apart_and_reset_goes_back_to_the_start(client):
    client.post("/api/step/reset", json={"session": "session-aaa", "seed": 0})
    client.post("/api/step/reset", json={"session": "session-bbb", "seed": 0})
    for _ in range(3):
        client.post("/api/step", json={"session": "session-aaa", "index": 0})
    other = client.post("/api/step", json={"session": "session-bbb", "index": 0}).json()
    assert other["steps"] == 1 and other["step"]["right_before"] == pytest.approx(0.315248, abs=1e-6)
    again = client.post("/api/step/reset", json={"session": "session-aaa", "seed": 0}).json()
    assert again["steps"] == 0 and len(again["history"]) == 1


def test_a_drawing_is_learned_with_its_digit(client, train_data):
    grey = np.kron(train_data[0][1].reshape(28, 28), np.ones((4, 4)))  # image 1 (a 0), drawn 112 x 112
    body = {"session": "session-draw", "drawing": {"width": 112, "height": 112,
                                                   "pixels": np.round(grey, 3).ravel().tolist()}, "label": 0}
    answer = client.post("/api/step", json=body).json()
    assert answer["step"]["source"] == "drawing" and answer["step"]["digit"] == 0
    assert answer["step"]["right_after"] > answer["step"]["right_before"]


@pytest.mark.parametrize("body, status, key", [
    ({"session": "session-err", "index": 0, "drawing": {"width": 1, "height": 1, "pixels": [1.0]}, "label": 1},
     422, "web.step.error.which"),
    ({"session": "session-err"}, 422, "web.step.error.which"),
    ({"session": "session-err", "drawing": {"width": 2, "height": 2, "pixels": [0, 0, 0, 1.0]}}, 422,
     "web.step.error.label"),
    ({"session": "session-err", "drawing": {"width": 2, "height": 2, "pixels": [0, 0, 0, 0]}, "label": 3}, 422,
     "web.step.error.empty"),
    ({"session": "session-err", "drawing": {"width": 2, "height": 2, "pixels": [0, 0, 1.0]}, "label": 3}, 422,
     "web.error.pixel_count"),
    ({"session": "session-err", "index": 59999, "count": 2}, 404, "web.error.index"),
    ({"session": "session-err", "index": 0, "count": 101}, 422, "web.error.max"),
    ({"session": "bad", "index": 0}, 422, "web.error.invalid"),
    ({"session": "session-err", "index": "0"}, 422, "web.error.integer"),
])
def test_bad_requests_get_a_clear_message(client, body, status, key):
    answer = client.post("/api/step", json=body, headers={"Accept-Language": "en"})
    assert answer.status_code == status and answer.json()["key"] == key
    assert answer.json()["detail"] and "Traceback" not in answer.text


@pytest.mark.parametrize("lang, words", [
    ("fr", ["Un pas d'apprentissage du document", "--steps", "Afficher cette aide"]),
    ("en", ["One learning step of the document", "--json", "Show this help"]),
])
def test_explain_help_in_both_languages(capsys, monkeypatch, lang, words):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = cli(capsys, "explain", "--help", "--lang", lang)
    assert code == 0
    for word in words:
        assert word in out, word
