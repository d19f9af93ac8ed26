"""The page in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Draw a 1 and a 0 with the mouse, browse to image 0 and see a 5, train one
epoch and see the curve get its point, move the sigmoid sliders and see the
curve change, look at the experiments view.  A screenshot of each view is
saved in ``$RESEAU_SCREENSHOTS`` (``docs/web/`` when making the docs), else
in a temporary folder.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import CHROMIUM, watched_page

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from reseau.web import create_app  # noqa: E402
from reseau.web.server import BackgroundServer  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")


@pytest.fixture(scope="module")
def site(model_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-browser")
    path = shutil.copy(model_file, folder / "model.safetensors")
    app = create_app(path, experiments_dir=folder / "experiments")
    with BackgroundServer(app) as server:
        yield server.url, app


@pytest.fixture(scope="module")
def cnn_site(model_file, train_data, test_data, tmp_path_factory):
    """A models folder with the document's network in use and a drawing network beside it (a small
    convolutional network, 8 and 16 filters, trained here on 4 000 images in about 3 s)."""
    import reseau
    from reseau import modelfile

    folder = tmp_path_factory.mktemp("web-cnn")
    path = shutil.copy(model_file, folder / "model.safetensors")
    config = reseau.presets()["cnn"].with_(conv=(8, 16), dense=(32,), epochs=1, batch_size=32, dropout=0.0,
                                           learn_rate=0.004)
    network, history = reseau.train(train_data[0][:4000], train_data[1][:4000], config,
                                    test=(test_data[0][:1000], test_data[1][:1000]))
    modelfile.save(modelfile.SavedModel(network, modelfile.ModelInfo.build(config, history, preset="dessin")),
                   folder / "dessin.safetensors")
    app = create_app(path, experiments_dir=folder / "experiments")
    with BackgroundServer(app) as server:
        yield server.url, app


@pytest.fixture
def page(browser, site):
    with watched_page(browser, viewport={"width": 1200, "height": 820}, device_scale_factor=1) as page:
        yield page


USER_FOLDER = "/home/you/.local/share/reseau"  # where a user's models are (the README shows the same path)


def as_a_user_sees_it(page, site) -> None:
    """When making the docs' screenshots: the test's temporary folder is written as a user's models folder."""
    if os.environ.get("RESEAU_SCREENSHOTS"):
        page.evaluate("""([folder, shown]) => {
            const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walk.nextNode()) walk.currentNode.nodeValue = walk.currentNode.nodeValue.split(folder).join(shown);
        }""", [str(site[1].state.ctx.store.path.parent), USER_FOLDER])


def open_view(page, site, view: str):
    page.goto(f"{site[0]}#{view}")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#model-status")).to_have_class("model-status ready")


def draw(page, points: list[tuple[float, float]]) -> None:
    """One stroke with the mouse through ``points`` (pad coordinates, 0-280)."""
    box = page.locator("#pad").bounding_box()
    scale = box["width"] / 280
    xy = [(box["x"] + x * scale, box["y"] + y * scale) for x, y in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=3)
    page.mouse.up()


def ink_seen(page) -> float:
    """How much ink the 28x28 "what the network sees" canvas shows (0 = blank)."""
    return page.evaluate("""() => {
        const data = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data;
        let ink = 0; for (let i = 0; i < data.length; i += 4) ink += (255 - data[i]) / 255; return ink; }""")


def test_drawing_a_one_and_a_zero(page, site, shots):
    open_view(page, site, "draw")
    answer = page.locator("#draw-answer")
    draw(page, [(142, 40), (140, 140), (137, 245)])
    expect(answer).to_have_attribute("data-digit", "1")
    expect(answer).to_contain_text("le réseau de neurones a reconnu le chiffre 1")
    assert ink_seen(page) > 10
    expect(page.locator("#draw-outputs .bar-row.best .bar-label")).to_have_text("1")
    page.screenshot(path=shots / "draw-1.png")

    page.click("#clear")
    expect(answer).to_have_attribute("data-digit", "")
    assert ink_seen(page) == 0
    ring = [(140 + 62 * math.sin(2 * math.pi * k / 24), 140 - 98 * math.cos(2 * math.pi * k / 24)) for k in range(26)]
    draw(page, ring)
    expect(answer).to_have_attribute("data-digit", "0")
    expect(page.locator("#draw-hidden .cell")).to_have_count(20)
    page.screenshot(path=shots / "draw.png")


def test_browsing_to_image_0_shows_a_5(page, site, shots, train_data):
    label = int(train_data[1][0].argmax())
    open_view(page, site, "browse")
    page.fill("#browse-index", "0")
    page.press("#browse-index", "Enter")
    expect(page.locator("#browse-caption")).to_have_text(f"image n° 0 (entraînement) — étiquette : {label}")
    expect(page.locator("#browse-answer")).to_have_attribute("data-digit", "5")
    expect(page.locator("#browse-verdict")).to_contain_text("bonne réponse")
    expect(page.locator("#browse-prompt")).to_have_text("Entrer un nombre entre 0 et 59999")
    page.screenshot(path=shots / "browse.png")
    page.click("#browse-next")
    expect(page.locator("#browse-caption")).to_contain_text("image n° 1 ")
    page.fill("#browse-index", "70000")
    page.press("#browse-index", "Enter")
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error-text")).to_contain_text("entre 0 et 59999")


def test_an_image_that_answers_late_is_not_shown_over_the_one_asked_after_it(page, site):
    open_view(page, site, "browse")
    caption = page.locator("#browse-caption")
    expect(caption).to_contain_text("image n° 0 ")
    held = []  # image 5's answer, kept back until image 7 is shown
    page.route("**/api/dataset/train/5", lambda route: held.append(route))
    page.fill("#browse-index", "5")
    page.press("#browse-index", "Enter")
    page.fill("#browse-index", "7")
    page.press("#browse-index", "Enter")
    expect(caption).to_contain_text("image n° 7 ")
    assert len(held) == 1
    with page.expect_response("**/api/dataset/train/5"):
        held[0].continue_()
    page.wait_for_timeout(500)  # the late answer has had time to be drawn, if the page drew it
    expect(caption).to_contain_text("image n° 7 ")
    expect(page.locator("#browse-index")).to_have_value("7")


def test_the_page_starts_when_its_second_script_arrives_late(page, site):
    """A slow server (a training running beside it) may send step.js after the page's first answers."""

    def late(route):
        time.sleep(1.5)  # the page's own requests go on meanwhile
        route.continue_()

    page.route("**/static/step.js", late)
    open_view(page, site, "step")
    expect(page.locator("#view-step")).to_have_attribute("data-ready", "true")


def test_training_one_epoch_adds_a_point_to_the_curve(page, site, shots):
    open_view(page, site, "train")
    curve = page.locator("#curve")
    expect(curve).to_have_attribute("data-points", "3")  # the model in use: the document's 3 epochs
    page.fill("#train-lr", "-1")
    page.click("#train-start")
    expect(page.locator("#error-text")).to_contain_text("learn_rate doit être un nombre > 0")
    page.click("[data-i18n='web.train.reset']")
    page.fill("#train-epochs", "1")
    page.fill("#train-lr", "0,01")  # a French decimal comma is understood
    page.click("#train-start")
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("#train-result")).to_contain_text("Terminé", timeout=60000)  # a busy machine
    expect(curve).to_have_attribute("data-points", "1")
    expect(page.locator("#train-log")).to_contain_text("Epoch : 0, Précision : 86.18%")  # the document's line
    expect(page.locator("#train-log")).to_contain_text(re.compile(r"test \(10.000 images jamais vues\) : \d+,\d\d %"))
    expect(page.locator("#train-result")).to_contain_text(re.compile(r"Terminé en \d+,\d s : \d+,\d\d % des images"))
    expect(page.locator("#train-start")).to_be_enabled()
    expect(page.locator("#model-status")).to_contain_text("784-20-10")
    expect(page.locator("#model-status")).to_contain_text(re.compile(r"\d+,\d\d % des 10.000 images"))

    page.fill("#train-epochs", "8")  # a longer run, for a curve worth a screenshot
    page.click("#train-start")
    expect(page.locator("#train-stop")).to_be_enabled()
    expect(page.locator("#train-result")).to_contain_text("Terminé", timeout=60000)
    expect(curve).to_have_attribute("data-points", "8")
    as_a_user_sees_it(page, site)
    page.screenshot(path=shots / "train.png")


def preset_names(mode: str) -> list[str]:
    """The presets of ``mode``, in the order the server lists them."""
    import reseau

    return [name for name, config in reseau.presets().items() if config.mode == mode]


def test_the_training_form_offers_each_modes_presets(page, site):
    open_view(page, site, "train")
    expect(page.locator("#train-preset-box")).to_be_hidden()  # the faithful mode has one preset: the document's
    expect(page.locator("#train-hidden")).to_have_value("20")
    expect(page.locator("#train-lr")).to_have_value("0,01")  # French numbers in the form too
    page.select_option("#train-mode", "modern")
    expect(page.locator("#train-preset-box")).to_be_visible()
    expect(page.locator("#train-preset option")).to_have_text(preset_names("modern"))
    expect(page.locator("#train-hidden")).to_have_value("100")  # better: one layer of 100
    expect(page.locator("#train-lr")).to_have_value("0,05")
    page.select_option("#train-preset", "best")
    expect(page.locator("#train-hidden")).to_have_value("1024, 1024")
    expect(page.locator("#train-epochs")).to_have_value("15")
    page.click("#train-reset")
    expect(page.locator("#train-mode")).to_have_value("faithful")
    expect(page.locator("#train-hidden")).to_have_value("20")


def test_the_kinds_are_named_by_their_records_in_each_language(page, site):
    """The mode menu's words are the kind records' names (reseau.kinds), and follow a change of language."""
    from reseau import kinds

    open_view(page, site, "train")
    for lang in ("fr", "en"):
        page.click(f"[data-lang={lang}]")
        expect(page.locator("#train-mode option")).to_have_text([k.name(lang) for k in kinds.KINDS.values()])


def test_sigmoid_sliders_redraw_the_curve(page, site, shots):
    open_view(page, site, "sigmoid")
    plot = page.locator("#sigmoid-plot")
    expect(plot).to_have_attribute("data-w", "1")
    before = page.evaluate("document.getElementById('sigmoid-plot').toDataURL()")
    slider = page.locator("#sig-w").bounding_box()
    page.mouse.click(slider["x"] + slider["width"] * 0.9, slider["y"] + slider["height"] / 2)  # w to about 8
    w = float(plot.get_attribute("data-w"))
    assert 6 < w <= 10
    after = page.evaluate("document.getElementById('sigmoid-plot').toDataURL()")
    assert after != before
    page.focus("#sig-b")
    for _ in range(50):
        page.keyboard.press("ArrowLeft")  # b from 0 to -0.5, one step at a time
    expect(plot).to_have_attribute("data-b", "-0.5")
    assert page.evaluate("document.getElementById('sigmoid-plot').toDataURL()") != after
    page.click("#sig-cases button:nth-child(3)")
    expect(plot).to_have_attribute("data-w", "0.25")
    expect(plot).to_have_attribute("data-b", "0.41")
    expect(page.locator("#sig-at-zero")).to_have_text("en x = 0 : σ(b) = 0,601")
    page.click("#sig-cases button:nth-child(2)")
    expect(plot).to_have_attribute("data-w", "4")
    page.screenshot(path=shots / "sigmoid.png")


def test_experiments_empty_state_then_a_report(page, site, shots):
    open_view(page, site, "experiments")
    expect(page.locator("#exp-empty")).to_be_visible()
    expect(page.locator("#exp-empty")).to_contain_text("reseau experiment")
    as_a_user_sees_it(page, site)
    page.screenshot(path=shots / "experiments-empty.png")
    folder = site[1].state.ctx.experiments_dir
    write_fake_report(folder)
    page.click("#exp-reload")
    expect(page.locator("#exp-report")).to_be_visible()
    expect(page.frame_locator("#exp-frame").locator("h1")).to_have_text("Que peut-on en déduire ?")
    frame = page.frame_locator("#exp-frame")
    expect(frame.locator("img")).to_have_count(1)
    page.wait_for_function("document.getElementById('exp-frame').contentDocument.querySelector('img').naturalWidth > 0")
    expect(page.locator("#exp-plots img")).to_have_count(0)  # the report shows its own plots
    (folder / "report.html").unlink()  # without report.html: report.md and a gallery of the plots
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#exp-md")).to_contain_text("Que peut-on en déduire ?")
    expect(page.locator("#exp-plots img")).to_have_count(1)
    page.wait_for_function("document.querySelector('#exp-plots img').naturalWidth > 0")
    page.screenshot(path=shots / "experiments-md.png", full_page=True)
    write_fake_report(folder)
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(frame.locator("h1")).to_have_text("Que peut-on en déduire ?")
    page.screenshot(path=shots / "experiments-sample.png", full_page=True)


def write_fake_report(folder: Path) -> None:
    """A small stand-in for `reseau experiment`'s output: report.html, report.md and one plot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([5, 10, 20, 50, 100], [88.1, 91.2, 93.3, 95.0, 95.9], marker="o")
    ax.set_xscale("log")
    ax.set_xlabel("neurones cachés")
    ax.set_ylabel("test (%)")
    fig.tight_layout()
    fig.savefig(folder / "hidden.png", dpi=80)
    plt.close(fig)
    (folder / "report.md").write_text("# Que peut-on en déduire ?\n", encoding="utf-8")
    (folder / "report.html").write_text(
        "<!doctype html><meta charset='utf-8'><h1>Que peut-on en déduire ?</h1>"
        "<p>(exemple de test)</p><img src='hidden.png'>", encoding="utf-8")


def test_switching_to_english_is_remembered(page, site, shots):
    open_view(page, site, "draw")
    page.click("[data-lang=en]")
    expect(page.locator("[data-view=draw]")).to_have_text("Draw")
    expect(page.locator("#model-status")).to_contain_text("Model in use: 784-20-10")
    from reseau import kinds

    expect(page.locator("#model-status")).to_contain_text(kinds.document().name("en"))  # its kind, by name
    expect(page.locator("#model-status")).to_contain_text(re.compile(r"\d+\.\d\d% of the 10,000 test images"))
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("[data-view=train]")).to_have_text("Train")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    draw(page, [(142, 40), (140, 140), (137, 245)])
    expect(page.locator("#draw-answer")).to_contain_text("the neural network recognised the digit 1")
    page.screenshot(path=shots / "draw-en.png")


def test_the_forms_numbers_follow_a_change_of_language(page, site):
    """The learning rate typed or shown is rewritten in the new language, and the sigmoid's case buttons are
    the message table's, with each language's punctuation (reseau.i18n writes the expected text)."""
    from reseau import i18n
    from reseau.web.routes.page import SIGMOID_CASES

    def case(lang: str, w: float, b: float) -> str:
        return i18n.t("web.sigmoid.case", lang, w=i18n.format_number(w, 2, lang), b=i18n.format_number(b, 2, lang))

    open_view(page, site, "train")
    lr = page.locator("#train-lr")
    expect(lr).to_have_value(i18n.format_rate(0.01, "fr"))  # « 0,01 »
    page.click("[data-lang=en]")
    expect(lr).to_have_value(i18n.format_rate(0.01, "en"))  # "0.01", not the French « 0,01 » left behind
    page.fill("#train-lr", "0.005")
    page.click("[data-lang=fr]")
    expect(lr).to_have_value(i18n.format_rate(0.005, "fr"))
    page.goto(f"{site[0]}#sigmoid")
    page.wait_for_selector("body[data-ready=true]")
    buttons = page.locator("#sig-cases button")
    expect(buttons).to_have_text([case("fr", c["w"], c["b"]) for c in SIGMOID_CASES])  # « w = 1,00 ; b = 0,00 »
    page.click("[data-lang=en]")
    expect(buttons).to_have_text([case("en", c["w"], c["b"]) for c in SIGMOID_CASES])  # "w = 1.00; b = 0.00"


def test_the_training_forms_limits_come_from_the_server(page, site):
    """The form reads its limits from GET /api/options, that is from the configuration's Ranges."""
    from reseau import i18n
    from reseau.faithful import FaithfulConfig

    limits = FaithfulConfig.limits()
    open_view(page, site, "train")
    for field in ("epochs", "seed"):
        low, high = limits[field]
        expect(page.locator(f"#train-{field}")).to_have_attribute("min", str(int(low)))
        expect(page.locator(f"#train-{field}")).to_have_attribute("max", str(int(high)))
    low, high = limits["hidden"]
    low, high = i18n.format_count(int(low), "fr"), i18n.format_count(int(high), "fr")
    said = i18n.t("web.train.limits", "fr", low=low, high=high)
    expect(page.locator("#train-hidden")).to_have_attribute("title", said)  # « de 1 à 4 096 »


def test_drawing_with_the_drawing_network_shows_its_feature_maps(page, cnn_site, shots):
    open_view(page, cnn_site, "draw")
    picker = page.locator("#draw-model")
    expect(picker).to_have_value("dessin.safetensors")  # the drawing network, by default
    expect(picker.locator("option")).to_have_count(2)
    expect(picker.locator("option:checked")).to_contain_text("Le réseau pour les dessins — dessin.safetensors (")
    expect(picker.locator("option").first).to_contain_text("Le réseau du document — model.safetensors (document, ")
    expect(page.locator("#draw-maps-box")).to_be_hidden()  # nothing drawn yet
    draw(page, [(142, 40), (140, 140), (137, 245)])
    answer = page.locator("#draw-answer")
    expect(answer).to_have_attribute("data-digit", "1")
    maps = page.locator("#draw-maps canvas")
    expect(maps).to_have_count(8)  # one per filter of the first convolution
    expect(page.locator("#draw-maps-title")).to_have_text("Ce que voit la 1re convolution : 8 cartes de 12 × 12")
    dark = page.evaluate("""() => [...document.querySelectorAll('#draw-maps canvas')].map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; for (let i = 0; i < d.length; i += 4) ink += (255 - d[i]) / 255; return ink; })""")
    assert max(dark) > 5 and len(dark) == 8  # the maps show the stroke
    expect(page.locator("#draw-hidden .cell")).to_have_count(32)  # the dense layer after the convolutions
    note = page.locator("#seen-note")  # the caption says the preprocessing this network records: none of the pen
    expect(note).to_contain_text("on ne change pas leur épaisseur")
    page.screenshot(path=shots / "draw-cnn.png", full_page=True)

    picker.select_option("")  # the document's network: its hidden neurons, no maps
    expect(page.locator("#draw-maps-box")).to_be_hidden()
    expect(page.locator("#draw-hidden .cell")).to_have_count(20)
    expect(answer).to_have_attribute("data-digit", "1")
    expect(note).to_contain_text("son trait ramené à l'épaisseur de ceux de MNIST")  # the document's: DEFAULT
    picker.select_option("dessin.safetensors")
    expect(maps).to_have_count(8)
    expect(note).to_contain_text("on ne change pas leur épaisseur")
    page.click("[data-lang=en]")
    expect(note).to_contain_text("so their thickness is left as it is")
    expect(page.locator("[data-i18n='web.draw.model']")).to_have_text("Network that recognises the drawing")
    expect(picker.locator("option:checked")).to_contain_text("The drawing network — dessin.safetensors (")
    expect(page.locator("#draw-maps-title")).to_have_text("What the first convolution sees: 8 maps of 12 × 12")
    page.click("[data-lang=fr]")


def test_the_training_form_offers_the_convolutional_presets_with_a_time_estimate(page, cnn_site):
    open_view(page, cnn_site, "train")
    estimate = page.locator("#train-estimate")
    expect(estimate).to_have_text(re.compile(r"^Durée estimée : environ \d+ s \(d'après une mesure sur 2 cœurs\)\.$"))
    expect(page.locator("#train-conv")).to_be_hidden()
    page.select_option("#train-mode", "cnn")
    expect(page.locator("#train-preset option")).to_have_text(preset_names("cnn"))
    expect(page.locator("#train-conv")).to_have_value("32, 64")
    expect(page.locator("#train-kernels")).to_have_value("5, 3")
    expect(page.locator("#train-hidden-label")).to_have_text("Neurones des couches denses")
    expect(estimate).to_have_text(re.compile(r"^Durée estimée : environ \d+ min "))
    page.select_option("#train-preset", "dessin")
    expect(estimate).to_have_text(re.compile(r"^Durée estimée : environ (\d+ min|\d+ h \d\d) "))
    page.fill("#train-epochs", "1")
    expect(estimate).to_have_text(re.compile(r"^Durée estimée : environ \d+ (s|min) "))
    page.fill("#train-conv", "8")
    expect(estimate).to_contain_text("(convolutions : 1 ; tailles de noyau : 2)")  # the mistake, where the time was
    page.fill("#train-kernels", "5")
    expect(estimate).to_have_text(re.compile(r"^Durée estimée : environ \d+ s "))
    expect(page.locator("#error")).to_be_hidden()
    page.click("#train-reset")
    expect(page.locator("#train-conv")).to_be_hidden()
    expect(page.locator("#train-hidden-label")).to_have_text("Neurones cachés")


def test_the_stop_button_stops_a_training(page, site):
    path = Path(site[1].state.ctx.store.path)
    before = path.read_bytes()
    open_view(page, site, "train")
    page.fill("#train-epochs", "500")  # far too long to end by itself during the test
    page.click("#train-start")
    expect(page.locator("#train-stop")).to_be_enabled()
    page.click("#train-stop")  # a POST with no form data: sent as JSON all the same
    expect(page.locator("#train-result")).to_contain_text("Entraînement arrêté", timeout=60000)
    expect(page.locator("#error")).to_be_hidden()
    assert path.read_bytes() == before  # the model in use stays


def test_the_printed_address_opens_the_page_even_from_a_link_on_another_site(browser, model_file, tmp_path):
    """On a server open to the network, the address with the token works typed or clicked in another site's page
    (a SameSite=Strict cookie set by an HTTP redirect after a cross-site click would not be sent)."""
    path = shutil.copy(model_file, tmp_path / "model.safetensors")
    app = create_app(path, experiments_dir=tmp_path / "experiments", train_if_missing=False, host="0.0.0.0")
    with BackgroundServer(app) as server:
        address = f"{server.url}?token={app.state.token}"
        stranger = browser.new_context()
        page = stranger.new_page()
        page.goto(server.url)
        expect(page.locator("body")).to_contain_text("Open the full address printed in the terminal")  # en-US
        for context in (browser.new_context(), stranger):  # typed; then clicked in another site's page
            page = context.new_page()
            if context is stranger:
                page.set_content(f'<a id="link" href="{address}">reseau</a>')  # a page of no origin of ours
                page.click("#link")
            else:
                page.goto(address)
            page.wait_for_selector("body[data-ready=true]")
            expect(page.locator("#model-status")).to_have_class("model-status ready")  # the API answered
            assert page.url == server.url  # the token left the address bar
            context.close()
