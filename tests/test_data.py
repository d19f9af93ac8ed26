"""reseau.data on the real MNIST files: shapes, values, validation, sources and downloads."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from reseau import data
from reseau.errors import DataError

FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def test_train_arrays_are_the_documents(train_data, mnist_dir):
    images, labels = train_data
    assert images.shape == (60000, 784) and images.dtype == np.float32
    assert labels.shape == (60000, 10) and labels.dtype == np.float64
    assert images.min() == 0.0 and images.max() == 1.0
    assert (labels.sum(axis=1) == 1).all()
    assert list(labels[:10].argmax(axis=1)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    counts = np.bincount(labels.argmax(axis=1), minlength=10)
    assert list(counts) == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    # exactly the document's conversion, to the bit
    raw, _ = data.load_raw("train", data_dir=mnist_dir)
    expected = raw.astype("float32") / 255
    assert np.array_equal(images, expected.reshape(60000, 784))


def test_test_split(test_data):
    images, labels = test_data
    assert images.shape == (10000, 784) and labels.shape == (10000, 10)
    assert list(labels[:10].argmax(axis=1)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_raw_form(mnist_dir):
    images, labels = data.load_raw("test", data_dir=mnist_dir)
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.max() == 9


# --- validation of IDX files -------------------------------------------------

@pytest.fixture
def labels_bytes(mnist_dir) -> bytes:
    return gzip.decompress((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes())


def test_truncated_file_is_named(tmp_path, labels_bytes):
    bad = tmp_path / "t10k-labels-idx1-ubyte"
    bad.write_bytes(labels_bytes[:-7])
    with pytest.raises(DataError) as err:
        data.read_idx(bad, "labels", 10000)
    assert str(bad) in str(err.value) and "tronqu" in str(err.value)


def test_wrong_magic_is_named(tmp_path, labels_bytes):
    bad = tmp_path / "images-that-are-labels"
    bad.write_bytes(labels_bytes)
    with pytest.raises(DataError) as err:
        data.read_idx(bad, "images", 10000)
    assert str(bad) in str(err.value) and "0x00000801" in str(err.value)


def test_corrupt_gzip_is_named(tmp_path, mnist_dir):
    raw = bytearray((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # one flipped byte inside the deflate stream
    bad = tmp_path / "t10k-labels-idx1-ubyte.gz"
    bad.write_bytes(bytes(raw))
    with pytest.raises(DataError) as err:
        data.read_idx(bad, "labels", 10000)
    assert str(bad) in str(err.value)


def test_wrong_count_and_padding(tmp_path, labels_bytes):
    f = tmp_path / "x"
    f.write_bytes(labels_bytes)
    with pytest.raises(DataError, match="60000"):
        data.read_idx(f, "labels", 60000)
    f.write_bytes(labels_bytes + b"\0")
    with pytest.raises(DataError):
        data.read_idx(f, "labels", 10000)


def test_label_out_of_range(tmp_path, labels_bytes):
    raw = bytearray(labels_bytes)
    raw[8] = 12
    f = tmp_path / "x"
    f.write_bytes(bytes(raw))
    with pytest.raises(DataError, match="12"):
        data.read_idx(f, "labels", 10000)


# --- where the files come from ------------------------------------------------

def test_explicit_dir_without_files_says_what_is_missing(tmp_path):
    with pytest.raises(DataError) as err:
        data.load_raw("test", data_dir=tmp_path)
    message = str(err.value)
    assert str(tmp_path) in message and "t10k-images-idx3-ubyte.gz" in message and "RESEAU_DATA" in message


def test_env_variable_and_uncompressed_files(tmp_path, mnist_dir, monkeypatch):
    for name in FILES:  # the same files, gunzipped: also accepted
        (tmp_path / name[:-3]).write_bytes(gzip.decompress((mnist_dir / name).read_bytes()))
    monkeypatch.setenv("RESEAU_DATA", str(tmp_path))
    images, labels = data.load_raw("test")
    expected, _ = data.load_raw("test", data_dir=mnist_dir)
    assert np.array_equal(images, expected)


def test_keras_cache_is_used(tmp_path, mnist_dir, monkeypatch):
    monkeypatch.delenv("RESEAU_DATA")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("RESEAU_MIRROR", "http://127.0.0.1:9/")  # must not be needed
    train = data.load_raw("train", data_dir=mnist_dir)
    test = data.load_raw("test", data_dir=mnist_dir)
    keras = tmp_path / ".keras" / "datasets"
    keras.mkdir(parents=True)
    np.savez(keras / "mnist.npz", x_train=train[0], y_train=train[1], x_test=test[0], y_test=test[1])
    assert data.locate("mnist").kind == "npz"
    images, labels = data.load_raw("test")
    assert np.array_equal(images, test[0]) and np.array_equal(labels, test[1])


def test_fashion_mnist_from_debian_package():
    if not Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz").is_file():
        pytest.skip("Debian package dataset-fashion-mnist not installed (.ci/run installs it)")
    images, labels = data.get_mnist("test", dataset="fashion-mnist")
    assert images.shape == (10000, 784) and labels.shape == (10000, 10)
    assert np.bincount(labels.argmax(axis=1)).tolist() == [1000] * 10
    assert data.DATASETS["fashion-mnist"].class_names[9] == "Ankle boot"


def test_unknown_dataset():
    with pytest.raises(DataError, match="mnist, fashion-mnist"):
        data.load_raw("train", dataset="cifar")


# --- downloads, against a real HTTP server on 127.0.0.1 ------------------------------

@pytest.fixture
def mirror(tmp_path):
    """A local HTTP server serving a folder; yields (base_url, folder, request_log)."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    log: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            log.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", folder, log
    server.shutdown()
    server.server_close()


def test_download_verifies_and_caches(mirror, mnist_dir, tmp_path, monkeypatch):
    base, folder, log = mirror
    for name in FILES:
        shutil.copy(mnist_dir / name, folder / name)
    monkeypatch.delenv("RESEAU_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("RESEAU_MIRROR", base)
    images, labels = data.load_raw("test")  # downloads all four into the cache
    cache = data.user_cache_dir("mnist")
    assert cache == tmp_path / "cache" / "reseau" / "mnist"
    for name in FILES:
        assert hashlib.sha256((cache / name).read_bytes()).hexdigest() == data.DATASETS["mnist"].sha256[name]
    assert sorted(p.name for p in cache.iterdir()) == sorted(FILES)  # no temporary files left
    assert len(log) == 4
    expected, _ = data.load_raw("test", data_dir=mnist_dir)
    assert np.array_equal(images, expected)
    data.load_raw("train")  # second time: from the cache, no request
    assert len(log) == 4


def test_corrupt_download_is_rejected_and_not_kept(mirror, mnist_dir, tmp_path, monkeypatch):
    base, folder, _ = mirror
    for name in FILES:
        shutil.copy(mnist_dir / name, folder / name)
    raw = bytearray((folder / "train-labels-idx1-ubyte.gz").read_bytes())
    raw[100] ^= 0x01  # one bit changed on the server
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(bytes(raw))
    dest = tmp_path / "cache"
    with pytest.raises(DataError) as err:
        data.fetch("mnist", dest=dest, mirrors=(base,))
    assert "SHA-256" in str(err.value) and "train-labels-idx1-ubyte.gz" in str(err.value)
    assert not (dest / "train-labels-idx1-ubyte.gz").exists()
    assert (dest / "train-images-idx3-ubyte.gz").exists()  # the good file before it was kept
    assert sorted(p.name for p in dest.iterdir()) == ["train-images-idx3-ubyte.gz"]  # no temp file


def test_second_mirror_is_tried(mirror, mnist_dir, tmp_path):
    base, folder, _ = mirror
    for name in FILES:
        shutil.copy(mnist_dir / name, folder / name)
    dest = data.fetch("mnist", dest=tmp_path / "c", mirrors=(base + "missing/", base))
    assert sorted(p.name for p in dest.iterdir()) == sorted(FILES)


def test_offline_without_copy_gives_one_clear_message(tmp_path, monkeypatch):
    monkeypatch.delenv("RESEAU_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("RESEAU_MIRROR", "http://127.0.0.1:9/")  # nothing listens there
    with pytest.raises(DataError) as err:
        data.load_raw("train")
    message = str(err.value)
    assert "RESEAU_DATA" in message and "--data-dir" in message and str(tmp_path / "cache") in message
    assert "connexion impossible (pas de réseau ?)" in message  # the reason too in the user's language


# --- Damaged files: said as they are, re-downloaded only from reseau's own cache ------------------------------

def _four_files_with_damaged_labels(folder: Path, mnist_dir: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copy(mnist_dir / name, folder / name)
    damaged = folder / "t10k-labels-idx1-ubyte.gz"
    damaged.write_bytes(damaged.read_bytes()[:-100])  # cut: the gzip stream ends too early
    return damaged


def test_a_damaged_file_in_the_users_folder_promises_no_download(tmp_path, mnist_dir):
    damaged = _four_files_with_damaged_labels(tmp_path / "mine", mnist_dir)
    with pytest.raises(DataError) as err:
        data.load_raw("test", data_dir=tmp_path / "mine")
    message = str(err.value)
    assert err.value.key == "data.corrupt" and str(damaged) in message
    assert "retéléchargé" not in message and "Remplacez-le" in message


def test_a_damaged_file_in_reseaus_cache_can_be_downloaded_again(tmp_path, mnist_dir, monkeypatch):
    monkeypatch.delenv("RESEAU_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    damaged = _four_files_with_damaged_labels(data.user_cache_dir("mnist"), mnist_dir)
    with pytest.raises(DataError) as err:
        data.load_raw("test")
    assert err.value.key == "data.corrupt_download" and str(damaged) in str(err.value)
    assert "supprimez-le et relancez : il sera retéléchargé" in str(err.value).lower()


def test_an_oversized_file_is_not_read_whole(tmp_path, labels_bytes, monkeypatch):
    """A plain (not gzip) file bigger than an IDX file can be: at most one byte more than expected is read."""
    path = tmp_path / "t10k-labels-idx1-ubyte"
    path.write_bytes(labels_bytes + bytes(10**6))
    sizes: list[int] = []
    real_open = Path.open

    def spying_open(self, *args, **kwargs):
        f = real_open(self, *args, **kwargs)
        real_read = f.read
        f.read = lambda n=-1: sizes.append(len(chunk := real_read(n))) or chunk
        return f

    monkeypatch.setattr(Path, "open", spying_open)
    with pytest.raises(DataError, match="10008"):
        data.read_idx(path, "labels", 10000)
    assert sum(sizes) <= data.idx_size("labels", 10000) + 1 + 2  # + the 2 bytes of the gzip check


# --- Array cache: decompressed arrays kept in the user cache, checked against their source -------------------

@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    """An empty user cache of its own (reseau's arrays go to <it>/reseau/arrays)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "reseau" / "arrays"


@pytest.fixture
def test_files(tmp_path, mnist_dir) -> Path:
    """A folder with its own copy of the four files (the test split is the one read here)."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name in FILES:
        shutil.copy(mnist_dir / name, folder / name)
    return folder


def decompressed(folder: Path, split: str = "test") -> tuple[np.ndarray, np.ndarray]:
    """The split read straight from its .gz files, as the document: float32 (n, 784) and one-hot (n, 10)."""
    prefix = "t10k" if split == "test" else "train"
    n = data.N_IMAGES[split]
    images = data.read_idx(folder / f"{prefix}-images-idx3-ubyte.gz", "images", n)
    labels = data.read_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", "labels", n)
    return data.to_document_form(images, labels)


def never_decompressed(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("an IDX file was decompressed although its cached arrays were fine")

    monkeypatch.setattr(data, "read_idx", refuse)


def test_the_arrays_are_cached_and_then_mapped_read_only(cache_home, test_files, monkeypatch):
    images, labels = data.get_mnist("test", data_dir=test_files)
    expected = decompressed(test_files)
    assert np.array_equal(images, expected[0]) and np.array_equal(labels, expected[1])
    kept = sorted(p.name for p in cache_home.iterdir())
    assert any(n.startswith("t10k-images") and n.endswith("-document.npy") for n in kept)
    assert any(n.startswith("t10k-labels") and n.endswith("-raw.npy") for n in kept)
    assert not [n for n in kept if n.endswith(".tmp")]
    stamp = json.loads(next(cache_home.glob("t10k-images*-document.json")).read_text())
    source = test_files / "t10k-images-idx3-ubyte.gz"
    assert stamp["source"] == str(source.resolve()) and stamp["size"] == source.stat().st_size
    assert stamp["mtime_ns"] == source.stat().st_mtime_ns
    assert stamp["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    raw, raw_labels = data.load_raw("test", data_dir=test_files)  # the raw form has its own cached file
    assert raw.dtype == np.uint8 and raw.shape == (10000, 28, 28) and not raw.flags.writeable
    never_decompressed(monkeypatch)
    again, labels_again = data.get_mnist("test", data_dir=test_files)  # from the cache: nothing decompressed
    assert np.array_equal(again, expected[0]) and np.array_equal(labels_again, expected[1])
    assert not again.flags.writeable and isinstance(again.base, np.memmap)  # mapped, and nobody can change it
    assert np.array_equal(data.load_raw("test", data_dir=test_files)[0], raw)


def test_the_first_load_gives_the_same_kind_of_array_as_the_next(cache_home, test_files):
    first = data.get_mnist("test", data_dir=test_files)[0]
    second = data.get_mnist("test", data_dir=test_files)[0]
    assert not first.flags.writeable and not second.flags.writeable
    assert isinstance(first.base, np.memmap) and isinstance(second.base, np.memmap)


def _replace_keeping_size_and_time(path: Path, content: bytes) -> None:
    """Write ``content`` (as long as the file) and give the file back its modification time."""
    before = path.stat()
    assert len(content) == before.st_size
    path.write_bytes(content)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_changed_source_file_is_read_again(cache_home, test_files, labels_bytes):
    assert data.get_mnist("test", data_dir=test_files)[1][0].argmax() == 7
    changed = bytearray(labels_bytes)
    changed[8] = 8  # the first label, 7, becomes 8
    (test_files / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes(changed)))  # another size and time
    assert data.get_mnist("test", data_dir=test_files)[1][0].argmax() == 8


def test_a_file_changed_keeping_its_size_and_time_is_read_again(cache_home, test_files, labels_bytes):
    """Only the SHA-256 recorded beside the arrays can tell that this file changed."""
    (test_files / "t10k-labels-idx1-ubyte.gz").unlink()
    plain = test_files / "t10k-labels-idx1-ubyte"  # uncompressed: a changed label keeps its length
    plain.write_bytes(labels_bytes)
    assert data.get_mnist("test", data_dir=test_files)[1][1].argmax() == 2
    changed = bytearray(labels_bytes)
    changed[9] = 3  # the second label, 2, becomes 3
    _replace_keeping_size_and_time(plain, bytes(changed))
    assert data.get_mnist("test", data_dir=test_files)[1][1].argmax() == 3


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "pickled", "wrong shape", "stamp", "no stamp"])
def test_a_damaged_cache_is_rebuilt_without_a_word(cache_home, test_files, damage):
    data.get_mnist("test", data_dir=test_files)
    expected = decompressed(test_files)  # (not the cached arrays: the damage below is done to their very file)
    npy = next(cache_home.glob("t10k-images*-document.npy"))
    stamp = npy.with_suffix(".json")
    if damage == "truncated":
        npy.write_bytes(npy.read_bytes()[:-1000])
    elif damage == "empty":
        npy.write_bytes(b"")
    elif damage == "garbage":
        npy.write_bytes(b"\x93NUMPY garbage" * 100)
    elif damage == "pickled":  # what np.load would only read by unpickling: refused, never run
        np.save(npy, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    elif damage == "wrong shape":
        np.save(npy, np.zeros((10, 784), dtype=np.float32))
    elif damage == "stamp":
        stamp.write_text("{not json")
    else:
        stamp.unlink()
    images, labels = data.get_mnist("test", data_dir=test_files)
    assert np.array_equal(images, expected[0]) and np.array_equal(labels, expected[1])
    assert isinstance(images.base, np.memmap)  # written again, and used
    again = data.get_mnist("test", data_dir=test_files)[0]
    assert np.array_equal(again, expected[0])


def test_damaged_cached_labels_are_not_trusted(cache_home, test_files):
    data.get_mnist("test", data_dir=test_files)
    npy = next(cache_home.glob("t10k-labels*-raw.npy"))
    labels = np.load(npy).copy()
    labels[0] = 200  # a label no digit has; the file keeps its size
    np.save(npy, labels)
    assert data.get_mnist("test", data_dir=test_files)[1][0].argmax() == 7


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path, test_files, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setattr("reseau.cache.array_cache_dir", lambda: blocked / "arrays")
    images, labels = data.get_mnist("test", data_dir=test_files)
    expected = decompressed(test_files)
    assert np.array_equal(images, expected[0]) and np.array_equal(labels, expected[1])
    assert not images.flags.writeable


def test_each_source_folder_has_its_own_cache(cache_home, test_files, mnist_dir):
    data.get_mnist("test", data_dir=test_files)
    data.get_mnist("test", data_dir=mnist_dir)
    assert len(list(cache_home.glob("t10k-images*-document.npy"))) == 2


def test_the_fast_engines_pixel_lists_are_kept_beside_the_images(cache_home, test_files, monkeypatch):
    from reseau import faithful

    images = data.get_mnist("test", data_dir=test_files)[0]
    lists = faithful.sparse_rows(images)
    mask = np.asarray(images) != 0
    assert np.array_equal(lists[1], np.nonzero(mask)[1]) and np.array_equal(lists[2], images[mask])
    assert len(list(cache_home.glob("t10k-images*-document-pixels-*.npy"))) == 3
    faithful._CSR_CACHE.clear()  # as in a new process
    monkeypatch.setattr(faithful, "_csr_kernel", lambda: pytest.fail("the pixels were listed again"))
    kept = faithful.sparse_rows(data.get_mnist("test", data_dir=test_files)[0])
    assert all(np.array_equal(a, b) for a, b in zip(kept, lists))
    assert all(isinstance(a.base, np.memmap) for a in kept)
