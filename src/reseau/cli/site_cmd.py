"""``reseau site DIR``: write the whole lesson as a static folder (any web host, a USB stick, no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reseau.cli.common import LocalisedCommand, err, out
from reseau.errors import ReseauError
from reseau.i18n import format_number, get_language, t


def write(folder: Path, drawing: Path | None, data_dir: Path | None, study: bool) -> None:
    try:
        from reseau.site import write_site
    except ImportError as exc:  # the page's records are made by the "web" extra's code
        raise ReseauError("web.cli.missing_deps", name=exc.name or exc) from None
    lang = get_language()
    if drawing is not None and not drawing.is_file():
        raise ReseauError("site.no_model_file", path=drawing)
    from reseau.experiments import build_studies

    studies = build_studies() if study else None  # the document's three studies, 3 seeds each
    say = lambda key: err.print(t(key), style="dim")  # noqa: E731
    report = write_site(folder, drawing=drawing, data_dir=data_dir, say=say, studies=studies)
    for key in report.missing:
        err.print(t(key), style="yellow")
    size = format_number(report.size / 2**20, 1, lang)
    out.print(t("site.done", folder=report.folder, size=size, index=report.folder / "index.html"))


def register(app: typer.Typer) -> None:
    @app.command("site", help=t("site.cli.help"), cls=LocalisedCommand)
    def site(
        folder: Annotated[str, typer.Argument(metavar=t("site.arg.metavar"), help=t("site.arg.folder"))],
        model_path: Annotated[Path | None, typer.Option("--model", "-m", help=t("site.opt.model"))] = None,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))] = None,
        study: Annotated[bool, typer.Option("--study/--no-study", help=t("site.opt.study"))] = True,
    ) -> None:
        write(Path(folder), model_path, data_dir, study)
