"""A trained convolutional network: its layers as plain data, its parameters by name, ready to recognise.

It stands beside :class:`reseau.network.Network` (layers of neurons) and
answers the same questions (:class:`reseau.network.Recogniser`); the code
that trains it is :mod:`reseau.training.cnn`, its layers
:mod:`reseau.training.convlayers`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from threadpoolctl import threadpool_limits

from reseau.network import softmax
from reseau.training.cnn_config import SIDE
from reseau.training.convlayers import LAYERS

DTYPE = np.float32

PREDICT_BATCH = 1000  # images per forward pass at inference (bounded memory)


def build(spec: list[dict[str, Any]]) -> list[Any]:
    """The layer objects of ``spec``; the first convolution needs no gradient for its input (the image)."""
    layers = [LAYERS[item["type"]](**{k: v for k, v in item.items() if k != "type"}) for item in spec]
    if layers and spec[0]["type"] == "conv":
        layers[0].needs_input_grad = False
    return layers


def forward(layers: list[Any], p: dict[str, np.ndarray], x: np.ndarray, training: bool) -> np.ndarray:
    """Rows ``x (n, 784)`` -> the output layer's pre-activations ``(n, 10)``."""
    a = x.reshape(len(x), SIDE, SIDE, 1)  # (n, 28, 28, 1): one channel of grey
    for layer in layers:
        a = layer.forward(a, p, training)
    return a


@dataclass
class ConvNetwork:
    """A trained convolutional network: its description and its parameters, ready to recognise."""

    LAYOUT: ClassVar[str] = "architecture"  # a model file describes its layers as this list of dicts

    spec: list[dict[str, Any]]  # the layers, as :func:`reseau.training.cnn_config.architecture` writes them
    params: dict[str, np.ndarray]  # "conv0.w" -> (k*k*c_in, c_out), ...

    def __post_init__(self) -> None:
        self.layers = build(self.spec)
        expected = {name: shape for layer in self.layers for name, shape in layer.shapes().items()}
        for name, shape in expected.items():
            if name not in self.params or self.params[name].shape != shape:
                got = self.params[name].shape if name in self.params else None
                raise ValueError(f"parameter {name}: expected shape {shape}, got {got}")

    @classmethod
    def from_parameters(cls, spec: list[dict[str, Any]], tensors: dict[str, np.ndarray]) -> ConvNetwork:
        return cls(spec, tensors)

    def parameters(self) -> dict[str, np.ndarray]:
        return dict(self.params)

    def layout(self) -> list[dict[str, Any]]:
        return self.spec

    @property
    def sizes(self) -> list[int]:
        """Values per layer that a dense network would call neurons: the image, each dense layer, the output."""
        return [SIDE * SIDE] + [item["n_out"] for item in self.spec if item["type"] == "dense"]

    @property
    def activations(self) -> list[str]:
        return [item["type"] for item in self.spec]

    def logits(self, x: np.ndarray) -> np.ndarray:
        return forward(self.layers, self.params, np.asarray(x, DTYPE), training=False)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Output values ``o`` (softmax) for rows ``x``: ``(n, 784) -> (n, 10)``; one image ``(784,)`` works too.

        Many images go through in parts of :data:`PREDICT_BATCH` (bounded memory), two parts at a time in
        two threads, each with one BLAS thread (the compiled loops and the products release Python's
        lock): the 10 000 test images after each training epoch take half the time (1.8 times quicker,
        ``benchmarks/bench_cnn.py --dessin``).
        """
        single = x.ndim == 1
        x2 = x.reshape(1, -1) if single else x
        parts = [x2[i : i + PREDICT_BATCH] for i in range(0, len(x2), PREDICT_BATCH)]
        if len(parts) == 1:
            o = softmax(self.logits(parts[0]))
        else:  # outside training the layers keep nothing: two threads can share them
            with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(2) as pool:
                o = np.concatenate(list(pool.map(self._outputs, parts)))
        return o[0] if single else o

    def _outputs(self, x: np.ndarray) -> np.ndarray:
        return softmax(self.logits(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.forward(np.atleast_2d(x)).argmax(axis=1)

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        digits = labels.argmax(axis=1) if labels.ndim == 2 else labels
        return float(np.mean(self.predict(images) == digits) * 100)

    def all_finite(self) -> bool:
        return all(np.isfinite(v).all() for v in self.params.values())

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """The values after each dense hidden layer (as rows) and the output ``o``: what the page shows."""
        a, outputs = np.asarray(x, DTYPE).reshape(len(x), SIDE, SIDE, 1), []
        for layer, item in zip(self.layers, self.spec):
            a = layer.forward(a, self.params, False)
            if item["type"] == "relu" and a.ndim == 2:
                outputs.append(a)
        return [*outputs, softmax(a)]

    def feature_maps(self, image: np.ndarray, block: int = 0) -> np.ndarray:
        """What the convolution block ``block`` sees in one image ``(784,)``: ``(h, w, filters)`` after ReLU."""
        a = np.asarray(image, DTYPE).reshape(1, SIDE, SIDE, 1)
        for layer, item in zip(self.layers, self.spec):
            a = layer.forward(a, self.params, False)
            if item["type"] == "relu" and item["name"] == f"relu{block}":
                return a[0]
        raise ValueError(f"no convolution block {block}")

    def filters(self, block: int = 0) -> np.ndarray:
        """The kernels of convolution ``block`` as ``(filters, k, k, c_in)``."""
        item = next(i for i in self.spec if i["name"] == f"conv{block}")
        w = self.params[f"conv{block}.w"]  # (k*k*c_in, c_out)
        return w.T.reshape(item["c_out"], item["k"], item["k"], item["c_in"])
