"""The result store: one SQLite row per finished run, written the moment it finishes.

Rows are keyed by the run's canonical hash (:attr:`RunSpec.key`), so a rerun
finds what is done and trains only the rest.  The database is in WAL mode with
a busy timeout: several studies may write to one store at once.  A ``meta``
table remembers the last studies run, for ``reseau experiment --report``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from reseau.errors import ReseauError
from reseau.experiments.runs import RunResult
from reseau.experiments.studies import Study

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60_000  # concurrent writers wait this long for the lock

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
_JSON = ("settings", "precisions", "test_accuracies", "epoch_seconds")
_BOOL = ("diverged", "at_chance")


class ResultStore:
    """Finished runs in an SQLite file; use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA journal_mode = WAL")
            self._create()
        except (sqlite3.Error, OSError) as exc:
            raise ReseauError("experiment.store_bad", path=self.path, reason=str(exc)) from None

    def _create(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"written by a newer reseau (schema {version})")
        columns = ", ".join(f"{name} {kind}" for name, kind in _COLUMNS.items())
        with self.db:
            self.db.execute(f"CREATE TABLE IF NOT EXISTS runs ({columns})")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

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
        with self.db:
            self.db.execute(
                f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
                f"ON CONFLICT(key) DO UPDATE SET {updates}, trainings = runs.trainings + 1",
                values,
            )

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
        return list(self._results("SELECT * FROM runs ORDER BY finished_at", []))

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]

    def _results(self, query: str, params: list):
        cursor = self.db.execute(query, params)
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(names, values))
            for n in _JSON:
                row[n] = json.loads(row[n])
            for n in _BOOL:
                row[n] = bool(row[n])
            yield RunResult(**row)

    # --- what was run last ---

    def save_studies(self, studies: list[Study], command: str = "") -> None:
        value = json.dumps({"studies": [s.to_dict() for s in studies], "command": command})
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('last_studies', ?)", (value,))

    def last_studies(self) -> tuple[list[Study], str] | None:
        """The studies of the last ``reseau experiment`` on this store, and its command line."""
        row = self.db.execute("SELECT value FROM meta WHERE name = 'last_studies'").fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        return [Study.from_dict(s) for s in data["studies"]], data.get("command", "")
