"""``reseau classe``: the lesson for a whole class, served from the teacher's computer.

Every student opens a page on the school network, joins with the lesson's code
and a first name, and gets every tab of ``reseau web`` on their own network;
their trainings share the computer through a fair queue.  The teacher's page
shows who does what, every curve, the class table, and the exercise answered
by the class's runs pooled together.  See :mod:`reseau.classe.app`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reseau.classe.app import create_classe_app, lessons_dir

__all__ = ["create_classe_app", "lessons_dir"]


def __getattr__(name: str) -> Any:
    """The app, imported when first asked for: ``reseau --help`` reads :mod:`reseau.classe.limits`
    without loading the web framework."""
    if name in __all__:
        from reseau.classe import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
