"""Save and load trained networks as safetensors files: weights plus a JSON description.

A model file holds the tensors ``weights.0, biases.0, weights.1, ...`` and, in
the safetensors metadata, ``format = "reseau-model"``, ``format_version``,
the layer activations, and an ``info`` JSON object (mode, configuration,
dataset, accuracies, per-epoch history).  Nothing is ever unpickled.  Writes
are atomic: the file is written beside its target under a temporary name,
flushed, then renamed, so an interrupted save never leaves half a model.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reseau.errors import ModelFileError
from reseau.network import Network

FORMAT = "reseau-model"
FORMAT_VERSION = 1
MAX_HEADER = 10_000_000  # bytes; a bigger header is not a model file of ours


@dataclass
class SavedModel:
    """A network and what is known of how it was made."""

    network: Network
    info: dict = field(default_factory=dict)  # mode, config, dataset, accuracies, history


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
    tensors = {}
    for k, (w, b) in enumerate(zip(net.weights, net.biases)):
        tensors[f"weights.{k}"] = np.ascontiguousarray(w)
        tensors[f"biases.{k}"] = np.ascontiguousarray(b)
    metadata = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "activations": json.dumps(net.activations),
        "info": json.dumps(model.info, allow_nan=True),
    }
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
        activations = json.loads(meta["activations"])
        info = json.loads(meta.get("info", "{}"))
        n = len(activations)
        network = Network([tensors[f"weights.{k}"] for k in range(n)],
                          [tensors[f"biases.{k}"] for k in range(n)], activations)
    except (KeyError, ValueError, TypeError) as exc:
        raise ModelFileError("model.corrupt", path=source, reason=str(exc)[:200]) from None
    if not network.all_finite():
        raise ModelFileError("model.corrupt", path=source, reason="non-finite weights")
    return SavedModel(network, info)


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
        json.loads(data[8:8 + size])
    except ValueError:
        raise ModelFileError("model.foreign", path=source) from None


def _metadata(data: bytes) -> dict:
    size = int.from_bytes(data[:8], "little")
    return json.loads(data[8:8 + size]).get("__metadata__", {}) or {}
