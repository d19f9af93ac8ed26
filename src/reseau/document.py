"""The document's program, ``NN.py``, as printed in the course, kept to compare against.

:func:`literal_training` is the document's training loop with only two
changes, both outside the loop: ``np.random.seed(seed)`` is called first (the
document sets no seed, so its runs cannot be repeated), and the epoch lines
are returned as well as printed.  The loop body is the document's, character
for character.  Tests check that :mod:`reseau.faithful` prints the same lines
and ends with the same weights; ``benchmarks/`` times it against the compiled
engine.  It is slow (about 4 s an epoch) on purpose: it is the original.
"""

from __future__ import annotations

import warnings

import numpy as np


def literal_training(images, labels, epochs=3, seed=0, hidden=20, learn_rate=0.01, echo=True):
    """Run the document's loop on ``images (n, 784)``, ``labels (n, 10)``.

    Returns ``(lines, w_i_h, b_i_h, w_h_o, b_h_o)``.  ``images`` and ``labels``
    are not modified (the loop reshapes views of their rows).
    """
    lines = []
    np.random.seed(seed)
    w_i_h = np.random.uniform(-0.5, 0.5, (hidden, 784))
    w_h_o = np.random.uniform(-0.5, 0.5, (10, hidden))
    b_i_h = np.zeros((hidden, 1))
    b_h_o = np.zeros((10, 1))

    # The document reshapes each row in place (`img.shape += (1,)`), which NumPy 2.5 deprecates; it still
    # works, and the loop stays as printed: the warning (one per image) is not shown.
    warnings.filterwarnings("ignore", "Setting the shape on a NumPy array", DeprecationWarning, __name__)
    nr_correct = 0
    for epoch in range(epochs):
        for img, l in zip(images, labels):
            img.shape += (1,)
            l.shape += (1,)
            # Forward propagation input -> hidden
            h_pre = b_i_h + w_i_h @ img
            h = 1 / (1 + np.exp(-h_pre))
            # Forward propagation hidden -> output
            o_pre = b_h_o + w_h_o @ h
            o = 1 / (1 + np.exp(-o_pre))
            # Cost / Error calculation
            e = 1 / len(o) * np.sum((o - l) ** 2, axis=0)  # noqa: F841 (never used, as in the document)
            nr_correct += int(np.argmax(o) == np.argmax(l))
            # Backpropagation output -> hidden (cost function derivative)
            delta_o = o - l
            w_h_o += -learn_rate * delta_o @ np.transpose(h)
            b_h_o += -learn_rate * delta_o
            # Backpropagation hidden -> input (activation function derivative)
            delta_h = np.transpose(w_h_o) @ delta_o * (h * (1 - h))
            w_i_h += -learn_rate * delta_h @ np.transpose(img)
            b_i_h += -learn_rate * delta_h
        # Show accuracy for this epoch
        line = f"Epoch : {epoch}, Précision : {round((nr_correct / images.shape[0]) * 100, 2)}%"
        lines.append(line)
        if echo:
            print(line)
        nr_correct = 0
    return lines, w_i_h, b_i_h, w_h_o, b_h_o


def literal_inference(images, index, w_i_h, b_i_h, w_h_o, b_h_o):
    """The document's inference for one image: returns ``o`` ``(10, 1)`` (its title shows ``o.argmax()``)."""
    img = images[index]
    img = img.reshape(784, 1)  # the document's img.shape += (1,), without changing `images`
    # Forward propagation input -> hidden
    h_pre = b_i_h + w_i_h @ img.reshape(784, 1)
    h = 1 / (1 + np.exp(-h_pre))
    # Forward propagation hidden -> output
    o_pre = b_h_o + w_h_o @ h
    o = 1 / (1 + np.exp(-o_pre))
    return o
