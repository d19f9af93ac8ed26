"""The learning rate over the course of training: constant, step, or cosine.

Large steps early move fast; small steps late settle into a minimum.  The
rate is computed per update from the step number ``t`` out of ``total``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

STEP_MILESTONES = (0.5, 0.75)  # "step": divide the rate by STEP_FACTOR at 50 % and 75 % of training
STEP_FACTOR = 10.0


def step(base: float, t: int, total: int) -> float:
    """``base`` divided by STEP_FACTOR once for each milestone update ``t`` has passed."""
    passed = sum(t >= m * total for m in STEP_MILESTONES)
    return base / STEP_FACTOR**passed


def cosine(base: float, t: int, total: int) -> float:
    """Half a cosine wave: ``base`` at ``t = 0``, falling slowly, then fast, then slowly to 0 at ``t = total``."""
    return base * 0.5 * (1 + math.cos(math.pi * t / total))


# Each schedule by name: ``(base, t, total) -> rate``.  A new choice is one line here.
SCHEDULES: dict[str, Callable[[float, int, int], float]] = {
    "none": lambda base, t, total: base,
    "step": step,
    "cosine": cosine,
}


def learn_rate_at(schedule: str, base: float, t: int, total: int) -> float:
    """The learning rate for update ``t`` (0-based) of ``total``."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}")
    return SCHEDULES[schedule](base, t, total)
