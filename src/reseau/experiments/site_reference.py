"""The exercise in the browser: the runs as CSV, and the reference study a site ships.

``reseau site`` writes a folder where a student runs the exercise's studies in the browser
(``web/static/local/study.js``).  Beside the student's own table the page shows the reference
study's table and its deductions, computed here by :mod:`reseau.experiments.conclusions` when
the site is written: :func:`reference_for_site` returns them as plain JSON data (the page formats
the numbers in the reader's language; the deductions are sentences in French and in English).

:func:`runs_csv` writes one row per run; ``reseau experiment`` writes it beside its report
(``results.csv``) and the page's « Exporter en CSV » writes the same columns
(``local/study-table.js``, tested equal by ``tests/test_js_study.py``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from reseau.experiments.conclusions import conclusions
from reseau.experiments.runs import RunResult
from reseau.experiments.studies import DEFAULT_SEEDS, DEFAULT_STUDIES, Study, is_default, word
from reseau.experiments.summary import PointStats, StudyTable, summarise
from reseau.i18n import LANGUAGES

CSV_HEAD = ("study", "mode", "dataset")  # which study the row belongs to (a run shared by two studies is in both)
CSV_TAIL = ("seed", "n_train", "precision", "test_accuracy", "seconds", "diverged", "at_chance")  # what it measured
POINT_FIELDS: tuple[str, ...] = ("n", "expected", "test_mean", "test_std", "precision_mean", "precision_std")
POINT_FIELDS += ("seconds_mean", "seconds_std", "diverged", "at_chance")  # a table row's numbers (summary.PointStats)


def csv_columns(studies: list[Study]) -> list[str]:
    """The CSV's columns: the study, the settings (for the document's network ``epochs, hidden, lr``), the measures."""
    return [*CSV_HEAD, *studies[0].base, *CSV_TAIL]


def csv_number(value: float | None) -> str:
    """A measured number as Python writes it back exactly (``93.32``); empty when there is none (diverged)."""
    return "" if value is None else repr(float(value))


def run_row(study: Study, point: dict, result: RunResult) -> list[str]:
    """One run as a CSV row, in :func:`csv_columns`' order."""
    settings = dict(study.base) | point
    measured = [
        str(result.seed),
        str(result.n_train),
        csv_number(result.precision),
        csv_number(result.test_accuracy),
        f"{result.train_seconds:.3f}",  # the epochs' time, as the tables' "training (s)"
        str(int(result.diverged)),
        str(int(result.at_chance)),
    ]
    return [study.name, study.mode, study.dataset, *(word(settings[name]) for name in study.base), *measured]


def runs_csv(studies: list[Study], results: dict[str, RunResult]) -> str:
    """Every finished run of ``studies`` (``results``: ``{key: RunResult}``), one row each, study after study."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_columns(studies))
    for study in studies:
        for point in study.points():
            for seed in study.seeds:
                result = results.get(study.spec(point, seed).key)
                if result is not None:
                    writer.writerow(run_row(study, point, result))
    return out.getvalue()


def point_data(point: PointStats) -> dict:
    """A table row as JSON: the factors' values and the numbers the page formats."""
    return {"values": dict(point.values)} | {name: getattr(point, name) for name in POINT_FIELDS}


def table_data(table: StudyTable) -> dict:
    return {
        "name": table.name,
        "factors": list(table.factors),
        "base": dict(table.base),
        "seeds": table.seeds,
        "n_train": table.n_train,
        "points": [point_data(p) for p in table.points],
    }


def reference_for_site(
    studies: list[Study] | None = None, results: dict[str, RunResult] | None = None, command: str = ""
) -> dict | None:
    """What a site shows as the reference study (``RESEAU_SITE.reference``), plain JSON data.

    Without ``studies``: the last studies ``reseau experiment`` ran on its store (in
    :func:`reseau.experiments.default_dir`), None when it has run none.

    ``{"command", "default", "mode", "dataset", "seeds", "n_train", "runs", "tables": [{name, factors, base,
    seeds, n_train, points: [{values, n, expected, test_mean, test_std, ...}]}], "deductions": {"fr": [...],
    "en": [...]}}``: the tables of :func:`reseau.experiments.summarise`, the sentences of
    :func:`reseau.experiments.conclusions` in each language (without the Markdown ``**``).
    """
    if studies is None or results is None:
        from reseau.experiments.store import STORE_NAME, default_dir

        return stored_reference(default_dir() / STORE_NAME)
    tables = [summarise(s, results) for s in studies]
    used = {spec.key for study in studies for spec in study.specs()}
    return {
        "command": command,
        "default": is_default(studies),  # the document's three studies, at its settings
        "mode": studies[0].mode,
        "dataset": studies[0].dataset,
        "seeds": len(studies[0].seeds),
        "n_train": tables[0].n_train,
        "runs": len(used & set(results)),
        "tables": [table_data(table) for table in tables],
        "deductions": {lang: [s.replace("**", "") for s in conclusions(tables, lang)] for lang in LANGUAGES},
    }


def stored_reference(store_path: str | Path) -> dict | None:
    """:func:`reference_for_site` for the last studies run on the store at ``store_path`` (``reseau experiment``'s);
    None when there is no such store, or nothing of those studies in it."""
    from reseau.experiments.store import ResultStore
    from reseau.experiments.studies import command_line

    path = Path(store_path).expanduser()
    if not path.is_file():
        return None
    with ResultStore(path) as store:
        last = store.last_studies()
        if last is None:
            return None
        studies, command = last
        results = store.get([spec.key for study in studies for spec in study.specs()])
    if not results:
        return None
    return reference_for_site(studies, results, command or command_line(studies))


def page_defaults() -> dict:
    """The exercise's studies as the page offers them: ``{"grid": {"epochs": [1, 2, 3, 5, 10], ...}, "seeds": 3}``
    (tests/test_js_study.py checks that local/study-table.js offers these)."""
    return {"grid": {name: list(values) for name, values in DEFAULT_STUDIES.items()}, "seeds": DEFAULT_SEEDS}
