"""Save and load trained networks as safetensors files: weights plus a JSON description.

A model file holds the tensors ``weights.0, biases.0, weights.1, ...`` and, in
the safetensors metadata, ``format = "reseau-model"``, ``format_version``,
the layer activations, and an ``info`` JSON object: the :class:`ModelInfo`
record (trainer, typed configuration, dataset, per-epoch history, timings),
written and read in one place.  Nothing is ever unpickled.  Writes
are atomic: the file is written beside its target under a temporary name,
flushed, then renamed, so an interrupted save never leaves half a model.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reseau import trainers
from reseau.config import Config
from reseau.errors import ConfigError, ModelFileError
from reseau.history import EpochReport, History
from reseau.network import Network

if TYPE_CHECKING:
    from reseau.training.cnn import ConvNetwork

FORMAT = "reseau-model"
FORMAT_VERSION = 1
MAX_HEADER = 10_000_000  # bytes; a bigger header is not a model file of ours


@dataclass
class ModelInfo:
    """How a network was made: the record saved beside its weights, read back as the same type."""

    mode: str  # the trainer (reseau.trainers.KINDS): "faithful" or "modern"
    config: Config  # that trainer's configuration, typed (FaithfulConfig, TrainConfig, ...)
    history: History = field(default_factory=History)  # every epoch's numbers, and the epoch kept
    dataset: str = "mnist"  # what it learned: "mnist" or "fashion-mnist"
    preset: str | None = None  # the named configuration it started from, if any
    seconds: float | None = None  # wall time of the whole training (epochs and tests)
    source: str = "cli"  # what trained it: "cli", "web", "notebook", ...
    reseau_version: str = ""  # the version of reseau that trained it

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
        """The record of a training that just ended."""
        from reseau import __version__

        return cls(config.mode, config, history, dataset, preset, seconds, source, __version__)

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
        """JSON values; the derived figures are written too, for readers that only see the JSON."""
        return {
            "mode": self.mode,
            "config": self.config.to_dict(),
            "history": self.history.to_dict(),
            "dataset": self.dataset,
            "preset": self.preset,
            "seconds": self.seconds,
            "source": self.source,
            "reseau_version": self.reseau_version,
            "test_accuracy": self.test_accuracy,
            "train_precision": self.train_precision,
            "val_accuracy": self.val_accuracy,
            "best_epoch": self.best_epoch,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelInfo:
        """The inverse of :meth:`to_dict`; also reads the records of version 0.1 (which had no record type)."""
        history = History.from_dict(data.get("history") or {})
        if history.test_accuracy is None and data.get("test_accuracy") is not None:
            history.test_accuracy = float(data["test_accuracy"])  # 0.1's web page kept it only at the top
        mode = data.get("mode", "faithful")
        return cls(
            mode,
            trainers.config_from_dict(mode, data.get("config") or {}),
            history,
            data.get("dataset") or "mnist",
            data.get("preset"),
            data.get("seconds"),
            data.get("source", "cli"),
            data.get("reseau_version", ""),
        )


@dataclass
class SavedModel:
    """A network and how it was made."""

    network: Network | ConvNetwork  # what recognises: forward, predict, accuracy
    info: ModelInfo


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
    if isinstance(net, Network):  # layers of neurons: weights.k, biases.k and their activations
        tensors = {}
        for k, (w, b) in enumerate(zip(net.weights, net.biases)):
            tensors[f"weights.{k}"] = np.ascontiguousarray(w)
            tensors[f"biases.{k}"] = np.ascontiguousarray(b)
        metadata["activations"] = json.dumps(net.activations)
    else:  # a convolutional network: its parameters by name and its layers as data
        tensors = {name: np.ascontiguousarray(v) for name, v in net.params.items()}
        metadata["architecture"] = json.dumps(net.spec)
    return save(tensors, metadata=metadata)


def save(model: SavedModel, path: str | os.PathLike) -> Path:
    """Write ``model`` to ``path`` atomically (temporary file, fsync, rename)."""
    path = Path(path).expanduser()
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
    from safetensors.numpy import load

    _check_header(data, source)
    try:
        tensors = load(data)
    except Exception as exc:  # safetensors raises its own error types
        raise ModelFileError("model.corrupt", path=source, reason=str(exc)[:200]) from None
    meta = _metadata(data)
    if meta.get("format") != FORMAT:
        raise ModelFileError("model.foreign", path=source)
    if int(meta.get("format_version", "0")) > FORMAT_VERSION:
        raise ModelFileError("model.newer", path=source, version=meta.get("format_version"))
    try:
        info = ModelInfo.from_dict(json.loads(meta.get("info", "{}")))
        network = _network(meta, tensors)
    except (KeyError, ValueError, TypeError, ConfigError) as exc:
        raise ModelFileError("model.corrupt", path=source, reason=str(exc)[:200]) from None
    if not network.all_finite():
        raise ModelFileError("model.corrupt", path=source, reason="non-finite weights")
    return SavedModel(network, info)


def _network(meta: dict[str, Any], tensors: dict[str, np.ndarray]) -> Network | ConvNetwork:
    """The network the file describes: layers of neurons, or a convolutional network."""
    if "architecture" in meta:
        from reseau.training.cnn import ConvNetwork

        return ConvNetwork(json.loads(meta["architecture"]), tensors)
    activations = json.loads(meta["activations"])
    n = len(activations)
    return Network([tensors[f"weights.{k}"] for k in range(n)], [tensors[f"biases.{k}"] for k in range(n)], activations)


def load(path: str | os.PathLike) -> SavedModel:
    path = Path(path).expanduser()
    if not path.is_file():
        raise ModelFileError("model.missing", path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError("model.corrupt", path=path, reason=exc.strerror or exc) from None
    return from_bytes(data, path)


def _check_header(data: bytes, source: object) -> None:
    """A safetensors file starts with an 8-byte little-endian header length and a JSON header."""
    if len(data) < 8:
        raise ModelFileError("model.corrupt", path=source, reason=f"only {len(data)} bytes")
    size = int.from_bytes(data[:8], "little")
    if size > MAX_HEADER or 8 + size > len(data):
        raise ModelFileError("model.foreign", path=source)
    try:
        json.loads(data[8 : 8 + size])
    except ValueError:
        raise ModelFileError("model.foreign", path=source) from None


def _metadata(data: bytes) -> dict:
    size = int.from_bytes(data[:8], "little")
    return json.loads(data[8 : 8 + size]).get("__metadata__", {}) or {}
