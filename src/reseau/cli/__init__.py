"""The ``reseau`` command: a thin shell over the library.

The language is chosen before the commands are built (``--lang``,
``RESEAU_LANG`` or the locale), so ``--help`` itself is in French or English.
Each command lives in its own module with a ``register(app)`` function.
Errors the user can fix (:class:`reseau.errors.ReseauError`) are shown as one
clear message, never as a traceback; Ctrl-C ends with a short line.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer

from reseau import __version__
from reseau.errors import ReseauError
from reseau.i18n import detect_language, get_language, set_language, t

COMMAND_MODULES = (
    "train_cmd",
    "predict_cmd",
    "explain_cmd",
    "figures_cmd",
    "experiment_cmd",
    "web_cmd",
    "notebook_cmd",
)

_TYPER_STRINGS_FR = {  # Typer's own help-screen words, for the French help
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "DEFAULT_STRING": "[défaut : {}]",
    "ENVVAR_STRING": "[variable : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "RICH_HELP": "Essayez [blue]'{command_path} {help_option}'[/] pour l'aide.",
}


def _localise_typer(lang: str) -> None:
    """Typer's own help-screen words in the user's language (its public ``rich_utils`` settings).

    The ``-h/--help`` line itself is localised by :class:`~reseau.cli.common.LocalisedCommand`.
    """
    from typer import rich_utils

    if lang == "fr":
        for name, text in _TYPER_STRINGS_FR.items():
            if hasattr(rich_utils, name):
                setattr(rich_utils, name, text)


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"reseau {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    """The Typer application, with its help in the current language."""
    from reseau.cli.common import LocalisedGroup

    app = typer.Typer(
        help=t("cli.help"),
        no_args_is_help=True,
        add_completion=False,
        cls=LocalisedGroup,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        version: Annotated[
            bool, typer.Option("--version", help=t("cli.version"), is_eager=True, callback=show_version, metavar="")
        ] = False,
        lang: Annotated[str, typer.Option("--lang", help=t("cli.lang"))] = get_language(),
    ) -> None:
        """Options that apply to every command (read before the command runs)."""

    for name in COMMAND_MODULES:
        importlib.import_module(f"reseau.cli.{name}").register(app)
    return app


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (without the program name); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(detect_language(argv))
    _localise_typer(get_language())
    app = build_app()
    try:
        # --lang is read above, so it may stand anywhere (`reseau train --lang en`).
        app(args=strip_lang(argv), prog_name="reseau", standalone_mode=True)
    except ReseauError as err:
        error(str(err))
        return err.exit_code
    except KeyboardInterrupt:
        typer.echo("", err=True)
        return 130
    except SystemExit as exc:  # standalone mode ends with sys.exit(code)
        return exc.code if isinstance(exc.code, int) else 0
    return 0


def strip_lang(argv: list[str]) -> list[str]:
    """``argv`` without ``--lang X`` / ``--lang=X``."""
    kept, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--lang" and i + 1 < len(argv):
            skip = True
        elif not arg.startswith("--lang="):
            kept.append(arg)
    return kept


def error(message: str) -> None:
    """Show ``message`` on stderr in red, as it is (no markup is read from it)."""
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True, highlight=False).print(
        Text.assemble((t("cli.error", message=""), "bold red"), message), soft_wrap=True
    )


def main() -> None:
    sys.exit(run())
