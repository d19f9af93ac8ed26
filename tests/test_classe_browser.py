"""The classroom in a real headless Chromium: the teacher and two students, each in their own browser context.

The students join from the address the QR code gives (the code filled in),
one trains, and its run appears on the teacher's page (students' table,
curves, class table, the class's answer).  Screenshots of the teacher's page
(in French and in English) and of a student's go to ``$RESEAU_SCREENSHOTS``
(``docs/classe/`` when making the docs), else to a temporary folder::

    RESEAU_SCREENSHOTS=docs/classe python -m pytest tests/test_classe_browser.py
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CHROMIUM

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from reseau.classe import create_classe_app  # noqa: E402
from reseau.i18n import format_rate, t  # noqa: E402
from reseau.web.server import BackgroundServer  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")
TOKEN = "browser-test-token"


@pytest.fixture(scope="module")
def site(model_file, tmp_path_factory):
    root = tmp_path_factory.mktemp("classe-browser")
    app = create_classe_app(
        "seconde-b", root=root, host="127.0.0.1", token=TOKEN, slots=2, train_images=3000, start_model=model_file
    )
    app.state.classroom.set_limits(
        app.state.classroom.limits.__class__(
            max_epochs=5,
            max_hidden=50,
            modes=("faithful",),
            constraint="aujourd'hui : seulement le taux d'apprentissage",
        )
    )
    with BackgroundServer(app) as server:
        yield server.url, app, root


def new_page(browser, errors: list, width: int = 1200, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1, locale="fr-FR")
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(30000)
    return context, page


def join(page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}?code={code}")  # the address of the QR code
    expect(page.locator("#join-code")).to_have_value(code)
    page.fill("#join-name", name)
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#classe-bar")).to_contain_text(name)


def test_a_students_run_appears_on_the_teachers_page(browser, site, shots):
    url, app, root = site
    code = app.state.classroom.code
    errors: list[str] = []
    teacher_ctx, teacher = new_page(browser, errors, 1280, 1500)
    lea_ctx, lea = new_page(browser, errors)
    tom_ctx, tom = new_page(browser, errors)
    try:
        teacher.goto(f"{url}teacher?token={TOKEN}")
        expect(teacher.locator("#t-code")).to_have_text(code)
        expect(teacher.locator("#t-qr svg")).to_have_count(1)
        from reseau.classe.limits import CONSTRAINT, MAX_EPOCHS, MAX_HIDDEN  # the form's ranges are the server's

        expect(teacher.locator("#t-max-epochs")).to_have_attribute("max", str(MAX_EPOCHS.high))
        expect(teacher.locator("#t-max-hidden")).to_have_attribute("max", str(MAX_HIDDEN.high))
        expect(teacher.locator("#t-constraint-input")).to_have_attribute("maxlength", str(CONSTRAINT.high))
        from reseau import kinds  # the modes a teacher allows, by the records' names

        expect(teacher.locator("#t-modes label")).to_have_text([f" {k.name('fr')}" for k in kinds.KINDS.values()])
        expect(teacher.locator("#t-constraint")).to_contain_text("seulement le taux d'apprentissage")

        join(lea, url, code, "Léa")
        join(tom, url, code, "Tom")
        expect(teacher.locator("#t-students tbody tr")).to_have_count(2)

        for page, lr in ((lea, "0,1"), (tom, "0,01")):
            page.goto(f"{url}#train")
            page.wait_for_selector("body[data-ready=true]")
            page.fill("#train-epochs", "2")
            page.fill("#train-lr", lr)
            page.click("#train-start")
        expect(lea.locator("#train-result")).to_contain_text("Terminé", timeout=120000)
        expect(tom.locator("#train-result")).to_contain_text("Terminé", timeout=120000)

        expect(teacher.locator("#t-runs tbody tr")).to_have_count(2, timeout=30000)
        expect(teacher.locator("#t-runs tbody")).to_contain_text("Léa")
        expect(teacher.locator("tr[data-student='Léa']")).to_contain_text("entraînement fini")
        expect(teacher.locator("#t-conclusions li").first).to_be_visible(timeout=30000)
        expect(teacher.locator("#t-plots svg")).to_have_count(1)
        # the conclusions' **bold** is bold, not asterisks; a class is told what a class does, not --seeds
        conclusions = teacher.locator("#t-conclusions")
        expect(conclusions.locator("strong").first).to_have_text("Taux d'apprentissage.")
        expect(conclusions).not_to_contain_text("**")
        expect(conclusions).not_to_contain_text("--seeds")
        expect(conclusions).to_contain_text("plusieurs élèves")
        # the answer's « Durée » is the class table's (each lr trained once: the same durations)
        answer_times = teacher.locator("#t-tables td:nth-child(4)").all_inner_texts()
        run_times = teacher.locator("#t-runs td:nth-child(8)").all_inner_texts()
        assert sorted(answer_times) == sorted(run_times), (answer_times, run_times)

        # each sees their own work only: Tom's model is his 784-20-10 of lr 0.01, Léa's hers of lr 0.1
        for page, name, lr in ((tom, "Tom", 0.01), (lea, "Léa", 0.1)):
            model = page.evaluate("() => fetch('/api/model').then((r) => r.json())")
            assert model["config"]["learn_rate"] == lr, name
        # the settings are written as French writes them, beside the accuracies (« 0,01 » next to « 87,33 »)
        runs = teacher.locator("#t-runs tbody")
        for rate in (0.1, 0.01):
            expect(runs).to_contain_text(format_rate(rate, "fr"))
            expect(teacher.locator("#t-tables")).to_contain_text(format_rate(rate, "fr"))
        expect(runs).not_to_contain_text("0.01")
        teacher.click("#t-limits button[type=submit]")  # the same limits, saved again
        expect(teacher.locator("#t-saved")).to_have_text(t("classe.teacher.saved", "fr"))
        teacher.screenshot(path=shots / "teacher.png", full_page=True)
        teacher.click("button[data-lang=en]")
        expect(teacher.locator("#t-saved")).to_have_text(t("classe.teacher.saved", "en"))  # not « Enregistré. »
        expect(runs).to_contain_text(format_rate(0.01, "en"))
        expect(conclusions.locator("strong").first).to_have_text("Learning rate.")
        expect(conclusions).to_contain_text("several students")
        expect(conclusions).not_to_contain_text("**")
        expect(teacher.locator("#t-students")).to_contain_text("training finished")
        teacher.screenshot(path=shots / "teacher-en.png", full_page=True)

        # a student reads where their network went, not where the server keeps it
        expect(lea.locator("#train-result")).to_contain_text("model.safetensors")
        for page in (lea, tom):
            assert str(root) not in page.content() and str(root.resolve()) not in page.content()
        lea.goto(f"{url}#train")
        lea.wait_for_selector("body[data-ready=true]")
        lea.screenshot(path=shots / "student.png")
    finally:
        for context in (teacher_ctx, lea_ctx, tom_ctx):
            context.close()
    assert not errors, errors
