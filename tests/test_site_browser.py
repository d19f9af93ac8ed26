"""The folder ``reseau site`` writes, in Chromium: through a static web server, and opened as a file.

Every request the page makes outside the folder (another origin) is aborted and counted: there must be
none.  Chromium runs with its usual rules for files (no ``--allow-file-access-from-files``): a page
opened as a file may not fetch, nor start a module worker — the folder must work all the same.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from conftest import watched_page

WAYS = ("server", "file")  # a static web server on 127.0.0.1, or index.html opened as a file


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no line per request in the test's output
        pass


@pytest.fixture(scope="module")
def served(site_folder):
    """A static web server on 127.0.0.1 serving the site's folder (any static host would do the same)."""
    handler = functools.partial(Quiet, directory=str(site_folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def address(way: str, folder: Path, served: str | None) -> tuple[str, str]:
    """The page's address and the prefix every request it makes must start with."""
    if way == "file":
        return (folder / "index.html").as_uri(), folder.as_uri()
    return f"{served}/index.html", served


class Site:
    """A page of the site in a fresh browser context; requests outside ``inside`` are aborted and kept."""

    def __init__(self, page, url: str, inside: str) -> None:
        self.page, self.url, self.foreign = page, url, []
        page.route("**/*", lambda route: self.only_inside(route, inside))

    def only_inside(self, route, inside: str) -> None:
        url = route.request.url
        if url.startswith((inside, "data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def open(self, hash_: str = "") -> float:
        """Open the page; the seconds until it is ready to draw."""
        started = time.perf_counter()
        self.page.goto(self.url + hash_)
        self.page.wait_for_selector("body[data-ready=true]", state="attached")
        return time.perf_counter() - started


@pytest.fixture(params=WAYS)
def site(request, browser, site_folder):
    served = request.getfixturevalue("served") if request.param == "server" else None
    url, inside = address(request.param, site_folder, served)
    with watched_page(browser) as page:
        site = Site(page, url, inside)
        yield site
        assert site.foreign == []  # nothing asked of anywhere but the folder


def test_the_site_opens_and_names_the_documents_network(site):
    seconds = site.open()
    page = site.page
    status = page.inner_text("#model-status")
    assert "784-20-10" in status and "93,32" in status
    assert page.is_hidden("#error")
    print(f"ready in {seconds:.2f} s")


def draw_a_seven(page) -> None:
    box = page.locator("#pad").bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + 0.25 * w, y + 0.2 * h)
    page.mouse.down()
    for px, py in [(0.75, 0.2), (0.7, 0.35), (0.55, 0.6), (0.45, 0.85)]:
        page.mouse.move(x + px * w, y + py * h, steps=6)
    page.mouse.up()


def test_a_drawing_is_answered_in_the_browser(site):
    site.open()
    page = site.page
    draw_a_seven(page)
    page.wait_for_function("document.getElementById('draw-answer').dataset.digit !== undefined"
                           " && document.getElementById('draw-answer').dataset.digit !== ''")
    assert re.fullmatch(r"\d", page.get_attribute("#draw-answer", "data-digit"))


def test_one_step_gives_the_documents_numbers(site):
    site.open("#step")
    page = site.page
    page.click("#step-one")
    page.wait_for_function("document.getElementById('view-step').textContent.includes('0,3288')")
    text = page.inner_text("#view-step")
    assert "0,3152" in text and "0,3288" in text


def test_english_is_one_click_away(site):
    site.open()
    site.page.click("button[data-lang=en]")
    site.page.wait_for_function("document.documentElement.lang === 'en'")
    assert "recognised" in site.page.inner_text("#model-status")


# ---------------------------------------------------------------------------
# What goes wrong: one clear sentence, nothing computed lost
# ---------------------------------------------------------------------------


@pytest.fixture
def damaged_folder(site_folder, tmp_path):
    """A copy of the site whose test labels are missing and test images cut in the middle."""
    folder = tmp_path / "site"
    shutil.copytree(site_folder, folder)
    (folder / "files" / "mnist" / "t10k-labels-idx1-ubyte.gz.js").unlink()
    return folder


def test_a_missing_data_file_is_one_sentence(browser, damaged_folder):
    url, inside = address("file", damaged_folder, None)
    with watched_page(browser) as page:
        site = Site(page, url, inside)
        site.open("#browse")
        page.select_option("#browse-split", "test")
        page.fill("#browse-index", "3")
        page.press("#browse-index", "Enter")
        page.wait_for_selector("#error:not([hidden])", timeout=60_000)  # a busy machine reads the images slowly
        assert "t10k-labels-idx1-ubyte.gz" in page.inner_text("#error-text")
        assert "reseau site" in page.inner_text("#error-text")
        assert site.foreign == []


def test_a_browser_that_refuses_storage_still_shows_the_lesson(browser, site_folder):
    refuse = "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('no'); }});"
    url, inside = address("file", site_folder, None)
    with watched_page(browser, init_script=refuse) as page:
        site = Site(page, url, inside)
        site.open()
        assert "784-20-10" in page.inner_text("#model-status")


def test_a_browser_without_workers_says_so_and_keeps_the_rest(browser, site_folder):
    url, inside = address("file", site_folder, None)
    with watched_page(browser, init_script="delete window.Worker;") as page:
        site = Site(page, url, inside)
        site.open()
        draw_a_seven(page)  # drawing needs no worker
        page.wait_for_function("(document.getElementById('draw-answer').dataset.digit || '') !== ''")
        page.click("a[data-view=train]")
        page.click("#train-start")
        page.wait_for_selector("#error:not([hidden])")
        said = page.inner_text("#error-text")
        assert "Web Worker" in said or "navigateur" in said
        assert page.get_attribute("#draw-answer", "data-digit") != ""  # the answer already given stays
        assert site.foreign == []


def test_a_browser_without_decompression_says_so(browser, site_folder):
    url, inside = address("file", site_folder, None)
    with watched_page(browser, init_script="delete window.DecompressionStream;") as page:
        site = Site(page, url, inside)
        site.open("#browse")
        page.fill("#browse-index", "0")
        page.press("#browse-index", "Enter")
        page.wait_for_selector("#error:not([hidden])")
        assert "DecompressionStream" in page.inner_text("#error-text")
        assert "784-20-10" in page.inner_text("#model-status")  # the page itself still works


def test_phone_screenshots_of_the_site(browser, site_folder, shots):
    url, inside = address("file", site_folder, None)
    for name, size in {"phone": (390, 844), "tablet": (768, 1024)}.items():
        options = {"viewport": {"width": size[0], "height": size[1]}, "has_touch": True, "is_mobile": True,
                   "device_scale_factor": 2}  # fmt: skip
        with watched_page(browser, **options) as page:
            site = Site(page, url, inside)
            site.open()
            draw_a_seven(page)
            page.wait_for_function("(document.getElementById('draw-answer').dataset.digit || '') !== ''")
            answer = page.locator("#draw-answer").bounding_box()
            assert answer["y"] + answer["height"] <= size[1]  # the answer is on screen, no scrolling
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0]  # nothing sideways
            page.screenshot(path=str(shots / f"site-{name}-draw.png"))
            assert site.foreign == []


# ---------------------------------------------------------------------------
# A site with a drawing network (a small convolutional one, trained here, saved as the « dessin » preset's)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_with_drawing(tmp_path_factory, mnist_dir, train_data):
    from reseau import modelfile
    from reseau.history import History
    from reseau.site import write_site
    from reseau.training import cnn
    from reseau.training.cnn_config import CNNConfig

    images, labels = train_data
    config = CNNConfig(conv=(4, 8), kernels=(5, 3), dense=(16,), epochs=1, batch_size=32, val_size=0)
    network, history = cnn.train(images[:2000], labels[:2000], config)
    info = modelfile.ModelInfo.build(config, history or History(), preset="dessin")
    model = tmp_path_factory.mktemp("models") / "mine.safetensors"
    modelfile.save(modelfile.SavedModel(network, info), model)
    folder = tmp_path_factory.mktemp("site-dessin")
    report = write_site(folder, drawing=model, data_dir=mnist_dir)
    assert report.missing == []
    return folder


def test_the_drawing_network_answers_in_the_site_with_its_feature_maps(browser, site_with_drawing):
    url, inside = address("file", site_with_drawing, None)
    with watched_page(browser) as page:
        site = Site(page, url, inside)
        site.open()
        assert page.input_value("#draw-model") == "dessin.safetensors"  # the drawing network is the default pick
        draw_a_seven(page)
        page.wait_for_function("(document.getElementById('draw-answer').dataset.digit || '') !== ''")
        page.wait_for_selector("#draw-maps-box:not([hidden])")  # a convolutional network shows its first maps
        assert site.foreign == []
