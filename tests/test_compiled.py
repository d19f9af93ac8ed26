"""The document's epoch kernel compiled ahead of time (reseau.compiled), and its fallback to numba's just in time.

* the ahead-of-time module computes what numba's just-in-time kernel does, on real MNIST;
* once it is built, ``reseau train`` runs without importing numba at all (its 0.25 s of start-up)
  and prints the document's lines; the first training says that it compiles, once;
* a toolchain that fails, a damaged module file, another process holding the build: the
  just-in-time kernel answers, the failure is remembered, nothing reaches the user;
* a training in a thread (the web page, the classroom) uses the kernel that lets other threads run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading

import numpy as np
import pytest

from reseau import compiled, faithful

KEY = compiled.build_key(faithful.epoch_kernel, faithful.EPOCH_SIGNATURES)
BUILT = compiled.module_file(KEY)  # in this session's cache (tests/conftest.py), built by the first test that trains


def run_kernel(kernel, train_data, n: int = 3000):
    """One pass of ``kernel`` over the first ``n`` training images from the document's start; the new weights."""
    images, labels = train_data
    indptr, indices, values = faithful.sparse_rows(images)
    w_i_h, w_h_o, b_i_h, b_h_o = faithful.initial_weights(20, 0)
    weights = [np.ascontiguousarray(w_i_h.T), w_h_o, b_i_h.ravel().copy(), b_h_o.ravel().copy()]
    digits = labels.argmax(axis=1).astype(np.int64)
    correct = kernel(indptr, indices, values, digits, *weights, 0.01, 0, n)
    return correct, weights


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """An empty compiled-kernel cache for this test only."""
    monkeypatch.setattr(compiled, "cache_dir", lambda: tmp_path / "compiled")
    return tmp_path / "compiled"


def test_ahead_of_time_computes_what_just_in_time_does(train_data):
    ahead = faithful.fast_kernel()
    assert hasattr(ahead, "ahead_of_time"), "the ahead-of-time module could not be built on this machine"
    assert compiled.module_file(KEY).is_file()
    just_in_time = faithful.threaded_kernel()
    (n_ahead, w_ahead), (n_jit, w_jit) = run_kernel(ahead, train_data), run_kernel(just_in_time, train_data)
    assert n_ahead == n_jit > 1000  # right answers among the first 3 000 images (chance: 300)
    for a, b in zip(w_ahead, w_jit):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    # float64 pixel values go to the second compiled function, with the same result
    images64 = (np.asarray(train_data[0], dtype=np.float64), train_data[1])
    n64, w64 = run_kernel(ahead, images64)
    assert n64 == n_ahead
    for a, b in zip(w64, w_ahead):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


LOADED = """
import json, sys
from reseau.cli import run
try:
    run(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "numba")))
"""


def train_in_a_new_process(out) -> tuple[str, str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", LOADED, "train", "--epochs", "2", "--out", str(out)],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, RESEAU_LANG="fr"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    *lines, loaded = done.stdout.strip().splitlines()
    return "\n".join(lines), done.stderr, json.loads(loaded)


def test_once_built_reseau_train_starts_without_numba(tmp_path):
    assert hasattr(faithful.fast_kernel(), "ahead_of_time")  # built in this session's cache (the first test did)
    out, err, numba_modules = train_in_a_new_process(tmp_path / "model.safetensors")
    assert numba_modules == []  # numba is neither imported nor needed
    assert "Première fois" not in err
    epochs = [line for line in out.splitlines() if line.startswith("Epoch")]
    assert epochs == ["Epoch : 0, Précision : 86.18%", "Epoch : 1, Précision : 92.38%"]  # the document's lines


def copy_of_the_built_module(key, function, signatures, reference=None):
    """A stand-in for :func:`compiled.build` that puts this session's real module in place (no 3 s of compiling)."""
    target = compiled.module_file(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BUILT, target)
    return target


def test_the_first_training_says_it_compiles_then_uses_the_module(own_cache, monkeypatch, tmp_path, capsys):
    from reseau.cli import run

    assert hasattr(faithful.fast_kernel(), "ahead_of_time")
    monkeypatch.setattr(compiled, "build", copy_of_the_built_module)
    faithful.fast_kernel.cache_clear()  # as in a new process, with an empty cache
    try:
        assert run(["train", "--epochs", "1", "--out", str(tmp_path / "m.safetensors")]) == 0
        assert hasattr(faithful.fast_kernel(), "ahead_of_time")
    finally:
        faithful.fast_kernel.cache_clear()
    printed = capsys.readouterr()
    assert printed.err.count("Première fois") == 1
    assert "Epoch : 0, Précision : 86.18%" in printed.out
    assert compiled.module_file(KEY).is_file()


def test_a_failing_toolchain_falls_back_once_and_is_remembered(own_cache, monkeypatch, train_data):
    calls = []

    def no_compiler(*args):
        calls.append(args)
        raise OSError("no C compiler here")

    monkeypatch.setattr(compiled, "build", no_compiler)
    kernel = compiled.kernel(faithful.epoch_kernel, faithful.EPOCH_SIGNATURES, faithful._pick_signature)
    assert not hasattr(kernel, "ahead_of_time") and len(calls) == 1
    assert "no C compiler here" in compiled.failed_file(KEY).read_text()
    again = compiled.kernel(faithful.epoch_kernel, faithful.EPOCH_SIGNATURES, faithful._pick_signature)
    assert not hasattr(again, "ahead_of_time") and len(calls) == 1  # not tried again: remembered
    n, _ = run_kernel(again, train_data, 500)
    m, _ = run_kernel(faithful.fast_kernel(), train_data, 500)
    assert n == m  # the just-in-time kernel: the same training


def test_a_damaged_module_is_built_again(own_cache, monkeypatch):
    target = compiled.module_file(KEY)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"\x7fELF but not really a module")
    assert compiled.load(KEY, faithful.EPOCH_SIGNATURES) is None  # refused, not a crash
    monkeypatch.setattr(compiled, "build", copy_of_the_built_module)
    kernel = compiled.kernel(faithful.epoch_kernel, faithful.EPOCH_SIGNATURES, faithful._pick_signature)
    assert hasattr(kernel, "ahead_of_time")  # built again in its place
    assert compiled.load(KEY, faithful.EPOCH_SIGNATURES) is not None


@pytest.mark.may_skip  # fcntl is POSIX only: another platform, not a missing tool
def test_another_process_building_means_just_in_time_now(own_cache, monkeypatch):
    fcntl = pytest.importorskip("fcntl")
    own_cache.mkdir(parents=True)
    with open(own_cache / f"{KEY}.lock", "w") as held:  # as another process building it would
        fcntl.flock(held, fcntl.LOCK_EX)
        monkeypatch.setattr(compiled, "build", lambda *a: pytest.fail("built while another process builds"))
        kernel = compiled.kernel(faithful.epoch_kernel, faithful.EPOCH_SIGNATURES, faithful._pick_signature)
    assert not hasattr(kernel, "ahead_of_time")
    assert not compiled.failed_file(KEY).exists()  # not a failure: the next process will find it built


def test_a_wrong_compilation_is_caught_before_it_is_kept(own_cache):
    """The build runs the module on the kernel's own example and compares with the plain Python function."""

    def wrong(indptr, indices, values, digits, w_i_h_t, w_h_o, b_i_h, b_h_o, learn_rate, start, stop):
        w_h_o[0, 0] += 1.0  # not what epoch_kernel does
        return stop - start

    wrong.example = faithful.epoch_kernel.example  # type: ignore[attr-defined]
    key = compiled.build_key(wrong, faithful.EPOCH_SIGNATURES)
    with pytest.raises(ArithmeticError, match="epoch_kernel"):
        compiled.build(key, wrong, faithful.EPOCH_SIGNATURES, reference=faithful.epoch_kernel)
    assert not compiled.module_file(key).exists()
    assert list(own_cache.iterdir()) == []  # no work folder left behind


def test_a_training_in_a_thread_lets_other_threads_run(train_data, monkeypatch):
    monkeypatch.setattr(faithful, "fast_kernel", lambda: pytest.fail("the GIL-holding kernel in a thread"))
    results = []
    thread = threading.Thread(
        target=lambda: results.append(faithful.train(train_data[0][:2000], train_data[1][:2000])[1])
    )
    thread.start()
    thread.join()
    assert results and results[0].epochs[-1].precision > 50
