"""The page on a phone (390x844, touch) and a tablet (768x1024), in a real headless Chromium.

Issue 22, item 4: while drawing, the answer, the ten outputs and the 28x28 image stay on screen with the
pad, and the whole pad is on the first screen (a compact header); Browse MNIST shows the image and the answer
without scrolling; no tab makes the page scroll sideways (not the network picker, not a long file path); the
tabs stay on one row; every drawing (the training curve, the sigmoid, the step by step's network and charts)
has devicePixelRatio canvas pixels per CSS pixel and labels of at least 10 CSS pixels, inside its box;
drawing with a finger works.  A desktop keeps its three cards side by side.  Screenshots go to ``shots``
(see conftest.py).
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
VIEWS = ["draw", "browse", "step", "train", "mine", "sigmoid", "experiments"]
MIN_LABEL_PX = 10  # the smallest text a phone user can still read on a drawing, in CSS pixels
DRAWINGS = {"step": ["step-network", "step-curve", "step-derivative"], "sigmoid": ["sigmoid-plot"], "train": ["curve"]}

# Every text a canvas draws is recorded with its size and its left and right ends, in the CSS pixels of the
# screen (through the context's transform and the canvas's shown size), so a test can tell how big it is and
# whether it fits; a canvas's record starts again when its size is set (a new drawing, canvases.js).
RECORD_FONTS = """
window.canvasFonts = {};
const width = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, "width");
Object.defineProperty(HTMLCanvasElement.prototype, "width", {
  ...width, set(value) { delete window.canvasFonts[this.id]; width.set.call(this, value); } });
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
  const box = this.canvas.getBoundingClientRect();
  if (box.width > 0) {
    const shown = box.width / this.canvas.width;  // CSS pixels per canvas pixel
    const t = this.getTransform(), scale = Math.hypot(t.a, t.b) * shown;
    const size = Number(/([0-9.]+)px/.exec(this.font)[1]) * scale;
    const wide = this.measureText(text).width * scale;
    const at = (t.a * x + t.c * y + t.e) * shown;
    const align = this.textAlign;
    const left = align === "center" ? at - wide / 2 : ["right", "end"].includes(align) ? at - wide : at;
    const turned = Math.abs(t.b) > 1e-9;  // a label turned on its side (the curve's y axis): no left and right
    (window.canvasFonts[this.canvas.id] ||= []).push({ text, size, left: turned ? 0 : left,
                                                       right: turned ? 0 : left + wide, width: box.width });
  }
  return fillText.call(this, text, x, y, ...rest);
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
    page.locator(selector).scroll_into_view_if_needed()
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
    page.wait_for_timeout(150)  # the finger stops, then lifts: else the moves' speed makes a fling, which the
    touch("touchEnd", *points[-1])  # next tap only stops (that tap would click nothing)
    cdp.detach()


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_the_answer_the_outputs_and_the_image_stay_on_screen_with_the_pad(page, site, screen, shots):
    """The whole board on the first screen, then a finger draws: nothing moves, the answer comes."""
    open_view(page, site, "draw")
    assert page.evaluate("window.scrollY") == 0
    for selector in ["#pad", "#draw-answer", "#draw-outputs", "#seen"]:  # a phone's compact header: no scrolling
        assert box(page, selector)["bottom"] <= page.viewport_size["height"], (selector, box(page, selector))
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


def test_browse_shows_the_image_and_the_answer_without_scrolling(page, site, screen, shots):
    open_view(page, site, "browse")
    expect(page.locator("#browse-answer")).to_contain_text("le réseau de neurones a reconnu le chiffre")
    expect(page.locator("#browse-verdict")).not_to_be_empty()
    assert page.evaluate("window.scrollY") == 0
    view = page.viewport_size
    for selector in ["#browse-image", "#browse-caption", "#browse-answer", "#browse-verdict"]:
        rect = box(page, selector)
        assert rect["height"] > 0 and rect["left"] >= 0 and rect["right"] <= view["width"], (selector, rect)
        assert rect["top"] >= 0 and rect["bottom"] <= view["height"], (selector, rect)
    assert not page_scrolls_sideways(page)
    page.screenshot(path=shots / f"{screen}-browse-first-screen.png")


def drawings_are_sharp_and_readable(page, view: str) -> list[str]:
    """Checks each drawing of ``view``: canvas pixels per CSS pixel = devicePixelRatio, every label at least
    MIN_LABEL_PX CSS pixels high and inside the canvas; returns the drawings' ids."""
    ratio = page.evaluate("window.devicePixelRatio")
    for canvas in DRAWINGS[view]:
        page.wait_for_function("(id) => (window.canvasFonts[id] || []).length > 0", arg=canvas)
        pixels = page.evaluate(
            "(id) => { const c = document.getElementById(id); return c.width / c.getBoundingClientRect().width; }",
            canvas,
        )
        assert pixels == pytest.approx(ratio, rel=0.01), (canvas, pixels, ratio)
        labels = page.evaluate("(id) => window.canvasFonts[id]", canvas)
        small = [(label["text"], round(label["size"], 1)) for label in labels if label["size"] < MIN_LABEL_PX]
        assert not small, (canvas, small)
        cut = [label["text"] for label in labels if label["left"] < -0.5 or label["right"] > label["width"] + 0.5]
        assert not cut, (canvas, cut)  # a label that runs off the edge of its drawing
    return DRAWINGS[view]


def test_every_drawing_is_sharp_with_readable_labels(page, site, screen, shots):
    open_view(page, site, "step")
    page.wait_for_selector("#view-step[data-ready=true]")
    page.fill("#step-index", "0")
    page.locator("#step-one").tap()
    expect(page.locator("#view-step")).to_have_attribute("data-steps", "1")
    expect(page.locator("#step-network-card")).to_be_visible()
    for canvas in drawings_are_sharp_and_readable(page, "step"):
        page.locator(f"#{canvas}").screenshot(path=shots / f"{screen}-{canvas}.png")
    assert not page_scrolls_sideways(page)  # the drawings fit the screen: no box scrolls sideways either

    page.select_option("#step-source", "drawing")  # the tab's own pad, drawn on with a finger
    page.select_option("#step-label", "1")
    touch_stroke(page, "#step-pad", [(142, 40), (140, 140), (137, 245)])
    page.locator("#step-one").tap()
    expect(page.locator("#step-caption")).to_contain_text("votre dessin d'un 1")
    expect(page.locator("#view-step")).to_have_attribute("data-steps", "2")
    for view in ["sigmoid", "train"]:
        page.locator(f".tabs a[data-view={view}]").tap()
        for canvas in drawings_are_sharp_and_readable(page, view):
            page.locator(f"#{canvas}").screenshot(path=shots / f"{screen}-{canvas}.png")

    # Turned sideways: the curve is drawn again for its new width, as sharp and as readable.
    size = page.viewport_size
    page.set_viewport_size({"width": size["height"], "height": size["width"]})
    page.wait_for_function(
        "() => { const c = document.getElementById('curve');"
        " return Math.abs(c.width / c.getBoundingClientRect().width - devicePixelRatio) < 0.01; }"
    )
    drawings_are_sharp_and_readable(page, "train")


def test_a_desktop_keeps_its_three_cards_side_by_side(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    context.add_init_script(RECORD_FONTS)
    page = context.new_page()
    open_view(page, site, "draw")
    tops = [box(page, f".draw-board > .card:nth-child({k})")["top"] for k in (1, 2, 3)]
    assert len(set(tops)) == 1  # one row of cards, as before the phone layout
    tabs = page.evaluate("() => [...document.querySelectorAll('.tabs a')].map((a) => a.getBoundingClientRect().top)")
    assert len(set(tabs)) == 1
    assert box(page, ".subtitle")["height"] > 0  # the whole header: only a phone's is compact
    page.locator(".tabs a[data-view=sigmoid]").click()
    drawings_are_sharp_and_readable(page, "sigmoid")  # a screen of devicePixelRatio 1
    context.close()
