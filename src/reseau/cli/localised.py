"""What Typer itself says, in the user's language: its usage errors, and its help's punctuation.

Typer (and the Click it carries) writes its own errors in English: "No such
command 'nope'.", "Invalid value for '--lr': Input should be a valid number…".
:class:`LocalisedErrors` catches them where the commands are parsed and run,
and gives each the sentence of the message table that says the same thing,
with the same details (the option, the value typed).  An error it does not
know keeps Typer's words rather than lose what went wrong.

The errors are recognised by their class name and attributes, not by
importing them, so the same code reads Click's and Typer's copy of Click.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reseau.i18n import plural, t

# pydantic's error types (Typer checks values with it) -> our message
VALUE_ERRORS = {
    "float_parsing": "cli.usage.not_a_number",
    "float_type": "cli.usage.not_a_number",
    "finite_number": "cli.usage.not_a_number",
    "int_parsing": "cli.usage.not_an_integer",
    "int_from_float": "cli.usage.not_an_integer",
    "int_type": "cli.usage.not_an_integer",
    "bool_parsing": "cli.usage.not_a_bool",
    "bool_type": "cli.usage.not_a_bool",
}
NO_SUCH_COMMAND = re.compile(r"No such command (['\"])(?P<name>.*)\1\.")
EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)$")
OPENING = re.compile(r"«\s+")  # « and the space after it
CLOSING = re.compile(r"\s+([?!]?)\s*»")  # the space before », and before a ? or ! that ends the quotation


class LocalisedErrors:
    """A Typer command or group whose usage errors are said in the user's language (a mixin)."""

    def make_context(self, info_name, args, parent=None, **extra):
        with localised_usage(self):
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        with localised_usage(self):
            return super().invoke(ctx)


@contextmanager
def localised_usage(command: Any) -> Iterator[None]:
    """Re-word the usage error raised inside, if it is one this module knows."""
    try:
        yield
    except Exception as exc:
        text = None if getattr(exc, "localised", False) else usage_text(exc, command)
        if text is not None:
            exc.localised = True  # type: ignore[attr-defined]  # said once, by the innermost command
            exc.format_message = lambda: text  # type: ignore[attr-defined]  # what Typer shows in its panel
        raise


def usage_text(exc: Exception, command: Any = None) -> str | None:
    """The message-table sentence for one of Typer's usage errors, or None if it is not one we know."""
    kind = type(exc).__name__
    message = str(getattr(exc, "message", ""))
    if kind == "NoSuchOption":
        text = t("cli.usage.no_such_option", name=exc.option_name)  # type: ignore[attr-defined]
        close = sorted(getattr(exc, "possibilities", None) or [])
        return text + (" " + t("cli.usage.close_options", names=", ".join(close)) if close else "")
    if kind == "BadOptionUsage":
        name = exc.option_name  # type: ignore[attr-defined]
        if "requires" in message:
            return t("cli.usage.needs_value", name=name)
        return t("cli.usage.takes_no_value", name=name) if "does not take a value" in message else None
    if kind == "MissingParameter":
        return t("cli.usage.missing", name=param_name(getattr(exc, "param", None)))
    if kind == "BadParameter":
        return bad_value_text(exc)
    if kind != "UsageError":
        return None
    if message == "Missing command.":
        return t("cli.usage.missing_command")
    if match := NO_SUCH_COMMAND.match(message):
        return no_such_command(match["name"], command)
    if match := EXTRA_ARGUMENTS.match(message):
        args = match["args"]
        return t(f"cli.usage.extra.{plural(len(args.split()))}", args=args)
    return None


def no_such_command(name: str, command: Any) -> str:
    """Unknown command ``name``, and the close ones if any (as Typer suggests them)."""
    from difflib import get_close_matches

    text = t("cli.usage.no_such_command", name=name)
    commands = list(getattr(command, "commands", None) or [])
    close = get_close_matches(name, commands)
    return text + (" " + t("cli.usage.did_you_mean", names=", ".join(close)) if close else "")


def bad_value_text(exc: Exception) -> str | None:
    """A value Typer could not read as its option's type: which option, what was typed, what it should be."""
    cause = exc.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []  # pydantic's
    if not errors or "input" not in errors[0]:
        return None
    name = param_name(getattr(exc, "param", None))
    key = VALUE_ERRORS.get(errors[0]["type"], "cli.usage.bad_value")
    return t(key, name=name, value=errors[0]["input"])


def param_name(param: Any) -> str:
    """How the user wrote the parameter: ``--epochs`` for an option, its metavar for an argument."""
    if param is None:
        return "?"
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.metavar or param.name).upper()
    opts = list(getattr(param, "opts", None) or [])
    longs = [o for o in opts if o.startswith("--")]
    return (longs or opts or [str(param.name)])[0]


# ---------------------------------------------------------------------------
# The help
# ---------------------------------------------------------------------------


class LocalisedHelpText:
    """A Typer command or group whose help keeps « … » whole, and says no Python type of an argument (a mixin).

    The terminal's help is wrapped by Rich, which breaks a line at any space,
    no-break spaces included: a « or a » could end up alone at the end or the
    start of a line.  In the help, the quotation marks hold their words
    without a space, so they are never separated from them.  An argument with
    a metavar (``FACTEUR=VALEURS``) is named by it; Typer would add its Python
    type (``<list[str]>``), which says nothing to a user.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.help = keep_quotes_whole(self.help)  # type: ignore[has-type]
        for param in self.params:  # type: ignore[attr-defined]
            param.help = keep_quotes_whole(getattr(param, "help", None))
            if param.param_type_name == "argument" and param.metavar:
                param.display_type_rich = no_type  # its metavar names it


def keep_quotes_whole(text: str | None) -> str | None:
    """``« Précision »`` -> ``«Précision»``: a line can no longer break inside the quotation marks."""
    if not text:
        return text
    return CLOSING.sub(r"\1»", OPENING.sub("«", text))


def no_type(ctx: Any = None) -> None:
    """The help's type column for a parameter whose metavar says it all: nothing."""
    return None
