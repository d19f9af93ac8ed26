"""The experiments view: the report and plots ``reseau experiment`` stored, served read-only.

``reseau experiment`` writes ``report.html``, ``report.md`` and PNG plots
into ``reseau.experiments.default_dir()`` (the user data folder's
``experiments``).  The page shows them if they are there, and says how to
make them if not.  Only report and plot files are served, never anything
outside that folder, and nothing can be written.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from reseau.web import schemas
from reseau.web.deps import ContextDep
from reseau.web.errors import WebError

SERVED = (".html", ".md", ".png", ".svg", ".csv", ".json", ".txt")  # what /experiments/ may serve

router = APIRouter()


@router.get("/api/experiments", response_model=schemas.Experiments)
def get_experiments(ctx: ContextDep) -> dict:
    return summary(ctx.experiments_dir)


@router.get("/experiments/{path:path}", include_in_schema=False)
def get_experiment_file(ctx: ContextDep, path: str) -> FileResponse:
    """The file ``path`` of the folder if it is a report or a plot inside it; else a 404."""
    target = inside(ctx.experiments_dir, path)
    if target is None or target.suffix.lower() not in SERVED:
        raise WebError("web.error.no_file", status=404, path=path)
    return FileResponse(target, headers={"Cache-Control": "no-cache"})


def summary(folder: Path) -> dict:
    """What the folder holds: the report's URL and text, the plots' URLs (a schemas.Experiments)."""
    html, md = inside(folder, "report.html"), inside(folder, "report.md")
    plots = [p for p in plots_in(folder) if inside(folder, p)]
    return {
        "available": bool(html or md or plots),
        "folder": str(folder),
        "report_html": "/experiments/report.html" if html else None,
        "report_md": md.read_text(encoding="utf-8", errors="replace") if md else None,
        "plots": [f"/experiments/{p}" for p in plots],
    }


def plots_in(folder: Path) -> list[str]:
    """The PNG files under ``folder``, as sorted relative paths (links to other folders are not followed)."""
    found = []
    for top, _, names in os.walk(folder):  # nothing if the folder does not exist
        found += [(Path(top) / name).relative_to(folder).as_posix() for name in names if name.endswith(".png")]
    return sorted(found)


def inside(folder: Path, path: str) -> Path | None:
    """The file ``path`` of ``folder``, if it is one; None if it is missing or not inside ``folder``.

    The path is resolved first: ``..`` and symbolic links (a ``report.md``
    that links to a file elsewhere, a plots folder that links to another)
    cannot lead out of the folder.
    """
    try:
        root = folder.resolve()
        target = (root / path).resolve()
        return target if target.is_relative_to(root) and target.is_file() else None
    except (OSError, ValueError):  # a name too long, a loop of links, a NUL character
        return None
