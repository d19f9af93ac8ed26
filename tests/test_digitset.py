"""A set of handwritten digits as IDX files (:mod:`reseau.digitset`, the page's ``local/idx.js``), ``reseau evaluate``.

The page exports a student's digits as MNIST's two test files: what its
JavaScript writes, Python reads bit for bit, and the other way round (Node
runs tests/js/idx.test.mjs on a set drawn here).  ``reseau evaluate`` reads a
folder written here; every expected number (counts, accuracies, confusions)
is computed by the Python side during the test, with the network's own answers.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from reseau import data, digitset, modelfile
from reseau.cli import run
from reseau.i18n import t
from test_js_faithful import run_node

ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")
MODEL = ROOT / "tests" / "data" / "v0.1-faithful.safetensors"  # the document's network, an old file: loads as is


def drawn_set(n: int = 37, seed: int = 23) -> tuple[np.ndarray, np.ndarray]:
    """A set like a student's: ``n`` images (n, 28, 28) of any grey level, their digits."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)


def test_python_writes_what_it_reads_and_mnist_reads_it(tmp_path):
    images, labels = drawn_set()
    paths = digitset.write_set(tmp_path, images, labels)
    assert [p.name for p in paths] == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    got_images, got_labels = digitset.read_set(tmp_path)
    assert np.array_equal(got_images, images) and np.array_equal(got_labels, labels)
    assert np.array_equal(data.read_idx(paths[0], "images", len(images)), images)  # reseau.data's own reader
    first = paths[0].read_bytes()
    digitset.write_set(tmp_path, images, labels)
    assert paths[0].read_bytes() == first  # no time in the gzip header: the same set, the same bytes


@pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")
def test_the_page_export_and_import_are_bit_identical_with_python(tmp_path):
    images, labels = drawn_set()
    images.tofile(tmp_path / "images.u8")
    labels.tofile(tmp_path / "labels.u8")
    written, python_dir = tmp_path / "written", tmp_path / "python"
    written.mkdir()
    python = [p.name for p in digitset.write_set(python_dir, images, labels)]
    cases = {"images": "images.u8", "labels": "labels.u8", "written": str(written), "python": python,
             "python_dir": str(python_dir)}  # fmt: skip
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    run_node("idx.test.mjs", "RESEAU_IDX_CASES", tmp_path / "cases.json")
    got_images, got_labels = digitset.read_set(written)  # what the page's export wrote
    assert np.array_equal(got_images, images) and np.array_equal(got_labels, labels)
    for name in python:  # the decompressed files are byte for byte Python's
        assert gzip.decompress((written / name).read_bytes()) == gzip.decompress((python_dir / name).read_bytes())


def expected_lines(network, images, labels) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Per digit: (count, right) computed here from the network's answers; the confusions, most frequent first."""
    answers = network.predict(data.document_images(images))  # (n, 784) -> (n,)
    rows = [(int((labels == k).sum()), int(((labels == k) & (answers == k)).sum())) for k in range(10)]
    pairs: dict[tuple[int, int], int] = {}
    for w, r in zip(labels, answers, strict=True):
        if w != r:
            pairs[(int(w), int(r))] = pairs.get((int(w), int(r)), 0) + 1
    confusions = sorted(((w, r, n) for (w, r), n in pairs.items()), key=lambda p: (-p[2], p[0], p[1]))
    return [f"{k} {n} {right}" for k, (n, right) in enumerate(rows)], confusions


def test_evaluate_reads_a_folder_it_wrote(tmp_path, capsys):
    model = modelfile.load(MODEL)
    raw_images, raw_labels = data.load_raw("test")
    images, labels = raw_images[:300], raw_labels[:300]
    digitset.write_set(tmp_path / "set", images, labels)
    assert run(["evaluate", "--data-dir", str(tmp_path / "set"), "--model", str(MODEL)]) == 0
    printed = capsys.readouterr().out
    rows, confusions = expected_lines(model.network, images, labels)
    lines = [" ".join(line.split()[:3]) for line in printed.splitlines()]
    for row in rows:
        assert row in lines, (row, printed)
    assert confusions, "the network makes mistakes on 300 images: the confusions are not vacuous"
    w, r, n = confusions[0]
    assert t("evaluate.confusion", written=str(w), read=str(r), times=n) in printed
    right = sum(int(row.split()[2]) for row in rows)
    assert t("evaluate.percent", value=100 * right / 300) in printed


def test_evaluate_says_what_is_wrong_in_one_sentence(tmp_path, capsys):
    images, labels = drawn_set(5)
    cases = {"missing": tmp_path / "nowhere", "empty": tmp_path / "empty", "counts": tmp_path / "counts",
             "damaged": tmp_path / "damaged"}  # fmt: skip
    cases["empty"].mkdir()
    digitset.write_set(cases["counts"], images, labels)
    digitset.write_set(tmp_path / "other", images[:3], labels[:3])
    shutil.copy(tmp_path / "other" / "t10k-labels-idx1-ubyte.gz", cases["counts"])
    digitset.write_set(cases["damaged"], images, labels)
    (cases["damaged"] / "t10k-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b not really gzip")
    for lang in ("fr", "en"):
        for case, folder in cases.items():
            code = run(["evaluate", "--data-dir", str(folder), "--model", str(MODEL), "--lang", lang])
            said = capsys.readouterr()
            assert code == 2, (case, said)
            assert "Traceback" not in said.err and said.err.strip(), (case, said)
            assert len(said.err.strip().splitlines()) <= 3, (case, said.err)  # one sentence (wrapped at most)
    with pytest.raises(ValueError):
        digitset.write_set(tmp_path / "x", images.astype(np.float32), labels)  # a programming error, loudly
