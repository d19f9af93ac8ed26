"""Small ASGI layers around the app: who may ask, how big a request may be, how long it took.

- :class:`HostCheck`: only the names the server is reached by (``Host``), against DNS rebinding;
- :class:`SameOrigin`: a request that changes something comes from the server's own page, as JSON;
- :class:`BodyLimit`: a limit on request bodies;
- :class:`ServerTiming`: the server's own time per request.

(The token a server open to the network asks for is :class:`reseau.web.token.TokenGate`.)
All are plain ASGI (not ``BaseHTTPMiddleware``) so they add almost nothing
to a request and leave the event stream of a training untouched.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable

from reseau.web.errors import error_json

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")  # this computer, and only it
ANY_ADDRESS = ("0.0.0.0", "::")  # --host values that serve every address of this computer
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")  # methods that change nothing on the server
JSON_TYPE = "application/json"  # the only body a request that changes something may send
WEBSOCKET_REFUSED = {"type": "websocket.close", "code": 1008}  # before it is accepted: the client gets a 403
Lang = Callable[[dict], str]  # an ASGI scope -> the language of its answer ("fr", "en")

MAX_BODY = 2 * 1_048_576  # bytes; the largest drawing (280 x 280 numbers in JSON) fits
DRAIN_LIMIT = 64 * MAX_BODY  # an over-long body is read (and dropped) up to this, so the 413 reaches the client


class BodyLimit:
    """Refuse (413) a request body over ``limit`` bytes before the app parses it.

    The body is read here, whether or not the client sent a Content-Length,
    and handed on unchanged if it is small enough.  A body over the limit is
    read to its end and dropped (up to :data:`DRAIN_LIMIT`) before the 413 is
    sent: a server that answers while the client is still sending makes many
    clients see a reset connection instead of the message.
    """

    def __init__(self, app, lang: Lang, limit: int = MAX_BODY) -> None:
        self.app = app
        self.lang = lang
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            more = message.get("more_body", False)
            if size <= self.limit:
                body.append(chunk)
            elif size > DRAIN_LIMIT:
                break  # far too big to even read: answer now, the connection will be closed
        if size > self.limit:  # the rest was read and dropped, so the client gets the answer
            refusal = error_json("web.error.too_large", self.lang(scope), {"limit": self.limit // 1024})
            await answer(send, 413, refusal, [(b"connection", b"close")])
            return
        await self.app(scope, _replay(b"".join(body), receive), send)


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # then wait for the disconnect, as the server would

    return replay


class ServerTiming:
    """Add ``Server-Timing: app;dur=<ms>``: the time from the request's arrival to its response headers."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - started) * 1000
                message["headers"] = [*message.get("headers", []), (b"server-timing", f"app;dur={ms:.3f}".encode())]
            await send(message)

        await self.app(scope, receive, timed_send)


# ---------------------------------------------------------------------------
# Who may ask: the Host header, and the origin of requests that change something
# ---------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.0.0.1, ::1, localhost)."""
    address = _ip(host.strip("[]"))
    return host.lower() == "localhost" or (address is not None and address.is_loopback)


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def host_name(header: str) -> str | None:
    """The name of a ``Host`` header, lower case: ``"LocalHost:8000"`` -> ``"localhost"``,
    ``"[::1]:8000"`` -> ``"::1"``; None if it is not a well-formed host[:port]."""
    header = header.strip().lower()
    if header.startswith("["):  # an IPv6 address, [::1] or [::1]:8000
        name, bracket, port = header[1:].partition("]")
        if not bracket or (port and not port.startswith(":")) or _ip(name) is None:
            return None
        port = port[1:]
    else:
        name, _, port = header.partition(":")
    if not name or (port and not (port.isascii() and port.isdigit() and len(port) <= 5)):
        return None
    return name


class ServedHosts:
    """The names a server bound to ``host`` is legitimately reached by.

    Always this computer's loopback names, plus ``host`` itself.  Bound to
    every address (``0.0.0.0``, ``::``), also this computer's name and any IP
    address: a page can only have an IP address as its origin if it was
    served from that address, so an address cannot be used for DNS rebinding,
    whereas a name (``evil.example``) can.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        bound = host.strip("[]").lower()
        self.any_ip = bound in ANY_ADDRESS
        self.names = {*LOOPBACK_NAMES} if self.any_ip else {*LOOPBACK_NAMES, bound}
        if self.any_ip:
            name = socket.gethostname().lower()
            self.names |= {name, f"{name}.local"}  # the machine's name, and its mDNS name

    def allow(self, header: str) -> bool:
        """May a request with this ``Host`` header be answered?"""
        name = host_name(header)
        return name is not None and (name in self.names or (self.any_ip and _ip(name) is not None))

    def __str__(self) -> str:
        shown = sorted(f"[{n}]" if ":" in n else n for n in self.names)
        return ", ".join(shown) + (", …" if self.any_ip else "")


def header(scope: dict, name: bytes) -> str | None:
    """The first value of the request header ``name`` (lower case), or None."""
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


async def answer(send, status: int, body: bytes, headers: list | None = None, media: bytes = b"application/json"):
    """Send a whole small response (a middleware's refusal)."""
    head = [(b"content-type", media), (b"content-length", str(len(body)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class HostCheck:
    """Answer 400 to a request whose ``Host`` is not a name the server is served by.

    Without it, a web page on ``evil.example`` whose name the attacker makes
    point at 127.0.0.1 (DNS rebinding) could drive the local server as if it
    were its own site: the browser sees one origin, ``evil.example``.
    """

    def __init__(self, app, hosts: ServedHosts, lang: Lang) -> None:
        self.app = app
        self.hosts = hosts
        self.lang = lang

    async def __call__(self, scope, receive, send) -> None:
        host = header(scope, b"host")
        if scope["type"] not in ("http", "websocket") or (host is not None and self.hosts.allow(host)):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send(WEBSOCKET_REFUSED)
            return
        shown = (host or "")[:80]
        body = error_json("web.error.bad_host", self.lang(scope), {"host": shown, "allowed": str(self.hosts)})
        await answer(send, 400, body)


def _netloc(origin: str) -> str | None:
    """``"http://127.0.0.1:8000"`` -> ``"127.0.0.1:8000"`` (lower case); None for "null" or anything odd."""
    scheme, sep, rest = origin.strip().lower().partition("://")
    if not sep or scheme not in ("http", "https") or not rest or "/" in rest:
        return None
    return rest


def media_type(content_type: str | None) -> str:
    """``"Application/JSON; charset=utf-8"`` -> ``"application/json"``; "" when absent."""
    return (content_type or "").split(";")[0].strip().lower()


class SameOrigin:
    """Refuse a request that changes something (any method but GET, HEAD, OPTIONS)
    unless it comes from the server's own page, and a POST that is not JSON.

    - ``Sec-Fetch-Site: cross-site`` or ``same-site``: 403 (the browser says another site sent it);
    - an ``Origin`` other than the server's (the ``Host`` it was reached by): 403;
    - a POST without ``Content-Type: application/json``: 415.  Browsers let any
      page send a "simple" request (text/plain, a form, no type at all) to any
      server without asking it first; a JSON one from another site needs the
      server's consent (CORS), which this server never gives.

    A request with neither header (curl, a script) is not a browser's, so it
    is not refused for its origin.
    """

    def __init__(self, app, lang: Lang) -> None:
        self.app = app
        self.lang = lang

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        site = header(scope, b"sec-fetch-site")
        origin = header(scope, b"origin")
        host = (header(scope, b"host") or "").lower()
        if (site or "").lower() in ("cross-site", "same-site") or (origin is not None and _netloc(origin) != host):
            shown = (origin or site or "")[:80]
            await answer(send, 403, error_json("web.error.cross_origin", self.lang(scope), {"origin": shown}))
            return
        content_type = header(scope, b"content-type")
        if scope["method"] == "POST" and media_type(content_type) != JSON_TYPE:
            shown = (content_type or "-")[:80]
            await answer(send, 415, error_json("web.error.content_type", self.lang(scope), {"got": shown}))
            return
        await self.app(scope, receive, send)
