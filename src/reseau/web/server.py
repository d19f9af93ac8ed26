"""Running the app with uvicorn: on a socket we bind ourselves, in the foreground or in a thread.

Binding the socket first lets ``--port 0`` pick a free port and still print
the real address, and turns "port already in use" into a clear message
before uvicorn starts.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Self

import uvicorn

from reseau.web.errors import WebError


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port); WebError if it is taken."""
    if not 0 <= port <= 65535:
        raise WebError("web.cli.bad_port", port=port)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by accepted sockets (Linux)
    try:
        sock.bind((host, port))
    except socket.gaierror as exc:
        sock.close()
        raise WebError("web.cli.bad_host", host=host, reason=exc.strerror or exc) from None
    except OSError as exc:
        sock.close()
        raise WebError(
            "web.cli.port_busy", host=host, port=port, other=port + 1 if port else 8001, reason=exc.strerror or exc
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}/"


def network_url(sock: socket.socket) -> str | None:
    """For a socket bound to every address (0.0.0.0, ::), the address another computer would open; else None."""
    host, port = sock.getsockname()[:2]
    if host not in ("0.0.0.0", "::"):
        return None
    return f"http://{lan_address() or socket.gethostname()}:{port}/"


def lan_address() -> str | None:
    """This computer's address on its local network (the one its default route leaves from), or None.

    Connecting a UDP socket sends nothing: it only asks the system which
    address it would send from (192.0.2.1 is a documentation address).
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:  # no network at all
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def make_server(app, log_level: str = "warning") -> uvicorn.Server:
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on", timeout_graceful_shutdown=2)
    return uvicorn.Server(config)


class BackgroundServer:
    """The app served on 127.0.0.1 in a thread, for tests and benchmarks::

    with BackgroundServer(create_app(...)) as server:
        httpx.get(server.url + "api/model")
    """

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sock = bind(host, port)
        self.url = url_of(self.sock)
        self.server = make_server(app)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, name="reseau-web", daemon=True
        )

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        self.sock.close()
