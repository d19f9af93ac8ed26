"""What a student may read of the server's files: names, never paths.

The lesson lives in a folder of the teacher's computer (``<user data
dir>/classe/<lesson>/students/<id>/``, or a temporary folder in the tests):
its path can name the teacher, their account, their folders.  The single-user
page shows such paths ("saved in /home/…/model.safetensors"); the classroom
shows a student the file's name only (``model.safetensors``), and a folder as
« vos modèles ».  :class:`PathHider` does it for every answer a student gets
that could hold one: the model in use, the model list, a finished or failed
training, and any error message.

A missing or broken dataset is the teacher's to fix, not the student's: its
message (full of the server's folders) goes to the teacher's terminal, and the
student reads « prévenez l'enseignant ».
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from reseau.i18n import t

log = logging.getLogger("reseau.classe")

FOLDER = "classe.path.models"  # what a folder of the lesson is called on a student's page
DATA_ERROR = "classe.error.data"  # what a student reads when the server lacks its images
DATA_KEYS = "data."  # the message keys of reseau.errors.DataError
PART = r"[\\/][\w-]+(?:\.[\w-]+)*"  # one more part of a path: "/students", "/model.safetensors" (no final ".")


class PathHider:
    """Replaces the paths under the lesson's folders, in a student's answers, by what a student may see.

    >>> hider = PathHider(Path("/home/ana/classe"))
    >>> hider.text("saved in /home/ana/classe/4b/students/3/model.safetensors.", "en")
    'saved in model.safetensors.'
    >>> hider.text("no model in /home/ana/classe/4b/students/3", "en")
    'no model in your models'
    """

    def __init__(self, *folders: Path) -> None:
        roots = {str(f) for f in folders} | {str(f.resolve()) for f in folders}  # as given, and as the OS says
        alternatives = "|".join(re.escape(r) for r in sorted(roots, key=len, reverse=True))
        self.pattern = re.compile(f"(?:{alternatives})((?:{PART})*)")

    def text(self, text: str, lang: str) -> str:
        """``text`` with each path under the folders as its file's name, or « vos modèles » for a folder."""

        def shown(match: re.Match[str]) -> str:
            name = re.split(r"[\\/]", match.group(1))[-1]
            return name if "." in name else t(FOLDER, lang=lang)  # files have a suffix; the lesson's folders none

        return self.pattern.sub(shown, text)

    def params(self, params: dict[str, Any], lang: str) -> dict[str, Any]:
        """A message's parameters with their paths hidden (the text ones; numbers stay numbers)."""
        return {k: self.text(str(v), lang) if isinstance(v, (str, Path)) else v for k, v in params.items()}

    def error(self, key: str, params: dict[str, Any], lang: str) -> tuple[str, dict[str, Any]]:
        """An error's message key and parameters as a student may read them."""
        if key.startswith(DATA_KEYS):
            log.warning(t(key, lang=lang, **params))  # the teacher's terminal says what is missing, and where
            return DATA_ERROR, {}
        return key, self.params(params, lang)

    def event(self, state: str, data: dict[str, Any], lang: str) -> dict[str, Any]:
        """A training's last event ("done", "failed"...) as a student may read it: the file's name, not its path."""
        if state == "done":
            data = data | {"path": Path(data["path"]).name}
            if "save_error" in data:
                error = data["save_error"]
                data["save_error"] = {"key": error["key"], "params": self.params(error["params"], lang)}
        elif state == "failed":
            key, params = self.error(data["key"], data["params"], lang)
            data = data | {"key": key, "params": params}
        return data
