"""MNIST and Fashion-MNIST: find, download, verify and parse the IDX files.

The document's ``get_mnist()`` gives ``images`` of shape (60000, 784) with
values in [0, 1] computed as ``uint8 -> float32 / 255`` and ``labels`` one-hot
of shape (60000, 10) made with ``np.eye(10)[labels]``.  :func:`get_mnist`
returns exactly that (the float32 step matters: it is what makes the printed
"Précision" equal the document's to the last digit).

Where the files are looked for, in order:

1. ``data_dir`` (the ``--data-dir`` option), then the ``RESEAU_DATA`` folder
   (MNIST's files themselves, or one sub-folder per dataset: ``fashion-mnist/``);
2. the user cache (``platformdirs.user_cache_dir("reseau")/<dataset>``);
3. an existing Keras cache (``~/.keras/datasets/mnist.npz`` or
   ``~/.keras/datasets/fashion-mnist/``);
4. a system copy (Debian's ``dataset-fashion-mnist`` in
   ``/usr/share/datasets/fashion-mnist/``);
5. a download of the four canonical files from a public mirror into the user
   cache, each checked against its SHA-256 before it is kept.

Decompressing and converting the 60 000 images takes about half a second, on
every run: each IDX file's arrays are kept once decompressed in the user cache
and memory-mapped after (:func:`cached_idx`, through :mod:`reseau.cache`).
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reseau import cache
from reseau.errors import DataError
from reseau.i18n import Phrase, t

SPLITS = ("train", "test")


@dataclass(frozen=True)
class Dataset:
    """What we know about one dataset: its files, their checksums, its mirrors."""

    name: str
    files: dict[tuple[str, str], str]  # (split, role) -> canonical .gz file name
    sha256: dict[str, str]  # canonical .gz file name -> SHA-256 of the .gz
    mirrors: tuple[str, ...]  # base URLs, tried in order
    class_names: tuple[str, ...]
    title: str  # the name as people write it in a sentence: "MNIST", "Fashion-MNIST"
    keras_cache: tuple[str, ...] = ()  # paths under ~/.keras/datasets
    system_dirs: tuple[str, ...] = ()


_IDX_NAMES = {
    ("train", "images"): "train-images-idx3-ubyte.gz",
    ("train", "labels"): "train-labels-idx1-ubyte.gz",
    ("test", "images"): "t10k-images-idx3-ubyte.gz",
    ("test", "labels"): "t10k-labels-idx1-ubyte.gz",
}

DATASETS: dict[str, Dataset] = {
    "mnist": Dataset(
        name="mnist",
        title="MNIST",
        files=_IDX_NAMES,
        sha256={  # from shared/data/mnist/README.md (the original distribution)
            "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        },
        mirrors=(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
        ),
        class_names=tuple(str(d) for d in range(10)),
        keras_cache=("mnist.npz",),
    ),
    "fashion-mnist": Dataset(
        name="fashion-mnist",
        title="Fashion-MNIST",
        files=_IDX_NAMES,
        sha256={  # the files of zalandoresearch/fashion-mnist
            "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        },
        mirrors=(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
        ),
        class_names=(
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
        keras_cache=("fashion-mnist",),
        system_dirs=("/usr/share/datasets/fashion-mnist",),
    ),
}

N_IMAGES = {"train": 60000, "test": 10000}
IMAGE_SIDE = 28
IDX_MAGIC = {"images": 0x00000803, "labels": 0x00000801}  # ubyte, 3 or 1 dims


def damaged(path: object, why: str, **params: object) -> DataError:
    """The error for the damaged file ``path``: what is wrong with it is the message ``why`` (a :class:`Phrase`)."""
    return DataError("data.corrupt", path=path, reason=Phrase(why, **params))


def dataset_info(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise DataError("data.unknown_dataset", name=name, choices=", ".join(DATASETS)) from None


# --------------------------------------------------------------------------
# Parsing and validating IDX files
# --------------------------------------------------------------------------


def idx_size(role: str, count: int) -> int:
    """Bytes of an IDX file of ``count`` images ``(28, 28)`` or labels: its header, then one byte a value."""
    ndim = 3 if role == "images" else 1
    return 4 + 4 * ndim + count * (IMAGE_SIDE * IMAGE_SIDE if role == "images" else 1)


def read_idx(path: str | os.PathLike, role: str, count: int | None = None, content: bytes | None = None) -> np.ndarray:
    """Parse one IDX file (gzip or not) and check it is what ``role`` says.

    Returns uint8 images ``(n, 28, 28)`` or labels ``(n,)``.  A truncated,
    corrupt or foreign file raises :class:`DataError` naming the file.  The
    size of the file is known in advance (:func:`idx_size`): at most one byte
    more is read or decompressed, so a small ``.gz`` that inflates to
    gigabytes is refused after reading that much, not all of it.  ``content``
    is the file's bytes when they were read already (the cache hashes them).
    """
    path = Path(path)
    limit = idx_size(role, max(N_IMAGES.values()) if count is None else count)
    try:
        with path.open("rb") if content is None else io.BytesIO(content) as f:
            if f.read(2) == b"\x1f\x8b":  # gzip signature
                f.seek(0)
                with gzip.GzipFile(fileobj=f) as unzipped:
                    raw = unzipped.read(limit + 1)
            else:
                f.seek(0)
                raw = f.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError("data.corrupt", path=path, reason=str(exc) or type(exc).__name__) from None
    if len(raw) > limit:
        raise damaged(path, "data.why.too_long", limit=limit)
    return parse_idx(raw, role, count, source=path)


def parse_idx(raw: bytes, role: str, count: int | None = None, source: object = "?") -> np.ndarray:
    """Check the header (magic, dimensions) and the length, then return the array."""
    ndim = 3 if role == "images" else 1
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise damaged(source, "data.why.short", size=len(raw))
    magic = int.from_bytes(raw[:4], "big")
    if magic != IDX_MAGIC[role]:
        raise DataError(
            "data.bad_magic",
            path=source,
            found=f"0x{magic:08x}",
            expected=f"0x{IDX_MAGIC[role]:08x}",
            role=Phrase(f"data.role.{role}"),  # « d'images », "images": the role in the message's language
        )
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    if role == "images" and dims[1:] != [IMAGE_SIDE, IMAGE_SIDE]:
        raise damaged(source, "data.why.side", rows=dims[1], cols=dims[2])
    if count is not None and dims[0] != count:
        raise damaged(source, "data.why.count", found=dims[0], expected=count)
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise damaged(source, "data.why.length", size=len(raw), expected=expected)
    array = np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)
    if role == "labels" and array.size and array.max() > 9:
        raise damaged(source, "data.why.label", label=int(array.max()))
    return array


# --------------------------------------------------------------------------
# Finding the files
# --------------------------------------------------------------------------


def user_cache_dir(dataset: str) -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("reseau")) / dataset


def idx_path(directory: Path, file_name: str) -> Path | None:
    """The IDX file in ``directory``, gzip'd or not, under its canonical or dotted name."""
    stem = file_name[:-3]  # without .gz
    dotted = stem.replace("-idx", ".idx")  # the names stored inside the original .gz
    for name in (file_name, stem, dotted + ".gz", dotted):
        if (directory / name).is_file():
            return directory / name
    return None


def _complete_dir(directory: Path, info: Dataset) -> bool:
    return all(idx_path(directory, f) for f in info.files.values())


def candidate_dirs(dataset: str) -> list[Path]:
    """The folders searched, in order, after ``--data-dir``/RESEAU_DATA (which are exclusive)."""
    info = dataset_info(dataset)
    keras = Path.home() / ".keras" / "datasets"
    dirs = [user_cache_dir(dataset)]
    dirs += [keras / p for p in info.keras_cache if not p.endswith(".npz")]
    dirs += [Path(p) for p in info.system_dirs]
    return dirs


@dataclass(frozen=True)
class Source:
    """Where a dataset was found: a folder of IDX files or a Keras ``.npz``."""

    kind: str  # "idx" or "npz"
    path: Path


def locate(
    dataset: str = "mnist",
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    progressbar: object = False,
) -> Source:
    """Find the dataset, downloading it into the user cache if it is nowhere."""
    info = dataset_info(dataset)
    if data_dir:  # the user said where, for this dataset: look there only, and say so if it is wrong
        directory = Path(data_dir).expanduser()
        for d in (directory / dataset, directory):
            if d.is_dir() and _complete_dir(d, info):
                return Source("idx", d)
        raise DataError("data.not_in_dir", path=directory, files=", ".join(info.files.values()))
    env = os.environ.get("RESEAU_DATA")
    if env:  # the data folder: MNIST's files themselves, or one sub-folder per dataset
        directory = Path(env).expanduser()
        for d in (directory / dataset, directory) if dataset == "mnist" else (directory / dataset,):
            if d.is_dir() and _complete_dir(d, info):
                return Source("idx", d)
        if dataset == "mnist":
            raise DataError("data.not_in_dir", path=directory, files=", ".join(info.files.values()))
    for directory in candidate_dirs(dataset):
        if directory.is_dir() and _complete_dir(directory, info):
            return Source("idx", directory)
    for name in info.keras_cache:
        npz = Path.home() / ".keras" / "datasets" / name
        if name.endswith(".npz") and npz.is_file():
            return Source("npz", npz)
    if not download:
        raise DataError("data.not_found", dataset=dataset, cache=user_cache_dir(dataset), reasons="--")
    return Source("idx", fetch(dataset, progressbar=progressbar))


# Bytes of each canonical .gz file, said before its download starts (a slow mirror can be silent for 30 s).
GZ_BYTES = {
    "mnist": {
        "train-images-idx3-ubyte.gz": 9_912_422,
        "train-labels-idx1-ubyte.gz": 28_881,
        "t10k-images-idx3-ubyte.gz": 1_648_877,
        "t10k-labels-idx1-ubyte.gz": 4_542,
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": 26_421_880,
        "train-labels-idx1-ubyte.gz": 29_515,
        "t10k-images-idx3-ubyte.gz": 4_422_102,
        "t10k-labels-idx1-ubyte.gz": 5_148,
    },
}


def fetch(
    dataset: str = "mnist",
    dest: str | os.PathLike | None = None,
    mirrors: tuple[str, ...] | None = None,
    progressbar: object = False,
) -> Path:
    """Download the four files into ``dest`` (default: the user cache), verified by SHA-256.

    Each file is written to a temporary name beside its final place and moved
    there only after its SHA-256 matched (pooch does this), so a failed or
    corrupted download never leaves a file that looks valid.  The
    ``RESEAU_MIRROR`` variable replaces the built-in mirror list.  Before each
    request, ``progressbar.announce(file_name, url, n_bytes)`` is called if the
    progress bar has it, so the user is told what comes before its first byte.
    """
    import pooch

    info = dataset_info(dataset)
    dest = Path(dest) if dest else user_cache_dir(dataset)
    if mirrors is None:
        env = os.environ.get("RESEAU_MIRROR")
        mirrors = (env,) if env else info.mirrors
    pooch.get_logger().setLevel("WARNING")  # we say what we do ourselves
    reasons: list[str] = []
    for file_name in info.files.values():
        for base in mirrors:
            url = base.rstrip("/") + "/" + file_name
            announce = getattr(progressbar, "announce", None)
            if announce is not None:
                announce(file_name, url, GZ_BYTES[dataset][file_name])
            try:
                downloader = pooch.HTTPDownloader(progressbar=progressbar, timeout=30)
                pooch.retrieve(
                    url,
                    known_hash=f"sha256:{info.sha256[file_name]}",
                    fname=file_name,
                    path=dest,
                    downloader=downloader,
                )
                break
            except Exception as exc:  # network errors, HTTP errors, hash mismatch
                reasons.append(f"{url}: {_short_reason(exc)}")
        else:
            raise DataError("data.not_found", dataset=dataset, cache=dest, reasons="\n  ".join(reasons))
    return dest


def _short_reason(exc: Exception) -> str:
    """One short line for a failed download (the full requests message is a screenful), in the user's language."""
    import requests

    if isinstance(exc, requests.ConnectionError):
        return t("data.reason.no_network")
    if isinstance(exc, requests.Timeout):
        return t("data.reason.timeout")
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code}"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "hash" in text.lower():
        return t("data.reason.hash")
    return text[:160]


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def load_raw(
    split: str = "train",
    dataset: str = "mnist",
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    progressbar: object = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The raw split: uint8 images ``(n, 28, 28)`` and uint8 labels ``(n,)`` (read-only when from IDX files)."""
    source = _locate_split(split, dataset, data_dir, download, progressbar)
    if source.kind == "npz":
        return _load_keras_npz(source.path, split, N_IMAGES[split])
    return _split_arrays(source, dataset, split, "raw"), _split_arrays(source, dataset, split, "raw", "labels")


def _locate_split(split: str, dataset: str, data_dir, download: bool, progressbar: object) -> Source:
    if split not in SPLITS:
        raise DataError("data.unknown_split", split=split)
    return locate(dataset, data_dir, download=download, progressbar=progressbar)


def _split_arrays(source: Source, dataset: str, split: str, form: str, role: str = "images") -> np.ndarray:
    """One array of a split found as IDX files, through the cache, in ``form`` (see :data:`FORMS`)."""
    path = idx_path(source.path, dataset_info(dataset).files[(split, role)])
    assert path is not None  # locate() found it there
    try:
        return cached_idx(path, role, N_IMAGES[split], form)
    except DataError as exc:  # a damaged file that reseau downloaded can simply be downloaded again
        if exc.key == "data.corrupt" and source.path == user_cache_dir(dataset):
            raise DataError("data.corrupt_download", **exc.params) from None
        raise


def _load_keras_npz(path: Path, split: str, count: int) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as f:
            images, labels = f[f"x_{split}"], f[f"y_{split}"]
    except Exception as exc:  # zip errors, missing keys, pickled content
        raise DataError("data.corrupt", path=path, reason=str(exc)[:160]) from None
    if images.shape != (count, IMAGE_SIDE, IMAGE_SIDE) or labels.shape != (count,):
        raise damaged(path, "data.why.shapes", images=images.shape, labels=labels.shape)
    return images.astype(np.uint8), labels.astype(np.uint8)


def to_document_form(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint8 ``(n, 28, 28)``, ``(n,)`` -> the document's float32 ``(n, 784)`` and one-hot ``(n, 10)``."""
    return document_images(images), one_hot(labels)


def document_images(images: np.ndarray) -> np.ndarray:
    """uint8 ``(n, 28, 28)`` -> the document's float32 ``(n, 784)`` in [0, 1]."""
    # The document's `images.astype("float32") / 255`, dividing in place to
    # spare a second 188 MB array: float32 / 255 either way, the same bits.
    images = images.astype("float32")
    images /= 255
    return np.reshape(images, (images.shape[0], images.shape[1] * images.shape[2]))


def one_hot(labels: np.ndarray) -> np.ndarray:
    """Digits ``(n,)`` -> the document's one-hot ``(n, 10)`` float64: ``np.eye(10)[labels]``."""
    return np.eye(10)[labels]


def freeze(*arrays: np.ndarray) -> None:
    """Make arrays read-only, with every array they are views of: shared data nobody may change.

    Frozen training images also let :func:`reseau.faithful.sparse_rows` list
    their non-zero pixels once instead of once per training.
    """
    for array in arrays:
        view: np.ndarray | None = array
        while isinstance(view, np.ndarray):
            view.flags.writeable = False
            view = view.base


def get_mnist(
    split: str = "train",
    dataset: str = "mnist",
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    progressbar: object = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The document's ``get_mnist()``: images ``(n, 784)`` float32 in [0, 1], labels one-hot ``(n, 10)``.

    The images come from the cache (:func:`cached_idx`), memory-mapped and
    read-only: the same numbers as the document's, loaded in milliseconds.
    """
    source = _locate_split(split, dataset, data_dir, download, progressbar)
    if source.kind == "npz":
        return to_document_form(*_load_keras_npz(source.path, split, N_IMAGES[split]))
    images = _split_arrays(source, dataset, split, "document")
    return images, one_hot(_split_arrays(source, dataset, split, "raw", "labels"))


# --------------------------------------------------------------------------
# Through the array cache: decompressed once, memory-mapped after
# --------------------------------------------------------------------------

FORMS = ("raw", "document")  # uint8 as in the IDX file; the document's float32 (n, 784) images


def cached_idx(path: str | os.PathLike, role: str, count: int, form: str = "raw") -> np.ndarray:
    """The array of the IDX file ``path`` in ``form``, read-only: from the cache while it matches the file.

    ``form`` is ``"raw"`` (uint8 images ``(n, 28, 28)`` or labels ``(n,)``) or
    ``"document"`` (float32 images ``(n, 784)``, :func:`document_images`).  The
    file is read and hashed each time (milliseconds); it is decompressed and
    checked only when the cache does not match it (:func:`reseau.cache.cached`).
    """
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; choose one of {FORMS}")
    path = Path(path)
    limit = idx_size(role, count) * 101 // 100 + 1024  # an IDX file of `count` items, gzip'd or not, is smaller
    try:
        with path.open("rb") as f:
            content = f.read(limit + 1)
        stat = path.stat()
    except OSError as exc:
        raise DataError("data.corrupt", path=path, reason=exc.strerror or type(exc).__name__) from None
    if len(content) > limit:  # not what it says: read_idx says why, reading no more than it must
        return cache.read_only(_in_form(read_idx(path, role, count), form))
    stamp = cache.source_stamp(path, content, stat, role=role, count=count, form=form)
    return cache.cached(stamp, _fits(role, count, form), lambda: _in_form(read_idx(path, role, count, content), form))


def _in_form(array: np.ndarray, form: str) -> np.ndarray:
    return document_images(array) if form == "document" else array


def _fits(role: str, count: int, form: str) -> Callable[[np.ndarray], bool]:
    """What a cached array must be to be trusted: its shape and dtype, and labels from 0 to 9."""
    shape: tuple[int, ...] = (count, IMAGE_SIDE, IMAGE_SIDE) if role == "images" else (count,)
    dtype: type = np.uint8
    if form == "document":
        shape, dtype = (count, IMAGE_SIDE * IMAGE_SIDE), np.float32
    return lambda a: a.shape == shape and a.dtype == dtype and (role == "images" or not a.size or a.max() <= 9)
