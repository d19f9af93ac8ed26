"""What each preset measured here, in one place: the accuracy and the time that the help says.

``reseau train --help`` writes its preset claims from :data:`MEASURED`, and
``tests/test_first_run.py`` checks that the README and the other messages that
quote a time or an accuracy say the same.  Measure again, change the numbers
here, and the test says which sentence of the README to update.

Measured on the README's 2-core x86_64 machine with the preset's own
``reseau train --preset NAME`` (seeds 0, 1, 2; ``python benchmarks/bench_modern.py
--accuracy`` for the modern presets).  ``accuracy`` is the mean share of the
10 000 test images recognised; ``seconds`` the quickest and the slowest whole
training seen on a quiet machine (test passes included; a busy machine can take
twice as long).  No NumPy here: ``reseau --help`` imports this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reseau.i18n import format_number, t

MINUTES_FROM = 90  # a time of this many seconds or more is said in minutes


@dataclass(frozen=True)
class Measured:
    """One preset's result: test accuracy (%, mean over ``seeds`` seeds) and training time (s, low and high)."""

    accuracy: float
    spread: float | None  # standard deviation over the seeds (None: one seed)
    seeds: int
    seconds: tuple[float, float]

    def accuracy_text(self, lang: str | None = None) -> str:
        """The accuracy as the help and the README's first lines say it: one decimal, ``98,7`` / ``98.7``."""
        return format_number(self.accuracy, 1, lang)

    def time_text(self, lang: str | None = None) -> str:
        """``7 à 13 s`` / ``7–13 s``, or in minutes to the half from :data:`MINUTES_FROM` s (``1 à 2 min``)."""
        low, high = self.seconds
        if high < MINUTES_FROM:
            low_text, high_text = f"{low:.0f}", f"{high:.0f}"
            about, between = "measured.seconds_about", "measured.seconds"
        else:
            low_text, high_text = _halves(math.floor(low / 30) / 2, lang), _halves(math.ceil(high / 30) / 2, lang)
            about, between = "measured.minutes_about", "measured.minutes"
        if low_text == high_text:
            return t(about, lang=lang, n=low_text)
        return t(between, lang=lang, low=low_text, high=high_text)


def _halves(minutes: float, lang: str | None) -> str:
    """``2.0`` -> ``"2"``, ``3.5`` -> ``"3,5"`` (French) or ``"3.5"``."""
    return f"{minutes:.0f}" if minutes.is_integer() else format_number(minutes, 1, lang)


MEASURED: dict[str, Measured] = {
    # the document's network, 3 epochs, seed 0 (the test accuracy is the document's, to the last digit)
    "document": Measured(93.32, None, 1, (1.0, 1.0)),
    # 3 seeds: 97.94 ± 0.13 %; 6.8 s for the whole command, 11-13 s in the benchmark
    "better": Measured(97.94, 0.13, 3, (7.0, 13.0)),
    # 3 seeds: 98.68 ± 0.02 %; 76 s in the benchmark, 107 s for the whole command
    "best": Measured(98.68, 0.02, 3, (76.0, 107.0)),
    # 3 seeds: 99.22 ± 0.09 %; 211-226 s in the benchmark, 274 s for the whole command
    "best-augment": Measured(99.22, 0.09, 3, (211.0, 274.0)),
    # the convolutional presets, 3 seeds each: cnn 99.47, 99.51, 99.44 %; dessin 99.61, 99.47, 99.54 % (its
    # augmentation of issue 23: scans, markers, French 1s and 7s, the page's preparation; dense 256, 18 epochs;
    # 250-258 s quiet)
    "cnn": Measured(99.47, 0.04, 3, (134.0, 138.0)),
    "dessin": Measured(99.54, 0.07, 3, (250.0, 258.0)),
}


CLAIM_NAMES = {"best-augment": "augment"}  # a preset whose name cannot be a message placeholder


def help_claims(lang: str | None = None) -> dict[str, str]:
    """Every preset's numbers as messages quote them: ``{better}``, ``{better_time}``, … ``{dessin_time}``."""
    claims = {}
    for name, measured in MEASURED.items():
        key = CLAIM_NAMES.get(name, name)
        claims[key] = measured.accuracy_text(lang)
        claims[f"{key}_time"] = measured.time_text(lang)
    return claims
