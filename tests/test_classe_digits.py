"""The class's own digits in ``reseau classe`` (:mod:`reseau.classe.digits`): students send their « Mes chiffres »
set when the teacher allows it; the teacher's page shows the class's set and how each network reads it next to
MNIST's test set, and exports it as MNIST's IDX files.

Through the API (refusals, storage, the export read back by :mod:`reseau.data`'s parser, the table computed here
with :mod:`reseau.digitset`), and in Chromium: two students write and send their digits, the teacher's page shows
both.
"""

from __future__ import annotations

import base64
import gzip
import time
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from conftest import CHROMIUM
from reseau import data, digitset, modelfile
from reseau.classe import create_classe_app
from reseau.i18n import t

TOKEN = "digits-test-token"
BASE = "http://127.0.0.1"
MODEL = Path(__file__).parent / "data" / "v0.1-faithful.safetensors"  # the start network: loads in no time
TEACHER = {"Authorization": f"Bearer {TOKEN}"}
IMAGES, LABELS = "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"


def make_app(root: Path):
    return create_classe_app("chiffres", root=root, host="127.0.0.1", token=TOKEN, slots=1, start_model=MODEL)


def student(app, name: str) -> TestClient:
    client = TestClient(app, base_url=BASE)
    joined = client.post("/api/classe/join", json={"code": app.state.classroom.code, "name": name})
    assert joined.status_code == 200
    return client


def a_set(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` MNIST test images (any ``n`` of them), as a student's page sends them."""
    images, labels = data.load_raw("test")
    chosen = np.random.default_rng(seed).choice(len(labels), n, replace=False)
    return np.ascontiguousarray(images[chosen]), np.ascontiguousarray(labels[chosen])


def body(images: np.ndarray, labels: np.ndarray) -> dict:
    return {"images": base64.b64encode(images.tobytes()).decode(), "labels": labels.tolist()}


def test_two_students_send_their_sets_and_the_teacher_reads_and_exports_the_class(tmp_path):
    app = make_app(tmp_path)
    with TestClient(app, base_url=BASE) as teacher:
        lea, tom = student(app, "Léa"), student(app, "Tom")
        (lea_images, lea_labels), (tom_images, tom_labels) = a_set(30, 1), a_set(20, 2)
        refused = lea.post("/api/classe/digits", json=body(lea_images, lea_labels))
        assert refused.status_code == 403 and refused.json()["key"] == "classe.digits.not_allowed"
        assert lea.get("/api/classe/digits").json() == {"allowed": False, "sent": 0}
        assert lea.post("/api/classe/teacher/digits", json={"allowed": True}).status_code == 401  # not a student's
        assert teacher.post("/api/classe/teacher/digits", json={"allowed": True}, headers=TEACHER).json() == {
            "allowed": True
        }
        assert lea.post("/api/classe/digits", json=body(lea_images[:5], lea_labels[:5])).json() == {"sent": 5}
        assert lea.post("/api/classe/digits", json=body(lea_images, lea_labels)).json() == {"sent": 30}  # replaces
        assert tom.post("/api/classe/digits", json=body(tom_images, tom_labels)).json() == {"sent": 20}
        assert lea.get("/api/classe/digits").json() == {"allowed": True, "sent": 30}

        found = teacher.get("/api/classe/teacher/digits", headers=TEACHER).json()
        assert found["students"] == [{"name": "Léa", "count": 30}, {"name": "Tom", "count": 20}]
        images, labels = np.concatenate([lea_images, tom_images]), np.concatenate([lea_labels, tom_labels])
        assert found["total"] == 50 and found["per_digit"] == np.bincount(labels, minlength=10).tolist()
        start = modelfile.load(MODEL)
        expected = digitset.evaluate(start.network, images, labels)
        first = found["networks"][0]  # the start network; then each student's own (a copy of it, here)
        assert first["student"] == "" and [r["student"] for r in found["networks"][1:]] == ["Léa", "Tom"]
        assert first["correct"] == expected.correct.tolist() and first["accuracy"] == pytest.approx(expected.accuracy)
        assert first["mnist"] == pytest.approx(start.info.test_accuracy)

        assert lea.get(f"/api/classe/export/digits/{IMAGES}").status_code in (401, 403)  # the teacher's only
        exported_images = teacher.get(f"/api/classe/export/digits/{IMAGES}", headers=TEACHER)
        exported_labels = teacher.get(f"/api/classe/export/digits/{LABELS}", headers=TEACHER)
        assert exported_images.headers["content-type"] == "application/gzip"
        assert np.array_equal(data.parse_idx(gzip.decompress(exported_images.content), "images"), images)
        assert np.array_equal(data.parse_idx(gzip.decompress(exported_labels.content), "labels"), labels)
        assert teacher.get("/api/classe/export/digits/other.gz", headers=TEACHER).status_code == 404

    reopened = make_app(tmp_path)  # a server stopped and started again keeps the sets
    with TestClient(reopened, base_url=BASE) as teacher:
        again = teacher.get("/api/classe/teacher/digits", headers=TEACHER).json()
        assert again["total"] == 50 and again["allowed"] is True


def test_a_set_that_is_not_one_gets_one_sentence(tmp_path):
    app = make_app(tmp_path)
    with TestClient(app, base_url=BASE) as teacher:
        teacher.post("/api/classe/teacher/digits", json={"allowed": True}, headers=TEACHER)
        lea = student(app, "Léa")
        images, labels = a_set(3, 3)
        bad = [
            {"images": "not base64!", "labels": [1, 2, 3]},
            body(images[:2], labels),  # three digits, two images
            body(images, np.array([1, 2, 10], np.uint8)),  # a digit that is not one
            {"images": "", "labels": []},
        ]
        for request in bad:
            answer = lea.post("/api/classe/digits", json=request)
            assert answer.status_code == 422, (request, answer.text)
            assert answer.json()["detail"] and "Traceback" not in answer.text
        said = lea.post("/api/classe/digits", json=bad[1]).json()
        assert said["key"] == "classe.digits.bad" and said["detail"] == t("classe.digits.bad", lang="fr")
        assert teacher.get("/api/classe/teacher/digits", headers=TEACHER).json()["total"] == 0


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")
def test_two_students_write_and_send_the_teacher_page_shows_both(browser, tmp_path):
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import expect

    from reseau.web.server import BackgroundServer
    from test_mine_browser import write_digits

    app = make_app(tmp_path)
    errors: list[str] = []
    contexts = []

    def page_of(width: int = 1200):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_default_timeout(30000)
        return page

    with BackgroundServer(app) as server:
        url = server.url
        teacher = page_of(1280)
        late = "**/api/classe/messages*"  # the sentences arrive a second late: the section waits for them, no longer
        teacher.route(late, lambda route: (time.sleep(1.0), route.continue_()))  # than that (it polls every 5 s)
        teacher.goto(f"{url}teacher?token={TOKEN}")
        expect(teacher.locator("#t-digits-who")).to_have_text(t("classe.digits.none", lang="fr"), timeout=4500)
        teacher.unroute(late)
        teacher.check("#t-digits-allow")
        expect(teacher.locator("#t-digits-allow")).to_be_checked()
        for name, n in (("Léa", 3), ("Tom", 2)):
            page = page_of()
            page.goto(f"{url}?code={app.state.classroom.code}")
            page.fill("#join-name", name)
            page.click("button[type=submit]")
            page.wait_for_selector("body[data-ready=true]")
            page.goto(f"{url}#mine")
            expect(page.locator("#mine-send")).to_be_visible()
            write_digits(page, n)
            page.click("#mine-send")
            expect(page.locator("#mine-sent")).to_have_text(t("web.mine.sent", lang="fr", n=n))
        teacher.click("#t-digits-refresh")
        who = teacher.locator("#t-digits-who")
        expect(who).to_contain_text(t("classe.digits.sent_by", lang="fr", name="Léa", n=3))
        expect(who).to_contain_text(t("classe.digits.sent_by", lang="fr", name="Tom", n=2))
        expect(teacher.locator("#t-digits-table tbody tr")).to_have_count(3)  # the start network, Léa's, Tom's
        teacher.click("[data-lang=en]")  # the section follows the page's language
        expect(who).to_contain_text(t("classe.digits.sent_by", lang="en", name="Léa", n=3))
        href = teacher.locator("#t-digits-labels").get_attribute("href")
        exported = teacher.context.request.get(url.rstrip("/") + href)
        assert data.parse_idx(gzip.decompress(exported.body()), "labels").shape == (5,)
    for context in contexts:
        context.close()
    assert not errors, errors
