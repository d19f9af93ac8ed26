"""The course notebooks run from top to bottom, in French and in English, and `reseau notebook` ships them.

Both notebooks keep their exercise's results in one folder here: the French run trains the study's networks,
the English run finds them stored (the same studies, seeds, code and data) and reads them back, as
``reseau experiment`` does when run again, instead of training them a second time; everything else runs
in full.  Run alone (``-k en``), the English notebook trains them itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reseau.cli import run
from reseau.cli.notebook_cmd import NAMES, notebook_source

ROOT = Path(__file__).resolve().parents[1]
STUDY_FOLDER = "Path(tempfile.mkdtemp())"  # the folder of the exercise's results, in each notebook


@pytest.fixture(scope="module")
def study_folder(tmp_path_factory) -> Path:
    """The exercise's results folder, shared by the two notebooks."""
    return tmp_path_factory.mktemp("study")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_notebook_runs_top_to_bottom(lang, tmp_path, study_folder):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    path = notebook_source(lang)
    nb = nbformat.read(path, as_version=4)
    assert not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "outputs are stored"
    (exercise,) = [cell for cell in nb.cells if STUDY_FOLDER in cell.source]
    exercise.source = exercise.source.replace(STUDY_FOLDER, f"Path({str(study_folder)!r})")
    NotebookClient(nb, timeout=240, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # raises on any cell error
    text = "\n".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                     for out in cell.outputs if out.get("output_type") == "stream")
    line = "Epoch : 2, Précision : 93.44%" if lang == "fr" else "Epoch: 2, Training accuracy: 93.44%"
    assert line in text
    images = sum("image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
                 for out in cell.outputs)
    assert images >= 10


def test_notebooks_follow_the_document_in_both_languages():
    for lang, name in NAMES.items():
        nb = json.loads((ROOT / "notebooks" / name).read_text())
        text = "".join("".join(c["source"]) for c in nb["cells"])
        assert "delta_h = np.transpose(w_h_o) @ delta_o * (h * (1 - h))" in text
        heading = "Que peut-on en déduire" if lang == "fr" else "What can we deduce"
        assert heading in text


def test_notebooks_are_built_from_the_script():
    """The committed notebooks are exactly what notebooks/build_notebooks.py writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "notebooks" / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import nbformat

    for lang in NAMES:
        committed = nbformat.read(notebook_source(lang), as_version=4)
        assert [c.source for c in committed.cells] == [c.source for c in module.build(lang).cells]


def test_reseau_notebook_copies_and_refuses_to_overwrite(tmp_path, capsys):
    assert run(["notebook", "--dest", str(tmp_path)]) == 0
    copied = tmp_path / "reseau_de_neurones.ipynb"
    assert copied.read_bytes() == notebook_source("fr").read_bytes()
    assert "jupyter lab reseau_de_neurones.ipynb" in capsys.readouterr().out
    copied.write_text("my work")
    assert run(["notebook", "--dest", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err and copied.read_text() == "my work"
    assert run(["notebook", "--dest", str(tmp_path), "--lang", "en"]) == 0
    assert (tmp_path / "reseau_de_neurones_en.ipynb").is_file()
