"""The class's answer to the document's exercise: every student's runs pooled, summarised as
``reseau experiment`` summarises its studies, and the same computed « Que peut-on en déduire ? ».

The students vary the epochs, the hidden neurons and the learning rate as
they like.  For each factor, the runs that differ *only* in that factor (and
the seed) form a study: the largest such group (most distinct values, then
most runs) is kept, its other settings being the study's fixed ones.  Two
students who trained exactly the same settings and seed made the same run:
it is counted once (the trainer is deterministic).  The tables and the
sentences are then :mod:`reseau.experiments`' own (:class:`StudyTable`,
:func:`conclusions`, :func:`study_figure`), with two differences:

- a run's time is the whole training, as the students' pages and the class
  table show it (the tests after each epoch included), not the epochs alone
  as ``reseau experiment`` times them: the teacher reads one duration;
- where the command line's report says "run again with --seeds 3", the class
  reads what a class does instead: several students train the same settings
  with different seeds (:data:`CLASS_WORDING`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import defaultdict
from typing import Any

from reseau import kinds
from reseau.classe.db import RunRow
from reseau.experiments.conclusions import conclusions, factor_label
from reseau.experiments.runs import CHANCE, CHANCE_MARGIN, RunResult
from reseau.experiments.studies import canonical_json
from reseau.experiments.summary import PointStats, StudyTable, mean_std

FACTORS = kinds.document().config_class().FACTORS or {}  # study factor -> field of the document's configuration
FIXED = ("epochs", "hidden", "learn_rate", "engine")  # the settings that make two runs comparable
CLASS_WORDING = {  # the conclusions' sentences a class says in its own words (no command line in a classroom)
    "one_seed": "classe.ccl.one_seed",
    "caveat.one_seed": "classe.ccl.caveat.one_seed",
}
POINT_FIELDS = ("n", "test_mean", "test_std", "precision_mean", "seconds_mean")  # what the teacher's table shows
CSV_COLUMNS: tuple[str, ...] = ("run", "student", "mode", "epochs", "hidden", "learn_rate", "seed")
CSV_COLUMNS += ("precision", "test_accuracy", "seconds", "waited", "n_train", "finished")  # run_record's keys, in order


def as_result(run: RunRow) -> RunResult:
    """A class run as the experiments' :class:`RunResult` (what their tables are made of)."""
    settings = {k: run.config[k] for k in FIXED if k in run.config}
    tests = [float(x) for x in run.tests if x is not None]
    final = run.test_accuracy
    return RunResult(
        key=canonical_json([settings, run.config.get("seed"), run.n_train]),
        mode=run.mode,
        dataset="mnist",
        settings=settings,
        seed=int(run.config.get("seed", 0)),
        n_train=run.n_train,
        precisions=list(run.precisions),
        test_accuracies=tests,
        epoch_seconds=list(run.epoch_seconds),
        seconds=run.seconds,
        diverged=final is None,
        diverged_epoch=None,
        at_chance=final is not None and final < CHANCE + CHANCE_MARGIN,
        code_version="",
        dataset_hash="",
        final_test=final,
    )


def class_tables(runs: list[RunRow]) -> list[StudyTable]:
    """One study table per factor the class varied (at least two values, the rest held fixed)."""
    unique: dict[str, RunResult] = {}
    for run in runs:
        if kinds.kind(run.mode).document:  # the exercise is about the document's network
            result = as_result(run)
            unique.setdefault(result.key, result)  # the same run trained twice is one run
    tables = []
    for factor, name in FACTORS.items():
        groups: dict[str, list[RunResult]] = defaultdict(list)
        for result in unique.values():
            others = {k: v for k, v in result.settings.items() if k != name}
            groups[canonical_json([others, result.n_train])].append(result)
        best = max(groups.values(), key=lambda rs: (len({r.settings.get(name) for r in rs}), len(rs)), default=[])
        values = sorted({r.settings.get(name) for r in best}, key=lambda v: (v is None, v))
        if len(values) < 2:
            continue
        points = []
        for value in values:
            at = [r for r in best if r.settings.get(name) == value]
            points.append(whole_time(PointStats.from_runs({factor: value}, at, len(at)), at))
        base = {k: v for k, v in best[0].settings.items() if k != name}
        seeds = max(p.n for p in points)
        tables.append(
            StudyTable(factor, (factor,), points, base, seeds, kinds.document().mode, "mnist", best[0].n_train)
        )
    return tables


def whole_time(point: PointStats, runs: list[RunResult]) -> PointStats:
    """``point`` timed as the class table times its runs: the whole training (its mean and spread, s).

    :meth:`PointStats.from_runs` times the epochs alone (``reseau experiment``'s
    measure); on a class's small runs the tests after each epoch take longer
    than the epochs, and the answer would say 0,0 s where the class saw 0,7 s.
    """
    mean, spread = mean_std([r.seconds for r in runs])
    return dataclasses.replace(point, seconds_mean=mean, seconds_std=spread)


def class_answer(runs: list[RunRow], lang: str) -> dict[str, Any]:
    """The pooled tables (as JSON), the sentences, and each study's plot as SVG text."""
    tables = class_tables(runs)
    return {
        "runs": len(runs),
        "tables": [table_json(tb, lang) for tb in tables],
        "conclusions": conclusions(tables, lang, CLASS_WORDING) if tables else [],
        "plots": [plot_svg(tb, lang) for tb in tables],
    }


def table_json(table: StudyTable, lang: str) -> dict[str, Any]:
    return {
        "factor": table.factor,
        "label": factor_label(table.factor, lang),
        "base": {k: v for k, v in table.base.items() if k != "engine"},
        "points": [{"value": p.value()} | {k: getattr(p, k) for k in POINT_FIELDS} for p in table.points],
    }


PLOTS: dict[tuple[str, str], str] = {}  # (a study's table as JSON, language) -> its plot (SVG)
MAX_PLOTS = 64  # plots kept (a few studies, two languages, as a lesson goes on)


def plot_svg(table: StudyTable, lang: str) -> str:
    """The experiments' plot of a study (test accuracy and « Précision » against the factor), as SVG.

    Drawn once per table: a run that leaves a study as it was (another study's, or settings the class's
    answer does not pool) draws nothing again.  Measured with 60 students (benchmarks/bench_classe.py),
    a plot takes 150 to 300 ms of the server, and the teacher's page waits for it.
    """
    key = (json.dumps(dataclasses.asdict(table), sort_keys=True, default=str), lang)
    found = PLOTS.get(key)
    if found is None:
        if len(PLOTS) >= MAX_PLOTS:
            PLOTS.clear()
        found = PLOTS[key] = draw_plot(table, lang)
    return found


def draw_plot(table: StudyTable, lang: str) -> str:
    from reseau.experiments.report import study_figure  # matplotlib: only when a plot is drawn

    buffer = io.StringIO()
    study_figure(table, lang).savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.find("<svg") :]  # without the XML prologue, to put inside a page


def run_record(run: RunRow) -> dict[str, Any]:
    """A run as a row of the class table and of the exports."""
    config = run.config
    return {
        "run": run.id,
        "student": run.name,
        "mode": run.mode,
        "epochs": config.get("epochs"),
        "hidden": config.get("hidden", "-".join(map(str, config.get("layers", ()))) or None),
        "learn_rate": config.get("learn_rate"),
        "seed": config.get("seed"),
        "precision": run.precision,
        "test_accuracy": run.test_accuracy,
        "seconds": round(run.seconds, 3),
        "waited": round(run.waited, 3),
        "n_train": run.n_train,
        "finished": run.finished,
    }


def to_csv(runs: list[RunRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for run in runs:
        record = run_record(run)
        record["student"] = safe_cell(str(record["student"]))
        writer.writerow(record)
    return out.getvalue()


def safe_cell(text: str) -> str:
    """A name a spreadsheet will not run as a formula (``=1+1`` -> ``'=1+1``)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_json(runs: list[RunRow]) -> list[dict[str, Any]]:
    """Every run with its curves (each epoch's « Précision », test accuracy and time) and configuration."""
    return [
        run_record(r)
        | {"config": r.config, "precisions": r.precisions, "tests": r.tests, "epoch_seconds": r.epoch_seconds}
        for r in runs
    ]
