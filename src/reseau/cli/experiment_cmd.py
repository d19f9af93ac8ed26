"""``reseau experiment``: the document's exercise, measured — studies in parallel, a store, a report."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reseau import kinds
from reseau.cli.common import DownloadBar, LocalisedCommand, err, out, progress_bar
from reseau.errors import ConfigError, ReseauError
from reseau.i18n import counted, format_number, t

if TYPE_CHECKING:  # imported where used: the experiments' report imports matplotlib, slow for `reseau --help`
    from reseau import experiments
    from reseau.experiments.runner import Plan


@dataclass
class Options:
    """What the command line asked for."""

    factors: list[str]  # positional FACTOR=VALUES
    vary: list[str]  # --vary FACTOR=VALUES (one study each)
    grid: bool  # --grid: the positional factors make one grid
    fixed: list[str]  # --set FACTOR=VALUE
    seeds: int
    mode: str
    preset: str | None
    dataset: str
    data_dir: Path | None
    workers: int | None
    cluster: str | None
    out_dir: Path | None
    store: Path | None
    force: bool
    report_only: bool
    limit: int | None

    @property
    def asks_studies(self) -> bool:
        return bool(self.factors or self.vary or self.fixed)

    def studies(self) -> list[experiments.Study]:
        from reseau import experiments

        if self.grid and not self.factors:
            raise ConfigError("experiment.grid_empty")
        vary = list(self.vary) + ([] if self.grid else list(self.factors))
        grid = self.factors if self.grid else None
        return experiments.build_studies(
            vary, grid, self.fixed, self.seeds, self.mode, self.dataset, self.limit, self.preset
        )


def run_experiment(opts: Options) -> None:
    """Plan, train what is missing, write the report, show the deductions."""
    from reseau import experiments
    from reseau.experiments.studies import command_line

    out_dir = (opts.out_dir or experiments.default_dir()).expanduser()
    store_path = opts.store or out_dir / experiments.STORE_NAME
    if opts.report_only and not store_path.is_file():
        raise ReseauError("experiment.nothing_stored", path=store_path)
    asked = None if opts.report_only else opts.studies()  # a mistake is said before any file is touched
    with experiments.ResultStore(store_path) as store:
        if asked is None:
            studies, results = stored_studies(opts, store)
        else:
            studies = asked
            results = train_missing(opts, studies, store)
        report = experiments.build_report(studies, results, command_line(studies))
        md = experiments.write_report(report, out_dir)
    show(report, md, store_path)


def stored_studies(opts: Options, store: experiments.ResultStore):
    """The studies to report on (those asked for, else the last run) and their stored results."""
    last = None if opts.asks_studies else store.last_studies()
    studies = opts.studies() if last is None else last[0]
    if store.count() == 0:
        raise ReseauError("experiment.nothing_stored", path=store.path)
    results = store.get([s.key for st in studies for s in st.specs()])
    missing = len({s.key for st in studies for s in st.specs()}) - len(results)
    if missing:
        err.print(t("experiment.report_missing", n=counted(missing, "unit.training")), style="yellow")
    return studies, results


def train_missing(opts: Options, studies, store) -> dict:
    from reseau import experiments
    from reseau.experiments.studies import command_line

    if not opts.cluster:  # find (or download) the data once, here, before the workers look for it
        from reseau import data

        data.locate(opts.dataset, opts.data_dir, progressbar=DownloadBar())
        say_workers_capped(opts.workers)
    bar = RunsBar(opts, studies)
    started = time.perf_counter()
    try:
        results = experiments.run_studies(
            studies,
            store,
            workers=opts.workers,
            cluster=opts.cluster,
            data_dir=str(opts.data_dir) if opts.data_dir else None,
            force=opts.force,
            on_plan=bar.start,
            on_result=bar.advance,
            command=command_line(studies),
        )
    except KeyboardInterrupt:
        bar.stop()
        done = counted(bar.stored + bar.done, "unit.training")
        raise ReseauError("experiment.interrupted", done=done, total=bar.total, store=store.path) from None
    finally:
        bar.stop()
    if bar.done:
        seconds = format_number(time.perf_counter() - started, 1)
        err.print(t("experiment.done", n=counted(bar.done, "unit.training"), seconds=seconds), style="dim")
    return results


def say_workers_capped(asked: int | None) -> None:
    """Say so when ``--workers`` asks for more local processes than the cores and the memory allow."""
    from reseau.experiments import runner

    workers = runner.capped_workers(asked)
    if asked is None or asked <= workers:
        return
    memory = runner.available_memory()
    n, cpus = counted(workers, "unit.process"), counted(runner.cpu_count(), "unit.core")
    if memory is None:
        err.print(t("experiment.workers_capped_cores", asked=asked, n=n, cpus=cpus), style="yellow")
        return
    gib, by_memory = format_number(memory / 2**30, 1), max(1, memory // runner.WORKER_MEMORY)
    text = t("experiment.workers_capped", asked=asked, n=n, cpus=cpus, memory=gib, by_memory=by_memory)
    err.print(text, style="yellow")


class RunsBar:
    """Runs done / total and time left, on stderr; weighted by each run's expected cost."""

    def __init__(self, opts: Options, studies) -> None:
        self.opts, self.studies = opts, studies
        self.progress: Any = None  # a rich Progress while runs are going
        self.task: Any = None
        self.total = self.stored = self.done = 0

    def start(self, plan: Plan) -> None:
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        from reseau.experiments import runner

        self.total, self.stored = len(plan.specs), len(plan.stored)
        workers = min(runner.capped_workers(self.opts.workers), max(len(plan.todo), 1))
        cluster = self.opts.cluster
        where = t("experiment.where_cluster", address=cluster) if cluster else counted(workers, "unit.local_process")
        counts = {  # "2 entraînements (2 points × 1 graine, ...)"
            "total": counted(self.total, "unit.training"),
            "points": counted(len({s.settings_json for s in plan.specs}), "unit.point"),
            "seeds": counted(self.opts.seeds, "unit.seed"),
            "stored": counted(self.stored, "unit.stored"),
        }
        if not plan.todo:
            err.print(t("experiment.plan_nothing", **counts))
            return
        err.print(t("experiment.plan", **counts, todo=len(plan.todo), where=where))
        if not err.is_terminal:  # no live bar in a log or a pipe: say once what the first seconds are spent on
            err.print(t("experiment.progress_starting") + "…")
        self.progress = progress_bar(
            SpinnerColumn(),  # moves while the workers start, before the first run has finished
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[runs]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        self.progress.start()
        self.task = self.progress.add_task(
            t("experiment.progress_starting"), total=plan.total_cost, runs=f"{self.stored}/{self.total}"
        )

    def advance(self, result, spec) -> None:
        self.done += 1
        if self.progress is not None:
            runs = f"{self.stored + self.done}/{self.total}"
            self.progress.update(self.task, advance=spec.cost(), description=t("experiment.progress"), runs=runs)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def show(report: experiments.Report, md: Path, store_path: Path) -> None:
    """The deductions and the tables on stdout, then where the report is."""
    out.print(t("experiment.report.deductions"), style="bold")
    for sentence in report.conclusions:
        out.print("• " + sentence.replace("**", ""), markup=False)
    if len(report.code_versions) > 1:
        err.print(t("experiment.code_versions", versions=", ".join(report.code_versions)), style="yellow")
    out.print(t("experiment.report_written", md=md, html=md.with_suffix(".html")), markup=False)
    err.print(t("experiment.store_at", path=store_path), style="dim")


def register(app: typer.Typer) -> None:
    @app.command("experiment", help=t("cli.experiment.help"), cls=LocalisedCommand)
    def experiment(
        factors: Annotated[
            list[str] | None,
            typer.Argument(metavar="FACTEUR=VALEURS", show_default=False, help=t("cli.experiment.factors")),
        ] = None,
        vary: Annotated[
            list[str] | None, typer.Option("--vary", help=t("cli.experiment.vary"), metavar="<str>", show_default=False)
        ] = None,
        grid: Annotated[bool, typer.Option("--grid", help=t("cli.experiment.grid"), metavar="")] = False,
        fixed: Annotated[
            list[str] | None, typer.Option("--set", help=t("cli.experiment.set"), metavar="<str>", show_default=False)
        ] = None,
        seeds: Annotated[int, typer.Option("--seeds", help=t("cli.experiment.seeds"))] = 3,
        mode: Annotated[str, typer.Option("--mode", help=t("cli.experiment.mode"))] = kinds.document().mode,
        preset: Annotated[str | None, typer.Option("--preset", help=t("cli.experiment.preset"))] = None,
        dataset: Annotated[str, typer.Option("--dataset", help=t("cli.opt.dataset"))] = "mnist",
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))] = None,
        workers: Annotated[int | None, typer.Option("--workers", "-j", help=t("cli.experiment.workers"))] = None,
        cluster: Annotated[str | None, typer.Option("--cluster", help=t("cli.experiment.cluster"))] = None,
        out_dir: Annotated[Path | None, typer.Option("--out", "-o", help=t("cli.experiment.out"))] = None,
        store: Annotated[Path | None, typer.Option("--store", help=t("cli.experiment.store"))] = None,
        force: Annotated[bool, typer.Option("--force", help=t("cli.experiment.force"), metavar="")] = False,
        report_only: Annotated[bool, typer.Option("--report", help=t("cli.experiment.report"), metavar="")] = False,
        limit: Annotated[int | None, typer.Option("--limit", hidden=True, help=t("cli.experiment.limit"))] = None,
    ) -> None:
        run_experiment(
            Options(
                list(factors or []),
                list(vary or []),
                grid,
                list(fixed or []),
                seeds,
                mode,
                preset,
                dataset,
                data_dir,
                workers,
                cluster,
                out_dir,
                store,
                force,
                report_only,
                limit,
            )
        )
