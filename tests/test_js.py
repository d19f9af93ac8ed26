"""The pages' JavaScript twins, checked by Node against the Python they copy (``node --test tests/js/``).

``numbers.js`` writes numbers as :mod:`reseau.i18n` does: this test writes the
inputs and the Python side's answers to a JSON file, and the Node tests read it
(its path in ``RESEAU_NUMBER_CASES``) and must agree character for character.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from reseau import i18n

JS_TESTS = Path(__file__).parent / "js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")

TIES = [0.5, 1.5, 2.5, -2.5, 0.125, 0.375, -0.125, 0.0625, 1.25, 2.675, 1.005, 0.045, 9.995, 99.5]
EDGES = [0.0, -0.0, -0.001, -0.0049, 0.0049, 1e-7, -1e-7, 5e-324, 93.3246, -93.3246, 86.18, 0.01, 0.001, 1e-5,
         123456.789, -1234567.0, 999999.5, 1e6, 1e21, 2**53 + 1.0, 0.00009999995, 1e-4, 1.7976931348623157e308]


def values() -> list[float]:
    """Rounding ties, edges, and seeded random numbers over many magnitudes (both signs)."""
    rng = random.Random(21)
    drawn = [rng.choice((-1, 1)) * rng.random() * 10 ** rng.randint(-9, 9) for _ in range(300)]
    rounded = [round(rng.uniform(-100, 100), rng.randint(0, 4)) for _ in range(150)]  # 2.675-like decimals
    return TIES + EDGES + drawn + rounded


def cases() -> list[dict]:
    found = []
    for lang in i18n.LANGUAGES:
        for x in values():
            for sign in (False, True):
                for digits in (0, 1, 2, 3, 4):
                    found.append({"fn": "formatNumber", "args": [x, digits], "lang": lang, "sign": sign,
                                  "expected": i18n.format_number(x, digits, lang, sign=sign)})
                for digits in (1, 2, 3):
                    found.append({"fn": "formatSci", "args": [x, digits], "lang": lang, "sign": sign,
                                  "expected": i18n.format_sci(x, digits, lang, sign=sign)})
            found.append({"fn": "formatRate", "args": [x], "lang": lang, "sign": False,
                          "expected": i18n.format_rate(x, lang)})
        for n in (0, 7, 999, 1000, -1000, 10000, 60000, 1234567, 2**32 - 1, -5):
            found.append({"fn": "formatCount", "args": [n], "lang": lang, "sign": False,
                          "expected": i18n.format_count(n, lang)})
    return found


def test_the_pages_javascript_agrees_with_python(tmp_path):
    path = tmp_path / "number-cases.json"
    formats = {lang: i18n.number_format(lang) for lang in i18n.LANGUAGES}
    path.write_text(json.dumps({"formats": formats, "cases": cases()}), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "RESEAU_NUMBER_CASES": str(path)}
    done = subprocess.run([NODE, "--test", str(JS_TESTS)], capture_output=True, text=True, env=env, timeout=120)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "# fail 0" in report and "# skipped 0" in report and "# pass 0" not in report, report
