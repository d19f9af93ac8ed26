"""The lesson's database: one SQLite file per lesson (WAL), its students and their finished runs.

Tables::

    meta      key -> JSON value        the join code, the teacher's limits and constraint
    students  id, name, session, joined      ``session``: SHA-256 of the student's cookie, never the cookie
    runs      id, student, mode, config, precisions, tests, epoch_seconds, test_accuracy, precision,
              seconds, waited, n_train, finished

A run is written once, when it has finished, in one transaction: a server
stopped at any moment keeps every finished run and every student.  Each
thread gets its own connection (SQLite connections are not shared across
threads); WAL lets the teacher's page read while a run is written.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reseau.errors import ReseauError

SCHEMA_VERSION = 1
APPLICATION_ID = 0x52434C53  # "RCLS": marks the file as a reseau lesson
BUSY_MS = 5000  # wait this long for another writer before giving up

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS students (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, session TEXT NOT NULL UNIQUE,
    joined REAL NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, student INTEGER NOT NULL REFERENCES students(id), mode TEXT NOT NULL,
    config TEXT NOT NULL, precisions TEXT NOT NULL, tests TEXT NOT NULL, epoch_seconds TEXT NOT NULL,
    test_accuracy REAL, precision REAL, seconds REAL NOT NULL, waited REAL NOT NULL, n_train INTEGER NOT NULL,
    finished REAL NOT NULL);
"""


def session_hash(session: str) -> str:
    """What the database keeps of a session cookie: its SHA-256 (a stolen database opens no session)."""
    return hashlib.sha256(session.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass
class StudentRow:
    id: int
    name: str
    joined: float


@dataclass
class RunRow:
    """One finished run of a student (percentages in %, times in seconds)."""

    id: int
    student: int
    name: str  # the student's first name
    mode: str
    config: dict[str, Any]  # the trainer's configuration (Config.to_dict())
    precisions: list[float]  # the document's « Précision » of each epoch
    tests: list[float | None]  # the test accuracy after each epoch
    epoch_seconds: list[float]
    test_accuracy: float | None  # the kept network's
    precision: float | None  # the last epoch's « Précision »
    seconds: float  # the whole training
    waited: float  # time in the queue before it started
    n_train: int  # training images
    finished: float  # Unix time


class LessonDB:
    """The lesson's SQLite file.  A file that is not a reseau lesson is refused, never changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._conn()
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and tables:
            raise ReseauError("classe.error.foreign_db", path=path)
        if not tables:
            with self._write, conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                conn.executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError as exc:
                raise ReseauError("classe.error.bad_db", path=self.path, reason=exc) from None
            self._local.conn = conn
        return conn

    # -- meta ---------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def put(self, key: str, value: Any) -> None:
        with self._write:
            self._conn().execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    # -- students -----------------------------------------------------------

    def add_student(self, name: str, session: str) -> StudentRow | None:
        """A new student; None if the name is taken."""
        joined = time.time()
        with self._write:
            try:
                cur = self._conn().execute(
                    "INSERT INTO students (name, session, joined) VALUES (?, ?, ?)",
                    (name, session_hash(session), joined),
                )
            except sqlite3.IntegrityError:
                return None
        return StudentRow(int(cur.lastrowid or 0), name, joined)

    def student_by_session(self, session: str) -> StudentRow | None:
        return self._student("session", session_hash(session))

    def student(self, student_id: int) -> StudentRow | None:
        return self._student("id", student_id)

    def _student(self, column: str, value: Any) -> StudentRow | None:
        """The student whose ``column`` (one of this module's, never a request's) is ``value``."""
        row = self._conn().execute(f"SELECT id, name, joined FROM students WHERE {column} = ?", (value,)).fetchone()
        return StudentRow(*row) if row else None

    def students(self) -> list[StudentRow]:
        return [StudentRow(*r) for r in self._conn().execute("SELECT id, name, joined FROM students ORDER BY id")]

    # -- runs ---------------------------------------------------------------

    def add_run(self, run: RunRow) -> int:
        """Store a finished run (one transaction); returns its id."""
        curves = [json.dumps(x) for x in (run.config, run.precisions, run.tests, run.epoch_seconds)]
        # the times in milliseconds: every table shows the same stored time
        values = (run.student, run.mode, *curves, run.test_accuracy, run.precision, round(run.seconds, 3))
        values += (round(run.waited, 3), run.n_train, run.finished)
        with self._write:
            cur = self._conn().execute(
                "INSERT INTO runs (student, mode, config, precisions, tests, epoch_seconds, test_accuracy, "
                "precision, seconds, waited, n_train, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        return int(cur.lastrowid or 0)

    def runs(self, student: int | None = None) -> list[RunRow]:
        """Every finished run (or one student's), oldest first."""
        sql = (
            "SELECT r.id, r.student, s.name, r.mode, r.config, r.precisions, r.tests, r.epoch_seconds, "
            "r.test_accuracy, r.precision, r.seconds, r.waited, r.n_train, r.finished "
            "FROM runs r JOIN students s ON s.id = r.student"
        )
        args: tuple = ()
        if student is not None:
            sql, args = sql + " WHERE r.student = ?", (student,)
        found = []
        for row in self._conn().execute(sql + " ORDER BY r.id", args):
            ids_name_mode, curves, rest = row[:4], row[4:8], row[8:]  # curves: config, precisions, tests, seconds
            found.append(RunRow(*ids_name_mode, *map(json.loads, curves), *rest))
        return found

    # -- the class's digits (« Mes chiffres »: reseau.classe.digits) ------------
    # One row a student, the last set they sent: labels (n bytes) and images (n * 784 bytes). The table is made
    # when first used, so that a lesson file written before it opens as it is.

    DIGITS_SCHEMA = (
        "CREATE TABLE IF NOT EXISTS digits (student INTEGER PRIMARY KEY REFERENCES students(id), "
        "labels BLOB NOT NULL, images BLOB NOT NULL, sent REAL NOT NULL)"
    )

    def put_digits(self, student: int, labels: bytes, images: bytes) -> None:
        """Store a student's set, replacing the one they sent before (one transaction)."""
        with self._write:
            conn = self._conn()
            conn.execute(self.DIGITS_SCHEMA)
            conn.execute(
                "INSERT OR REPLACE INTO digits (student, labels, images, sent) VALUES (?, ?, ?, ?)",
                (student, labels, images, time.time()),
            )

    def digits(self, student: int | None = None) -> list[tuple[int, str, bytes, bytes]]:
        """Every set sent (or one student's): (student id, first name, labels, images), in the order they joined."""
        conn = self._conn()
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'digits'").fetchone():
            return []
        sql = "SELECT d.student, s.name, d.labels, d.images FROM digits d JOIN students s ON s.id = d.student"
        args: tuple = ()
        if student is not None:
            sql, args = sql + " WHERE d.student = ?", (student,)
        return [(int(i), str(n), bytes(k), bytes(m)) for i, n, k, m in conn.execute(sql + " ORDER BY s.id", args)]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
