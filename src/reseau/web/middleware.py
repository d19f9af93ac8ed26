"""Two small ASGI layers: a limit on request bodies, and the server's own time per request.

Both are plain ASGI (not ``BaseHTTPMiddleware``) so they add almost nothing
to a request and leave the event stream of a training untouched.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

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

    def __init__(self, app, limit: int = MAX_BODY, message: Callable[[dict, int], bytes] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.message = message or (lambda scope, limit: json.dumps({"detail": "body too large"}).encode())

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
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
        if size > self.limit:
            await self._refuse(scope, send)  # the rest was read and dropped, so the client gets the answer
            return
        await self.app(scope, _replay(b"".join(body), receive), send)

    async def _refuse(self, scope, send) -> None:
        payload = self.message(scope, self.limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


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
                message["headers"] = list(message.get("headers", [])) + [
                    (b"server-timing", f"app;dur={ms:.3f}".encode())
                ]
            await send(message)

        await self.app(scope, receive, timed_send)
