"""Shared fixtures: real MNIST from ../shared/data/mnist (or RESEAU_DATA), and user folders in a temp dir.

Nothing here touches the real user cache, data dir or Keras cache: XDG_* and
HOME point into a temporary folder for the whole session, removed when it ends.

Under ``CI=true`` (``.ci/run`` sets it) a skipped test is a failed test: a test skips when a tool or a file it
needs is missing (Chromium, Xvfb, xdotool, Fashion-MNIST, a package of the ``test`` extra), and CI installs them
all, so a green CI means every test ran. A skip that is about the system, not a missing tool (another platform,
no root), is marked ``@pytest.mark.may_skip`` and stays a skip.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's: Playwright's own download fails offline
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MNIST_DIR = Path(os.environ.get("RESEAU_DATA") or ROOT.parent / "shared" / "data" / "mnist").resolve()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}  # set by .ci/run (and by most CI services)

_SANDBOX = Path(tempfile.mkdtemp(prefix="reseau-tests-"))
for _var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())
    (_SANDBOX / _var.lower()).mkdir()
os.environ["RESEAU_DATA"] = str(MNIST_DIR)
os.environ["RESEAU_LANG"] = "fr"
os.environ["MPLBACKEND"] = "Agg"
os.environ.pop("RESEAU_MODEL", None)
os.environ.pop("RESEAU_MIRROR", None)
os.environ.pop("DISPLAY", None)
os.environ.pop("WAYLAND_DISPLAY", None)
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    # Started in the background of a script (`pytest &`), which ignores Ctrl-C: its children would inherit that,
    # and the tests that press Ctrl-C in a `reseau` process would see nothing happen.
    signal.signal(signal.SIGINT, signal.default_int_handler)
# pytest rewrites the asserts of every module of a package that ships a pytest plugin (anyio and platformdirs
# do), and the parser of CPython 3.11 keeps one recursion counter for all threads: such a module imported for the
# first time in a server's or a training's thread, while another thread parses, can fail with "SystemError: AST
# constructor recursion depth mismatch" (python/cpython#106905; seen once in CI: anyio._core._fileio, imported by
# starlette on the first static file served, and the page came back empty). So every module of the two packages
# that reseau's threads use is imported here, in the main thread, before any test starts one.
def _import_whole(package: str) -> None:
    for module in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        with contextlib.suppress(ImportError):  # a backend whose library is not installed (anyio's trio)
            importlib.import_module(module.name)


for _package in ("anyio", "platformdirs"):
    _import_whole(_package)

# numba's compiled kernels are cached beside the sources; keep that as is (it is what users get)


def pytest_report_header(config):
    return f"MNIST from {MNIST_DIR}; user folders in {_SANDBOX}"


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject.toml): one worker per core this process may use, at most 4 (each holds MNIST)."""
    return min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _skip_reason(report) -> str:
    """The reason a skip report gives (pytest keeps it as (file, line, reason))."""
    return report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)


def _fail_the_skip(report, where: str) -> None:
    """Turn a skip report into a failure that says what was missing and how CI gets it."""
    report.outcome = "failed"
    report.longrepr = (f"skipped under CI=true ({where}): {_skip_reason(report)}\n"
                       "CI must run every test: install what is missing (.ci/run does), or mark a skip that is "
                       "not about a missing tool @pytest.mark.may_skip (tests/conftest.py)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI, a test that skips (pytest.skip, skipif, importorskip) fails, unless it is marked may_skip."""
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail") and not item.get_closest_marker("may_skip"):
        _fail_the_skip(report, "test")
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """The same for a whole file skipped while it is imported (a module-level importorskip)."""
    report = yield
    if IN_CI and report.skipped:
        _fail_the_skip(report, "file")
    return report


def pytest_unconfigure(config):
    """The session is over: remove its user folders and what the tests wrote there."""
    shutil.rmtree(_SANDBOX, ignore_errors=True)


@pytest.fixture(autouse=True)
def _french_first():
    """Each test starts in French (RESEAU_LANG above): a `--lang en` in the test before sets the whole process's."""
    from reseau.i18n import set_language

    set_language("fr")


@pytest.fixture(scope="module", autouse=True)
def _french_module():
    """The same for a module's shared fixtures (an app made once per file takes the language of its making)."""
    from reseau.i18n import set_language

    set_language("fr")


@pytest.fixture(scope="session")
def site_folder(tmp_path_factory, mnist_dir) -> Path:
    """The folder ``reseau site`` writes (no drawing network), made once per test process; its reference study is a
    small one (two factors, two values, two seeds, 1 000 images: a few seconds)."""
    from reseau.experiments import build_studies
    from reseau.site import write_site

    folder = tmp_path_factory.mktemp("site")
    studies = build_studies(vary=["epochs=1,2", "lr=0.01,1"], seeds=2, limit=1000)
    write_site(folder, data_dir=mnist_dir, studies=studies)
    return folder


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    if not (MNIST_DIR / "train-images-idx3-ubyte.gz").is_file():
        pytest.fail(f"MNIST files not found in {MNIST_DIR}: set RESEAU_DATA or put ../shared beside the repo")
    return MNIST_DIR


@pytest.fixture(scope="session")
def train_data(mnist_dir):
    """The document's arrays: images (60000, 784) float32, labels (60000, 10) one-hot."""
    from reseau.data import freeze, get_mnist

    images, labels = get_mnist("train", data_dir=mnist_dir)
    freeze(images, labels)  # shared by many tests: nobody may change it
    return images, labels


@pytest.fixture(scope="session")
def test_data(mnist_dir):
    from reseau.data import freeze, get_mnist

    images, labels = get_mnist("test", data_dir=mnist_dir)
    freeze(images, labels)
    return images, labels


@pytest.fixture(scope="session")
def trained(train_data, test_data):
    """The document's network trained with its defaults (3 epochs, seed 0), as a SavedModel."""
    from reseau import faithful
    from reseau.modelfile import ModelInfo, SavedModel

    config = faithful.FaithfulConfig()
    network, history = faithful.train(*train_data, config, test=test_data)
    return SavedModel(network, ModelInfo.build(config, history, preset="document"))


@pytest.fixture(scope="session")
def model_file(trained, tmp_path_factory) -> Path:
    """A saved model file of the default network."""
    from reseau import modelfile

    return modelfile.save(trained, tmp_path_factory.mktemp("model") / "model.safetensors")


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for one test file's pages (the browser tests skip themselves without it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def watched_page(browser, init_script: str | None = None, **context_options):
    """A page in a fresh browser context (``context_options``: viewport, touch...), closed afterwards; the test
    fails if the page raised any JavaScript error."""
    context = browser.new_context(**context_options)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(20000)
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors  # no JavaScript error


def wait_idle(client, timeout: float = 60.0) -> dict:
    """The web app's training status once no run is going (or after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        status = client.get("/api/train").json()
        if status["state"] != "running" or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the browser tests save their screenshots: RESEAU_SCREENSHOTS (to refresh docs/), else a temp folder."""
    folder = os.environ.get("RESEAU_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
