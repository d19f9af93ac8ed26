"""What every training configuration shares: limits declared once as data, their checks, a JSON round trip.

A trainer's configuration is a dataclass that inherits :class:`Config` and
declares, as class data, the range of each number (``LIMITS``) and the
choices of each name (``CHOICES``).  :meth:`Config.validate` reads them, the
error messages show them (``{low}``, ``{high}``, ``{choices}``), and the web
page's ``/api/options`` sends them to the browser: one declaration, three uses
(the model is scikit-learn's ``_parameter_constraints``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, ClassVar, TypeVar

from reseau.errors import ConfigError, ReseauError


@dataclass(frozen=True)
class Range:
    """The closed interval ``[low, high]``, or ``(low, high]`` when ``low_open``."""

    low: float
    high: float
    low_open: bool = False  # the learning rate: > 0, not >= 0

    def as_list(self) -> list[float]:
        return [self.low, self.high]


# Limits shared by the trainers and the commands (each trainer's own are declared beside its config).
EPOCHS = Range(1, 1000)  # passes over the training images
SEED = Range(0, 2**32 - 1)  # what numpy.random.RandomState accepts
STEPS = Range(1, 100)  # images learned one after the other (`reseau explain --steps`, one « Pas à pas » request)


def check_int(name: str, value: object, limit: Range) -> None:
    """``value`` is an int (not a bool) within ``limit``, else :class:`ConfigError` naming ``name``."""
    if not isinstance(value, int) or isinstance(value, bool) or not limit.low <= value <= limit.high:
        raise ConfigError("config.bad_int", field=name, value=value, low=limit.low, high=limit.high)


def check_number(name: str, value: object, limit: Range) -> None:
    """``value`` is a finite number within ``limit``, else :class:`ConfigError` naming ``name``."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not number or not limit.low <= value <= limit.high or (limit.low_open and value == limit.low):  # type: ignore[operator]
        key = "config.bad_positive" if limit.low_open else "config.bad_range"
        raise ConfigError(key, field=name, value=value, low=limit.low, high=limit.high)


def check_index(index: int, n_images: int, split: str) -> int:
    """``index`` is an image of the split (``n_images`` of them); else a :class:`ReseauError` saying the range."""
    from reseau.i18n import format_count, t

    if not 0 <= index < n_images:
        raise ReseauError(
            "figures.bad_index",
            index=index,
            last=n_images - 1,
            n=format_count(n_images),
            images=t(f"figures.images_of.{split}"),
        )
    return index


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError("config.bad_choice", field=name, value=value, choices=", ".join(choices))


def check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ConfigError("config.bad_bool", field=name, value=value)


C = TypeVar("C", bound="Config")


class Config:
    """Base of the trainers' configuration dataclasses (:class:`reseau.faithful.FaithfulConfig`, ...).

    A subclass sets ``mode`` (its trainer's name in :mod:`reseau.trainers`),
    ``LIMITS`` and ``CHOICES``; it may add checks in :meth:`check_more`.
    Every config has ``epochs``, ``learn_rate`` and ``seed``.
    """

    mode: ClassVar[str]  # the trainer that takes this config: "faithful", "modern"
    LIMITS: ClassVar[dict[str, Range]] = {}  # number field -> its range
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}  # name field -> the accepted names
    FACTORS: ClassVar[dict[str, str] | None] = None  # what experiments may vary: name -> field (None: all but seed)
    epochs: int
    learn_rate: float
    seed: int
    augment: str = "none"  # how training images are varied (reseau.training.config.AUGMENTATIONS); the document's: not

    def hidden_sizes(self) -> list[int]:
        """The sizes of the hidden layers of neurons (a convolutional network's dense layers)."""
        raise NotImplementedError

    def layout(self) -> Any:
        """The layers of the network this configuration trains, as a model file describes them (its network
        class's ``LAYOUT`` metadata: activations, or an architecture); the loader checks a file against it."""
        raise NotImplementedError

    def validate(self: C) -> C:
        """Check every field against ``LIMITS`` and ``CHOICES``; :class:`ConfigError` says what was wrong."""
        defaults = {f.name: f.default for f in fields(self)}  # type: ignore[arg-type]
        for name, limit in self.LIMITS.items():  # the field's default says whether it is a whole number
            (check_number if isinstance(defaults[name], float) else check_int)(name, getattr(self, name), limit)
        for name, choices in self.CHOICES.items():
            check_choice(name, getattr(self, name), choices)
        for name, default in defaults.items():
            if isinstance(default, bool):
                check_bool(name, getattr(self, name))
        self.check_more()
        return self

    def check_more(self) -> None:
        """Checks that a table cannot say (several fields together, sequences)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (tuples as lists), as stored in a model file."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}  # type: ignore[call-overload]

    @classmethod
    def upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The JSON values of an older file as this version writes them (a subclass says how)."""
        return data

    @classmethod
    def from_dict(cls: type[C], data: dict[str, Any]) -> C:
        """The inverse of :meth:`to_dict`; unknown keys are ignored (older or newer files)."""
        known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in cls.upgrade(data).items() if k in known}
        return cls(**values)

    def with_(self: C, **changes: Any) -> C:
        """A copy with some fields changed: ``PRESETS["best"].with_(seed=1)``."""
        return replace(self, **changes)  # type: ignore[type-var]

    def quick(self: C) -> C:
        """The same network trained as briefly as possible (warming up compiled code): one epoch, no validation."""
        return self.with_(epochs=1, **({"val_size": 0} if hasattr(self, "val_size") else {}))

    def describe(self, preset: str | None = None) -> str:
        """One line, in the user's language, that says everything needed to repeat the run."""
        raise NotImplementedError

    def cost(self) -> float:
        """A rough relative duration of a training (for scheduling experiments); see subclasses."""
        return float(self.epochs)

    @classmethod
    def limits(cls) -> dict[str, list[float]]:
        """``{field: [low, high]}``, as the web page's forms read them."""
        return {name: limit.as_list() for name, limit in cls.LIMITS.items()}
