"""CI that cannot pass by mistake (tests/conftest.py, .ci/run).

* under ``CI=true`` a test that skips for a missing tool fails, and so does a file skipped as it is imported;
  a skip marked ``may_skip`` (about the system, not a tool) stays a skip; without CI all of them skip;
* ``.ci/run`` runs each check of CONTRIBUTING.md as a command of its own (a failure inside ``a && b`` does not
  stop a ``set -e`` script), and the README's test command is the one it runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CI_SCRIPT = ROOT / ".ci" / "run"

SAMPLE_TESTS = '''
import pytest

def test_runs():
    assert True

def test_needs_a_tool():
    pytest.skip("the tool is not installed")

@pytest.mark.skipif(True, reason="needs a program this machine lacks")
def test_needs_a_program():
    pass

@pytest.mark.may_skip
def test_about_the_system():
    pytest.skip("another platform")
'''
SAMPLE_FILE_SKIPPED = '''
import pytest

pytest.importorskip("a_package_nobody_installs")

def test_never_collected():
    pass
'''


def run_sample(tmp_path: Path, source: str, ci: str | None) -> subprocess.CompletedProcess:
    """Run pytest on one test file of ``source`` with tests/conftest.py's hooks, CI set to ``ci`` (or unset)."""
    (tmp_path / "test_sample.py").write_text(source)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    may_skip: about the system\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "CI"))}  # not this run's worker
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests"), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-rA",
                           "-q", str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_under_ci_a_skip_for_a_missing_tool_fails(tmp_path):
    result = run_sample(tmp_path, SAMPLE_TESTS, "true")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert re.search(r"FAILED .*test_needs_a_tool", out)
    assert re.search(r"ERROR .*test_needs_a_program", out)  # a skipif skips in the setup: its failure is an error
    assert "the tool is not installed" in out and "needs a program this machine lacks" in out  # what was missing
    assert re.search(r"PASSED .*test_runs", out) and re.search(r"SKIPPED .*another platform", out)
    assert "1 failed, 1 passed, 1 skipped, 1 error" in out


def test_under_ci_a_file_skipped_on_import_fails(tmp_path):
    result = run_sample(tmp_path, SAMPLE_FILE_SKIPPED, "true")
    assert result.returncode != 0 and "a_package_nobody_installs" in result.stdout, result.stdout
    assert re.search(r"ERROR .*test_sample\.py", result.stdout)


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_outside_ci_the_same_tests_skip(tmp_path, ci):
    result = run_sample(tmp_path, SAMPLE_TESTS, ci)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 3 skipped" in result.stdout and "failed" not in result.stdout
    again = run_sample(tmp_path, SAMPLE_FILE_SKIPPED, ci)
    assert again.returncode == 5 and "1 skipped" in again.stdout, again.stdout  # 5: pytest ran no test


def ci_commands() -> list[str]:
    """The commands of .ci/run, one per line, without comments."""
    lines = (line.split("#", 1)[0].strip() for line in CI_SCRIPT.read_text().splitlines())
    return [line for line in lines if line]


def contributing_checks() -> list[str]:
    """The checks CONTRIBUTING.md lists under 'The checks CI runs', in order."""
    text = (ROOT / "CONTRIBUTING.md").read_text()
    block = text.split("## The checks CI runs", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def test_ci_runs_each_check_as_a_command_of_its_own_in_contributings_order():
    commands, checks = ci_commands(), contributing_checks()
    assert len(checks) >= 4 and all(check in commands for check in checks), (checks, commands)
    assert [commands.index(check) for check in checks] == sorted(commands.index(check) for check in checks)
    script = CI_SCRIPT.read_text()
    assert "set -euo pipefail" in script
    # Under `set -e`, bash does not stop on a failure in `a && b` unless it is the last command of the list
    assert not [c for c in commands if "&&" in c and any(check in c for check in checks)]


def test_the_readmes_test_command_is_the_one_ci_runs():
    readme = (ROOT / "README.md").read_text()
    said = re.search(r"Install and run the tests.*?```bash\n(.*?)\n```", readme, re.S)
    assert said, "README: the paragraph 'Install and run the tests' and its command"
    commands = ci_commands()
    for part in said.group(1).split("&&"):
        assert part.strip() in commands, f"README's `{part.strip()}` is not a command of .ci/run"
