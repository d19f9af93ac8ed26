"""The document's exercise, answered with evidence: sweeps, a result store, a report.

*Faire varier le nombre d'epochs, le nombre de neurones de la couche cachée,
le taux d'apprentissage.  Que peut-on en déduire ?*  ::

    from reseau import experiments
    studies = experiments.build_studies()                  # the three studies, 3 seeds each
    with experiments.ResultStore(experiments.default_dir() / "results.sqlite") as store:
        results = experiments.run_studies(studies, store)  # local process pool; cluster="tcp://..." for Dask
    report = experiments.build_report(studies, results)
    experiments.write_report(report, experiments.default_dir())
    print("\\n".join(report.conclusions))

Modules: :mod:`.studies` (what to train), :mod:`.runs` (one run, in a worker),
:mod:`.store` (SQLite), :mod:`.runner` (executors), :mod:`.summary` (tables),
:mod:`.conclusions` (the deductions), :mod:`.report` (Markdown, HTML, plots).
"""

from __future__ import annotations

from reseau.experiments.conclusions import conclusions
from reseau.experiments.report import Report, build_report, write_report
from reseau.experiments.runner import Plan, plan, run_studies
from reseau.experiments.runs import RunResult, execute_run
from reseau.experiments.store import STORE_NAME, ResultStore, default_dir
from reseau.experiments.studies import RunSpec, Study, build_studies
from reseau.experiments.summary import PointStats, StudyTable, summarise

__all__ = [
    "STORE_NAME",
    "Plan",
    "PointStats",
    "Report",
    "ResultStore",
    "RunResult",
    "RunSpec",
    "Study",
    "StudyTable",
    "build_report",
    "build_studies",
    "conclusions",
    "default_dir",
    "execute_run",
    "plan",
    "run_studies",
    "summarise",
    "write_report",
]
