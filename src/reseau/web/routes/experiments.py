"""The experiments view: the report and plots ``reseau experiment`` stored, served read-only.

``reseau experiment`` writes ``report.html``, ``report.md`` and PNG plots
into ``reseau.experiments.default_dir()`` (the user data folder's
``experiments``).  The page shows them if they are there, and says how to
make them if not.  Only report and plot files are served, never anything
outside that folder, and nothing can be written.
"""

from __future__ import annotations

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
    return FileResponse(served_file(ctx.experiments_dir, path), headers={"Cache-Control": "no-cache"})


def summary(folder: Path) -> dict:
    """What the folder holds: the report's URL and text, the plots' URLs (a schemas.Experiments)."""
    html, md = folder / "report.html", folder / "report.md"
    plots = sorted(p.relative_to(folder).as_posix() for p in folder.glob("**/*.png")) if folder.is_dir() else []
    return {
        "available": html.is_file() or md.is_file() or bool(plots),
        "folder": str(folder),
        "report_html": "/experiments/report.html" if html.is_file() else None,
        "report_md": md.read_text(encoding="utf-8", errors="replace") if md.is_file() else None,
        "plots": [f"/experiments/{p}" for p in plots],
    }


def served_file(folder: Path, path: str) -> Path:
    """The file ``path`` of ``folder`` if it is a report or a plot inside it; else a 404."""
    root = folder.resolve()
    target = (root / path).resolve()
    if not (target.is_relative_to(root) and target.is_file() and target.suffix.lower() in SERVED):
        raise WebError("web.error.no_file", status=404, path=path)
    return target
