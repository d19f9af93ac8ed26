"""Training from the page: one run at a time, in a background thread, told as a list of events.

The request thread only starts or stops a run; the run itself calls the
library's ``train(...)`` in a thread of its own (the compiled kernel releases
the GIL, so the server keeps answering).  Everything the run reports is
appended to an event log that the page reads as a server-sent event stream.
Events hold numbers only; their sentences are written in the reader's
language when they are sent.  Stopping raises :class:`Stopped` from the
``on_progress`` callback, as the library expects; a stopped or failed run
leaves the model in use untouched.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from reseau import trainers
from reseau.config import Config
from reseau.errors import ReseauError
from reseau.history import EpochReport, History
from reseau.modelfile import ModelInfo, SavedModel
from reseau.network import Network
from reseau.web.errors import WebError
from reseau.web.schemas import PlanOut
from reseau.web.state import DataCache, ModelStore

log = logging.getLogger("reseau.web")

State = Literal["idle", "running", "done", "stopped", "failed"]  # a run's; "idle" before the first


class Stopped(Exception):
    """Raised inside ``on_progress`` when the page asks to stop."""


@dataclass
class Event:
    """One thing that happened during a run."""

    id: int  # increases over the server's whole life (the SSE id)
    kind: str  # "start", "progress", "epoch", "done", "stopped" or "failed"
    data: dict[str, Any] = field(default_factory=dict)  # numbers and message keys, no sentences


@dataclass
class Plan:
    """What to train: a validated configuration (its ``mode`` names the trainer), the dataset, the preset."""

    config: Config  # a FaithfulConfig, a TrainConfig, ...: reseau.trainers.train() picks the trainer
    dataset: str = "mnist"  # the dataset to learn (and browse)
    preset: str | None = None  # the named configuration it started from

    def summary(self) -> PlanOut:
        """What the page shows of the plan (the configuration as JSON values)."""
        return PlanOut(mode=self.config.mode, dataset=self.dataset, preset=self.preset, config=self.config.to_dict())


class Trainer:
    """Runs one training at a time and keeps the events of the current (or last) run."""

    def __init__(self, store: ModelStore, cache: DataCache) -> None:
        self.store = store
        self.cache = cache
        self.state: State = "idle"
        self.plan: Plan | None = None  # the current or last run's plan
        self._events: list[Event] = []  # the current or last run's events
        self._next_id = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"

    def start(self, plan: Plan) -> None:
        """Start ``plan`` in the background; a run already going gives a 409."""
        with self._lock:
            if self.running:
                raise WebError("web.error.busy", status=409)
            self._events, self.plan, self.state = [], plan, "running"
            self._stop.clear()
            self._emit_locked("start", plan.summary().model_dump())
            self._thread = threading.Thread(target=self._run, args=(plan,), name="reseau-training", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Ask the run to stop at its next progress report (within about 5000 images)."""
        with self._lock:
            if not self.running:
                raise WebError("web.error.not_training", status=409)
            self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the current run to end; True if none is running any more."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.running

    def events_since(self, first_id: int) -> list[Event]:
        """The current run's events whose id is ``first_id`` or later."""
        with self._lock:
            return [e for e in self._events if e.id >= first_id]

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._emit_locked(kind, data)

    def _emit_locked(self, kind: str, data: dict[str, Any]) -> None:
        self._events.append(Event(self._next_id, kind, data))
        self._next_id += 1

    def _finish(self, state: State, data: dict[str, Any]) -> None:
        with self._lock:
            self._emit_locked(state, data)
            self.state = state

    def _run(self, plan: Plan) -> None:
        epochs_done: list[EpochReport] = []
        try:
            images, labels = self.cache.get("train", plan.dataset)
            test = self.cache.get("test", plan.dataset)
            started = time.perf_counter()

            def on_epoch(report: EpochReport) -> None:
                epochs_done.append(report)
                self._emit("epoch", report.to_dict())

            def on_progress(done: int, total: int) -> None:
                if self._stop.is_set():
                    raise Stopped
                self._emit("progress", {"epoch": len(epochs_done), "done": done, "total": total})

            network, history = trainers.train(
                images, labels, plan.config, test=test, on_epoch=on_epoch, on_progress=on_progress
            )
            seconds = time.perf_counter() - started
            self._finish("done", self._install(plan, network, history, seconds))
        except Stopped:
            self._finish("stopped", {"epochs_done": len(epochs_done)})
        except ReseauError as err:
            self._finish("failed", {"key": err.key, "params": err.params})
        except Exception:  # a bug, not the user's doing: log it, tell the page briefly
            log.exception("training failed")
            self._finish("failed", {"key": "web.error.internal", "params": {}})

    def _install(self, plan: Plan, network: Network, history: History, seconds: float) -> dict[str, Any]:
        """Save the trained network and make it the one in use; returns the "done" event's data."""
        info = ModelInfo.build(
            plan.config, history, dataset=plan.dataset, preset=plan.preset, seconds=seconds, source="web"
        )
        problem = self.store.replace(SavedModel(network, info))
        done: dict[str, Any] = {"test_accuracy": info.test_accuracy, "seconds": seconds, "path": str(self.store.path)}
        if problem is not None:
            done["save_error"] = {"key": problem.key, "params": {k: str(v) for k, v in problem.params.items()}}
        return done
