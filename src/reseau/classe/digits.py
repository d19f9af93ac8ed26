"""The class's own digits: each student's « Mes chiffres » set, sent to the lesson when the teacher allows it.

The lesson's last point made concrete: how each network reads *this class's*
handwriting, next to its accuracy on MNIST's test set.  A student sends the
set their page keeps (first names only: the set is stored under the student,
whose name is their first name); the teacher's page shows the class's set,
how each network reads it, and exports it as MNIST's two IDX files
(:mod:`reseau.digitset`)::

    GET  /api/classe/digits                   the student: may they send, how many digits they sent
    POST /api/classe/digits                   {"images": base64 of n * 784 bytes, "labels": [n digits]}
    GET  /api/classe/teacher/digits           the class's set: who sent what, how each network reads it
    POST /api/classe/teacher/digits           {"allowed": true | false}
    GET  /api/classe/export/digits/{file}     t10k-images-idx3-ubyte.gz or t10k-labels-idx1-ubyte.gz

The sets live in the lesson's SQLite file (table ``digits``, one row a
student, the last set sent), so a server stopped at any moment keeps them.
"""

from __future__ import annotations

import base64
import binascii
import gzip
from typing import Any

import numpy as np
from fastapi import APIRouter, Response
from pydantic import Field

from reseau import digitset, modelfile
from reseau.classe import pages
from reseau.classe.lesson import MODEL, Classroom
from reseau.classe.routes import ClassroomDep, StudentDep
from reseau.errors import ReseauError
from reseau.web.errors import WebError
from reseau.web.schemas import Strict

MAX_DIGITS = 2000  # a student's set, at most (the page keeps at most as many)
SIDE = 28
ALLOWED = "digits_allowed"  # the lesson's meta key: may students send their set (default: no)

router = APIRouter()


class DigitsRequest(Strict):
    images: str = Field(max_length=4 * (MAX_DIGITS * SIDE * SIDE // 3 + 1))  # base64 of n * 784 bytes
    labels: list[int] = Field(min_length=1, max_length=MAX_DIGITS)


class AllowRequest(Strict):
    allowed: bool = Field(strict=True)


# ---------------------------------------------------------------------------
# The sets in the lesson's database
# ---------------------------------------------------------------------------


def class_sets(classroom: Classroom, student: int | None = None) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Every set sent (or one student's): (first name, images (n, 28, 28) uint8, labels (n,) uint8)."""
    found = []
    for _, name, labels, images in classroom.db.digits(student):
        found.append((name, np.frombuffer(images, np.uint8).reshape(-1, SIDE, SIDE), np.frombuffer(labels, np.uint8)))
    return found


def class_set(classroom: Classroom) -> tuple[np.ndarray, np.ndarray]:
    """The class's set: every student's images and labels, one after the other."""
    sets = class_sets(classroom)
    images = np.concatenate([i for _, i, _ in sets]) if sets else np.zeros((0, SIDE, SIDE), np.uint8)
    labels = np.concatenate([k for _, _, k in sets]) if sets else np.zeros(0, np.uint8)
    return images, labels


def checked_set(req: DigitsRequest) -> tuple[np.ndarray, np.ndarray]:
    """The request's set as arrays; 422 with one sentence if it is not n images of 28x28 and n digits."""
    try:
        raw = base64.b64decode(req.images, validate=True)
    except (binascii.Error, ValueError):
        raise WebError("classe.digits.bad", status=422, field="images") from None
    labels = np.array(req.labels)
    if len(raw) != len(labels) * SIDE * SIDE or labels.min() < 0 or labels.max() > 9:
        raise WebError("classe.digits.bad", status=422, field="images")
    return np.frombuffer(raw, np.uint8).reshape(-1, SIDE, SIDE), labels.astype(np.uint8)


# ---------------------------------------------------------------------------
# How each network reads the class's set
# ---------------------------------------------------------------------------


def networks(classroom: Classroom) -> list[tuple[str, modelfile.SavedModel]]:
    """The networks to compare: the one every student starts with, then each student's own (if it loads)."""
    found = []
    paths = [("", classroom.start_model)]
    paths += [(row.name, classroom.folder / "students" / str(row.id) / MODEL) for row in classroom.db.students()]
    for name, path in paths:
        if not path.is_file():
            continue
        try:
            found.append((name, modelfile.load(path)))
        except ReseauError:  # a file being replaced, a damaged one: not in the table this time
            continue
    return found


def reading(model: modelfile.SavedModel, images: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """How one network reads the set: per digit, overall, its confusions; and its accuracy on MNIST's test set."""
    found = digitset.evaluate(model.network, images, labels)
    return {
        "per_digit": found.per_digit(),
        "count": found.count.tolist(),
        "correct": found.correct.tolist(),
        "accuracy": found.accuracy,
        "confusions": found.confusions()[:8],
        "mnist": model.info.test_accuracy,
        "sizes": list(model.network.sizes),
        "mode": model.info.mode,
    }


# ---------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------


@router.get("/api/classe/digits")
def my_digits(student: StudentDep, classroom: ClassroomDep) -> dict:
    sent = sum(len(k) for _, _, k in class_sets(classroom, student.id))
    return {"allowed": bool(classroom.db.get(ALLOWED, False)), "sent": sent}


@router.post("/api/classe/digits")
def send_digits(student: StudentDep, classroom: ClassroomDep, req: DigitsRequest) -> dict:
    if not classroom.db.get(ALLOWED, False):
        raise WebError("classe.digits.not_allowed", status=403)
    images, labels = checked_set(req)
    classroom.db.put_digits(student.id, labels.tobytes(), images.tobytes())
    return {"sent": len(labels)}


@router.get("/api/classe/teacher/digits")
def teacher_digits(classroom: ClassroomDep) -> dict:
    sets = class_sets(classroom)
    images, labels = class_set(classroom)
    readings = []
    if len(labels):
        readings = [{"student": name} | reading(model, images, labels) for name, model in networks(classroom)]
    return {
        "allowed": bool(classroom.db.get(ALLOWED, False)),
        "students": [{"name": name, "count": len(k)} for name, _, k in sets],
        "total": len(labels),
        "per_digit": np.bincount(labels, minlength=10).tolist(),
        "networks": readings,
    }


@router.post("/api/classe/teacher/digits")
def allow_digits(classroom: ClassroomDep, req: AllowRequest) -> dict:
    classroom.db.put(ALLOWED, req.allowed)
    return {"allowed": req.allowed}


@router.get("/api/classe/export/digits/{file_name}", include_in_schema=False)
def export_digits(file_name: str, classroom: ClassroomDep) -> Response:
    names = digitset.SPLIT_FILES["test"]
    if file_name not in names:
        raise WebError("classe.digits.no_file", status=404, files=", ".join(names))
    images, labels = class_set(classroom)
    array, role = (images, "images") if file_name == names[0] else (labels, "labels")
    body = gzip.compress(digitset.idx_bytes(array, role), mtime=0)
    headers = {"Content-Disposition": f'attachment; filename="{file_name}"'} | pages.NO_STORE
    return Response(body, media_type="application/gzip", headers=headers)
