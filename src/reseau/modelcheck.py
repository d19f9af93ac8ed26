"""What a model file must hold before a network is built from it: every check of an untrusted file.

A model file is something people share and download, so nothing in it is
trusted.  :mod:`reseau.modelfile` reads a file in this order and calls these
checks as it goes, each raising :class:`ModelFileError` that names what is
wrong (in French and English):

1. the JSON texts: their nesting is bounded *before* they are parsed
   (:func:`parse_json`);
2. the header's table of tensors: floating-point types only, and the bytes
   they declare, checked against the file's size before the tensors are read
   (:func:`check_layout`);
3. the metadata and the record (:class:`~reseau.modelfile.ModelInfo`): every
   value of the JSON type the record's schema says (:func:`check_record`),
   the configuration within the trainer's own limits (:func:`check_config`);
4. the layers against the tensors: input 784 pixels, output one value per
   class, no empty layer, every shape consistent (:func:`dense_layers`,
   :func:`conv_layers`);
5. what the record says against the layers: the sizes its configuration
   gives, the activations (or the CNN's architecture) its kind and
   configuration give (:func:`check_agreement`);
6. the tensors' bytes against the SHA-256 the file carries (:func:`weights_sha256`,
   :func:`check_checksum`);
7. the values: finite, within :data:`MAX_WEIGHT`, and no image can make any
   layer's values overflow (:func:`check_weights`, :func:`check_largest_value`).

What is not wrong but worth saying (no checksum, weights all equal) comes
back as notes (:class:`~reseau.i18n.Phrase`), shown by whoever loaded the file.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Collection
from dataclasses import fields
from typing import Any

import numpy as np

from reseau.errors import ConfigError, ModelFileError
from reseau.i18n import Phrase
from reseau.training.convlayers import BN_EPSILON  # the batch-norm layer's own (numpy only)

MAX_DEPTH = 8  # nesting of any JSON text: ours go 4 deep (info -> history -> epochs -> one epoch)
FLOAT_DTYPES = {"F16": 2, "F32": 4, "F64": 8}  # safetensors type -> bytes per value (reseau writes F32 and F64)
MAX_LAYERS = 64  # dense layers (modern: at most 8 hidden) or CNN layers (cnn: about 15)
INPUT = 784  # pixels of a 28 x 28 image
SIDE = 28
# Trained weights here stay below 10 in absolute value (a batch-norm variance of 8 is the largest in the
# presets); the document's trainer at its largest learning rate (1000) learns nothing but writes weights up
# to 3.5e5, and that file is the program's own, so it must load.  1e6 refuses only what no training here
# writes: 1e308 overflows the first sum to inf and every answer to NaN.
MAX_WEIGHT = 1e6
# The largest value any image with pixels in [0, 1] can produce in any layer (a bound computed from the
# weights, see check_largest_value) must stay far below float32's 3.4e38; the presets' is at most 6e6.
MAX_VALUE = 1e30

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')  # a JSON string, escapes included
_OPEN, _CLOSE = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)


def parse_json(text: str | bytes, part: str, source: object) -> Any:
    """Parse ``text`` after checking that it nests at most :data:`MAX_DEPTH` deep.

    Python's parser recurses once per level: 100 000 ``[`` would exhaust the
    stack.  The brackets are counted first, strings left out, with no recursion.
    A text that is not JSON raises ``ValueError`` (the caller says what it is).
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    codes = np.frombuffer(_STRING.sub(b'""', raw), np.uint8)  # (n,) the bytes outside strings
    steps = np.isin(codes, _OPEN).astype(np.int64) - np.isin(codes, _CLOSE)  # +1 opens, -1 closes
    if steps.size and int(np.cumsum(steps).max()) > MAX_DEPTH:
        raise ModelFileError("model.too_deep", path=source, part=part, limit=MAX_DEPTH)
    return json.loads(raw)


# ---------------------------------------------------------------------------
# JSON types, as the messages name them
# ---------------------------------------------------------------------------


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type; NaN and infinities are named apart (JSON has no such number)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number" if math.isfinite(value) else "NaN" if value != value else "Infinity"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object" if isinstance(value, dict) else type(value).__name__


def expect(value: object, types: tuple[str, ...], field: str, source: object) -> None:
    """``value`` is of one of the JSON ``types`` (an integer is a number too), else :class:`ModelFileError`."""
    found = json_type(value)
    if found not in types and not (found == "integer" and "number" in types):
        raise ModelFileError("model.bad_type", path=source, field=field, expected=" | ".join(types), found=found)


def expect_choice(value: object, choices: Collection[str], field: str, source: object) -> None:
    """``value`` is one of ``choices``, else :class:`ModelFileError` listing them."""
    if value not in choices:
        raise ModelFileError("model.bad_choice", path=source, field=field, value=value, choices=", ".join(choices))


def expect_fields(data: dict, schema: dict[str, tuple[str, ...]], where: str, source: object) -> None:
    """Each key of ``schema`` present in ``data`` holds one of its types; other keys are ignored (newer files)."""
    for key, types in schema.items():
        if key in data:
            expect(data[key], types, f"{where}.{key}", source)


# ---------------------------------------------------------------------------
# The header: tensors and metadata
# ---------------------------------------------------------------------------


def check_layout(header: object, source: object) -> int:
    """Check the header's table of tensors; return the number of data bytes it declares.

    Each entry is ``{"dtype": "F32", "shape": [20, 784], "data_offsets": [begin, end]}``;
    the data of all tensors follows the header, back to back.
    """
    if not isinstance(header, dict):
        raise ModelFileError("model.foreign", path=source)
    spans = []
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        where = f"header.{name}"
        expect(entry, ("object",), where, source)
        expect(entry.get("dtype"), ("string",), where + ".dtype", source)
        expect(entry.get("shape"), ("array",), where + ".shape", source)
        expect(entry.get("data_offsets"), ("array",), where + ".data_offsets", source)
        for k, n in enumerate(entry["shape"]):
            expect(n, ("integer",), f"{where}.shape[{k}]", source)
        if entry["dtype"] not in FLOAT_DTYPES:
            raise ModelFileError("model.bad_dtype", path=source, tensor=name, dtype=entry["dtype"])
        offsets = entry["data_offsets"]
        ok = len(offsets) == 2 and all(json_type(x) == "integer" for x in offsets) and 0 <= offsets[0] <= offsets[1]
        ok = ok and min(entry["shape"], default=0) >= 0
        if not ok or offsets[1] - offsets[0] != math.prod(entry["shape"]) * FLOAT_DTYPES[entry["dtype"]]:
            raise ModelFileError("model.corrupt", path=source, reason=f"{where}: {entry['shape']} {offsets}")
        spans.append(offsets)
    end = 0
    for begin, stop in sorted(spans):  # back to back, no gap, no overlap
        if begin != end:
            raise ModelFileError("model.corrupt", path=source, reason=Phrase("model.reason.gap", begin=begin, end=end))
        end = stop
    return end


def check_metadata(header: dict, source: object) -> dict[str, str]:
    """The header's ``__metadata__``: an object of strings (the safetensors format says so)."""
    meta = header.get("__metadata__") or {}
    expect(meta, ("object",), "__metadata__", source)
    for key, value in meta.items():
        expect(value, ("string",), f"__metadata__.{key}", source)
    return meta


def format_version(meta: dict[str, str], source: object) -> int:
    """The file's format version: a whole number written as text ("1")."""
    text = meta.get("format_version", "0")
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        raise ModelFileError("model.bad_version", path=source, version=text[:40])
    return int(text)


# ---------------------------------------------------------------------------
# The record (ModelInfo.to_dict) and its configuration
# ---------------------------------------------------------------------------

RECORD = {
    "mode": ("string",),
    "config": ("object", "null"),
    "history": ("object", "null"),
    "dataset": ("string", "null"),
    "preset": ("string", "null"),
    "seconds": ("number", "null"),
    "source": ("string",),
    "reseau_version": ("string",),
    "test_accuracy": ("number", "null"),
    "train_precision": ("number", "null"),
    "val_accuracy": ("number", "null"),
    "best_epoch": ("integer", "null"),
    "preprocessing": ("object", "null"),
}
HISTORY = {"epochs": ("array",), "best_epoch": ("integer", "null"), "test_accuracy": ("number", "null")}
EPOCH = {
    "epoch": ("integer",),
    "nr_correct": ("integer",),
    "n_images": ("integer",),
    "test_accuracy": ("number", "null"),
    "seconds": ("number",),
    "val_accuracy": ("number", "null"),
    "loss": ("number", "null", "NaN"),  # version 0.1 wrote NaN for "not measured"
    "learn_rate": ("number", "null"),
    "precision": ("number",),
}
PREPROCESSING: dict[str, tuple[str, ...]] = {"normalise_stroke": ("boolean",), "stroke": ("number",), "pen": ("array",)}
STROKE_LIMITS = (0.5, 10.0)  # a stroke thickness aimed at, in pixels of the 28x28 field
PEN_LIMITS = (-3.0, 3.0)  # 3x3 steps the pen may change: beyond, the drawing is erased or filled (and slow)
EPOCH_REQUIRED = ("epoch", "nr_correct", "n_images", "test_accuracy", "seconds")  # EpochReport has no default


def check_record(info: object, source: object) -> None:
    """The record's JSON has the types of :class:`~reseau.modelfile.ModelInfo`'s fields, at every level."""
    from reseau import data, kinds

    expect(info, ("object",), "info", source)
    assert isinstance(info, dict)
    expect_fields(info, RECORD, "info", source)
    expect_choice(info.get("mode", kinds.document().mode), kinds.KINDS, "info.mode", source)
    expect_choice(info.get("dataset") or "mnist", data.DATASETS, "info.dataset", source)
    check_preprocessing(info.get("preprocessing") or {}, source)
    history = info.get("history") or {}
    expect_fields(history, HISTORY, "info.history", source)
    for k, epoch in enumerate(history.get("epochs", [])):
        where = f"info.history.epochs[{k}]"
        expect(epoch, ("object",), where, source)
        for key in EPOCH_REQUIRED:
            if key not in epoch:
                raise ModelFileError("model.missing_field", path=source, field=f"{where}.{key}")
        expect_fields(epoch, EPOCH, where, source)
        if epoch["n_images"] < 1:  # the printed precision divides by it
            raise ModelFileError("model.bad_value", path=source, field=f"{where}.n_images",
                                 value=epoch["n_images"], expected="≥ 1")  # fmt: skip


def check_preprocessing(data: dict, source: object) -> None:
    """The preprocessing recorded (:class:`reseau.drawing.Preprocessing`): its types, and bounds that keep the
    drawing's preparation short (the pen's loop runs once per 3x3 step)."""
    where = "info.preprocessing"
    expect_fields(data, PREPROCESSING, where, source)
    if "stroke" in data and not STROKE_LIMITS[0] <= data["stroke"] <= STROKE_LIMITS[1]:
        raise ModelFileError("model.bad_value", path=source, field=f"{where}.stroke", value=data["stroke"],
                             expected=f"{STROKE_LIMITS[0]} – {STROKE_LIMITS[1]}")  # fmt: skip
    pen = data.get("pen", [PEN_LIMITS[0], PEN_LIMITS[1]])
    for k, value in enumerate(pen):
        expect(value, ("number",), f"{where}.pen[{k}]", source)
    low, high = PEN_LIMITS
    if len(pen) != 2 or not low <= pen[0] <= 0 <= pen[1] <= high:
        raise ModelFileError("model.bad_value", path=source, field=f"{where}.pen", value=pen,
                             expected=f"[{low} – 0, 0 – {high}]")  # fmt: skip


def check_config(mode: str, values: dict[str, Any], source: object) -> Any:
    """The trainer's typed configuration from the record: each field of its type, then within its limits."""
    from reseau import trainers

    cls = trainers.config_class(mode)
    values = cls.upgrade(values)
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in values:
            continue
        value, where = values[f.name], f"info.config.{f.name}"
        if isinstance(f.default, tuple):  # sizes of layers: an array of whole numbers
            expect(value, ("array",), where, source)
            for k, n in enumerate(value):
                expect(n, ("integer",), f"{where}[{k}]", source)
        else:
            kind = {bool: "boolean", int: "integer", float: "number", str: "string"}[type(f.default)]
            expect(value, (kind,), where, source)
    try:
        return trainers.config_from_dict(mode, values).validate()
    except ConfigError as exc:
        field, value = exc.params.get("field", "config"), exc.params.get("value", "")
        raise ModelFileError("model.bad_config", path=source, field=f"info.config.{field}", value=value) from None


# ---------------------------------------------------------------------------
# Layers against tensors
# ---------------------------------------------------------------------------


def check_tensor_names(
    tensors: dict[str, tuple[int, ...]], expected: dict[str, tuple[int, ...]], source: object
) -> None:
    """The file holds exactly the tensors the layers need, each of the shape they need."""
    for name, shape in expected.items():
        if name not in tensors:
            raise ModelFileError("model.missing_tensor", path=source, tensor=name)
        if tuple(tensors[name]) != tuple(shape):
            raise ModelFileError("model.bad_shape", path=source, tensor=name, shape=list(tensors[name]),
                                 expected=list(shape))  # fmt: skip
    for name in tensors:
        if name not in expected:
            raise ModelFileError("model.extra_tensor", path=source, tensor=name)


def dense_layers(activations: object, shapes: dict[str, tuple[int, ...]], classes: int, source: object) -> None:
    """Layers of neurons: ``weights.k (n_out, n_in)`` and ``biases.k (n_out,)``, from 784 inputs to ``classes``."""
    from reseau.network import ACTIVATIONS

    expect(activations, ("array",), "activations", source)
    assert isinstance(activations, list)
    if not 1 <= len(activations) <= MAX_LAYERS:
        raise ModelFileError("model.layer_count", path=source, count=len(activations), limit=MAX_LAYERS)
    for k, name in enumerate(activations):
        expect(name, ("string",), f"activations[{k}]", source)
        expect_choice(name, ACTIVATIONS, f"activations[{k}]", source)
    n_in = INPUT
    expected: dict[str, tuple[int, ...]] = {}
    for k in range(len(activations)):
        w = shapes.get(f"weights.{k}")
        if w is None:
            raise ModelFileError("model.missing_tensor", path=source, tensor=f"weights.{k}")
        if len(w) != 2:
            raise ModelFileError("model.bad_shape", path=source, tensor=f"weights.{k}", shape=list(w),
                                 expected=["n_out", n_in])  # fmt: skip
        if k == 0 and w[1] != INPUT:
            raise ModelFileError("model.bad_input", path=source, size=w[1])
        if w[0] < 1:
            raise ModelFileError("model.empty_layer", path=source, layer=f"weights.{k}")
        expected[f"weights.{k}"], expected[f"biases.{k}"] = (w[0], n_in), (w[0],)
        n_in = w[0]
    if n_in != classes:
        raise ModelFileError("model.bad_output", path=source, size=n_in, classes=classes)
    check_tensor_names(shapes, expected, source)


# The fields of each CNN layer (reseau.training.cnn.architecture): sizes are whole numbers.
LAYER_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "conv": {"c_in": ("integer",), "c_out": ("integer",), "k": ("integer",)},
    "pool": {},
    "batchnorm": {"c": ("integer",)},
    "relu": {},
    "flatten": {},
    "dense": {"n_in": ("integer",), "n_out": ("integer",)},
    "dropout": {"rate": ("number",)},
}


def conv_layers(spec: object, shapes: dict[str, tuple[int, ...]], classes: int, source: object) -> None:
    """A convolutional network's layers: each field of its type, each layer fed the shape it takes.

    The values flow as ``(h, w, c)`` from the image ``(28, 28, 1)`` to ``flatten``,
    then as ``(n,)`` to the output ``(classes,)``.
    """
    expect(spec, ("array",), "architecture", source)
    assert isinstance(spec, list)
    if not 1 <= len(spec) <= MAX_LAYERS:
        raise ModelFileError("model.layer_count", path=source, count=len(spec), limit=MAX_LAYERS)
    names: set[str] = set()
    shape: tuple[int, ...] = (SIDE, SIDE, 1)  # what the next layer receives
    for k, item in enumerate(spec):
        where = f"architecture[{k}]"
        expect(item, ("object",), where, source)
        expect(item.get("type"), ("string",), where + ".type", source)
        expect(item.get("name"), ("string",), where + ".name", source)
        kind = item["type"]
        expect_choice(kind, LAYER_FIELDS, where + ".type", source)
        allowed = sorted({"type", "name", *LAYER_FIELDS[kind]})
        for key in item:
            expect_choice(key, allowed, where, source)
        for key, types in LAYER_FIELDS[kind].items():
            if key not in item:
                raise ModelFileError("model.missing_field", path=source, field=f"{where}.{key}")
            expect(item[key], types, f"{where}.{key}", source)
        if item["name"] in names:
            raise ModelFileError("model.bad_choice", path=source, field=where + ".name", value=item["name"],
                                 choices="-")  # fmt: skip
        names.add(item["name"])
        shape = _layer_output(item, shape, where, source)
    if shape != (classes,):
        raise ModelFileError("model.bad_output", path=source, size="x".join(map(str, shape)), classes=classes)
    from reseau.convnet import build

    expected = {name: shape for layer in build(spec) for name, shape in layer.shapes().items()}
    check_tensor_names(shapes, expected, source)


def _layer_output(item: dict[str, Any], shape: tuple[int, ...], where: str, source: object) -> tuple[int, ...]:
    """The shape layer ``item`` gives for input ``shape``; :class:`ModelFileError` if it cannot take it."""
    kind = item["type"]
    for key in ("c_out", "n_out", "c"):
        if key in item and item[key] < 1:
            raise ModelFileError("model.empty_layer", path=source, layer=item["name"])
    if kind == "dropout" and not 0 <= item["rate"] < 1:
        raise ModelFileError("model.bad_value", path=source, field=where + ".rate", value=item["rate"],
                             expected="0 ≤ rate < 1")  # fmt: skip
    fits = {
        "conv": len(shape) == 3 and shape[2] == item.get("c_in") and 1 <= item.get("k", 0) <= min(shape[:2]),
        "pool": len(shape) == 3 and min(shape[:2]) >= 2,
        "batchnorm": shape[-1] == item.get("c"),
        "flatten": len(shape) == 3,
        "dense": len(shape) == 1 and shape[0] == item.get("n_in"),
    }.get(kind, True)  # relu, dropout: any shape
    if not fits:
        raise ModelFileError("model.bad_layer", path=source, layer=item["name"], kind=kind,
                             shape="x".join(map(str, shape)))  # fmt: skip
    if kind == "conv":
        return (shape[0] - item["k"] + 1, shape[1] - item["k"] + 1, item["c_out"])
    if kind == "pool":
        return (shape[0] // 2, shape[1] // 2, shape[2])
    if kind == "flatten":
        return (math.prod(shape),)
    if kind == "dense":
        return (item["n_out"],)
    return shape


# ---------------------------------------------------------------------------
# The record against the layers
# ---------------------------------------------------------------------------


def check_agreement(info: Any, layout: Any, shapes: dict[str, tuple[int, ...]], classes: int, source: object) -> None:
    """What the record says agrees with the layers (already checked against the tensors).

    The layers are those its configuration trains (``config.layout()``: the
    activations, or a convolutional network's architecture; the document's
    network is sigmoid, sigmoid by definition), of the sizes it gives
    (``config.hidden_sizes()``).  A contradiction is a :class:`ModelFileError`
    naming the two facts that disagree: the record says a faithful 784-20-10
    network while its weights are 784-8000-10, or a document network whose
    metadata says « softmax ».
    """
    from reseau import kinds

    key = kinds.kind(info.mode).network_class().LAYOUT
    AGREEMENT[key](info, layout, shapes, classes, source)


def _dense_agreement(info: Any, layout: list[str], shapes: dict[str, tuple[int, ...]], classes: int,
                     source: object) -> None:  # fmt: skip
    """Layers of neurons: the sizes of the configuration, then its activations."""
    kind = Phrase(f"kind.{info.mode}")
    said = [INPUT, *info.config.hidden_sizes(), classes]
    found = [INPUT, *(shapes[f"weights.{k}"][0] for k in range(len(layout)))]  # weights.k (n_out, n_in)
    if said != found:
        raise ModelFileError("model.contradicts_sizes", path=source, kind=kind, record="-".join(map(str, said)),
                             weights="-".join(map(str, found)))  # fmt: skip
    expected = info.config.layout()
    if list(layout) != expected:
        raise ModelFileError("model.contradicts_activations", path=source, kind=kind, expected=", ".join(expected),
                             found=", ".join(layout))  # fmt: skip


def _conv_agreement(info: Any, layout: list[dict[str, Any]], shapes: dict[str, tuple[int, ...]], classes: int,
                    source: object) -> None:  # fmt: skip
    """A convolutional network: its architecture (sizes included) is, layer for layer, its configuration's."""
    _same_architecture(info.config.layout(), layout, source)


def _same_architecture(expected: list[dict[str, Any]], found: list[dict[str, Any]], source: object) -> None:
    """The file's architecture is, layer for layer, the one its configuration builds; else the first that differs."""
    for k in range(max(len(expected), len(found))):
        said = expected[k] if k < len(expected) else None
        written = found[k] if k < len(found) else None
        if said != written:
            raise ModelFileError("model.contradicts_architecture", path=source, layer=k + 1,
                                 expected=_describe_layer(said), found=_describe_layer(written))  # fmt: skip


def _describe_layer(item: dict[str, Any] | None) -> str | Phrase:
    """A layer in a few words: ``conv0 (conv, c_in 1, c_out 32, k 5)``; none: « aucune couche »."""
    if item is None:
        return Phrase("model.no_layer")
    details = ", ".join([str(item.get("type")), *(f"{key} {item[key]}" for key in item if key not in ("type", "name"))])
    return f"{item.get('name')} ({details})"


AGREEMENT: dict[str, Callable[..., None]] = {
    "activations": _dense_agreement,
    "architecture": _conv_agreement,
}  # a network's LAYOUT -> its check


# ---------------------------------------------------------------------------
# The weights' checksum
# ---------------------------------------------------------------------------

CHECKSUM = "weights_sha256"  # the metadata key that holds it (64 hexadecimal digits)
# NumPy's type name -> safetensors' (a model file holds only floats; the others for a file crafted in a test)
DTYPE_NAMES = {
    **{"float16": "F16", "float32": "F32", "float64": "F64", "bool": "BOOL", "uint8": "U8", "int8": "I8"},
    **{"int16": "I16", "uint16": "U16", "int32": "I32", "uint32": "U32", "int64": "I64", "uint64": "U64"},
}


def weights_sha256(tensors: dict[str, np.ndarray]) -> str:
    """The SHA-256 of a network's tensors, as 64 lower-case hexadecimal digits (the ``weights_sha256`` key).

    What is hashed, tensor after tensor in the sorted order of their names
    (by Unicode code point, Python's ``sorted``):

    1. the line ``["weights.0","F32",[20,784]]`` followed by a newline (byte 10): the name,
       the safetensors type and the shape as compact JSON (``json.dumps`` with
       ``separators=(",", ":")``, non-ASCII escaped), in UTF-8;
    2. the values, in row-major (C) order, as little-endian bytes of that type.

    The line ends at its newline (JSON writes a newline inside a string as
    ``\\n``) and the values' length follows from the type and shape, so two
    different sets of tensors never hash the same bytes.  The checksum proves
    the weights were not damaged (a flipped bit, a cut copy); it does not say
    who wrote them: anyone who changes the weights can compute it again.
    """
    digest = hashlib.sha256()
    for name in sorted(tensors):
        values = tensors[name]
        line = json.dumps([name, DTYPE_NAMES[values.dtype.name], list(values.shape)], separators=(",", ":"))
        digest.update(line.encode("utf-8") + b"\n")
        digest.update(np.ascontiguousarray(values, values.dtype.newbyteorder("<")).tobytes())
    return digest.hexdigest()


def check_checksum(meta: dict[str, str], tensors: dict[str, np.ndarray], source: object) -> Phrase | None:
    """The tensors are those the file's checksum was computed on; a file written before it: a note.

    A mismatch is a :class:`ModelFileError` (the weights changed since they were written).
    """
    if CHECKSUM not in meta:
        return Phrase("model.note.no_checksum", path=source)
    if weights_sha256(tensors) != meta[CHECKSUM]:
        raise ModelFileError("model.checksum", path=source)
    return None


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def constant_weights(tensors: dict[str, np.ndarray], source: object) -> Phrase | None:
    """A note when every weight tensor holds one value (all zero, or each constant): the network cannot tell
    images apart.

    The output layer's neurons then all receive the same sum: only their biases
    differ, so every image gets the same answer.  Biases, batch-norm statistics
    are not weights (``weights.k`` of layers of neurons, ``name.w`` of a CNN).
    """
    weights = [v for name, v in tensors.items() if name.startswith("weights.") or name.endswith(".w")]
    if not weights or any(v.size and (v != v.flat[0]).any() for v in weights):
        return None
    values = {float(v.flat[0]) for v in weights if v.size}
    if values <= {0.0}:
        return Phrase("model.note.zero_weights", path=source)
    return Phrase("model.note.constant_weights", path=source)


def check_weights(tensors: dict[str, np.ndarray], source: object) -> None:
    """Every value finite and within ``±MAX_WEIGHT``; batch-norm variances not negative (a square root follows)."""
    for name, values in tensors.items():
        if values.size == 0:
            continue
        if not np.isfinite(values).all():
            raise ModelFileError("model.not_finite", path=source, tensor=name)
        largest = float(np.abs(values).max())
        if largest > MAX_WEIGHT:
            raise ModelFileError("model.bad_weight", path=source, tensor=name, value=largest, limit=MAX_WEIGHT)
        if name.endswith(".var") and values.min() < 0:
            raise ModelFileError("model.bad_value", path=source, field=name, value=float(values.min()),
                                 expected="≥ 0")  # fmt: skip


def check_largest_value(network: Any, source: object) -> None:
    """No image can make any layer's values overflow: a bound on every value, computed from the weights.

    With pixels in [0, 1], a value of a dense layer is at most
    ``max over neurons of sum |w| * bound_in + |b|`` (every weight pushing the
    same way); sigmoid, tanh and softmax bring it back to 1.  The bound is
    loose but safe; a network whose bound passes :data:`MAX_VALUE` could
    answer ``inf`` or ``NaN`` for some image, so it is refused.
    """
    BOUNDS[network.LAYOUT](network, source)


def _dense_bound(network: Any, source: object) -> None:
    bound = 1.0  # the pixels
    for k, (w, b, activation) in enumerate(zip(network.weights, network.biases, network.activations)):
        bound = _affine_bound(np.abs(w).sum(axis=1, dtype=np.float64), b, bound)  # |w| (n_out, n_in)
        _check_bound(bound, f"weights.{k}", source)
        if activation in ("sigmoid", "tanh", "softmax"):
            bound = 1.0


def _conv_bound(network: Any, source: object) -> None:
    bound, p = 1.0, network.params  # the pixels
    for item in network.spec:
        name = item["name"]
        if item["type"] in ("conv", "dense"):  # W (n_in, n_out): a column per output
            bound = _affine_bound(np.abs(p[name + ".w"]).sum(axis=0, dtype=np.float64), p[name + ".b"], bound)
        elif item["type"] == "batchnorm":  # (x - mean) / sqrt(var + eps) * gamma + beta, per channel (c,)
            scale = np.abs(p[name + ".gamma"]) / np.sqrt(p[name + ".var"].astype(np.float64) + BN_EPSILON)
            bound = float(((bound + np.abs(p[name + ".mean"])) * scale + np.abs(p[name + ".beta"])).max())
        _check_bound(bound, name, source)


BOUNDS = {"activations": _dense_bound, "architecture": _conv_bound}  # a network's LAYOUT -> its bound check


def _affine_bound(column_sums: np.ndarray, bias: np.ndarray, bound: float) -> float:
    """``max |x @ W + b|`` for ``|x| <= bound``: ``column_sums`` is ``sum |W|`` per output."""
    return float((column_sums * bound + np.abs(bias.astype(np.float64))).max(initial=0.0))


def _check_bound(bound: float, layer: str, source: object) -> None:
    if not bound <= MAX_VALUE:  # also catches NaN
        raise ModelFileError("model.overflow", path=source, layer=layer, bound=bound, limit=MAX_VALUE)
