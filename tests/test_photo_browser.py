"""« Photo » in the Draw tab, in a real headless Chromium on `reseau web`: a photo of a digit on paper
given to the file input (as a phone's camera would) shows the six steps' pictures and the network's
answer, the one Python gives for the same file; a file that is not an image shows one sentence."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import CHROMIUM, watched_page

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from reseau import photo, photoset  # noqa: E402
from reseau.web import create_app  # noqa: E402
from reseau.web.server import BackgroundServer  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (apt install chromium)")


def test_a_photo_given_to_the_photo_input_shows_its_steps_and_its_answer(browser, model_file, test_data, tmp_path):
    images, labels = test_data
    made = photoset.photo(images[0].reshape(28, 28), int(labels[0].argmax()), np.random.default_rng(3))
    file = tmp_path / "chiffre.jpg"
    file.write_bytes(made.data)
    (tmp_path / "notes.txt").write_text("pas une photo")
    path = shutil.copy(model_file, tmp_path / "model.safetensors")
    app = create_app(path, experiments_dir=tmp_path / "experiments")
    network = app.state.ctx.store.model.network
    expected = int(network.forward(photo.read_photo(made.data).input.reshape(-1)).argmax())  # Python's answer
    with BackgroundServer(app) as server, watched_page(browser, viewport={"width": 1200, "height": 900}) as page:
        page.goto(f"{server.url}#draw")
        page.wait_for_selector("body[data-ready=true]")  # (the page's own 20 s, not expect's 5 s)
        file_input = page.locator("#photo-file")
        assert file_input.get_attribute("capture") == "environment" and file_input.get_attribute("accept") == "image/*"
        file_input.set_input_files(str(file))
        expect(page.locator("#photo-steps figure img")).to_have_count(6, timeout=20000)
        expect(page.locator("#draw-answer")).to_have_attribute("data-digit", str(expected))
        page.locator("#photo-file").set_input_files(str(tmp_path / "notes.txt"))
        expect(page.locator("#error")).to_be_visible(timeout=20000)
        expect(page.locator("#error-text")).to_contain_text("n'est pas une image")
