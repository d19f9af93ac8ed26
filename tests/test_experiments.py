"""`reseau experiment`: studies, the SQLite store, executors (local pool and Dask), conclusions, report.

Trainings here are tiny (one epoch on the first 3 000 images) except one real
full-data point, checked against the document's own numbers as the faithful
trainer gives them.  The kill-and-resume test is in test_experiments_resume.py.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseau import experiments
from reseau.cli import run
from reseau.errors import ConfigError, DataError, ReseauError
from reseau.experiments import runner
from reseau.experiments import store as store_module
from reseau.experiments import studies as studies_module
from reseau.experiments.conclusions import conclusions
from reseau.experiments.runs import RunResult, execute_run
from reseau.experiments.studies import build_studies, command_line, unique_specs
from reseau.experiments.summary import PointStats, StudyTable

TINY = ["--set", "epochs=1", "--vary", "hidden=5,10", "--seeds", "2", "--limit", "3000"]


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# Studies and run identities
# ---------------------------------------------------------------------------

def test_default_studies_are_the_documents_exercise():
    studies = build_studies()
    assert [s.name for s in studies] == ["epochs", "hidden", "lr"]
    assert studies[0].grid == {"epochs": (1, 2, 3, 5, 10)}
    assert studies[2].grid == {"lr": (0.001, 0.01, 0.1, 1.0, 10.0)}
    assert all(s.base == {"epochs": 3, "hidden": 20, "lr": 0.01} and s.seeds == (0, 1, 2) for s in studies)
    # 15 points x 3 seeds, but the document's own point is in all three studies: trained once
    assert sum(len(s.specs()) for s in studies) == 45
    assert len(unique_specs(studies)) == 39
    assert command_line(studies) == "reseau experiment"


def test_a_runs_key_depends_on_what_determines_its_result_only():
    a = build_studies(vary=["lr=1"], seeds=1)[0].specs()[0]
    b = build_studies(vary=["learn_rate=1.0"], seeds=1)[0].specs()[0]
    c = build_studies(vary=["lr=1"], fixed=["epochs=3", "hidden=20"], seeds=1)[0].specs()[0]
    assert a.key == b.key == c.key  # same settings, however they were written
    assert build_studies(vary=["lr=1"], seeds=2)[0].specs()[1].key != a.key  # another seed
    assert build_studies(vary=["lr=1"], seeds=1, limit=3000)[0].specs()[0].key != a.key
    assert build_studies(vary=["lr=1"], seeds=1, dataset="fashion-mnist")[0].specs()[0].key != a.key


def test_vary_grid_and_set_build_the_studies_asked_for():
    studies = build_studies(vary=["hidden=5,10"], grid=["epochs=1,2", "lr=0.1,0.01,1"],
                            fixed=["epochs=2"], seeds=2)
    assert [s.name for s in studies] == ["hidden", "grid-epochs-lr"]
    assert studies[0].base["epochs"] == 2
    assert len(studies[1].points()) == 6 and {"epochs": 2, "lr": 1.0} in studies[1].points()
    words = command_line(studies)
    assert words == ("reseau experiment --set epochs=2 --vary hidden=5,10 --grid epochs=1,2 "
                     "lr=0.1,0.01,1 --seeds 2")


def test_the_command_line_written_back_keeps_every_digit():
    studies = build_studies(vary=["lr=0.0123456789,1,0.00001"], seeds=1)
    assert command_line(studies) == "reseau experiment --vary lr=0.0123456789,1,1e-05 --seeds 1"


@pytest.mark.parametrize("kwargs, words", [
    ({"vary": ["hidden"]}, "FACTEUR=VALEURS"),
    ({"vary": ["hiden=5"]}, "epochs, hidden, lr"),
    ({"vary": ["hidden=5,abc"]}, "« abc »"),
    ({"vary": ["hidden=0"]}, "entre 1 et 4096 (reçu : 0)"),
    ({"vary": ["lr=-1"]}, "lr doit être un nombre > 0 et au plus 1000 (reçu : \u22121,0)"),
    ({"vary": ["seed=1,2"]}, "--seeds"),
    ({"vary": ["hidden=5,5"]}, "répétée"),
    ({"vary": ["hidden="]}, "Aucune valeur"),
    ({"fixed": ["epochs=1,2"]}, "une seule valeur"),
    ({"grid": ["hidden=5", "hidden=10"]}, "deux fois"),
    ({"seeds": 0}, "entre 1 et 100"),
    ({"mode": "quantum"}, "faithful, modern"),
    ({"limit": 0}, "--limit"),
    ({"vary": ["hidden=1,2,3,4,5,6,7,8,9,10"], "grid": ["epochs=1,2,3,4,5,6,7,8,9,10",
                                                       "lr=1,2,3,4,5,6,7,8,9,10,11"], "seeds": 100},
     "maximum"),
])
def test_mistakes_in_a_study_are_said_clearly(kwargs, words):
    with pytest.raises(ConfigError) as info:
        build_studies(**kwargs)
    assert words in flat(str(info.value))


# ---------------------------------------------------------------------------
# One run, for real: the document's point on the full data
# ---------------------------------------------------------------------------

def test_a_full_data_run_measures_exactly_what_the_faithful_trainer_prints(trained):
    spec = build_studies(vary=["hidden=20"], seeds=1)[0].specs()[0]  # 784-20-10, lr 0.01, 3 epochs, seed 0
    result = execute_run(spec)
    history = trained.info.history.epochs
    assert result.precisions == [e.precision for e in history]  # the document's 86.18 / 92.38 / 93.44
    assert result.test_accuracies == [e.test_accuracy for e in history]
    assert result.test_accuracy == trained.info.test_accuracy
    assert result.n_train == 60_000 and not result.diverged and not result.at_chance
    assert len(result.epoch_seconds) == 3 and result.train_seconds > 0
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*\+faithful\.[0-9a-f]{8}", result.code_version)
    assert re.fullmatch(r"[0-9a-f]{16}", result.dataset_hash)


def test_a_learning_rate_far_too_large_is_flagged_at_chance():
    spec = build_studies(vary=["lr=10"], fixed=["epochs=1"], seeds=1, limit=3000)[0].specs()[0]
    result = execute_run(spec)
    assert result.at_chance and result.test_accuracy < 15
    assert not result.diverged


def test_a_workers_data_error_reaches_the_user_as_its_message(tmp_path):
    studies = build_studies(vary=["hidden=5"], fixed=["epochs=1"], seeds=1, limit=100)
    with experiments.ResultStore(tmp_path / "r.sqlite") as store, ThreadPoolExecutor(1) as pool:
        with pytest.raises(DataError) as info:
            runner.execute(unique_specs(studies), pool, store, data_dir=str(tmp_path))
        assert store.count() == 0
    assert str(tmp_path) in str(info.value) and "RESEAU_DATA" in str(info.value)


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------

def fake_result(key: str, test: float = 90.0, **changes) -> RunResult:
    values = dict(key=key, mode="faithful", dataset="mnist", settings={"epochs": 1, "hidden": 5, "lr": 0.01},
                  seed=0, n_train=100, precisions=[80.0], test_accuracies=[test], epoch_seconds=[0.1],
                  seconds=0.2, diverged=False, diverged_epoch=None, at_chance=False,
                  code_version="0+test", dataset_hash="0" * 16)
    return RunResult(**(values | changes))


def test_the_store_keeps_every_field_and_counts_retrainings(tmp_path):
    path = tmp_path / "deep" / "r.sqlite"
    with experiments.ResultStore(path) as store:
        store.save(fake_result("a", diverged=True, diverged_epoch=2, precisions=[50.0, 60.0],
                               test_accuracies=[40.0, 45.0], epoch_seconds=[0.1, 0.1]))
        store.save(fake_result("b", final_test=97.5))
        store.save(fake_result("b", test=91.0))  # trained again (--force)
    with experiments.ResultStore(path) as store:  # reopened: everything is on disk
        found = store.get(["a", "b", "c"])
        assert set(found) == {"a", "b"}
        assert found["a"].diverged and found["a"].diverged_epoch == 2 and found["a"].test_accuracy is None
        assert found["a"].precisions == [50.0, 60.0]
        assert found["b"].test_accuracies == [91.0] and found["b"].trainings == 2
        assert found["a"].trainings == 1
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_writers_lose_nothing(tmp_path):
    """Four processes write 40 runs each into one store at the same moment."""
    path = tmp_path / "r.sqlite"
    experiments.ResultStore(path).close()
    code = (
        "import sys\n"
        "from reseau.experiments import ResultStore, RunResult\n"
        "w = sys.argv[1]\n"
        "with ResultStore(sys.argv[2]) as store:\n"
        "    for i in range(40):\n"
        "        store.save(RunResult(key=f'{w}-{i}', mode='faithful', dataset='mnist', settings={},"
        " seed=i, n_train=1, precisions=[1.0], test_accuracies=[2.0], epoch_seconds=[0.0], seconds=0.0,"
        " diverged=False, diverged_epoch=None, at_chance=False, code_version='x', dataset_hash='y'))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(w), str(path)], stderr=subprocess.PIPE, text=True)
             for w in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    with experiments.ResultStore(path) as store:
        assert store.count() == 160


def test_a_store_that_is_not_a_database_is_refused_clearly(tmp_path):
    bad = tmp_path / "results.sqlite"
    bad.write_text("these are not the results you are looking for " * 100)
    with pytest.raises(ReseauError) as info:
        experiments.ResultStore(bad)
    assert str(bad) in str(info.value) and "--store" in str(info.value)


# ---------------------------------------------------------------------------
# Executors: the local process pool and a real Dask cluster give the same numbers
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_cli_run(tmp_path_factory):
    """The tiny study run from the command line on 2 local processes: its folder."""
    out = tmp_path_factory.mktemp("tiny")
    assert run(["experiment", *TINY, "--workers", "2", "--out", str(out)]) == 0
    return out


def test_the_command_writes_the_report_and_stores_every_run(tiny_cli_run, capsys):
    out = tiny_cli_run
    for name in ("report.md", "report.html", "hidden.png", "time-hidden.png", "results.sqlite"):
        assert (out / name).stat().st_size > 500, name
    assert (out / "hidden.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (out / "report.md").read_text()
    assert "## Que peut-on en déduire ?" in md and "| `5` |" in md and "| `10` |" in md
    assert "reseau experiment --set epochs=1 --vary hidden=5,10 --seeds 2 --limit 3000" in md
    html = (out / "report.html").read_text()
    assert '<html lang="fr">' in html and '<img src="hidden.png"' in html and "<table>" in html
    with experiments.ResultStore(out / "results.sqlite") as store:
        rows = store.all()
    assert len(rows) == 4 and all(r.trainings == 1 and r.n_train == 3000 for r in rows)
    # the table's numbers are the stored runs' means
    five = [r.test_accuracy for r in rows if r.settings["hidden"] == 5]
    assert f"{sum(five) / 2:.2f}".replace(".", ",") in md


def test_a_rerun_trains_nothing_and_force_trains_again(tiny_cli_run, capsys):
    capsys.readouterr()
    assert run(["experiment", *TINY, "--out", str(tiny_cli_run)]) == 0
    _, stderr = capsys.readouterr()
    assert "4 déjà enregistrés, rien à calculer" in flat(stderr)
    with experiments.ResultStore(tiny_cli_run / "results.sqlite") as store:
        assert {r.trainings for r in store.all()} == {1}


def test_report_only_rewrites_in_english_without_training(tiny_cli_run, capsys):
    capsys.readouterr()
    assert run(["experiment", "--report", "--lang", "en", "--out", str(tiny_cli_run)]) == 0
    stdout, _ = capsys.readouterr()
    assert stdout.startswith("What can we deduce?")
    md = (tiny_cli_run / "report.md").read_text()
    assert "## What can we deduce?" in md and "| hidden neurons |" in md
    with experiments.ResultStore(tiny_cli_run / "results.sqlite") as store:
        assert {r.trainings for r in store.all()} == {1}
    assert run(["experiment", "--report", "--out", str(tiny_cli_run)]) == 0  # back to French
    assert "## Que peut-on en déduire ?" in (tiny_cli_run / "report.md").read_text()


def test_dask_cluster_gives_the_same_results_as_the_local_pool(tiny_cli_run, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    studies = build_studies(vary=["hidden=5,10"], fixed=["epochs=1"], seeds=2, limit=3000)
    with experiments.ResultStore(tiny_cli_run / "results.sqlite") as store:
        local = store.get([s.key for s in unique_specs(studies)])
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None) as cluster,
          experiments.ResultStore(tmp_path / "dask.sqlite") as store):
        remote = experiments.run_studies(studies, store, cluster=cluster.scheduler_address)
        assert store.count() == 4
    assert set(remote) == set(local) and len(local) == 4
    for key, result in remote.items():
        assert result.precisions == local[key].precisions  # bit for bit: same seeds, same numbers
        assert result.test_accuracies == local[key].test_accuracies
    import os
    assert all(r.pid != os.getpid() for r in remote.values())  # trained in the cluster's workers


def test_an_unreachable_cluster_is_said_clearly(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(runner, "CONNECT_TIMEOUT", "1s")
    code = run(["experiment", *TINY, "--cluster", "tcp://127.0.0.1:9", "--out", str(tmp_path)])
    _, stderr = capsys.readouterr()
    assert code == 2 and "tcp://127.0.0.1:9" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("args, words", [
    (["--vary", "hidden=0"], "entre 1 et 4096"),
    (["--vary", "neurons=5"], "Facteur inconnu"),
    (["--workers", "0"], "--workers"),
    (["--mode", "faithful", "--preset", "best"], "--preset"),
    (["--report"], "Aucun résultat"),
    (["--grid"], "--grid epochs=1,3 hidden=10,20"),
])
def test_command_line_mistakes_get_one_clear_message(args, words, tmp_path, capsys):
    assert run(["experiment", *args, "--out", str(tmp_path / "out")]) == 2
    _, stderr = capsys.readouterr()
    assert words in flat(stderr) and "Traceback" not in stderr


# ---------------------------------------------------------------------------
# The modern trainer as a study factor
# ---------------------------------------------------------------------------

def test_a_tiny_modern_study_runs_through_the_same_machinery(tmp_path):
    studies = build_studies(vary=["optimizer=sgd,adam"], fixed=["epochs=1", "val_size=0", "layers=16"],
                            seeds=1, mode="modern", limit=2000)
    assert studies[0].base["layers"] == (16,)
    with experiments.ResultStore(tmp_path / "m.sqlite") as store, ThreadPoolExecutor(1) as pool:
        results = runner.execute(unique_specs(studies), pool, store)
    assert len(results) == 2 and all(r.mode == "modern" and r.test_accuracy > 30 for r in results)
    assert {r.settings["optimizer"] for r in results} == {"sgd", "adam"}
    assert all("+modern." in r.code_version for r in results)
    report = experiments.build_report(studies, {r.key: r for r in results}, lang="fr")
    assert "optimizer" in report.markdown and "optimizer.png" in report.figures


# ---------------------------------------------------------------------------
# « Que peut-on en déduire ? » from fabricated tables
# ---------------------------------------------------------------------------

def point(factor, value, test, std=0.1, precision=None, first=None, seconds=1.0, n=3, **extra) -> PointStats:
    precision = test + 0.2 if precision is None else precision
    return PointStats({factor: value}, n, 3, test, std, precision, std, first or precision - 5,
                      seconds, 0.01, epochs=extra.pop("epochs", 3), **extra)


def table(name, points, base=None) -> StudyTable:
    base = base or {"epochs": 3, "hidden": 20, "lr": 0.01}
    return StudyTable(name, (name,), points, base)


def epochs_table(tests, std=0.1):
    return table("epochs", [point("epochs", e, t, std, seconds=0.2 * e) for e, t in zip((1, 2, 3, 5, 10), tests)])


def test_epochs_plateau_moves_with_the_numbers():
    rising = conclusions([epochs_table([91.1, 92.6, 93.2, 93.9, 94.5])], lang="fr")
    flat_after_3 = conclusions([epochs_table([91.1, 92.6, 93.2, 93.25, 93.28])], lang="fr")
    flat_after_2 = conclusions([epochs_table([91.1, 92.6, 92.65, 92.62, 92.64])], lang="fr")
    assert rising != flat_after_3 != flat_after_2
    text = " ".join(rising)
    assert "progresse encore de 5 à 10 epochs (+0,60 point, plus que le bruit de ± 0,10 point)" in text
    assert "À partir de 3 epochs, le gain tombe sous le bruit" in " ".join(flat_after_3)
    assert "n'apporte que +0,08 point" in " ".join(flat_after_3)  # 93.2 -> 93.28: the gain it rests on
    assert "À partir de 2 epochs" in " ".join(flat_after_2)
    # more seed-to-seed noise: the same means no longer prove a gain from 5 to 10 epochs
    noisy = " ".join(conclusions([epochs_table([91.1, 92.6, 93.2, 93.9, 94.5], std=0.8)], lang="fr"))
    assert "À partir de 5 epochs" in noisy and "n'apporte que +0,60 point" in noisy and "± 0,80 point" in noisy


def test_epochs_decline_is_called_learning_by_heart():
    t = epochs_table([91.0, 92.0, 93.0, 92.0, 91.0])
    t.points[-1].precision_mean = 97.0
    text = " ".join(conclusions([t], lang="fr"))
    assert "De 3 à 10 epochs, le test baisse de 2,00 points" in text and "97,00 %" in text


def lr_table(tests, firsts=None, at_chance=None, diverged=None):
    lrs = (0.001, 0.01, 0.1, 1.0, 10.0)
    firsts = firsts or [t - 5 for t in tests]
    return table("lr", [point("lr", lr, t, first=f, at_chance=(at_chance or {}).get(lr, 0),
                              diverged=(diverged or {}).get(lr, 0))
                        for lr, t, f in zip(lrs, tests, firsts)])


def test_learning_rate_sentences_follow_the_numbers():
    doc = " ".join(conclusions([lr_table([88.6, 93.2, 92.3, 38.7, 9.7], firsts=[60.6, 86.0, 89.4, 36.9, 9.7],
                                         at_chance={10.0: 3})], lang="fr"))
    assert "Le meilleur mesuré est lr = 0.01 : 93,20 % ± 0,10" in doc
    assert "lr = 0.001, plus petit, apprend plus lentement : 55,60 % de « Précision »" not in doc
    assert "lr = 0.001, plus petit, apprend plus lentement : 60,60 %" in doc
    assert "lr = 0.1, plus grand, démarre plus vite (89,40 %" in doc
    assert "Avec lr = 1, l'apprentissage cale : 38,70 %" in doc
    assert "Avec lr = 10, le réseau n'apprend rien : 9,70 %" in doc
    # other numbers, other deductions: 0.1 best, 0.01 within noise, nothing at chance, 10 diverged
    other = " ".join(conclusions([lr_table([80.0, 93.2, 93.25, 91.0, 9.7], diverged={10.0: 2})], lang="fr"))
    assert "Le meilleur mesuré est lr = 0.1 : 93,25 %" in other
    assert "lr = 0.01 fait aussi bien que 0.1" in other
    assert "lr = 1, plus grand" in other and "n'apprend rien" not in other
    assert "lr = 10, l'entraînement diverge" in other and "(2 entraînements sur 3)" in other


def test_hidden_sentences_cite_accuracy_and_time():
    def hidden(tests, seconds):
        return table("hidden", [point("hidden", h, t, seconds=s)
                                for h, t, s in zip((5, 10, 20, 50, 100), tests, seconds)])
    linear = " ".join(conclusions([hidden([85.0, 90.0, 93.2, 94.7, 95.6], [0.5, 1.0, 2.0, 5.0, 10.0])],
                                  lang="fr"))
    assert "de 84,99" not in linear and "le test passe de 85,00 % à 95,60 % (+10,60 points)" in linear
    assert "(× 20,0)" in linear and "à peu près proportionnelle" in linear
    assert "de 5 à 10 neurones, +5,00 points ; de 50 à 100, +0,90 point" in linear
    sublinear = " ".join(conclusions([hidden([85.0, 90.0, 93.2, 94.7, 95.6], [0.7, 0.9, 1.0, 2.0, 3.4])],
                                     lang="fr"))
    assert "moins vite que le nombre de neurones" in sublinear and "× 4,9 de temps" in sublinear


def test_the_gap_between_precision_and_test_is_read_from_the_numbers():
    small = table("hidden", [point("hidden", h, 90.0 + i, precision=90.3 + i) for i, h in enumerate((5, 20, 50))])
    big = table("hidden", [point("hidden", h, 90.0 + i, precision=96.0 + i) for i, h in enumerate((5, 20, 50))])
    small_text = " ".join(conclusions([small], lang="fr"))
    big_text = " ".join(conclusions([big], lang="fr"))
    assert "Il généralise" in small_text and "par cœur" not in small_text.replace("n'apprend pas par cœur", "")
    assert "apprend nettement ses images d'entraînement par cœur" in big_text and "+6,00 points" in big_text
    assert "vaut 91,30 % et le test 91,00 % (écart +0,30 point)" in small_text  # the base point, hidden=20


def test_a_range_whose_ends_read_the_same_is_said_as_one_value():
    """Gaps and seed-to-seed spreads that print alike are one value, not « de −0,36 point à −0,36 point »."""
    same = table("epochs", [point("epochs", e, 91.0 + e, std=0.14, precision=90.64 + e) for e in (1, 2)])
    varied = table("epochs", [point("epochs", e, 91.0 + e, std=0.1 * e, precision=90.6 + e + 0.1 * e)
                              for e in (1, 2)])
    for lang, one_gap, one_std, gaps, stds in (
            ("fr", "(écart de −0,36 point)", "± 0,14 point (écart-type médian).",
             "(écarts de −0,30 point à −0,20 point)",
             "(écart-type médian ; de 0,10 point à 0,20 point selon le réglage)"),
            ("en", "(a gap of −0.36 points)", "± 0.14 points (median standard deviation).",
             "(gaps from −0.30 points to −0.20 points)",
             "(median standard deviation; 0.10 points to 0.20 points depending")):
        text, other = (" ".join(conclusions([t], lang=lang)) for t in (same, varied))
        assert one_gap in text and one_std in text
        assert gaps in other and stds in other


def test_a_study_where_nothing_learns_says_its_one_test_value_once():
    """Every learning rate too large: the test sits at chance, the same for all, said as one number."""
    stuck = table("lr", [point("lr", lr, 9.74, precision=9.9, at_chance=3) for lr in (100.0, 1000.0)])
    spread = table("lr", [point("lr", lr, t, precision=9.9, at_chance=3) for lr, t in ((100.0, 9.74), (1000.0, 10.28))])
    for lang, one, two in (("fr", "le test reste à 9,74 %", "entre 9,74 % et 10,28 %"),
                           ("en", "stays at 9.74%", "between 9.74% and 10.28%")):
        assert one in " ".join(conclusions([stuck], lang=lang))
        assert two in " ".join(conclusions([spread], lang=lang))


def test_english_numbers_and_words():
    text = " ".join(conclusions([epochs_table([91.1, 92.6, 93.2, 93.9, 94.5])], lang="en"))
    assert "The test accuracy goes from 91.10% after 1 epoch to 94.50% after 10 epochs (+3.40 points)" in text


def test_grids_and_other_factors_get_sentences_too():
    grid = StudyTable("grid-epochs-hidden", ("epochs", "hidden"), [
        PointStats({"epochs": e, "hidden": h}, 2, 2, 80 + e + h / 10, 0.2, 81 + e, 0.2, 70, 1.0, 0.1, epochs=e)
        for e in (1, 3) for h in (10, 50)])
    text = " ".join(conclusions([grid], lang="fr"))
    assert "La meilleure combinaison est epochs=3, hidden=50 : 88,00 %" in text
    assert "hidden va de 83,00 % (hidden = 10) à 87,00 % (hidden = 50)" in text
    batch = table("batch_size", [point("batch_size", b, t) for b, t in ((32, 97.0), (128, 97.05))])
    assert "ne change rien de mesurable" in " ".join(conclusions([batch], lang="fr"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["epochs", "hidden", "lr", "dropout"]),
       tests=st.lists(st.floats(5, 99.9), min_size=2, max_size=6),
       stds=st.lists(st.one_of(st.none(), st.floats(0, 5)), min_size=6, max_size=6),
       gaps=st.lists(st.floats(-10, 10), min_size=6, max_size=6),
       seconds=st.lists(st.floats(0.01, 100), min_size=6, max_size=6),
       lang=st.sampled_from(["fr", "en"]))
def test_any_table_gives_sentences_that_each_cite_numbers(kind, tests, stds, gaps, seconds, lang):
    values = {"epochs": [1, 2, 3, 5, 10, 20], "hidden": [5, 10, 20, 50, 100, 200],
              "lr": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0], "dropout": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]}[kind]
    pts = [PointStats({kind: v}, 3, 3, t, s, min(100.0, max(0.0, t + g)), s, max(0.0, t - 5), sec, None,
                      at_chance=3 if t < 15 else 0, epochs=3)
           for v, t, s, g, sec in zip(values, tests, stds, gaps, seconds)]
    sentences = conclusions([table(kind, pts)], lang=lang)
    assert sentences
    for sentence in sentences:
        assert re.search(r"\d", sentence), sentence  # every sentence rests on a number it cites
        assert "{" not in sentence and "None" not in sentence and "nan" not in sentence.lower()


# ---------------------------------------------------------------------------
# The report from fabricated results, and its plots
# ---------------------------------------------------------------------------

def test_report_marks_diverged_chance_and_missing_runs(tmp_path):
    studies = build_studies(vary=["lr=0.01,1,10"], fixed=["epochs=1"], seeds=2)
    results = {}
    for spec in studies[0].specs():
        lr, seed = spec.settings["lr"], spec.seed
        if lr == 1.0 and seed == 1:
            continue  # missing
        diverged = lr == 10.0 and seed == 0
        test = 9.8 if lr == 10.0 else 90.0 + seed
        results[spec.key] = fake_result(
            spec.key, settings=spec.settings, seed=seed, diverged=diverged,
            diverged_epoch=0 if diverged else None, at_chance=lr == 10.0 and not diverged,
            precisions=[] if diverged else [88.0], test_accuracies=[] if diverged else [test])
    report = experiments.build_report(studies, results, lang="fr")
    md = report.markdown
    assert "diverge 1/2" in md and "au hasard 1/2" in md and "manque 1/2" in md
    assert "il manque encore 1 entraînement ;" in md and "1 epoch," in md  # one, in the singular
    path = experiments.write_report(report, tmp_path / "out")
    assert path.read_text() == md and (tmp_path / "out" / "lr.png").stat().st_size > 5000
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_default_dir_is_in_the_user_data_folder():
    import platformdirs

    assert experiments.default_dir() == Path(platformdirs.user_data_dir("reseau")) / "experiments"
    assert json.dumps(dataclasses.asdict(build_studies(vary=["hidden=5"])[0]))  # studies are plain data


# ---------------------------------------------------------------------------
# Hardening: huge studies, --workers, stores that are not reseau's, two reports at once
# ---------------------------------------------------------------------------

def refuse_to_make_points(monkeypatch):
    """Any configuration validated (a point made) fails the test: a huge study must be counted first."""
    def made(*args, **kwargs):
        raise AssertionError("a point was made before the study was counted")
    monkeypatch.setattr(studies_module, "trainer_config", made)


def test_a_grid_of_a_million_points_is_refused_by_counting_first(monkeypatch):
    refuse_to_make_points(monkeypatch)
    hundred = ",".join(str(v) for v in range(1, 101))
    with pytest.raises(ConfigError) as info:
        build_studies(grid=[f"hidden={hundred}", f"epochs={hundred}", f"lr={hundred}"], seeds=1)
    assert "maximum" in flat(str(info.value)) and "1 000 000" in flat(str(info.value))


def test_a_factor_with_a_million_values_is_refused_before_reading_them(monkeypatch):
    refuse_to_make_points(monkeypatch)
    read = []
    monkeypatch.setattr(studies_module, "coerce", lambda text, default: read.append(text) or int(text))
    with pytest.raises(ConfigError) as info:
        build_studies(vary=["hidden=" + ",".join(str(v) for v in range(1, 1_000_001))], seeds=1)
    assert "maximum" in flat(str(info.value)) and read == []


@pytest.mark.parametrize("lang, mode, factor, expected", [
    ("fr", "faithful", "hidden=abc", "(attendu : un nombre entier, comme 20)"),
    ("fr", "faithful", "lr=abc", "(attendu : un nombre, comme 0.01)"),
    ("en", "faithful", "epochs=1.5", "(expected: a whole number, such as 20)"),
    ("fr", "cnn", "batch_norm=peut-être", "(attendu : true, false, oui, non, 1 ou 0)"),
    ("en", "modern", "layers=a-b", "(expected: whole numbers joined by '-', such as 784-100-10)"),
])
def test_a_bad_value_says_what_is_expected_in_words(lang, mode, factor, expected, capsys):
    """Not Python's type names (« attendu : int »): what to type, in the user's language."""
    code = run(["experiment", "--mode", mode, factor, "--lang", lang])
    _, stderr = capsys.readouterr()
    assert code == 2 and expected in flat(stderr), stderr
    assert not re.search(r"\b(int|float|bool|tuple|str)\b", stderr)


def test_a_huge_grid_on_the_command_line_is_refused_at_once_and_writes_nothing(monkeypatch, tmp_path, capsys):
    refuse_to_make_points(monkeypatch)
    hundred = ",".join(str(v) for v in range(1, 101))
    code = run(["experiment", "--grid", f"hidden={hundred}", f"epochs={hundred}", f"lr={hundred}",
                "--out", str(tmp_path / "out")])
    _, stderr = capsys.readouterr()
    assert code == 2 and "maximum" in flat(stderr) and "Traceback" not in stderr
    assert not (tmp_path / "out").exists()  # no store left behind by a mistake


def test_workers_are_capped_by_cores_and_memory_and_the_command_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(runner, "cpu_count", lambda: 2)
    monkeypatch.setattr(runner, "available_memory", lambda: 64 * runner.WORKER_MEMORY)  # memory for 64
    opened = []

    def fake_pool(workers=None):
        opened.append(workers)
        return ThreadPoolExecutor(1)

    def fake_run(spec, data_dir=None):
        return fake_result(spec.key, settings=spec.settings, seed=spec.seed, n_train=100)

    monkeypatch.setattr(runner, "local_pool", fake_pool)
    monkeypatch.setattr(runner, "execute_run", fake_run)
    values = ",".join(str(v) for v in range(5, 25))
    code = run(["experiment", "--set", "epochs=1", "--vary", f"hidden={values}", "--seeds", "1", "--limit", "100",
                "--workers", "1000", "--out", str(tmp_path)])
    _, stderr = capsys.readouterr()
    assert code == 0, stderr
    assert opened == [2]
    assert "--workers 1000" in flat(stderr) and "2 cœurs" in flat(stderr)

    monkeypatch.setattr(runner, "available_memory", lambda: runner.WORKER_MEMORY)  # memory for one only
    assert runner.capped_workers(1000) == 1 and runner.capped_workers(None) == 1


def test_the_library_caps_workers_too(monkeypatch, tmp_path):
    monkeypatch.setattr(runner, "cpu_count", lambda: 3)
    monkeypatch.setattr(runner, "available_memory", lambda: None)
    opened = []
    monkeypatch.setattr(runner, "local_pool", lambda workers=None: opened.append(workers) or ThreadPoolExecutor(1))
    monkeypatch.setattr(runner, "execute_run", lambda spec, data_dir=None: fake_result(spec.key, seed=spec.seed))
    studies = build_studies(vary=["hidden=5,6,7,8,9,10"], fixed=["epochs=1"], seeds=1, limit=100)
    with experiments.ResultStore(tmp_path / "r.sqlite") as store:
        experiments.run_studies(studies, store, workers=1000)
    assert opened == [3]


# --- stores that are not reseau's: refused, and never modified ---

def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` and its bytes (side files -wal, -shm, -journal included)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def foreign_database(path: Path, wal: bool = False, user_version: int = 0, runs_table: bool = False) -> Path:
    """Another program's SQLite file: its own tables and rows."""
    db = sqlite3.connect(path)
    if wal:
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    db.execute("INSERT INTO contacts VALUES ('Ada', '0102030405')")
    if runs_table:
        db.execute("CREATE TABLE runs (key TEXT PRIMARY KEY, anything BLOB)")
    db.execute(f"PRAGMA user_version = {user_version}")
    db.commit()
    db.close()
    return path


@pytest.mark.parametrize("kind", [
    {}, {"wal": True}, {"user_version": 1}, {"user_version": 1, "wal": True},
    {"user_version": 1, "runs_table": True, "wal": True}, {"user_version": 7},
])
def test_another_programs_database_is_refused_and_left_untouched(kind, tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = foreign_database(folder / "address-book.db", **kind)
    before = snapshot(folder)
    with pytest.raises(ReseauError) as info:
        experiments.ResultStore(path)
    message = flat(str(info.value))
    assert str(path) in message and "--store" in message and "supprimez" not in message
    assert snapshot(folder) == before  # not a byte changed, no side file left


def test_the_command_refuses_another_programs_database_clearly(tmp_path, capsys):
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = foreign_database(folder / "places.sqlite", wal=True, user_version=1)
    before = snapshot(folder)
    for args in (["--report"], TINY):
        code = run(["experiment", *args, "--store", str(path), "--out", str(tmp_path / "out")])
        _, stderr = capsys.readouterr()
        assert code == 2 and "Traceback" not in stderr and "n'est pas une base de résultats de reseau" in flat(stderr)
    assert snapshot(folder) == before


def old_store(path: Path, result: RunResult) -> Path:
    """A store as reseau 0.1 wrote it (no application id): still reseau's own."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    columns = ", ".join(f"{name} {kind}" for name, kind in store_module._COLUMNS.items())
    db.execute(f"CREATE TABLE runs ({columns})")
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
    db.execute("PRAGMA user_version = 1")
    row = result.to_dict()
    names = [n for n in store_module._COLUMNS if n != "trainings"]
    db.execute(f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
               [json.dumps(row[n]) if n in store_module._JSON else row[n] for n in names])
    db.commit()
    db.close()
    return path


def test_a_store_written_by_the_previous_version_is_still_read(tmp_path):
    path = old_store(tmp_path / "results.sqlite", fake_result("old", final_test=93.5))
    with experiments.ResultStore(path) as store:
        assert store.get(["old"])["old"].test_accuracy == 93.5
        store.save(fake_result("new"))
    with experiments.ResultStore(path) as store:
        assert store.count() == 2


def test_a_store_from_a_newer_reseau_is_refused_untouched(tmp_path):
    path = tmp_path / "results.sqlite"
    experiments.ResultStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    before = snapshot(tmp_path)
    with pytest.raises(ReseauError) as info:
        experiments.ResultStore(path)
    assert "99" in str(info.value)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("column, value, field", [
    ("precisions", "not json at all", "precisions"),
    ("precisions", '{"a": 1}', "precisions"),
    ("test_accuracies", '["x"]', "test_accuracies"),
    ("settings", "[1, 2]", "settings"),
    ("seed", "abc", "seed"),
    ("diverged", "maybe", "diverged"),
    ("seconds", "fast", "seconds"),
    ("final_test", "x", "final_test"),
    ("mode", b"\x00\x01", "mode"),
    ("epoch_seconds", '[1e999]', "epoch_seconds"),
    ("precisions", "[]", "precisions"),  # one precision per epoch: the report's deductions rely on it
    ("epoch_seconds", "[0.0]", "epoch_seconds"),  # an epoch takes time: the deductions divide by it
    ("test_accuracies", "[250.0]", "test_accuracies"),
])
def test_a_damaged_row_is_said_clearly(column, value, field, tmp_path, capsys):
    path = tmp_path / "results.sqlite"
    studies = build_studies(vary=["hidden=5"], fixed=["epochs=1"], seeds=1, limit=100)
    spec = studies[0].specs()[0]
    with experiments.ResultStore(path) as store:
        store.save(fake_result(spec.key, settings=spec.settings))
        store.save_studies(studies, command_line(studies))
    with sqlite3.connect(path) as db:
        if column == "seconds":  # NOT NULL: rebuild the table without the constraint, as another program might
            db.execute("PRAGMA writable_schema = ON")
            db.execute("UPDATE sqlite_master SET sql = replace(sql, 'seconds REAL NOT NULL', 'seconds REAL') "
                       "WHERE name = 'runs'")
        db.execute(f"UPDATE runs SET {column} = ?", (value,))
    db.close()
    with experiments.ResultStore(path) as store, pytest.raises(ReseauError) as info:
        store.get([spec.key])
    assert field in str(info.value) and spec.key in str(info.value)
    code = run(["experiment", "--report", "--out", str(tmp_path)])
    _, stderr = capsys.readouterr()
    assert code == 2 and field in stderr and "Traceback" not in stderr


HUGE_GRID = json.dumps({"hidden": list(range(1, 4001)), "epochs": list(range(1, 101))})


@pytest.mark.parametrize("value", [
    "{not json", "[]", '{"studies": []}', '{"studies": [{"name": 1}]}', '{"studies": "x"}',
    '{"studies": [{"name": "hidden", "grid": {"hidden": [5]}, "base": {}, "seeds": [0], "mode": "quantum",'
    ' "dataset": "mnist", "limit": null, "preset": null}]}',
    '{"studies": [{"name": "hidden", "grid": {"hidden": [5, "x"]}, "base": {"epochs": 1, "hidden": 20, "lr": 0.1},'
    ' "seeds": [0], "mode": "faithful", "dataset": "mnist", "limit": null, "preset": null}]}',
    '{"studies": [{"name": "g", "grid": ' + HUGE_GRID + ', "base": {"epochs": 1, "hidden": 20, "lr": 0.1},'
    ' "seeds": [0], "mode": "faithful", "dataset": "mnist", "limit": null, "preset": null}]}',
])
def test_a_damaged_description_of_the_last_study_is_said_clearly(value, tmp_path, capsys, monkeypatch):
    path = tmp_path / "results.sqlite"
    with experiments.ResultStore(path) as store:
        store.save(fake_result("a"))
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO meta (name, value) VALUES ('last_studies', ?)", (value,))
    db.close()
    if value.count(",") > 1000:
        refuse_to_make_points(monkeypatch)  # 400 000 points: counted, not made
    code = run(["experiment", "--report", "--out", str(tmp_path)])
    _, stderr = capsys.readouterr()
    assert code == 2 and "Traceback" not in stderr and "--report --vary" in flat(stderr), stderr


# --- two reports at once ---

def test_two_reports_written_at_once_do_not_collide(tmp_path):
    """A second writer starts while the first is half-way through the same file: both succeed, whole."""
    from reseau.experiments import report as report_module

    target = tmp_path / "report.md"

    def first(f):
        f.write(b"first half, ")
        report_module._atomic_write(target, lambda g: g.write(b"the other report"))  # someone else, meanwhile
        f.write(b"second half")

    report_module._atomic_write(target, first)
    assert target.read_bytes() == b"first half, second half"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left
    assert target.stat().st_mode & 0o777 == 0o666 & ~current_umask()


def current_umask() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    return 0o022


# ---------------------------------------------------------------------------
# Conclusions: deductions that agree with each other, and say what a difference is worth
# ---------------------------------------------------------------------------

def one_seed(factor, value, test, precision, seconds):
    """A point measured with a single seed: no seed-to-seed spread, of accuracy or of time."""
    return PointStats({factor: value}, 1, 1, test, None, precision, None, precision - 5, seconds, None, epochs=3)


def one_seed_hidden_table() -> StudyTable:
    """`reseau experiment --vary hidden=10,20 --seeds 1`, as measured (the report that contradicted itself)."""
    points = [one_seed("hidden", 10, 89.09, 90.33, 0.41), one_seed("hidden", 20, 93.32, 93.44, 0.43)]
    return StudyTable("hidden", ("hidden",), points, {"epochs": 3, "hidden": 20, "lr": 0.01}, seeds=1)


@pytest.mark.parametrize("lang, too_small, by_heart, not_by_heart, unverified, once", [
    ("fr", "réseau est trop petit", "début d'apprentissage par cœur", "ce n'est pas de l'apprentissage par cœur",
     "Une seule graine par point : cet écart n'est pas vérifié", "mesurée une seule fois"),
    ("en", "network is too small", "beginning of learning by heart", "this is not learning by heart",
     "One seed per point: this difference is not verified", "measured once"),
])
def test_a_network_too_small_is_not_called_learning_by_heart(lang, too_small, by_heart, not_by_heart,
                                                             unverified, once):
    sentences = conclusions([one_seed_hidden_table()], lang=lang)
    text = " ".join(sentences)
    assert too_small in text and by_heart not in text  # 10 neurons underfit: its +1,24 gap is no memorising
    underfit = next(s for s in sentences if not_by_heart in s)
    assert ("+1,24 point" if lang == "fr" else "+1.24 points") in underfit and "hidden=10" in underfit
    growth = next(s for s in sentences if ("+4,23 points" if lang == "fr" else "+4.23 points") in s)
    assert growth.endswith(unverified + ".")
    time = next(s for s in sentences if ("pente" if lang == "fr" else "slope") in s)
    assert once in time  # a time measured once, by the clock: said so
    assert "± 0,00" not in text and "± 0.00" not in text  # one seed has no spread to show


def test_the_same_gap_where_the_network_learns_well_is_still_learning_by_heart():
    t = one_seed_hidden_table()
    t.points[0].precision_mean = 92.0  # 10 neurons now learn their images nearly as well as 20: +2,91 is memorising
    text = " ".join(conclusions([t], lang="fr"))
    assert "début d'apprentissage par cœur" in text and "trop petit" not in text


def test_a_difference_within_the_seeds_noise_is_said_to_prove_nothing():
    def hidden(std):
        return table("hidden", [point("hidden", 10, 93.10, std), point("hidden", 20, 93.25, std)])

    noisy = " ".join(conclusions([hidden(0.3)], lang="fr"))
    assert "(+0,15 point)" in noisy and "Cet écart reste dans le bruit entre graines (± 0,30 point)" in noisy
    clear = " ".join(conclusions([hidden(0.05)], lang="fr"))
    assert "(+0,15 point)" in clear and "dans le bruit" not in clear
    english = " ".join(conclusions([hidden(0.3)], lang="en"))
    assert "This difference is within the seed-to-seed noise (± 0.30 points): it proves nothing." in english


@pytest.mark.parametrize("lang, busy", [("fr", "la machine était occupée par ailleurs"),
                                        ("en", "the machine was busy with something else")])
def test_times_measured_on_a_busy_machine_are_said_to_be_so(lang, busy):
    def hidden(time_std):
        return table("hidden", [PointStats({"hidden": h}, 3, 3, 90.0 + k, 0.1, 90.2 + k, 0.1, 85.0, s, time_std * s,
                                           epochs=3) for k, (h, s) in enumerate(((10, 1.0), (20, 1.2), (50, 2.0)))])

    loaded = [s for s in conclusions([hidden(0.25)], lang=lang) if ("pente" if lang == "fr" else "slope") in s]
    quiet = [s for s in conclusions([hidden(0.02)], lang=lang) if ("pente" if lang == "fr" else "slope") in s]
    assert len(loaded) == len(quiet) == 1
    assert busy in loaded[0] and ("± 25 %" if lang == "fr" else "± 25%") in loaded[0]
    assert busy not in quiet[0]


def test_the_reports_counts_are_in_the_singular_when_one():
    t = one_seed_hidden_table()
    t.points[0].n, t.points[0].test_mean = 0, None  # one training missing
    text = " ".join(conclusions([t], lang="fr"))
    assert "il manque encore 1 entraînement ;" in text and "entraînement(s)" not in text
    rise = " ".join(conclusions([epochs_table([91.1, 92.6, 93.2, 93.9, 94.5])], lang="fr"))
    assert "après 1 epoch à 94,50 % après 10 epochs" in rise


def test_a_tiny_real_experiment_says_its_plan_in_the_singular_on_one_line(tmp_path, capsys):
    """The reproduction: one seed, two points, on a few images, run from the command line."""
    out = tmp_path / "one-seed"
    assert run(["experiment", "--vary", "hidden=10,20", "--seeds", "1", "--set", "epochs=1", "--limit", "2000",
                "--workers", "1", "--out", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    plan = next(line for line in stderr.splitlines() if line.startswith("2 entraînements"))
    assert plan.startswith("2 entraînements (2 points × 1 graine, points communs comptés une fois) : "
                           "0 déjà enregistré, 2 à calculer sur 1 processus local.")  # one line: not a terminal
    assert "Terminé : 2 entraînements en" in stderr
    assert "Une seule graine par point : cet écart n'est pas vérifié" in stdout
    md = (out / "report.md").read_text()
    assert "1 epoch, l'algorithme du document" in md
