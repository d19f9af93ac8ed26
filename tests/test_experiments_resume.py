"""Nothing lost: Ctrl-C, a hard kill and a killed worker half-way through a study, then a rerun.

The study runs as a user runs it (``python -m reseau experiment`` in its own
process group, one worker process); the store is watched from outside.  The
whole group gets SIGINT (a terminal's Ctrl-C); on the second try SIGKILL; on
the third, only the worker process is killed.  The last run must train only
what is missing: every stored run keeps its timestamp and is trained once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

STUDY = ["experiment", "--set", "epochs=1", "--vary", "hidden=5,6,7,8,9,10,11,12", "--seeds", "2",
         "--limit", "30000", "--workers", "1"]
TOTAL = 16


def stored(path) -> dict[str, tuple[float, int]]:
    """key -> (finished_at, trainings) of the runs in the store (read from outside)."""
    if not path.exists():
        return {}
    try:
        with sqlite3.connect(path, timeout=10) as db:
            return {k: (f, n) for k, f, n in db.execute("SELECT key, finished_at, trainings FROM runs")}
    except sqlite3.OperationalError:  # the table is not created yet
        return {}


def start(out):
    return subprocess.Popen([sys.executable, "-m", "reseau", *STUDY, "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group, like a terminal job


def wait_for(proc, path, count: int) -> None:
    deadline = time.monotonic() + 120
    while len(stored(path)) < count:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"the study did not store {count} runs in 120 s"
        time.sleep(0.02)


def interrupt_after(proc, path, count: int, sig: int) -> tuple[int, str]:
    """Wait until ``count`` runs are stored, send ``sig`` to the study's whole group; its code and stderr."""
    wait_for(proc, path, count)
    os.killpg(proc.pid, sig)
    _, stderr = proc.communicate(timeout=60)
    return proc.returncode, stderr


def kill_worker_after(proc, path, count: int) -> tuple[int, str]:
    """Wait until ``count`` runs are stored, then SIGKILL the study's worker process (not the study)."""
    wait_for(proc, path, count)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    workers = [int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert workers, children
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=60)
    return proc.returncode, stderr


def test_ctrl_c_then_kill_then_rerun_finishes_without_retraining(tmp_path):
    path = tmp_path / "results.sqlite"

    code, stderr = interrupt_after(start(tmp_path), path, 2, signal.SIGINT)
    assert code == 2 and "Traceback" not in stderr
    assert "Interrompu (Ctrl-C)" in stderr and "Relancez la même commande" in stderr
    after_ctrl_c = stored(path)
    assert 2 <= len(after_ctrl_c) < TOTAL

    code, _ = interrupt_after(start(tmp_path), path, len(after_ctrl_c) + 2, signal.SIGKILL)
    assert code == -signal.SIGKILL
    after_kill = stored(path)
    assert len(after_ctrl_c) < len(after_kill) < TOTAL, "kill it half-way, not after the end"
    assert all(after_kill[k] == v for k, v in after_ctrl_c.items())  # nothing redone by the 2nd run

    code, stderr = kill_worker_after(start(tmp_path), path, len(after_kill) + 2)
    assert code == 2 and "Traceback" not in stderr and "processus de calcul s'est arrêté" in stderr
    after_worker = stored(path)
    assert len(after_kill) < len(after_worker) < TOTAL
    assert f"garde {len(after_worker)} entraînements sur {TOTAL}" in " ".join(stderr.split())
    assert all(after_worker[k] == v for k, v in after_kill.items())
    after_kill = after_worker

    done = subprocess.run([sys.executable, "-m", "reseau", *STUDY, "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(after_kill)} déjà enregistrés, {TOTAL - len(after_kill)} à calculer" in " ".join(done.stderr.split())
    final = stored(path)
    assert len(final) == TOTAL
    assert all(final[k] == v for k, v in after_kill.items())  # same finish time: not trained again
    assert {n for _, n in final.values()} == {1}  # every run trained exactly once in all
    assert (tmp_path / "report.md").is_file() and "Que peut-on en déduire ?" in done.stdout
