"""The classroom's pages made on the server: the student's page, a student's printable summary, the QR code.

HTML and SVG come from the Jinja2 templates of ``templates/``, every value
autoescaped (a first name such as ``<script>`` reads as text); this module
only works out what they show, in the reader's language.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from reseau.classe import answer
from reseau.classe.lesson import Classroom
from reseau.i18n import format_number, t
from reseau.web.routes.page import STATIC as WEB_STATIC

TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(("html", "svg"))
    )
)
NO_STORE = {"Cache-Control": "no-store"}
COLUMNS = ("run", "epochs", "hidden", "lr", "seed", "precision", "test", "time")  # the summary's table


def student_page(request: Request) -> HTMLResponse:
    """The web page (``web/static/index.html``) with the classroom's bar, styles and scripts."""
    page = Markup((WEB_STATIC / "index.html").read_text(encoding="utf-8"))  # the project's own file: trusted
    return TEMPLATES.TemplateResponse(request, "student.html", {"page": page}, headers=NO_STORE)


CURVE_COLOURS = {"precision": "#2563eb", "test": "#ea580c"}  # the web page's (web/static/app.js COLOURS)
MARGIN = {"left": 52, "right": 14, "top": 12, "bottom": 44}  # room for the ticks and the axes' names


def curve(precisions: list[float], tests: list[float | None], lang: str, width: int = 520, height: int = 240) -> dict:
    """One run's curves for an SVG, with its axes: « Précision » (blue) and test accuracy (orange) per
    epoch, as on the web page, from 80 % (or lower) to 100 %; the ticks and the axes' names in ``lang``.

    ``lines``: (``"x,y x,y"`` points, colour); ``x_ticks`` / ``y_ticks``: (position, text); ``axes``: the frame.
    """
    m = MARGIN
    low = math.floor(min([80.0, *precisions, *[x for x in tests if x is not None]]) / 5) * 5
    n = len(precisions)
    plot_w, plot_h = width - m["left"] - m["right"], height - m["top"] - m["bottom"]

    def x(k: int) -> float:
        return m["left"] + (k * plot_w / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return m["top"] + (100 - v) / (100 - low) * plot_h

    series: list[tuple[list[float | None], str]] = [(list(precisions), "precision"), (tests, "test")]
    lines = [
        (" ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in enumerate(values) if v is not None), CURVE_COLOURS[name])
        for values, name in series
    ]
    step_y = 10 if 100 - low > 40 else 5
    step_x = max(1, math.ceil(n / 10))
    return {
        "width": width,
        "height": height,
        "lines": lines,
        "x_ticks": [(round(x(k), 1), str(k)) for k in range(0, n, step_x)],
        "y_ticks": [(round(y(v), 1), f"{format_number(v, 0, lang)} %") for v in range(100, low - 1, -step_y)][::-1],
        "axes": {"left": m["left"], "right": width - m["right"], "top": m["top"], "bottom": height - m["bottom"]},
        "x_label": t("classe.summary.axis_x", lang=lang),
        "y_label": t("classe.summary.axis_y", lang=lang),
    }


def summary_page(request: Request, classroom: Classroom, student_id: int, lang: str) -> HTMLResponse:
    """One page per student: their runs, their best network, its curve (the browser prints it)."""
    row = classroom.db.student(student_id)
    assert row is not None
    runs = classroom.db.runs(student_id)

    def num(x: float | None, digits: int = 2) -> str:
        return "—" if x is None else format_number(x, digits, lang)

    rows = []
    for k, run in enumerate(runs, 1):
        r = answer.run_record(run)
        rows.append([k, r["epochs"], r["hidden"], r["learn_rate"], r["seed"], num(run.precision)])
        rows[-1] += [num(run.test_accuracy), t("unit.seconds", lang=lang, n=num(run.seconds, 1))]
    best = max((r for r in runs if r.test_accuracy is not None), key=lambda r: r.test_accuracy or 0, default=None)
    if best:
        best_text = t("classe.summary.best", lang=lang, accuracy=num(best.test_accuracy), n=runs.index(best) + 1)
    said = {
        "lang": lang,
        "title": t("classe.summary.title", lang=lang, name=row.name, lesson=classroom.lesson),
        "date": time.strftime("%Y-%m-%d"),
        "head": [t(f"classe.col.{name}", lang=lang) for name in COLUMNS],
        "rows": rows,
        "best": best_text if best else t("classe.summary.none", lang=lang),
        "curve": curve(best.precisions, best.tests, lang) if best else None,
        "said": {name: t(f"classe.summary.{name}", lang=lang) for name in ("legend", "question", "print")},
    }
    return TEMPLATES.TemplateResponse(request, "summary.html", said, headers=NO_STORE)


def qr_code(text: str) -> Any:
    """``text`` as a QR code (``segno``'s: ``.svg_inline()``, ``.terminal()``); None without that optional package."""
    try:
        import segno
    except ImportError:
        return None
    return segno.make(text, error="m")
