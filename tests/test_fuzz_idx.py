"""Fuzzing the IDX reader: corrupted, truncated, foreign and gz-bomb data files through data.read_idx.

The only outcomes allowed: the right array (uint8, the declared shape, labels
0-9), or a DataError naming the file; never another exception, and never more
than the expected size read from a ``.gz``.  A fixed number of examples keeps
it quick; ``RESEAU_FUZZ_EXAMPLES=2000`` runs a longer search.  The number of
inputs tried is printed at the end.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseau import data
from reseau.errors import DataError

EXAMPLES = int(os.environ.get("RESEAU_FUZZ_EXAMPLES", "200"))
TRIED: Counter[str] = Counter()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
COUNT = 50  # images or labels in the small valid files below


@pytest.fixture(scope="module", autouse=True)
def report_count(request):
    """Print how many inputs were tried (the closing note of a change quotes it)."""
    yield
    counts = ", ".join(f"{name} {n}" for name, n in sorted(TRIED.items()))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nIDX files fuzzed: {sum(TRIED.values())} inputs ({counts})")


def idx(role: str, count: int = COUNT, seed: int = 0) -> bytes:
    """A valid IDX file of ``count`` random images (28 x 28) or labels (0-9)."""
    rng = np.random.default_rng(seed)
    if role == "images":
        header = (0x803).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in (count, 28, 28))
        return header + rng.integers(0, 256, count * 784, np.uint8).tobytes()
    return (0x801).to_bytes(4, "big") + count.to_bytes(4, "big") + rng.integers(0, 10, count, np.uint8).tobytes()


VALID = {role: idx(role) for role in ("images", "labels")}


def outcome(path, role: str, count: int | None = COUNT) -> None:
    try:
        array = data.read_idx(path, role, count)
    except DataError as exc:
        assert str(path) in str(exc)
        return
    assert array.dtype == np.uint8 and array.shape[1:] == ((28, 28) if role == "images" else ())
    assert count is None or len(array) == count
    assert role == "images" or array.max(initial=0) <= 9


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("idx")


@FUZZ
@given(role=st.sampled_from(["images", "labels"]), gz=st.booleans(),
       flips=st.lists(st.tuples(st.integers(0, 2**40), st.integers(1, 255)), max_size=4),
       cut=st.none() | st.integers(0, 2**40), count=st.sampled_from([COUNT, None, 7]))
def test_flipped_bytes_and_truncations(folder, role, gz, flips, cut, count):
    raw = bytearray(VALID[role])
    for where, xor in flips:  # half in the 16-byte header (magic and sizes)
        raw[where % 16 if where % 2 else where % len(raw)] ^= xor
    blob = gzip.compress(bytes(raw), 1) if gz else bytes(raw)
    if cut is not None:
        blob = blob[: cut % (len(blob) + 1)]
    path = folder / ("f.gz" if gz else "f")
    path.write_bytes(blob)
    TRIED["bytes"] += 1
    outcome(path, role, count)


@FUZZ
@given(role=st.sampled_from(["images", "labels"]), magic=st.integers(0, 2**32 - 1),
       dims=st.lists(st.integers(0, 2**32 - 1), min_size=0, max_size=3), rest=st.binary(max_size=3000))
def test_any_header(folder, role, magic, dims, rest):
    """Any magic number and dimensions (wrong, huge, zero), then any bytes."""
    path = folder / "h"
    path.write_bytes(magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims) + rest)
    TRIED["header"] += 1
    outcome(path, role, None)
    outcome(path, role, COUNT)


@FUZZ
@given(role=st.sampled_from(["images", "labels"]), blob=st.binary(max_size=5000), gz=st.booleans())
def test_random_bytes(folder, role, blob, gz):
    path = folder / "r"
    path.write_bytes(b"\x1f\x8b" + blob if gz else blob)  # a gzip signature before random bytes, half the time
    TRIED["random"] += 1
    outcome(path, role)


@FUZZ
@given(role=st.sampled_from(["images", "labels"]), extra=st.integers(1, 200_000), fill=st.integers(0, 255),
       valid_start=st.booleans())
def test_gz_that_inflates_beyond_the_expected_size(folder, role, extra, fill, valid_start, monkeypatch):
    """A .gz of more than the expected bytes is refused, having decompressed at most one byte more."""
    expected = data.idx_size(role, COUNT)
    head = VALID[role] if valid_start else b""
    path = folder / "bomb.gz"
    path.write_bytes(gzip.compress(head + bytes([fill]) * (expected - len(head) + extra), 9))
    TRIED["gz bombs"] += 1
    decompressed = spy_on_gzip(monkeypatch)
    with pytest.raises(DataError) as err:
        data.read_idx(path, role, COUNT)
    assert str(path) in str(err.value) and str(expected) in str(err.value)
    assert sum(decompressed) <= expected + 1


def spy_on_gzip(monkeypatch) -> list[int]:
    """Record the bytes each ``GzipFile.read`` returns."""
    sizes: list[int] = []
    real_read = gzip.GzipFile.read

    def read(self, size=-1):
        chunk = real_read(self, size)
        sizes.append(len(chunk))
        return chunk

    monkeypatch.setattr(gzip.GzipFile, "read", read)
    return sizes


def test_a_real_bomb_is_refused_after_the_expected_size(tmp_path, monkeypatch):
    """1 GB of zeros in a 1 MB .gz, named as MNIST's test images: refused after 7.8 MB, not after 1 GB."""
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip container
    with path.open("wb") as f:
        f.write(squeeze.compress(VALID["images"][:16]))
        block = bytes(2**20)
        for _ in range(1024):
            f.write(squeeze.compress(block))
        f.write(squeeze.flush())
    assert path.stat().st_size < 2 * 2**20
    decompressed = spy_on_gzip(monkeypatch)
    with pytest.raises(DataError) as err:
        data.read_idx(path, "images", 10000)
    limit = data.idx_size("images", 10000)
    assert sum(decompressed) == limit + 1 and str(limit) in str(err.value)
    TRIED["gz bombs"] += 1
