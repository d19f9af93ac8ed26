"""Each kind of network, declared once: what trains it, what it is called, what can be shown of it.

A kind is one :class:`Kind` record in :data:`KINDS`.  Everything that behaves
differently for the document's network, a modern one or a convolutional one
asks the record (``kinds.kind(config.mode).first_epoch``) or one of its
capabilities (``"neurons" in kind.figures``, ``kind.explain``) instead of
comparing mode names: adding a kind is one record here and its trainer module,
nothing in the command line, the page or the experiments.  The model is
scikit-learn's estimator tags: facts about a kind, declared beside it, read by
whoever needs them.

This module imports nothing heavy (the trainer and network modules are
imported when first asked for), so ``reseau --help`` stays quick.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from reseau.errors import ConfigError

if TYPE_CHECKING:
    from reseau.config import Config
    from reseau.network import Recogniser


@dataclass(frozen=True)
class Kind:
    """One kind of network and its capabilities (see the module's docstring)."""

    mode: str  # its name in configs, model files, the command line and the page
    config: str  # its settings, "module:Class": a dataclass whose module also holds the PRESETS (no NumPy)
    trainer: str  # the module whose train(images, labels, config, test=, on_epoch=, on_progress=) trains it
    network: str  # the class of the networks it makes, "module:Class"
    default_preset: str  # the preset that `--mode` alone starts from
    first_epoch: int  # the number a user reads for the first epoch: the document prints `Epoch : 0`
    epoch_lines: tuple[str, str]  # the message printed after each epoch: with a validation score, without
    notes: tuple[str, str]  # the closing note that explains those lines: with a validation set, without
    figures: frozenset[str]  # the figures of `reseau figures` that show such a network (besides the general ones)
    views: frozenset[str]  # what the page shows of it while drawing: "hidden" neurons, feature "maps"
    explain: bool = False  # one learning step can be shown number by number (`reseau explain`, the page)
    document: bool = False  # the document's own algorithm: the one its exercise asks about

    def name(self, lang: str | None = None) -> str:
        """What a user calls it: « fidèle au document », « moderne », « convolutif »."""
        from reseau.i18n import t

        return t(f"kind.{self.mode}", lang=lang)

    def trainer_module(self) -> ModuleType:
        return importlib.import_module(self.trainer)

    def config_class(self) -> type[Config]:
        return named(self.config)

    def presets(self) -> dict[str, Config]:
        """Its named configurations (``document``; ``better``, ``best``...; ``cnn``, ``dessin``)."""
        return dict(importlib.import_module(self.config.split(":")[0]).PRESETS)

    def network_class(self) -> type[Recogniser]:
        return named(self.network)

    def epoch_line(self, validated: bool) -> str:
        return self.epoch_lines[0 if validated else 1]

    def note(self, validated: bool) -> str:
        return self.notes[0 if validated else 1]

    def to_dict(self) -> dict[str, Any]:
        """What the web page needs to know of the kind: its name's message, its settings and capabilities."""
        from dataclasses import fields

        return {
            "name_key": f"kind.{self.mode}",
            "settings": [f.name for f in fields(self.config_class())],  # type: ignore[arg-type]
            "first_epoch": self.first_epoch,
            "views": sorted(self.views),
            "explain": self.explain,
            "document": self.document,
        }


DENSE_FIGURES = frozenset({"network", "neurons", "forward"})  # layers of neurons: their weights and values
MODERN_LINES = ("training.epoch_line", "training.epoch_line_no_val")

KINDS: dict[str, Kind] = {
    kind.mode: kind
    for kind in (
        Kind(  # the document's per-image SGD on 784-H-10 sigmoids
            mode="faithful",
            config="reseau.faithful_config:FaithfulConfig",
            trainer="reseau.faithful",
            network="reseau.network:Network",
            default_preset="document",
            first_epoch=0,
            epoch_lines=("train.epoch_line", "train.epoch_line"),
            notes=("train.precision_note", "train.precision_note"),
            figures=DENSE_FIGURES | {"backprop", "derivative"},
            views=frozenset({"hidden"}),
            explain=True,
            document=True,
        ),
        Kind(  # mini-batches, softmax, ReLU, Adam, dropout, augmentation
            mode="modern",
            config="reseau.training.config:TrainConfig",
            trainer="reseau.training.trainer",
            network="reseau.network:Network",
            default_preset="better",
            first_epoch=1,
            epoch_lines=MODERN_LINES,
            notes=("training.note", "training.note_no_validation"),
            figures=DENSE_FIGURES,
            views=frozenset({"hidden"}),
        ),
        Kind(  # convolutions and pooling: a digit moved is the same digit
            mode="cnn",
            config="reseau.training.cnn_config:CNNConfig",
            trainer="reseau.training.cnn",
            network="reseau.convnet:ConvNetwork",
            default_preset="cnn",
            first_epoch=1,
            epoch_lines=MODERN_LINES,
            notes=("training.note", "training.note_no_validation"),
            figures=frozenset({"filters", "feature-maps"}),
            views=frozenset({"maps"}),
        ),
    )
}


def named(path: str) -> Any:
    """The object at ``"module:name"``, its module imported now."""
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def kind(mode: str | None) -> Kind:
    """The record of ``mode`` (the document's kind for None); :class:`ConfigError` lists the kinds."""
    if mode is None:
        return document()
    if mode not in KINDS:
        raise ConfigError("config.bad_choice", field="mode", value=mode, choices=", ".join(KINDS))
    return KINDS[mode]


def document() -> Kind:
    """The kind of the document's own network (the default everywhere)."""
    return next(k for k in KINDS.values() if k.document)


def for_network(network: object) -> list[Kind]:
    """The kinds whose networks are of ``network``'s class (layers of neurons: the document's and the modern)."""
    return [k for k in KINDS.values() if isinstance(network, k.network_class())]


def can_show(network: object, figure: str) -> bool:
    """Whether ``figure`` (a name of :attr:`Kind.figures`) can be drawn of ``network``, whatever trained it."""
    return any(figure in k.figures for k in for_network(network))
