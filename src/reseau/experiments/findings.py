"""What the study measured, in numbers: the noise between seeds, where a gain stops, which factor matters.

Each function reads the study tables (means and seed-to-seed standard deviations) and answers one
question with numbers or a yes/no; :mod:`reseau.experiments.conclusions` says them in words.  A
difference smaller than the noise between seeds proves nothing; times are wall-clock times.
"""

from __future__ import annotations

import math
import statistics

from reseau.experiments.summary import PointStats, StudyTable

DEFAULT_NOISE = 0.1  # points of %, when a study has a single seed and no noise is known
STALL_POINTS = 10.0  # a point this far below the best "stalls"
GAP_POINTS = 1.0  # a "Précision" this far above the test accuracy is learning by heart
STRONG_GAP_POINTS = 3.0  # ... and this far, clearly so
UNSTABLE_FACTOR = 5.0  # a point whose seed-to-seed std is this many times the typical one is unstable
SMALL_NETWORK_POINTS = 3.0  # a "Précision" this far below its study's best: the network underfits there
TIME_SPREAD = 0.10  # identical runs whose times vary more than this (relative std) ran on a busy machine


def learning(points: list[PointStats]) -> list[PointStats]:
    """The points that learned something (not diverged, not at chance)."""
    return [p for p in points if p.usable and p.at_chance * 2 < p.n]


def study_noise(table: StudyTable) -> float:
    """The typical (median) seed-to-seed standard deviation of the study's learning points."""
    stds = [p.test_std for p in learning(table.points) if p.test_std is not None]
    return statistics.median(stds) if stds else DEFAULT_NOISE


def pair_noise(a: PointStats, b: PointStats, fallback: float) -> float:
    """The larger of two points' standard deviations: the noise a difference between them must beat."""
    stds = [s for s in (a.test_std, b.test_std) if s is not None]
    return max(stds) if stds else fallback


def noise_measured(points: list[PointStats]) -> bool:
    """Whether a seed-to-seed standard deviation was measured (at least two seeds of one point)."""
    return any(p.test_std is not None for p in points)


def underfits(p: PointStats, points: list[PointStats]) -> bool:
    """Whether ``p`` learns its own training images clearly less well than the best point of its study."""
    return max(q.precision_mean for q in points) - p.precision_mean > SMALL_NETWORK_POINTS


def plateau_of(points: list[PointStats], noise: float):
    """Where more stops helping: the first point that no later point beats by more than the noise.

    Returns ``(that point, the best later point, the noise it had to beat)``,
    or None when every step still gains more than the noise.
    """
    for i, p in enumerate(points[:-1]):
        later = points[i + 1 :]
        used = max(pair_noise(p, q, noise) for q in later)
        top = max(later, key=lambda q: q.test_mean)
        if top.test_mean - p.test_mean < used:
            return p, top, used
    return None


def declines(points: list[PointStats], noise: float) -> bool:
    """Whether the test accuracy falls (by more than the noise) after its best epoch while the
    "Précision" still rises: learning by heart.  ``points`` sorted by epochs."""
    best, last = max(points, key=lambda p: p.test_mean), points[-1]
    return (
        best is not last
        and best.test_mean - last.test_mean > pair_noise(best, last, noise)
        and last.precision_mean > best.precision_mean
    )


def declining(table: StudyTable) -> bool:
    """Whether an epochs study shows the test falling while the "Précision" rises (:func:`declines`)."""
    points = sorted(learning(table.points), key=lambda p: p.value())
    return len(points) >= 2 and declines(points, study_noise(table))


def time_exponent(points: list[PointStats]) -> float | None:
    """Slope of log(time) against log(hidden): 1 means time proportional to the neurons."""
    pairs = [(math.log(p.value()), math.log(p.seconds_mean)) for p in points if p.seconds_mean and p.value() > 0]
    if len(pairs) < 2:
        return None
    return statistics.linear_regression([x for x, _ in pairs], [y for _, y in pairs]).slope


def lr_kind(p: PointStats, best: PointStats, noise: float) -> str:
    """How a learning rate compares with the best one: chance, stall, tie, slow or fast."""
    if p.at_chance * 2 >= p.n:
        return "chance"
    if best.test_mean - p.test_mean > STALL_POINTS:
        return "stall"
    if best.test_mean - p.test_mean <= pair_noise(p, best, noise):
        return "tie"
    return "slow" if p.value() < best.value() else "fast"


def main_effect(points: list[PointStats], factor: str) -> dict[object, float]:
    """The mean test accuracy at each value of ``factor``, averaged over the other factors."""
    by_value: dict[object, list[float]] = {}
    for p in points:
        by_value.setdefault(p.values[factor], []).append(p.test_mean)
    return {v: statistics.fmean(ts) for v, ts in by_value.items()}


def base_point(table: StudyTable) -> PointStats | None:
    """The point of a one-factor study that sits on the fixed settings (the document's)."""
    if len(table.factors) != 1:
        return None
    return next((p for p in table.usable if p.value() == table.base.get(table.factor)), None)


def end_gains(points: list[PointStats], per_unit: bool = False) -> tuple[float, float]:
    """The test accuracy gained between the first two points and between the last two (``points`` sorted by
    value); ``per_unit``: per unit of the factor (per added epoch)."""

    def gain(a: PointStats, b: PointStats) -> float:
        return (b.test_mean - a.test_mean) / ((b.value() - a.value()) if per_unit else 1)

    return gain(*points[:2]), gain(*points[-2:])


def seed_noise(tables: list[StudyTable]) -> tuple[float, list[float], list[tuple[float, PointStats]]] | None:
    """The typical (median) seed-to-seed standard deviation of all learning points, those of the steady
    points, and the unstable points (``UNSTABLE_FACTOR`` times the typical one) with theirs; None unmeasured."""
    stds = [(p.test_std, p) for tb in tables for p in learning(tb.points) if p.test_std is not None]
    if not stds:
        return None
    typical = statistics.median(s for s, _ in stds)
    unstable = [(s, p) for s, p in stds if s > max(UNSTABLE_FACTOR * typical, 1.0)]
    return typical, [s for s, p in stds if all(p is not q for _, q in unstable)], unstable


def time_spread(points: list[PointStats]) -> float | None:
    """The typical relative spread of the times of identical runs (None when each was measured once)."""
    spreads = [p.seconds_std / p.seconds_mean for p in points if p.seconds_std is not None and p.seconds_mean]
    return statistics.median(spreads) if spreads else None


def time_shape(exponent: float) -> str:
    """How time grows with the neurons, from :func:`time_exponent`: flat, slower, linear or faster."""
    return "flat" if exponent < 0.3 else "slower" if exponent < 0.85 else "faster" if exponent > 1.15 else "linear"
