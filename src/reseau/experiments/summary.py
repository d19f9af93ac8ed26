"""From runs to tables: each study point's mean and seed-to-seed standard deviation.

:class:`StudyTable` is what the report and the conclusions read; it holds
numbers only, so a test can fabricate one and watch the conclusions change.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from reseau.experiments.runs import RunResult
from reseau.experiments.studies import DEFAULT_MODE, TRAIN_IMAGES, Study


def mean_std(measured: list[float] | list[float | None]) -> tuple[float | None, float | None]:
    """Mean and sample standard deviation of the values measured (``None`` where there are too few)."""
    values = [v for v in measured if v is not None]
    if not values:
        return None, None
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else None)


@dataclass
class PointStats:
    """One study point (one value of each factor) over its seeds."""

    values: dict[str, object]  # factor -> its value at this point
    n: int  # finished runs found (one per seed)
    expected: int  # runs asked for (the number of seeds)
    test_mean: float | None = None  # final test accuracy, %, over the runs that did not diverge
    test_std: float | None = None  # its standard deviation between seeds (points of %)
    precision_mean: float | None = None  # the document's "Précision" of the last epoch, %
    precision_std: float | None = None
    first_precision_mean: float | None = None  # "Précision" of the first epoch, %
    seconds_mean: float | None = None  # training time of one run (its epochs), s
    seconds_std: float | None = None
    diverged: int = 0  # runs whose weights became non-finite
    at_chance: int = 0  # runs that ended at about chance accuracy
    epochs: int | None = None  # epochs each run made (the setting)

    @classmethod
    def from_runs(cls, values: dict, runs: list[RunResult], expected: int) -> PointStats:
        finite = [r for r in runs if not r.diverged]
        test = mean_std([r.test_accuracy for r in finite])
        precision = mean_std([r.precision for r in finite])
        seconds = mean_std([r.train_seconds for r in runs])
        first = mean_std([r.precisions[0] for r in finite if r.precisions])[0]
        epochs = runs[0].settings.get("epochs") if runs else None
        return cls(
            values,
            len(runs),
            expected,
            *test,
            *precision,
            first,
            *seconds,
            diverged=len(runs) - len(finite),
            at_chance=sum(r.at_chance for r in runs),
            epochs=epochs,
        )

    @property
    def usable(self) -> bool:
        """Has at least one finished, non-diverged run."""
        return self.test_mean is not None

    def value(self, factor: str | None = None):
        return self.values[factor] if factor else next(iter(self.values.values()))


@dataclass
class StudyTable:
    """A study's points with their statistics, in the study's order."""

    name: str  # the study's name ("epochs", "hidden", "lr", "grid-...")
    factors: tuple[str, ...]  # the factors varied
    points: list[PointStats]
    base: dict[str, object] = field(default_factory=dict)  # settings held fixed
    seeds: int = 3  # seeds per point
    mode: str = DEFAULT_MODE
    dataset: str = "mnist"
    n_train: int = TRAIN_IMAGES  # training images per run

    @property
    def factor(self) -> str:
        """The factor of a one-factor study."""
        return self.factors[0]

    @property
    def usable(self) -> list[PointStats]:
        return [p for p in self.points if p.usable]

    @property
    def missing(self) -> int:
        return sum(p.expected - p.n for p in self.points)


def summarise(study: Study, results: dict[str, RunResult]) -> StudyTable:
    """The table of ``study`` from the ``results`` found (``{key: RunResult}``)."""
    points = []
    n_train = study.limit or TRAIN_IMAGES
    for point in study.points():
        runs = [results[s.key] for s in (study.spec(point, seed) for seed in study.seeds) if s.key in results]
        if runs:
            n_train = runs[0].n_train
        points.append(PointStats.from_runs(point, runs, len(study.seeds)))
    return StudyTable(
        study.name, study.factors, points, dict(study.base), len(study.seeds), study.mode, study.dataset, n_train
    )
