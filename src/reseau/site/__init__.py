"""``reseau site DIR``: the whole lesson as a folder of static files, for any browser, with nothing installed.

The folder holds the page (``index.html``, ``style.css``), its JavaScript joined into one classic
script (``reseau.js``: see :mod:`reseau.site.bundle`), what the server would have answered the page
(``site-data.js``: the message table in French and English, the form's options, the networks'
records), and every file the browser computes from, each as a script ``files/NAME.js``:

- the four MNIST files as MNIST gives them, gzip-compressed (11.6 MB; the browser decompresses them
  with ``DecompressionStream``; a folder of uncompressed IDX files is compressed at level 6);
- the document's network, trained here (seed 0, 3 epochs: the numbers of ``reseau train``);
- the drawing network ``dessin``, if one is saved (or given with ``--model``).

Why scripts: a page opened as a file (a double click on ``index.html``, a USB stick) may not
``fetch`` its own folder in Chromium, but may run scripts from it.  Each file script calls
``reseauFile(name, length, text)`` with the file's bytes in base 85 (RFC 1924, Python's
:func:`base64.b85encode`): 5 characters for 4 bytes, where base 64 takes 4 for 3 — the folder is
about 14 MB instead of 15.5 (``static/local/files.js`` reads them back).

Nothing in the folder asks for anything outside it: no font, no library, no address of ours.
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reseau import data, kinds, modelfile, trainers
from reseau.errors import DataError, ReseauError
from reseau.i18n import LANGUAGES
from reseau.site.bundle import bundle

STATIC = Path(__file__).parents[1] / "web" / "static"
DOCUMENT_MODEL = "document.safetensors"  # the document's network, seed 0
DRAWING_MODEL = "dessin.safetensors"  # the network for drawings (preset dessin)
FILES = "files"  # the folder of file scripts, inside the site
SITE_SENTENCES = {  # the page's sentences said otherwise in a site (no server, no folder of models)
    "web.draw.model_note": "web.draw.model_note_site",
    "web.train.save_note": "web.train.save_note_site",
}


@dataclass
class SiteReport:
    """What ``reseau site`` wrote: the folder, its size, and what is missing (message keys)."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # "site.no_drawing", ...

    @property
    def size(self) -> int:
        return sum(p.stat().st_size for p in self.files)


Say = Callable[[str], None]  # a step's message key, said as the work goes on


def write_site(
    folder: str | Path,
    *,
    drawing: Path | None = None,
    data_dir: Path | None = None,
    say: Say = lambda key: None,
    studies: list[Any] | None = None,
) -> SiteReport:
    """Write the static site into ``folder`` (made if needed; files of an earlier site are replaced).

    ``studies``: the reference study the Experiments tab shows (see :func:`reference_study`).
    """
    folder = writable_folder(Path(folder).expanduser())
    if drawing is not None:
        modelfile.load(drawing)  # a file that is not a model of ours is said now, before any work
    report = SiteReport(folder)
    say("site.step.data")
    for name in data.DATASETS["mnist"].files.values():
        report.files.append(write_file(folder, f"mnist/{name}", mnist_gz(name, data_dir)))
    say("site.step.document")
    with tempfile.TemporaryDirectory() as tmp:
        shelf = Path(tmp)
        document = document_network(data_dir)
        (shelf / DOCUMENT_MODEL).write_bytes(modelfile.to_bytes(document))
        found = drawing if drawing is not None else saved_drawing_network()
        if found is not None:
            shutil.copyfile(found, shelf / DRAWING_MODEL)
        else:
            report.missing.append("site.no_drawing")
        for model in sorted(shelf.glob("*.safetensors")):
            report.files.append(write_file(folder, model.name, model.read_bytes()))
        say("site.step.page")
        site = site_data(shelf, document) | {"reference": reference_study(studies, data_dir, say)}
    report.files += write_page(folder, site)
    return report


def writable_folder(folder: Path) -> Path:
    """``folder``, made if needed; a file in its place or a folder that cannot be written is said in one sentence."""
    if folder.exists() and not folder.is_dir():
        raise ReseauError("site.not_folder", path=folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".reseau-", delete=True)  # noqa: SIM115
        probe.close()
    except OSError as exc:
        raise ReseauError("site.cannot_write", path=folder, reason=exc.strerror or exc) from None
    return folder


# ---------------------------------------------------------------------------
# Files as scripts
# ---------------------------------------------------------------------------


def write_file(folder: Path, name: str, content: bytes) -> Path:
    """``content`` as the script ``files/NAME.js`` (base 85, padded to whole groups of 4 bytes)."""
    padded = content + b"\0" * (-len(content) % 4)
    text = base64.b85encode(padded).decode("ascii")
    path = folder / FILES / f"{name}.js"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'reseauFile({json.dumps(name)}, {len(content)}, "{text}");\n', encoding="ascii")
    return path


def mnist_gz(name: str, data_dir: Path | None) -> bytes:
    """MNIST's file ``name``, gzip-compressed as MNIST gives it (checked: a damaged file is said here)."""
    source = data.locate("mnist", data_dir)
    if source.kind != "idx":
        raise DataError("site.no_idx", path=source.path)
    path = data.idx_path(source.path, name)
    assert path is not None  # locate found every file of the folder
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    role = "images" if "images" in name else "labels"
    data.parse_idx(raw, role, source=path)  # a damaged file is said here, not in the students' browsers
    if path.suffix == ".gz":
        return path.read_bytes()  # MNIST's own file (level 9 would save 2 %, for 15 s of work)
    return gzip.compress(raw, compresslevel=6, mtime=0)


def document_network(data_dir: Path | None) -> modelfile.SavedModel:
    """The document's network as ``reseau train`` makes it: seed 0, 3 epochs, tested on the 10 000 images."""
    config = kinds.document().config_class()()
    images, labels = data.get_mnist("train", data_dir=data_dir)
    test = data.get_mnist("test", data_dir=data_dir)
    network, history = trainers.train(images, labels, config, test=test)
    info = modelfile.ModelInfo.build(config, history, preset=kinds.document().default_preset, source="site")
    return modelfile.SavedModel(network, info)


def saved_drawing_network() -> Path | None:
    """The drawing network beside the default model (``reseau train --preset dessin`` saves it there), if any."""
    from reseau.web.state import ModelShelf, drawing_network

    folder = modelfile.default_path().parent
    if not folder.is_dir():
        return None
    found = drawing_network(ModelShelf(folder).entries())
    return folder / found.name if found else None


# ---------------------------------------------------------------------------
# What the server would have said (site-data.js) and the page itself
# ---------------------------------------------------------------------------


def site_data(shelf: Path, document: modelfile.SavedModel) -> dict[str, Any]:
    """GET /api/messages, /api/options, /api/models and /api/model as the server answers them, for each language
    (``document``: the document's network just written to ``shelf``, not read back).
    (``reference``, the exercise's reference study, is added by :func:`write_site`.)"""
    from reseau.measured import help_claims
    from reseau.web.routes import model as model_routes
    from reseau.web.routes import page
    from reseau.web.state import ModelShelf, drawing_network

    entries = ModelShelf(shelf).entries()
    drawing = drawing_network(entries)
    models = {
        lang: model_routes.schemas.ModelList(
            folder="",
            in_use=DOCUMENT_MODEL,
            drawing=drawing.name if drawing else None,
            models=[model_routes.model_entry(e, DOCUMENT_MODEL, drawing, lang) for e in entries],
        ).model_dump(mode="json")
        for lang in LANGUAGES
    }
    return {
        "folder": FILES,
        "messages": {lang: page.messages_of(page.PAGE_MESSAGES, lang, help_claims(lang)) for lang in LANGUAGES},
        "options": page.schemas.Options.model_validate(page.options()).model_dump(mode="json"),
        "models": models,
        "model": model_routes.model_status(document, DOCUMENT_MODEL, False).model_dump(mode="json"),
    }


def reference_study(studies: list[Any] | None, data_dir: Path | None, say: Say) -> dict[str, Any] | None:
    """The exercise's reference study for the Experiments tab: its tables and deductions (fr and en).

    ``studies`` None: the studies ``reseau experiment`` last ran, if it ran any, else none shipped.  A list
    (``reseau site`` gives the document's three, :func:`reseau.experiments.build_studies`): those, run now —
    or read from ``reseau experiment``'s store, where each run is kept, so a second site costs nothing.
    """
    from reseau import experiments
    from reseau.experiments.site_reference import reference_for_site
    from reseau.experiments.studies import command_line

    if studies is None:
        return reference_for_site()
    say("site.step.study")
    folder = experiments.default_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with experiments.ResultStore(folder / experiments.STORE_NAME) as store:
        results = experiments.run_studies(studies, store, data_dir=str(data_dir) if data_dir else None)
    return reference_for_site(studies, results, command_line(studies))


def write_page(folder: Path, site: dict[str, Any]) -> list[Path]:
    """``index.html``, ``style.css``, ``site-data.js`` and ``reseau.js`` (the page's modules as one script)."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    html = html.replace('href="/static/style.css"', 'href="style.css"')
    for key, instead in SITE_SENTENCES.items():  # what a page with no server says differently
        html = html.replace(f'data-i18n="{key}"', f'data-i18n="{instead}"')
    html = html.replace(
        '<script type="module" src="/static/app.js"></script>',
        '<script src="site-data.js"></script>\n  <script defer src="reseau.js"></script>',
    )
    script = bundle(STATIC / "app.js", STATIC)
    worker = STATIC / "local" / "worker.js"
    if worker.is_file():
        script = f"globalThis.RESEAU_WORKER_SOURCE = {json.dumps(bundle(worker, STATIC))};\n" + script
    written = {
        "index.html": html,
        "style.css": (STATIC / "style.css").read_text(encoding="utf-8"),
        "site-data.js": "globalThis.RESEAU_SITE = " + json.dumps(site, ensure_ascii=False) + ";\n",
        "reseau.js": script,
    }
    for name, text in written.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in written]
