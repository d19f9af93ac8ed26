"""What a user installs: the sdist and the wheel build offline and pass ``twine check``; the wheel holds the
package (its modules, notebooks and static files) and its licence, and nothing else; a test run cleans up.

The build runs on a copy of the files git tracks (what a fresh clone has), so nothing is written into the
working tree and no cache or local file can slip into the wheel.  ``--no-isolation``: CI has no internet
beyond the package registries, and setuptools, ``build`` and ``twine`` come with the ``test`` extra.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILT_FROM = ("pyproject.toml", "README.md", "LICENSE", "src/")  # what setuptools reads to build
LEFT_OUT_FOLDERS = ("tests/", "docs/", "benchmarks/", "notebooks/")  # the repository's, not the package's
LEFT_OUT_PARTS = ("__pycache__", ".pyc", ".png", ".nbi", ".nbc", ".safetensors", ".npy")  # caches, images, models


def tracked_files() -> list[str]:
    """The repository's files as a fresh clone has them (tracked, or new and not ignored)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the files a clone has are unknown")
    return [name for name in listed.stdout.splitlines() if (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The folder holding the built sdist and wheel, and what the build printed."""
    pytest.importorskip("build")
    source = tmp_path_factory.mktemp("clone")
    for name in tracked_files():
        if name.startswith(BUILT_FROM):
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)],
                            capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return dist, result.stdout + result.stderr


def wheel_names(dist: Path) -> list[str]:
    (wheel,) = dist.glob("reseau-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_sdist_and_wheel_build_without_warnings_and_pass_twine_check(built):
    dist, log = built
    assert len(list(dist.glob("reseau-*.tar.gz"))) == 1 and len(list(dist.glob("reseau-*.whl"))) == 1
    assert "deprecated" not in log.lower(), log  # e.g. the licence as a TOML table, refused from 2027-02-18
    pytest.importorskip("twine")
    checked = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                             capture_output=True, text=True, timeout=120, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_wheel_holds_the_package_and_nothing_else(built):
    dist, _ = built
    names = wheel_names(dist)
    package = {name for name in names if not name.startswith("reseau-")}
    expected = {name.removeprefix("src/") for name in tracked_files() if name.startswith("src/reseau/")}
    assert package == expected, (sorted(package - expected), sorted(expected - package))
    # what a user needs beside the code: both notebooks (reseau notebook) and the page (reseau web)
    assert {"reseau/notebooks/reseau_de_neurones.ipynb", "reseau/notebooks/reseau_de_neurones_en.ipynb",
            "reseau/web/static/index.html", "reseau/locales/core.py"} <= package
    assert not [name for name in names if name.startswith(LEFT_OUT_FOLDERS) or any(p in name for p in LEFT_OUT_PARTS)]
    info = {name.split("/", 1)[1] for name in names if name.startswith("reseau-")}
    assert {"METADATA", "WHEEL", "RECORD", "entry_points.txt", "licenses/LICENSE"} <= info


def test_the_licence_is_an_spdx_expression_with_its_file(built):
    dist, _ = built
    (wheel,) = dist.glob("reseau-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = archive.read(next(n for n in archive.namelist() if n.endswith("entry_points.txt"))).decode()
    assert "License-Expression: MIT" in metadata.splitlines() and "License-File: LICENSE" in metadata.splitlines()
    assert "reseau = reseau.cli:main" in entry_points


def test_a_test_run_leaves_no_folder_behind(tmp_path):
    """tests/conftest.py makes the session's user folders in the temporary folder; the run removes them."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = dict(os.environ, TMPDIR=str(temporary))
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only",
                             "tests/test_packaging.py"], cwd=ROOT, capture_output=True, text=True, env=env,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "user folders in " + str(temporary) in result.stdout  # the session did make its folders there
    assert not list(temporary.iterdir())
