"""One run, in a worker process: load the data (once per process), train, measure.

:func:`execute_run` is what the executors (local process pool or Dask
workers) call.  It is a module-level function of plain picklable arguments,
so any ``concurrent.futures``-style executor can ship it.  Each worker process
loads the dataset on its first run and keeps it for the next ones.
"""

from __future__ import annotations

import functools
import hashlib
import os
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from reseau import kinds, trainers
from reseau.config import Config
from reseau.errors import DivergenceError, ReseauError
from reseau.experiments.studies import RunSpec, trainer_config

CHANCE = 10.0  # % of a 10-class test answered right by guessing
CHANCE_MARGIN = 5.0  # a final test accuracy below CHANCE + this is "at chance": nothing learned


@dataclass
class RunResult:
    """What one run measured, and where and with what it was made."""

    key: str  # RunSpec.key: the run's identity
    mode: str
    dataset: str
    settings: dict  # the trainer's settings, the seed excepted
    seed: int
    n_train: int  # training images used (60 000 unless limited)
    precisions: list[float]  # the document's "Précision" of each epoch, %
    test_accuracies: list[float]  # % of the test images right after each epoch
    epoch_seconds: list[float]  # training time of each epoch
    seconds: float  # the whole run: preparing the images, the epochs and the tests
    diverged: bool  # weights became non-finite (training stopped there)
    diverged_epoch: int | None  # the epoch where they did
    at_chance: bool  # finished, but the final test accuracy is about what guessing gives
    code_version: str  # reseau version + hash of the trainer's source
    dataset_hash: str  # SHA-256 (16 hex digits) of the dataset's raw files' contents
    host: str = ""  # machine and process that trained it
    pid: int = 0
    started_at: float = 0.0  # Unix time
    finished_at: float = 0.0
    trainings: int = 1  # times this run was trained (the store counts; --force adds one)
    final_test: float | None = None  # the kept network's test accuracy (the last epoch's, or the best
    #                                  validation epoch's); None in results stored by version 0.1

    @property
    def test_accuracy(self) -> float | None:
        """The final test accuracy, or None when training diverged."""
        if self.diverged or not self.test_accuracies:
            return None
        return self.final_test if self.final_test is not None else self.test_accuracies[-1]

    @property
    def train_seconds(self) -> float:
        """Time spent in the epochs themselves (no data preparation, no test)."""
        return float(sum(self.epoch_seconds))

    @property
    def precision(self) -> float | None:
        """The document's "Précision" of the last epoch, or None when training diverged."""
        if self.diverged or not self.precisions:
            return None
        return self.precisions[-1]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RunFailure:
    """A user-fixable error raised in a worker, sent back as data (its key and parameters)."""

    kind: str  # the ReseauError subclass name
    key: str
    params: dict = field(default_factory=dict)

    def error(self) -> ReseauError:
        from reseau import errors

        cls = getattr(errors, self.kind, ReseauError)
        return cls(self.key, **self.params)


# ---------------------------------------------------------------------------
# Data, loaded once per worker process
# ---------------------------------------------------------------------------

_DATA: dict[tuple, tuple] = {}


def worker_data(dataset: str, data_dir: str | None) -> tuple:
    """``(train_images, train_labels, test_images, test_labels, dataset_hash)``, cached per process."""
    key = (dataset, data_dir)
    if key not in _DATA:
        from reseau import data

        if data_dir and not Path(data_dir).is_dir():  # a remote worker: use its own copy
            data_dir = None
        raw = [data.load_raw(split, dataset, data_dir) for split in ("train", "test")]
        digest = hashlib.sha256()
        for images, labels in raw:
            digest.update(images.tobytes())  # (n, 28, 28) uint8
            digest.update(labels.tobytes())  # (n,) uint8
        train, test = (data.to_document_form(*pair) for pair in raw)
        data.freeze(*train, *test)  # shared by every run of this worker (and its pixel lists cached)
        _DATA.clear()  # one dataset at a time per worker: memory is precious
        _DATA[key] = (*train, *test, digest.hexdigest()[:16])
    return _DATA[key]


_WARM: set[str] = set()


def warm_up(images: np.ndarray, labels: np.ndarray, config: Config) -> None:
    """Run the trainer once on a few images, once per process, so no measured run pays its start-up.

    (The compiled kernel is loaded, NumPy's first calls are made: up to a
    second that would otherwise land on whichever run a worker does first.)
    """
    if config.mode not in _WARM:
        trainers.train(images[:64], labels[:64], config.quick())
        _WARM.add(config.mode)


@functools.cache
def code_version(mode: str) -> str:
    """``"0.1.0+faithful.1a2b3c4d"``: the package version and a hash of the trainer's source."""
    import reseau

    source = Path(kinds.kind(mode).trainer_module().__file__ or "")
    files = sorted(source.parent.glob("*.py")) if source.name == "__init__.py" else [source]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:8]
    return f"{reseau.__version__}+{mode}.{digest}"


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


def execute_run(spec: RunSpec, data_dir: str | None = None) -> RunResult | RunFailure:
    """Train ``spec`` and measure it.  Runs in a worker; deterministic given ``spec``.

    A user-fixable error (missing data, invalid setting) comes back as a
    :class:`RunFailure` rather than an exception, so it crosses process and
    machine boundaries intact.
    """
    try:
        return _execute(spec, data_dir)
    except ReseauError as exc:
        return RunFailure(type(exc).__name__, exc.key, {k: str(v) for k, v in exc.params.items()})


def _execute(spec: RunSpec, data_dir: str | None) -> RunResult:
    train_x, train_y, test_x, test_y, dataset_hash = worker_data(spec.dataset, data_dir)
    config = trainer_config(spec.mode, spec.settings, spec.seed)
    warm_up(train_x, train_y, config)
    if spec.limit:
        train_x, train_y = train_x[: spec.limit], train_y[: spec.limit]  # (limit, 784), (limit, 10)
    started_at = time.time()  # the clock starts once the data and the code are ready
    started = time.perf_counter()
    reports, diverged_epoch, final_test = _measure(config, train_x, train_y, (test_x, test_y))
    seconds = time.perf_counter() - started
    tests = [float(r.test_accuracy) for r in reports]
    last = final_test if final_test is not None else (tests[-1] if tests else None)
    return RunResult(
        key=spec.key,
        mode=spec.mode,
        dataset=spec.dataset,
        settings=spec.settings,
        seed=spec.seed,
        n_train=len(train_x),
        precisions=[float(r.precision) for r in reports],
        test_accuracies=tests,
        epoch_seconds=[float(r.seconds) for r in reports],
        seconds=seconds,
        diverged=diverged_epoch is not None,
        diverged_epoch=diverged_epoch,
        at_chance=diverged_epoch is None and last is not None and last < CHANCE + CHANCE_MARGIN,
        code_version=code_version(spec.mode),
        dataset_hash=dataset_hash,
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=started_at,
        finished_at=time.time(),
        final_test=final_test,
    )


def _measure(config: Config, images: np.ndarray, labels: np.ndarray, test) -> tuple:
    """Train; returns the epoch reports, the epoch it diverged at (or None) and the final test accuracy
    (the kept network's: the last epoch's, or the best validation epoch's)."""
    reports: list = []
    try:
        _, history = trainers.train(images, labels, config, test=test, on_epoch=reports.append)
    except DivergenceError as exc:
        return reports, int(str(exc.params.get("epoch", len(reports)))), None
    return reports, None, None if history.test_accuracy is None else float(history.test_accuracy)
