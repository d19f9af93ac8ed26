"""The array cache: arrays made from a file, kept once as ``.npy`` files, memory-mapped after.

Decompressing and converting MNIST's 60 000 images takes about half a second,
on every run.  So what :mod:`reseau.data` makes of each file is kept in the user
cache (``<user cache>/reseau/arrays``) as ``.npy`` files that are then
memory-mapped, read-only, in milliseconds (:func:`cached`).  A cached array is
used only while its source file is the one it was made from (same size,
modification time and SHA-256, recorded in a stamp beside it); anything else, a
stale or damaged cache included, is made again from the source without a word.
Arrays derived from a cached one (an engine's own form of the images) can be
kept beside it (:func:`kept_beside`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

CACHE_VERSION = 1  # written in every stamp: a cache written in another layout is rebuilt
# What reading a damaged cache file or stamp raises (np.load: ValueError, EOFError; a stamp that is not a dict...)
DAMAGED = (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError)


def array_cache_dir() -> Path:
    """Where arrays are kept: ``<user cache>/reseau/arrays`` (``XDG_CACHE_HOME`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("reseau")) / "arrays"


def cache_files(source: Path, form: str) -> tuple[Path, Path]:
    """The ``.npy`` file and its ``.json`` stamp for the file ``source``, named after a hash of its path."""
    key = hashlib.sha256(str(source).encode()).hexdigest()[:16]
    stem = array_cache_dir() / f"{source.name.split('.')[0]}-{key}-{form}"
    return stem.with_suffix(".npy"), stem.with_suffix(".json")


def source_stamp(path: Path, content: bytes, stat: os.stat_result, **made: object) -> dict:
    """What a cached array vouches for: its source file (path, size, time, SHA-256 of ``content``) and ``made``,
    what was made of it (``form`` names the cached file)."""
    return {
        "version": CACHE_VERSION,
        "source": str(path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha256": hashlib.sha256(content).hexdigest(),
        **made,
    }


def cached(stamp: dict, fits: Callable[[np.ndarray], bool], make: Callable[[], np.ndarray]) -> np.ndarray:
    """The array the ``stamp`` (:func:`source_stamp`) describes, read-only: from the cache while it matches;
    else ``make()``, written to the cache and mapped from it.  A cached array must also pass ``fits`` (its
    shape, dtype and values), or it is made again.  A cache that cannot be written (read-only disk) is skipped."""
    npy, stamp_file = cache_files(Path(stamp["source"]), stamp["form"])
    kept = _load_cache(npy, stamp_file, stamp, fits)
    if kept is not None:
        return kept
    array = make()
    if _write_arrays({npy: array}, stamp_file, lambda: stamp | {"bytes": npy.stat().st_size}):
        kept = _load_cache(npy, stamp_file, stamp, fits)
        if kept is not None:
            return kept  # the same numbers, now memory-mapped: every run gets the same kind of array
    return read_only(array)


def read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _matches(stamp_file: Path, stamp: dict) -> dict | None:
    """The stamp written in ``stamp_file`` if it says all that ``stamp`` says; else None (a damaged one raises)."""
    kept = json.loads(stamp_file.read_text())
    return kept if all(kept.get(key) == value for key, value in stamp.items()) else None


def _load_cache(npy: Path, stamp_file: Path, stamp: dict, fits: Callable[[np.ndarray], bool]) -> np.ndarray | None:
    """The cached array if its stamp matches ``stamp`` and the file is whole; else None (never an error)."""
    try:
        kept = _matches(stamp_file, stamp)
        if kept is None or npy.stat().st_size != kept.get("bytes"):
            return None
        array = np.load(npy, mmap_mode="r", allow_pickle=False)
        return np.asarray(array) if array.flags.c_contiguous and fits(array) else None  # a plain read-only ndarray
    except DAMAGED:  # missing, unreadable, not JSON, not a .npy, truncated: made again
        return None


def _write_arrays(arrays: dict[Path, np.ndarray], stamp_file: Path, stamp: Callable[[], dict]) -> bool:
    """Write each array to its file, then the stamp that vouches for them all; False on a disk error.

    The old stamp goes first and the new one comes last, each file through a
    temporary one moved into place: whatever stops the writing, no stamp ever
    vouches for a file that is not the one it describes.
    """
    temporary = None
    try:
        stamp_file.parent.mkdir(parents=True, exist_ok=True)
        stamp_file.unlink(missing_ok=True)
        writes: list[tuple[Path, Callable]] = [
            (f, lambda out, a=a: np.save(out, a, allow_pickle=False)) for f, a in arrays.items()
        ]
        writes.append((stamp_file, lambda out: out.write(json.dumps(stamp()).encode())))
        for target, write in writes:
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                write(out)
            os.replace(temporary, target)
            temporary = None
        return True
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False


def kept_beside(array: np.ndarray, name: str, make: Callable[[], tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    """The arrays ``make()`` derives from ``array``, kept in the cache beside it when ``array`` comes from it.

    For an engine's own form of the images (the fast engine's lists of
    non-zero pixels): the first run computes and writes them, the next ones
    map them read-only in milliseconds.  They are tied to the cached file they
    were made from (its size and modification time): when it is rebuilt, they
    are too.  For an array that is not a whole cached file, just ``make()``.
    """
    npy = _cache_file_of(array)
    if npy is None:
        return make()
    parent = npy.stat()
    stamp = {"version": CACHE_VERSION, "of": npy.name, "size": parent.st_size, "mtime_ns": parent.st_mtime_ns}
    stem = npy.with_suffix("")
    stamp_file = stem.with_name(f"{stem.name}-{name}.json")
    kept = _load_derived(stem, name, stamp_file, stamp)
    if kept is not None:
        return kept
    made = make()
    files = {stem.with_name(f"{stem.name}-{name}-{i}.npy"): a for i, a in enumerate(made)}
    described = stamp | {"arrays": [[list(a.shape), a.dtype.str] for a in made]}
    written = _write_arrays(files, stamp_file, lambda: described | {"bytes": [f.stat().st_size for f in files]})
    kept = _load_derived(stem, name, stamp_file, stamp) if written else None
    return made if kept is None else kept


def _cache_file_of(array: np.ndarray) -> Path | None:
    """The cached ``.npy`` file that ``array`` maps whole, if it is one (see :func:`cached`)."""
    view: object = array
    while isinstance(view, np.ndarray) and not isinstance(view, np.memmap):
        view = view.base
    if not isinstance(view, np.memmap) or view.filename is None:
        return None
    whole = view.shape == array.shape and view.dtype == array.dtype and view.ctypes.data == array.ctypes.data
    path = Path(view.filename)
    in_cache = path.parent.resolve() == array_cache_dir().resolve()
    return path if whole and array.flags.c_contiguous and in_cache else None


def _load_derived(stem: Path, name: str, stamp_file: Path, stamp: dict) -> tuple[np.ndarray, ...] | None:
    """The derived arrays if their stamp matches ``stamp`` and each file is as described; else None."""
    try:
        kept = _matches(stamp_file, stamp)
        if kept is None:
            return None
        arrays = []
        for i, ((shape, dtype), size) in enumerate(zip(kept["arrays"], kept["bytes"], strict=True)):
            npy = stem.with_name(f"{stem.name}-{name}-{i}.npy")
            if npy.stat().st_size != size:
                return None
            array = np.load(npy, mmap_mode="r", allow_pickle=False)
            if list(array.shape) != shape or array.dtype.str != dtype or not array.flags.c_contiguous:
                return None
            arrays.append(np.asarray(array))
    except DAMAGED:  # missing, damaged, not as described: made again
        return None
    return tuple(arrays)
