"""The page on a phone (390x844, touch) and a tablet (768x1024), in a real headless Chromium.

Issue 22, item 4: while drawing, the answer, the ten outputs and the 28x28 image stay on screen with the
pad; no tab makes the page scroll sideways (not the network picker, not a long file path); the tabs stay on
one row; the step-by-step network drawing keeps labels of at least 9 CSS pixels; drawing with a finger
works.  A desktop keeps its three cards side by side.  Screenshots go to ``shots`` (see conftest.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CHROMIUM, watched_page

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from reseau.web import create_app  # noqa: E402
from reseau.web.server import BackgroundServer  # noqa: E402

MODEL = Path(__file__).parent / "data" / "v0.1-faithful.safetensors"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")

SCREENS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
    "tablet": {
        "viewport": {"width": 768, "height": 1024},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
VIEWS = ["draw", "browse", "step", "train", "sigmoid", "experiments"]
MIN_LABEL_PX = 9  # the smallest text a phone user can still read on a drawing, in CSS pixels

# Every canvas text drawn is recorded with its font size, so that a test can tell how big it is on screen.
RECORD_FONTS = """
window.canvasFonts = {};
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (...args) {
  const size = /([0-9.]+)px/.exec(this.font);
  (window.canvasFonts[this.canvas.id] ||= []).push(size ? Number(size[1]) : NaN);
  return fillText.apply(this, args);
};
"""


@pytest.fixture(scope="module")
def site(mnist_dir, tmp_path_factory):
    """A models folder whose path has no place to break a line (like /home/you/.local/share/reseau)."""
    folder = tmp_path_factory.mktemp("web-phone") / ("dossierdesmodeles" * 3)
    folder.mkdir()
    path = shutil.copy(MODEL, folder / "model.safetensors")
    app = create_app(path, experiments_dir=folder / "experiments")
    with BackgroundServer(app) as server:
        yield server.url, app


@pytest.fixture(params=list(SCREENS))
def screen(request):
    return request.param


@pytest.fixture
def page(browser, site, screen):
    with watched_page(browser, init_script=RECORD_FONTS, **SCREENS[screen]) as page:
        yield page


def open_view(page, site, view: str) -> None:
    page.goto(f"{site[0]}#{view}")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#model-status")).to_have_class("model-status ready")


def box(page, selector: str) -> dict:
    """An element's box in the viewport's CSS pixels (after any scrolling)."""
    return page.evaluate("(s) => document.querySelector(s).getBoundingClientRect().toJSON()", selector)


def touch_stroke(page, selector: str, points: list[tuple[float, float]], size: int = 280) -> None:
    """One stroke with a finger (Chromium's own touch input, so the page gets pointer events of type
    "touch") through ``points``, in the coordinates of a ``size``-pixel canvas."""
    rect = box(page, selector)
    scale = rect["width"] / size
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": rect["x"] + x * scale, "y": rect["y"] + y * scale}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", *points[0])
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        for k in range(1, 5):  # a few moves between two points, as a finger sends them
            touch("touchMove", x0 + (x1 - x0) * k / 4, y0 + (y1 - y0) * k / 4)
    touch("touchEnd", *points[-1])
    cdp.detach()


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_the_answer_the_outputs_and_the_image_stay_on_screen_with_the_pad(page, site, screen, shots):
    open_view(page, site, "draw")
    page.evaluate("() => document.querySelector('.draw-board').scrollIntoView({block: 'start'})")
    pad_before = box(page, "#pad")
    page.evaluate("""() => { window.pointerTypes = [];
        document.getElementById('pad').addEventListener('pointerdown', (e) => pointerTypes.push(e.pointerType)); }""")

    touch_stroke(page, "#pad", [(142, 40), (140, 140), (137, 245)])  # a 1, drawn with a finger
    answer = page.locator("#draw-answer")
    expect(answer).not_to_have_attribute("data-digit", "")  # the network answered
    expect(answer).to_contain_text("le réseau de neurones a reconnu le chiffre")
    assert page.evaluate("pointerTypes") == ["touch"]
    expect(page.locator("#draw-outputs .bar-row .bar-value").first).not_to_have_text("")

    view = page.viewport_size
    assert box(page, "#pad") == pad_before  # the answer's arrival did not move the pad under the finger
    for selector in ["#pad", "#draw-answer", "#draw-outputs", "#seen"]:
        rect = box(page, selector)
        assert rect["width"] > 0 and rect["height"] > 0, selector
        assert rect["left"] >= 0 and rect["right"] <= view["width"], (selector, rect)
        assert rect["top"] >= 0 and rect["bottom"] <= view["height"], (selector, rect)
    assert not page_scrolls_sideways(page)
    page.screenshot(path=shots / f"{screen}-draw-touch.png")


def test_no_tab_scrolls_sideways_and_the_tabs_stay_on_one_row(page, site, screen, shots):
    open_view(page, site, "draw")
    tops = page.evaluate("() => [...document.querySelectorAll('.tabs a')].map((a) => a.getBoundingClientRect().top)")
    assert len(set(tops)) == 1  # one row (a strip that scrolls on a phone)
    picker = box(page, "#draw-model")
    assert picker["right"] <= page.viewport_size["width"]  # the picker shrinks; its long option does not push

    for view in VIEWS:
        tab = page.locator(f".tabs a[data-view={view}]")
        tab.scroll_into_view_if_needed()
        tab.tap()
        expect(page.locator(f"#view-{view}")).to_be_visible()
        if view == "train":  # a finished training names the file it wrote: a long path with nowhere to break
            page.fill("#train-epochs", "1")
            page.locator("#train-start").tap()
            expect(page.locator("#train-result")).to_contain_text("safetensors", timeout=60000)
            expect(page.locator("#train-result")).to_contain_text(site[1].state.ctx.store.path.parent.name)
        if view == "experiments":  # the empty state names the experiments folder, another long path
            expect(page.locator("#exp-empty-text")).to_contain_text("dossierdesmodeles")
        assert not page_scrolls_sideways(page), view
        page.screenshot(path=shots / f"{screen}-{view}.png", full_page=True)


def test_a_page_opened_on_a_later_tab_shows_that_tab_in_the_strip(page, site, screen):
    open_view(page, site, "experiments")  # the last tab: off a phone's screen unless the strip scrolls to it
    tab = box(page, ".tabs a[data-view=experiments]")
    assert tab["x"] >= 0 and tab["right"] <= page.viewport_size["width"], tab


def test_the_step_drawings_labels_stay_readable(page, site, screen, shots):
    open_view(page, site, "step")
    page.wait_for_selector("#view-step[data-ready=true]")
    page.fill("#step-index", "0")
    page.locator("#step-one").tap()
    expect(page.locator("#view-step")).to_have_attribute("data-steps", "1")
    expect(page.locator("#step-network-card")).to_be_visible()

    for canvas in ["step-network", "step-curve", "step-derivative"]:  # the drawings of the step
        smallest = page.evaluate("(id) => Math.min(...window.canvasFonts[id])", canvas)
        shown = page.evaluate(
            "(id) => { const c = document.getElementById(id); return c.getBoundingClientRect().width / c.width; }",
            canvas,
        )
        assert smallest * shown >= MIN_LABEL_PX, (canvas, smallest, shown)
    assert not page_scrolls_sideways(page)  # a drawing wider than the screen scrolls inside its own box
    page.locator("#step-network-card").screenshot(path=shots / f"{screen}-step-network.png")


def test_a_desktop_keeps_its_three_cards_side_by_side(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    open_view(page, site, "draw")
    tops = [box(page, f".draw-board > .card:nth-child({k})")["top"] for k in (1, 2, 3)]
    assert len(set(tops)) == 1  # one row of cards, as before the phone layout
    tabs = page.evaluate("() => [...document.querySelectorAll('.tabs a')].map((a) => a.getBoundingClientRect().top)")
    assert len(set(tabs)) == 1
    context.close()
