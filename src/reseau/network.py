"""A trained network: its parameters, the forward pass and the prediction.

Batches are rows: ``x`` has shape ``(n, 784)``.  Weights keep the document's
orientation, ``W`` of shape ``(n_out, n_in)`` (``w_i_h`` is ``(20, 784)``), so a
layer computes ``x @ W.T + b``.  The same class holds the document's 784-20-10
sigmoid network and the deeper networks of the modern trainer.

:meth:`Network.predict` gives the answers of the float64 forward pass, digit
for digit, three to four times faster: it computes in float32 and checks each
answer against a proven bound on the float32 rounding errors (see
:func:`float32_scores`); the few rows too close to call are computed again in
float64.
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` as the document writes it, without ever overflowing.

    ``exp(-x)`` overflows for x below about -709 (float64) or -88 (float32).
    There the sigmoid is 0 to within 1e-300 anyway, so x is clipped just above
    that limit: for every other x the result is bit-for-bit the document's.
    """
    limit = np.log(np.finfo(x.dtype).max) - 1.0  # 708.8 (float64), 87.7 (float32)
    return 1 / (1 + np.exp(-np.maximum(x, -limit)))


def softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum so ``exp`` never overflows."""
    z = np.exp(x - x.max(axis=-1, keepdims=True))  # (n, k)
    return z / z.sum(axis=-1, keepdims=True)


# Each layer's activation by name: ``(n, m) -> (n, m)``.  A new choice is one line here.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0),
    "softmax": softmax,
    "identity": lambda x: x,
}


# Rounding: the float32 and float64 unit roundoffs (half the gap between 1 and the next number).
U32 = 2.0**-24
U64 = 2.0**-53
# For the float32 error bound: how much each activation can stretch a difference (its Lipschitz
# constant, in the max norm) and the error of computing it in float32, as a multiple of max(1, |input|).
LIPSCHITZ = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "softmax": 1.0, "identity": 1.0}
EVAL_ERROR = {"sigmoid": 16 * U32, "tanh": 16 * U32, "relu": 0.0, "softmax": 16 * U32, "identity": 0.0}
# Where the last activation, computed in float64, stops being strictly increasing (its values round
# to one number, and argmax takes the first of equals): the winner must stay above the first bound
# (relu is 0 below 0, sigmoid is clipped below -708) and the runner-up below the second (sigmoid and
# tanh round to 1.0 above about 37 and 19).  Between them, argmax(activation(z)) is argmax(z).
STRICTLY_INCREASING = {
    "sigmoid": (-700.0, 15.0),
    "tanh": (-7.0, 7.0),
    "relu": (0.0, np.inf),
    "softmax": (-np.inf, np.inf),
    "identity": (-np.inf, np.inf),
}
MIN_GAP = 1e-8  # in that range, scores this far apart never round to one float64 activation value
ONE_THREAD_BELOW = 10_000_000  # multiply-adds of the float64 pass on the close calls: fewer use one BLAS thread


def activate(name: str, x: np.ndarray) -> np.ndarray:
    """The activation ``name`` applied to ``x (n, m)``; a ValueError lists the choices for an unknown name."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {tuple(ACTIVATIONS)}")
    return ACTIVATIONS[name](x)


class Recogniser(Protocol):
    """What every trained network answers, whatever its kind (:class:`Network`, :class:`reseau.convnet.ConvNetwork`).

    A model file stores :meth:`parameters` as tensors and :meth:`layout` under
    the metadata key ``LAYOUT``; ``from_parameters`` builds the network back.
    """

    LAYOUT: ClassVar[str]  # the model file's metadata key that describes the layers

    @classmethod
    def from_parameters(cls, layout: Any, tensors: dict[str, np.ndarray]) -> Recogniser: ...

    @property
    def sizes(self) -> list[int]: ...  # values per layer a dense network would call neurons, input first

    @property
    def activations(self) -> list[str]: ...  # each layer's activation (or type, for a convolutional network)

    def forward(self, x: np.ndarray) -> np.ndarray: ...  # rows (n, 784) -> outputs (n, 10)

    def predict(self, x: np.ndarray) -> np.ndarray: ...  # rows (n, 784) -> answers (n,)

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float: ...  # % recognised

    def all_finite(self) -> bool: ...

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]: ...  # hidden values (rows), then the output

    def parameters(self) -> dict[str, np.ndarray]: ...  # every array by name, as a model file stores it

    def layout(self) -> Any: ...  # the layers as plain JSON data


@dataclass
class Network:
    """A multi-layer perceptron: ``weights[k]`` is ``(n_out, n_in)``, ``biases[k]`` is ``(n_out,)``."""

    LAYOUT: ClassVar[str] = "activations"  # a model file describes its layers by their activations

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: list[str] = field(default_factory=lambda: ["sigmoid", "sigmoid"])

    def __post_init__(self) -> None:
        if not (len(self.weights) == len(self.biases) == len(self.activations)):
            raise ValueError("one weight matrix, one bias vector and one activation per layer")
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            if w.ndim != 2 or b.shape != (w.shape[0],):
                raise ValueError(f"layer {k}: weights {w.shape} and biases {b.shape} do not fit")
            if k and w.shape[1] != self.weights[k - 1].shape[0]:
                raise ValueError(
                    f"layer {k} takes {w.shape[1]} inputs, the previous gives {self.weights[k - 1].shape[0]}"
                )
        for name in self.activations:
            if name not in ACTIVATIONS:
                raise ValueError(f"unknown activation {name!r}; choose one of {tuple(ACTIVATIONS)}")

    @classmethod
    def from_document(cls, w_i_h: np.ndarray, b_i_h: np.ndarray, w_h_o: np.ndarray, b_h_o: np.ndarray) -> Network:
        """The document's four arrays (biases as columns ``(20, 1)``) -> a Network."""
        return cls(
            [np.array(w_i_h), np.array(w_h_o)],
            [np.array(b_i_h).reshape(-1), np.array(b_h_o).reshape(-1)],
            ["sigmoid", "sigmoid"],
        )

    @classmethod
    def from_parameters(cls, activations: list[str], tensors: dict[str, np.ndarray]) -> Network:
        """The inverse of :meth:`parameters` and :meth:`layout`."""
        n = len(activations)
        return cls([tensors[f"weights.{k}"] for k in range(n)], [tensors[f"biases.{k}"] for k in range(n)], activations)

    def parameters(self) -> dict[str, np.ndarray]:
        """``weights.0, biases.0, weights.1, ...``: the arrays by name."""
        named = {}
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            named[f"weights.{k}"], named[f"biases.{k}"] = w, b
        return named

    def layout(self) -> list[str]:
        return list(self.activations)

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, input first: ``[784, 20, 10]`` for the document."""
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]

    # The document's names, for its two-layer network.
    @property
    def w_i_h(self) -> np.ndarray:
        return self.weights[0]

    @property
    def w_h_o(self) -> np.ndarray:
        return self.weights[-1]

    @property
    def b_i_h(self) -> np.ndarray:
        return self.biases[0]

    @property
    def b_h_o(self) -> np.ndarray:
        return self.biases[-1]

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """Every layer's values for rows ``x (n, 784)``: ``[h, ..., o]``, each ``(n, size)``."""
        outputs = []
        a = x
        for w, b, name in zip(self.weights, self.biases, self.activations):
            a = activate(name, a @ w.T + b)  # (n, n_in) @ (n_in, n_out) + (n_out,) -> (n, n_out)
            outputs.append(a)
        return outputs

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Output values ``o`` for rows ``x``: ``(n, 784) -> (n, 10)``; a single image ``(784,)`` works too."""
        single = x.ndim == 1
        o = self.layer_outputs(x.reshape(1, -1) if single else x)[-1]
        return o[0] if single else o

    def predict(self, x: np.ndarray, batch: int = 10000) -> np.ndarray:
        """The recognised digit (the index of the largest output) for each row of ``x``.

        Always the answer of :meth:`forward` (float64); for float32 rows it is
        found in float32 first and confirmed (:func:`sure_answers`).
        """
        x = np.atleast_2d(x)
        if not len(x):
            return np.zeros(0, dtype=np.intp)
        if x.dtype != np.float32:  # float64 rows: float64 is as fast as it gets
            return np.concatenate([self.forward(x[i : i + batch]).argmax(axis=1) for i in range(0, len(x), batch)])
        largest = largest_value(x)
        return np.concatenate([self._predict_rows(x[i : i + batch], largest) for i in range(0, len(x), batch)])

    def _predict_rows(self, x: np.ndarray, largest: float) -> np.ndarray:
        scores, error = float32_scores(self, x, largest)
        answers, sure = sure_answers(scores, error, self.activations[-1])
        unsure = ~sure
        work = int(unsure.sum()) * sum(w.size for w in self.weights)  # multiply-adds
        if work:
            with one_blas_thread() if work < ONE_THREAD_BELOW else contextlib.nullcontext():
                answers[unsure] = self.forward(x[unsure]).argmax(axis=1)  # too close to call in float32
        return answers

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        """Percentage of ``images (n, 784)`` whose prediction equals ``labels`` (one-hot or digits)."""
        digits = labels.argmax(axis=1) if labels.ndim == 2 else labels
        return float(np.mean(self.predict(images) == digits) * 100)

    def all_finite(self) -> bool:
        return all(np.isfinite(p).all() for p in self.weights + self.biases)


def one_blas_thread() -> contextlib.AbstractContextManager:
    """A context in which NumPy's BLAS uses one thread (if ``threadpoolctl`` is there).

    For small products: the float64 pass on the document's network's 200 or
    so close calls out of 10 000 took 0.4 ms on one thread and up to 7 ms on
    two, on a busy 2-core machine (handing the work over costs more than it).
    """
    controller = _blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1, user_api="blas")


@functools.cache
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()  # 0.2 ms to find the libraries, once


def frozen(array: np.ndarray | None) -> bool:
    """True when neither ``array`` nor any array it is a view of can be written."""
    while isinstance(array, np.ndarray):
        if array.flags.writeable:
            return False
        array = array.base
    return True


def largest_value(x: np.ndarray) -> float:
    """``max |x|``, remembered for a frozen array: the test images are predicted after every epoch.

    Each of the two passes costs a third of the float32 prediction itself (it
    reads all the images again).
    """
    if not frozen(x):
        return max(float(x.max()), -float(x.min()))
    key = id(x)
    if key not in _LARGEST:
        _LARGEST[key] = max(float(x.max()), -float(x.min()))
        weakref.finalize(x, _LARGEST.pop, key, None)  # forgotten with the array
    return _LARGEST[key]


_LARGEST: dict[int, float] = {}


def float32_scores(network: Network, x: np.ndarray, largest: float | None = None) -> tuple[np.ndarray, float]:
    """The last layer's values before its activation, computed in float32, and a bound on their error.

    ``x (n, m)`` float32 -> ``scores (n, k)`` float32 and ``error``: every
    score is within ``error`` of the exact value, and so is the float64
    forward pass's (whose own error is far smaller, and counted too).  The
    bound is the textbook one for a dot product of ``m`` terms summed in any
    order (Higham, *Accuracy and Stability of Numerical Algorithms*, 3.1):
    ``|fl(a . w) - a . w| <= m u / (1 - m u) * sum |a_i w_i|``, with
    ``sum |a_i w_i| <= max|a| * max_j ||W_j||_1``; plus the rounding of the
    weights to float32, the error coming in from the layer before (times
    ``||W_j||_1``) and that of each activation (:data:`LIPSCHITZ`, :data:`EVAL_ERROR`).
    ``largest`` is ``max |x|`` when it is known already (or more).
    """
    a, error = x, 0.0  # this layer's input and its largest error
    largest = largest_value(x) if largest is None else largest  # max |a|
    with np.errstate(over="ignore", invalid="ignore"):  # beyond float32's range: inf or NaN, never sure
        return _float32_layers(network, a, error, largest)


def _float32_layers(network: Network, a: np.ndarray, error: float, largest: float) -> tuple[np.ndarray, float]:
    for k, (w, b, name) in enumerate(zip(network.weights, network.biases, network.activations)):
        m = w.shape[1] + 1  # terms of each sum, the bias included
        relative = m * U32 / (1 - m * U32) * (1 + U32) + U32 + 2 * m * U64  # float32 sums, weights, float64
        norm = float(np.abs(w).sum(axis=1).max())  # max_j ||W_j||_1
        bias = float(np.abs(b).max(initial=0.0))
        z = a @ w.T.astype(np.float32)  # (n, m) @ (m, k) -> (n, k), float32
        z += b.astype(np.float32)  # + (k,)
        error = relative * ((largest + error) * norm + bias) + error * norm
        if k == len(network.weights) - 1:
            return z, error
        a = activate(name, z)  # float32
        terms = z.shape[1] if name == "softmax" else 1  # a softmax sums all its exponentials
        error = LIPSCHITZ[name] * error + EVAL_ERROR[name] * terms * max(1.0, largest)
        largest = float(np.abs(a).max(initial=0.0)) + error
    raise ValueError("a network has at least one layer")


def top_two(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row of ``scores (n, k)``: the place of its largest value (the first, as ``argmax``), that value,
    and the largest of the others (``-inf`` when ``k`` is 1), the two in float64.

    A knockout over the ``k`` columns, each step on ``(n,)`` arrays: 0.07 ms for
    10 000 rows of 10, where NumPy's ``argmax`` and ``partition`` along rows
    this short take 0.2 and 0.3 ms.  A row holding a NaN gets a NaN winner.
    """
    columns = scores.T  # (k, n), a view
    answers = np.zeros(len(scores), dtype=np.intp)  # (n,)
    winner = columns[0].copy()  # (n,)
    runner_up = np.full(len(scores), -np.inf, dtype=scores.dtype)  # (n,)
    for k in range(1, len(columns)):
        column = columns[k]
        runner_up = np.maximum(runner_up, np.minimum(winner, column))  # the loser of this match, if it is larger
        answers = np.where(column > winner, k, answers)  # strictly larger: ties keep the first place
        winner = np.maximum(winner, column)  # NaN wins: never sure
    return answers, winner.astype(np.float64), runner_up.astype(np.float64)


def sure_answers(scores: np.ndarray, error: float, last: str) -> tuple[np.ndarray, np.ndarray]:
    """``argmax`` of each row of ``scores (n, k)``, and whether it is surely the float64 forward's answer.

    It is when the winner beats the runner-up by more than the two scores'
    errors (``2 error`` each: ours and the float64 pass's, from the exact value)
    plus :data:`MIN_GAP`, both lie where the last activation is strictly
    increasing (:data:`STRICTLY_INCREASING`), and nothing overflowed.
    """
    answers, winner, runner_up = top_two(scores)
    low, high = STRICTLY_INCREASING[last]
    gap = 2 * error  # |ours - float64's| for one score
    with np.errstate(invalid="ignore"):  # inf - inf in an overflowed row: NaN, not sure
        sure = (winner - runner_up > 2 * gap + MIN_GAP) & (winner - gap > low) & (runner_up + gap < high)
    return answers, sure & np.isfinite(winner)
