"""What the server holds between requests: the model in use, the other saved models, the loaded datasets,
the « Pas à pas » networks.

All are shared by the request threads and the training thread.  The model in
use is swapped as one reference under a lock, so a prediction sees either the
old network or the new one, never half of each; it is saved to disk
(atomically) before it is swapped in.  The other models are the
``*.safetensors`` files of the same folder (:class:`ModelShelf`): the page
lists them and may draw with any of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reseau import data, modelfile
from reseau.errors import ModelFileError
from reseau.explain import Weights
from reseau.modelfile import ModelInfo, SavedModel
from reseau.web.errors import WebError

SUFFIX = ".safetensors"  # what a model file's name ends with
MAX_NAME = 128  # characters in a model file's name
KEEP = 6  # models kept loaded at once (the model in use is kept apart, always)
DRAWING_PRESET = "dessin"  # the preset of the network trained for drawings
MAX_SESSIONS = 64  # « Pas à pas » pages remembered at once


class ModelStore:
    """The model the page uses and the file it is saved to."""

    def __init__(self, path: Path, model: SavedModel | None) -> None:
        self.path = path  # where a model trained from the page is saved
        self._model = model  # None until one is loaded or trained
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> ModelStore:
        """The store for ``path``, with its model loaded if the file exists.

        A missing file gives an empty store; a corrupt or foreign file raises
        :class:`ModelFileError` (it is not silently replaced).
        """
        try:
            return cls(path, modelfile.load(path))
        except ModelFileError as exc:
            if exc.key != "model.missing":
                raise
            return cls(path, None)

    @property
    def model(self) -> SavedModel | None:
        with self._lock:
            return self._model

    def replace(self, model: SavedModel) -> ModelFileError | None:
        """Use ``model`` from now on, after saving it; returns the save error, if any.

        If the file cannot be written the new model is still used (the page
        asked for it), and the error is returned so the page can say so.
        """
        try:
            modelfile.save(model, self.path)
            problem = None
        except ModelFileError as exc:
            problem = exc
        with self._lock:
            self._model = model
        return problem


class DataCache:
    """The document's arrays per (split, dataset), loaded once and shared read-only."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir  # --data-dir, else RESEAU_DATA / cache / download
        self._arrays: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._lock = threading.Lock()

    def get(self, split: str, dataset: str = "mnist") -> tuple[np.ndarray, np.ndarray]:
        """``images (n, 784)`` float32 and one-hot ``labels (n, 10)``, read-only."""
        with self._lock:  # one loader at a time; the others wait and reuse its arrays
            key = (split, dataset)
            if key not in self._arrays:
                images, labels = data.get_mnist(split, dataset=dataset, data_dir=self.data_dir)
                data.freeze(images, labels)
                self._arrays[key] = (images, labels)
            return self._arrays[key]


Stamp = tuple[int, int]  # a file's (modification time in ns, size): it changed if this did


@dataclass(frozen=True)
class ShelfEntry:
    """One model file of the folder, as the page lists it (its record, not its weights)."""

    name: str  # the file name, "dessin.safetensors"
    modified: float  # its modification time (seconds since the epoch)
    info: ModelInfo | None  # how it was made; None when the file cannot be used
    error: ModelFileError | None = None  # why it cannot be used


class ModelShelf:
    """The model files (``*.safetensors``) of one folder: listed, loaded when asked, reloaded when changed.

    A file is loaded at most once while it is unchanged (same modification
    time and size); at most :data:`KEEP` loaded models are kept, the least
    recently used is dropped first.  What the list shows of each file
    (:class:`ShelfEntry`) is kept apart, so listing many files does not load
    them again and again.  Names are checked before any file is touched: a
    plain file name of this folder, never a path.
    """

    def __init__(self, folder: Path, keep: int = KEEP) -> None:
        self.folder = folder
        self.keep = keep
        self._loaded: OrderedDict[str, tuple[Stamp, SavedModel]] = OrderedDict()  # least recently used first
        self._listed: dict[str, tuple[Stamp, ShelfEntry]] = {}
        self._lock = threading.Lock()

    def check_name(self, name: str) -> Path:
        """The file of the folder named ``name``; a name that is not a plain model file name is a 422."""
        plain = (
            0 < len(name) <= MAX_NAME
            and name.endswith(SUFFIX)
            and not name.startswith(".")
            and Path(name).name == name
            and not any(c in name for c in "/\\:")
            and name.isprintable()
        )
        if not plain:
            raise WebError("web.error.model_name", status=422, field="model", name=name[:MAX_NAME], suffix=SUFFIX)
        return self.folder / name

    def entries(self) -> list[ShelfEntry]:
        """Every model file of the folder, by name; a file that cannot be loaded is listed with its error."""
        try:
            paths = sorted(p for p in self.folder.glob("*" + SUFFIX) if p.is_file() and not p.name.startswith("."))
        except OSError:
            return []
        found = [entry for entry in map(self._entry, paths) if entry is not None]
        with self._lock:  # forget the files that went away
            for name in set(self._listed) - {e.name for e in found}:
                del self._listed[name]
        return found

    def _entry(self, path: Path) -> ShelfEntry | None:
        stamp = _stamp(path)
        if stamp is None:
            return None
        with self._lock:
            listed = self._listed.get(path.name)
        if listed is not None and listed[0] == stamp:
            return listed[1]
        try:
            entry = ShelfEntry(path.name, stamp[0] / 1e9, self.load(path.name).info)
        except ModelFileError as exc:
            entry = ShelfEntry(path.name, stamp[0] / 1e9, None, error=exc)
        except WebError:  # it went away while we looked
            return None
        with self._lock:
            self._listed[path.name] = (stamp, entry)
        return entry

    def load(self, name: str) -> SavedModel:
        """The model of the file ``name``: from memory if the file is unchanged, else read again.

        A bad name is a 422, a missing file a 404; a file that is not a usable
        model raises :class:`ModelFileError`.
        """
        path = self.check_name(name)
        stamp = _stamp(path)
        if stamp is None:
            raise WebError("web.error.model_missing", status=404, field="model", name=name, folder=self.folder)
        with self._lock:
            kept = self._loaded.get(name)
            if kept is not None and kept[0] == stamp:
                self._loaded.move_to_end(name)
                return kept[1]
        model = modelfile.load(path)  # outside the lock: other requests go on meanwhile
        self._remember(name, stamp, model)
        return model

    def save(self, model: SavedModel, name: str) -> ModelFileError | None:
        """Write ``model`` as the file ``name`` of the folder (atomically); returns the error, if any."""
        path = self.check_name(name)
        try:
            modelfile.save(model, path)
        except ModelFileError as exc:
            return exc
        stamp = _stamp(path)
        if stamp is not None:
            self._remember(name, stamp, model)
        return None

    def _remember(self, name: str, stamp: Stamp, model: SavedModel) -> None:
        with self._lock:
            self._loaded[name] = (stamp, model)
            self._loaded.move_to_end(name)
            while len(self._loaded) > self.keep:
                self._loaded.popitem(last=False)


def drawing_network(entries: list[ShelfEntry]) -> ShelfEntry | None:
    """The network for drawings: the newest usable model trained from the ``dessin`` preset as it is, else the
    newest trained from it with settings changed, if any.  A shorter try of the preset (``dessin-epochs-1``)
    never takes the place of the drawing network: the page that trained it picks it, no other."""
    from reseau import presets

    drawing = [e for e in entries if e.info is not None and e.info.preset == DRAWING_PRESET]
    as_set = [e for e in drawing if e.info is not None and e.info.config == presets().get(DRAWING_PRESET)]
    return max(as_set or drawing, key=lambda e: e.modified, default=None)


def _stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size) if path.is_file() else None


@dataclass
class Session:
    """One « Pas à pas » page's network: where it started, where it is, how it did on the sample along the way."""

    seed: int
    weights: Weights
    steps: int = 0  # steps taken since the start
    history: list[dict[str, float]] = field(default_factory=list)  # {"steps", "cost", "accuracy"} after each request
    lock: threading.Lock = field(default_factory=threading.Lock)


class Sessions:
    """The « Pas à pas » pages' networks, by session name; the least recently used is forgotten beyond ``keep``."""

    def __init__(self, keep: int = MAX_SESSIONS) -> None:
        self.keep = keep
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str, seed: int, fresh: bool = False) -> Session:
        """The session ``name``; a new one from the document's start for ``seed`` if unknown or ``fresh``."""
        with self._lock:
            session = self._sessions.get(name)
            if session is None or fresh:
                session = self._sessions[name] = Session(seed, Weights.document_start(seed))
            self._sessions.move_to_end(name)
            while len(self._sessions) > self.keep:
                self._sessions.popitem(last=False)
            return session
