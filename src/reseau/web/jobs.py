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

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from reseau import faithful
from reseau.errors import ReseauError
from reseau.modelfile import SavedModel
from reseau.web.errors import WebError
from reseau.web.state import DataCache, ModelStore

log = logging.getLogger("reseau.web")

TERMINAL = ("done", "stopped", "failed")  # kinds that end a run


class Stopped(Exception):
    """Raised inside ``on_progress`` when the page asks to stop."""


@dataclass
class Event:
    """One thing that happened during a run."""

    id: int  # increases over the server's whole life (the SSE id)
    kind: str  # "start", "progress", "epoch", "done", "stopped" or "failed"
    data: dict = field(default_factory=dict)  # numbers and message keys, no sentences


def modern_module():
    """``reseau.training`` if it is installed in this version, else None."""
    try:
        from reseau import training
    except ImportError:
        return None
    return training if hasattr(training, "train") and hasattr(training, "TrainConfig") else None


@dataclass
class Plan:
    """What to train: the mode, its validated configuration, the dataset."""

    mode: str  # "faithful" (the document's per-image SGD) or "modern" (reseau.training)
    config: Any  # a FaithfulConfig, or a reseau.training.TrainConfig
    dataset: str = "mnist"  # the dataset to learn (and browse)
    preset: str | None = None  # the modern preset the config started from

    def train(self, images, labels, test, on_epoch, on_progress):
        """Run the library's training; returns ``(Network, History)``."""
        trainer = faithful.train if self.mode == "faithful" else modern_module().train
        return trainer(images, labels, self.config, test=test, on_epoch=on_epoch, on_progress=on_progress)

    def summary(self) -> dict:
        """The configuration as plain JSON values (what the page shows and the model file keeps)."""
        return {"mode": self.mode, "dataset": self.dataset, "preset": self.preset, "config": config_dict(self.config)}


def config_dict(config) -> dict:
    """A training config as JSON values (tuples become lists)."""
    if hasattr(config, "to_dict"):
        return config.to_dict()
    values = dataclasses.asdict(config) if dataclasses.is_dataclass(config) else {}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def epoch_numbers(report) -> dict:
    """The numbers of one epoch report (faithful or modern), as JSON values."""
    numbers = {"epoch": int(report.epoch)}
    for name in ("precision", "train_accuracy", "test_accuracy", "loss", "seconds"):
        value = getattr(report, name, None)
        if isinstance(value, (int, float)):
            numbers[name] = float(value)
    return numbers


class Trainer:
    """Runs one training at a time and keeps the events of the current (or last) run."""

    def __init__(self, store: ModelStore, cache: DataCache) -> None:
        self.store = store
        self.cache = cache
        self.state = "idle"  # "idle", "running", "done", "stopped" or "failed"
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
            self._emit_locked("start", plan.summary())
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

    def _emit(self, kind: str, data: dict) -> None:
        with self._lock:
            self._emit_locked(kind, data)

    def _emit_locked(self, kind: str, data: dict) -> None:
        self._events.append(Event(self._next_id, kind, data))
        self._next_id += 1

    def _finish(self, state: str, data: dict) -> None:
        with self._lock:
            self._emit_locked(state, data)
            self.state = state

    def _run(self, plan: Plan) -> None:
        epochs_done = []
        try:
            images, labels = self.cache.get("train", plan.dataset)
            test = self.cache.get("test", plan.dataset)
            started = time.perf_counter()

            def on_epoch(report) -> None:
                epochs_done.append(report)
                self._emit("epoch", epoch_numbers(report))

            def on_progress(done: int, total: int) -> None:
                if self._stop.is_set():
                    raise Stopped
                self._emit("progress", {"epoch": len(epochs_done), "done": done, "total": total})

            network, history = plan.train(images, labels, test, on_epoch, on_progress)
            seconds = time.perf_counter() - started
            self._finish("done", self._install(plan, network, history, seconds))
        except Stopped:
            self._finish("stopped", {"epochs_done": len(epochs_done)})
        except ReseauError as err:
            self._finish("failed", {"key": err.key, "params": err.params})
        except Exception:  # a bug, not the user's doing: log it, tell the page briefly
            log.exception("training failed")
            self._finish("failed", {"key": "web.error.internal", "params": {}})

    def _install(self, plan: Plan, network, history, seconds: float) -> dict:
        """Save the trained network and make it the one in use; returns the "done" event's data."""
        last = history.epochs[-1]
        kept = getattr(history, "test_accuracy", None)  # modern: the kept (best validation) epoch's
        info = {
            "mode": plan.mode,
            "dataset": plan.dataset,
            "config": config_dict(plan.config),
            "test_accuracy": kept if kept is not None else getattr(last, "test_accuracy", None),
            "train_precision": getattr(last, "precision", None),
            "history": history.to_dict(),
            "seconds": seconds,
            "source": "web",
        }
        if plan.preset:
            info["preset"] = plan.preset
        problem = self.store.replace(SavedModel(network, info))
        done = {"test_accuracy": info["test_accuracy"], "seconds": seconds, "path": str(self.store.path)}
        if problem is not None:
            done["save_error"] = {"key": problem.key, "params": {k: str(v) for k, v in problem.params.items()}}
        return done
