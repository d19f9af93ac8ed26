"""What the server holds between requests: the model in use and the loaded datasets.

Both are shared by the request threads and the training thread.  The model is
swapped as one reference under a lock, so a prediction sees either the old
network or the new one, never half of each; it is saved to disk (atomically)
before it is swapped in.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from reseau import data, modelfile
from reseau.errors import ModelFileError
from reseau.modelfile import SavedModel


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
