"""The folder ``reseau site`` writes, timed as a student meets it: opening the page, then training.

    python benchmarks/bench_site.py [--repeat 5] [--site DIR]

For each way of opening the folder — (a) a static web server on 127.0.0.1 (any school's web host), and
(b) ``index.html`` opened as a file (a USB stick) — each round opens a fresh browser context (headless
Chromium, Debian's, through Playwright; nothing cached) and times:

- **ready to draw**: from asking for the page to the page saying it is wired (``body[data-ready]``), the
  document's network read and its answer possible;
- **first epoch line**: from the click on « Entraîner » (the document's settings, seed 0) to the line
  ``Epoch : 0, Précision : 86.18%`` on the page — reading the 60 000 images, starting the Web Worker and
  the whole first epoch included;
- **three epochs and the test**: from the click to the test accuracy shown (93,32 %).

The median of ``--repeat`` rounds is kept; the ways take turns so a busy machine slows them alike. Every
round checks the page printed the document's numbers. Tests never time anything: this script is not in the
suite.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip
LINES = ("Epoch : 0, Précision : 86.18%", "Epoch : 1, Précision : 92.38%", "Epoch : 2, Précision : 93.44%")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def one_round(browser, url: str) -> dict[str, float]:
    """One fresh page: ready, first epoch line, whole training (seconds)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", state="attached")
        ready = time.perf_counter() - started
        page.goto(url + "#train")
        page.wait_for_selector("body[data-ready=true]", state="attached")
        page.wait_for_selector("#train-start:not([disabled])")
        clicked = time.perf_counter()
        page.click("#train-start")
        page.wait_for_function(f"document.getElementById('train-log').textContent.includes({LINES[0]!r})")
        first = time.perf_counter() - clicked
        page.wait_for_function("document.getElementById('train-result').textContent.includes('93,32')")
        whole = time.perf_counter() - clicked
        log = page.inner_text("#train-log")
        assert all(line in log for line in LINES), log
        return {"ready": ready, "first": first, "whole": whole}
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--site", type=Path, help="a folder reseau site wrote (default: written now)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from reseau.site import write_site

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.site
        if folder is None:
            folder = Path(tmp) / "site"
            started = time.perf_counter()
            report = write_site(folder)
            print(f"reseau site: {time.perf_counter() - started:.1f} s, {report.size / 2**20:.1f} MiB")
        handler = functools.partial(Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        ways = {
            "(a) static server": f"http://127.0.0.1:{server.server_address[1]}/index.html",
            "(b) opened as a file": (folder / "index.html").as_uri(),
        }
        times: dict[str, list[dict[str, float]]] = {way: [] for way in ways}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.repeat):
                for way, url in ways.items():
                    times[way].append(one_round(browser, url))
            version = browser.version
            browser.close()
        server.shutdown()
    print(f"\nChromium {version}, median of {args.repeat} fresh pages\n")
    print("| the site, opened               | ready to draw | first epoch line | 3 epochs + test |")
    print("|--------------------------------|--------------:|-----------------:|----------------:|")
    for way, rounds in times.items():
        median = {k: statistics.median(r[k] for r in rounds) for k in ("ready", "first", "whole")}
        print(f"| {way:<30} | {median['ready']:>11.2f} s | {median['first']:>14.2f} s | {median['whole']:>13.2f} s |")


if __name__ == "__main__":
    main()
