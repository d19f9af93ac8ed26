"""Figures: functions that take data and networks and return a matplotlib ``Figure``.

No file I/O and no window here: the command line (or a notebook) decides to
save or show.  Figures are built with ``matplotlib.figure.Figure`` directly,
not pyplot, so they work headless with no setting.  Every text comes from the
message table, and every number from :mod:`reseau.i18n`, so a figure is in
French or English like the rest.

The document draws four pictures (the sigmoid for three (w, b), the sheet of
digits, one image with its label, the layers of the network) and one at the
end (the recognised digit).  This package draws those from real data and the
real trained network, and adds what a learner needs to see *why* it works:
the weights of each hidden neuron, one prediction layer by layer, the learning
curves and the mistakes.  Any layers of neurons (:class:`reseau.network.Network`)
work, not only the document's 784-20-10; a convolutional network has its own two
figures, and each figure that does not apply to a network refuses it in one clear
:class:`~reseau.errors.ReseauError` (:func:`layers_only`, :func:`convolutional_only`).

One module per family: :mod:`.sigmoid`, :mod:`.digits` (the sheet, one sample),
:mod:`.layers` (the network drawn, each hidden neuron), :mod:`.prediction` (layer
by layer; the document's inference picture), :mod:`.conv` (kernels, feature maps),
:mod:`.curves`, :mod:`.mistakes` (confusion matrix, wrong answers), :mod:`.steps`
(one learning step, a derivative); :mod:`.common` holds what they share.

Artists that tests (and curious readers) look for carry a label: panels are
axes labelled ``"sigmoid"``, ``"neuron"``, ``"layer"``, ``"mistake"``...
"""

from reseau.figures.common import (
    DIVERGING,
    HIGHLIGHT,
    DecimalTicks,
    class_names,
    convolutional_only,
    grid_shape,
    layers_only,
)
from reseau.figures.conv import block_steps, feature_maps_figure, filters_figure
from reseau.figures.curves import curves_figure, has_curves
from reseau.figures.digits import digits_figure, pick_per_class, sample_figure
from reseau.figures.layers import input_importance, network_figure, neurons_figure, shown_neurons
from reseau.figures.mistakes import confusion_matrix, errors_figure, most_confident_mistakes
from reseau.figures.prediction import forward_figure, in_sentence, prediction_figure, recognised_title
from reseau.figures.sigmoid import DOCUMENT_SIGMOIDS, sigmoid_figure
from reseau.figures.steps import backprop_figure, derivative_figure

# fmt: off
__all__ = [  # every figure, and the helpers the command line, the tests and the notebooks use
    "DIVERGING", "DOCUMENT_SIGMOIDS", "HIGHLIGHT", "DecimalTicks", "backprop_figure", "block_steps", "class_names",
    "confusion_matrix", "convolutional_only", "curves_figure", "derivative_figure", "digits_figure", "errors_figure",
    "feature_maps_figure", "filters_figure", "forward_figure", "grid_shape", "has_curves", "in_sentence",
    "input_importance", "layers_only", "most_confident_mistakes", "network_figure", "neurons_figure",
    "pick_per_class", "prediction_figure", "recognised_title", "sample_figure", "shown_neurons", "sigmoid_figure",
]
# fmt: on
