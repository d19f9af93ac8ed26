"""``reseau notebook``: copy the course notebook into the current folder and say how to open it."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from reseau.cli.common import LocalisedCommand, out
from reseau.errors import ReseauError
from reseau.i18n import get_language, t

NAMES = {"fr": "reseau_de_neurones.ipynb", "en": "reseau_de_neurones_en.ipynb"}


def notebook_source(lang: str) -> Path:
    """The notebook shipped inside the package, in ``lang``."""
    return Path(str(resources.files("reseau") / "notebooks" / NAMES[lang]))


def register(app: typer.Typer) -> None:
    @app.command("notebook", help=t("cli.notebook.help"), cls=LocalisedCommand)
    def notebook(
        dest: Annotated[Path, typer.Option("--dest", "-d", help=t("cli.opt.notebook_dest"))] = Path("."),
        force: Annotated[bool, typer.Option("--force", help=t("cli.opt.force"), metavar="")] = False,
    ) -> None:
        lang = get_language()
        source = notebook_source(lang)
        target = dest / NAMES[lang]
        if target.exists() and not force:
            raise ReseauError("notebook.exists", path=target)
        try:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        except OSError as exc:
            raise ReseauError("notebook.cannot_copy", path=target, reason=exc.strerror or exc) from None
        out.print(t("notebook.copied", path=target))
        out.print(t("notebook.how_to_open", name=target.name))
