"""The ``reseau`` command: a thin shell over the library.

The language is chosen before the commands are built (``--lang``,
``RESEAU_LANG`` or the locale), so ``--help`` itself is in French or English.
Each command lives in its own module with a ``register(app)`` function.
Errors the user can fix (:class:`reseau.errors.ReseauError`) are shown as one
clear message, never as a traceback; Ctrl-C ends with a short line.
"""

from __future__ import annotations

import gc
import importlib
import importlib.abc
import importlib.util
import sys
from typing import Annotated

import typer

from reseau.errors import ReseauError
from reseau.i18n import LANGUAGES, asked_language, detect_language, get_language, set_language, t
from reseau.version import __version__

COMMAND_MODULES = (
    "train_cmd",
    "predict_cmd",
    "explain_cmd",
    "figures_cmd",
    "experiment_cmd",
    "web_cmd",
    "classe_cmd",
    "site_cmd",
    "check_cmd",
    "evaluate_cmd",
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


_TYPER_STRINGS_EN: dict[str, str] = {}  # Typer's words as it wrote them, before a French run replaced them


def _localise_typer(lang: str) -> None:
    """Typer's own help-screen words in the user's language (its public ``rich_utils`` settings).

    The ``-h/--help`` line itself is localised by :class:`~reseau.cli.common.LocalisedCommand`.
    """
    from typer import rich_utils

    for name, text in _TYPER_STRINGS_FR.items():
        if hasattr(rich_utils, name):
            _TYPER_STRINGS_EN.setdefault(name, getattr(rich_utils, name))  # Typer's own, kept for English
            setattr(rich_utils, name, text if lang == "fr" else _TYPER_STRINGS_EN[name])


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
    asked = asked_language(argv)
    if asked is not None and not asked.strip().lower().startswith(LANGUAGES):  # "fr", "en", "english", "français"…
        error(t("cli.lang_unknown", value=asked) if asked else t("cli.lang_missing"))
        return 2
    localise_typer_when_imported()
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

    text = Text.assemble((t("cli.error", message=""), "bold red"), message)  # the message itself not in red
    Console(stderr=True, highlight=False).print(text, soft_wrap=True)


class _AfterImport(importlib.abc.MetaPathFinder):
    """Localises ``typer.rich_utils`` right after Typer imports it, which it does only to show help or an error."""

    NAME = "typer.rich_utils"

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.NAME:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)  # found by the usual finders
        if spec is not None and spec.loader is not None:
            run_module = spec.loader.exec_module

            def exec_module(module):
                run_module(module)
                _localise_typer(get_language())

            spec.loader.exec_module = exec_module
        return spec


def localise_typer_when_imported() -> None:
    """Typer's words in the current language: now if its help module is loaded, else once it is.

    Importing it (and rich's Markdown with it) costs 0.06 s that a command run
    without help or error never needs.
    """
    if _AfterImport.NAME in sys.modules:
        _localise_typer(get_language())
    elif not any(isinstance(finder, _AfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport())


def main() -> None:
    code = run()
    # What is left is freed with the process: Python's last garbage collections need not walk
    # the objects numba made (0.1 s of the end of `reseau train`).
    gc.freeze()
    sys.exit(code)
