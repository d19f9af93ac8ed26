"""Errors a user can cause and fix; the program shows their message, never a traceback."""

from __future__ import annotations

from reseau.i18n import t


class ReseauError(Exception):
    """A mistake or a missing piece the user can act on.

    It carries a message key and its parameters, so the text is rendered in
    the user's language when it is shown, not when it is raised.
    """

    exit_code = 2

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.key, None, **self.params)


class DataError(ReseauError):
    """The dataset is missing, corrupt or cannot be downloaded."""


class ModelFileError(ReseauError):
    """A model file is missing, corrupt, truncated or not a reseau model."""


class ConfigError(ReseauError):
    """A training option is out of its valid range."""


class DivergenceError(ReseauError):
    """Training produced non-finite weights (learning rate far too large)."""
