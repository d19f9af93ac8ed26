"""``reseau site``: the bundler, the files as scripts, and the folder it writes (without a browser).

The browser tests of the folder (through a static server and opened as a file) are in
``tests/test_site_browser.py``.  The JS reading of the files (``static/local/files.js``) is checked
here against Python under Node (``tests/js/files.test.mjs``).
"""

from __future__ import annotations

import base64
import gzip
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from reseau import faithful, modelfile
from reseau.data import load_raw
from reseau.locales import MESSAGES
from reseau.network import Network
from reseau.site import SITE_SENTENCES, STATIC, write_file
from reseau.site.bundle import BundleError, bundle
from test_js_faithful import run_node

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs Node.js (apt install nodejs)")


# ---------------------------------------------------------------------------
# The bundler
# ---------------------------------------------------------------------------


def entries() -> list[Path]:
    """The page's entry modules: the page itself, and its worker's entry when there is one."""
    return [p for p in (STATIC / "app.js", STATIC / "local" / "worker.js") if p.is_file()]


@needs_node
@pytest.mark.parametrize("entry", entries(), ids=lambda p: p.name)
def test_every_module_of_the_page_bundles_into_one_classic_script(entry, tmp_path):
    script = bundle(entry, STATIC)
    modules = sorted(re.findall(r"^// --- (\S+)$", script, re.M))
    reachable = {entry.relative_to(STATIC).as_posix()}
    for path in STATIC.rglob("*.js"):  # every module the entry imports, directly or not, is in the bundle
        if re.search(rf'from\s*"\./{re.escape(path.name)}"', entry.read_text()):
            reachable.add(path.relative_to(STATIC).as_posix())
    assert reachable <= set(modules)
    assert not re.search(r"^\s*(import|export)\b", script, re.M)  # nothing of a module left
    (tmp_path / "bundle.js").write_text(script)
    done = subprocess.run([NODE, "--check", str(tmp_path / "bundle.js")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@needs_node
def test_a_bundle_runs_its_modules_in_order_with_their_exports(tmp_path):
    (tmp_path / "a.js").write_text('export const A = 2;\nexport function twice(x) { return A * x; }\n')
    (tmp_path / "b.js").write_text(
        'import { twice as double, A } from "./a.js";  // renamed\nconst secret = 5;\n'
        "const B = double(secret) + A;\nexport { B, secret as shown };\n"
    )
    (tmp_path / "main.js").write_text(
        'import * as b from "./b.js";\nimport { A } from "./a.js";\nconsole.log(JSON.stringify([b.B, b.shown, A]));\n'
    )
    (tmp_path / "out.js").write_text(bundle(tmp_path / "main.js"))
    done = subprocess.run([NODE, str(tmp_path / "out.js")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [12, 5, 2]


@pytest.mark.parametrize(
    "source, why",
    [
        ("export let counter = 0;\n", "export let"),
        ("export default function go() {}\n", "export default"),
        ('import x from "./a.js";\n', "import x"),
        ('import { a } from "./missing.js";\n', "does not exist"),
    ],
)
def test_the_bundler_refuses_what_it_does_not_read(tmp_path, source, why):
    (tmp_path / "a.js").write_text("export const a = 1;\n")
    (tmp_path / "main.js").write_text(source)
    with pytest.raises(BundleError, match=why):
        bundle(tmp_path / "main.js")


def test_the_bundler_refuses_an_import_cycle(tmp_path):
    (tmp_path / "a.js").write_text('import { b } from "./b.js";\nexport const a = 1;\n')
    (tmp_path / "b.js").write_text('import { a } from "./a.js";\nexport const b = 2;\n')
    with pytest.raises(BundleError, match="cycle"):
        bundle(tmp_path / "a.js")


# ---------------------------------------------------------------------------
# Files as scripts, read back by the browser's code (Node)
# ---------------------------------------------------------------------------


def document_model(mnist_dir, hidden: int, seed: int) -> modelfile.SavedModel:
    """A document network after its loop over 300 images, saved as reseau.modelfile saves a trained one."""
    from reseau.data import get_mnist
    from reseau.faithful_config import FaithfulConfig
    from reseau.history import History

    images, labels = get_mnist("train", data_dir=mnist_dir)
    w_i_h, w_h_o, b_i_h, b_h_o = faithful.initial_weights(hidden, seed)
    faithful.reference_epoch(images[:300], labels[:300], w_i_h, w_h_o, b_i_h, b_h_o, 0.01)
    network = Network.from_document(w_i_h, b_i_h, w_h_o, b_h_o)
    return modelfile.SavedModel(network, modelfile.ModelInfo.build(FaithfulConfig(hidden=hidden), History()))


@needs_node
def test_the_browser_reads_the_files_as_python_wrote_them(tmp_path, mnist_dir):
    rng = random.Random(85)
    b85 = []
    for length in [0, 1, 2, 3, 4, 5, 7, 8, 100, 1001, 4099]:
        content = bytes(rng.randrange(256) for _ in range(length))
        script = write_file(tmp_path, f"b85-{length}", content).read_text()
        name, count, text = re.fullmatch(r'reseauFile\((".*?"), (\d+), "(.*)"\);\n', script).groups()
        assert json.loads(name) == f"b85-{length}" and int(count) == length
        b85.append({"text": text, "length": length, "hex": content.hex()})
    b85.append({"text": base64.b85encode(b"\xff" * 8).decode(), "length": 8, "hex": "ff" * 8})

    mnist = {}
    for split in ("train", "test"):
        images, labels = load_raw(split, data_dir=mnist_dir)
        index = rng.randrange(len(images))
        mnist[split] = {
            "count": len(images),
            "first_labels": labels[:50].tolist(),
            "pixel_sum": int(images.sum(dtype=np.int64)),
            "index": index,
            "image": images[index].reshape(-1).tolist(),
        }
    cut = tmp_path / "cut"
    cut.mkdir()
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        whole = (mnist_dir / name).read_bytes()
        (cut / name).write_bytes(whole[: len(whole) // 2])  # a download cut in the middle

    models = []
    for hidden, seed in [(20, 0), (7, 3)]:
        saved = document_model(mnist_dir, hidden, seed)
        file = f"doc-{hidden}-{seed}.safetensors"
        (tmp_path / file).write_bytes(modelfile.to_bytes(saved))
        parameters = saved.network.parameters().items()
        tensors = {k: {"shape": list(v.shape), "data": v.ravel().tolist()} for k, v in parameters}
        models.append({"file": file, "layout": saved.network.layout(), "mode": saved.info.mode, "tensors": tensors})
    (tmp_path / "not-a-model.safetensors").write_bytes(b"\x10\0\0\0\0\0\0\0" + b'{"a": 1}        ')

    cases = {
        "b85": b85,
        "mnist_dir": str(mnist_dir.parent),  # the page asks for "mnist/<file>"
        "mnist": mnist,
        "models": models,
        "not_a_model": "not-a-model.safetensors",
    }
    path = tmp_path / "files-cases.json"
    path.write_text(json.dumps(cases))
    if mnist_dir.name != "mnist":
        pytest.fail(f"the MNIST folder must be named mnist for this test (got {mnist_dir})")
    run_node("files.test.mjs", "RESEAU_FILES_CASES", path)


# ---------------------------------------------------------------------------
# The folder
# ---------------------------------------------------------------------------


def read_file_script(path: Path) -> bytes:
    """A file script's bytes, decoded as the page decodes them (Python's side of the same format)."""
    _, length, text = re.fullmatch(r'reseauFile\((".*?"), (\d+), "(.*)"\);\n', path.read_text()).groups()
    return base64.b85decode(text)[: int(length)]


def test_the_site_folder_holds_the_lesson(site_folder, mnist_dir):
    files = {p.relative_to(site_folder).as_posix() for p in site_folder.rglob("*") if p.is_file()}
    assert {"index.html", "style.css", "reseau.js", "site-data.js", "files/document.safetensors.js"} <= files
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                 "t10k-labels-idx1-ubyte.gz"):  # fmt: skip
        kept = gzip.decompress(read_file_script(site_folder / "files" / "mnist" / f"{name}.js"))
        assert kept == gzip.decompress((mnist_dir / name).read_bytes())  # the same IDX bytes, gzip-compressed
    size = sum((site_folder / f).stat().st_size for f in files)
    assert size <= 15 * 2**20, f"{size / 2**20:.1f} MB"

    html = (site_folder / "index.html").read_text()
    assert "/static/" not in html and 'type="module"' not in html  # a file page runs classic scripts only
    for key, instead in SITE_SENTENCES.items():  # a sentence about the server's folders is said otherwise
        assert f'data-i18n="{key}"' not in html and f'data-i18n="{instead}"' in html
        assert instead in MESSAGES
    for text in (html, (site_folder / "reseau.js").read_text(), (site_folder / "style.css").read_text()):
        # No address outside the folder is asked for (comments may name one; the page's code does not).
        code = re.sub(r"//[^\n]*|/\*.*?\*/|<!--.*?-->", "", text, flags=re.S)
        assert not re.search(r"https?://", code)


def test_the_sites_network_is_the_documents_seed_0(site_folder, train_data, test_data):
    """The network in the folder is reseau.faithful.train's with the document's settings, and its record says the
    document's printed numbers (the spec: 86.18 %, 92.38 %, 93.44 %)."""
    import io

    from safetensors.numpy import load

    tensors = load(io.BytesIO(read_file_script(site_folder / "files" / "document.safetensors.js")).read())
    network, history = faithful.train(*train_data, test=test_data)
    for name, value in network.parameters().items():
        assert np.array_equal(tensors[name], value), name
    site = json.loads((site_folder / "site-data.js").read_text()[len("globalThis.RESEAU_SITE = ") : -2])
    assert [e["precision"] for e in site["model"]["history"]] == [e.precision for e in history.epochs]
    assert [f"{e['precision']:.2f}" for e in site["model"]["history"]] == ["86.18", "92.38", "93.44"]
    assert site["model"]["test_accuracy"] == history.epochs[-1].test_accuracy


# ---------------------------------------------------------------------------
# The command's mistakes: one sentence, no traceback, nothing written
# ---------------------------------------------------------------------------


def cli(capsys, *args) -> tuple[int, str, str]:
    from reseau.cli import run

    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_file_where_the_folder_should_be(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("a teacher's notes")
    code, out, err = cli(capsys, "site", tmp_path / "notes.txt")
    assert code == 2 and "est un fichier, pas un dossier" in err and "Traceback" not in err
    assert (tmp_path / "notes.txt").read_text() == "a teacher's notes"  # nothing lost


def test_a_drawing_network_that_is_not_a_model(capsys, tmp_path):
    (tmp_path / "dessin.safetensors").write_bytes(b"not a model at all, just some text")
    code, out, err = cli(capsys, "site", tmp_path / "site", "--model", tmp_path / "dessin.safetensors")
    assert code == 2 and "dessin.safetensors" in err and "Traceback" not in err
    assert not (tmp_path / "site" / "index.html").exists()  # said before any work


def test_a_missing_drawing_network_is_named_and_the_rest_is_written(capsys, tmp_path, mnist_dir):
    code, out, err = cli(capsys, "--lang", "en", "site", tmp_path / "site", "--data-dir", mnist_dir, "--no-study")
    assert code == 0, err
    assert "reseau train --preset dessin" in err  # the command that makes it
    assert "Site written in" in out and (tmp_path / "site" / "index.html").is_file()


def test_the_site_ships_its_reference_study_and_its_deductions(site_folder):
    from reseau.experiments import STORE_NAME, ResultStore, build_studies, default_dir
    from reseau.experiments.site_reference import reference_for_site

    site = json.loads((site_folder / "site-data.js").read_text()[len("globalThis.RESEAU_SITE = ") : -2])
    reference = site["reference"]
    studies = build_studies(vary=["epochs=1,2", "lr=0.01,1"], seeds=2, limit=1000)  # the fixture's
    with ResultStore(default_dir() / STORE_NAME) as store:  # where reseau site ran them, as reseau experiment does
        keys = [spec.key for study in studies for spec in study.specs()]
        results = store.get(keys)
    assert set(results) == set(keys)  # every run was kept: a second site computes nothing
    assert reference == reference_for_site(studies, results, reference["command"])
    assert [t["factors"] for t in reference["tables"]] == [["epochs"], ["lr"]]
    assert reference["deductions"]["fr"] and reference["deductions"]["en"]
