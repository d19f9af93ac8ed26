"""The teacher's limits for a lesson (``reseau classe --max-epochs 5 --modes faithful,modern --consigne
"..."``, or the teacher's page): their defaults, their bounds, and their one check.

Light on purpose (no web framework, no NumPy): ``reseau --help`` reads it.
The limits themselves, and how a student's training is held to them, are
:class:`reseau.classe.queue.Limits`.
"""

from __future__ import annotations

from typing import Any

from reseau import kinds, trainers
from reseau.config import Range
from reseau.errors import ConfigError

DEFAULT_MAX_EPOCHS = 10
DEFAULT_MAX_HIDDEN = 100
DEFAULT_MODES = (kinds.document().mode,)  # the document's network: the one its exercise is about
MAX_EPOCHS = Range(1, 100)  # the epochs a teacher may allow
MAX_HIDDEN = Range(1, 1000)  # the hidden neurons a teacher may allow
CONSTRAINT = Range(0, 300)  # characters of the lesson's instruction
JOINS_PER_MINUTE = 5  # join attempts a minute from one address (reseau.classe.roster): a typo or two, a shared computer
JOINS = Range(1, 10_000)  # what ``--joins-per-minute`` accepts (a class behind one address needs its size)


def teacher_limits(
    max_epochs: int | None = None,
    max_hidden: int | None = None,
    modes: str | list[str] | None = None,
    constraint: str | None = None,
    *,
    options: bool = True,
) -> dict[str, Any]:
    """The limits the teacher gave, checked (a :class:`ConfigError` says what is wrong): only those
    given, as :meth:`Limits.to_dict` names them (the others stay the lesson's).

    ``modes`` as typed on the command line (``"faithful, modern"``) or as a list.  The errors name the
    command's options (``--max-epochs``), or with ``options=False`` the teacher's page's fields (``max_epochs``).
    """
    named = (lambda field: "--" + field.replace("_", "-")) if options else str
    given: dict[str, Any] = {}
    for field, value, limit in (("max_epochs", max_epochs, MAX_EPOCHS), ("max_hidden", max_hidden, MAX_HIDDEN)):
        if value is not None:
            if not limit.low <= value <= limit.high:
                raise ConfigError("classe.error.limit", field=named(field), value=value, low=limit.low, high=limit.high)
            given[field] = value
    if modes is not None:
        allowed = ", ".join(trainers.KINDS)
        typed = modes.split(",") if isinstance(modes, str) else modes
        chosen = list(dict.fromkeys(m.strip() for m in typed if m.strip()))  # in order, once each
        unknown = [m for m in chosen if m not in trainers.KINDS]
        if unknown:
            raise ConfigError("classe.error.modes", field=named("modes"), mode=unknown[0], allowed=allowed)
        if not chosen:
            raise ConfigError("classe.error.no_modes", field=named("modes"), allowed=allowed)
        given["modes"] = chosen
    if constraint is not None:
        constraint = " ".join(constraint.split())
        if len(constraint) > CONSTRAINT.high:
            raise ConfigError("classe.error.consigne", field="constraint", n=len(constraint), limit=CONSTRAINT.high)
        given["constraint"] = constraint
    return given


def joins_per_minute(value: int) -> int:
    """``--joins-per-minute``, checked (a :class:`ConfigError` names the option and the bounds)."""
    if not JOINS.low <= value <= JOINS.high:
        raise ConfigError("classe.error.limit", field="--joins-per-minute", value=value, low=JOINS.low, high=JOINS.high)
    return value
