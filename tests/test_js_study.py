"""The exercise in the browser against ``reseau experiment``: the same runs, the same tables, the same CSV.

A small study (three studies of two values, two seeds, the first training images) is trained by
``reseau experiment``'s runner (:func:`reseau.experiments.execute_run`) during the test; Node trains it
with ``local/study-worker.js`` and sums it up with ``local/study-table.js``
(``tests/js/study.test.mjs``): each run's test accuracy and "Précision" must be Python's exactly, each
table cell Python's text (French and English), the CSV Python's but for the measured times.
Also :func:`reseau.experiments.site_reference.reference_for_site`, what a site shows as the reference study.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from reseau.data import load_raw
from reseau.experiments import RunResult, build_report, build_studies, conclusions, execute_run, summarise
from reseau.experiments.conclusions import Writer
from reseau.experiments.report import cell
from reseau.experiments.site_reference import (
    CSV_HEAD,
    CSV_TAIL,
    POINT_FIELDS,
    page_defaults,
    reference_for_site,
    runs_csv,
)
from reseau.experiments.studies import factors_for, unique_specs
from reseau.i18n import LANGUAGES, number_format
from test_js_faithful import run_node

NODE = shutil.which("node")
LIMIT = 400  # training images of each run: the whole study trains in about a second, in Python and in Node
STUDY = {"vary": ["epochs=1,2", "hidden=5,13", "lr=0.1,3"], "fixed": ["epochs=1"], "seeds": 2, "limit": LIMIT}


@pytest.fixture(scope="module")
def study(mnist_dir):
    """The small study and its results, trained by reseau experiment's runner: ``(studies, {key: RunResult})``."""
    studies = build_studies(**STUDY)
    results = {}
    for spec in unique_specs(studies):
        result = execute_run(spec, str(mnist_dir))
        assert isinstance(result, RunResult), result
        results[spec.key] = result
    return studies, results


def write(folder: Path, name: str, array: np.ndarray) -> str:
    np.ascontiguousarray(array, dtype=np.uint8).tofile(folder / name)
    return name


@pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")
def test_the_study_in_javascript_is_reseau_experiments(tmp_path, mnist_dir, study):
    studies, results = study
    raw_images, raw_labels = load_raw("train", data_dir=mnist_dir)
    test_images, test_labels = load_raw("test", data_dir=mnist_dir)
    tables = [summarise(s, results) for s in studies]
    cases = {
        "train_images": write(tmp_path, "train-images.u8", raw_images[:LIMIT]),
        "train_digits": write(tmp_path, "train-digits.u8", raw_labels[:LIMIT]),
        "test_images": write(tmp_path, "test-images.u8", test_images),
        "test_digits": write(tmp_path, "test-digits.u8", test_labels),
        "studies": [{"name": s.name, "grid": s.grid, "base": s.base, "seeds": list(s.seeds), "limit": s.limit}
                    for s in studies],
        "base": factors_for("faithful").defaults,
        "defaults": page_defaults(),
        "runs": [
            r.settings | {"seed": r.seed, "test_accuracy": r.test_accuracy, "precisions": r.precisions,
                          "diverged": r.diverged, "at_chance": r.at_chance, "n_train": r.n_train}
            for r in results.values()
        ],
        "tables": [[{name: getattr(p, name) for name in POINT_FIELDS} for p in tb.points] for tb in tables],
        "cells": {
            lang: [[[cell(p.test_mean, p.test_std, Writer(lang)), cell(p.precision_mean, p.precision_std, Writer(lang))]
                    for p in tb.points] for tb in tables]
            for lang in LANGUAGES
        },
        "formats": {lang: number_format(lang) for lang in LANGUAGES},
        "csv": runs_csv(studies, results),
    }
    path = tmp_path / "study-cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    run_node("study.test.mjs", "RESEAU_STUDY_CASES", path)


def test_reseau_experiment_writes_the_runs_as_csv(tmp_path, study):
    studies, results = study
    from reseau.experiments import write_report

    write_report(build_report(studies, results, "reseau experiment"), tmp_path)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "results.csv").read_text(encoding="utf-8"))))
    assert list(rows[0]) == [*CSV_HEAD, "epochs", "hidden", "lr", *CSV_TAIL]
    assert len(rows) == sum(s.count() for s in studies)  # a run shared by two studies is in both
    by_study = {s.name: s for s in studies}
    for row in rows:
        study_ = by_study[row["study"]]
        point = {name: type(study_.base[name])(row[name]) for name in study_.grid}
        result = results[study_.spec(point, int(row["seed"])).key]
        assert float(row["test_accuracy"]) == result.test_accuracy  # read back, the very same number
        assert float(row["precision"]) == result.precisions[-1]
        assert int(row["n_train"]) == LIMIT


def test_reference_for_site_is_the_tables_and_deductions_in_both_languages(study):
    studies, results = study
    reference = reference_for_site(studies, results, "reseau experiment --seeds 2")
    assert reference is not None
    assert json.loads(json.dumps(reference)) == reference  # plain JSON data, as a site ships it
    assert reference["command"] == "reseau experiment --seeds 2"
    assert (reference["seeds"], reference["n_train"], reference["default"]) == (2, LIMIT, False)
    assert reference["runs"] == len(unique_specs(studies))
    tables = [summarise(s, results) for s in studies]
    for shipped, table in zip(reference["tables"], tables, strict=True):
        assert shipped["name"] == table.name and shipped["factors"] == list(table.factors)
        for data, point in zip(shipped["points"], table.points, strict=True):
            assert data["values"] == point.values
            assert data["test_mean"] == point.test_mean and data["test_std"] == point.test_std
            assert data["n"] == point.n == 2
    for lang in LANGUAGES:
        said = [s.replace("**", "") for s in conclusions(tables, lang)]
        assert reference["deductions"][lang] == said and said
    assert reference["deductions"]["fr"] != reference["deductions"]["en"]
    assert any("%" in s or "point" in s for s in reference["deductions"]["fr"])  # sentences citing numbers


def test_a_site_ships_the_last_study_reseau_experiment_stored(study, tmp_path, monkeypatch):
    """``reseau site`` calls reference_for_site() with nothing: the studies last run on reseau experiment's store."""
    from reseau.experiments import STORE_NAME, ResultStore, default_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # a user who never ran reseau experiment (nor reseau site)

    assert reference_for_site() is None  # no reseau experiment yet: no reference, one sentence on the page
    studies, results = study
    with ResultStore(default_dir() / STORE_NAME) as store:
        for result in results.values():
            store.save(result)
        store.save_studies(studies, "reseau experiment --seeds 2")
    assert reference_for_site() == reference_for_site(studies, results, "reseau experiment --seeds 2")
