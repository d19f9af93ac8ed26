"""One learning step of the document's algorithm, with every number kept and named as the document names it.

The document's loop (``reseau.faithful.reference_epoch``) updates the weights
in place and forgets everything else.  :func:`step` does the same arithmetic,
in the same order and with the same NumPy expressions, on one image, but keeps
each intermediate quantity in a :class:`Step`: ``img, l, h_pre, h, o_pre, o``,
the unused cost ``e``, ``delta_o``, the change to ``w_h_o`` and ``b_h_o``,
``delta_h``, the change to ``w_i_h`` and ``b_i_h``, and ``o`` after the step.
The weights it ends with are, bit for bit, the reference engine's.

Two things the document's lines do not say are added beside them:

* ``delta_h_textbook``: the document computes ``delta_h`` with ``w_h_o``
  *already updated*; textbook backpropagation uses the ``w_h_o`` of before
  the step.  Both are kept, and their difference.
* :func:`derivative`: what "gradient" means, for one weight.  ``delta_o = o - l``
  is the derivative of the cross-entropy cost :func:`cost` with respect to
  ``o_pre`` (not of the squared error ``e`` the document computes), so the
  change of a weight of ``w_h_o`` is ``-learn_rate`` times the slope of that
  cost along that weight.  :class:`Derivative` holds the cost around the
  weight's value, the slope the step used and the step taken.

Shapes are the document's: columns ``(k, 1)``; ``H`` is the hidden layer's size (20).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from reseau import kinds
from reseau.config import SEED, STEPS, check_index, check_int, check_number
from reseau.errors import ReseauError
from reseau.faithful import initial_weights
from reseau.network import Network, sigmoid

LEARN_RATE = 0.01  # the document's learn_rate
N_PIXELS = 784  # inputs: a 28 x 28 image
N_OUTPUTS = 10  # outputs: one per digit
LAYERS = ("w_h_o", "w_i_h")  # the two weight matrices, in the order the document updates them
SPAN = 1.0  # the derivative's curve covers the weight's value +- SPAN
POINTS = 201  # points on that curve


def _frozen(array: np.ndarray) -> np.ndarray:
    """A read-only copy of ``array``: a Step's numbers cannot be changed by whoever reads them."""
    array = np.array(array, order="C")  # C order, as the reference engine's arrays (same BLAS path)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False, repr=False)
class Weights:
    """The document's four arrays: ``w_i_h (H, 784)``, ``w_h_o (10, H)``, ``b_i_h (H, 1)``, ``b_h_o (10, 1)``."""

    w_i_h: np.ndarray
    w_h_o: np.ndarray
    b_i_h: np.ndarray
    b_h_o: np.ndarray

    def __post_init__(self) -> None:
        hidden = self.w_i_h.shape[0]
        shapes = [(hidden, N_PIXELS), (N_OUTPUTS, hidden), (hidden, 1), (N_OUTPUTS, 1)]
        if [a.shape for a in (self.w_i_h, self.w_h_o, self.b_i_h, self.b_h_o)] != shapes:
            raise ValueError(f"the document's arrays must have the shapes {shapes}")
        for name in ("w_i_h", "w_h_o", "b_i_h", "b_h_o"):
            object.__setattr__(self, name, _frozen(np.asarray(getattr(self, name), dtype=np.float64)))

    @classmethod
    def document_start(cls, seed: int = 0, hidden: int = 20) -> Weights:
        """The document's random start, as ``np.random.seed(seed)`` then its two ``uniform`` lines draw it."""
        return cls(*initial_weights(hidden, seed))

    @classmethod
    def of_network(cls, network: object) -> Weights:
        """A trained network's weights, if it is the document's kind (784 -> H -> 10, two sigmoid layers)."""
        if not any(k.explain for k in kinds.for_network(network)):
            raise ReseauError("explain.not_document_cnn")  # a convolutional network
        network = cast(Network, network)
        document_kind = (
            len(network.weights) == 2
            and network.activations == ["sigmoid", "sigmoid"]
            and network.sizes[0] == N_PIXELS
            and network.sizes[-1] == N_OUTPUTS
        )
        if not document_kind:
            sizes = "-".join(map(str, network.sizes))
            raise ReseauError("explain.not_document", sizes=sizes, activations=", ".join(network.activations))
        (w_i_h, w_h_o), (b_i_h, b_h_o) = network.weights, network.biases
        return cls(w_i_h, w_h_o, b_i_h.reshape(-1, 1), b_h_o.reshape(-1, 1))

    @property
    def hidden(self) -> int:
        """Neurons in the hidden layer (the document's 20)."""
        return self.w_i_h.shape[0]

    def __repr__(self) -> str:
        return f"Weights(784-{self.hidden}-10)"

    def network(self) -> Network:
        """These weights as a :class:`~reseau.network.Network` (rows in, for batches of images)."""
        return Network.from_document(self.w_i_h, self.b_i_h, self.w_h_o, self.b_h_o)

    def forward(self, img: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The document's forward lines for one column ``img (784, 1)``: ``h_pre, h, o_pre, o``."""
        h_pre = self.b_i_h + self.w_i_h @ img  # (H, 1) + (H, 784) @ (784, 1) -> (H, 1)
        h = sigmoid(h_pre)  # 1 / (1 + np.exp(-h_pre))
        o_pre = self.b_h_o + self.w_h_o @ h  # (10, 1) + (10, H) @ (H, 1) -> (10, 1)
        o = sigmoid(o_pre)  # 1 / (1 + np.exp(-o_pre))
        return h_pre, h, o_pre, o


@dataclass(frozen=True)
class Change:
    """One weight's change in a step: ``layer[row, col]`` went from ``before`` by ``change``."""

    layer: str  # "w_h_o" or "w_i_h"
    row: int  # the neuron the weight leads to (an output digit, or a hidden neuron)
    col: int  # the neuron (or pixel) it comes from
    before: float
    change: float

    @property
    def name(self) -> str:
        """``w_h_o[5, 12]``, as a student would index the array."""
        return f"{self.layer}[{self.row}, {self.col}]"

    @property
    def after(self) -> float:
        return self.before + self.change


@dataclass(frozen=True, eq=False, repr=False)
class Step:
    """Every number of one step of the document's training on one image (columns ``(k, 1)``, as the document)."""

    learn_rate: float
    before: Weights  # the weights the step started from
    after: Weights  # the weights it ended with (the reference engine's, bit for bit)
    img: np.ndarray  # (784, 1) the image, pixels in [0, 1]
    l: np.ndarray  # (10, 1) the label, one-hot
    h_pre: np.ndarray  # (H, 1) b_i_h + w_i_h @ img
    h: np.ndarray  # (H, 1) sigmoid(h_pre): the hidden layer
    o_pre: np.ndarray  # (10, 1) b_h_o + w_h_o @ h
    o: np.ndarray  # (10, 1) sigmoid(o_pre): the outputs
    e: np.ndarray  # (1,) 1 / len(o) * sum((o - l) ** 2): computed by the document, never used
    delta_o: np.ndarray  # (10, 1) o - l
    change_w_h_o: np.ndarray  # (10, H) -learn_rate * delta_o @ h.T
    change_b_h_o: np.ndarray  # (10, 1) -learn_rate * delta_o
    delta_h: np.ndarray  # (H, 1) w_h_o.T @ delta_o * (h * (1 - h)), with the UPDATED w_h_o (the document's order)
    delta_h_textbook: np.ndarray  # (H, 1) the same with the w_h_o of before the step (textbook backpropagation)
    change_w_i_h: np.ndarray  # (H, 784) -learn_rate * delta_h @ img.T
    change_b_i_h: np.ndarray  # (H, 1) -learn_rate * delta_h
    h_after: np.ndarray  # (H, 1) the hidden layer for the same image, after the step
    o_after: np.ndarray  # (10, 1) the outputs for the same image, after the step

    def __repr__(self) -> str:
        return (
            f"Step(digit {self.digit}, answer {self.answer} -> {self.answer_after}, "
            f"o[{self.digit}] {self.right_before:.4f} -> {self.right_after:.4f})"
        )

    @property
    def digit(self) -> int:
        """The right answer: ``argmax(l)``."""
        return int(np.argmax(self.l))

    @property
    def answer(self) -> int:
        """What the network answered before the step: ``argmax(o)``, as the document counts it."""
        return int(np.argmax(self.o))

    @property
    def answer_after(self) -> int:
        """What it answers for the same image after the step."""
        return int(np.argmax(self.o_after))

    @property
    def right_before(self) -> float:
        """The output of the right digit before the step."""
        return float(self.o[self.digit, 0])

    @property
    def right_after(self) -> float:
        """The output of the right digit after the step."""
        return float(self.o_after[self.digit, 0])

    @property
    def delta_h_difference(self) -> np.ndarray:
        """``delta_h - delta_h_textbook`` ``(H, 1)``: what the document's order changes."""
        return self.delta_h - self.delta_h_textbook

    @property
    def cost(self) -> float:
        """The cross-entropy cost of this image before the step (see :func:`cost`)."""
        return cost(self.o_pre, self.l)

    @property
    def cost_after(self) -> float:
        """The same cost after the step."""
        return cost(self.after.forward(self.img)[2], self.l)

    def largest_changes(self, count: int = 8) -> list[Change]:
        """The ``count`` weights (of both matrices) that moved the most, largest first."""
        found = []
        for layer in LAYERS:
            change = getattr(self, f"change_{layer}")  # (10, H) or (H, 784)
            flat = np.argsort(-np.abs(change), axis=None, kind="stable")[:count]
            for row, col in zip(*np.unravel_index(flat, change.shape)):
                before = float(getattr(self.before, layer)[row, col])
                found.append(Change(layer, int(row), int(col), before, float(change[row, col])))
        return sorted(found, key=lambda c: -abs(c.change))[:count]

    def to_dict(self) -> dict[str, Any]:
        """Every quantity as JSON-ready lists (columns flattened to lists, matrices as lists of rows)."""
        arrays = {k: v for k, v in self.__dict__.items() if isinstance(v, np.ndarray)}  # in the document's order
        arrays["delta_h_difference"] = self.delta_h_difference
        return {
            "learn_rate": self.learn_rate,
            "hidden": self.before.hidden,
            "digit": self.digit,
            "answer": self.answer,
            "answer_after": self.answer_after,
            "right_before": self.right_before,
            "right_after": self.right_after,
            "cost": self.cost,
            "cost_after": self.cost_after,
        } | {name: _listed(a) for name, a in arrays.items()}


def _listed(array: np.ndarray) -> list:
    """A column ``(k, 1)`` -> ``k`` numbers; a matrix -> its rows; ``e (1,)`` -> one number in a list."""
    array = np.asarray(array)
    return array.reshape(-1).tolist() if array.ndim == 1 or array.shape[1] == 1 else array.tolist()


def as_column(img: np.ndarray) -> np.ndarray:
    """An image ``(784,)``, ``(28, 28)`` or ``(784, 1)`` -> the document's column ``(784, 1)`` (same dtype)."""
    img = np.asarray(img)
    if img.size != N_PIXELS:
        raise ValueError(f"an image has {N_PIXELS} pixels, got {img.size}")
    return img.reshape(N_PIXELS, 1)  # the document's img.shape += (1,)


def one_hot(label: int | np.ndarray) -> np.ndarray:
    """A digit ``5`` or a one-hot ``(10,)`` -> the document's column ``(10, 1)``."""
    if np.ndim(label) == 0:
        digit = int(label)
        if not 0 <= digit < N_OUTPUTS:
            raise ValueError(f"a digit is between 0 and 9, got {digit}")
        return np.eye(N_OUTPUTS)[digit].reshape(N_OUTPUTS, 1)  # the document's np.eye(10)[labels]
    return np.asarray(label).reshape(N_OUTPUTS, 1)


def step(img: np.ndarray, label: int | np.ndarray, weights: Weights, learn_rate: float = LEARN_RATE) -> Step:
    """One step of the document's training on ``img`` (784 pixels) labelled ``label`` (a digit or one-hot).

    The lines are the document's (and :func:`reseau.faithful.reference_epoch`'s),
    in its order; ``weights`` is left unchanged and the step's end is ``Step.after``.
    """
    img = as_column(img)  # (784, 1)
    l = one_hot(label)  # (10, 1)
    w_i_h, w_h_o, b_i_h, b_h_o = weights.w_i_h, weights.w_h_o, weights.b_i_h, weights.b_h_o
    # Forward propagation input -> hidden, hidden -> output
    h_pre, h, o_pre, o = weights.forward(img)  # (H, 1), (H, 1), (10, 1), (10, 1)
    # Cost / Error calculation (the document computes e and never uses it)
    e = 1 / len(o) * np.sum((o - l) ** 2, axis=0)  # (1,)
    # Backpropagation output -> hidden (cost function derivative)
    delta_o = o - l  # (10, 1)
    change_w_h_o = -learn_rate * delta_o @ np.transpose(h)  # (10, 1) @ (1, H) -> (10, H)
    change_b_h_o = -learn_rate * delta_o  # (10, 1)
    new_w_h_o = w_h_o + change_w_h_o  # the document's w_h_o += ...: updated BEFORE delta_h
    # Backpropagation hidden -> input (activation function derivative), with the updated w_h_o
    delta_h = np.transpose(new_w_h_o) @ delta_o * (h * (1 - h))  # (H, 10) @ (10, 1) * (H, 1) -> (H, 1)
    delta_h_textbook = np.transpose(w_h_o) @ delta_o * (h * (1 - h))  # the same with the old w_h_o
    change_w_i_h = -learn_rate * delta_h @ np.transpose(img)  # (H, 1) @ (1, 784) -> (H, 784)
    change_b_i_h = -learn_rate * delta_h  # (H, 1)
    after = Weights(w_i_h + change_w_i_h, new_w_h_o, b_i_h + change_b_i_h, b_h_o + change_b_h_o)
    _, h_after, _, o_after = after.forward(img)  # the same image, seen by the network after the step
    quantities = (img, l, h_pre, h, o_pre, o, e, delta_o, change_w_h_o, change_b_h_o, delta_h, delta_h_textbook)
    changes = (change_w_i_h, change_b_i_h, h_after, o_after)
    return Step(float(learn_rate), weights, after, *map(_frozen, quantities + changes))


def steps(images: np.ndarray, labels: np.ndarray, weights: Weights, learn_rate: float = LEARN_RATE) -> list[Step]:
    """One step per row of ``images (n, 784)`` with ``labels (n, 10)``, each starting where the last ended."""
    found = []
    for img, l in zip(images, labels):
        found.append(step(img, l, weights, learn_rate))
        weights = found[-1].after
    return found


# ---------------------------------------------------------------------------
# The cost, and what its derivative along one weight says
# ---------------------------------------------------------------------------


def cost(o_pre: np.ndarray, l: np.ndarray) -> float:
    """The cross-entropy ``-sum(l * ln(o) + (1 - l) * ln(1 - o))`` of outputs ``o = sigmoid(o_pre)``.

    Its derivative with respect to ``o_pre`` is exactly the document's
    ``delta_o = o - l``: this is the cost the document's step goes down.
    Written with ``logaddexp`` so that ``ln(o)`` never underflows:
    ``-ln(sigmoid(z)) = ln(1 + exp(-z))`` and ``-ln(1 - sigmoid(z)) = ln(1 + exp(z))``.
    """
    return float(np.sum(_costs(o_pre, l)))


def _costs(o_pre: np.ndarray, l: np.ndarray) -> np.ndarray:
    """Each output's share of :func:`cost`, element by element (``o_pre`` and ``l`` broadcast)."""
    z, l = np.asarray(o_pre, dtype=np.float64), np.asarray(l, dtype=np.float64)
    return l * np.logaddexp(0.0, -z) + (1 - l) * np.logaddexp(0.0, z)


def sample_cost(network: Network, images: np.ndarray, labels: np.ndarray) -> float:
    """The mean of :func:`cost` over rows ``images (n, 784)`` with one-hot ``labels (n, 10)``."""
    h = network.layer_outputs(np.asarray(images, dtype=np.float64))[0]  # (n, H)
    o_pre = h @ network.weights[1].T + network.biases[1]  # (n, H) @ (H, 10) + (10,) -> (n, 10)
    return cost(o_pre, labels) / len(images)


@dataclass(frozen=True, eq=False)
class Derivative:
    """The cost of one image as a function of one weight alone, around that weight's value."""

    layer: str  # "w_h_o" or "w_i_h"
    row: int
    col: int
    learn_rate: float
    value: float  # the weight before the step
    cost: float  # the image's cost there
    gradient: float  # the slope the step used: change = -learn_rate * gradient
    textbook_gradient: float  # the true slope of the cost there (the same as gradient for w_h_o)
    change: float  # what the step added to the weight: -learn_rate * gradient
    cost_moved: float  # the cost with only this weight moved by change
    xs: np.ndarray = field(repr=False)  # (points,) weight values around value
    costs: np.ndarray = field(repr=False)  # (points,) the cost at each (every other weight as before the step)

    @property
    def name(self) -> str:
        return f"{self.layer}[{self.row}, {self.col}]"

    def to_dict(self) -> dict[str, Any]:
        plain = {k: v for k, v in self.__dict__.items() if not isinstance(v, np.ndarray)}
        return plain | {"name": self.name, "xs": self.xs.tolist(), "costs": self.costs.tolist()}


def cost_along(step: Step, layer: str, row: int, col: int, values: np.ndarray) -> np.ndarray:
    """The image's cost when weight ``layer[row, col]`` alone takes each of ``values`` ``(m,)`` -> ``(m,)``.

    Only what that weight feeds is recomputed: moving ``w_h_o[row, col]`` by
    ``s`` moves ``o_pre[row]`` by ``s * h[col]``; moving ``w_i_h[row, col]``
    moves ``h_pre[row]`` by ``s * img[col]``, and ``o`` follows.
    """
    before = step.before
    shift = np.asarray(values, dtype=np.float64).reshape(1, -1) - getattr(before, layer)[row, col]  # (1, m)
    if layer == "w_h_o":
        o_pre = step.o_pre + np.zeros_like(shift)  # (10, 1) + (1, m) -> (10, m)
        o_pre[row] += shift[0] * step.h[col, 0]
    else:
        h_pre = step.h_pre + np.zeros_like(shift)  # (H, m)
        h_pre[row] += shift[0] * float(step.img[col, 0])
        o_pre = before.b_h_o + before.w_h_o @ sigmoid(h_pre)  # (10, 1) + (10, H) @ (H, m) -> (10, m)
    return _costs(o_pre, step.l).sum(axis=0)  # (10, m) -> (m,)


def derivative(
    step: Step,
    layer: str | None = None,
    row: int | None = None,
    col: int | None = None,
    span: float = SPAN,
    points: int = POINTS,
) -> Derivative:
    """What the step's gradient says about one weight (by default the one that moved the most).

    For a weight of ``w_h_o`` the slope the step used, ``delta_o[row] * h[col]``,
    is the true derivative of :func:`cost`; for one of ``w_i_h`` the step used
    ``delta_h[row] * img[col]`` with the document's ``delta_h`` (updated ``w_h_o``),
    and the true derivative is the textbook one.
    """
    if layer is None or row is None or col is None:
        largest = step.largest_changes(1)[0]
        layer, row, col = largest.layer, largest.row, largest.col
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {LAYERS}, got {layer!r}")
    if layer == "w_h_o":
        gradient = textbook = float(step.delta_o[row, 0] * step.h[col, 0])
    else:
        pixel = float(step.img[col, 0])
        gradient = float(step.delta_h[row, 0]) * pixel
        textbook = float(step.delta_h_textbook[row, 0]) * pixel
    value = float(getattr(step.before, layer)[row, col])
    change = float(getattr(step, f"change_{layer}")[row, col])
    xs = np.linspace(value - span, value + span, points)  # (points,)
    moved = float(cost_along(step, layer, row, col, np.array([value + change]))[0])
    costs = cost_along(step, layer, row, col, xs)
    return Derivative(layer, row, col, step.learn_rate, value, step.cost, gradient, textbook, change, moved, xs, costs)


# ---------------------------------------------------------------------------
# Where the steps start, and which images they may take
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """Where the steps start: the weights, the learning rate, the dataset, and those words for a person."""

    weights: Weights
    learn_rate: float
    dataset: str  # what the images are: "mnist", or a model's own dataset
    description: str  # "the document's random weights (seed 0)" or "the model model.safetensors"


def starting_point(seed: int | None, model_path: str | os.PathLike | None, lr: float | None) -> Start:
    """The document's random start for ``seed`` (default 0), or the trained model at ``model_path``.

    The learning rate is ``lr``, else the model's own (one of the document's kind), else the document's 0.01.
    """
    from reseau import kinds, modelfile
    from reseau.faithful import LEARN_RATE as LIMIT
    from reseau.i18n import t

    if seed is not None and model_path is not None:
        raise ReseauError("explain.seed_and_model")
    if lr is not None:
        check_number("--lr", lr, LIMIT)
    if model_path is None:
        seed = 0 if seed is None else seed
        check_int("--seed", seed, SEED)
        rate = LEARN_RATE if lr is None else lr
        return Start(Weights.document_start(seed), rate, "mnist", t("explain.start.seed", seed=seed))
    model = modelfile.load(model_path)
    own = model.info.config.learn_rate if kinds.kind(model.info.mode).explain else LEARN_RATE
    rate = lr if lr is not None else own
    return Start(Weights.of_network(model.network), float(rate), model.info.dataset,
                 t("explain.start.model", path=model_path))  # fmt: skip


def check_steps(index: int, count: int, n_images: int, split: str) -> None:
    """``index`` is an image of the split and ``count`` steps from it stay inside it."""
    check_index(index, n_images, split)
    check_int("--steps", count, STEPS)
    if index + count > n_images:
        raise ReseauError("explain.past_end", steps=count, index=index, last=n_images - 1)
