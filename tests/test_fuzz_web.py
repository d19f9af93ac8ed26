"""Random and malformed requests against the web app (hypothesis), in-process through httpx's ASGI transport.

Methods, paths, query strings, headers (Host, Origin, Content-Type,
Last-Event-ID, Cookie, Authorization, ...) and bodies (JSON or not) are
drawn at random, and also bent from the requests the page really sends.
Every answer must be a 2xx, 3xx or 4xx (never a 500, never a traceback),
come within :data:`TIMEOUT`, and leave the model file as it was.  Nothing is
trained: the trainer's ``start`` is replaced by a recorder, so a training
the server accepts is counted, not run.

The number of examples is fixed so the file stays within the test budget;
``RESEAU_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz_web.py`` runs a
longer fuzz.  The count of requests tried is printed at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import string
from pathlib import Path
from urllib.parse import quote, urlencode

import anyio
import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseau.web import create_app

EXAMPLES = int(os.environ.get("RESEAU_FUZZ_EXAMPLES", "250"))  # per test below (5 tests)
TIMEOUT = 30.0  # seconds: a request that takes longer is a hang
BASE = "http://127.0.0.1:8000"  # the address the in-process requests are sent to
SECRET = "NOT-FOR-THE-WEB"  # written in a file beside the experiments folder: never served
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a busy machine: time is not what is tested
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
TRIED = {"requests": 0, "trainings": 0}  # counted over the whole file, printed at the end


# ---------------------------------------------------------------------------
# The apps under test and a way to send them requests
# ---------------------------------------------------------------------------


class Site:
    """One app, its model file, what it trained (nothing, really), and a portal to send it requests."""

    def __init__(self, app, model: Path, portal) -> None:
        self.app = app
        self.model = model
        self.portal = portal
        self.before = (hashlib.sha256(model.read_bytes()).hexdigest(), model.stat().st_mtime_ns)
        self.plans: list = []
        app.state.ctx.trainer.start = self.plans.append  # a training the server accepts is recorded, not run

    def send(self, method: str, url: str, headers: dict[str, bytes] | None = None, body: bytes | None = None):
        """The app's answer to one request (after checking it is neither a crash nor a hang)."""
        TRIED["requests"] += 1
        future = self.portal.start_task_soon(self._send, method, url, headers or {}, body)
        response = future.result(timeout=TIMEOUT + 5)  # raises if the app never answers
        assert response.status_code < 500, (method, url, headers, body, response.status_code, response.text)
        assert "Traceback" not in response.text
        json_error = response.headers.get("content-type", "").startswith("application/json") and method != "HEAD"
        if response.status_code >= 400 and json_error:
            assert response.json()["detail"]  # a clear message, in words
        return response

    async def _send(self, method, url, headers, body) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)  # an exception in the app is raised here: the test fails
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            with anyio.fail_after(TIMEOUT):
                return await client.request(method, BASE + url, headers=headers, content=body)  # "//x" is a path

    def unchanged(self) -> bool:
        digest = hashlib.sha256(self.model.read_bytes()).hexdigest()
        return (digest, self.model.stat().st_mtime_ns) == self.before


@pytest.fixture(scope="module")
def portal():
    with start_blocking_portal() as portal:
        yield portal


def make_site(model_file: Path, folder: Path, portal, host: str) -> Site:
    """An app on its own models folder (the model in use and one more), with experiments and a secret beside."""
    folder.mkdir()
    model = Path(shutil.copy(model_file, folder / "model.safetensors"))
    shutil.copy(model_file, folder / "other.safetensors")
    (folder / "broken.safetensors").write_bytes(b"\x00" * 32)
    experiments = folder / "experiments"
    (experiments / "plots").mkdir(parents=True)
    (experiments / "report.md").write_text("# Résultats\n")
    (experiments / "report.html").write_text("<h1>Résultats</h1>")
    (experiments / "plots" / "lr.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "secret.md").write_text(SECRET)
    (experiments / "leak.md").symlink_to(folder / "secret.md")
    app = create_app(model, experiments_dir=experiments, train_if_missing=False, host=host)
    return Site(app, model, portal)


@pytest.fixture(scope="module")
def local(model_file, tmp_path_factory, portal):
    """The app as ``reseau web`` serves it by default (127.0.0.1, no token)."""
    site = make_site(model_file, tmp_path_factory.mktemp("fuzz") / "local", portal, "127.0.0.1")
    yield site
    assert site.unchanged()


@pytest.fixture(scope="module")
def exposed(model_file, tmp_path_factory, portal):
    """The app as ``reseau web --host 0.0.0.0`` makes it (a token)."""
    site = make_site(model_file, tmp_path_factory.mktemp("fuzz") / "exposed", portal, "0.0.0.0")
    yield site
    assert site.unchanged()


@pytest.fixture(scope="module", autouse=True)
def summary(request):
    """Print how many requests were tried, at the end of the file (with or without ``-s``)."""
    yield
    line = f"web fuzz: {TRIED['requests']} requests tried ({TRIED['trainings']} trainings accepted: recorded, not run)"
    capture = request.config.pluginmanager.getplugin("capturemanager")  # what capsys.disabled() uses
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")


# ---------------------------------------------------------------------------
# What requests are made of
# ---------------------------------------------------------------------------

ROUTES = [
    ("GET", "/"),
    ("GET", "/api/messages"),
    ("GET", "/api/options"),
    ("GET", "/api/model"),
    ("GET", "/api/models"),
    ("GET", "/api/dataset/train/0"),
    ("GET", "/api/dataset/test/9999"),
    ("GET", "/api/train"),
    ("GET", "/api/train/events"),
    ("GET", "/api/experiments"),
    ("GET", "/experiments/report.html"),
    ("GET", "/static/app.js"),
    ("POST", "/api/predict"),
    ("POST", "/api/train"),
    ("POST", "/api/train/estimate"),
    ("POST", "/api/train/stop"),
]
POSTS = [path for method, path in ROUTES if method == "POST"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

latin1 = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40)
header_value = st.one_of(
    latin1.map(lambda s: s.encode("latin-1")), st.binary(max_size=40).filter(lambda b: not set(b) & {0, 10, 13})
)
numbers = st.one_of(
    st.integers(-(2**70), 2**70), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, 1, 28, 280])
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | st.text(max_size=20),
    lambda children: st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=10), children, max_size=6),
    max_leaves=30,
)
grey = st.one_of(st.floats(0, 1), st.sampled_from([0, 1, -1, 2, "0.5", None, 1e308]))
predict_bodies = st.fixed_dictionaries(
    {"width": st.one_of(st.integers(-3, 300), numbers), "height": st.one_of(st.integers(-3, 300), numbers)},
    optional={
        "pixels": st.lists(grey, max_size=64),
        "preprocess": st.one_of(st.booleans(), json_values),
        "model": st.one_of(
            st.sampled_from(
                [
                    "model.safetensors",
                    "other.safetensors",
                    "broken.safetensors",
                    "../model.safetensors",
                    "/etc/passwd",
                    "none.safetensors",
                    "",
                    ".",
                    "experiments/x.safetensors",
                ]
            ),
            st.text(max_size=30),
        ),
        "colour": json_values,
    },
)
small_ints = st.one_of(st.integers(-5, 5000), numbers, st.text(max_size=5))
int_lists = st.one_of(st.lists(small_ints, max_size=5), json_values)
train_bodies = st.fixed_dictionaries(
    {},
    optional={
        "mode": st.one_of(st.sampled_from(["faithful", "modern", "cnn", "magic", None]), json_values),
        "preset": st.one_of(st.sampled_from(["document", "better", "best", "cnn", "dessin", "nope", None]), latin1),
        "epochs": small_ints,
        "hidden": small_ints,
        "layers": int_lists,
        "conv": int_lists,
        "kernels": int_lists,
        "dense": int_lists,
        "learn_rate": st.one_of(st.floats(allow_nan=True, allow_infinity=True), json_values),
        "seed": small_ints,
        "batch_size": small_ints,
    },
)


def to_json(value) -> bytes:
    """JSON as Python writes it (NaN and Infinity included: a client may send them)."""
    return json.dumps(value).encode()


bodies = st.one_of(
    st.none(),
    st.binary(max_size=200),
    json_values.map(to_json),
    predict_bodies.map(to_json),
    train_bodies.map(to_json),
    st.sampled_from([b"{", b'{"width": 2,', b"[]", b"null", b'"abc"', b"\xff\xfe", b"{}" * 1000, b"NaN"]),
)
content_types = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "APPLICATION/JSON",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            ";",
            "application/json;;;",
        ]
    ),
    latin1,
)
hosts = st.one_of(
    st.sampled_from(
        [
            "127.0.0.1:8000",
            "localhost:8000",
            "[::1]:8000",
            "127.0.0.1",
            "evil.example",
            "[::1",
            "localhost:99999",
            "0.0.0.0:8000",
            "192.168.1.10:8000",
            "",
            ":",
            "[]",
        ]
    ),
    latin1,
)
origins = st.one_of(
    st.sampled_from([BASE, "http://evil.example", "null", "http://localhost:8000", "https://127.0.0.1:8000", "", "x"]),
    latin1,
)
paths = st.one_of(
    st.sampled_from([p for _, p in ROUTES]),
    st.sampled_from(
        [
            "/api/dataset/train/-1",
            "/api/dataset/train/60000",
            "/api/dataset/x/1",
            "/api/dataset/test/99999999999999999999999",
            "/experiments/%2e%2e/secret.md",
            "/experiments/../secret.md",
            "/experiments/leak.md",
            "/experiments/..%2fsecret.md",
            "/experiments/plots/lr.png",
            "/experiments/%00",
            "/static/../app.py",
            "/static/%2e%2e/app.py",
            "//evil.example/",
            "/api/",
            "/api/openapi.json",
            "/api/docs",
            "/experiments/" + "a" * 300,
        ]
    ),
    st.lists(st.text(string.printable + "éあ²%", max_size=12), min_size=1, max_size=4).map(
        lambda parts: "/" + "/".join(quote(p, safe="%./") for p in parts)
    ),
    st.tuples(
        st.sampled_from(["/api/dataset/train/", "/api/dataset/test/", "/experiments/", "/static/"]),
        st.text(string.printable + "é²", max_size=20),
    ).map(lambda t: t[0] + quote(t[1], safe="%./")),
)
queries = st.dictionaries(
    st.sampled_from(["lang", "since", "model", "token", "index", "x", ""]),
    st.one_of(st.sampled_from(["fr", "en", "-1", "0", "99999999999999999999", "", "1e3"]), st.text(max_size=15)),
    max_size=3,
)
extra_headers = st.fixed_dictionaries(
    {},
    optional={
        "origin": origins.map(lambda s: s.encode("latin-1")),
        "sec-fetch-site": st.sampled_from([b"same-origin", b"same-site", b"cross-site", b"none", b""]),
        "last-event-id": st.one_of(
            header_value, st.sampled_from([b"0", b"-1", b"\xb2", b"9" * 5000, b"1.5", b"00", b"18446744073709551616"])
        ),
        "cookie": header_value,
        "authorization": st.one_of(header_value, st.sampled_from([b"Bearer", b"Bearer ", b"Basic abc", b"bearer x"])),
        "accept-language": st.one_of(header_value, st.sampled_from([b"en-GB,en;q=0.9", b"fr", b"*", b";q=0"])),
    },
)


def with_query(path: str, query: dict) -> str:
    return path + ("?" + urlencode(query) if query else "")


def headers_of(host, content_type, extra) -> dict[str, bytes]:
    headers = dict(extra)
    if host is not None:
        headers["host"] = host.encode("latin-1")
    if content_type is not None:
        headers["content-type"] = content_type.encode("latin-1")
    return headers


def note_training(site: Site, method: str, url: str, response: httpx.Response) -> None:
    if method == "POST" and url.split("?")[0] == "/api/train" and response.status_code == 202:
        TRIED["trainings"] += 1


# ---------------------------------------------------------------------------
# The fuzz tests
# ---------------------------------------------------------------------------


@FUZZ
@given(
    method=st.sampled_from(METHODS),
    path=paths,
    query=queries,
    host=st.one_of(st.none(), hosts),
    content_type=content_types,
    extra=extra_headers,
    body=bodies,
)
def test_anything_at_all(local, method, path, query, host, content_type, extra, body):
    """Any method, path, query, headers and body: a 4xx at worst, and nothing changes unless it may."""
    url = with_query(path, query)
    headers = headers_of(host, content_type, extra)
    response = local.send(method, url, headers, body if method not in ("GET", "HEAD") else None)
    note_training(local, method, url, response)
    if response.status_code < 400 and method not in ("GET", "HEAD", "OPTIONS"):  # something may have changed:
        assert host is None or host.split(":")[0].strip("[]").lower() in ("127.0.0.1", "localhost", "::1")
        assert method != "POST" or (content_type or "").split(";")[0].strip().lower() == "application/json"
        origin = extra.get("origin", b"http://" + (host or "127.0.0.1:8000").encode("latin-1"))
        assert origin.decode("latin-1").lower().partition("://")[2] == (host or "127.0.0.1:8000").lower()
        assert extra.get("sec-fetch-site", b"") not in (b"cross-site", b"same-site")
    assert local.unchanged()


@FUZZ
@given(path=st.sampled_from(POSTS), body=bodies, query=queries, lang=st.sampled_from([b"fr", b"en", b"de"]))
def test_bodies_of_the_pages_requests(local, path, body, query, lang):
    """The page's own POSTs (right headers), with random and bent bodies."""
    url = with_query(path, query)
    headers = {"content-type": b"application/json", "origin": BASE.encode(), "accept-language": lang}
    response = local.send("POST", url, headers, body)
    note_training(local, "POST", url, response)
    assert local.unchanged()


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST"]),
    path=st.sampled_from([p for _, p in ROUTES]),
    token=st.sampled_from(["right", "wrong", "empty", "none"]),
    where=st.sampled_from(["cookie", "bearer", "query", "cookie+bearer"]),
    cookie_port=st.sampled_from([8000, 8001]),
    noise=extra_headers,
)
def test_the_token_lets_in_only_its_holders(exposed, method, path, token, where, cookie_port, noise):
    """On a server open to the network, nothing but the page's files without the right token."""
    secret = exposed.app.state.token
    given_token = {"right": secret, "wrong": secret[:-1] + ("A" if secret[-1] != "A" else "B"), "empty": ""}.get(token)
    headers = {k: v for k, v in noise.items() if k not in ("cookie", "authorization", "origin", "sec-fetch-site")}
    headers["content-type"] = b"application/json"
    query = {}
    if given_token is not None:
        if "cookie" in where:
            headers["cookie"] = f"theme=dark; reseau-token-{cookie_port}={given_token}".encode()
        if "bearer" in where:
            headers["authorization"] = f"Bearer {given_token}".encode()
        if where == "query":
            query = {"token": given_token}
    url = with_query(path, query)
    response = exposed.send(method, url, headers, b"{}" if method == "POST" else None)
    note_training(exposed, method, url, response)
    # the token in a cookie (of this port) or a header lets in; in the address, it only sets the cookie
    holds = token == "right" and where != "query" and (where != "cookie" or cookie_port == 8000)
    status = response.status_code
    if "set-cookie" in response.headers:  # only a page, with the right token in its address
        assert where == "query" and token == "right" and not path.startswith("/api/") and method == "GET"
        assert secret in response.headers["set-cookie"] and secret not in response.text
    elif not path.startswith("/static/"):  # the page's own files are open to all
        assert (status not in (401, 403)) == holds, (method, path, token, where, cookie_port, status)
    assert exposed.unchanged()


@FUZZ
@given(path=paths, query=queries, lang=st.sampled_from([b"fr", b"en"]))
def test_paths_never_leave_their_folders(local, path, query, lang):
    """Random paths and traversals: the file beside the experiments folder is never served."""
    response = local.send("GET", with_query(path, query), {"accept-language": lang})
    assert SECRET not in response.text
    assert local.unchanged()


@FUZZ
@given(last=extra_headers.map(lambda h: h.get("last-event-id", b"")), since=st.one_of(st.integers(), latin1))
def test_the_event_stream_with_any_last_event_id(local, last, since):
    """The events stream (no run going: it ends at once) with any Last-Event-ID and ``since``."""
    response = local.send("GET", with_query("/api/train/events", {"since": since}), {"last-event-id": last})
    if response.status_code == 200:
        assert response.text.startswith("retry:") and '"kind": "end"' in response.text
    assert local.unchanged()
