"""The page's ES modules as one classic script, for a page opened as a file (``file://``).

Chromium refuses to load ES modules and module workers on a page opened from a file: a module
is fetched with CORS, and a file has no origin.  It runs classic scripts.  So ``reseau site``
joins the page's modules into one classic script, each module in its own function (its own
scope), in the order its imports need::

    // app.js                         // reseau.js (what bundle() writes)
    import { a } from "./page.js";    const __page_js = (function () {
    export function go() { a(); }       function a() { ... }
                                        return { a };
                                      })();
                                      const __app_js = (function () {
                                        const { a } = __page_js;
                                        function go() { a(); }
                                        return { go };
                                      })();

It reads only the forms the page's modules use, and refuses any other with the line that is not
understood (tests/test_site.py bundles every module of the page):

- ``import { a, b as c } from "./x.js";``, ``import * as X from "./x.js";``, ``import "./x.js";``
- ``export function`` / ``export async function`` / ``export class`` / ``export const`` (one name)
- ``export { a, b };``

An ``export let`` is refused: a module that changes it later would not be seen by the others
(the bundle copies the value once).  ``import.meta.url`` becomes the page's own address.
"""

from __future__ import annotations

import re
from pathlib import Path

IMPORT_NAMED = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"(\.[^"]+)";?[ \t]*(?://.*)?$', re.M)
IMPORT_ALL = re.compile(r'^import\s*\*\s*as\s+([\w$]+)\s+from\s*"(\.[^"]+)";?[ \t]*(?://.*)?$', re.M)
IMPORT_BARE = re.compile(r'^import\s*"(\.[^"]+)";?[ \t]*(?://.*)?$', re.M)
EXPORT_DECL = re.compile(r"^export\s+((?:async\s+)?function\*?|class|const)\s+([\w$]+)", re.M)
EXPORT_LIST = re.compile(r"^export\s*\{([^}]*)\};?[ \t]*(?://.*)?$", re.M)
LEFT_OVER = re.compile(r"^\s*(import\b(?!\.meta|\()|export\b).*$", re.M)


class BundleError(ValueError):
    """A module the bundler cannot join (a form it does not read, an import cycle)."""


def bundle(entry: Path, root: Path | None = None) -> str:
    """The module ``entry`` and every module it imports (from ``root`` down) as one classic script."""
    entry = entry.resolve()
    root = (root or entry.parent).resolve()
    order: list[Path] = []
    visit(entry, root, order, [])
    parts = ["(function () {", '"use strict";']
    parts += [wrapped(path, root) for path in order]
    parts.append("})();")
    return "\n".join(parts) + "\n"


def visit(path: Path, root: Path, order: list[Path], stack: list[Path]) -> None:
    """Add ``path``'s imports, then ``path``, to ``order`` (each once); a cycle is refused."""
    if path in order:
        return
    if path in stack:
        raise BundleError(f"import cycle: {' -> '.join(p.name for p in [*stack, path])}")
    if not path.is_file():
        raise BundleError(f"{stack[-1].name if stack else '?'} imports {path}, which does not exist")
    for target in imports(path.read_text(encoding="utf-8")):
        visit((path.parent / target).resolve(), root, order, [*stack, path])
    order.append(path)


def imports(source: str) -> list[str]:
    """The relative paths ``source`` imports, in order."""
    found = [(m.start(), m.group(2)) for m in IMPORT_NAMED.finditer(source)]
    found += [(m.start(), m.group(2)) for m in IMPORT_ALL.finditer(source)]
    found += [(m.start(), m.group(1)) for m in IMPORT_BARE.finditer(source)]
    return [target for _, target in sorted(found)]


def variable(path: Path, root: Path) -> str:
    """The name a module's exports get in the bundle: ``local/files.js`` -> ``__local_files_js``."""
    return "__" + re.sub(r"\W", "_", path.relative_to(root).as_posix())


def wrapped(path: Path, root: Path) -> str:
    """One module as a function of its own that returns its exports."""
    source = path.read_text(encoding="utf-8")
    if re.search(r"^export\s+let\b", source, re.M):
        raise BundleError(f"{path.name}: 'export let' is not bundled (the other modules would not see it change)")
    exported: list[str] = []

    def named(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group(1).split(",") if n.strip()]
        pairs = [n.replace(" as ", ": ") if " as " in n else n for n in (re.sub(r"\s+", " ", n) for n in names)]
        return f"const {{ {', '.join(pairs)} }} = {variable((path.parent / match.group(2)).resolve(), root)};"

    def every(match: re.Match[str]) -> str:
        return f"const {match.group(1)} = {variable((path.parent / match.group(2)).resolve(), root)};"

    def declared(match: re.Match[str]) -> str:
        exported.append(match.group(2))
        return f"{match.group(1)} {match.group(2)}"

    def listed(match: re.Match[str]) -> str:
        for item in (re.sub(r"\s+", " ", n.strip()) for n in match.group(1).split(",") if n.strip()):
            inner, _, outer = item.partition(" as ")
            exported.append(f"{outer}: {inner}" if outer else inner)
        return ""

    body = IMPORT_NAMED.sub(named, source)
    body = IMPORT_ALL.sub(every, body)
    body = IMPORT_BARE.sub("", body)
    body = EXPORT_DECL.sub(declared, body)
    body = EXPORT_LIST.sub(listed, body)
    body = body.replace("import.meta.url", "document.baseURI")
    left = LEFT_OVER.search(body)
    if left:
        raise BundleError(f"{path.relative_to(root)}: not understood by the bundler: {left.group(0).strip()}")
    name = path.relative_to(root).as_posix()
    exports = ", ".join(dict.fromkeys(exported))
    return f"// --- {name}\nconst {variable(path, root)} = (function () {{\n{body}\nreturn {{ {exports} }};\n}})();"
