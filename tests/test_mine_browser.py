"""« Mes chiffres » in Chromium: ten digits drawn appear in the tab's table, kept across a reload, exported as IDX
files that ``reseau evaluate`` reads (the same count read right as the page's table), imported back; a browser that
refuses storage says so in one sentence and loses nothing on the page; the static site (opened as a file) too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CHROMIUM, watched_page

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from reseau import digitset, modelfile  # noqa: E402
from reseau.i18n import t  # noqa: E402
from reseau.web import create_app  # noqa: E402
from reseau.web.server import BackgroundServer  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")
MODEL = Path(__file__).parent / "data" / "v0.1-faithful.safetensors"  # the document's network: loads in no time
STROKES = [  # a few shapes, in fractions of the pad: what is drawn does not matter, the digit asked is its label
    [(0.5, 0.15), (0.5, 0.85)],
    [(0.3, 0.2), (0.7, 0.2), (0.4, 0.85)],
    [(0.35, 0.2), (0.65, 0.3), (0.3, 0.8), (0.7, 0.8)],
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mine")
    path = shutil.copy(MODEL, folder / "model.safetensors")
    app = create_app(path, experiments_dir=folder / "experiments")
    with BackgroundServer(app) as running:
        yield running.url


def draw(page, points) -> None:
    box = page.locator("#mine-pad").bounding_box()
    xy = [(box["x"] + px * box["width"], box["y"] + py * box["height"]) for px, py in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def write_digits(page, n: int) -> list[int]:
    """Draw ``n`` digits where the tab asks for them; the digits asked, in order."""
    asked = []
    for k in range(n):
        prompt = page.locator("#mine-prompt")
        digit = int(prompt.get_attribute("data-digit"))
        asked.append(digit)
        draw(page, STROKES[k % len(STROKES)])
        page.click("#mine-keep")
        expect(page.locator("#mine-progress")).to_contain_text(f"{k + 1} ")
        expect(page.locator("#mine-keep")).to_be_enabled()  # kept: the next digit is asked
    return asked


def total(page) -> tuple[int, str]:
    cell = page.locator('#mine-table tr[data-network="model.safetensors"] td.total')
    return int(cell.get_attribute("data-count")), cell.get_attribute("title")


def test_ten_digits_drawn_appear_in_the_table_and_go_out_as_idx(browser, server, tmp_path):
    with watched_page(browser, viewport={"width": 1200, "height": 900}) as page:
        page.goto(f"{server}#mine")
        page.wait_for_selector("body[data-ready=true]")
        expect(page.locator("#mine-empty")).to_be_visible()
        asked = write_digits(page, 10)
        assert sorted(set(asked)) != [] and all(0 <= d <= 9 for d in asked)
        expect(page.locator('#mine-table tr[data-network="model.safetensors"] td.total')).to_have_attribute(
            "data-count", "10", timeout=20000
        )
        page.reload()  # kept in the browser
        page.wait_for_selector("body[data-ready=true]")
        expect(page.locator('#mine-table tr[data-network="model.safetensors"] td.total')).to_have_attribute(
            "data-count", "10", timeout=20000
        )
        count, right_of = total(page)
        right = int(right_of.split("/")[0])
        downloads: list = []
        page.on("download", lambda download: downloads.append(download))
        page.click("#mine-export")  # the two downloads start from the same click
        deadline = 50
        while len(downloads) < 2 and deadline:
            page.wait_for_timeout(100)
            deadline -= 1
        files = []
        for download in downloads:
            target = tmp_path / "set" / download.suggested_filename
            target.parent.mkdir(exist_ok=True)
            download.save_as(target)
            files.append(target)
        assert sorted(f.name for f in files) == sorted(digitset.SPLIT_FILES["test"])
        images, labels = digitset.read_set(tmp_path / "set")  # what `reseau evaluate --data-dir` reads
        assert labels.tolist() == asked and images.shape == (10, 28, 28) and images.max() > 128
        found = digitset.evaluate(modelfile.load(MODEL).network, images, labels)
        assert int(found.correct.sum()) == right  # the page's table and reseau evaluate agree
        page.set_input_files("#mine-import", [str(f) for f in files])  # imported back: added to the set
        expect(page.locator("#mine-imported")).to_have_text(t("web.mine.imported", n=10))
        expect(page.locator('#mine-table tr[data-network="model.safetensors"] td.total')).to_have_attribute(
            "data-count", "20", timeout=20000
        )
        assert page.locator("#mine-details details").count() == 1
        assert page.locator("#mine-storage").is_hidden()


REFUSE = "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('no', 'SecurityError'); } });"


def test_a_browser_that_refuses_storage_says_so_and_keeps_the_digits(browser, server):
    with watched_page(browser, init_script=REFUSE) as page:
        page.goto(f"{server}#mine")
        page.wait_for_selector("body[data-ready=true]")
        write_digits(page, 2)
        expect(page.locator("#mine-storage")).to_be_visible()
        expect(page.locator("#mine-storage")).to_have_text(t("web.mine.not_kept"))
        expect(page.locator('#mine-table tr[data-network="model.safetensors"] td.total')).to_have_attribute(
            "data-count", "2", timeout=20000
        )


def test_the_static_site_reads_the_digits_in_the_browser(browser, site_folder):
    with watched_page(browser) as page:
        page.goto((site_folder / "index.html").as_uri() + "#mine")
        page.wait_for_selector("body[data-ready=true]")
        write_digits(page, 1)
        rows = page.locator("#mine-table tbody tr")
        expect(rows.first).to_be_visible(timeout=20000)
        counts = rows.locator("td.total").evaluate_all("cells => cells.map((c) => Number(c.dataset.count))")
        assert counts and all(n == 1 for n in counts), counts  # every network of the site read the one digit
