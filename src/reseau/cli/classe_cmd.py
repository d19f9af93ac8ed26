"""``reseau classe``: serve the lesson to a whole class from the teacher's computer (see :mod:`reseau.classe`)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from reseau import trainers
from reseau.classe.limits import (
    DEFAULT_MAX_EPOCHS,
    DEFAULT_MAX_HIDDEN,
    DEFAULT_MODES,
    MAX_EPOCHS,
    MAX_HIDDEN,
    teacher_limits,
)
from reseau.cli.common import LocalisedCommand, err, out
from reseau.cli.web_cmd import DEFAULT_PORT
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
    root: Path | None = None,
    limits: dict[str, Any] | None = None,
) -> None:
    """Build the classroom, bind, print the teacher's and the students' addresses (and a QR code), serve.

    ``limits``: the teacher's from the command line, checked (:func:`~reseau.classe.queue.teacher_limits`).
    """
    try:
        from reseau.classe import create_classe_app
        from reseau.classe.pages import qr_code
        from reseau.cli.web_cmd import bind_first_free, open_when_started
        from reseau.web.middleware import is_loopback
        from reseau.web.server import make_server, network_url, url_of
    except ImportError as exc:  # the "web" extra is not installed
        raise ReseauError("web.cli.missing_deps", name=exc.name or exc) from None
    app = create_classe_app(lesson, data_dir, root=root, lang=get_language(), host=host, cluster=cluster, limits=limits)
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
    server = make_server(app)
    if browser:
        threading.Thread(target=open_when_started, args=(server, teacher), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    err.print(t("classe.cli.bye"), style="dim")


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
        max_epochs: Annotated[
            int | None,
            typer.Option(
                "--max-epochs",
                help=t("classe.opt.max_epochs", n=DEFAULT_MAX_EPOCHS, limit=MAX_EPOCHS.high),
                show_default=False,
            ),
        ] = None,
        max_hidden: Annotated[
            int | None,
            typer.Option(
                "--max-hidden",
                help=t("classe.opt.max_hidden", n=DEFAULT_MAX_HIDDEN, limit=MAX_HIDDEN.high),
                show_default=False,
            ),
        ] = None,
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
    ) -> None:
        limits = teacher_limits(max_epochs, max_hidden, modes, consigne)  # checked before anything starts
        serve(host, port, not no_browser, data_dir, lesson, cluster, limits=limits)
