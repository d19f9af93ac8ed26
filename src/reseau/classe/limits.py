"""The teacher's limits for a lesson, as the command line gives them (``reseau classe --max-epochs 5
--modes faithful,modern --consigne "..."``): their defaults, their bounds, and their check.

Light on purpose (no web framework, no NumPy): ``reseau --help`` reads it.
The limits themselves, and how a student's training is held to them, are
:class:`reseau.classe.queue.Limits`.
"""

from __future__ import annotations

from typing import Any

from reseau import trainers
from reseau.errors import ConfigError

DEFAULT_MAX_EPOCHS = 10
DEFAULT_MAX_HIDDEN = 100
DEFAULT_MODES = ("faithful",)  # the document's network: the one its exercise is about
EPOCHS_LIMIT = 100  # the most epochs a teacher may allow (the command's and the page's bound)
HIDDEN_LIMIT = 1000  # the most hidden neurons a teacher may allow
CONSTRAINT_LIMIT = 300  # characters of the lesson's instruction


def teacher_limits(
    max_epochs: int | None = None,
    max_hidden: int | None = None,
    modes: str | None = None,
    constraint: str | None = None,
) -> dict[str, Any]:
    """The limits the teacher gave on the command line, checked (a :class:`ConfigError` says what is
    wrong): only those given, as :meth:`Limits.to_dict` names them (the others stay the lesson's).

    ``modes`` is written as typed: ``"faithful, modern"`` -> ``["faithful", "modern"]``.
    """
    given: dict[str, Any] = {}
    if max_epochs is not None:
        if not 1 <= max_epochs <= EPOCHS_LIMIT:
            raise ConfigError("classe.error.max_epochs", value=max_epochs, limit=EPOCHS_LIMIT)
        given["max_epochs"] = max_epochs
    if max_hidden is not None:
        if not 1 <= max_hidden <= HIDDEN_LIMIT:
            raise ConfigError("classe.error.max_hidden", value=max_hidden, limit=HIDDEN_LIMIT)
        given["max_hidden"] = max_hidden
    if modes is not None:
        allowed = ", ".join(trainers.KINDS)
        named = list(dict.fromkeys(m.strip() for m in modes.split(",") if m.strip()))  # in order, once each
        unknown = [m for m in named if m not in trainers.KINDS]
        if unknown:
            raise ConfigError("classe.error.modes", mode=unknown[0], allowed=allowed)
        if not named:
            raise ConfigError("classe.error.no_modes", allowed=allowed)
        given["modes"] = named
    if constraint is not None:
        constraint = " ".join(constraint.split())
        if len(constraint) > CONSTRAINT_LIMIT:
            raise ConfigError("classe.error.consigne", n=len(constraint), limit=CONSTRAINT_LIMIT)
        given["constraint"] = constraint
    return given
