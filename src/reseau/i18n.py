"""French and English messages, from one table.

Every sentence the program shows a user lives in ``reseau.locales`` as a pair
``key: (french, english)``.  Code asks for a message with :func:`t`::

    t("train.epoch_line", epoch=0, accuracy=86.18)

French is the default (it is the document's language); English is chosen with
``--lang en``, the ``RESEAU_LANG`` variable, or an English system locale.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from reseau.locales import MESSAGES

LANGUAGES = ("fr", "en")
_current: str | None = None


def detect_language(argv: Sequence[str] | None = None,
                    environ: Mapping[str, str] | None = None) -> str:
    """The language asked for: ``--lang X`` in argv, then RESEAU_LANG, then the locale.

    Anything that is not clearly English gives French, the document's language.
    """
    environ = os.environ if environ is None else environ
    argv = list(argv or [])
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalise(argv[i + 1])
        if arg.startswith("--lang="):
            return normalise(arg.split("=", 1)[1])
    if environ.get("RESEAU_LANG"):
        return normalise(environ["RESEAU_LANG"])
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


def normalise(lang: str) -> str:
    """'EN', 'en_GB.UTF-8', 'english' -> 'en'; anything else -> 'fr'."""
    return "en" if lang.strip().lower().startswith("en") else "fr"


def set_language(lang: str) -> None:
    global _current
    _current = normalise(lang)


def get_language() -> str:
    if _current is None:
        set_language(detect_language(environ=os.environ))
    return _current  # type: ignore[return-value]


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message ``key`` in the current language, with ``params`` filled in."""
    try:
        french, english = MESSAGES[key]
    except KeyError:  # a programming error, not a user's: fail loudly in tests
        raise KeyError(f"no message {key!r} in reseau.locales") from None
    text = english if (lang or get_language()) == "en" else french
    return text.format(**params) if params else text


def format_count(n: int, lang: str | None = None) -> str:
    """10000 -> '10 000' in French (narrow no-break space), '10,000' in English."""
    text = f"{n:,}"
    return text if (lang or get_language()) == "en" else text.replace(",", "\u202f")
