"""The front door for training: one function for every kind of network.

::

    import reseau
    network, history = reseau.train(images, labels, reseau.presets()["better"], test=(x_test, y_test))

A kind of network is a configuration class (a :class:`reseau.config.Config`
dataclass whose ``mode`` names it), a module with ``train(images, labels,
config, test=, on_epoch=, on_progress=)``, and its record in
:data:`reseau.kinds.KINDS`: adding a kind is one record there, nothing in the
command line, the web page or the experiments, which all call :func:`train`
and read :class:`~reseau.history.History`.  Modules are imported when first
asked for, so ``reseau --help`` stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from reseau.errors import ConfigError
from reseau.kinds import KINDS, kind

if TYPE_CHECKING:
    from reseau.config import Config
    from reseau.history import EpochFn, History, ProgressFn
    from reseau.network import Recogniser


def config_class(mode: str) -> type[Config]:
    return kind(mode).config_class()


def config_from_dict(mode: str, data: dict[str, Any]) -> Config:
    """The typed configuration of ``mode`` from its JSON values (a model file's, a request's)."""
    return config_class(mode).from_dict(data)


def presets() -> dict[str, Config]:
    """Every named configuration, the document's first: ``document``, ``better``, ``best``, ..."""
    found: dict[str, Config] = {}
    for each in KINDS.values():
        found.update(each.presets())
    return found


def preset(name: str) -> Config:
    """The configuration named ``name``; :class:`ConfigError` lists the names when it is unknown."""
    table = presets()
    if name not in table:
        raise ConfigError("config.bad_choice", field="preset", value=name, choices=", ".join(table))
    return table[name]


def configure(
    preset: str | None = None,
    mode: str | None = None,
    changes: dict[str, Any] | None = None,
    name: Callable[[str], str] = str,
) -> tuple[Config, str]:
    """The configuration a user asks for, validated, and the name of the preset it starts from.

    It starts from ``preset`` (else ``mode``'s starting preset; the document's
    network when neither is given), and each of ``changes`` replaces that field
    (``hidden=N`` means ``layers=(N,)`` for a network with ``layers``).  A
    change the preset's network does not have, or a mode that is not the
    preset's, is a :class:`ConfigError`; ``name`` writes a field as the user
    typed it (``learn_rate`` -> ``--lr`` on the command line).
    """
    if mode is not None and mode not in KINDS:
        raise ConfigError("config.bad_choice", field=name("mode"), value=mode, choices=", ".join(KINDS))
    chosen = preset or kind(mode).default_preset
    table = presets()
    if chosen not in table:
        raise ConfigError("config.bad_choice", field=name("preset"), value=chosen, choices=", ".join(table))
    base = table[chosen]
    if mode is not None and base.mode != mode:
        raise ConfigError(
            "config.preset_mode", preset=chosen, mode=mode, mode_field=name("mode"), preset_field=name("preset")
        )
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in (changes or {}).items()}  # JSON lists
    own = {f.name for f in fields(base)}  # type: ignore[arg-type]
    if "hidden" in given and "hidden" not in own and "layers" in own:
        if "layers" in given:
            raise ConfigError("config.hidden_and_layers", hidden=name("hidden"), layers=name("layers"))
        given["layers"] = (given.pop("hidden"),)
    foreign = [k for k in given if k not in own]
    if foreign:
        raise ConfigError(
            "config.not_for_preset",
            field=name(foreign[0]),
            preset=chosen,
            preset_field=name("preset"),
            fields=", ".join(map(name, foreign)),
            accepted=", ".join(map(name, sorted(own))),
        )
    try:
        return base.with_(**given).validate(), chosen
    except ConfigError as exc:  # name the field as the user wrote it
        if "field" in exc.params:
            exc.params["field"] = name(str(exc.params["field"]))
        raise


def train(
    images: Any,
    labels: Any,
    config: Config,
    test: tuple[Any, Any] | None = None,
    on_epoch: EpochFn | None = None,
    on_progress: ProgressFn | None = None,
) -> tuple[Recogniser, History]:
    """Train the network ``config`` describes on ``images (n, 784)`` and ``labels``.

    ``on_epoch`` receives each epoch's :class:`~reseau.history.EpochReport`;
    ``on_progress(done, total)`` is called during an epoch, and an exception
    it raises stops training (how the web page's Stop button works).  Returns
    the network kept and its :class:`~reseau.history.History`.
    """
    trainer = kind(config.mode).trainer_module().train
    return trainer(images, labels, config, test=test, on_epoch=on_epoch, on_progress=on_progress)
