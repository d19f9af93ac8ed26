"""Save and load trained networks as safetensors files: weights plus a JSON description.

A model file holds the tensors ``weights.0, biases.0, weights.1, ...`` and, in
the safetensors metadata, ``format = "reseau-model"``, ``format_version``,
the layer activations, an ``info`` JSON object: the :class:`ModelInfo`
record (trainer, typed configuration, dataset, per-epoch history, timings),
written and read in one place, and ``weights_sha256``: the SHA-256 of the
tensors (what is hashed: :func:`reseau.modelcheck.weights_sha256`), checked
at every load.  Nothing is ever unpickled.  Writes
are atomic: the file is written beside its target under a temporary name,
flushed, then renamed, so an interrupted save never leaves half a model; the
target must be a regular file or nothing (never a folder or a device).

A model file is something people share and download: reading trusts nothing.
The header is read alone first (its size bounded), then every part is checked
by :mod:`reseau.modelcheck` — types, shapes, the record against the layers,
the checksum, values — before a network is built.  What loads but deserves a
word (a file written before the checksum, weights all equal) is in
:attr:`SavedModel.notes`, for the commands to show.
"""

from __future__ import annotations

import errno
import io
import json
import os
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

from reseau import kinds, modelcheck, trainers
from reseau.config import Config
from reseau.drawing import DEFAULT, Preprocessing, chosen_preprocessing
from reseau.errors import DivergenceError, ModelFileError
from reseau.history import EpochReport, History
from reseau.i18n import Phrase

if TYPE_CHECKING:
    from reseau.network import Recogniser

FORMAT = "reseau-model"
FORMAT_VERSION = 1
MB = 2**20
# Our headers are 1-11 kB (the record of each epoch is ~250 bytes: 1 000 epochs, the most a config allows,
# make 250 kB); a bigger one is not a model file of ours.
MAX_HEADER = 1_000_000
# The biggest preset's file (best) is 7.5 MB, the CNNs' 0.9 MB; 1 GiB leaves room for every network a
# laptop can train here (784-4096-4096-10 in float32 is 80 MB) and refuses a multi-GB file before reading it.
MAX_FILE = 1024 * MB


DERIVED = ("test_accuracy", "train_precision", "val_accuracy", "best_epoch")  # ModelInfo's figures, from its history


@dataclass
class ModelInfo:
    """How a network was made: the record saved beside its weights, read back as the same type."""

    mode: str  # the kind of network (reseau.kinds.KINDS): "faithful", "modern", "cnn"
    config: Config  # that trainer's configuration, typed (FaithfulConfig, TrainConfig, ...)
    history: History = field(default_factory=History)  # every epoch's numbers, and the epoch kept
    dataset: str = "mnist"  # what it learned: "mnist" or "fashion-mnist"
    preset: str | None = None  # the named configuration it started from, if any
    seconds: float | None = None  # wall time of the whole training (epochs and tests)
    source: str = "cli"  # what trained it: "cli", "web", "notebook", ...
    reseau_version: str = ""  # the version of reseau that trained it
    # what is done to a drawing before this network reads it (absent from older files: what the page always did)
    preprocessing: Preprocessing = DEFAULT

    @classmethod
    def build(
        cls,
        config: Config,
        history: History,
        *,
        dataset: str = "mnist",
        preset: str | None = None,
        seconds: float | None = None,
        source: str = "cli",
    ) -> ModelInfo:
        """The record of a training that just ended, with the preprocessing chosen for its preset."""
        from reseau.version import __version__

        preprocessing = chosen_preprocessing(preset, getattr(config, "augment", None))
        return cls(config.mode, config, history, dataset, preset, seconds, source, __version__, preprocessing)

    @property
    def kept(self) -> EpochReport | None:
        """The report of the epoch whose network this is."""
        return self.history.best

    @property
    def test_accuracy(self) -> float | None:
        """% of the test images the network recognises: the final figure."""
        return self.history.test_accuracy

    @property
    def train_precision(self) -> float | None:
        """The document's "Précision" of the epoch kept."""
        return self.kept.precision if self.kept else None

    @property
    def val_accuracy(self) -> float | None:
        return self.kept.val_accuracy if self.kept else None

    @property
    def best_epoch(self) -> int | None:
        return self.history.best_epoch

    def to_dict(self) -> dict[str, Any]:
        """JSON values, every field in its place, then the derived figures (for readers that only see the JSON)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values |= {"config": self.config.to_dict(), "history": self.history.to_dict()}
        values["preprocessing"] = self.preprocessing.to_dict()
        return values | {name: getattr(self, name) for name in DERIVED}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelInfo:
        """The inverse of :meth:`to_dict`; also reads the records of version 0.1 (which had no record type)."""
        history = History.from_dict(data.get("history") or {})
        if history.test_accuracy is None and data.get("test_accuracy") is not None:
            history.test_accuracy = float(data["test_accuracy"])  # 0.1's web page kept it only at the top
        mode = data.get("mode", kinds.document().mode)  # version 0.1 trained only the document's network
        return cls(
            mode,
            trainers.config_from_dict(mode, data.get("config") or {}),
            history,
            data.get("dataset") or "mnist",
            data.get("preset"),
            data.get("seconds"),
            data.get("source", "cli"),
            data.get("reseau_version", ""),
            Preprocessing.from_dict(data.get("preprocessing")),
        )


@dataclass
class SavedModel:
    """A network and how it was made."""

    network: Recogniser  # what recognises: forward, predict, accuracy
    info: ModelInfo
    notes: list[Phrase] = field(default_factory=list)  # what loading the file found worth saying (no checksum...)


def default_path() -> Path:
    """Where ``reseau train`` saves and ``reseau predict`` looks: the user data dir."""
    import platformdirs

    env = os.environ.get("RESEAU_MODEL")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("reseau")) / "model.safetensors"


def to_bytes(model: SavedModel) -> bytes:
    from safetensors.numpy import save

    net = model.network
    metadata = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "info": json.dumps(model.info.to_dict(), allow_nan=True),
    }
    metadata[net.LAYOUT] = json.dumps(net.layout())  # "activations" of layers of neurons, or an "architecture"
    tensors = {name: np.ascontiguousarray(v) for name, v in net.parameters().items()}
    metadata[modelcheck.CHECKSUM] = modelcheck.weights_sha256(tensors)
    return save(tensors, metadata=metadata)


# What the loader refuses in a network's values -> how a training that wrote them is told (reseau.locales.check)
DIVERGED = {"model.bad_weight": "model.diverged.weight", "model.overflow": "model.diverged.overflow",
            "model.not_finite": "model.diverged.not_finite"}  # fmt: skip


def check_savable(model: SavedModel) -> None:
    """A network whose values the loader would refuse is never written: its training diverged.

    ``reseau train --mode modern --lr 100 --optimizer sgd`` learns nothing and
    ends with weights beyond :data:`~reseau.modelcheck.MAX_WEIGHT`; saving it
    would leave a file ``reseau predict`` refuses.  :class:`DivergenceError`
    says so, with the learning rate, and nothing is written.
    """
    net = model.network
    try:
        modelcheck.check_weights(net.parameters(), "-")
        modelcheck.check_largest_value(net, "-")
    except ModelFileError as exc:
        if exc.key not in DIVERGED:
            raise
        reason = Phrase(DIVERGED[exc.key], **{k: v for k, v in exc.params.items() if k != "path"})
        raise DivergenceError("model.diverged", reason=reason, lr=model.info.config.learn_rate) from None


def check_target(path: str | os.PathLike, create_folder: bool = True) -> Path:
    """Check that a model can be written at ``path``, before any work is done; return it expanded.

    The save renames a new file over ``path``: that must never replace a folder,
    a device such as ``/dev/null`` (run as root, it would become a regular file)
    or a pipe.  The folder must exist and be writable; with ``create_folder``
    (the default place, which nobody made yet), the nearest existing folder above.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise ModelFileError("model.target_is_folder", path=path)
    if os.path.lexists(path) and not path.is_file():  # a device, a pipe, a socket, a link to one of them
        raise ModelFileError("model.target_not_file", path=path)
    folder = path.parent
    while create_folder and not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise ModelFileError("model.no_folder", path=path, folder=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ModelFileError("model.cannot_write", path=path, reason=os.strerror(errno.EACCES))
    return path


def save(model: SavedModel, path: str | os.PathLike) -> Path:
    """Write ``model`` to ``path`` atomically (temporary file, fsync, rename); the folder is made if needed.

    A network the loader would refuse (a training that diverged) is not written: :func:`check_savable`.
    """
    path = check_target(path)
    check_savable(model)
    data = to_bytes(model)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a model is an ordinary file
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ModelFileError("model.cannot_write", path=path, reason=exc.strerror or exc) from None
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def from_bytes(data: bytes, source: object = "?") -> SavedModel:
    """Parse and check a model file's bytes; anything wrong raises :class:`ModelFileError`."""
    return _read(io.BytesIO(data), len(data), source)


def load(path: str | os.PathLike) -> SavedModel:
    """The model saved at ``path``: its header is read and checked first, then only the bytes it declares."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ModelFileError("model.missing", path=path)
    try:
        with path.open("rb") as f:
            return _read(f, os.fstat(f.fileno()).st_size, path)
    except OSError as exc:
        raise ModelFileError("model.corrupt", path=path, reason=exc.strerror or exc) from None


def _read(f: BinaryIO, size: int, source: object) -> SavedModel:
    """Read a model file of ``size`` bytes from ``f``, checking everything before building the network.

    A safetensors file is an 8-byte little-endian header length, the JSON
    header (the tensors' types, shapes and places; our metadata), then the
    tensors' bytes.  The header is read and checked alone first, so a huge or
    foreign file is refused after reading a few bytes (see :mod:`reseau.modelcheck`).
    """
    if size > MAX_FILE:
        raise ModelFileError("model.too_big", path=source, size=size // MB, limit=MAX_FILE // MB)
    if size < 8:
        raise ModelFileError("model.corrupt", path=source, reason=Phrase("model.reason.short", size=size))
    length = f.read(8)
    n = int.from_bytes(length, "little")
    if n > size - 8:  # the first 8 bytes are not a header length: not a safetensors file
        raise ModelFileError("model.foreign", path=source)
    if n > MAX_HEADER:
        raise ModelFileError("model.header_too_big", path=source, size=n, limit=MAX_HEADER)
    raw_header = f.read(n)
    try:
        header = modelcheck.parse_json(raw_header, "header", source)
    except ValueError:
        raise ModelFileError("model.foreign", path=source) from None
    data_size = modelcheck.check_layout(header, source)
    meta = modelcheck.check_metadata(header, source)
    if meta.get("format") != FORMAT:
        raise ModelFileError("model.foreign", path=source)
    if modelcheck.format_version(meta, source) > FORMAT_VERSION:
        raise ModelFileError("model.newer", path=source, version=meta["format_version"])
    if size != 8 + n + data_size:
        raise ModelFileError("model.truncated", path=source, size=size, expected=8 + n + data_size)
    info = _record(meta, source)
    shapes = {name: tuple(entry["shape"]) for name, entry in header.items() if name != "__metadata__"}
    layers = _layers(meta, info, shapes, source)
    tensors = _tensors(length + raw_header + f.read(data_size), source)
    notes = [modelcheck.check_checksum(meta, tensors, source)]  # damaged weights are said before their values
    modelcheck.check_weights(tensors, source)
    network = _network(info, layers, tensors, source)
    modelcheck.check_largest_value(network, source)
    notes.append(modelcheck.constant_weights(tensors, source))
    return SavedModel(network, info, [note for note in notes if note is not None])


def _json_field(meta: dict[str, str], key: str, source: object) -> Any:
    """A JSON text of the metadata, parsed (its depth bounded first)."""
    try:
        return modelcheck.parse_json(meta[key], key, source)
    except ValueError:
        raise ModelFileError("model.corrupt", path=source, reason=Phrase("model.reason.json", part=key)) from None


def _record(meta: dict[str, str], source: object) -> ModelInfo:
    """The record of how the network was made, every value of its type, the configuration within its limits."""
    data = _json_field(meta, "info", source) if "info" in meta else {}
    modelcheck.check_record(data, source)
    mode = data.get("mode", kinds.document().mode)
    if kinds.kind(mode).network_class().LAYOUT not in meta:  # the record and the layers say the same kind
        fitting = [k.mode for k in kinds.KINDS.values() if k.network_class().LAYOUT in meta]
        raise ModelFileError("model.bad_choice", path=source, field="info.mode", value=mode,
                             choices=", ".join(fitting) or "-")  # fmt: skip
    config = modelcheck.check_config(mode, data.get("config") or {}, source)
    info = ModelInfo.from_dict(data)
    info.config = config
    return info


def _layers(meta: dict[str, str], info: ModelInfo, shapes: dict[str, tuple[int, ...]], source: object) -> Any:
    """The layers the metadata declares, checked against the tensors' shapes, the dataset's classes and the
    record (its kind and configuration give the layers: they must be these)."""
    from reseau.data import DATASETS

    classes = len(DATASETS[info.dataset].class_names)
    key = kinds.kind(info.mode).network_class().LAYOUT  # present: checked with the record
    layers = _json_field(meta, key, source)
    LAYER_CHECKS[key](layers, shapes, classes, source)
    modelcheck.check_agreement(info, layers, shapes, classes, source)
    return layers


LAYER_CHECKS = {"activations": modelcheck.dense_layers, "architecture": modelcheck.conv_layers}  # LAYOUT -> check


def _tensors(data: bytes, source: object) -> dict[str, np.ndarray]:
    from safetensors.numpy import load as parse

    try:
        return parse(data)
    except Exception as exc:  # safetensors raises its own error types
        raise ModelFileError("model.corrupt", path=source, reason=str(exc)[:200]) from None


def _network(info: ModelInfo, layers: Any, tensors: dict[str, np.ndarray], source: object) -> Recogniser:
    """The network the file describes (its layers already checked), of the class its kind makes."""
    try:
        return kinds.kind(info.mode).network_class().from_parameters(layers, tensors)
    except (KeyError, ValueError, TypeError) as exc:  # not expected after the checks; still no traceback
        raise ModelFileError("model.corrupt", path=source, reason=str(exc)[:200]) from None
