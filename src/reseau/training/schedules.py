"""The learning rate over the course of training: constant, step, or cosine.

Large steps early move fast; small steps late settle into a minimum.  The
rate is computed per update from the step number ``t`` out of ``total``.
"""

from __future__ import annotations

import math

STEP_MILESTONES = (0.5, 0.75)  # "step": divide the rate by STEP_FACTOR at 50 % and 75 % of training
STEP_FACTOR = 10.0


def learn_rate_at(schedule: str, base: float, t: int, total: int) -> float:
    """The learning rate for update ``t`` (0-based) of ``total``."""
    if schedule == "none":
        return base
    if schedule == "step":
        passed = sum(t >= m * total for m in STEP_MILESTONES)
        return base / STEP_FACTOR ** passed
    if schedule == "cosine":
        return base * 0.5 * (1 + math.cos(math.pi * t / total))  # base at t = 0, 0 at t = total
    raise ValueError(f"unknown schedule {schedule!r}")
