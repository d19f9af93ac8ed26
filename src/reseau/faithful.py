"""The document's training, exactly: per-image SGD on a 784 -> hidden -> 10 sigmoid network.

Two engines compute the same arithmetic:

* ``reference`` — NumPy, line by line as the document writes it, with its
  variable names (``w_i_h, w_h_o, b_i_h, b_h_o, h_pre, h, o_pre, o, delta_o,
  delta_h, learn_rate``).  Read this one next to the document.
* ``fast`` — the same loop compiled with numba (the default), about 50 times
  faster.  It stores ``w_i_h`` transposed, ``(784, 20)``, so each pixel's 20
  weights are contiguous, and it skips the pixels that are 0: 81 % of MNIST's
  pixels are 0, and adding ``lr * delta * 0`` leaves a weight unchanged, so
  skipping them changes no result.  Tests check both engines end with the same
  weights (to 1e-9) and print the same "Précision".
"""

from __future__ import annotations

import functools
import threading
import time
import weakref
from collections.abc import Callable

import numpy as np

from reseau.errors import DivergenceError
from reseau.faithful_config import LEARN_RATE, PRESETS, FaithfulConfig
from reseau.history import EpochFn, EpochReport, History, ProgressFn
from reseau.network import Network, frozen, sigmoid

CHUNK = 5000  # images per compiled call, so progress shows and Ctrl-C is heard


def initial_weights(hidden: int, seed: int) -> tuple[np.ndarray, ...]:
    """The document's random start, drawn as ``np.random.seed(seed)`` then its two lines would.

    ``RandomState(seed)`` gives the same numbers as the global ``np.random``
    after ``np.random.seed(seed)``, without touching global state.
    """
    rng = np.random.RandomState(seed)
    w_i_h = rng.uniform(-0.5, 0.5, (hidden, 784))  # drawn first, as in the document
    w_h_o = rng.uniform(-0.5, 0.5, (10, hidden))
    b_i_h = np.zeros((hidden, 1))
    b_h_o = np.zeros((10, 1))
    return w_i_h, w_h_o, b_i_h, b_h_o


# ---------------------------------------------------------------------------
# The reference engine: the document's loop, line by line
# ---------------------------------------------------------------------------


def reference_epoch(images, labels, w_i_h, w_h_o, b_i_h, b_h_o, learn_rate) -> int:
    """One pass of the document's loop over ``images (n, 784)``; updates the weights in place.

    Returns ``nr_correct``.  Shapes are the document's: columns ``(k, 1)``.
    """
    nr_correct = 0
    for img, l in zip(images, labels):
        img = img.reshape(784, 1)  # the document's img.shape += (1,)
        l = l.reshape(10, 1)  # noqa: E741  (the document's name for the label)
        # Forward propagation input -> hidden
        h_pre = b_i_h + w_i_h @ img  # (20, 1) + (20, 784) @ (784, 1) -> (20, 1)
        h = sigmoid(h_pre)  # 1 / (1 + np.exp(-h_pre))
        # Forward propagation hidden -> output
        o_pre = b_h_o + w_h_o @ h  # (10, 1) + (10, 20) @ (20, 1) -> (10, 1)
        o = sigmoid(o_pre)  # 1 / (1 + np.exp(-o_pre))
        # Cost / Error calculation: the document computes
        #   e = 1 / len(o) * np.sum((o - l) ** 2, axis=0)
        # and never uses it, so it is left out here.
        nr_correct += int(np.argmax(o) == np.argmax(l))
        # Backpropagation output -> hidden (cost function derivative)
        delta_o = o - l  # (10, 1)
        w_h_o += -learn_rate * delta_o @ np.transpose(h)  # (10, 1) @ (1, 20) -> (10, 20)
        b_h_o += -learn_rate * delta_o
        # Backpropagation hidden -> input (activation function derivative).
        # The document's order matters here: w_h_o was updated just above, and
        # delta_h uses the *updated* w_h_o (textbook backpropagation would use
        # the old one).  We keep the document's order.
        delta_h = np.transpose(w_h_o) @ delta_o * (h * (1 - h))  # (20, 10) @ (10, 1) * (20, 1) -> (20, 1)
        w_i_h += -learn_rate * delta_h @ np.transpose(img)  # (20, 1) @ (1, 784) -> (20, 784)
        b_i_h += -learn_rate * delta_h
    return nr_correct


# ---------------------------------------------------------------------------
# The fast engine: the same arithmetic, compiled
# ---------------------------------------------------------------------------


def sparse_rows(images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``images (n, 784)`` -> CSR form of their non-zero pixels: ``indptr (n+1,)``, pixel indices, values.

    Image ``n``'s non-zero pixels are ``indices[indptr[n]:indptr[n+1]]`` in
    pixel order, with their values in the images' own dtype (float32 for the
    document's): the kernel turns each into float64 as it uses it, exactly, as
    NumPy does in the document's ``w_i_h @ img``.

    For a frozen array (read-only all the way down, see :func:`reseau.data.freeze`)
    the result is kept as long as the array lives: an experiment worker or the
    web server trains many times on the same images and lists their pixels once.
    For images from reseau's array cache the lists are kept on disk beside them
    (:func:`reseau.cache.kept_beside`): the next run reads them instead of 0.1 s
    of listing.
    """
    if not frozen(images):
        return _csr_kernel()(np.ascontiguousarray(images))
    key = id(images)
    if key not in _CSR_CACHE:
        from reseau.cache import kept_beside

        indptr, indices, values = kept_beside(images, "pixels", lambda: _csr_kernel()(np.ascontiguousarray(images)))
        _CSR_CACHE[key] = indptr, indices, values
        weakref.finalize(images, _CSR_CACHE.pop, key, None)  # forget it with the array
    return _CSR_CACHE[key]


_CSR_CACHE: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


@functools.cache
def _csr_kernel():
    import numba

    @numba.njit(cache=True, nogil=True)
    def csr(images):  # pragma: no cover - compiled
        n, m = images.shape
        indptr = np.zeros(n + 1, dtype=np.int64)
        for r in range(n):
            count = 0
            for c in range(m):
                if images[r, c] != 0:
                    count += 1
            indptr[r + 1] = indptr[r] + count
        indices = np.empty(indptr[n], dtype=np.int32)
        values = np.empty(indptr[n], dtype=images.dtype)  # as given: float32 -> float64 happens in the kernel
        q = 0
        for r in range(n):
            for c in range(m):
                if images[r, c] != 0:
                    indices[q] = c
                    values[q] = images[r, c]
                    q += 1
        return indptr, indices, values

    return csr


def epoch_kernel(
    indptr, indices, values, digits, w_i_h_t, w_h_o, b_i_h, b_h_o, learn_rate, start, stop
):  # pragma: no cover - run compiled
    """Images ``start..stop`` of one epoch; updates the weights in place and returns ``nr_correct``.

    ``w_i_h_t`` is ``w_i_h`` transposed, ``(784, H)``; the images are the CSR
    lists of :func:`sparse_rows`, ``digits (n,)`` the labels as digits.  Plain
    Python that numba compiles (:func:`fast_kernel`); it runs as it is too,
    only slowly (the compiled module is checked against it).
    """
    hidden = w_i_h_t.shape[1]
    limit = 708.0  # sigmoid's clip, as network.sigmoid
    acc = np.empty(hidden)
    h = np.empty(hidden)
    o = np.empty(10)
    delta_o = np.empty(10)
    delta_h = np.empty(hidden)
    nr_correct = 0
    for n in range(start, stop):
        # h_pre = b_i_h + w_i_h @ img, summing only the non-zero pixels, in pixel order
        acc[:] = 0.0
        for p in range(indptr[n], indptr[n + 1]):
            row = w_i_h_t[indices[p]]
            v = values[p]
            for j in range(hidden):
                acc[j] += row[j] * v
        for j in range(hidden):
            h[j] = 1.0 / (1.0 + np.exp(-max(b_i_h[j] + acc[j], -limit)))
        # o_pre = b_h_o + w_h_o @ h; o = sigmoid(o_pre); count as the document
        best = 0
        for i in range(10):
            s = 0.0
            for j in range(hidden):
                s += w_h_o[i, j] * h[j]
            o[i] = 1.0 / (1.0 + np.exp(-max(b_h_o[i] + s, -limit)))
            if o[i] > o[best]:
                best = i
        label = digits[n]
        if best == label:
            nr_correct += 1
        # delta_o = o - l; w_h_o += -lr * delta_o @ h.T; b_h_o += -lr * delta_o
        for i in range(10):
            delta_o[i] = o[i] - (1.0 if i == label else 0.0)
            g = -learn_rate * delta_o[i]
            for j in range(hidden):
                w_h_o[i, j] += g * h[j]
            b_h_o[i] += g
        # delta_h = w_h_o.T @ delta_o * (h * (1 - h)), with the UPDATED w_h_o (document's order)
        acc[:] = 0.0
        for i in range(10):
            d = delta_o[i]
            for j in range(hidden):
                acc[j] += w_h_o[i, j] * d
        for j in range(hidden):
            delta_h[j] = -learn_rate * (acc[j] * (h[j] * (1.0 - h[j])))
            b_i_h[j] += delta_h[j]
        # w_i_h += -lr * delta_h @ img.T: only the rows of non-zero pixels change
        for p in range(indptr[n], indptr[n + 1]):
            row = w_i_h_t[indices[p]]
            v = values[p]
            for j in range(hidden):
                row[j] += delta_h[j] * v
    return nr_correct


def _kernel_example(name: str) -> tuple:
    """Arguments for a short run of :func:`epoch_kernel` (values in float32 or float64, as ``name`` says)."""
    rng = np.random.default_rng(0)
    images = (rng.random((40, 784)) < 0.2) * rng.random((40, 784))  # (40, 784), a fifth of the pixels lit
    indptr, indices, values = _csr_python(images.astype(np.float32 if name.endswith("f32") else np.float64))
    w_i_h, w_h_o, b_i_h, b_h_o = initial_weights(20, 0)
    digits = rng.integers(0, 10, 40).astype(np.int64)
    return indptr, indices, values, digits, w_i_h.T.copy(), w_h_o, b_i_h.ravel(), b_h_o.ravel(), 0.5, 0, 40


def _csr_python(images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, indices = np.nonzero(images)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(images)))]).astype(np.int64)
    return indptr, indices.astype(np.int32), images[rows, indices]


epoch_kernel.example = _kernel_example  # type: ignore[attr-defined]  # what the compiled module is checked on

# The compiled forms of epoch_kernel, by the dtype of the pixel values (float32: the document's images)
_ARRAYS = "i8[::1], i4[::1], {values}[::1], i8[::1], f8[:, ::1], f8[:, ::1], f8[::1], f8[::1], f8, i8, i8"
EPOCH_SIGNATURES = {
    "epoch_kernel_f32": f"i8({_ARRAYS.format(values='f4')})",
    "epoch_kernel_f64": f"i8({_ARRAYS.format(values='f8')})",
}


def _pick_signature(indptr, indices, values, *rest) -> str:
    return {np.float32: "epoch_kernel_f32", np.float64: "epoch_kernel_f64"}.get(values.dtype.type, "")


@functools.cache
def fast_kernel(build: bool = True):
    """The compiled epoch kernel: numba ahead of time when possible (starts in milliseconds), else just in time.

    See :mod:`reseau.compiled`.  The ahead-of-time module keeps Python's GIL
    while it runs (5 000 images, a few milliseconds a call); a training in a
    thread of a server (the web page, the classroom) uses :func:`threaded_kernel`.
    """
    from reseau import compiled

    return compiled.kernel(epoch_kernel, EPOCH_SIGNATURES, _pick_signature, build=build)


def threaded_kernel():
    """numba's just-in-time epoch kernel, which lets other threads run while it computes (``nogil``)."""
    from reseau import compiled

    return compiled.just_in_time(epoch_kernel)


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------


def train(
    images: np.ndarray,
    labels: np.ndarray,
    config: FaithfulConfig | None = None,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    on_epoch: EpochFn | None = None,
    on_progress: ProgressFn | None = None,
) -> tuple[Network, History]:
    """Train the document's network on ``images (n, 784)`` and one-hot ``labels (n, 10)``.

    After each epoch ``on_epoch`` receives the document's counter and, if
    ``test`` images are given, the accuracy on them.  Raises
    :class:`DivergenceError` if the weights stop being finite numbers.
    """
    config = (config or FaithfulConfig()).validate()
    w_i_h, w_h_o, b_i_h, b_h_o = initial_weights(config.hidden, config.seed)
    run_epoch = ENGINES[config.engine](images, labels, w_i_h, w_h_o, b_i_h, b_h_o, config.learn_rate)
    history = History()
    network = Network.from_document(w_i_h, b_i_h, w_h_o, b_h_o)  # replaced after each epoch
    for epoch in range(config.epochs):
        started = time.perf_counter()
        nr_correct, network = run_epoch(on_progress)
        seconds = time.perf_counter() - started
        if not network.all_finite():
            raise DivergenceError("train.diverged", epoch=epoch, lr=config.learn_rate)
        test_acc = network.accuracy(*test) if test is not None else None
        report = EpochReport(epoch, nr_correct, len(images), test_acc, seconds, mode=config.mode)
        history.epochs.append(report)
        history.keep_last()  # the document's network is the last epoch's
        if on_epoch:
            on_epoch(report)
    return network, history


def _in_chunks(n: int, chunk: Callable[[int, int], int], on_progress: ProgressFn | None) -> int:
    """``nr_correct`` of one epoch run as ``chunk(start, stop)`` calls of :data:`CHUNK` images, progress after each."""
    nr_correct = 0
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        nr_correct += chunk(start, stop)
        if on_progress:
            on_progress(stop, n)
    return nr_correct


def _reference_epochs(images, labels, w_i_h, w_h_o, b_i_h, b_h_o, learn_rate):
    def chunk(start: int, stop: int) -> int:
        return reference_epoch(images[start:stop], labels[start:stop], w_i_h, w_h_o, b_i_h, b_h_o, learn_rate)

    def run(on_progress):
        return _in_chunks(len(images), chunk, on_progress), Network.from_document(w_i_h, b_i_h, w_h_o, b_h_o)

    return run


def _fast_epochs(images, labels, w_i_h, w_h_o, b_i_h, b_h_o, learn_rate):
    in_main_thread = threading.current_thread() is threading.main_thread()
    kernel = fast_kernel() if in_main_thread else threaded_kernel()
    indptr, indices, values = sparse_rows(images)
    digits = labels.argmax(axis=1).astype(np.int64)  # one-hot -> digit; argmax(l) in the document
    w_i_h_t = np.ascontiguousarray(w_i_h.T)  # (784, H): one pixel's weights side by side
    w_h_o = np.ascontiguousarray(w_h_o)  # (10, H), the same array when it is already (the document's)
    b_i, b_o = b_i_h.reshape(-1).copy(), b_h_o.reshape(-1).copy()

    def chunk(start: int, stop: int) -> int:
        return kernel(indptr, indices, values, digits, w_i_h_t, w_h_o, b_i, b_o, float(learn_rate), start, stop)

    def run(on_progress):
        nr_correct = _in_chunks(len(images), chunk, on_progress)
        return nr_correct, Network([w_i_h_t.T.copy(), w_h_o.copy()], [b_i.copy(), b_o.copy()])

    return run


# The two engines: the same arithmetic, read line by line or compiled (FaithfulConfig.engine).
ENGINES = {"fast": _fast_epochs, "reference": _reference_epochs}
__all__ = ["ENGINES", "LEARN_RATE", "PRESETS", "FaithfulConfig", "initial_weights", "reference_epoch", "train"]
