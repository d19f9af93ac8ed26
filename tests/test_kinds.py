"""The kinds of network: each one record (reseau.kinds), asked by everything else.

* every record agrees with its config, presets, trainer and network class;
* the settings' choices are the keys of the tables that implement them;
* nothing outside the record compares mode names or picks behaviour by a network's class;
* no import circle in the package;
* every setting of every kind is an option of `reseau train`, with one type and a help in both languages;
* the one epoch loop of the mini-batch trainers stops early for every kind that has a validation set.
"""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from reseau import kinds, trainers
from reseau.cli import run
from reseau.i18n import t

SRC = Path(__file__).parents[1] / "src" / "reseau"


@pytest.mark.parametrize("mode", list(kinds.KINDS))
def test_each_record_agrees_with_its_config_presets_trainer_and_network(mode):
    kind = kinds.kind(mode)
    assert kind.config_class().mode == mode
    presets = kind.presets()
    assert kind.default_preset in presets
    for name, config in presets.items():
        assert config.mode == mode and config.validate() is config, name
        assert trainers.config_from_dict(mode, config.to_dict()) == config
    assert callable(kind.trainer_module().train)
    network = kind.network_class()
    assert network.LAYOUT and callable(network.from_parameters)
    assert kind.first_epoch in (0, 1)
    assert kind.name("fr") and kind.name("en") and kind.name("fr") != kind.name("en")
    for validated in (True, False):
        assert t(kind.note(validated), lang="en") and t(kind.epoch_line(validated), lang="fr", epoch=0, total=1,
                                                          precision=1.0, val=1.0, loss=1.0, seconds=1.0, mark="")


def test_the_document_is_one_kind_and_the_default():
    assert [k.mode for k in kinds.KINDS.values() if k.document] == [kinds.document().mode]
    assert kinds.kind(None) is kinds.document()
    assert trainers.configure()[1] == kinds.document().default_preset


def test_an_unknown_kind_is_a_clear_error():
    from reseau.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        kinds.kind("quantum")
    assert all(mode in str(caught.value) for mode in kinds.KINDS)


def test_a_network_is_asked_what_it_can_show():
    from reseau.convnet import ConvNetwork
    from reseau.network import Network
    from reseau.training.cnn import architecture, build, initial_slots
    from reseau.training.cnn_config import CNNConfig

    dense = Network.from_document(np.zeros((20, 784)), np.zeros((20, 1)), np.zeros((10, 20)), np.zeros((10, 1)))
    spec = architecture(CNNConfig(conv=(2,), kernels=(5,), dense=(4,)))
    conv = ConvNetwork(spec, dict(initial_slots(build(spec), 0).values))
    assert {k.mode for k in kinds.for_network(dense)} == {"faithful", "modern"}
    assert [k.mode for k in kinds.for_network(conv)] == ["cnn"]
    assert kinds.can_show(dense, "neurons") and not kinds.can_show(dense, "feature-maps")
    assert kinds.can_show(conv, "feature-maps") and not kinds.can_show(conv, "neurons")


def test_every_choice_is_a_key_of_the_table_that_implements_it():
    from reseau import faithful
    from reseau.training import config, layers, losses, optimizers, parameters, schedules

    assert tuple(layers.ACTIVATIONS) == config.ACTIVATIONS
    assert tuple(losses.OUTPUTS) == config.OUTPUTS
    assert tuple(parameters.INITS) == config.INITS
    assert tuple(optimizers.OPTIMIZERS) == config.OPTIMIZERS
    assert tuple(schedules.SCHEDULES) == config.SCHEDULES
    assert faithful.FaithfulConfig.CHOICES["engine"] == tuple(faithful.ENGINES)
    for name in config.AUGMENTATIONS:
        assert (config.augmentation(name) is None) == (name == "none")


# ---------------------------------------------------------------------------
# Nothing outside the record names a kind
# ---------------------------------------------------------------------------

KIND = r"""["'](faithful|modern|cnn)["']"""
MODE_COMPARED = re.compile(rf"(==|!=)=?\s*{KIND}|{KIND}\s*(==|!=)")
CLASS_PICKED = re.compile(r"isinstance\([^)]*\b(Network|ConvNetwork|FaithfulConfig|TrainConfig|CNNConfig)\b")


def test_no_code_compares_mode_names_or_picks_behaviour_by_a_networks_class():
    found = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".js") or path.name == "kinds.py" or "locales" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MODE_COMPARED.search(line) or CLASS_PICKED.search(line):
                found.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert not found, "ask reseau.kinds instead:\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    assert MODE_COMPARED.search('if config.mode == "faithful":') and MODE_COMPARED.search("mode === 'cnn'")
    assert CLASS_PICKED.search("if isinstance(model.network, Network):") and not MODE_COMPARED.search('mode = "x"')


def imports_of(path: Path, package: str, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports anywhere (function bodies and TYPE_CHECKING blocks included)."""

    def resolve(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {resolve(a.name) for a in node.names if a.name.startswith("reseau")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            if base.startswith("reseau"):
                found |= {resolve(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base) for a in node.names}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(("reseau", *path.relative_to(SRC).with_suffix("").parts))
        paths[name.removesuffix(".__init__")] = path
    graph = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = imports_of(path, package, set(paths)) - {name, ""}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle():
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


# ---------------------------------------------------------------------------
# reseau train offers every setting of every kind
# ---------------------------------------------------------------------------


def test_every_setting_of_every_kind_is_an_option_of_reseau_train(capsys):
    from reseau.cli.train_cmd import option_name, settings

    table = settings()  # raises TypeError if two kinds give one field two types
    every = {f.name for k in kinds.KINDS.values() for f in fields(k.config_class())}
    assert set(table) == every
    for lang in ("fr", "en"):
        assert run(["train", "--help", "--lang", lang]) == 0
        text = capsys.readouterr().out
        for name, setting in table.items():
            assert option_name(name) in text, name
            assert setting.help() and f"training.opt.{name}" not in setting.help()


def test_an_option_of_another_kind_is_one_clear_sentence(capsys):
    assert run(["train", "--conv", "8,16"]) == 2  # the document's network has no convolutions
    err = capsys.readouterr().err
    assert "--conv" in err and "Traceback" not in err and len(err.strip().splitlines()) <= 3


def test_sizes_are_typed_with_commas_and_a_bad_one_is_said(capsys):
    from reseau.cli.train_cmd import choose_config

    config, preset = choose_config(None, "cnn", {"conv": "8,16", "kernels": "5,3", "dense": "32", "epochs": 2})
    assert (config.conv, config.kernels, config.dense, preset) == ((8, 16), (5, 3), (32,), "cnn")
    assert run(["train", "--preset", "cnn", "--conv", "8,x"]) == 2
    assert "8,x" in capsys.readouterr().err


def test_augment_is_a_name_for_every_kind_that_has_it():
    from reseau.cli.train_cmd import settings

    assert settings()["augment"].type is str and set(settings()["augment"].modes) == {"modern", "cnn"}


# ---------------------------------------------------------------------------
# One epoch loop for the mini-batch trainers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("preset, changes", [
    ("better", {"layers": (8,)}),
    ("cnn", {"conv": (2,), "kernels": (5,), "dense": (8,)}),
])
def test_patience_stops_every_mini_batch_trainer_the_same_way(train_data, preset, changes):
    """A learning rate too small to change anything: the first epoch stays the best, and training stops
    after `patience` epochs without a better validation score (the shared loop, for each kind)."""
    config, _ = trainers.configure(preset, changes={**changes, "learn_rate": 1e-12, "epochs": 6, "val_size": 200,
                                                    "batch_size": 100, "patience": 2})
    network, history = trainers.train(train_data[0][:600], train_data[1][:600], config)
    assert [e.epoch for e in history.epochs] == [0, 1, 2] and history.best_epoch == 0
    assert all(e.mode == config.mode and e.number == e.epoch + 1 for e in history.epochs)
