"""Training from the page: one run at a time, in a background thread, told as a list of events.

The request thread only starts or stops a run; the run itself calls the
library's ``train(...)`` in a thread of its own (the compiled kernel releases
the GIL, so the server keeps answering).  Everything the run reports is
appended to an event log that the page reads as a server-sent event stream.
Events hold numbers only; their sentences are written in the reader's
language when they are sent.  Stopping raises :class:`Stopped` from the
``on_progress`` callback, as the library expects; a stopped or failed run
leaves the model in use untouched; a finished one is saved in the models
folder (:meth:`Trainer.destination` says under which name, and whether it becomes the model in use).

:func:`estimate` says how long a training would take, before it starts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from reseau import data, kinds, trainers
from reseau.config import Config
from reseau.errors import ModelFileError, ReseauError
from reseau.history import EpochReport, History
from reseau.measured import MEASURED
from reseau.modelfile import ModelInfo, SavedModel
from reseau.web.errors import WebError
from reseau.web.schemas import PlanOut
from reseau.web.state import SUFFIX, DataCache, ModelShelf, ModelStore, ShelfEntry

if TYPE_CHECKING:
    from reseau.network import Recogniser

log = logging.getLogger("reseau.web")

TRAIN_IMAGES = data.N_IMAGES["train"]  # what a training from the page learns (60 000 images)
MIN_MEASURED = 10_000  # images per epoch a measured training must have had to time others by
OUTSIDE_SHARE = 0.25  # of an epoch's time, at most, for its test pass (see measured_rate)
DOCUMENT_PRESET = "document"  # the preset of « le réseau du document », the only run that replaces the model in use
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

    @property
    def preset_name(self) -> str:
        """The preset it starts from: the one named, else its mode's ("document" for the faithful mode)."""
        return self.preset or kinds.kind(self.config.mode).default_preset

    def changes(self) -> dict[str, Any]:
        """The settings that differ from the preset's, in the configuration's order (empty: the preset as it is)."""
        from reseau import presets

        base = presets().get(self.preset_name)
        own = self.config.to_dict()
        if base is None or base.mode != self.config.mode:
            return own  # no such preset to compare with: everything is this run's own
        theirs = base.to_dict()
        return {name: value for name, value in own.items() if theirs.get(name) != value}

    @property
    def unchanged(self) -> bool:
        """True when it trains its preset exactly as the preset says."""
        return not self.changes()

    @property
    def file_name(self) -> str:
        """Where the models folder keeps this run's network: the preset's name when it trains the preset as it is
        (``cnn.safetensors``), else the preset's name followed by each changed setting and its value
        (``document-epochs-10.safetensors``, ``better-layers-16-seed-2.safetensors``): a student reads in the name
        what they changed, and two different settings never share a file.  Only letters, digits, ``.``, ``_``
        and ``-``; a name longer than :data:`MAX_STEM` is cut and ends with a short hash of the settings."""
        words = [self.preset_name] + [f"{name}-{value_text(value)}" for name, value in self.changes().items()]
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", "-".join(words))
        if len(stem) > MAX_STEM:
            digest = hashlib.sha256(json.dumps(self.config.to_dict(), sort_keys=True).encode()).hexdigest()[:8]
            stem = f"{stem[: MAX_STEM - 9]}-{digest}"
        return f"{stem}{SUFFIX}"

    def summary(self) -> PlanOut:
        """What the page shows of the plan (the configuration as JSON values)."""
        return PlanOut(mode=self.config.mode, dataset=self.dataset, preset=self.preset, config=self.config.to_dict())


MAX_STEM = 80  # characters of a run's file name before ".safetensors" (a name a student can still read)


def value_text(value: Any) -> str:
    """A setting's value as a file name writes it: ``10``, ``0.05``, ``32x64`` (a list), ``true``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "x".join(map(value_text, value))
    return str(value)


TRAINING_NICENESS = 10  # a training thread's "nice" value: below the requests, which keep 0


def lower_priority() -> None:
    """Give the calling thread (one that trains) a lower CPU priority than the server's requests.

    A training keeps its cores busy for seconds or minutes; a drawing needs a few ms of CPU now.
    On Linux a thread has its own niceness (and the threads it starts inherit it): measured with
    30 students training at once (benchmarks/bench_classe.py), the drawings' p50 fell from 316
    to 192 ms and p99 from 572 to 283 ms, the trainings taking the same time.  Elsewhere, or if
    the system refuses, nothing changes.  Never raises a priority (a thread already nicer stays so).
    """
    try:
        me = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, me) < TRAINING_NICENESS:
            os.setpriority(os.PRIO_PROCESS, me, TRAINING_NICENESS)
    except (AttributeError, OSError):  # no per-thread priority here (macOS, Windows), or not allowed
        pass


class Trainer:
    """Runs one training at a time and keeps the events of the current (or last) run."""

    keeps_document = True  # :meth:`destination`'s rule; False: the classroom's older one (for its owner to change)

    def __init__(self, store: ModelStore, shelf: ModelShelf, cache: DataCache) -> None:
        self.store = store
        self.shelf = shelf
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
        lower_priority()  # the page's answers first, then the training (in whichever thread runs it)
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

    def _install(self, plan: Plan, network: Recogniser, history: History, seconds: float) -> dict[str, Any]:
        """Save the trained network in the models folder (:meth:`destination` says under which name, and whether
        it becomes the model in use).  Returns the "done" event's data."""
        info = ModelInfo.build(
            plan.config, history, dataset=plan.dataset, preset=plan.preset, seconds=seconds, source="web"
        )
        model = SavedModel(network, info)
        name, in_use = self.destination(plan)
        problems: list[ModelFileError | None] = []
        if in_use:
            problems.append(self.store.replace(model))
        if name != self.store.path.name:
            problems.append(self.shelf.save(model, name))
        path = self.store.path if in_use else self.shelf.folder / name
        done: dict[str, Any] = {
            "test_accuracy": info.test_accuracy,
            "seconds": seconds,
            "path": str(path),
            "name": self.store.path.name if in_use else name,
            "in_use": in_use,
        }
        problem = next((p for p in problems if p is not None), None)
        if problem is not None:
            done["save_error"] = {"key": problem.key, "params": {k: str(v) for k, v in problem.params.items()}}
        return done

    def destination(self, plan: Plan) -> tuple[str, bool]:
        """The file name a finished run of ``plan`` is saved under, and whether it becomes the model in use.

        The rule (the Train tab's note says it too): only the document's training *exactly as the document
        sets it* (the ``document`` preset, unchanged) replaces the model in use, « le réseau du document »;
        it is also kept as ``document.safetensors``.  Any other training, another preset or a preset with a
        setting changed, is saved beside it under its own name (:attr:`Plan.file_name`:
        ``document-epochs-10.safetensors``, ``cnn.safetensors``), and the model in use does not change: a
        10-epoch run is never taken for the document's network.  Two exceptions keep the server coherent:
        with no model in use yet, the first finished run becomes it (the Browse tab needs one); a run whose
        file name is the model in use's replaces it (one file, one network).

        With ``keeps_document`` False (the classroom's trainer, for now), the older rule: saved under its
        preset's name, and a network of layers of neurons becomes the model in use whatever its settings.
        """
        if not self.keeps_document:
            name = f"{plan.preset_name}{SUFFIX}"
            return name, "hidden" in kinds.kind(plan.config.mode).views or name == self.store.path.name
        name = plan.file_name
        document = plan.preset_name == DOCUMENT_PRESET and plan.unchanged
        return name, document or self.store.model is None or name == self.store.path.name


# ---------------------------------------------------------------------------
# How long a training will take
# ---------------------------------------------------------------------------


def speed_class(config: Config) -> tuple[str, str]:
    """What sets a training's speed beside its cost: the trainer and its augmentation, if it has one."""
    return config.mode, config.augment


def measured_rate(entry: ShelfEntry) -> float | None:
    """Seconds per unit of cost per image that one epoch of the training of ``entry`` took, test pass included,
    if it was timed on enough images and over at least two epochs.

    An epoch's time is the median of the epochs after the first (:attr:`EpochReport.seconds`): the first may
    hold a one-off start-up (the compiled kernel built or loaded, seconds on a first run) that no later
    training pays again, so a run of a single epoch times nothing.  What the run spent outside its epochs
    is shared among them, up to :data:`OUTSIDE_SHARE` of an epoch's time: the test (and validation) pass
    after each epoch runs forward only, over far fewer images than the epoch learns; beyond that share it
    is a first run's start-up again (measured: 0.3 s outside 3 epochs of 0.1 s in a server's first
    document's run, 0.04 s in the next ones).  The cost of one epoch is the configuration's
    :meth:`~reseau.config.Config.cost` over its epochs.
    """
    info = entry.info
    if info is None or not info.seconds or len(info.history.epochs) < 2:
        return None
    epochs = info.history.epochs
    images = epochs[0].n_images
    steady = statistics.median(e.seconds for e in epochs[1:])
    outside = min(OUTSIDE_SHARE * steady, max(0.0, info.seconds - sum(e.seconds for e in epochs)) / len(epochs))
    cost = info.config.cost() / info.config.epochs  # of one epoch
    if images < MIN_MEASURED or cost <= 0 or steady <= 0:
        return None
    return (steady + outside) / (cost * images)


@functools.cache
def reference_rates() -> dict[tuple[str, str], float]:
    """Seconds per unit of cost per training image, by :func:`speed_class`, before this computer has timed a
    training of its own: the middle of the time range of :data:`reseau.measured.MEASURED` (quiet 2 cores, test
    passes included) over the preset's cost.  Where several measured presets share a class ("better" and
    "best"), the costliest sets it: a long training is the one whose estimate matters."""
    from reseau import presets

    rates = {}
    for name, config in sorted(presets().items(), key=lambda item: item[1].cost()):
        if name in MEASURED:
            rates[speed_class(config)] = statistics.mean(MEASURED[name].seconds) / (config.cost() * TRAIN_IMAGES)
    return rates


def reference_rate(key: tuple[str, str]) -> float:
    """The rate of :func:`reference_rates` for ``key``; for an unmeasured augmentation, the slowest rate of the
    same trainer; for an unmeasured trainer, the slowest rate of all."""
    rates = reference_rates()
    same_trainer = [rate for (mode, _), rate in rates.items() if mode == key[0]]
    return rates.get(key) or max(same_trainer or rates.values())


def estimate(config: Config, entries: list[ShelfEntry]) -> tuple[float, ShelfEntry | None]:
    """Seconds a training of ``config`` on the 60 000 images should take here: its
    :meth:`~reseau.config.Config.cost` (proportional to its epochs) times the rate of the newest model of the
    folder trained the same way and timed well enough (:func:`measured_rate`, returned too), else the reference
    rate of :func:`reference_rates` (None)."""
    key = speed_class(config)
    for entry in sorted(entries, key=lambda e: -e.modified):  # the newest measurement first
        rate = measured_rate(entry)
        if rate is not None and entry.info is not None and speed_class(entry.info.config) == key:
            return config.cost() * TRAIN_IMAGES * rate, entry
    return config.cost() * TRAIN_IMAGES * reference_rate(key), None
