"""``reseau web``: serve the local page (draw, browse, train, sigmoid, experiments) and open it."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Annotated

import typer

from reseau.cli.common import LocalisedCommand, err, out
from reseau.errors import ReseauError
from reseau.i18n import get_language, t

DEFAULT_PORT = 8000
PORT_TRIES = 10  # without --port, the next ports are tried if 8000 is taken


def serve(host: str, port: int | None, browser: bool, model_path: Path | None, data_dir: Path | None) -> None:
    """Build the app, bind the socket, say where the page is, open it, serve until Ctrl-C."""
    try:
        from reseau.web import create_app
        from reseau.web.middleware import is_loopback
        from reseau.web.server import network_url, url_of
    except ImportError as exc:  # the "web" extra is not installed
        raise ReseauError("web.cli.missing_deps", name=exc.name or exc) from None
    app = create_app(model_path, data_dir, lang=get_language(), host=host)
    sock = bind_first_free(host, port)
    token = app.state.token  # None on this computer only (a loopback address); else asked on every request
    with_token = f"?token={token}" if token else ""
    url = url_of(sock) + with_token  # opening it sets the token's cookie (reseau.web.token)
    out.print(t("web.cli.url", url=url))
    other = network_url(sock)
    if other:
        out.print(t("web.cli.url_network", url=other + with_token))
    store = app.state.ctx.store
    err.print(t("web.cli.model" if store.model else "web.cli.no_model", path=store.path), style="dim")
    if not is_loopback(host):
        err.print(t("web.cli.exposed", host=host), style="yellow")
    run_server(app, sock, url if browser else None)
    err.print(t("web.cli.bye"), style="dim")


def run_server(app, sock, url: str | None) -> None:
    """Serve ``app`` on ``sock`` until Ctrl-C (``reseau web``, ``reseau classe``); open ``url``, if any, once up."""
    from reseau.web.server import make_server

    server = make_server(app)
    if url is not None:
        threading.Thread(target=open_when_started, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down gracefully, then passes Ctrl-C on: that is the normal end
        pass
    finally:
        sock.close()


def bind_first_free(host: str, port: int | None):
    """The socket for ``--port``; without it, the first free port from 8000 on."""
    from reseau.web.server import bind

    if port is not None:
        return bind(host, port)
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES):
        try:
            return bind(host, candidate)
        except ReseauError:
            continue
    return bind(host, DEFAULT_PORT)  # all taken: say so about the usual one


def open_when_started(server, url: str) -> None:
    """Open the page in the user's browser once the server answers (only where a window can open)."""
    import webbrowser

    from reseau.cli.common import has_display

    if not has_display():  # a console browser would take over the terminal: print the address only
        return
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if server.started:
        webbrowser.open(url)


def register(app: typer.Typer) -> None:
    @app.command("web", help=t("web.cli.help"), cls=LocalisedCommand)
    def web(
        host: Annotated[str, typer.Option("--host", help=t("web.opt.host"))] = "127.0.0.1",
        port: Annotated[
            int | None, typer.Option("--port", "-p", help=t("web.opt.port", port=DEFAULT_PORT), show_default=False)
        ] = None,
        no_browser: Annotated[bool, typer.Option("--no-browser", help=t("web.opt.no_browser"), metavar="")] = False,
        model_path: Annotated[Path | None, typer.Option("--model", "-m", help=t("cli.opt.model"))] = None,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help=t("cli.opt.data_dir"))] = None,
    ) -> None:
        serve(host, port, not no_browser, model_path, data_dir)
