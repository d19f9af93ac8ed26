"""The result store: one SQLite row per finished run, written the moment it finishes.

Rows are keyed by the run's canonical hash (:attr:`RunSpec.key`), so a rerun
finds what is done and trains only the rest.  The database is in WAL mode with
a busy timeout: several studies may write to one store at once.  A ``meta``
table remembers the last studies run, for ``reseau experiment --report``.

A store is marked as reseau's by SQLite's ``application_id``.  Any other file
given as a store (another program's database, a text file) is recognised from
its first 100 bytes, or read-only, and refused before anything is written: it
is left exactly as it was.  Every row read back is checked, so a damaged store
gives one clear message, never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import sqlite3
import stat
from pathlib import Path
from typing import Any

from reseau.errors import ConfigError, ReseauError
from reseau.experiments.runs import RunResult
from reseau.experiments.studies import Study, restore_studies

STORE_NAME = "results.sqlite"


def default_dir() -> Path:
    """Where the report, its plots and the result store go: ``<user data dir>/experiments``."""
    import platformdirs

    return Path(platformdirs.user_data_dir("reseau")) / "experiments"


SCHEMA_VERSION = 1
APPLICATION_ID = int.from_bytes(b"RSEU", "big")  # PRAGMA application_id: "this SQLite file is a reseau store"
BUSY_TIMEOUT_MS = 60_000  # concurrent writers wait this long for the lock

# SQLite's file header (https://www.sqlite.org/fileformat.html): its first 100 bytes
HEADER_SIZE = 100
MAGIC = b"SQLite format 3\x00"
USER_VERSION_AT = 60  # 4 bytes, big-endian
APPLICATION_ID_AT = 68  # 4 bytes, big-endian
WAL_MODE_AT = 18  # file format read version: 2 in WAL mode

_COLUMNS = {  # column -> SQL type; lists and dicts are stored as JSON text
    "key": "TEXT PRIMARY KEY",
    "mode": "TEXT NOT NULL",
    "dataset": "TEXT NOT NULL",
    "settings": "TEXT NOT NULL",
    "seed": "INTEGER NOT NULL",
    "n_train": "INTEGER NOT NULL",
    "precisions": "TEXT NOT NULL",
    "test_accuracies": "TEXT NOT NULL",
    "epoch_seconds": "TEXT NOT NULL",
    "seconds": "REAL NOT NULL",
    "diverged": "INTEGER NOT NULL",
    "diverged_epoch": "INTEGER",
    "at_chance": "INTEGER NOT NULL",
    "code_version": "TEXT NOT NULL",
    "dataset_hash": "TEXT NOT NULL",
    "host": "TEXT",
    "pid": "INTEGER",
    "started_at": "REAL",
    "finished_at": "REAL",
    "trainings": "INTEGER NOT NULL DEFAULT 1",
    "final_test": "REAL",
}
_TABLES = {"runs": list(_COLUMNS), "meta": ["name", "value"]}  # reseau's schema: table -> its columns
_JSON = ("settings", "precisions", "test_accuracies", "epoch_seconds")
_BOOL = ("diverged", "at_chance")


class ResultStore:
    """Finished runs in an SQLite file; use as a context manager or call :meth:`close`.

    A missing file is created; an existing one must be a reseau store
    (:class:`ReseauError` otherwise, and the file is not modified).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        try:
            if check_header(self.path):  # reads 100 bytes at most; refuses what is not reseau's
                create_store(self.path)
                if check_header(self.path):  # still none: a link to nowhere
                    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        except (sqlite3.Error, OSError) as exc:
            raise ReseauError("experiment.store_bad", path=self.path, reason=describe(exc)) from None
        try:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._adopt()
            self.db.execute("PRAGMA journal_mode = WAL")
        except ReseauError:
            self.db.close()
            raise
        except (sqlite3.Error, OSError, ValueError) as exc:  # ValueError: text that is not UTF-8
            self.db.close()
            raise ReseauError("experiment.store_bad", path=self.path, reason=describe(exc)) from None

    def _adopt(self) -> None:
        """Check again, under SQLite's write lock, that the file is reseau's; mark a 0.1 store as reseau's."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            app, version = read_ids(self.db)
            if app == APPLICATION_ID and version > SCHEMA_VERSION:  # its tables may have changed: say why first
                raise ReseauError("experiment.store_newer", path=self.path, version=version, supported=SCHEMA_VERSION)
            if schema(self.db) != _TABLES or app not in (0, APPLICATION_ID) or not 1 <= version <= SCHEMA_VERSION:
                raise ReseauError("experiment.store_foreign", path=self.path)
            if app == 0:  # written by reseau 0.1, before stores were marked
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # --- runs ---

    def save(self, result: RunResult) -> None:
        """Write one finished run now (its own transaction); a rerun of a key counts one more training."""
        row = result.to_dict()
        names = [n for n in _COLUMNS if n != "trainings"]
        values = [json.dumps(row[n]) if n in _JSON else row[n] for n in names]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "key")
        try:
            with self.db:
                self.db.execute(
                    f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
                    f"ON CONFLICT(key) DO UPDATE SET {updates}, trainings = runs.trainings + 1",
                    values,
                )
        except sqlite3.Error as exc:
            raise ReseauError("experiment.store_write", path=self.path, reason=describe(exc)) from None

    def get(self, keys: list[str]) -> dict[str, RunResult]:
        """The stored results among ``keys``: ``{key: RunResult}``."""
        found: dict[str, RunResult] = {}
        keys = list(keys)
        for i in range(0, len(keys), 500):  # SQLite limits the number of parameters
            chunk = keys[i : i + 500]
            query = f"SELECT * FROM runs WHERE key IN ({', '.join('?' * len(chunk))})"
            found.update((r.key, r) for r in self._results(query, chunk))
        return found

    def all(self) -> list[RunResult]:
        return self._results("SELECT * FROM runs ORDER BY finished_at", [])

    def count(self) -> int:
        return self._read("SELECT COUNT(*) FROM runs", [])[0][0]

    def _read(self, query: str, params: list) -> list[sqlite3.Row]:
        """The rows ``query`` gives (as ``sqlite3.Row``); a damaged file is a :class:`ReseauError`."""
        try:
            cursor = self.db.execute(query, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except (sqlite3.Error, ValueError, MemoryError) as exc:  # ValueError: text that is not UTF-8
            raise ReseauError("experiment.store_bad", path=self.path, reason=describe(exc)) from None

    def _results(self, query: str, params: list) -> list[RunResult]:
        results = []
        for row in self._read(query, params):
            try:
                results.append(to_result(dict(row)))
            except BadField as bad:
                raise ReseauError(
                    "experiment.store_row_bad",
                    path=self.path,
                    run=shorten(row["key"]),
                    field=bad.field,
                    value=shorten(row[bad.field]),
                ) from None
        return results

    # --- what was run last ---

    def save_studies(self, studies: list[Study], command: str = "") -> None:
        value = json.dumps({"studies": [s.to_dict() for s in studies], "command": command})
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('last_studies', ?)", (value,))
        except sqlite3.Error as exc:
            raise ReseauError("experiment.store_write", path=self.path, reason=describe(exc)) from None

    def last_studies(self) -> tuple[list[Study], str] | None:
        """The studies of the last ``reseau experiment`` on this store, and its command line.

        What the store says is checked as the command line would be; :class:`ReseauError` if it is not right.
        """
        rows = self._read("SELECT value FROM meta WHERE name = 'last_studies'", [])
        if not rows:
            return None
        try:
            data = json.loads(rows[0][0])
            studies = restore_studies(data["studies"])
            command = data.get("command", "")
            return studies, command if isinstance(command, str) else ""
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError, ConfigError):
            raise ReseauError("experiment.store_meta_bad", path=self.path) from None


# ---------------------------------------------------------------------------
# Recognising a store before touching it
# ---------------------------------------------------------------------------


def check_header(path: Path) -> bool:
    """True when ``path`` does not exist (a store is to be created); raises unless the file is reseau's.

    The first 100 bytes tell an SQLite file from anything else, and its
    ``application_id`` and ``user_version`` who wrote it.  A file they leave
    in doubt (no application id, schema 1: maybe a store of reseau 0.1) is
    opened read-only to look at its tables.  Nothing is ever written here.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, a device, a pipe (which would block reading)
            raise ReseauError("experiment.store_not_sqlite", path=path)
        with open(path, "rb") as f:
            header = f.read(HEADER_SIZE)
    except FileNotFoundError:
        return True
    if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
        raise ReseauError("experiment.store_not_sqlite", path=path)
    version = int.from_bytes(header[USER_VERSION_AT : USER_VERSION_AT + 4], "big", signed=True)
    app = int.from_bytes(header[APPLICATION_ID_AT : APPLICATION_ID_AT + 4], "big", signed=True)
    if app == APPLICATION_ID and version > SCHEMA_VERSION:
        raise ReseauError("experiment.store_newer", path=path, version=version, supported=SCHEMA_VERSION)
    if app == APPLICATION_ID or (app == 0 and version == 1 and looks_like_a_store(path, header)):
        return False
    raise ReseauError("experiment.store_foreign", path=path)


def looks_like_a_store(path: Path, header: bytes) -> bool:
    """Whether the SQLite file ``path`` has reseau's tables, looked at read-only.

    A database in WAL mode that no one has open has no ``-wal`` file: it is
    read as ``immutable`` then, since even a read-only connection would leave
    ``-wal`` and ``-shm`` files beside it.
    """
    wal = header[WAL_MODE_AT] == 2 and path.with_name(path.name + "-wal").exists()
    uri = path.resolve().as_uri() + ("?mode=ro" if wal else "?immutable=1")
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return False
    try:
        return schema(db) == _TABLES
    except (sqlite3.Error, ValueError):  # ValueError: names that are not UTF-8
        return False
    finally:
        db.close()


def schema(db: sqlite3.Connection) -> dict[str, list[str]] | None:
    """``{table: [columns]}`` of the database; None if it holds anything but plain tables (views, triggers)."""
    tables: dict[str, list[str]] = {}
    for kind, name in db.execute("SELECT type, name FROM sqlite_master"):
        if kind == "table":
            tables[name] = [c[0] for c in db.execute("SELECT name FROM pragma_table_info(?)", (name,))]
        elif not (kind == "index" and str(name).startswith("sqlite_autoindex_")):  # a primary key's own index
            return None
    return tables


def read_ids(db: sqlite3.Connection) -> tuple[int, int]:
    """``(application_id, user_version)`` of an open database."""
    return db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]


def create_store(path: Path) -> None:
    """Make an empty store at ``path``, whole: built beside it, then linked into place.

    So another process never sees half a store; if one made the same store
    at the same moment, its file is kept (and found to be a store).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        db = sqlite3.connect(tmp)
        try:
            with db:
                for table, columns in (("runs", _COLUMNS), ("meta", {"name": "TEXT PRIMARY KEY", "value": "TEXT"})):
                    db.execute(f"CREATE TABLE {table} ({', '.join(f'{n} {kind}' for n, kind in columns.items())})")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            db.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # made by another process meanwhile: use it (it is checked like any file)
        except OSError:  # no hard links on this file system (some network drives)
            if not path.exists():
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# Reading a row back, checked
# ---------------------------------------------------------------------------


class BadField(Exception):
    """A stored value that does not have its field's type."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


MAX_NUMBER = 1e12  # no measure of a run (an accuracy in %, seconds, a Unix time) comes near this


def is_number(value: object) -> bool:
    """A finite int or float of a sensible size (NaN fails the comparison)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and -MAX_NUMBER <= value <= MAX_NUMBER


def is_numbers(value: object) -> bool:
    return isinstance(value, list) and all(is_number(v) for v in value)


_TEXT = ("key", "mode", "dataset", "code_version", "dataset_hash")
_INT = ("seed", "n_train", "trainings")
_CHECKS = {  # field -> (is its value right, what None stands for where it may be missing)
    **{name: (lambda v: isinstance(v, str), None) for name in _TEXT},
    **{name: (lambda v: type(v) is int, None) for name in _INT},
    **{name: (lambda v: v in (0, 1) and type(v) is int, None) for name in _BOOL},
    **{name: (is_numbers, None) for name in ("precisions", "test_accuracies", "epoch_seconds")},
    "settings": (lambda v: isinstance(v, dict), None),
    "seconds": (is_number, None),
    "diverged_epoch": (lambda v: v is None or type(v) is int, None),
    "final_test": (lambda v: v is None or is_number(v), None),
    "host": (lambda v: isinstance(v, str), ""),
    "pid": (lambda v: type(v) is int, 0),
    "started_at": (is_number, 0.0),
    "finished_at": (is_number, 0.0),
}


def to_result(row: dict) -> RunResult:
    """A stored row as a :class:`RunResult`; :class:`BadField` names the first field that is wrong."""
    values: dict[str, Any] = {}
    for name, (check, missing) in _CHECKS.items():
        value = row[name]
        if value is None and missing is not None:
            value = missing
        elif name in _JSON:
            try:
                value = json.loads(value) if isinstance(value, str) else None
            except (ValueError, RecursionError):
                raise BadField(name) from None
        if not check(value):
            raise BadField(name)
        values[name] = bool(value) if name in _BOOL else value
    if bad := inconsistent(values):
        raise BadField(bad)
    return RunResult(**values)


def inconsistent(values: dict) -> str | None:
    """The first field that disagrees with what a run can measure, or None.

    One precision, one test accuracy and one duration per epoch done;
    accuracies are percentages; an epoch takes time.
    """
    if not len(values["precisions"]) == len(values["test_accuracies"]) == len(values["epoch_seconds"]):
        return "precisions"
    for name in ("precisions", "test_accuracies"):
        if not all(0 <= v <= 100 for v in values[name]):
            return name
    if values["final_test"] is not None and not 0 <= values["final_test"] <= 100:
        return "final_test"
    if not all(v > 0 for v in values["epoch_seconds"]):
        return "epoch_seconds"
    return "seconds" if values["seconds"] < 0 else None


def shorten(value: object, limit: int = 60) -> str:
    """A stored value as a short text for a message."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(exc: BaseException) -> str:
    """An OS or SQLite error in a few words (its strerror, else its text)."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
