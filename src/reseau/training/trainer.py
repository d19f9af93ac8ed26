"""Mini-batch training: shuffle, forward, loss, backward, step — epoch after epoch.

The last ``val_size`` training images are held out as a validation set.
After each epoch the network is scored on them, and the parameters of the
best epoch so far are kept; training may stop early when the score stops
improving (``patience``).  The network returned is the best epoch's.  The
test images, if given, are only *measured* (for the history and the final
figure), never used to choose anything.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from reseau.errors import ConfigError, DataError, DivergenceError
from reseau.history import EpochFn, EpochReport, History, ProgressFn
from reseau.network import Network
from reseau.training import layers, losses
from reseau.training.config import TrainConfig, augmentation
from reseau.training.optimizers import decay_weights_, make_optimizer
from reseau.training.parameters import Parameters, initial_parameters
from reseau.training.schedules import learn_rate_at

DTYPE = np.float32  # the modern mode computes in float32 (the document: float64)
PROGRESS_EVERY = 5000  # images between two on_progress calls, as the faithful trainer
SMALL_STEP = 20_000_000  # multiply-adds per update below which BLAS runs on one thread (see blas_threads)


def train(
    images: np.ndarray,
    labels: np.ndarray,
    config: TrainConfig | None = None,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    on_epoch: EpochFn | None = None,
    on_progress: ProgressFn | None = None,
) -> tuple[Network, History]:
    """Train an MLP on ``images (n, 784)`` and ``labels`` (one-hot ``(n, 10)`` or digits ``(n,)``).

    Returns the network of the best validation epoch (the last epoch when
    ``val_size`` is 0) and the history.  Deterministic for a given config,
    data and machine.  An exception raised by ``on_progress`` or ``on_epoch``
    stops training.  Raises :class:`DivergenceError` if the weights stop
    being finite numbers.
    """
    config = (config or TrainConfig()).validate()
    x, targets, digits = prepare(images, labels, config)
    params = initial_parameters(config.sizes, config.init, config.seed, DTYPE)
    return train_epochs(_EpochRunner(config, params, *split(config, x, targets, digits)), test, on_epoch, on_progress)


def split(config: Any, x: np.ndarray, targets: np.ndarray, digits: np.ndarray) -> tuple:
    """The training rows ``(x, targets, digits)`` and the validation pair ``(images, digits)`` or None:
    the last ``config.val_size`` images are held out."""
    n = len(x) - config.val_size
    return (x[:n], targets[:n], digits[:n]), ((x[n:], digits[n:]) if config.val_size else None)


def train_epochs(
    run: BatchRunner, test: tuple | None, on_epoch: EpochFn | None, on_progress: ProgressFn | None
) -> tuple[Any, History]:
    """The epoch loop of every mini-batch trainer: train an epoch, check the weights, measure, keep the best.

    ``run`` holds what lives across epochs (:class:`BatchRunner`); the network
    returned is the best validation epoch's (the last one without validation),
    and training stops early after ``config.patience`` epochs without a better one.
    """
    config = run.config
    history, keeper = History(), BestEpoch(run.flat)
    with run:
        for epoch in range(config.epochs):
            started = time.perf_counter()
            with np.errstate(over="ignore", invalid="ignore"), run.threads():  # overflow: caught below
                nr_correct, loss = run.epoch(on_progress)
            seconds = time.perf_counter() - started
            if not np.isfinite(run.flat).all():
                raise DivergenceError(
                    "training.diverged", epoch=epoch, lr=config.learn_rate, optimizer=config.optimizer
                )
            network = run.network()
            report = EpochReport(
                epoch,
                nr_correct,
                len(run.x),
                network.accuracy(*test) if test is not None else None,
                seconds,
                network.accuracy(*run.validation) if run.validation else None,
                loss,
                run.last_lr,
                config.mode,
            )
            history.epochs.append(report)
            keeper.offer(report, run.flat, history)
            if on_epoch:
                on_epoch(report)
            if config.patience and keeper.waited >= config.patience:
                break
    return run.network(keeper.flat), history


class BestEpoch:
    """Keeps a copy of the parameters ``flat (P,)`` of the epoch with the best validation score (the
    last epoch when there is no validation set), and counts the epochs since it."""

    def __init__(self, flat: np.ndarray) -> None:
        self.flat = flat.copy()
        self.score = -math.inf
        self.waited = 0

    def offer(self, report: EpochReport, flat: np.ndarray, history: History) -> None:
        score = report.epoch if report.val_accuracy is None else report.val_accuracy
        if score > self.score:  # strictly better: on a tie the earlier epoch stays
            self.score, self.waited = score, 0
            self.flat[:] = flat
            history.best_epoch, history.test_accuracy = report.epoch, report.test_accuracy
        else:
            self.waited += 1


def blas_threads(config: TrainConfig):
    """One BLAS thread for small networks, all of them for large ones (a context manager).

    The matrix products of a small network's update (``784-100-10`` on 32
    images: 2.5 million multiply-adds) are too short to share between
    threads: handing them out costs more than it saves, and on a busy machine
    OpenBLAS's waiting threads make an epoch 2 to 4 times slower.  Large
    networks (``best``: 240 million per update) do gain from every core.  The
    limit needs ``threadpoolctl``; without it NumPy's default is kept.
    """
    sizes = config.sizes
    per_step = config.batch_size * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas") if per_step < SMALL_STEP else contextlib.nullcontext()


def to_network(params: Parameters, config: TrainConfig, copy: bool = True) -> Network:
    """A :class:`Network` (used by predict, figures, the web page) holding ``params``."""
    weights = [w.copy() if copy else w for w in params.weights]
    biases = [b.copy() if copy else b for b in params.biases]
    return Network(weights, biases, [config.activation] * len(config.layers) + [config.output])


def prepare(images, labels, config: TrainConfig | Any):
    """Check the data; return images as float32 ``(n, 784)``, float32 targets ``(n, 10)``, digits ``(n,)``."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 2 or images.shape[1] != 784:
        raise DataError("training.bad_images", shape=images.shape)
    if not np.isfinite(images).all():
        raise DataError("training.bad_values", count=int((~np.isfinite(images)).sum()))
    digits = labels.argmax(axis=1) if labels.ndim == 2 else labels.astype(np.int64, copy=False)
    if (
        len(digits) != len(images)
        or labels.ndim > 2
        or (labels.ndim == 2 and labels.shape[1] != 10)
        or not np.isin(digits, np.arange(10)).all()
    ):
        raise DataError("training.bad_labels", shape=labels.shape, n=len(images))
    if config.val_size + config.batch_size > len(images):
        raise ConfigError(
            "training.too_few_images", n=len(images), val_size=config.val_size, batch_size=config.batch_size
        )
    targets = np.eye(10, dtype=DTYPE)[digits]  # (n, 10) one-hot
    targets = losses.smoothed(targets, config.label_smoothing).astype(DTYPE)
    return images.astype(DTYPE, copy=False), targets, digits


class BatchRunner:
    """What lives across epochs of mini-batch training, and the one batching loop (:meth:`epoch`).

    A trainer subclasses it with its :meth:`step` (one update on a batch) and
    :meth:`network` (the network holding the current or given parameters);
    ``flat`` is the vector of every parameter.
    """

    augment_batches = 1  # batches augmented together (the images and the generator's draws are then others)

    def __init__(self, config: Any, flat: np.ndarray, rows: tuple, validation: tuple | None) -> None:
        self.config, self.flat, self.validation = config, flat, validation
        self.x, self.targets, self.digits = rows
        self.shuffle_rng = np.random.default_rng([config.seed, 1])  # streams 2, 3: the trainers' own
        self.total_steps = -(-len(self.x) // config.batch_size) * config.epochs
        self.t, self.last_lr = 0, config.learn_rate
        self.augment, self.augment_rng = augmentation(config.augment), np.random.default_rng([config.seed, 3])

    def __enter__(self) -> BatchRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        """Release what the training held (threads), even when a callback stopped it."""

    def epoch(self, on_progress: ProgressFn | None) -> tuple[int, float]:
        """One pass over the training images in a new random order; returns (nr_correct, mean loss)."""
        n = len(self.x)
        order = self.shuffle_rng.permutation(n)
        nr_correct, loss_sum, done, next_report = 0, 0.0, 0, PROGRESS_EVERY
        for batch, x in self.batches(order):
            correct, loss = self.step(x, self.targets[batch], self.digits[batch])
            nr_correct, loss_sum, done = nr_correct + correct, loss_sum + loss * len(batch), done + len(batch)
            if on_progress and (done >= next_report or done == n):
                on_progress(done, n)
                next_report = done + PROGRESS_EVERY
        return nr_correct, loss_sum / n

    def batches(self, order: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The batches of ``order`` (a permutation of the rows): each one's rows ``(b,)`` and images ``(b, 784)``,
        augmented when asked, ``augment_batches`` batches at a time (fewer, larger array operations)."""
        size = self.config.batch_size
        group = size * (self.augment_batches if self.augment is not None else 1)
        for start in range(0, len(order), group):
            rows = order[start : start + group]
            x = self.x[rows]
            if self.augment is not None:  # each augmentation also gets the digits (the drawing one writes some
                x = self.augment(x, self.augment_rng, digits=self.digits[rows])  # 1s and 7s the French way)
            for k in range(0, len(rows), size):
                yield rows[k : k + size], x[k : k + size]

    def learn_rate(self) -> float:
        """This step's learning rate (the schedule's), kept as ``last_lr`` for the epoch's report."""
        self.last_lr = learn_rate_at(self.config.schedule, self.config.learn_rate, self.t, self.total_steps)
        self.t += 1
        return self.last_lr

    def step(self, x: np.ndarray, targets: np.ndarray, digits: np.ndarray) -> tuple[int, float]:
        """One update on a batch ``x (b, 784)``, augmented if asked; returns (images recognised, mean loss) before."""
        raise NotImplementedError

    def network(self, flat: np.ndarray | None = None) -> Any:
        """The network holding the current parameters (no copy), or a copy of ``flat``'s."""
        raise NotImplementedError

    def threads(self) -> contextlib.AbstractContextManager:
        """How many BLAS threads an epoch uses (a context manager)."""
        return contextlib.nullcontext()


class _EpochRunner(BatchRunner):
    """The multi-layer perceptron's update: forward, loss, backward, weight decay, optimiser step."""

    def __init__(self, config: TrainConfig, params: Parameters, rows: tuple, validation: tuple | None) -> None:
        super().__init__(config, params.flat, rows, validation)
        self.params, self.grads = params, params.zeros_like()
        self.optimizer = make_optimizer(config.optimizer, len(params.flat), DTYPE)
        self.dropout_rng = np.random.default_rng([config.seed, 2])

    def network(self, flat: np.ndarray | None = None) -> Network:
        if flat is None:
            return to_network(self.params, self.config, copy=False)
        return to_network(Parameters(self.config.sizes, flat=flat.copy()), self.config, copy=False)

    def threads(self) -> contextlib.AbstractContextManager:
        return blas_threads(self.config)

    def step(self, x: np.ndarray, targets: np.ndarray, digits: np.ndarray) -> tuple[int, float]:
        config = self.config
        cache = layers.forward(
            self.params, x, config.activation, self.dropout_rng, config.dropout, config.input_dropout
        )
        assert cache.z_out is not None  # forward() always reaches the output layer
        o, loss = losses.output_and_loss(config.output, cache.z_out, targets)  # (b, 10), float
        correct = int(np.count_nonzero(o.argmax(axis=1) == digits))
        delta = losses.output_delta_(o, targets)  # (b, 10), overwrites o
        layers.backward(self.params, self.grads, cache, delta, config.activation)
        lr = self.learn_rate()
        decay_weights_(self.params.flat[: self.params.n_weights], lr, config.weight_decay)
        self.optimizer.step(self.params.flat, self.grads.flat, lr)
        return correct, loss
