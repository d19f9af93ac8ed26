"""The teacher's hand on the roster in a real headless Chromium (issue 24, items 1 and 6): three students,
two of them with the same curve; the names at the curves' ends apart; the day's instruction in full; a
student whose browser forgot her gets her work back from the teacher's « reprendre » link; « renommer »
and « retirer » (with its confirmation); a faithful-only student reads nothing about convolutional networks.
Screenshots (teacher, student, printable summary) go to ``$RESEAU_SCREENSHOTS``, else a temporary folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CHROMIUM, watched_page

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from reseau.classe import create_classe_app  # noqa: E402
from reseau.web.server import BackgroundServer  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")
TOKEN = "roster-browser-token"
PAGE = {"viewport": {"width": 1200, "height": 900}, "locale": "fr-FR"}


def join(page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}?code={code}")
    page.fill("#join-name", name)
    page.click("#join-form button[type=submit]")
    expect(page.locator("#classe-bar")).to_contain_text(name)


def train(page) -> None:
    """One epoch with the page's defaults (the same seed: two students get the same curve)."""
    status = page.evaluate(
        """() => fetch('/api/train', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                      body: JSON.stringify({epochs: 1})}).then((r) => r.status)"""
    )
    assert status == 202


def test_the_teacher_hands_work_back_renames_removes_and_reads_the_curves(browser, model_file, tmp_path, shots):
    app = create_classe_app(
        "roster", root=tmp_path, host="127.0.0.1", token=TOKEN, slots=2, train_images=2000, start_model=model_file,
        joins_per_minute=20,
    )  # fmt: skip
    code = app.state.classroom.code
    with BackgroundServer(app) as server:
        url = server.url
        with (
            watched_page(browser, **PAGE) as teacher,
            watched_page(browser, **PAGE) as lea,
            watched_page(browser, **PAGE) as tom,
            watched_page(browser, **PAGE) as ines,
        ):
            for page, name in ((lea, "Léa"), (tom, "Tom"), (ines, "Inès")):
                join(page, url, code, name)
            train(lea), train(tom)
            # a faithful-only student: the classroom's note on saving, nothing about convolutional presets
            lea.goto(f"{url}#train")
            expect(lea.locator("#classe-save-note")).to_contain_text("document.safetensors")
            expect(lea.locator('[data-i18n="web.train.save_note"]')).to_be_hidden()
            expect(lea.locator("#classe-save-note")).not_to_contain_text("convolutif")
            expect(lea.locator("#train-mode option:not([hidden])")).to_have_count(1)  # the mode allowed only
            expect(lea.locator("#train-mode")).to_have_value("faithful")
            expect(lea.locator('[data-i18n="web.draw.model_note"]')).to_be_hidden()
            lea.screenshot(path=str(shots / "roster-student.png"))

            teacher.set_viewport_size({"width": 1280, "height": 1600})
            teacher.goto(f"{url}teacher?token={TOKEN}")
            expect(teacher.locator("#t-students tbody tr")).to_have_count(3)
            expect(teacher.locator("tr[data-student='Tom']")).to_contain_text("entraînement fini", timeout=120000)
            expect(teacher.locator("tr[data-student='Léa']")).to_contain_text("entraînement fini", timeout=120000)
            # the same end point: the two names are drawn apart, not on top of each other
            drawn = "JSON.parse(document.getElementById('t-curves').dataset.labels || '[]').length == 2"
            teacher.wait_for_function(drawn)
            labels = json.loads(teacher.locator("#t-curves").get_attribute("data-labels"))
            (_, x1, y1), (_, x2, y2) = labels
            assert x1 == x2 and abs(y1 - y2) >= 15, labels
            # the day's instruction: 300 characters, all in view
            box = teacher.locator("#t-constraint-input")
            box.fill("Aujourd'hui on ne change que le taux d'apprentissage ; notez chaque essai. " * 4)
            assert box.evaluate("(el) => el.scrollHeight <= el.clientHeight + 2 && el.value.length === 300")

            # Inès's browser forgot her: « reprendre » gives a link, her new browser opens it
            teacher.locator("tr[data-student='Inès'] button[data-act=resume]").click()
            expect(teacher.locator("#t-resume strong")).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
            link = next(w for w in teacher.locator("#t-resume").inner_text().split() if "?resume=" in w)
            teacher.screenshot(path=str(shots / "roster-teacher.png"), full_page=True)
            with watched_page(browser, **PAGE) as again:
                again.goto(link)
                expect(again.locator("#classe-bar")).to_contain_text("Inès")
            expect(ines.locator("#join-form")).to_be_visible()  # her old browser's page is sent to « Rejoindre »

            # « renommer »: the browser's prompt; « retirer »: a confirmation with a choice for the runs
            teacher.once("dialog", lambda dialog: dialog.accept("Léa M."))
            teacher.locator("tr[data-student='Léa'] button[data-act=rename]").click()
            expect(teacher.locator("tr[data-student='Léa M.']")).to_have_count(1)
            teacher.locator("tr[data-student='Tom'] button[data-act=remove]").click()
            expect(teacher.locator("#t-remove-ask")).to_contain_text("Retirer Tom")
            teacher.locator("#t-remove button[value=cancel]").click()
            expect(teacher.locator("tr[data-student='Tom']")).to_have_count(1)  # cancelled: nothing done
            teacher.locator("tr[data-student='Tom'] button[data-act=remove]").click()
            teacher.locator("#t-remove button[value=keep]").click()
            expect(teacher.locator("tr[data-student='Tom']")).to_have_count(0)
            expect(teacher.locator("#t-runs tbody")).to_contain_text("Tom")  # his run still counts
            # joining closed from the page, and said
            teacher.locator("#t-joining-toggle").click()
            expect(teacher.locator("#t-joining")).to_contain_text("Inscriptions fermées")
            with watched_page(browser, **PAGE) as late:
                late.goto(f"{url}?code={code}")
                late.fill("#join-name", "Zoé")
                late.click("#join-form button[type=submit]")
                expect(late.locator("#join-error")).to_contain_text("fermé la leçon")

            teacher.goto(f"{url}teacher/students/1/summary")
            expect(teacher.locator("svg .axes")).to_have_count(1)
            teacher.screenshot(path=str(shots / "roster-summary.png"))
