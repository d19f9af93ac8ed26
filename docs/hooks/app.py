"""MkDocs hook: the zero-install lesson inside the documentation site, under ``app/``.

After the pages are built, ``reseau site`` writes its folder (the page, its JS, MNIST, the document's network
trained at seed 0) into ``<site_dir>/app/``, so one static site holds the documentation and the lesson; the home
page links to ``app/index.html``. MNIST is found as ``reseau`` finds it (``RESEAU_DATA``, the cache, or a
download). The drawing network goes in if one is saved (``reseau train --preset dessin``).

``RESEAU_DOCS_STUDY=0`` leaves the exercise's reference study out (CI: it costs about 2 minutes the first time on a
fresh machine); by default it is included, read from ``reseau experiment``'s stored results when they exist.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.app")
APP = "app"
written: set[str] = set()  # the site folders written in this run (mkdocs-static-i18n builds once per language)


def on_startup(command: str, dirty: bool, **kwargs: Any) -> None:
    written.clear()


def on_post_build(config: Any, **kwargs: Any) -> None:
    from reseau.site import write_site

    if config["site_dir"] in written:
        return
    written.add(config["site_dir"])
    studies = None
    if os.environ.get("RESEAU_DOCS_STUDY", "1") != "0":
        from reseau.experiments import build_studies

        studies = build_studies()
    start = time.perf_counter()
    report = write_site(Path(config["site_dir"]) / APP, studies=studies)
    size = report.size / 2**20
    log.info("reseau site -> %s (%.1f MiB, %.1f s)", report.folder, size, time.perf_counter() - start)
