"""Fuzzing the model loader: crafted and mutated model files, through modelfile.load and `reseau predict`.

The only outcomes allowed: the file loads (and then the network answers finite
numbers for any image), or a ModelFileError / a clean exit 2 with a message,
never a traceback.  Each test runs a fixed number of examples, so the suite
stays in the CI's time; ``RESEAU_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_model.py``
runs a longer search.  The number of inputs tried is printed at the end.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseau import modelfile
from reseau.cli import run
from reseau.errors import ModelFileError
from reseau.history import EpochReport, History
from reseau.modelfile import ModelInfo, SavedModel
from reseau.network import Network
from reseau.training import TrainConfig, cnn

EXAMPLES = int(os.environ.get("RESEAU_FUZZ_EXAMPLES", "200"))  # per hypothesis test
CLI_EXAMPLES = max(10, EXAMPLES // 8)  # a CLI run that loads a model also reads MNIST and draws a figure
TRIED: Counter[str] = Counter()  # inputs tried, by test
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", autouse=True)
def report_count(request):
    """Print how many inputs were tried (the closing note of a change quotes it)."""
    yield
    counts = ", ".join(f"{name} {n}" for name, n in sorted(TRIED.items()))
    print_past_capture(request, f"model files fuzzed: {sum(TRIED.values())} inputs ({counts})")


def print_past_capture(request, line: str) -> None:
    """A line on the terminal even while pytest captures the output (as ``capsys.disabled()`` does)."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("\n" + line)


# ---------------------------------------------------------------------------
# Two small valid models, and ways to change them
# ---------------------------------------------------------------------------


def history() -> History:
    report = EpochReport(0, 50, 100, 40.0, 0.5, val_accuracy=41.0, loss=1.2, learn_rate=0.05)
    return History([report], best_epoch=0, test_accuracy=40.0)


def dense_bytes() -> bytes:
    rng = np.random.default_rng(0)
    net = Network([rng.normal(0, 0.1, (8, 784)).astype(np.float32), rng.normal(0, 0.1, (10, 8)).astype(np.float32)],
                  [np.zeros(8, np.float32), np.zeros(10, np.float32)], ["relu", "softmax"])
    return modelfile.to_bytes(SavedModel(net, ModelInfo.build(TrainConfig(layers=(8,)), history())))


def conv_bytes() -> bytes:
    config = cnn.CNNConfig(conv=(2,), kernels=(5,), dense=(4,))
    spec = cnn.architecture(config)
    params = {k: v.copy() for k, v in cnn.initial_slots(cnn.build(spec), 0).values.items()}
    return modelfile.to_bytes(SavedModel(cnn.ConvNetwork(spec, params), ModelInfo.build(config, history())))


DENSE, CONV = dense_bytes(), conv_bytes()
IMAGES = np.random.default_rng(1).random((4, 784)).astype(np.float32)  # pixels in [0, 1]
IMAGES[0], IMAGES[1] = 0.0, 1.0  # a black and a white image


def split(data: bytes) -> tuple[dict, bytes]:
    n = int.from_bytes(data[:8], "little")
    return json.loads(data[8 : 8 + n]), data[8 + n :]


def join(header: dict | str, body: bytes) -> bytes:
    text = (header if isinstance(header, str) else json.dumps(header)).encode()
    return len(text).to_bytes(8, "little") + text + body


def edit_meta(data: bytes, key: str, value: object) -> bytes:
    header, body = split(data)
    header["__metadata__"][key] = value
    return join(header, body)


def edit_info(data: bytes, change: Callable[[dict], None]) -> bytes:
    header, _ = split(data)
    info = json.loads(header["__metadata__"]["info"])
    change(info)
    return edit_meta(data, "info", json.dumps(info))


def edit_tensors(data: bytes, **arrays: np.ndarray | None) -> bytes:
    """The file with tensors replaced (``name=array``) or removed (``name=None``); ``weights_0`` for ``weights.0``.

    Its checksum is computed again, as whoever crafts a file can: what is tested is the checks behind it.
    """
    from safetensors.numpy import load, save

    from reseau import modelcheck

    header, _ = split(data)
    tensors = load(data)
    for key, array in arrays.items():
        name = key.replace("_", ".", 1) if key.startswith(("weights_", "biases_")) else key.replace("__", ".")
        if array is None:
            tensors.pop(name)
        else:
            tensors[name] = array
    metadata = header["__metadata__"] | {modelcheck.CHECKSUM: modelcheck.weights_sha256(tensors)}
    return save(tensors, metadata=metadata)


def with_checksum(data: bytes) -> bytes:
    """The file with its weights' checksum computed again for the tensors it holds now (64 hex digits in place of
    64: nothing else moves), as whoever crafts a file can."""
    from safetensors.numpy import load

    from reseau import modelcheck

    written = split(data)[0]["__metadata__"][modelcheck.CHECKSUM]
    return data.replace(written.encode(), modelcheck.weights_sha256(load(data)).encode(), 1)


def edit_spec(data: bytes, change: Callable[[list], None]) -> bytes:
    header, _ = split(data)
    spec = json.loads(header["__metadata__"]["architecture"])
    change(spec)
    return edit_meta(data, "architecture", json.dumps(spec))


def deep_layers(n: int, value: float) -> bytes:
    """A relu network 784-8-...-8-10 whose weights are all ``value``."""
    sizes = [784] + [8] * (n - 1) + [10]
    net = Network([np.full((b, a), value, np.float32) for a, b in zip(sizes, sizes[1:])],
                  [np.zeros(b, np.float32) for b in sizes[1:]], ["relu"] * (n - 1) + ["softmax"])
    return modelfile.to_bytes(SavedModel(net, ModelInfo.build(TrainConfig(layers=(8,) * (n - 1)), history())))


def setitem(path: str, value: object) -> Callable[[dict], None]:
    """A change that sets ``info[a][b]...`` (path ``"a.b"``; numbers index lists)."""

    def change(info: dict) -> None:
        *parents, last = path.split(".")
        node: object = info
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]  # type: ignore[index]
        node[int(last) if isinstance(node, list) else last] = value  # type: ignore[index]

    return change


def delitem(path: str) -> Callable[[dict], None]:
    def change(info: dict) -> None:
        *parents, last = path.split(".")
        node: object = info
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]  # type: ignore[index]
        del node[last]  # type: ignore[attr-defined]

    return change


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# ---------------------------------------------------------------------------
# Crafted files: each hole found in the loader, and what it says now
# ---------------------------------------------------------------------------

CRAFTED: dict[str, tuple[Callable[[], bytes], str]] = {
    # metadata of the wrong type or shape
    "info is a list": (lambda: edit_meta(DENSE, "info", "[1, 2]"), "model.bad_type"),
    "history is a list": (lambda: edit_info(DENSE, setitem("history", [])), "model.bad_type"),
    "epochs is an object": (lambda: edit_info(DENSE, setitem("history.epochs", {})), "model.bad_type"),
    "an epoch is a number": (lambda: edit_info(DENSE, setitem("history.epochs.0", 3)), "model.bad_type"),
    "an epoch without seconds": (lambda: edit_info(DENSE, delitem("history.epochs.0.seconds")),
                                 "model.missing_field"),
    "an epoch of zero images": (lambda: edit_info(DENSE, setitem("history.epochs.0.n_images", 0)), "model.bad_value"),
    "accuracy as text": (lambda: edit_info(DENSE, setitem("test_accuracy", "93")), "model.bad_type"),
    "seconds infinite": (lambda: edit_info(DENSE, setitem("seconds", float("inf"))), "model.bad_type"),
    "mode unknown": (lambda: edit_info(DENSE, setitem("mode", "quantum")), "model.bad_choice"),
    "mode says cnn": (lambda: edit_info(DENSE, setitem("mode", "cnn")), "model.bad_choice"),
    "dataset unknown": (lambda: edit_info(DENSE, setitem("dataset", "cifar")), "model.bad_choice"),
    "config is a list": (lambda: edit_info(DENSE, setitem("config", [1])), "model.bad_type"),
    "layers as text": (lambda: edit_info(DENSE, setitem("config.layers", "8")), "model.bad_type"),
    "epochs as a float": (lambda: edit_info(DENSE, setitem("config.epochs", 1.5)), "model.bad_type"),
    "a config out of range": (lambda: edit_info(DENSE, setitem("config.epochs", 10**9)), "model.bad_config"),
    "format version not a number": (lambda: edit_meta(DENSE, "format_version", "one"), "model.bad_version"),
    "format version 1.5": (lambda: edit_meta(DENSE, "format_version", "1.5"), "model.bad_version"),
    "a metadata value not a string": (lambda: edit_meta(DENSE, "format_version", 1), "model.bad_type"),
    "metadata is a list": (lambda: join({**split(DENSE)[0], "__metadata__": ["x"]}, split(DENSE)[1]),
                           "model.bad_type"),
    "deeply nested info": (lambda: edit_meta(DENSE, "info", nested(100_000)), "model.too_deep"),
    "deeply nested header": (lambda: join('{"x": ' + nested(100_000) + "}", b""), "model.too_deep"),
    "activations not a list": (lambda: edit_meta(DENSE, "activations", '"relu"'), "model.bad_type"),
    "activation unknown": (lambda: edit_meta(DENSE, "activations", '["relu", "gelu"]'), "model.bad_choice"),
    "no activations": (lambda: edit_meta(DENSE, "activations", "[]"), "model.layer_count"),
    # layers that disagree with the tensors
    "one layer more than tensors": (lambda: edit_meta(DENSE, "activations", '["relu", "relu", "softmax"]'),
                                    "model.missing_tensor"),
    "one layer fewer than tensors": (lambda: edit_meta(DENSE, "activations", '["softmax"]'), "model.bad_output"),
    "an extra tensor": (lambda: edit_tensors(DENSE, extra=np.zeros(3, np.float32)), "model.extra_tensor"),
    "a missing bias": (lambda: edit_tensors(DENSE, biases_1=None), "model.missing_tensor"),
    "input 783": (lambda: edit_tensors(DENSE, weights_0=np.zeros((8, 783), np.float32)), "model.bad_input"),
    "output 9": (lambda: edit_tensors(DENSE, weights_1=np.zeros((9, 8), np.float32), biases_1=np.zeros(9, np.float32)),
                 "model.bad_output"),
    "a bias of the wrong size": (lambda: edit_tensors(DENSE, biases_0=np.zeros(7, np.float32)), "model.bad_shape"),
    "weights of one dimension": (lambda: edit_tensors(DENSE, weights_1=np.zeros(80, np.float32)), "model.bad_shape"),
    "a zero-size layer": (lambda: edit_tensors(DENSE, weights_0=np.zeros((0, 784), np.float32),
                                               biases_0=np.zeros(0, np.float32),
                                               weights_1=np.zeros((10, 0), np.float32)), "model.empty_layer"),
    # weights that are not weights
    "integer weights": (lambda: edit_tensors(DENSE, weights_1=np.ones((10, 8), np.int32)), "model.bad_dtype"),
    "boolean weights": (lambda: edit_tensors(DENSE, weights_1=np.ones((10, 8), bool)), "model.bad_dtype"),
    "bfloat16 in the header": (lambda: join(json.dumps(split(DENSE)[0]).replace('"F32"', '"BF16"', 1),
                                            split(DENSE)[1]), "model.bad_dtype"),
    "1e308": (lambda: edit_tensors(DENSE, weights_0=np.full((8, 784), 1e308)), "model.bad_weight"),
    "2e6": (lambda: edit_tensors(DENSE, biases_1=np.full(10, 2e6, np.float32)), "model.bad_weight"),
    "NaN": (lambda: edit_tensors(DENSE, biases_0=np.full(8, np.nan, np.float32)), "model.not_finite"),
    "infinity": (lambda: edit_tensors(DENSE, biases_0=np.full(8, -np.inf, np.float32)), "model.not_finite"),
    "values that overflow in deep layers": (lambda: deep_layers(6, 9e5), "model.overflow"),
    # the convolutional network's layers
    "architecture an object": (lambda: edit_meta(CONV, "architecture", '{"type": "conv"}'), "model.bad_type"),
    "a layer type unknown": (lambda: edit_spec(CONV, setitem("1.type", "lstm")), "model.bad_choice"),
    "a layer field unknown": (lambda: edit_spec(CONV, setitem("1.evil", 1)), "model.bad_choice"),
    "a layer size as text": (lambda: edit_spec(CONV, setitem("0.k", "5")), "model.bad_type"),
    "a layer field missing": (lambda: edit_spec(CONV, delitem("0.c_out")), "model.missing_field"),
    "three input channels": (lambda: edit_spec(CONV, setitem("0.c_in", 3)), "model.bad_layer"),
    "a kernel bigger than the image": (lambda: edit_spec(CONV, setitem("0.k", 30)), "model.bad_layer"),
    "dense before flatten": (lambda: edit_spec(CONV, lambda s: s.insert(0, dict(s[5], name="early"))),
                             "model.bad_layer"),
    "no output layer": (lambda: edit_spec(CONV, lambda s: s.pop()), "model.bad_output"),
    "an empty dense layer": (lambda: edit_spec(CONV, setitem("5.n_out", 0)), "model.empty_layer"),
    "two layers of one name": (lambda: edit_spec(CONV, setitem("1.name", "conv0")), "model.bad_choice"),
    "a dropout rate of 1": (lambda: edit_spec(CONV, setitem("7.rate", 1)), "model.bad_value"),
    "a negative variance": (lambda: edit_tensors(CONV, bn0__var=np.full(2, -1.0, np.float32)), "model.bad_value"),
    "a conv tensor reshaped": (lambda: edit_tensors(CONV, conv0__w=np.zeros((5, 10), np.float32)),
                               "model.bad_shape"),
    # the file itself
    "padded": (lambda: DENSE + b"\0" * 16, "model.truncated"),
    "cut in the tensors": (lambda: DENSE[:-16], "model.truncated"),
    "a header of 2 MB": (lambda: join(json.dumps(split(DENSE)[0]) + " " * 2_000_000, split(DENSE)[1]),
                         "model.header_too_big"),
    "a header length beyond the file": (lambda: (10**6).to_bytes(8, "little") + b"{}", "model.foreign"),
    "random bytes": (lambda: bytes(np.random.default_rng(3).integers(0, 256, 5000, np.uint8)), "model.foreign"),
}


@pytest.mark.parametrize("name", list(CRAFTED))
def test_a_crafted_file_is_refused_with_what_is_wrong(name, tmp_path):
    make, key = CRAFTED[name]
    path = tmp_path / "crafted.safetensors"
    path.write_bytes(make())
    TRIED["crafted"] += 1
    with pytest.raises(ModelFileError) as err:
        modelfile.load(path)
    assert err.value.key == key, str(err.value)
    for lang in ("fr", "en"):  # a sentence in each language, naming the file
        from reseau.i18n import t

        assert str(path) in t(err.value.key, lang, **err.value.params)


@pytest.mark.parametrize("name", ["info is a list", "deeply nested info", "mode says cnn", "input 783", "output 9",
                                  "a zero-size layer", "integer weights", "1e308",
                                  "values that overflow in deep layers", "three input channels",
                                  "a negative variance", "a dropout rate of 1", "a header of 2 MB"])
def test_a_crafted_file_through_the_command_line(name, tmp_path, capsys):
    make, key = CRAFTED[name]
    path = tmp_path / "crafted.safetensors"
    path.write_bytes(make())
    TRIED["crafted (cli)"] += 1
    assert run(["predict", "--model", str(path), "--index", "0", "--save", str(tmp_path / "p.png")]) == 2
    stdout, stderr = capsys.readouterr()
    assert "Traceback" not in stderr and stderr.startswith("Erreur : ") and str(path) in " ".join(stderr.split())
    assert not stdout and not (tmp_path / "p.png").exists()  # no answer, no figure: nothing garbage


def test_the_bases_load_and_answer():
    for data in (DENSE, CONV):
        model = modelfile.from_bytes(data, "base")
        assert model.network.forward(IMAGES).shape == (4, 10)


def test_overflow_would_have_answered_nan():
    """The crafted deep network really answers NaN when it is built without the checks (the test is not vacuous)."""
    from safetensors.numpy import load

    tensors = load(deep_layers(6, 9e5))
    net = Network([tensors[f"weights.{k}"] for k in range(6)], [tensors[f"biases.{k}"] for k in range(6)],
                  ["relu"] * 5 + ["softmax"])
    with np.errstate(all="ignore"):
        assert np.isnan(net.forward(IMAGES[1])).any()


# ---------------------------------------------------------------------------
# Mutated files (hypothesis)
# ---------------------------------------------------------------------------


def outcome(data: bytes, source: str = "fuzz") -> None:
    """The one property: a clean refusal, or a network that answers finite numbers for any image."""
    try:
        model = modelfile.from_bytes(data, source)
    except ModelFileError as exc:
        assert str(exc)  # a message, rendered
        return
    with np.errstate(all="ignore"):
        o = model.network.forward(IMAGES)
    assert o.shape == (4, 10) and np.isfinite(o).all()


@FUZZ
@given(base=st.sampled_from(["dense", "conv"]), flips=st.lists(st.tuples(st.integers(0, 2**40), st.integers(1, 255)),
                                                                min_size=1, max_size=4),
       cut=st.none() | st.integers(0, 2**40))
def test_flipped_bytes_and_truncations(base, flips, cut):
    data = bytearray(DENSE if base == "dense" else CONV)
    header_end = 8 + int.from_bytes(data[:8], "little")
    for where, xor in flips:  # half the flips in the header, where they matter most
        position = where % header_end if where % 2 else where % len(data)
        data[position] ^= xor
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    TRIED["bytes"] += 1
    outcome(bytes(data))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value: ``("history", "epochs", 0, "seconds")``."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            found += paths(value, (*prefix, k))
    return found


def replace_at(node: object, path: tuple, value: object) -> object:
    if not path:
        return value
    node[path[0]] = replace_at(node[path[0]], path[1:], value)  # type: ignore[index]
    return node


@FUZZ
@given(base=st.sampled_from(["dense", "conv"]), part=st.sampled_from(["header", "info", "layers"]), data=st.data())
def test_json_edits_of_the_header_and_metadata(base, part, data):
    """One value anywhere in the header, the record or the layers replaced by any JSON value."""
    original = DENSE if base == "dense" else CONV
    header, body = split(original)
    meta = header["__metadata__"]
    key = {"info": "info", "layers": "activations" if base == "dense" else "architecture"}.get(part)
    tree = header if key is None else json.loads(meta[key])
    path = data.draw(st.sampled_from(paths(tree)))
    value = data.draw(JSON_VALUES)
    tree = replace_at(tree, path, value)
    if key is None:
        mutated = join(json.dumps(tree), body)
    else:
        meta[key] = json.dumps(tree)
        mutated = join(header, body)
    TRIED["json"] += 1
    outcome(mutated)


@FUZZ
@given(numbers=st.lists(st.floats(width=32) | st.sampled_from([1e6, -1e6, 1e7, 3e38]), min_size=1, max_size=6),
       where=st.integers(0, 2**40), base=st.sampled_from(["dense", "conv"]))
def test_weights_of_any_value(numbers, where, base):
    """Any float32 values written over the weights: NaN, infinities, huge, tiny, negative variances."""
    data = bytearray(DENSE if base == "dense" else CONV)
    start = 8 + int.from_bytes(data[:8], "little")
    values = np.array(numbers, np.float32).tobytes()
    at = start + 4 * (where % ((len(data) - start - len(values)) // 4))
    data[at : at + len(values)] = values
    TRIED["weights"] += 1
    outcome(with_checksum(bytes(data)))  # the values' checks, not the checksum's (that one: flipped bytes above)


@FUZZ
@given(blob=st.binary(max_size=4000), length=st.none() | st.integers(0, 2**64 - 1))
def test_random_bytes(blob, length):
    data = blob if length is None else length.to_bytes(8, "little") + blob
    TRIED["random"] += 1
    outcome(data)


@settings(max_examples=CLI_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(base=st.sampled_from(["dense", "conv"]), flips=st.lists(st.tuples(st.integers(0, 2**40), st.integers(1, 255)),
                                                                min_size=1, max_size=3))
def test_mutated_files_through_the_command_line(base, flips, tmp_path_factory, capsys):
    folder = tmp_path_factory.mktemp("cli")
    data = bytearray(DENSE if base == "dense" else CONV)
    header_end = 8 + int.from_bytes(data[:8], "little")
    for where, xor in flips:
        data[where % header_end] ^= xor  # in the header: most are refused before the images are read
    path = folder / "m.safetensors"
    path.write_bytes(bytes(data))
    TRIED["cli"] += 1
    code = run(["predict", "--model", str(path), "--index", "0", "--save", str(folder / "p.png")])
    stdout, stderr = capsys.readouterr()
    assert code in (0, 2) and "Traceback" not in stderr
    if code == 2:
        assert stderr.startswith("Erreur : ") and not (folder / "p.png").exists()
    else:
        assert "Image 0" in stdout and (folder / "p.png").is_file()

