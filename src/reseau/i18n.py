"""French and English messages, from one table.

Every sentence the program shows a user lives in ``reseau.locales`` as a pair
``key: (french, english)``.  Code asks for a message with :func:`t`::

    t("train.test_line", n=format_count(10000), accuracy=93.3246)   # "... : 93,32 %"

French is the default (it is the document's language); English is chosen with
``--lang en``, the ``RESEAU_LANG`` variable, or an English system locale.

Every number the user reads is written here: a float parameter of a message
is formatted with the language's decimal separator (``93,32`` in French,
``93.32`` in English) whatever its format spec, a negative number takes the
true minus sign ``−`` in both languages (never ``−0,00``), counts are grouped
(``10 000`` / ``10,000``) by :func:`format_count`, and :func:`plural` chooses
the grammatical number (:func:`counted` writes a count with its unit:
``1 graine``, ``3 graines``).  The web page receives the same rules
(:func:`number_format`).  The one exception is a quotation: the document's
own epoch line keeps the document's ``86.18%`` (:data:`QUOTATIONS`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence

from reseau.locales import MESSAGES

LANGUAGES = ("fr", "en")
_current: str | None = None


def detect_language(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language asked for: ``--lang X`` in argv, then RESEAU_LANG, then the locale.

    Anything that is not clearly English gives French, the document's language.
    """
    environ = os.environ if environ is None else environ
    asked = asked_language(list(argv or []))
    if asked is not None:
        return normalise(asked)
    if environ.get("RESEAU_LANG"):
        return normalise(environ["RESEAU_LANG"])
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


def asked_language(argv: Sequence[str]) -> str | None:
    """The value given to ``--lang``: None without the option, ``""`` when no value follows it."""
    for i, arg in enumerate(argv):
        if arg == "--lang":
            value = argv[i + 1] if i + 1 < len(argv) else ""
            return "" if value.startswith("-") else value  # `--lang --out x`: the next option, not a language
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


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


QUOTATIONS = frozenset({"train.epoch_line"})  # the document's printed line: its numbers stay as printed
SEPARATORS = {"fr": (",", "\u202f"), "en": (".", ",")}  # decimal separator, thousands separator


MINUS = "\u2212"  # the true minus sign: every negative number reseau writes uses it, in both languages


class _Number(float):
    """A float parameter of a message: it writes itself by the language's rules, whatever its format spec.

    ``{accuracy:.2f}`` of ``-93.3246`` reads ``−93,32`` in French and ``−93.32`` in English.
    """

    lang: str

    def __new__(cls, x: float, lang: str) -> _Number:
        number = super().__new__(cls, x)
        number.lang = lang
        return number

    def __format__(self, spec: str) -> str:
        return _written(float(self), spec, self.lang)

    def __str__(self) -> str:
        return _written(float(self), "", self.lang)


class _Whole(int):
    """A negative whole-number parameter: its minus sign is the true one, as a float's."""

    def __format__(self, spec: str) -> str:
        return format(int(self), spec).replace("-", MINUS)

    def __str__(self) -> str:
        return self.__format__("")


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message ``key`` in the language ``lang`` (default: the current one), with ``params`` filled in.

    Every float parameter is written by :func:`_written` (decimal comma in French, the
    true minus sign in both languages), except in a quotation (:data:`QUOTATIONS`).
    """
    try:
        french, english = MESSAGES[key]
    except KeyError:  # a programming error, not a user's: fail loudly in tests
        raise KeyError(f"no message {key!r} in reseau.locales") from None
    lang = lang or get_language()
    if key not in QUOTATIONS:
        params = {name: _numeric(value, lang) for name, value in params.items()}
    text = english if lang == "en" else french
    return text.format(**params) if params else text


class Phrase:
    """A message inside a message, written in the outer message's language when that one is.

    An error's detail is raised in one place and shown in another, perhaps in
    another language (the web page asks in its own)::

        ModelFileError("model.corrupt", path=p, reason=Phrase("model.reason.short", size=3))

    reads « (3 octets seulement) » in French and "(only 3 bytes)" in English,
    never an English fragment glued into a French sentence.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, **{self.params!r})"

    def __str__(self) -> str:  # alone (an error's parameters sent as text): in the current language
        return t(self.key, None, **self.params)


def _numeric(value: object, lang: str) -> object:
    """A float as a :class:`_Number`, a negative int as a :class:`_Whole`, a :class:`Phrase` written in
    ``lang``; anything else as it is."""
    if isinstance(value, Phrase):
        return t(value.key, lang, **value.params)
    if isinstance(value, float):
        return _Number(value, lang)
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return _Whole(value)
    return value


def format_number(x: float, digits: int = 2, lang: str | None = None, sign: bool = False) -> str:
    """``-93.3246`` -> ``"−93,32"`` in French, ``"−93.32"`` in English (``digits`` after the separator).

    Negative numbers take the true minus sign (:data:`MINUS`) in both languages;
    ``sign`` writes ``+`` before a positive one (a change: ``+0,0135``).  A
    zero that rounds from below reads ``0,00``, never ``−0,00``.
    """
    return _written(x, f"{'+' if sign else ''}.{digits}f", lang)


def format_sci(x: float, digits: int = 2, lang: str | None = None, sign: bool = False) -> str:
    """A small number in scientific notation: ``0.00346`` -> ``"3,46e−03"`` (``"+3,46e−03"`` with ``sign``)."""
    return _written(x, f"{'+' if sign else ''}.{digits}e", lang)


def format_rate(x: float, lang: str | None = None) -> str:
    """A setting such as a learning rate, without trailing zeros: ``0.01`` -> ``"0,01"``, ``1e-05`` -> ``"1e−05"``."""
    return _written(x, "g", lang)


def _written(x: float, spec: str, lang: str | None) -> str:
    """``x`` formatted by Python's ``spec``, then in the user's language: decimal comma in French, true minus
    sign in both; a number that rounds to zero from below is written as zero (``0,00``, never ``−0,00``)."""
    text = format(float(x), spec)
    mantissa = text.lower().split("e")[0]
    if text.lstrip().startswith("-") and math.isfinite(x) and not any(d in mantissa for d in "123456789"):
        text = format(0.0, spec)  # -0.001 -> "0.00" ("+0.00" with a sign)
    if (lang or get_language()) == "fr":
        text = text.replace(".", ",")
    return text.replace("-", MINUS)


def format_count(n: int, lang: str | None = None) -> str:
    """10000 -> '10 000' in French (narrow no-break space), '10,000' in English; -3 -> '−3'."""
    text = f"{n:,}".replace("-", MINUS)
    return text if (lang or get_language()) == "en" else text.replace(",", "\u202f")


def plural(x: float, lang: str | None = None) -> str:
    """``"one"`` or ``"other"``: French uses the singular below 2 (``1,5 point``), English only for 1."""
    if (lang or get_language()) == "fr":
        return "one" if abs(x) < 2 else "other"
    return "one" if abs(x) == 1 else "other"


def counted(n: int, unit: str, lang: str | None = None) -> str:
    """``n`` and its unit in the right grammatical number: ``"1 graine"``, ``"3 graines"`` (``"1 seed"``, ...).

    ``unit`` is the stem of two messages, ``<unit>.one`` and ``<unit>.other``
    (``counted(3, "unit.seed")`` reads ``unit.seed.other``).
    """
    return f"{format_count(n, lang)} {t(unit + '.' + plural(n, lang), lang=lang)}"


def number_format(lang: str | None = None) -> dict[str, str]:
    """The separators of ``lang``, for the web page to write numbers by the same rules."""
    decimal, group = SEPARATORS["en" if (lang or get_language()) == "en" else "fr"]
    return {"decimal": decimal, "group": group}
