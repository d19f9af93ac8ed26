"""The « Pas à pas » tab in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

The browser computes the steps itself (``static/local/step.js``): no request to ``/api/step*`` reaches the
server, only the MNIST files (``/api/files/``). Click « Une étape » and read that the right digit's output went
up, with ``delta_o = o - l`` written with its numbers; play and pause and see the sample's curve move; learn a
drawing; the same in English.
Screenshots go to ``$RESEAU_SCREENSHOTS`` (``docs/web/`` when making the docs), else a temporary folder.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import CHROMIUM, watched_page

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from reseau.web import create_app  # noqa: E402
from reseau.web.server import BackgroundServer  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")


@pytest.fixture(scope="module")
def site(mnist_dir, model_file, tmp_path_factory):
    """The page with the document's network really trained (seed 0, 93,32 %) in use: the tab starts from the
    document's random weights, but the screenshot of the docs shows the model in use in its header."""
    folder = tmp_path_factory.mktemp("web-step")
    path = shutil.copy(model_file, folder / "model.safetensors")
    app = create_app(path, experiments_dir=folder / "experiments")
    with BackgroundServer(app) as server:
        yield server.url, app


@pytest.fixture
def page(browser, site):
    with watched_page(browser, viewport={"width": 1200, "height": 900}, device_scale_factor=1) as page:
        yield page


def open_step(page, site):
    page.goto(f"{site[0]}#step")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#view-step[data-ready=true]")  # its network is at the document's start


def sentence_numbers(page) -> tuple[float, float]:
    sentence = page.locator("#step-sentence")
    return float(sentence.get_attribute("data-before")), float(sentence.get_attribute("data-after"))


def test_one_step_raises_the_right_digits_output(page, site, shots):
    open_step(page, site)
    expect(page.locator("#step-none")).to_be_visible()
    page.fill("#step-index", "0")
    page.click("#step-one")  # « Une étape »
    expect(page.locator("#view-step")).to_have_attribute("data-steps", "1")
    sentence = page.locator("#step-sentence")
    expect(sentence).to_have_attribute("data-digit", "5")
    before, after = sentence_numbers(page)
    assert after > before  # the right digit's output went up
    assert (before, after) == (pytest.approx(0.315248, abs=1e-6), pytest.approx(0.328758, abs=1e-6))
    expect(sentence).to_contain_text("Sortie du chiffre 5 (la bonne réponse) : 0,3152 avant l'étape, 0,3288 après")
    expect(sentence).to_contain_text("elle monte")
    expect(page.locator("#step-formula")).to_contain_text("delta_o[5] = o[5] − l[5] = 0,3152 − 1 = −0,6848")
    expect(page.locator("#step-formula")).to_contain_text("delta_o[3] = o[3] − l[3] = 0,6437 − 0 = +0,6437")
    expect(page.locator("#step-outputs tr.right")).to_contain_text("0,3288")
    expect(page.locator("#step-network")).to_have_attribute("data-highlight", "w_h_o[5, 1]")
    expect(page.locator("#step-derivative")).to_have_attribute("data-slope", "-0.6832854911716691")
    expect(page.locator("#step-curve")).to_have_attribute("data-points", "2")
    expect(page.locator("#step-caption")).to_have_text("image 0 (entraînement), un 5")
    expect(page.locator("#step-index")).to_have_value("1")  # the next click learns the next image
    page.screenshot(path=shots / "step.png", full_page=True)
    page.click("#step-one")
    expect(page.locator("#view-step")).to_have_attribute("data-steps", "2")
    expect(page.locator("#step-caption")).to_have_text("image 1 (entraînement), un 0")


STEP_TIMES = """async () => {
  const { state } = await import("/static/page.js");
  const times = [];
  for (let k = 0; k < 10; k++) {
    const started = performance.now();
    await state.backend.handle("POST", "/api/step", { session: "timing-0001", seed: 0, index: k }, state);
    times.push(performance.now() - started);
  }
  return times;
}"""


def test_the_steps_are_computed_in_the_browser(page, site):
    asked = []  # every request the page sends to the server
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    started = time.perf_counter()
    open_step(page, site)  # the document's start, measured on the test images (downloaded now)
    opened = time.perf_counter() - started
    page.fill("#step-index", "0")
    started = time.perf_counter()
    page.click("#step-one")  # the first step: the training images are downloaded first
    expect(page.locator("#step-sentence")).to_contain_text("0,3152 avant l'étape, 0,3288 après")
    first = time.perf_counter() - started
    expect(page.locator("#step-formula")).to_contain_text("delta_o[5] = o[5] − l[5] = 0,3152 − 1 = −0,6848")
    later = []
    for n in (2, 3, 4, 5, 6):
        started = time.perf_counter()
        page.click("#step-one")
        expect(page.locator("#view-step")).to_have_attribute("data-steps", str(n))
        later.append(time.perf_counter() - started)
    computed = page.evaluate(STEP_TIMES)  # the request alone, answered in the page (no drawing)
    print(f"step by step in the browser: tab ready {opened:.2f} s, first step {first:.2f} s, later steps "
          f"{min(later) * 1000:.0f}-{max(later) * 1000:.0f} ms shown, "
          f"{min(computed):.0f}-{max(computed):.0f} ms computed")
    assert [url for url in asked if url.startswith("/api/step")] == []
    for name in ("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"):
        assert f"/api/files/mnist/{name}" in asked  # what the steps are computed from


def test_play_moves_the_sample_curve_then_reset_goes_back_to_the_start(page, site, shots):
    open_step(page, site)
    start = float(page.locator("#step-curve").get_attribute("data-cost"))
    accuracy = float(page.locator("#step-curve").get_attribute("data-accuracy"))  # 11.2 %: chance
    page.select_option("#step-speed", "100")
    page.click("#step-play")  # « Lecture »
    expect(page.locator("#step-play")).to_have_text("Pause")
    page.wait_for_function("Number(document.getElementById('view-step').dataset.steps) >= 500")
    page.click("#step-play")
    expect(page.locator("#step-play")).to_have_text("Lecture")
    points = int(page.locator("#step-curve").get_attribute("data-points"))
    assert points >= 6
    assert float(page.locator("#step-curve").get_attribute("data-cost")) < start  # the cost went down
    assert float(page.locator("#step-curve").get_attribute("data-accuracy")) > accuracy + 5  # it learned
    page.screenshot(path=shots / "step-play.png", full_page=True)
    page.click("#step-reset")
    expect(page.locator("#view-step")).to_have_attribute("data-steps", "0")
    expect(page.locator("#step-curve")).to_have_attribute("data-points", "1")
    expect(page.locator("#step-details")).to_be_hidden()


def test_a_drawing_is_learned_as_the_digit_chosen(page, site):
    open_step(page, site)
    page.select_option("#step-source", "drawing")
    expect(page.locator("#step-play")).to_be_disabled()
    page.click("#step-one")  # nothing drawn yet: one clear line
    expect(page.locator("#error-text")).to_contain_text("Le dessin est vide")
    box = page.locator("#step-pad").bounding_box()
    scale = box["width"] / 280
    page.mouse.move(box["x"] + 142 * scale, box["y"] + 40 * scale)
    page.mouse.down()
    for x, y in [(140, 140), (137, 245)]:
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=3)
    page.mouse.up()
    page.select_option("#step-label", "1")
    page.click("#step-one")
    expect(page.locator("#step-sentence")).to_have_attribute("data-digit", "1")
    expect(page.locator("#step-caption")).to_have_text("votre dessin d'un 1, tel que le réseau le reçoit")
    before, after = sentence_numbers(page)
    assert after > before
    expect(page.locator("#error")).to_be_hidden()


def test_in_english(page, site, shots):
    open_step(page, site)
    page.click("[data-lang=en]")
    expect(page.locator("[data-view=step]")).to_have_text("Step by step")
    page.fill("#step-index", "0")
    page.click("#step-one")
    expect(page.locator("#step-sentence")).to_contain_text(
        "Output for digit 5 (the right answer): 0.3152 before the step, 0.3288 after (+0.0135: it goes up)."
    )
    expect(page.locator("#step-formula")).to_contain_text("delta_o[5] = o[5] − l[5] = 0.3152 − 1 = −0.6848")
    page.screenshot(path=shots / "step-en.png", full_page=True)
    page.click("[data-lang=fr]")
    expect(page.locator("#step-sentence")).to_contain_text("Sortie du chiffre 5")
