"""Running studies: plan what is missing, ship runs to an executor, store each result at once.

Runs go through a ``concurrent.futures``-style executor: a local process pool
(:func:`local_pool`) or a Dask cluster's executor (:func:`dask_executor`).
The parent process alone writes the store, as each run finishes, so workers
on other machines need no access to it and nothing finished is ever lost.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reseau.errors import ReseauError
from reseau.experiments.runs import RunFailure, RunResult, execute_run
from reseau.experiments.store import ResultStore
from reseau.experiments.studies import RunSpec, Study, unique_specs
from reseau.i18n import counted

ResultFn = Callable[[RunResult, RunSpec], None]
CONNECT_TIMEOUT = "10s"  # how long to wait for a Dask scheduler to answer


@dataclass
class Plan:
    """Every run the studies need, split into those stored already and those to train."""

    specs: list[RunSpec]  # every distinct run of the studies
    stored: dict[str, RunResult]  # key -> result already in the store (kept)
    todo: list[RunSpec]  # runs to train, longest first

    @property
    def total_cost(self) -> float:
        return sum(s.cost() for s in self.todo)


def plan(studies: list[Study], store: ResultStore, force: bool = False) -> Plan:
    """What is left to do: every run not in the store (every run, with ``force``)."""
    specs = unique_specs(studies)
    stored = {} if force else store.get([s.key for s in specs])
    todo = sorted((s for s in specs if s.key not in stored), key=lambda s: -s.cost())
    return Plan(specs, stored, todo)


def cpu_count() -> int:
    """CPUs this process may use (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


WORKER_MEMORY = 600 * 2**20  # bytes one faithful worker may use: MNIST as floats, one run's arrays


def available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux's MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        pass
    return None


def default_workers() -> int:
    """One worker per CPU, but no more than the available memory holds (each loads its own MNIST)."""
    memory = available_memory()
    return cpu_count() if memory is None else max(1, min(cpu_count(), memory // WORKER_MEMORY))


def capped_workers(asked: int | None) -> int:
    """The local workers to start when ``asked`` (None: as many as useful): never more than
    :func:`default_workers`, since more processes than cores only share them, and more than the
    memory holds would swap or be killed."""
    if asked is not None and asked < 1:
        raise ReseauError("experiment.bad_workers", value=asked)
    return min(asked or default_workers(), default_workers())


def _ignore_sigint() -> None:
    """Workers ignore Ctrl-C: the parent hears it, stops them and says what was saved."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def local_pool(workers: int | None = None) -> Iterator[Executor]:
    """A pool of ``workers`` processes (at most one per CPU, as memory allows), stopped at once on an error."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # "spawn": a fresh interpreter per worker, safe even though the parent has threads (progress bar)
    started = set(multiprocessing.active_children())  # the pool's workers are the children started after this
    pool = ProcessPoolExecutor(
        max_workers=capped_workers(workers), mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_sigint
    )
    try:
        yield pool
    except BaseException:
        # Stop the runs in flight now rather than wait for them.  The workers
        # are killed *before* shutdown and no future is cancelled: the pool
        # then fails every pending future itself (Python 3.11's pool raises
        # InvalidStateError in its own thread when it meets a cancelled one).
        # Then wait for the pool's own thread to finish with them: exiting while it still closes its pipe
        # races with the pool's exit hook (CPython 3.11), which then prints a traceback ("Bad file
        # descriptor") after the user's message -- seen once in CI when a worker was killed.
        for process in set(multiprocessing.active_children()) - started:
            process.terminate()
        pool.shutdown(wait=True)
        raise
    pool.shutdown(wait=True)


@contextmanager
def dask_client(address: str) -> Iterator[Any]:
    """A client of the Dask cluster whose scheduler is at ``address`` (``tcp://host:8786``), closed on leaving."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise ReseauError("experiment.no_dask") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ReseauError(
            "experiment.cluster_unreachable",
            address=address,
            reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        ) from None
    try:
        yield client
    finally:
        client.close()


@contextmanager
def dask_executor(address: str) -> Iterator[Executor]:
    """The executor of the Dask cluster whose scheduler is at ``address``."""
    with dask_client(address) as client:
        executor = client.get_executor(pure=False)
        try:
            yield executor
        except BaseException:
            executor.shutdown(wait=False)  # cancels the runs not finished on the cluster
            raise


def execute(
    todo: list[RunSpec],
    executor: Executor,
    store: ResultStore,
    data_dir: str | None = None,
    on_result: ResultFn | None = None,
    already: int = 0,
) -> list[RunResult]:
    """Submit ``todo`` to ``executor``; store each result the moment it arrives.

    On Ctrl-C, a dead worker or a failed run, the error goes up (the
    executor's context stops what is left); everything stored so far stays
    stored.  ``already`` runs were stored before: the messages count them.
    """
    futures: dict[Future, RunSpec] = {executor.submit(execute_run, spec, data_dir): spec for spec in todo}
    results = []
    try:
        for future in as_completed(futures):
            outcome = future.result()
            if isinstance(outcome, RunFailure):
                raise outcome.error()
            store.save(outcome)
            results.append(outcome)
            if on_result:
                on_result(outcome, futures[future])
    except BrokenProcessPool:
        raise ReseauError(
            "experiment.worker_died",
            done=counted(already + len(results), "unit.training"),
            total=already + len(todo),
            store=store.path,
        ) from None
    return results


def run_studies(
    studies: list[Study],
    store: ResultStore,
    *,
    workers: int | None = None,
    cluster: str | None = None,
    data_dir: str | None = None,
    force: bool = False,
    on_plan: Callable[[Plan], None] | None = None,
    on_result: ResultFn | None = None,
    command: str = "",
) -> dict[str, RunResult]:
    """Run every missing run of ``studies``; returns every result they need: ``{key: RunResult}``.

    Local workers are capped by :func:`capped_workers` (``--workers 1000`` starts one per core).
    """
    if workers is not None and workers < 1:
        raise ReseauError("experiment.bad_workers", value=workers)
    work = plan(studies, store, force)
    store.save_studies(studies, command)
    if on_plan:
        on_plan(work)
    results = dict(work.stored)
    if work.todo:
        pool = dask_executor(cluster) if cluster else local_pool(min(capped_workers(workers), len(work.todo)))
        with pool as executor:
            for result in execute(work.todo, executor, store, data_dir, on_result, len(work.stored)):
                results[result.key] = result
    return results
