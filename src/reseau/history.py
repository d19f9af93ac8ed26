"""What a training measured, epoch by epoch: the same record for every trainer.

Both trainers (the document's per-image SGD and the modern mini-batch one)
report an :class:`EpochReport` after each epoch and return a :class:`History`;
neither owns these types, so a third trainer only has to fill them in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


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

    @property
    def from_document(self) -> bool:
        """Whether the document's trainer measured this epoch (it measures no loss)."""
        return self.loss is None

    @property
    def number(self) -> int:
        """The epoch's number as shown to a user.

        The document's trainer counts from 0, as the document prints it
        (``Epoch : 0``); the others count from 1, as in ``Epoch 1/15 … 15/15``.
        ``epoch`` itself always counts from 0.
        """
        return self.epoch if self.from_document else self.epoch + 1

    @property
    def precision(self) -> float:
        """The document's printed number: ``round((nr_correct / n) * 100, 2)``."""
        return round((self.nr_correct / self.n_images) * 100, 2)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"precision": self.precision}

    def line(self, last: int, lang: str | None = None, mark: str = "") -> str:
        """What the program prints after this epoch (``last``: the index of the final epoch, from 0).

        The document's trainer measures no loss: its line is the document's
        own, quoted as printed (``Epoch : 0, Précision : 86.18%``).  The
        others read ``Epoch 1/15`` for the first of 15 epochs (:attr:`number`).
        """
        from reseau.i18n import t

        if self.from_document:
            return t("train.epoch_line", lang=lang, epoch=self.epoch, precision=self.precision)
        key = "training.epoch_line" if self.val_accuracy is not None else "training.epoch_line_no_val"
        return t(
            key,
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
