"""The message table: every sentence the program shows, in French and English.

Each domain keeps its messages in its own module (``core``, ``figures``, ...)
as ``MESSAGES = {key: (french, english)}``; they are merged here into the one
table :mod:`reseau.i18n` reads.  A key may be defined only once.
"""

from __future__ import annotations

import importlib

DOMAINS = (
    *("core", "figures", "experiments", "training", "web", "explain", "classe"),
    *("site", "study", "check", "mine", "photo"),
)
MESSAGES: dict[str, tuple[str, str]] = {}

for _domain in DOMAINS:
    for _key, _pair in importlib.import_module(f"reseau.locales.{_domain}").MESSAGES.items():
        if _key in MESSAGES:
            raise RuntimeError(f"message {_key!r} is defined twice (in {_domain!r})")
        MESSAGES[_key] = _pair
