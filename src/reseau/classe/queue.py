"""Training for a whole class: a fair queue, one running training per core, the teacher's limits.

Each student has a :class:`ClassTrainer`: the web page's
:class:`~reseau.web.jobs.Trainer` (same events, same page), except that
``start`` puts the run in the class's :class:`TrainQueue` instead of starting
it at once.  From the student's page the run is "running" from the moment it
is asked for; the queue says where it stands (``place``).

Fairness: a student has at most one run asked for at a time (a second one is
a 409, as on the single-user page), and the queue is first come, first
served, so nobody trains twice while another waits.  ``slots`` runs train at
once (one per core, or one per thread of a Dask cluster, ``--cluster``).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reseau import trainers
from reseau.classe.limits import DEFAULT_MAX_EPOCHS, DEFAULT_MAX_HIDDEN, DEFAULT_MODES
from reseau.errors import ReseauError
from reseau.web.errors import WebError
from reseau.web.jobs import Plan, Trainer
from reseau.web.state import DataCache, ModelShelf, ModelStore

log = logging.getLogger("reseau.classe")


@dataclass
class Limits:
    """What the teacher allows for the lesson, and the lesson's constraint in words."""

    max_epochs: int = DEFAULT_MAX_EPOCHS
    max_hidden: int = DEFAULT_MAX_HIDDEN  # neurons in any hidden layer
    modes: tuple[str, ...] = DEFAULT_MODES
    constraint: str = ""  # « aujourd'hui : seulement le taux d'apprentissage »

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "modes": list(self.modes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        return cls(
            int(data.get("max_epochs", DEFAULT_MAX_EPOCHS)),
            int(data.get("max_hidden", DEFAULT_MAX_HIDDEN)),
            tuple(m for m in data.get("modes", DEFAULT_MODES) if m in trainers.KINDS) or DEFAULT_MODES,
            str(data.get("constraint", "")),
        )

    def check(self, plan: Plan) -> None:
        """Refuse (422) a plan beyond the limits, saying which and what is allowed."""
        config = plan.config
        if config.mode not in self.modes:
            allowed = ", ".join(self.modes)
            raise WebError("classe.error.mode", status=422, field="mode", mode=config.mode, allowed=allowed)
        if config.epochs > self.max_epochs:
            raise WebError("classe.error.epochs", status=422, field="epochs", n=config.epochs, max=self.max_epochs)
        widest = max(config.hidden_sizes(), default=0)  # neurons, or a CNN's dense layers
        if widest > self.max_hidden:
            raise WebError("classe.error.hidden", status=422, field="hidden", n=widest, max=self.max_hidden)


class LimitedCache:
    """A view of the shared :class:`DataCache` whose training set is its first ``limit`` images (tests, benchmarks)."""

    def __init__(self, cache: DataCache, limit: int | None) -> None:
        self.cache = cache
        self.limit = limit

    def get(self, split: str, dataset: str = "mnist") -> tuple[np.ndarray, np.ndarray]:
        images, labels = self.cache.get(split, dataset)
        if split == "train" and self.limit:
            return images[: self.limit], labels[: self.limit]
        return images, labels


Finished = Callable[["ClassTrainer", str, dict[str, Any]], None]
Journal = Callable[["ClassTrainer", str, Plan], None]  # (trainer, "asked" | "training" | "epoch", its plan)
INTERRUPTED = "classe.train.interrupted"  # the message of a run the server's stop cut off
Shown = Callable[[str, dict[str, Any]], dict[str, Any]]  # (state, data) -> the data its student reads


class ClassTrainer(Trainer):
    """A student's trainer: the web page's, whose runs wait their turn in the class queue."""

    keeps_document = False  # a student's settings become their model, as before (issue 22's rule is reseau web's)

    def __init__(
        self,
        store: ModelStore,
        shelf: ModelShelf,
        cache: DataCache | LimitedCache,
        queue: TrainQueue,
        limits: Callable[[], Limits],
        on_finished: Finished,
        shown: Shown | None = None,
        journal: Journal | None = None,
    ) -> None:
        super().__init__(store, shelf, cache)  # type: ignore[arg-type]  # LimitedCache has DataCache's get()
        self.queue = queue
        self.limits = limits
        self.on_finished = on_finished
        self.shown = shown  # what the student reads of the run's end (no path of the server)
        self.journal = journal  # writes in the lesson's file where the run stands (read again after a crash)
        self.student_id = 0  # whose runs these are (set by the classroom)
        self.queued_at = 0.0  # when the current run was asked for
        self.started_at: float | None = None  # when it left the queue
        self._ended = threading.Event()
        self._ended.set()

    def start(self, plan: Plan) -> None:
        """Queue ``plan``: 422 beyond the teacher's limits, 409 while this student's run waits or runs."""
        self.limits().check(plan)
        with self._lock:
            if self.running:
                raise WebError("web.error.busy", status=409)
            self._note("asked", plan)  # in the lesson's file first: if the server is killed now, its student is told
            self._events, self.plan, self.state = [], plan, "running"
            self._stop.clear()
            self._ended.clear()
            self.queued_at, self.started_at = time.monotonic(), None
            self._emit_locked("start", plan.summary().model_dump())
        self.queue.submit(self)

    def stop(self) -> None:
        """Leave the queue at once, or stop the training at its next progress report."""
        super().stop()
        if self.queue.cancel(self):
            self._finish("stopped", {"epochs_done": 0})

    def wait(self, timeout: float | None = None) -> bool:
        return self._ended.wait(timeout)

    def show_interrupted(self, plan: Plan | None, epochs_done: int) -> None:
        """After a restart: the run the server's stop cut off, as its student finds it (stopped, and why)."""
        with self._lock:
            self._events, self.plan, self.state = [], plan, "stopped"
            if plan is not None:
                self._emit_locked("start", plan.summary().model_dump())
            self._emit_locked("stopped", {"epochs_done": epochs_done, "key": INTERRUPTED})

    @property
    def interrupted(self) -> bool:
        """Its last run was cut off by the server's stop (:meth:`show_interrupted`)."""
        if self.state != "stopped":
            return False
        ended = self.events_since(0)[-1:]
        return bool(ended) and ended[0].data.get("key") == INTERRUPTED

    def _note(self, what: str, plan: Plan | None) -> None:
        """Tell the journal where the run stands; a lesson file that cannot be written never stops a training."""
        if self.journal is None or plan is None:
            return
        try:
            self.journal(self, what, plan)
        except (sqlite3.Error, OSError):
            log.warning("the lesson's file could not note a run's %s", what, exc_info=True)

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        super()._emit(kind, data)
        if kind == "epoch":
            self._note("epoch", self.plan)

    @property
    def waited(self) -> float:
        """Seconds the current run spent in the queue (so far, if it still waits)."""
        end = self.started_at if self.started_at is not None else time.monotonic()
        return max(0.0, end - self.queued_at)

    def epochs(self) -> list[dict[str, Any]]:
        """The current or last run's epoch reports (dicts of EpochReport.to_dict())."""
        return [e.data for e in self.events_since(0) if e.kind == "epoch"]

    def progress(self) -> tuple[int, int, int] | None:
        """(epochs done, images done in this epoch, images per epoch) of the run, if it reported any."""
        found = [e.data for e in self.events_since(0) if e.kind == "progress"]
        return (found[-1]["epoch"], found[-1]["done"], found[-1]["total"]) if found else None

    def run_here(self) -> None:
        """Train now, in this thread (a queue's slot)."""
        assert self.plan is not None
        self._note("training", self.plan)
        self._run(self.plan)

    def run_on(self, executor: Executor, data_dir: str | None, limit: int | None) -> None:
        """Train on a Dask cluster: the worker trains and sends back the model file's bytes,
        which are checked here like any model file before they are used."""
        from reseau import modelfile

        plan = self.plan
        assert plan is not None
        self._note("training", plan)
        try:
            future = executor.submit(
                remote_train, plan.config.mode, plan.config.to_dict(), plan.dataset, plan.preset, data_dir, limit
            )
            while not future.done():
                if self._stop.is_set():
                    future.cancel()
                    self._finish("stopped", {"epochs_done": 0})
                    return
                time.sleep(0.1)
            data, seconds = future.result()
            model = modelfile.from_bytes(data, source="cluster")
            for report in model.info.history.epochs:
                self._emit("epoch", report.to_dict())
            self._finish("done", self._install(plan, model.network, model.info.history, seconds))
        except ReseauError as err:
            self._finish("failed", {"key": err.key, "params": {k: str(v) for k, v in err.params.items()}})
        except Exception:  # the cluster's or a bug: log it, tell the page briefly
            log.exception("training on the cluster failed")
            self._finish("failed", {"key": "web.error.internal", "params": {}})

    def _finish(self, state: Any, data: dict[str, Any]) -> None:
        """Store the run first, then say it has ended: whoever sees "done" finds it in the database."""
        try:
            self.on_finished(self, state, data)
        finally:
            super()._finish(state, self.shown(state, data) if self.shown else data)
            self._ended.set()


def remote_train(
    mode: str, config: dict[str, Any], dataset: str, preset: str | None, data_dir: str | None, limit: int | None
) -> tuple[bytes, float]:
    """Train on a cluster's worker (the data loaded once per worker, as the experiments do);
    returns the model file's bytes and the seconds the training took."""
    from reseau import modelfile
    from reseau.experiments.runs import worker_data

    train_x, train_y, test_x, test_y, _ = worker_data(dataset, data_dir)
    if limit:
        train_x, train_y = train_x[:limit], train_y[:limit]
    settings = trainers.config_class(mode).from_dict(config).validate()
    started = time.perf_counter()
    network, history = trainers.train(train_x, train_y, settings, test=(test_x, test_y))
    seconds = time.perf_counter() - started
    info = modelfile.ModelInfo.build(settings, history, dataset=dataset, preset=preset, seconds=seconds, source="web")
    return modelfile.to_bytes(modelfile.SavedModel(network, info)), seconds


@dataclass
class TrainQueue:
    """First come, first served, ``slots`` trainings at a time, each in a thread of its own.

    With ``executor`` (a Dask cluster's), the slot threads only wait for the
    cluster; without, they train here (the compiled kernel releases the GIL).
    """

    slots: int
    executor: Executor | None = None
    data_dir: str | None = None
    limit: int | None = None  # training images (None: all)
    longest_wait: float = 0.0  # the longest time a run waited for a slot, seconds
    _waiting: deque[ClassTrainer] = field(default_factory=deque)
    _running: list[ClassTrainer] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _closed: bool = False
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        for k in range(max(1, self.slots)):
            thread = threading.Thread(target=self._slot, name=f"reseau-classe-{k}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def submit(self, trainer: ClassTrainer) -> None:
        with self._cond:
            self._waiting.append(trainer)
            self._cond.notify()

    def cancel(self, trainer: ClassTrainer) -> bool:
        """Take ``trainer`` out of the queue; False if it is not waiting (it runs, or has ended)."""
        with self._cond:
            if trainer in self._waiting:
                self._waiting.remove(trainer)
                return True
            return False

    def place(self, trainer: ClassTrainer) -> int | None:
        """1 for the next to train, 2 for the one after...; None if not waiting."""
        with self._cond:
            return next((k for k, waiting in enumerate(self._waiting, 1) if waiting is trainer), None)

    def counts(self) -> tuple[int, int]:
        """(running, waiting)."""
        with self._cond:
            return len(self._running), len(self._waiting)

    def _slot(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                trainer = self._waiting.popleft()
                trainer.started_at = time.monotonic()
                self.longest_wait = max(self.longest_wait, trainer.waited)
                self._running.append(trainer)
            try:
                if self.executor is not None:
                    trainer.run_on(self.executor, self.data_dir, self.limit)
                else:
                    trainer.run_here()
            except Exception:  # never lose a slot: the trainer has said what went wrong
                log.exception("a slot's training failed")
            finally:
                with self._cond:
                    self._running.remove(trainer)

    def close(self, timeout: float = 10) -> None:
        """Stop every run (waiting ones first), and the slots."""
        with self._cond:
            waiting, self._waiting = list(self._waiting), deque()
            running = list(self._running)
            self._closed = True
            self._cond.notify_all()
        for trainer in waiting:
            trainer._finish("stopped", {"epochs_done": 0})
        for trainer in running:
            trainer._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
