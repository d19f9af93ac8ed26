"""What a training measured, epoch by epoch: the same record for every trainer.

Both trainers (the document's per-image SGD and the modern mini-batch one)
report an :class:`EpochReport` after each epoch and return a :class:`History`;
neither owns these types, so a third trainer only has to fill them in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from reseau import kinds

ProgressFn = Callable[[int, int], None]  # a trainer's on_progress(images done in this epoch, images per epoch)
EpochFn = Callable[["EpochReport"], None]  # a trainer's on_epoch(report), after each epoch


@dataclass
class EpochReport:
    """What one epoch measured."""

    epoch: int
    nr_correct: int  # images recognised *while they were being learned* (the document's counter)
    n_images: int  # images learned in this epoch
    test_accuracy: float | None  # % of the test images recognised after the epoch (None: no test given)
    seconds: float  # training time of the epoch (no test)
    val_accuracy: float | None = None  # % of the held-out validation images, when there are some
    loss: float | None = None  # mean training loss over the epoch, when the trainer measures it
    learn_rate: float | None = None  # learning rate at the end of the epoch, when it changes
    mode: str | None = None  # the kind of network trained (reseau.kinds); None: the document's

    @property
    def kind(self) -> kinds.Kind:
        return kinds.kind(self.mode)

    @property
    def number(self) -> int:
        """The epoch's number as shown to a user.

        The document's trainer counts from 0, as the document prints it
        (``Epoch : 0``); the others count from 1, as in ``Epoch 1/15 … 15/15``
        (:attr:`reseau.kinds.Kind.first_epoch`).  ``epoch`` itself always counts from 0.
        """
        return self.epoch + self.kind.first_epoch

    @property
    def precision(self) -> float:
        """The document's printed number: ``round((nr_correct / n) * 100, 2)``."""
        return round((self.nr_correct / self.n_images) * 100, 2)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"precision": self.precision}

    def line(self, last: int, lang: str | None = None, mark: str = "") -> str:
        """What the program prints after this epoch (``last``: the index of the final epoch, from 0).

        The document's line is its own, quoted as printed (``Epoch : 0,
        Précision : 86.18%``); the others read ``Epoch 1/15`` for the first of
        15 epochs (:attr:`number`), with their loss and validation score.
        """
        from reseau.i18n import t

        return t(
            self.kind.epoch_line(self.val_accuracy is not None),
            lang=lang,
            epoch=self.number,
            total=last + 1,
            precision=self.precision,
            val=self.val_accuracy,
            loss=self.loss,
            seconds=self.seconds,
            mark=mark,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EpochReport:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        if isinstance(values.get("loss"), float) and values["loss"] != values["loss"]:
            values["loss"] = None  # version 0.1 wrote NaN for "not measured"
        if "mode" not in data:  # written before the record named its kind: only the document's measured no loss
            values["mode"] = None if values.get("loss") is None else "modern"
        return cls(**values)


@dataclass
class History:
    """Every epoch's report, and which epoch's network was kept."""

    epochs: list[EpochReport] = field(default_factory=list)
    best_epoch: int | None = None  # the epoch whose network was returned (the last one, or the best validation)
    test_accuracy: float | None = None  # the returned network's test accuracy: the final figure

    @property
    def best(self) -> EpochReport | None:
        """The report of the epoch whose network was kept (the last one if none is marked)."""
        if self.best_epoch is None:
            return self.epochs[-1] if self.epochs else None
        return next((e for e in self.epochs if e.epoch == self.best_epoch), None)

    def keep_last(self) -> History:
        """Mark the last epoch as the one kept (trainers that return their last network)."""
        if self.epochs:
            self.best_epoch = self.epochs[-1].epoch
            self.test_accuracy = self.epochs[-1].test_accuracy
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "epochs": [e.to_dict() for e in self.epochs],
            "best_epoch": self.best_epoch,
            "test_accuracy": self.test_accuracy,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> History:
        """The inverse of :meth:`to_dict`; a history of version 0.1's document trainer (no ``best_epoch``)
        kept its last epoch."""
        history = cls(
            [EpochReport.from_dict(e) for e in data.get("epochs", [])],
            data.get("best_epoch"),
            data.get("test_accuracy"),
        )
        if "best_epoch" not in data:
            history.keep_last()
        return history
