"""The exercise in the folder ``reseau site`` writes, opened as a file in Chromium (local/study.js).

A tiny study (one epoch, two seeds, the first 1 000 images) runs in the page's Web Workers, is shown as a
table, exports as CSV with ``reseau experiment``'s columns, and is found again after a reload; a browser
that refuses to keep it says so in one sentence and loses nothing computed.

The page opens only once GET /api/train is answered in the browser (local/train.js, the Train tab's part).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import watched_page
from reseau.experiments import build_studies
from reseau.experiments.site_reference import csv_columns
from test_site_browser import Site, address


def run_tiny_study(page) -> None:
    page.wait_for_selector("#study:not([hidden])")
    for factor in ("hidden", "lr"):
        page.uncheck(f"#study-factors [data-factor={factor}] input[type=checkbox]")
    page.fill("#study-factors [data-factor=epochs] input[type=text]", "1")
    page.fill("#study-seeds", "2")
    page.select_option("#study-images", "1000")
    page.click("#study-start")
    page.wait_for_function("document.getElementById('study').dataset.running === 'false'"
                           " && !document.getElementById('study-csv').hidden", timeout=60_000)


def test_a_study_runs_survives_a_reload_and_exports_csv(browser, site_folder):
    url, inside = address("file", site_folder, None)
    with watched_page(browser, accept_downloads=True) as page:
        site = Site(page, url, inside)
        site.open("#experiments")
        run_tiny_study(page)
        assert "2/2" in page.inner_text("#study-tables")  # one value, both seeds
        assert "Étude finie" in page.inner_text("#study-state")
        with page.expect_download() as download:
            page.click("#study-csv")
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        studies = build_studies(vary=["epochs=1"], seeds=2, limit=1000)
        assert rows[0] == csv_columns(studies)  # reseau experiment's results.csv columns
        assert [(r[0], r[3], r[6], r[7]) for r in rows[1:]] == [("epochs", "1", seed, "1000") for seed in "01"]
        table = page.inner_text("#study-tables")

        page.reload()  # the study is found in the browser
        page.wait_for_selector("body[data-ready=true]", state="attached")
        page.wait_for_function("document.getElementById('study-tables').textContent.includes('2/2')")
        assert page.inner_text("#study-tables") == table
        assert "retrouvée" in page.inner_text("#study-state")
        assert page.is_hidden("#study-storage")
        assert site.foreign == []


def test_storage_refused_is_one_sentence_and_nothing_lost(browser, site_folder):
    refuse = "Object.defineProperty(window, 'indexedDB', {get() { throw new DOMException('no', 'SecurityError'); }});"
    url, inside = address("file", site_folder, None)
    with watched_page(browser, init_script=refuse) as page:
        site = Site(page, url, inside)
        site.open("#experiments")
        run_tiny_study(page)
        assert "2/2" in page.inner_text("#study-tables")
        assert "refuse de garder l'étude" in page.inner_text("#study-storage")
        assert page.is_visible("#study-csv")
