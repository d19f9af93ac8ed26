"""A token for a server open to the network: whoever has the printed URL may use it, nobody else.

As Jupyter does: the server makes a random token at start and prints the
address to open with it, ``http://HOST:PORT/?token=...``.  Opening that
address sets a cookie (HttpOnly: the page's scripts cannot read it;
SameSite=Strict: the browser sends it only to requests from this server's
own pages) and redirects to the clean address, so the token does not stay
in the address bar.  Then every request must carry the token, in that
cookie or as ``Authorization: Bearer <token>`` (for scripts)::

    token = new_token()
    app.add_middleware(TokenGate, token=token, lang=...)
    print(f"http://{host}:{port}/?token={token}")

Without it, an API call is answered 401 (no token) or 403 (a wrong one) with
a JSON message, and a page with a short HTML page saying to open the
address printed in the terminal.  :class:`TokenGate` knows nothing else of
the app: another server (a teacher's) can use it with its own token and
cookie name.
"""

from __future__ import annotations

import hmac
import secrets
from html import escape
from urllib.parse import parse_qsl, quote, urlencode

from reseau.i18n import t
from reseau.web.errors import error_json
from reseau.web.middleware import WEBSOCKET_REFUSED, Lang, answer, header

TOKEN_BYTES = 24  # random bytes of a token (32 characters once written in base64)
COOKIE = "reseau-token"  # the cookie's name; the server's port is added (cookies ignore ports)
QUERY = "token"  # the address's parameter: /?token=...
OPEN_PATHS = ("/static/",)  # the page's scripts and styles: the same for everyone, in the package


def new_token() -> str:
    """A fresh random token, safe in a URL and in a cookie (``secrets.token_urlsafe``)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def same_token(given: str, token: str) -> bool:
    """Is ``given`` the token?  Compared in constant time, so the answer's delay tells nothing."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode())


def cookies(scope: dict) -> dict[str, str]:
    """The request's cookies, ``name=value; name2=value2`` (a malformed part is skipped)."""
    found: dict[str, str] = {}
    for part in (header(scope, b"cookie") or "").split(";"):
        name, sep, value = part.partition("=")
        if sep and name.strip():
            found.setdefault(name.strip(), value.strip())
    return found


def port_cookie(scope: dict, name: str) -> str:
    """The cookie ``name`` of the server's port: two servers on one computer keep their own (cookies ignore ports)."""
    port = (scope.get("server") or (None, None))[1]
    return f"{name}-{port}" if port else name


def bearer(scope: dict) -> str | None:
    """The token of ``Authorization: Bearer <token>``, or None."""
    scheme, _, value = (header(scope, b"authorization") or "").strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


class TokenGate:
    """Let through only the requests that carry ``token`` (everything but ``OPEN_PATHS``).

    ``api`` is the path prefix answered in JSON (401/403 with a message);
    other paths are pages: without the token they get a short HTML page in
    the request's language, and a GET with ``?token=<token>`` sets the
    cookie and redirects to the same address without the token.
    """

    def __init__(self, app, token: str, lang: Lang, cookie: str = COOKIE, api: str = "/api/") -> None:
        self.app = app
        self.token = token
        self.lang = lang
        self.cookie = cookie
        self.api = api

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        is_page = not scope["path"].startswith(self.api)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        in_url = [value for name, value in query if name == QUERY]
        if is_page and in_url and scope.get("method") in ("GET", "HEAD"):
            if same_token(in_url[0], self.token):
                await self._let_in(scope, send, [(n, v) for n, v in query if n != QUERY])
            else:
                await self._refuse(scope, send, 403, is_page)
            return
        given = [g for g in (bearer(scope), cookies(scope).get(port_cookie(scope, self.cookie))) if g is not None]
        if any(same_token(g, self.token) for g in given):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send(WEBSOCKET_REFUSED)
        else:
            await self._refuse(scope, send, 403 if given else 401, is_page)

    async def _let_in(self, scope: dict, send, rest: list[tuple[str, str]]) -> None:
        """The token was in the address: set the cookie, send the browser to the address without it.

        The redirect is made by a small page (``<meta http-equiv="refresh">``),
        not by an HTTP redirect: a browser that followed a link to the address
        from another site (a chat, a course page) would not send a SameSite=Strict
        cookie after an HTTP redirect, even on reload; a page of this server
        asking for the clean address makes it a same-site navigation.
        """
        path = "/" + quote(scope["path"]).lstrip("/")  # "//evil.example" would send the browser to another site
        clean = escape(path + ("?" + urlencode(rest) if rest else ""))
        cookie = f"{port_cookie(scope, self.cookie)}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        headers = [
            (b"set-cookie", cookie.encode()),
            (b"cache-control", b"no-store"),
            (b"referrer-policy", b"no-referrer"),  # the address with the token is sent to no one
        ]
        lang = self.lang(scope)
        opening = escape(t("web.token.opening", lang=lang))
        link = f'<a href="{clean}">{opening}</a>'
        html = html_page(lang, link, head=f'<meta http-equiv="refresh" content="0; url={clean}">')
        await answer(send, 200, html, headers, HTML)

    async def _refuse(self, scope: dict, send, status: int, is_page: bool) -> None:
        lang = self.lang(scope)
        key = "web.error.token_missing" if status == 401 else "web.error.token_wrong"
        headers = [(b"www-authenticate", b'Bearer realm="reseau"')] if status == 401 else []
        if is_page:
            await answer(send, status, html_page(lang, escape(t(key, lang=lang))), headers, HTML)
        else:
            await answer(send, status, error_json(key, lang), headers)


def html_page(lang: str, text: str, head: str = "") -> bytes:
    """The short HTML page of the gate: its title, ``text`` (HTML) and ``head`` (HTML) in :data:`PAGE`."""
    return PAGE.format(lang=lang, head=head, title=escape(t("web.token.title", lang=lang)), text=text).encode()


HTML = b"text/html; charset=utf-8"
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}
<style>body {{ font: 1.1rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; }}</style>
</head><body><h1>{title}</h1><p>{text}</p></body></html>
"""
