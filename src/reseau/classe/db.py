"""The lesson's database: one SQLite file per lesson (WAL), its students and their finished runs.

Tables::

    meta      key -> JSON value        the join code, the teacher's limits and constraint
    students  id, name, session, joined, removed, resume, resume_until
              ``session``: SHA-256 of the student's cookie, never the cookie; ``removed``: when the teacher
              removed them keeping their runs (their name is free again); ``resume``: SHA-256 of the
              one-use code the teacher handed them to get their work back on another browser
    runs      id, student, mode, config, precisions, tests, epoch_seconds, test_accuracy, precision,
              seconds, waited, n_train, finished
    asked     student, state, mode, config, dataset, preset, asked, epochs_done
              a student's run asked for and not ended: "waiting" in the queue, "training", or "interrupted"
              (the server stopped before it ended: its student is told so when the server is back)

A run is written once, when it has finished, in the same transaction that
takes it out of ``asked``: a server stopped at any moment (even killed) keeps
every finished run and every student, and knows which runs it did not
finish (:meth:`LessonDB.interrupt`).  Each
thread gets its own connection (SQLite connections are not shared across
threads); WAL lets the teacher's page read while a run is written.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
ASKED = """
CREATE TABLE IF NOT EXISTS asked (
    student INTEGER PRIMARY KEY REFERENCES students(id), state TEXT NOT NULL, mode TEXT NOT NULL,
    config TEXT NOT NULL, dataset TEXT NOT NULL, preset TEXT, asked REAL NOT NULL,
    epochs_done INTEGER NOT NULL DEFAULT 0);
"""  # made on every open: a lesson written before it gets it (nothing else changes)


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


@dataclass
class AskedRow:
    """A student's run asked for and not ended (one per student at most)."""

    student: int
    state: str  # "waiting", "training", or "interrupted" (the server stopped before it ended)
    mode: str
    config: dict[str, Any]  # the trainer's configuration (Config.to_dict())
    dataset: str
    preset: str | None
    asked: float  # Unix time
    epochs_done: int


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
        roster_schema(conn, self._write)
        with self._write:
            conn.executescript(ASKED)

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
        sql = f"SELECT id, name, joined FROM students WHERE {column} = ? AND removed IS NULL"
        row = self._conn().execute(sql, (value,)).fetchone()
        return StudentRow(*row) if row else None

    def students(self) -> list[StudentRow]:
        """The students in the lesson (not those the teacher removed), in the order they joined."""
        sql = "SELECT id, name, joined FROM students WHERE removed IS NULL ORDER BY id"
        return [StudentRow(*r) for r in self._conn().execute(sql)]

    # -- runs ---------------------------------------------------------------

    def add_run(self, run: RunRow) -> int:
        """Store a finished run and take it out of ``asked`` (one transaction); returns its id."""
        curves = [json.dumps(x) for x in (run.config, run.precisions, run.tests, run.epoch_seconds)]
        # the times in milliseconds: every table shows the same stored time
        values = (run.student, run.mode, *curves, run.test_accuracy, run.precision, round(run.seconds, 3))
        values += (round(run.waited, 3), run.n_train, run.finished)
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO runs (student, mode, config, precisions, tests, epoch_seconds, test_accuracy, "
                "precision, seconds, waited, n_train, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            conn.execute("DELETE FROM asked WHERE student = ?", (run.student,))
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

    # -- runs asked for and not ended -----------------------------------------

    def ask(self, student: int, mode: str, config: dict[str, Any], dataset: str, preset: str | None) -> None:
        """The student's run is in the queue (replacing what the table said of their previous run)."""
        values = (student, mode, json.dumps(config), dataset, preset, time.time())
        with self._write:
            self._conn().execute(
                "INSERT OR REPLACE INTO asked (student, state, mode, config, dataset, preset, asked, epochs_done) "
                "VALUES (?, 'waiting', ?, ?, ?, ?, ?, 0)",
                values,
            )

    def note(self, student: int, state: str, epochs_done: int) -> None:
        """The student's run left the queue (``state`` "training"), or finished an epoch."""
        with self._write:
            self._conn().execute(
                "UPDATE asked SET state = ?, epochs_done = ? WHERE student = ? AND state != 'interrupted'",
                (state, epochs_done, student),
            )

    def forget(self, student: int) -> None:
        """The student's run ended without a result (stopped, failed): nothing to tell them after a restart."""
        with self._write:
            self._conn().execute("DELETE FROM asked WHERE student = ?", (student,))

    def interrupt(self) -> int:
        """At start: every run the table says is waiting or training was cut off by the server's stop;
        it becomes "interrupted" (its student is told).  Returns how many."""
        with self._write:
            cur = self._conn().execute("UPDATE asked SET state = 'interrupted' WHERE state != 'interrupted'")
        return cur.rowcount

    def asked(self, state: str | None = None) -> list[AskedRow]:
        """The runs asked for and not ended (those in ``state`` only, if given), by student."""
        sql = "SELECT student, state, mode, config, dataset, preset, asked, epochs_done FROM asked"
        args: tuple = ()
        if state is not None:
            sql, args = sql + " WHERE state = ?", (state,)
        rows = self._conn().execute(sql + " ORDER BY asked", args)
        return [AskedRow(r[0], r[1], r[2], json.loads(r[3]), *r[4:]) for r in rows]

    def integrity(self) -> str:
        """SQLite's own check of the whole file: "ok", or what is wrong."""
        return "; ".join(row[0] for row in self._conn().execute("PRAGMA integrity_check"))

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
        sql = (
            "SELECT d.student, s.name, d.labels, d.images FROM digits d JOIN students s ON s.id = d.student "
            "WHERE s.removed IS NULL"  # a student the teacher removed is no longer in the class's set
        )
        args: tuple = ()
        if student is not None:
            sql, args = sql + " AND d.student = ?", (student,)
        return [(int(i), str(n), bytes(k), bytes(m)) for i, n, k, m in conn.execute(sql + " ORDER BY s.id", args)]

    # -- the roster: the teacher renames, removes, hands a student's work back (issue 24) --------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Several statements as one: all of them are kept, or none (a server stopped between them)."""
        with self._write:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def rename_student(self, student_id: int, name: str) -> bool:
        """Give a student another name; False if another student in the lesson has it."""
        with self._write:
            try:
                sql = "UPDATE students SET name = ? WHERE id = ? AND removed IS NULL"
                self._conn().execute(sql, (name, student_id))
            except sqlite3.IntegrityError:
                return False
        return True

    def remove_student(self, student_id: int, keep_runs: bool) -> int:
        """Take a student out of the lesson: their session opens nothing any more, their name is free.
        With ``keep_runs`` their finished runs stay in the class's answer (under their name); else they go
        with the student.  Returns how many runs went."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM asked WHERE student = ?", (student_id,))  # nothing to tell them any more
            if keep_runs:
                dead = session_hash(secrets.token_urlsafe(24))  # no cookie has it: the old one opens nothing
                conn.execute(
                    "UPDATE students SET removed = ?, session = ?, resume = NULL, resume_until = NULL WHERE id = ?",
                    (time.time(), dead, student_id),
                )
                return 0
            gone = conn.execute("DELETE FROM runs WHERE student = ?", (student_id,)).rowcount
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'digits'").fetchone():  # « Mes chiffres »
                conn.execute("DELETE FROM digits WHERE student = ?", (student_id,))
            conn.execute("DELETE FROM students WHERE id = ?", (student_id,))
            return gone

    def set_resume(self, student_id: int, code: str, until: float) -> None:
        """The one-use code that gives the student's work to a new browser (kept as its SHA-256), until then."""
        with self._write:
            self._conn().execute(
                "UPDATE students SET resume = ?, resume_until = ? WHERE id = ? AND removed IS NULL",
                (session_hash(code), until, student_id),
            )

    def resume(self, code: str, session: str) -> StudentRow | None:
        """The student whose unexpired resume ``code`` this is, now opened by ``session`` only (the code is
        used up, the old browser's session opens nothing); None if no student has this code."""
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT id, name, joined FROM students WHERE resume = ? AND resume_until > ? AND removed IS NULL",
                (session_hash(code), time.time()),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE students SET session = ?, resume = NULL, resume_until = NULL WHERE id = ?",
                (session_hash(session), row[0]),
            )
        return StudentRow(*row)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


# ---------------------------------------------------------------------------
# The roster's columns (issue 24): a lesson file written before them gets them, its students and runs kept
# ---------------------------------------------------------------------------

ROSTER_STUDENTS = """
CREATE TABLE students_roster (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE, session TEXT NOT NULL UNIQUE,
    joined REAL NOT NULL, removed REAL, resume TEXT, resume_until REAL);
INSERT INTO students_roster (id, name, session, joined) SELECT id, name, session, joined FROM students;
DROP TABLE students;
ALTER TABLE students_roster RENAME TO students;
CREATE UNIQUE INDEX students_name ON students (name COLLATE NOCASE) WHERE removed IS NULL;
CREATE UNIQUE INDEX students_resume ON students (resume) WHERE resume IS NOT NULL;
"""


def roster_schema(conn: sqlite3.Connection, lock: threading.Lock) -> None:
    """Give the ``students`` table the roster's columns, once, in one transaction.

    A first name is unique among the students *in* the lesson only (a removed student's runs keep their
    name, and a real Léa can join after a fake « Léa » is removed): SQLite cannot drop a column's UNIQUE,
    so the table is copied into its new shape (SQLite's documented way), ids and all.  A new lesson file
    goes through the same steps, so they are run by every test that opens one.
    """

    def done() -> bool:
        return "removed" in {row[1] for row in conn.execute("PRAGMA table_info(students)")}

    if done():
        return
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            statements = [] if done() else ROSTER_STUDENTS.split(";")  # another server may have just done it
            for statement in statements:
                if statement.strip():
                    conn.execute(statement)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
