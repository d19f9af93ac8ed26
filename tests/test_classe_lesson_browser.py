"""A whole lesson in a real headless Chromium: ten students, each in their own browser context, and the teacher.

The ten join from the QR code's address, each draws a 1 (answered in their browser, by the network every
student starts with), trains the document's network with a learning rate of the class's five (two
students each, seeds 0 and 1), and sees « Terminé ».  The teacher's page follows: ten students, each
one's training finished, ten runs in the class table, each student's curve drawn in their colour, and
the class's answer, its tables as the Python side computes them from the lesson's runs.  Small trainings
(2 000 images, 2 epochs) keep the lesson short.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CHROMIUM

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from reseau.classe import create_classe_app  # noqa: E402
from reseau.classe.answer import class_answer  # noqa: E402
from reseau.i18n import format_rate  # noqa: E402
from reseau.web.server import BackgroundServer  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")
TOKEN = "lesson-test-token"
RATES = (0.01, 0.05, 0.1, 0.5, 1.0)  # two students each, seeds 0 and 1
STUDENTS = [(f"Élève {k}", RATES[k // 2], k % 2) for k in range(2 * len(RATES))]
TEACHER_JS = Path(__file__).parents[1] / "src" / "reseau" / "classe" / "static" / "teacher.js"


@pytest.fixture
def lesson(model_file, tmp_path):
    app = create_classe_app(
        "lesson", root=tmp_path, host="127.0.0.1", token=TOKEN, slots=2, train_images=2000, start_model=model_file,
        joins_per_minute=2 * len(STUDENTS),  # the ten browsers join from one address
    )
    with BackgroundServer(app) as server:
        yield server.url, app


def colours_on(page, canvas: str) -> set[str]:
    """Every colour (#rrggbb) painted on the canvas ``canvas``."""
    return set(
        page.evaluate(
            """(id) => {
            const c = document.getElementById(id);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            const hex = (v) => v.toString(16).padStart(2, '0');
            for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] === 255) seen.add('#' + hex(d[i]) + hex(d[i + 1]) + hex(d[i + 2]));
            }
            return [...seen];
        }""",
            canvas,
        )
    )


def draw_a_one(page) -> None:
    """A vertical stroke on the pad, with the mouse."""
    box = page.locator("#pad").bounding_box()
    scale = box["width"] / 280
    points = [(box["x"] + x * scale, box["y"] + y * scale) for x, y in ((142, 40), (140, 140), (137, 245))]
    page.mouse.move(*points[0])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x, y, steps=3)
    page.mouse.up()


def test_ten_students_do_a_whole_lesson_and_the_teachers_page_follows(browser, lesson):
    url, app = lesson
    code = app.state.classroom.code
    colours = re.findall(r'"(#[0-9a-f]{6})"', TEACHER_JS.read_text().split("const COLOURS = [")[1].split("]")[0])
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR") for _ in range(11)]
    errors: list[str] = []
    pages = []
    for context in contexts:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_default_timeout(30000)
        pages.append(page)
    teacher, students = pages[0], pages[1:]
    try:
        teacher.goto(f"{url}teacher?token={TOKEN}")
        expect(teacher.locator("#t-code")).to_have_text(code)
        assert not set(colours) & colours_on(teacher, "t-curves")  # no curve yet

        for page in students:  # each stage on every page before the next: the pages work at once
            page.goto(f"{url}?code={code}")  # the QR code's address
        for page, (name, _, _) in zip(students, STUDENTS, strict=True):
            expect(page.locator("#join-code")).to_have_value(code)
            page.fill("#join-name", name)
            page.click("button[type=submit]")
        for page, (name, _, _) in zip(students, STUDENTS, strict=True):
            page.wait_for_selector("body[data-ready=true]")
            expect(page.locator("#classe-bar")).to_contain_text(name)
        expect(teacher.locator("#t-students tbody tr")).to_have_count(len(STUDENTS))

        for page in students:
            draw_a_one(page)
        for page in students:
            expect(page.locator("#draw-answer")).to_have_attribute("data-digit", "1")

        for page, (_, rate, seed) in zip(students, STUDENTS, strict=True):
            page.goto(f"{url}#train")
            page.wait_for_selector("body[data-ready=true]")
            page.fill("#train-epochs", "2")
            page.fill("#train-lr", format_rate(rate, "fr"))
            page.fill("#train-seed", str(seed))
            page.click("#train-start")
        for page in students:
            expect(page.locator("#train-result")).to_contain_text("Terminé", timeout=120000)

        expect(teacher.locator("#t-runs tbody tr")).to_have_count(len(STUDENTS), timeout=30000)
        for name, _, _ in STUDENTS:
            expect(teacher.locator(f"tr[data-student='{name}']")).to_contain_text("entraînement fini")
        ids = [s.id for s in app.state.classroom.db.students()]
        expected = class_answer(app.state.classroom.db.runs(), "fr")  # the class's answer, computed here
        tables = teacher.locator("#t-tables > div")
        expect(tables).to_have_count(len(expected["tables"]), timeout=30000)
        for k, table in enumerate(expected["tables"]):
            expect(tables.nth(k).locator("h3")).to_have_text(table["label"])
            expect(tables.nth(k).locator("tr")).to_have_count(1 + len(table["points"]))  # a head, then a row each
        expect(teacher.locator("#t-conclusions li")).to_have_count(len(expected["conclusions"]))
        expect(teacher.locator("#t-plots svg")).to_have_count(len(expected["plots"]))
        painted = colours_on(teacher, "t-curves")
        assert {colours[(i - 1) % len(colours)] for i in ids} <= painted  # every student's curve, in their colour
    finally:
        for context in contexts:
            context.close()
    assert not errors, errors
