"""The Train tab of the folder ``reseau site`` writes, in Chromium: the document's training in a Web Worker.

Seed 0, 3 epochs: the three lines ``reseau train`` prints (Python's own, built here) appear one by one, then
93,32 % on the 10 000 test images; the trained network becomes the model in use and a reload keeps it (the
browser's storage); the stop button stops a run. Opened as a file (the worker from the bundled script) and
through a static web server. About 3 s of training in Chromium for the document's run: a slow file.
"""

from __future__ import annotations

import time

from conftest import watched_page
from reseau.i18n import format_number, t
from test_site_browser import Site, address, served  # noqa: F401  (served: the fixture, for the server way)

PROMISED = ["Epoch : 0, Précision : 86.18%", "Epoch : 1, Précision : 92.38%", "Epoch : 2, Précision : 93.44%"]


def python_run(page) -> tuple[list[str], str]:
    """The lines and the test accuracy of the document's network Python trained when it wrote the site (seed 0,
    3 epochs: its record is the site's GET /api/model), as ``reseau train`` prints them."""
    model = page.evaluate("globalThis.RESEAU_SITE.model")
    lines = [t("train.epoch_line", lang="fr", epoch=e["epoch"], precision=e["precision"]) for e in model["history"]]
    return lines, format_number(model["test_accuracy"], 2, "fr")


def test_the_documents_training_prints_its_lines_then_93_32(browser, site_folder):
    way = "file"  # the harder way (the worker from the bundled script); the next test goes through a server
    url, inside = address(way, site_folder, None)
    with watched_page(browser) as page:
        site = Site(page, url, inside)
        site.open("#train")
        assert page.input_value("#train-epochs") == "3" and page.input_value("#train-seed") == "0"
        pressed = time.perf_counter()
        page.click("#train-start")
        page.wait_for_function("document.getElementById('train-log').textContent.includes('Epoch : 0')")
        first_line = time.perf_counter() - pressed
        page.wait_for_function("document.getElementById('train-result').textContent.trim() !== ''", timeout=60_000)
        log = page.inner_text("#train-log")
        lines = [line for line in log.splitlines() if line.startswith("Epoch")]
        python_lines, accuracy = python_run(page)
        assert lines == python_lines == PROMISED
        assert accuracy == "93,32" and f"{accuracy} %" in log.splitlines()[-1]  # the test line after the last epoch
        assert f"{accuracy} %" in page.inner_text("#train-result")
        assert page.is_hidden("#error")
        print(f"{way}: first epoch line {first_line:.2f} s after « Entraîner »")
        status = page.inner_text("#model-status")
        assert "784-20-10" in status and "93,32" in status
        assert site.foreign == []


def test_the_trained_network_is_used_and_kept_across_a_reload(browser, site_folder, served):  # noqa: F811
    url, inside = address("server", site_folder, served)
    with watched_page(browser) as page:
        site = Site(page, url, inside)
        site.open("#train")
        page.fill("#train-epochs", "1")  # one epoch: a network whose test accuracy is not the document's 93,32
        page.click("#train-start")
        page.wait_for_function("document.getElementById('train-result').textContent.trim() !== ''", timeout=60_000)
        accuracy = page.inner_text("#train-log").splitlines()[-1].split(":")[-1].strip().rstrip(" %")
        assert accuracy != "93,32" and accuracy in page.inner_text("#train-result")
        page.wait_for_function(f"document.getElementById('model-status').textContent.includes('{accuracy}')")
        site.open()
        assert accuracy in page.inner_text("#model-status")  # read back from the browser's storage
        assert site.foreign == []


def test_the_stop_button_stops_a_run(browser, site_folder):
    url, inside = address("file", site_folder, None)
    with watched_page(browser) as page:
        site = Site(page, url, inside)
        site.open("#train")
        page.fill("#train-epochs", "50")
        page.click("#train-start")
        page.wait_for_function("document.getElementById('train-log').textContent.includes('Epoch : 0')")
        page.click("#train-stop")
        page.wait_for_function("document.getElementById('train-result').textContent.trim() !== ''")
        result = page.inner_text("#train-result")
        assert "arrêté" in result and "epoch" in result
        assert page.is_enabled("#train-start") and page.is_disabled("#train-stop")
        lines = [line for line in page.inner_text("#train-log").splitlines() if line.startswith("Epoch")]
        assert 1 <= len(lines) < 5
        assert site.foreign == []


def test_only_the_documents_network_trains_here(browser, site_folder):
    url, inside = address("file", site_folder, None)
    with watched_page(browser) as page:
        site = Site(page, url, inside)
        site.open("#train")
        modes = page.eval_on_selector_all("#train-mode option", "options => options.map(o => o.value)")
        other = next((mode for mode in modes if mode != "faithful"), None)
        if other is None:
            return  # the site offers the document's network only: nothing else to refuse
        page.select_option("#train-mode", other)
        page.wait_for_function("document.getElementById('train-estimate').classList.contains('invalid')")
        assert "seul le réseau du document" in page.inner_text("#train-estimate")
