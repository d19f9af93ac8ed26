"""A set of handwritten digits as MNIST's IDX files, and how a network reads it.

The page's « Mes chiffres » tab exports a student's digits as the two files
MNIST's test set is made of (``t10k-images-idx3-ubyte.gz``: grey levels
0-255, ink bright; ``t10k-labels-idx1-ubyte.gz``); :func:`write_set` writes
the same files from Python, :func:`read_set` reads any folder holding such a
pair, and :func:`evaluate` says how a network reads it: the accuracy per
digit and the confusions (``reseau evaluate``).  The lesson's last point made
concrete: the accuracy on MNIST's test set is not the accuracy on your
class's handwriting.

The JavaScript twin of the writer is ``web/static/local/idx.js`` (tested by
tests/test_digitset.py: what the browser writes, Python reads bit for bit).
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reseau import data
from reseau.errors import DataError

_NAMES = data.DATASETS["mnist"].files  # (split, role) -> MNIST's file name
SPLIT_FILES = {split: (_NAMES[(split, "images")], _NAMES[(split, "labels")]) for split in data.SPLITS}
MAX_IMAGES = max(data.N_IMAGES.values())  # a folder's set holds at most as many images as MNIST's training set


# --------------------------------------------------------------------------
# Writing and reading a set
# --------------------------------------------------------------------------


def idx_bytes(array: np.ndarray, role: str) -> bytes:
    """uint8 images ``(n, 28, 28)`` or labels ``(n,)`` -> an IDX file's bytes (header big-endian, then the bytes)."""
    header = data.IDX_MAGIC[role].to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_set(folder: str | os.PathLike, images: np.ndarray, labels: np.ndarray, split: str = "test") -> list[Path]:
    """Write ``images (n, 28, 28)`` uint8 and ``labels (n,)`` as the split's two ``.gz`` IDX files in ``folder``.

    The gzip header carries no time and no name (``mtime=0``): the same set
    gives the same bytes, as the page's export does.
    """
    images, labels = np.asarray(images), np.asarray(labels)
    side = (data.IMAGE_SIDE, data.IMAGE_SIDE)
    if images.dtype != np.uint8 or images.shape[1:] != side or labels.shape != images.shape[:1]:
        raise ValueError(f"images (n, 28, 28) uint8 and labels (n,) expected, got {images.shape} and {labels.shape}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, array, role in zip(SPLIT_FILES[split], (images, labels), ("images", "labels"), strict=True):
        path = folder / name
        with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(idx_bytes(array, role))
        paths.append(path)
    return paths


def find_set(folder: str | os.PathLike) -> tuple[Path, Path]:
    """The images and labels files of ``folder``: the test split's if it has them, else the training split's."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise DataError("evaluate.not_dir", path=folder)
    for images_name, labels_name in (SPLIT_FILES["test"], SPLIT_FILES["train"]):
        images, labels = data.idx_path(folder, images_name), data.idx_path(folder, labels_name)
        if images and labels:
            return images, labels
    raise DataError("evaluate.no_set", path=folder, files=", ".join(SPLIT_FILES["test"]))


def read_set(folder: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """The set in ``folder``: uint8 images ``(n, 28, 28)`` and labels ``(n,)``; a damaged file raises DataError."""
    images_path, labels_path = find_set(folder)
    images = data.read_idx(images_path, "images")
    labels = data.read_idx(labels_path, "labels")
    if len(images) != len(labels):
        raise DataError("evaluate.counts", images=images_path, labels=labels_path, n=len(images), m=len(labels))
    if len(images) == 0:
        raise DataError("evaluate.empty", path=images_path)
    return images, labels


# --------------------------------------------------------------------------
# How a network reads a set
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """How a network read a set: ``confusion[true, read]`` counts the images of digit ``true`` read as ``read``."""

    confusion: np.ndarray  # (10, 10) int: rows the digit written, columns the digit read

    @property
    def count(self) -> np.ndarray:  # (10,) images of each digit
        return self.confusion.sum(axis=1)

    @property
    def correct(self) -> np.ndarray:  # (10,) images of each digit read right
        return np.diag(self.confusion).copy()

    @property
    def accuracy(self) -> float:
        """% of all the images read right."""
        return 100.0 * float(self.correct.sum()) / max(1, int(self.count.sum()))

    def per_digit(self) -> list[float | None]:
        """% of each digit's images read right (None for a digit the set does not hold)."""
        return [None if n == 0 else 100.0 * float(c) / float(n) for c, n in zip(self.correct, self.count, strict=True)]

    def confusions(self) -> list[tuple[int, int, int]]:
        """The mistakes ``(written, read, times)``, the most frequent first (then by digit)."""
        pairs = [(int(w), int(r), int(self.confusion[w, r])) for w, r in zip(*np.nonzero(self.confusion), strict=True)]
        return sorted(((w, r, n) for w, r, n in pairs if w != r), key=lambda p: (-p[2], p[0], p[1]))


def confusion_matrix(labels: np.ndarray, answers: np.ndarray, classes: int = 10) -> np.ndarray:
    """``(classes, classes)`` counts: row the label, column the answer."""
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (labels.astype(np.int64), answers.astype(np.int64)), 1)
    return matrix


def evaluate(network, images: np.ndarray, labels: np.ndarray) -> Evaluation:
    """How ``network`` reads ``images (n, 28, 28)`` uint8 with their ``labels (n,)``.

    The images are given as the document gives MNIST's (``uint8 / 255`` in
    float32, rows ``(n, 784)``): already the 28x28 the networks get, so no
    preprocessing is applied.
    """
    x = data.document_images(np.asarray(images))  # (n, 28, 28) uint8 -> (n, 784) float32 in [0, 1]
    answers = np.asarray(network.predict(x))  # (n,)
    return Evaluation(confusion_matrix(np.asarray(labels), answers))
