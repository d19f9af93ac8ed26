"""``reseau classe``: serve the lesson to a whole class from the teacher's computer (see :mod:`reseau.classe`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from reseau import trainers
from reseau.classe.limits import (
    DEFAULT_MAX_EPOCHS,
    DEFAULT_MAX_HIDDEN,
    DEFAULT_MODES,
    JOINS_PER_MINUTE,
    MAX_EPOCHS,
    MAX_HIDDEN,
    joins_per_minute,
    teacher_limits,
)
from reseau.cli.common import LocalisedCommand, err, out
from reseau.cli.web_cmd import DEFAULT_PORT
from reseau.config import Range
from reseau.errors import ReseauError
from reseau.i18n import get_language, t

DEFAULT_HOST = "0.0.0.0"  # the school's network: the students' computers must reach it
DEFAULT_LESSON = "classe"


def serve(
    host: str,
    port: int | None,
    browser: bool,
    data_dir: Path | None,
    lesson: str,
    cluster: str | None,
    limits: dict[str, Any] | None = None,
    joins: int = JOINS_PER_MINUTE,
) -> None:
    """Build the classroom, bind, print the teacher's and the students' addresses (and a QR code), serve.

    ``limits``: the teacher's from the command line, checked (:func:`~reseau.classe.queue.teacher_limits`).
    """
    try:
        from reseau.classe import create_classe_app
        from reseau.classe.pages import qr_code
        from reseau.cli.web_cmd import bind_first_free, run_server
        from reseau.web.middleware import is_loopback
        from reseau.web.server import network_url, url_of
    except ImportError as exc:  # the "web" extra is not installed
        raise ReseauError("web.cli.missing_deps", name=exc.name or exc) from None
    app = create_classe_app(
        lesson, data_dir, lang=get_language(), host=host, cluster=cluster, limits=limits, joins_per_minute=joins
    )
    classroom = app.state.classroom
    sock = bind_first_free(host, port)
    base = network_url(sock) or url_of(sock)  # the address other computers open (the LAN's), else this one's
    classroom.public_url = base
    err.print(t("classe.cli.lesson", name=lesson, path=classroom.db.path), style="dim")
    rules = classroom.limits
    modes = ", ".join(rules.modes)
    err.print(t("classe.cli.limits", epochs=rules.max_epochs, hidden=rules.max_hidden, modes=modes), style="dim")
    if rules.constraint:
        err.print(t("classe.me.constraint", text=rules.constraint), style="dim", markup=False)
    if classroom.interrupted:
        err.print(t("classe.cli.interrupted", n=classroom.interrupted), style="yellow")
    teacher = f"{base}teacher?token={app.state.token}"
    out.print(t("classe.cli.teacher", url=teacher), soft_wrap=True)
    link = classroom.students_url()  # public_url is set: no request needed
    out.print(t("classe.cli.students", url=base, code=classroom.code), soft_wrap=True)
    if is_loopback(host):
        err.print(t("classe.cli.loopback"), style="yellow")
    out.print(t("classe.cli.qr"))
    code = qr_code(link)
    if code is None:
        err.print(t("classe.cli.no_qr"), style="dim")
    else:
        code.terminal(out=sys.stdout, compact=True, border=2)
    run_server(app, sock, teacher if browser else None)
    err.print(t("classe.cli.bye"), style="dim")


def limit_option(field: str, default: int, limit: Range) -> typer.models.OptionInfo:
    """``--max-epochs`` or ``--max-hidden``: its help says the lesson's default and the largest value allowed."""
    help_text = t(f"classe.opt.{field}", n=default, limit=limit.high)
    return typer.Option("--" + field.replace("_", "-"), help=help_text, show_default=False)


def register(app: typer.Typer) -> None:
    @app.command("classe", help=t("classe.cli.help"), cls=LocalisedCommand)
    def classe(
        host: Annotated[str, typer.Option("--host", help=t("classe.opt.host"))] = DEFAULT_HOST,
        port: Annotated[
            int | None, typer.Option("--port", "-p", help=t("classe.opt.port", port=DEFAULT_PORT), show_default=False)
        ] = None,
        no_browser: Annotated[bool, typer.Option("--no-browser", help=t("classe.opt.no_browser"), metavar="")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))] = None,
        lesson: Annotated[
            str, typer.Option("--lesson", help=t("classe.opt.lesson", name=DEFAULT_LESSON), show_default=False)
        ] = DEFAULT_LESSON,
        cluster: Annotated[str | None, typer.Option("--cluster", help=t("classe.opt.cluster"))] = None,
        max_epochs: Annotated[int | None, limit_option("max_epochs", DEFAULT_MAX_EPOCHS, MAX_EPOCHS)] = None,
        max_hidden: Annotated[int | None, limit_option("max_hidden", DEFAULT_MAX_HIDDEN, MAX_HIDDEN)] = None,
        modes: Annotated[
            str | None,
            typer.Option(
                "--modes",
                help=t("classe.opt.modes", modes=", ".join(trainers.KINDS), default=",".join(DEFAULT_MODES)),
                show_default=False,
            ),
        ] = None,
        consigne: Annotated[
            str | None, typer.Option("--consigne", "--instruction", help=t("classe.opt.consigne"))
        ] = None,
        joins: Annotated[
            int, typer.Option("--joins-per-minute", help=t("classe.opt.joins", n=JOINS_PER_MINUTE), show_default=False)
        ] = JOINS_PER_MINUTE,
    ) -> None:
        limits = teacher_limits(max_epochs, max_hidden, modes, consigne)  # checked before anything starts
        serve(host, port, not no_browser, data_dir, lesson, cluster, limits=limits, joins=joins_per_minute(joins))
