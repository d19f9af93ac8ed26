"""The JSON API's request and response models: every field typed and bounded.

Requests are strict (a number must be a JSON number, not a string; unknown
fields are refused), so a mistake in a request gets a clear 4xx message
instead of a guess.  Responses are typed too: ``/api/openapi.json`` shows
the shape of every answer.  Only a training configuration stays a plain
JSON object (``config``), because each kind of network has its own fields.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from reseau.trainers import KINDS
from reseau.web.errors import NULL_ERROR, WebError

MAX_SIDE = 280  # the largest drawing accepted, in pixels per side (the page's pad; it sends 112)
Grey = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False, strict=True)]  # ink 1, paper 0
Mode = Literal[tuple(KINDS)]  # type: ignore[valid-type]  # the kinds of network (reseau.kinds)
Config = dict[str, Any]  # a training configuration's fields (each kind has its own: reseau.config.Config)


class Strict(BaseModel):
    """A request's body: unknown fields are refused, and so is ``null`` for a field that has a default.

    A field left out takes its default; a field sent as ``null`` is a mistake (a form left empty, a
    variable never set), not a way to ask for the default, so it gets a 422 that names the field
    instead of being read as "not given".  A model whose field takes ``null`` as a value of its own
    names it in ``NULL_ACCEPTED``, with a comment saying what ``null`` means there.
    """

    model_config = ConfigDict(extra="forbid")
    NULL_ACCEPTED: ClassVar[frozenset[str]] = frozenset()  # fields where an explicit null means something

    @model_validator(mode="before")
    @classmethod
    def _no_null_for_a_default(cls, data: Any) -> Any:
        """Refuse ``{"field": null}`` where ``field`` has a default (one error per such field)."""
        if not isinstance(data, dict):
            return data  # not an object: pydantic's own check says so
        nulls = [
            InitErrorDetails(type=PydanticCustomError(NULL_ERROR, "null is not accepted"), loc=(name,), input=None)
            for name, field in cls.model_fields.items()
            if not field.is_required() and name not in cls.NULL_ACCEPTED and name in data and data[name] is None
        ]
        if nulls:
            raise ValidationError.from_exception_data(cls.__name__, nulls)
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict:
        """``/api/openapi.json`` says the same: a field with a default is a value or left out, never null."""
        schema = handler(core_schema)
        for name, prop in handler.resolve_ref_schema(schema).get("properties", {}).items():
            field = cls.model_fields.get(name)
            kept = [s for s in prop.get("anyOf", []) if s.get("type") != "null"]
            if field and not field.is_required() and name not in cls.NULL_ACCEPTED and kept:
                prop.pop("anyOf")
                prop.update(kept[0] if len(kept) == 1 else {"anyOf": kept})
        return schema


# ---------------------------------------------------------------------------
# Predictions and the datasets
# ---------------------------------------------------------------------------


class Drawing(Strict):
    """A drawing from the page's pad (the Draw tab's, the « Pas à pas » tab's)."""

    width: int = Field(ge=1, le=MAX_SIDE, strict=True)  # pixels per row
    height: int = Field(ge=1, le=MAX_SIDE, strict=True)  # rows
    pixels: list[Grey] = Field(max_length=MAX_SIDE * MAX_SIDE)  # row by row, height * width grey levels

    def grey(self) -> np.ndarray:
        """The pixels as ``(height, width)`` grey levels, ink 1; a count that is not ``width * height`` is a 422."""
        expected, got = self.width * self.height, len(self.pixels)
        if got != expected:
            raise WebError(
                "web.error.pixel_count", status=422, width=self.width, height=self.height, expected=expected, got=got
            )
        return np.asarray(self.pixels, dtype=np.float64).reshape(self.height, self.width)


class PredictRequest(Drawing):
    """A drawing (or an already-prepared 28x28 image) to recognise."""

    preprocess: bool = Field(True, strict=True)  # crop, scale and centre like MNIST (False: send 28x28 as is)
    model: str | None = Field(None, strict=True)  # a file name of GET /api/models (checked there); None: the one in use


class FeatureMaps(BaseModel):
    """What the first convolution of a convolutional network sees in the image: one small image per filter."""

    block: int  # the convolution block (0: the first)
    height: int  # rows of each map
    width: int  # columns of each map
    values: list[list[float]]  # one map per filter, row by row (height * width values >= 0, after ReLU)


class Answer(BaseModel):
    """What the network makes of one 28x28 image."""

    digit: int | None  # the recognised class (argmax of the outputs); None if nothing is drawn
    name: str | None  # that class's name ("7", or "Sneaker" for Fashion-MNIST)
    outputs: list[float]  # the output layer's values o, (10,)
    hidden: list[float]  # the first hidden layer's values h, (hidden,)
    input: list[float]  # the 784 grey levels the network saw (row by row, ink 1)


class PredictResponse(Answer):
    empty: bool  # True when the drawing has no ink
    stroke_normalised: bool = False  # its strokes were brought to MNIST's thickness (this network's preprocessing)
    model: str | None = None  # the model file that answered; None: the model in use
    classes: list[str] = []  # the names of its classes ("0" to "9" for MNIST)
    maps: FeatureMaps | None = None  # a convolutional network's first feature maps; None for layers of neurons


class DatasetItem(Answer):
    split: Literal["train", "test"]
    index: int
    count: int  # images in this split (the index goes from 0 to count - 1)
    label: int  # the true class
    label_name: str


# ---------------------------------------------------------------------------
# The model in use
# ---------------------------------------------------------------------------


class EpochOut(BaseModel):
    """What one epoch measured (a :class:`reseau.history.EpochReport`'s numbers), in %."""

    model_config = ConfigDict(from_attributes=True)  # EpochOut.model_validate(report)
    epoch: int
    precision: float  # the document's "Précision": images recognised while being learned
    test_accuracy: float | None = None  # the test images recognised after the epoch
    val_accuracy: float | None = None  # the held-out validation images (modern trainer)
    loss: float | None = None  # mean training loss (modern trainer)
    seconds: float | None = None  # training time of the epoch


class ModelStatus(BaseModel):
    """The model in use, and how it was made (its file's :class:`reseau.modelfile.ModelInfo`)."""

    ready: bool  # a model is loaded and answers predictions
    training: bool  # a run is going on
    path: str  # the model file in use (written after each run from the page)
    sizes: list[int] | None = None  # neurons per layer, input first
    activations: list[str] | None = None
    mode: str | None = None  # the kind of network (reseau.kinds)
    preset: str | None = None  # the named configuration it started from
    dataset: str = "mnist"
    classes: list[str] = []
    config: Config | None = None
    test_accuracy: float | None = None  # % of the 10 000 test images recognised
    train_precision: float | None = None  # the document's "Précision" of the epoch kept
    val_accuracy: float | None = None  # % of the validation images, for the epoch kept
    best_epoch: int | None = None  # the epoch whose network was kept
    seconds: float | None = None  # how long the training took
    source: str | None = None  # what trained it: "cli", "web", ...
    reseau_version: str | None = None
    history: list[EpochOut] = []  # every epoch, oldest first


class ModelEntry(BaseModel):
    """One model file of the folder of the model in use."""

    name: str  # the file name, to send as ``model`` to POST /api/predict
    usable: bool  # False: the file is not a model reseau can load (``error`` says why)
    in_use: bool  # the model in use (the page's status line, the Browse tab)
    drawing: bool  # the network for drawings: the newest model of the ``dessin`` preset
    convolutional: bool = False  # a convolutional network: its answers carry feature maps
    mode: str | None = None  # the kind of network (reseau.kinds)
    preset: str | None = None
    dataset: str | None = None
    test_accuracy: float | None = None  # % of the 10 000 test images recognised
    modified: float  # when the file was written (seconds since 1970)
    error: str | None = None  # why it cannot be used, in the request's language
    error_key: str | None = None


class ModelList(BaseModel):
    """The models the page may draw with: the ``*.safetensors`` files beside the model in use."""

    folder: str  # where they are (a model trained from the page is saved here as <preset>.safetensors)
    in_use: str  # the file name of the model in use
    drawing: str | None  # the file name of the network for drawings, if there is one
    models: list[ModelEntry]  # by file name


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------


class TrainRequest(Strict):
    """A training asked for from the page.

    The configuration starts from ``preset`` (default: the document's network,
    or ``better`` for ``mode = "modern"``); only the fields the request sets
    replace the preset's.
    """

    mode: Mode | None = None  # type: ignore[valid-type]  # the trainer; given with a preset, it must be the preset's
    preset: str | None = Field(None, max_length=64)  # a name of reseau.trainers.presets()
    epochs: int | None = Field(None, strict=True)  # passes over the 60 000 images
    hidden: int | None = Field(None, strict=True)  # neurons in the hidden layer (modern: one layer of them)
    layers: list[Annotated[int, Field(strict=True)]] | None = Field(None, max_length=16)  # modern: hidden sizes
    conv: list[Annotated[int, Field(strict=True)]] | None = Field(None, max_length=16)  # cnn: filters per block
    kernels: list[Annotated[int, Field(strict=True)]] | None = Field(None, max_length=16)  # cnn: kernel side per block
    dense: list[Annotated[int, Field(strict=True)]] | None = Field(None, max_length=16)  # cnn: dense layer sizes
    learn_rate: float | None = Field(None, strict=True, allow_inf_nan=False)  # step size
    seed: int | None = Field(None, strict=True)  # seed of the initial weights


class Estimate(BaseModel):
    """How long a training would take on this computer, before it starts."""

    seconds: float
    text: str  # "environ 4 min" / "about 4 min"
    measured: bool  # True: from a training measured on this computer; False: from the reference rates
    basis: str  # where the rate comes from, in words


class PlanOut(BaseModel):
    """What a run trains: the trainer, the dataset, the preset it started from, the full configuration."""

    mode: str
    dataset: str
    preset: str | None
    config: Config


class StartEvent(PlanOut):
    id: int  # increases over the server's whole life (the SSE id)
    kind: Literal["start"]


class ProgressEvent(BaseModel):
    id: int
    kind: Literal["progress"]
    epoch: int  # epochs finished so far
    done: int  # images learned in this epoch
    total: int  # images per epoch


class EpochEvent(EpochOut):
    id: int
    kind: Literal["epoch"]
    line: str  # what the program prints for this epoch (the document's line for its trainer)
    test_line: str | None = None  # the test accuracy, as a sentence


class DoneEvent(BaseModel):
    id: int
    kind: Literal["done"]
    test_accuracy: float | None  # the model kept, on the test images
    seconds: float  # the whole run
    path: str  # where it was saved
    name: str  # its file name in the models folder (GET /api/models)
    in_use: bool  # it became the model in use (layers of neurons); a convolutional network is only saved
    message: str
    warning: str | None = None  # the model could not be saved (it is used all the same)


class StoppedEvent(BaseModel):
    id: int
    kind: Literal["stopped"]
    epochs_done: int
    message: str


class FailedEvent(BaseModel):
    id: int
    kind: Literal["failed"]
    key: str  # the error's message key
    message: str


EventOut = Annotated[
    StartEvent | ProgressEvent | EpochEvent | DoneEvent | StoppedEvent | FailedEvent, Field(discriminator="kind")
]  # one event of a run, its sentences in the reader's language


class TrainStatus(BaseModel):
    state: Literal["idle", "running", "done", "stopped", "failed"]
    plan: PlanOut | None  # the current or last run's
    events: list[EventOut]  # the current or last run's events, oldest first


# ---------------------------------------------------------------------------
# The page: options, messages, experiments
# ---------------------------------------------------------------------------


class PresetOut(BaseModel):
    mode: str  # the trainer it runs
    config: Config


class FormValues(BaseModel):
    """The training form's fields, with the document's values."""

    epochs: int
    hidden: int
    learn_rate: float
    seed: int


class SigmoidCase(BaseModel):
    w: float
    b: float


class KindOut(BaseModel):
    """A kind of network as the page needs it (reseau.kinds.Kind.to_dict): names and capabilities come from
    the record, the page never compares mode names."""

    name_key: str  # the message that names it
    settings: list[str]  # the fields of its configuration
    first_epoch: int  # the number a user reads for the first epoch
    views: list[str]  # what the Draw tab shows of it: "hidden" neurons, feature "maps"
    explain: bool  # one learning step can be shown number by number
    document: bool  # the document's own network (the default)


class Options(BaseModel):
    """What the page may offer: kinds, presets, defaults and the document's sigmoid cases."""

    modes: list[str]  # reseau.kinds.KINDS, in order
    kinds: dict[str, KindOut]
    presets: dict[str, PresetOut]  # every named configuration, the document's first
    defaults: FormValues  # the document's values
    limits: dict[str, list[float]]  # form field -> [low, high], from the configuration class
    sigmoid_cases: list[SigmoidCase]
    counts: dict[Literal["train", "test"], int]  # images per split
    max_side: int


class Experiments(BaseModel):
    available: bool
    folder: str
    report_html: str | None = None  # URL of report.html under /experiments/
    report_md: str | None = None  # the text of report.md
    plots: list[str] = []  # URLs of the PNG plots
    command: str = "reseau experiment"


class NumberFormat(BaseModel):
    """How numbers are written in the language: ``93,32`` and ``10 000`` in French."""

    decimal: str
    group: str  # thousands separator


class Messages(BaseModel):
    lang: Literal["fr", "en"]
    messages: dict[str, str]
    format: NumberFormat


# ---------------------------------------------------------------------------
# A photo of a digit on paper (POST /api/photo)
# ---------------------------------------------------------------------------

MAX_PHOTO = 2_000_000  # characters of base 64 (about 1.5 MB of file): within the server's body limit


class PhotoRequest(Strict):
    """A photo file (PNG or JPEG) in base 64, and the network to read it with."""

    image: str = Field(max_length=MAX_PHOTO, strict=True)  # the file's bytes in base 64 (a "data:" prefix is allowed)
    model: str | None = Field(None, strict=True)  # a file name of GET /api/models (checked there); None: the one in use


class PhotoResponse(PredictResponse):
    steps: dict[str, str]  # each step's picture ("photo", "grey", "flat", "ink", "digit", "input") as a PNG data URL
