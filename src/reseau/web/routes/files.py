"""The files a page computes from in the browser: the dataset's four IDX files and the model files.

The page (``static/local/files.js``) asks for a file by name and computes for itself what it can: the
answer to a drawing, the step by step.  Only two kinds of name are served, nothing else of the disk::

    GET /api/files/mnist/train-images-idx3-ubyte.gz   a dataset's file, gzip-compressed (as MNIST gives it)
    GET /api/files/dessin.safetensors                 a model file of the model in use's folder

A dataset kept uncompressed is compressed once, in memory.  The dataset's files may be cached by the
browser for a minute; a model file is checked again each time it is asked for (``no-cache``: an unchanged one
costs a 304), since it changes when a training ends and the page reads it again only then.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from reseau import data
from reseau.errors import DataError
from reseau.web.deps import ContextDep
from reseau.web.errors import WebError

router = APIRouter()
CACHE = {"Cache-Control": "max-age=60"}  # the dataset's files
REVALIDATE = {"Cache-Control": "no-cache"}  # a model file: never an old copy once a training replaced it


@router.get("/api/files/{dataset}/{name}", include_in_schema=False)
def dataset_file(ctx: ContextDep, dataset: str, name: str) -> Response:
    info = data.DATASETS.get(dataset)
    if info is None or name not in info.files.values():
        raise WebError("web.files.unknown", status=404, name=f"{dataset}/{name}")
    try:
        source = data.locate(dataset, ctx.cache.data_dir, download=False)
    except DataError:
        source = None
    found = data.idx_path(source.path, name) if source is not None and source.kind == "idx" else None
    if found is None:
        raise WebError("web.files.unknown", status=404, name=f"{dataset}/{name}")
    if found.suffix == ".gz":
        return FileResponse(found, media_type="application/gzip", headers=CACHE)
    return Response(compressed(found, found.stat().st_mtime_ns), media_type="application/gzip", headers=CACHE)


@functools.lru_cache(maxsize=4)
def compressed(path: Path, stamp: int) -> bytes:
    """An uncompressed IDX file gzip-compressed (kept while unchanged: ``stamp`` is its modification time)."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@router.get("/api/files/{name}", include_in_schema=False)
def model_file(ctx: ContextDep, name: str) -> FileResponse:
    path = ctx.shelf.check_name(name)  # a plain model file name of the folder, or a 422
    if not path.is_file():
        raise WebError("web.files.unknown", status=404, name=name)
    return FileResponse(path, media_type="application/octet-stream", headers=REVALIDATE)
