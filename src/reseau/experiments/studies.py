"""What to train: studies (factors and their values around fixed settings) and the runs they make.

A :class:`Study` varies one factor (``--vary hidden=5,10,20``) or several at
once (``--grid``: every combination) around fixed settings, and trains each
point once per seed.  It expands into :class:`RunSpec` objects; a run's
identity is the canonical hash of what determines its result (mode, dataset,
all trainer settings, seed, number of training images), so the same point met
in two studies (the document's 784-20-10, lr 0.01, 3 epochs is in all three
default studies) is trained once and found again in the store.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field

from reseau import kinds, trainers
from reseau.data import N_IMAGES
from reseau.errors import ConfigError
from reseau.i18n import format_count, t

TRAIN_IMAGES = N_IMAGES["train"]  # what a run learns when it has no --limit

MODES = tuple(trainers.KINDS)
DEFAULT_MODE = kinds.document().mode  # the document's network: the one its exercise asks about

# The three studies the document's exercise asks for.
DEFAULT_STUDIES = {"epochs": (1, 2, 3, 5, 10), "hidden": (5, 10, 20, 50, 100), "lr": (0.001, 0.01, 0.1, 1.0, 10.0)}
DEFAULT_SEEDS = 3
MAX_SEEDS = 100
MAX_RUNS = 10_000  # a bigger study is a typo (or a week of computing): refuse it
ALIASES = {"lr": "learn_rate", "learning_rate": "learn_rate", "epoch": "epochs", "hidden_size": "hidden"}


@dataclass(frozen=True)
class RunSpec:
    """One training run: everything that determines its result."""

    mode: str  # the kind of network (reseau.kinds.KINDS): "faithful" (the document's algorithm), "modern", ...
    dataset: str  # "mnist" or "fashion-mnist"
    settings_json: str  # canonical JSON of the trainer's settings, the seed excepted
    seed: int  # initial weights (and, in modern mode, shuffling) depend on it only
    limit: int | None = None  # train on the first `limit` images only (None: all 60 000)

    @property
    def settings(self) -> dict:
        return json.loads(self.settings_json)

    @property
    def key(self) -> str:
        """Canonical hash of the run's identity: equal settings give equal keys."""
        identity = {
            "mode": self.mode,
            "dataset": self.dataset,
            "settings": self.settings,
            "seed": self.seed,
            "limit": self.limit,
        }
        return hashlib.sha256(canonical_json(identity).encode()).hexdigest()[:24]

    def cost(self) -> float:
        """A rough relative duration, to start the longest runs first and to estimate time left:
        the config's own estimate (:meth:`reseau.config.Config.cost`) for the images used, and ``48``
        units per run (measured with the document's network, whose epoch costs ``hidden + 33``)."""
        share = (self.limit or TRAIN_IMAGES) / TRAIN_IMAGES
        return trainer_config(self.mode, self.settings, self.seed).cost() * share + 48


def canonical_json(value: object) -> str:
    """One text per value: sorted keys, no spaces, tuples as lists."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass
class Study:
    """Some factors, the values each takes, and the settings held fixed meanwhile."""

    name: str  # "epochs", "hidden", "lr" for one factor; "grid-a-b" for a grid
    grid: dict[str, tuple]  # factor -> the values tried (several factors: every combination)
    base: dict[str, object]  # the settings held fixed; the grid's values replace them
    seeds: tuple[int, ...] = (0, 1, 2)  # each point is trained once per seed
    mode: str = DEFAULT_MODE  # which trainer (reseau.trainers.KINDS)
    dataset: str = "mnist"  # dataset the runs train and test on
    limit: int | None = None  # first `limit` training images only (tests, quick looks)
    preset: str | None = None  # the preset the base came from (None: the mode's first preset)

    @property
    def factors(self) -> tuple[str, ...]:
        return tuple(self.grid)

    def points(self) -> list[dict[str, object]]:
        """Every combination of the factors' values, in the order given: ``[{factor: value}, ...]``."""
        names = self.factors
        return [dict(zip(names, combo)) for combo in itertools.product(*self.grid.values())]

    def spec(self, point: dict[str, object], seed: int) -> RunSpec:
        settings = dict(self.base) | point
        return RunSpec(self.mode, self.dataset, canonical_json(settings), seed, self.limit)

    def specs(self) -> list[RunSpec]:
        return [self.spec(p, s) for p in self.points() for s in self.seeds]

    def to_dict(self) -> dict:
        return dataclasses.asdict(self) | {
            "grid": {k: list(v) for k, v in self.grid.items()},
            "seeds": list(self.seeds),
        }

    def count(self) -> int:
        """Runs the study asks for (points × seeds), counted without making a single point."""
        return math.prod(len(values) for values in self.grid.values()) * len(self.seeds)

    @classmethod
    def from_dict(cls, data: dict) -> Study:
        """The inverse of :meth:`to_dict`; ``ValueError`` when ``data`` is not a study's description.

        Only the types are checked here; :func:`check_studies` checks the values.
        """
        if not isinstance(data, dict) or set(data) != {f.name for f in dataclasses.fields(cls)}:
            raise ValueError("not a study's description")
        grid, base, seeds = data["grid"], data["base"], data["seeds"]
        if not isinstance(grid, dict) or not all(isinstance(v, list) for v in grid.values()) or not grid:
            raise ValueError("'grid' must map each factor to a list of values")
        if not isinstance(base, dict) or not isinstance(seeds, list) or not seeds:
            raise ValueError("'base' must be an object and 'seeds' a list")
        if not all(type(seed) is int for seed in seeds) or not all(
            isinstance(data[k], str) for k in ("name", "mode", "dataset")
        ):
            raise ValueError("'seeds' must be integers and 'name', 'mode', 'dataset' texts")
        if not (data["limit"] is None or type(data["limit"]) is int):
            raise ValueError("'limit' must be an integer")
        if not (data["preset"] is None or isinstance(data["preset"], str)):
            raise ValueError("'preset' must be a text")
        return cls(**(data | {"grid": {str(k): tuple(v) for k, v in grid.items()}, "seeds": tuple(seeds)}))


# ---------------------------------------------------------------------------
# Factors: which settings exist in each mode, their types, and their validation
# ---------------------------------------------------------------------------


@dataclass
class Factors:
    """The settings a trainer accepts, under their names in studies, with their defaults (which give their types)."""

    mode: str
    defaults: dict[str, object]  # setting -> default value
    aliases: dict[str, str] = field(default_factory=dict)  # other accepted names

    def canonical(self, name: str) -> str:
        """``learn_rate`` -> ``lr`` (faithful); raises ConfigError for an unknown name."""
        name = name.strip()
        if name == "seed":
            raise ConfigError("experiment.seed_not_factor")
        if name not in self.defaults:
            name = self.aliases.get(name, name)
        if name not in self.defaults:
            raise ConfigError(
                "experiment.unknown_factor", name=name, mode=self.mode, choices=", ".join(sorted(self.defaults))
            )
        return name

    def parse_value(self, name: str, text: str) -> object:
        """``"0.01"`` -> ``0.01`` with the type of the setting's default."""
        try:
            return coerce(text.strip(), self.defaults[name])
        except ValueError:
            kind = t(kind_key(self.defaults[name]))
            raise ConfigError("experiment.bad_value", name=name, value=text, kind=kind) from None


def kind_key(default: object) -> str:
    """The message that says what :func:`coerce` reads for a setting whose default is ``default``."""
    for kind, key in ((bool, "bool"), (int, "int"), (float, "float"), ((tuple, list), "sizes")):
        if isinstance(default, kind):
            return f"experiment.kind.{key}"
    return "experiment.kind.text"


def coerce(text: str, default: object) -> object:
    """Read ``text`` as the type of ``default`` (bool, int, float, str, tuple of ints, None)."""
    if isinstance(default, bool):
        low = text.lower()
        if low in ("true", "1", "yes", "oui", "vrai"):
            return True
        if low in ("false", "0", "no", "non", "faux"):
            return False
        raise ValueError(text)
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        return float(text)
    if isinstance(default, (tuple, list)):  # layer sizes "784-128-10" (or 784x128x10)
        return tuple(int(p) for p in text.replace("x", "-").split("-") if p)
    if default is None:
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return None if text.lower() == "none" else text
    return text


def factors_for(mode: str, preset: str | None = None) -> Factors:
    """The settings of ``mode``'s trainer that a study may vary, with the preset's values as defaults.

    A config class may name them (``FACTORS``: the document's three are
    ``epochs``, ``hidden``, ``lr``); otherwise every field but the seed is one.
    """
    config = base_config(mode, preset)
    names = type(config).FACTORS or {f.name: f.name for f in dataclasses.fields(config) if f.name != "seed"}
    defaults = {short: getattr(config, name) for short, name in names.items()}
    aliases = {name: short for short, name in names.items() if name != short}  # learn_rate -> lr
    aliases |= {
        a: short
        for a, target in ALIASES.items()
        for short, name in names.items()
        if target in (short, name) and a not in defaults
    }
    if "layers" in defaults:
        aliases["hidden"] = "layers"
    return Factors(mode, defaults, aliases)


def base_config(mode: str, preset: str | None):
    """The configuration a study starts from: ``preset``, or the first preset of ``mode``'s trainer."""
    if mode not in MODES:
        raise ConfigError("experiment.unknown_mode", value=mode, choices=", ".join(MODES))
    if preset is None:
        return next(iter(kinds.kind(mode).presets().values()))
    config = trainers.preset(preset)
    if config.mode != mode:
        raise ConfigError("experiment.preset_mode", preset=preset, mode=mode)
    return config


def trainer_config(mode: str, settings: dict, seed: int):
    """The trainer's own config object for ``settings`` (named as in studies) and ``seed``, validated."""
    cls = trainers.config_class(mode)
    names = cls.FACTORS or {}
    values = {names.get(k, k): v for k, v in settings.items()}
    try:
        return cls.from_dict(values | {"seed": seed}).validate()
    except ConfigError as exc:  # name the setting as the study does (lr, not learn_rate)
        short = {name: short for short, name in names.items()}
        if "field" in exc.params:
            exc.params["field"] = short.get(str(exc.params["field"]), exc.params["field"])
        raise


# ---------------------------------------------------------------------------
# Building studies from the command line's words
# ---------------------------------------------------------------------------


def parse_assignment(text: str, factors: Factors, seeds: int = 1) -> tuple[str, tuple]:
    """``"hidden=5,10,20"`` -> ``("hidden", (5, 10, 20))``; ConfigError on any mistake.

    The values are counted before they are read: more than ``MAX_RUNS`` runs
    (values × ``seeds``) is refused at once.
    """
    if "=" not in text:
        raise ConfigError("experiment.bad_syntax", text=text)
    name, _, values = text.partition("=")
    name = factors.canonical(name)
    parts = [p for p in values.split(",") if p.strip()]
    if not parts:
        raise ConfigError("experiment.no_values", name=name, text=text)
    if len(parts) * seeds > MAX_RUNS:
        raise too_many_runs(len(parts) * seeds)
    parsed = tuple(factors.parse_value(name, p) for p in parts)
    if len(set(map(repr, parsed))) != len(parsed):
        raise ConfigError("experiment.duplicate_value", name=name, text=text)
    return name, parsed


def build_studies(
    vary: list[str] | None = None,
    grid: list[str] | None = None,
    fixed: list[str] | None = None,
    seeds: int = DEFAULT_SEEDS,
    mode: str = DEFAULT_MODE,
    dataset: str = "mnist",
    limit: int | None = None,
    preset: str | None = None,
) -> list[Study]:
    """The studies asked for: one per ``vary`` item, one grid of all ``grid`` items, or the default three.

    ``fixed`` items (``epochs=1``) change the settings held fixed.  Every run's
    configuration is validated here, before anything is trained.
    """
    if not isinstance(seeds, int) or not 1 <= seeds <= MAX_SEEDS:
        raise ConfigError("experiment.bad_seeds", value=seeds, limit=MAX_SEEDS)
    if limit is not None and not 1 <= limit <= TRAIN_IMAGES:
        raise ConfigError("experiment.bad_limit", value=limit, most=TRAIN_IMAGES)
    factors = factors_for(mode, preset)
    base = dict(factors.defaults)
    for item in fixed or []:
        name, values = parse_assignment(item, factors)
        if len(values) != 1:
            raise ConfigError("experiment.fixed_one_value", text=item)
        base[name] = values[0]

    def study(name: str, grid: dict[str, tuple]) -> Study:
        return Study(name, grid, base, tuple(range(seeds)), mode, dataset, limit, preset)

    studies = [
        study(name, {name: values}) for name, values in (parse_assignment(v, factors, seeds) for v in vary or [])
    ]
    if grid:
        axes = dict(parse_assignment(g, factors, seeds) for g in grid)
        if len(axes) != len(grid):
            raise ConfigError("experiment.grid_repeated")
        studies.append(study("grid-" + "-".join(axes), axes))
    if not studies:
        if mode != DEFAULT_MODE or preset not in (None, "document"):
            raise ConfigError("experiment.needs_factors")
        studies = [study(name, {name: values}) for name, values in DEFAULT_STUDIES.items()]
    check_studies(studies)
    return studies


def check_studies(studies: list[Study]) -> None:
    """Check the total size, then every distinct run's configuration (the trainer's own checks).

    The size is counted first, without making the points: a grid of a
    million points is refused at once, not after a minute and a gigabyte.
    """
    for study in studies:
        if study.count() > MAX_RUNS:
            raise too_many_runs(study.count())
    runs: set[tuple] = set()  # what makes a run's key, without hashing it
    for study in studies:
        for point in study.points():
            settings = study.spec(point, 0).settings_json
            runs.update((study.mode, study.dataset, settings, seed, study.limit) for seed in study.seeds)
        if len(runs) > MAX_RUNS:  # stop counting here: a set of every run of every study could be huge
            raise too_many_runs(len(runs))
    seen: set[tuple[str, str]] = set()
    for study in studies:
        for point in study.points():
            spec = study.spec(point, 0)
            if (study.mode, spec.settings_json) not in seen:
                seen.add((study.mode, spec.settings_json))
                trainer_config(study.mode, spec.settings, 0)


def restore_studies(data: object) -> list[Study]:
    """The studies described by ``data`` (:meth:`Study.to_dict` of each, as a store keeps them), checked
    as if typed on the command line: counted first, factors known, every configuration valid.

    Raises ``ValueError`` or :class:`ConfigError` when ``data`` is not such a description.
    """
    if not isinstance(data, list) or not data:
        raise ValueError("not a list of studies")
    studies = [Study.from_dict(item) for item in data]
    for study in studies:
        if study.count() > MAX_RUNS:
            raise too_many_runs(study.count())
        if study.limit is not None and not 1 <= study.limit <= TRAIN_IMAGES:
            raise ConfigError("experiment.bad_limit", value=study.limit, most=TRAIN_IMAGES)
        if len(study.seeds) > MAX_SEEDS or len(set(study.seeds)) != len(study.seeds):
            raise ConfigError("experiment.bad_seeds", value=len(study.seeds), limit=MAX_SEEDS)
        known = factors_for(study.mode, study.preset).defaults  # ConfigError for an unknown mode or preset
        if set(study.base) != set(known) or not set(study.grid) <= set(known):
            raise ValueError("unknown settings")
        for seed in study.seeds:  # the seeds' own limits
            trainer_config(study.mode, study.base, seed)
    check_studies(studies)
    return studies


def too_many_runs(count: int) -> ConfigError:
    """The error for a study of ``count`` runs, more than ``MAX_RUNS``."""
    return ConfigError("experiment.too_many_runs", count=format_count(count), limit=format_count(MAX_RUNS))


def unique_specs(studies: list[Study]) -> list[RunSpec]:
    """Every run of the studies, each once (a point shared by two studies is one run)."""
    found: dict[str, RunSpec] = {}
    for study in studies:
        for spec in study.specs():
            found.setdefault(spec.key, spec)
    return list(found.values())


def is_default(studies: list[Study]) -> bool:
    """The three studies of the document's exercise, at the document's settings."""
    return [(s.name, s.grid) for s in studies] == [(n, {n: v}) for n, v in DEFAULT_STUDIES.items()]


def command_line(studies: list[Study]) -> str:
    """The ``reseau experiment`` command that asks for exactly these studies."""
    first = studies[0]
    words = ["reseau", "experiment"]
    if first.mode != DEFAULT_MODE:
        words += ["--mode", first.mode]
    if first.preset:
        words += ["--preset", first.preset]
    default_base = factors_for(first.mode, first.preset).defaults
    for name, v in first.base.items():
        if default_base.get(name) != v:
            words += ["--set", f"{name}={word(v)}"]
    if not is_default(studies) or first.mode != DEFAULT_MODE:
        for study in studies:
            items = [f"{f}={','.join(word(v) for v in vs)}" for f, vs in study.grid.items()]
            words += (
                (["--vary"] + items) if len(items) == 1 and not study.name.startswith("grid-") else ["--grid"] + items
            )
    if len(first.seeds) != DEFAULT_SEEDS:
        words += ["--seeds", str(len(first.seeds))]
    if first.dataset != "mnist":
        words += ["--dataset", first.dataset]
    if first.limit:
        words += ["--limit", str(first.limit)]
    return " ".join(words)


def word(value: object) -> str:
    """A setting as the command line takes it: ``0.01``, ``784-128-10``, ``adam``; read back, the same value."""
    if isinstance(value, float):
        short = f"{value:g}"  # 1 rather than 1.0, unless digits would be lost (0.0123456789)
        return short if float(short) == value else repr(value)
    if isinstance(value, (tuple, list)):
        return "-".join(map(str, value))
    return str(value)
