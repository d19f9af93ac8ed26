"""Random and crafted inputs for ``reseau experiment`` (hypothesis): stores, rows, JSON, study specs.

- another program's SQLite files (random tables, rows, ids, journal modes),
  and real stores with random bytes changed: refused with a message, and a
  file that is not reseau's is left byte for byte as it was, no side file added;
- reseau stores whose rows hold values of any type, or whose description of
  the last study is random or bent JSON: read back, or one clear message;
- random ``--vary`` / ``--grid`` / ``--set`` words through the parser: studies
  or a :class:`ConfigError`, and what is accepted is small enough and written
  back as a command line that asks for the same runs.

Nothing is trained.  Every input gives a result or a :class:`ReseauError`,
never another exception (a traceback).  The number of examples is fixed so
the file stays within the test budget; ``RESEAU_FUZZ_EXAMPLES=2000 python -m
pytest tests/test_fuzz_store.py`` runs a longer fuzz.  The count of inputs
tried is printed at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseau import experiments
from reseau.cli import run
from reseau.errors import ConfigError, ReseauError
from reseau.experiments import store as store_module
from reseau.experiments.runs import RunResult
from reseau.experiments.studies import MAX_RUNS, build_studies, command_line, factors_for, unique_specs

EXAMPLES = int(os.environ.get("RESEAU_FUZZ_EXAMPLES", "0"))  # 0: each test's own count below


def fuzz(examples: int):
    """Hypothesis settings: ``examples`` inputs (or RESEAU_FUZZ_EXAMPLES), no deadline on a busy machine."""
    return settings(
        max_examples=EXAMPLES or examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


TRIED: dict[str, int] = {}  # inputs tried, by kind, over the whole file (printed at the end)


def tried(kind: str) -> None:
    TRIED[kind] = TRIED.get(kind, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def summary(request):
    """Print how many inputs were tried, on the terminal (output captured or not)."""
    yield
    kinds = ", ".join(f"{n} {kind}" for kind, n in TRIED.items())
    line = (
        f"store fuzz: {sum(TRIED.values())} inputs tried ({kinds}); no traceback, no file that is not reseau's changed"
    )
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if reporter is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():  # shown even though output is captured
        reporter.write_line("\n" + line)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def open_and_read(path: Path) -> ReseauError | None:
    """Open ``path`` as a store and read everything back; the ReseauError it gave, or None."""
    try:
        with experiments.ResultStore(path) as store:
            keys = [r.key for r in store.all()]
            assert all(isinstance(r, RunResult) for r in store.get(keys + ["missing"]).values())
            assert store.count() >= 0  # (a damaged index may disagree with its table: SQLite's business)
            store.last_studies()
    except ReseauError as exc:
        assert str(exc)  # the message renders: every parameter is there
        return exc
    return None


# ---------------------------------------------------------------------------
# Another program's SQLite file: refused, untouched
# ---------------------------------------------------------------------------

NAMES = st.sampled_from(["runs", "meta", "contacts", "moz_places", "key", "value", "name", "x", "sqlite_stat"])
OUR_COLUMNS = list(store_module._COLUMNS)
SQL_VALUES = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.binary(max_size=30),
)


@st.composite
def foreign_schemas(draw) -> list[tuple[str, list[str]]]:
    """Tables and their columns: random, or reseau's own bent a little (a column more or less, a table more)."""
    if draw(st.booleans()):
        tables = {"runs": list(OUR_COLUMNS), "meta": ["name", "value"]}
        bend = draw(st.sampled_from(["drop", "add", "table", "rename", "only_runs", "same"]))
        if bend == "drop":
            tables["runs"].remove(draw(st.sampled_from(OUR_COLUMNS[1:])))
        elif bend == "add":
            tables["runs"].append("extra")
        elif bend == "table":
            tables["contacts"] = ["name"]
        elif bend == "rename":
            tables["results"] = tables.pop("runs")
        elif bend == "only_runs":
            del tables["meta"]
        return list(tables.items())
    names = draw(st.lists(NAMES.filter(lambda n: not n.startswith("sqlite")), min_size=0, max_size=3, unique=True))
    return [(n, draw(st.lists(NAMES.map(lambda c: "c_" + c), min_size=1, max_size=4, unique=True))) for n in names]


@fuzz(120)
@given(
    tables=foreign_schemas(),
    rows=st.lists(st.lists(SQL_VALUES, min_size=30, max_size=30), max_size=4),
    wal=st.booleans(),
    user_version=st.sampled_from([0, 1, 1, 2, 99, -1, 2**31 - 1]),
    application_id=st.sampled_from([0, 0, 0, 1, 0x0F055112, store_module.APPLICATION_ID]),
    extra=st.sampled_from(["", "view", "trigger", "index"]),
)
def test_another_programs_database_is_refused_and_left_untouched(
    tables, rows, wal, user_version, application_id, extra
):
    tried("foreign SQLite files")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "theirs.db"
        db = sqlite3.connect(path)
        if wal:
            db.execute("PRAGMA journal_mode = WAL")
        for name, columns in tables:
            db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
            for row in rows:
                db.execute(f"INSERT INTO {name} VALUES ({', '.join('?' * len(columns))})", row[: len(columns)])
        if tables and extra:
            first = tables[0][0]
            db.execute(
                {
                    "view": f"CREATE VIEW v AS SELECT * FROM {first}",
                    "trigger": f"CREATE TRIGGER t AFTER INSERT ON {first} BEGIN DELETE FROM {first}; END",
                    "index": f"CREATE INDEX i ON {first} ({tables[0][1][0]})",
                }[extra]
            )
        db.execute(f"PRAGMA user_version = {user_version}")
        db.execute(f"PRAGMA application_id = {application_id}")
        db.commit()
        db.close()
        ours = (
            dict(tables) == store_module._TABLES
            and not extra
            and user_version == 1
            and application_id in (0, store_module.APPLICATION_ID)
        )
        before = snapshot(Path(folder))
        error = open_and_read(path)
        if not ours:
            assert error is not None, "another program's file was taken for a store"
            assert error.key in ("experiment.store_foreign", "experiment.store_newer"), error.key
            assert snapshot(Path(folder)) == before


# ---------------------------------------------------------------------------
# A real store, its bytes changed at random
# ---------------------------------------------------------------------------


def fake_result(key: str, **changes) -> RunResult:
    values = dict(
        key=key,
        mode="faithful",
        dataset="mnist",
        settings={"epochs": 1, "hidden": 5, "lr": 0.01},
        seed=0,
        n_train=100,
        precisions=[80.0],
        test_accuracies=[90.0],
        epoch_seconds=[0.1],
        seconds=0.2,
        diverged=False,
        diverged_epoch=None,
        at_chance=False,
        code_version="0+test",
        dataset_hash="0" * 16,
    )
    return RunResult(**(values | changes))


STUDIES = build_studies(vary=["hidden=5,10"], fixed=["epochs=1"], seeds=2, limit=100)


def real_store(path: Path) -> Path:
    """A store of the tiny study, every run in it, and its description."""
    with experiments.ResultStore(path) as store:
        for i, spec in enumerate(unique_specs(STUDIES)):
            store.save(
                fake_result(
                    spec.key, settings=spec.settings, seed=spec.seed, precisions=[80.0 + i], test_accuracies=[85.0 + i]
                )
            )
        store.save_studies(STUDIES, command_line(STUDIES))
    return path


class Content(bytes):
    """A file's bytes, shown short in a failure report."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes>"


@pytest.fixture(scope="module")
def store_bytes(tmp_path_factory) -> Content:
    return Content(real_store(tmp_path_factory.mktemp("store") / "results.sqlite").read_bytes())


@fuzz(120)
@given(data=st.data())
def test_a_store_with_bytes_changed_gives_its_results_or_a_message(store_bytes, data):
    tried("stores with bytes changed")
    content = bytearray(store_bytes)
    for _ in range(data.draw(st.integers(1, 8))):
        where = data.draw(st.one_of(st.integers(0, 99), st.integers(0, len(content) - 1)))  # the header, often
        content[where] = data.draw(st.integers(0, 255))
    cut = data.draw(st.one_of(st.none(), st.integers(0, len(content))))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "results.sqlite"
        path.write_bytes(bytes(content[:cut]))
        before = snapshot(Path(folder))
        error = open_and_read(path)
        if error is not None and error.key in (
            "experiment.store_foreign",
            "experiment.store_not_sqlite",
            "experiment.store_newer",
        ):
            assert snapshot(Path(folder)) == before


# ---------------------------------------------------------------------------
# A reseau store whose rows or description hold anything
# ---------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
ANY_VALUE = st.one_of(
    SQL_VALUES,
    JSON.map(json.dumps),
    st.sampled_from(
        [
            "[",
            "{}",
            "[]",
            "[1e999]",
            "NaN",
            '"x"',
            "[" * 5000 + "]" * 5000,
            "[" * 100_000,
            "1" * 5000,
            '{"epochs": "1"}',
            "[-1, 101, 1e300]",
            "true",
            "0",
            "1",
            "2",
        ]
    ),
)


@fuzz(150)
@given(changes=st.lists(st.tuples(st.sampled_from(OUR_COLUMNS), ANY_VALUE, st.integers(0, 3)), min_size=1, max_size=4))
def test_rows_of_any_type_give_their_results_or_a_message(changes):
    tried("damaged rows")
    with tempfile.TemporaryDirectory() as folder:
        path = real_store(Path(folder) / "results.sqlite")
        with sqlite3.connect(path) as db:
            keys = [k for (k,) in db.execute("SELECT key FROM runs ORDER BY key")]
            for column, value, row in changes:
                with contextlib.suppress(sqlite3.IntegrityError):  # NOT NULL, a key twice: SQLite refuses
                    db.execute(f"UPDATE runs SET {column} = ? WHERE key = ?", (value, keys[row]))
        db.close()
        error = open_and_read(path)
        assert error is None or error.key == "experiment.store_row_bad", error.key


def bent(value, path: list, new):
    """``value`` (JSON) with the item at ``path`` (keys and indexes, as far as they go) replaced by ``new``."""
    if not path or not isinstance(value, (dict, list)) or not value:
        return new
    if isinstance(value, dict):
        key = sorted(value)[path[0] % len(value)]
        return value | {key: bent(value[key], path[1:], new)}
    i = path[0] % len(value)
    return value[:i] + [bent(value[i], path[1:], new)] + value[i + 1 :]


DESCRIPTION = {"studies": [s.to_dict() for s in STUDIES], "command": command_line(STUDIES)}


@fuzz(250)
@given(
    text=st.one_of(
        JSON.map(json.dumps),
        st.builds(bent, st.just(DESCRIPTION), st.lists(st.integers(0, 10), max_size=5), JSON).map(json.dumps),
        st.text(max_size=50),
    )
)
def test_any_description_of_the_last_study_gives_studies_or_a_message(text):
    tried("study descriptions")
    with tempfile.TemporaryDirectory() as folder:
        path = real_store(Path(folder) / "results.sqlite")
        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET value = ? WHERE name = 'last_studies'", (text,))
        db.close()
        try:
            with experiments.ResultStore(path) as store:
                studies, command = store.last_studies()
        except ReseauError as exc:
            assert exc.key == "experiment.store_meta_bad"
            return
        assert sum(len(s.specs()) for s in studies) <= MAX_RUNS * len(studies)
        assert isinstance(command, str)
        experiments.build_report(studies, {}, command)  # whatever is accepted can be reported on


@fuzz(12)
@given(
    changes=st.lists(st.tuples(st.sampled_from(OUR_COLUMNS[1:]), ANY_VALUE), max_size=3),
    meta=st.one_of(st.none(), st.text(max_size=20), JSON.map(json.dumps)),
    lang=st.sampled_from(["fr", "en"]),
)
def test_the_report_command_on_a_damaged_store_says_what_is_wrong(changes, meta, lang):
    """``reseau experiment --report`` (the whole command: tables, deductions, plots) on a bent store."""
    tried("--report commands")
    with tempfile.TemporaryDirectory() as folder:
        path = real_store(Path(folder) / "results.sqlite")
        with sqlite3.connect(path) as db:
            for column, value in changes:
                with contextlib.suppress(sqlite3.IntegrityError):
                    db.execute(f"UPDATE runs SET {column} = ?", (value,))
            if meta is not None:
                db.execute("UPDATE meta SET value = ?", (meta,))
        db.close()
        assert run(["experiment", "--report", "--lang", lang, "--out", folder]) in (0, 2)


# ---------------------------------------------------------------------------
# Random --vary, --grid and --set words through the parser
# ---------------------------------------------------------------------------

FAITHFUL = list(factors_for("faithful").defaults) + ["learn_rate", "epoch", "seed", "neurons", " hidden"]
MODERN = list(factors_for("modern").defaults) + ["lr", "hidden"]
VALUE_TEXT = st.one_of(
    st.integers(-5, 5000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(1e-6, 1000).map(repr),  # a learning rate with all its digits
    st.text(alphabet="0123456789.-+eExX,= _", max_size=8),
    st.sampled_from(["adam", "sgd", "relu", "true", "non", "none", "784-128-10", "10x10", "1e400", "٣", "1_0"]),
    st.text(max_size=6),
)


@st.composite
def assignments(draw, names: list[str]) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=20))  # anything at all
    name = draw(st.sampled_from(names) | st.text(max_size=6))
    values = draw(st.lists(VALUE_TEXT, max_size=6))
    return f"{name}={','.join(values)}"


@fuzz(300)
@given(
    mode=st.sampled_from(["faithful", "faithful", "modern", "cnn", "quantum"]),
    data=st.data(),
    seeds=st.integers(-1, 120),
    limit=st.one_of(st.none(), st.integers(-1, 70_000)),
)
def test_random_study_words_give_studies_or_a_clear_mistake(mode, data, seeds, limit):
    tried("study specs")
    names = MODERN if mode == "modern" else FAITHFUL
    vary = data.draw(st.lists(assignments(names), max_size=3))
    grid = data.draw(st.lists(assignments(names), max_size=3))
    fixed = data.draw(st.lists(assignments(names), max_size=2))
    try:
        studies = build_studies(vary, grid, fixed, seeds, mode, "mnist", limit)
    except ConfigError as exc:
        assert str(exc)
        return
    assert 0 < len(unique_specs(studies)) <= MAX_RUNS
    if mode == "faithful":  # the command line the report prints asks for exactly the same runs
        words = command_line(studies).split()[2:]
        again = run_words(words)
        assert {s.key for s in unique_specs(again)} == {s.key for s in unique_specs(studies)}


def run_words(words: list[str]):
    """The studies ``reseau experiment WORDS`` asks for (parsed as the command does, nothing trained)."""
    from reseau.cli.experiment_cmd import Options

    vary, fixed, factors, seeds, limit, is_grid = [], [], [], 3, None, False
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--vary":
            vary.append(words[i + 1])
            i += 2
        elif word == "--set":
            fixed.append(words[i + 1])
            i += 2
        elif word == "--seeds":
            seeds = int(words[i + 1])
            i += 2
        elif word == "--limit":
            limit = int(words[i + 1])
            i += 2
        elif word == "--grid":
            is_grid = True
            i += 1
        else:
            factors.append(word)
            i += 1
    return Options(
        factors,
        vary,
        is_grid,
        fixed,
        seeds,
        "faithful",
        None,
        "mnist",
        None,
        None,
        None,
        None,
        None,
        False,
        False,
        limit,
    ).studies()
