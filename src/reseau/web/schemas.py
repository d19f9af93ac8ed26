"""The JSON API's request and response models: every field typed and bounded.

Requests are strict (a number must be a JSON number, not a string; unknown
fields are refused), so a mistake in a request gets a clear 4xx message
instead of a guess.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_SIDE = 280  # the largest drawing accepted, in pixels per side (the page's pad; it sends 112)
Grey = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False, strict=True)]  # ink 1, paper 0


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PredictRequest(Strict):
    """A drawing (or an already-prepared 28x28 image) to recognise."""

    width: int = Field(ge=1, le=MAX_SIDE, strict=True)  # pixels per row
    height: int = Field(ge=1, le=MAX_SIDE, strict=True)  # rows
    pixels: list[Grey] = Field(max_length=MAX_SIDE * MAX_SIDE)  # row by row, height * width grey levels
    preprocess: bool = Field(True, strict=True)  # crop, scale and centre like MNIST (False: send 28x28 as is)


class Answer(BaseModel):
    """What the network makes of one 28x28 image."""

    digit: int | None  # the recognised class (argmax of the outputs); None if nothing is drawn
    name: str | None  # that class's name ("7", or "Sneaker" for Fashion-MNIST)
    outputs: list[float]  # the output layer's values o, (10,)
    hidden: list[float]  # the first hidden layer's values h, (hidden,)
    input: list[float]  # the 784 grey levels the network saw (row by row, ink 1)


class PredictResponse(Answer):
    empty: bool  # True when the drawing has no ink


class DatasetItem(Answer):
    split: Literal["train", "test"]
    index: int
    count: int  # images in this split (the index goes from 0 to count - 1)
    label: int  # the true class
    label_name: str


class TrainRequest(Strict):
    """A training asked for from the page; the defaults are the document's values."""

    mode: Literal["faithful", "modern"] = "faithful"  # the document's SGD, or reseau.training
    epochs: int = Field(3, strict=True)  # passes over the 60 000 images
    hidden: int = Field(20, strict=True)  # neurons in the hidden layer (faithful mode)
    layers: list[Annotated[int, Field(strict=True)]] | None = Field(None, max_length=16)  # modern: hidden sizes
    learn_rate: float = Field(0.01, strict=True, allow_inf_nan=False)  # step size
    seed: int = Field(0, strict=True)  # seed of the initial weights
    preset: str | None = Field(None, max_length=64)  # modern mode: the preset to start from


class EventOut(BaseModel):
    """One event of a run, with its sentences in the reader's language."""

    model_config = ConfigDict(extra="allow")
    id: int
    kind: str


class TrainStatus(BaseModel):
    state: Literal["idle", "running", "done", "stopped", "failed"]
    plan: dict | None  # mode, dataset, preset, config of the current or last run
    events: list[EventOut]  # the current or last run's events, oldest first


class ModelInfo(BaseModel):
    ready: bool  # a model is loaded and answers predictions
    training: bool  # a run is going on
    path: str  # the model file in use (written after each run from the page)
    sizes: list[int] | None = None  # neurons per layer, input first
    activations: list[str] | None = None
    mode: str | None = None
    dataset: str = "mnist"
    classes: list[str] = []
    config: dict | None = None
    test_accuracy: float | None = None  # % of the 10 000 test images recognised
    train_precision: float | None = None  # the document's last printed "Précision"
    history: list[dict] = []  # per epoch: epoch, precision, test_accuracy


class Options(BaseModel):
    """What the page may offer: modes, presets, defaults and the document's sigmoid cases."""

    modes: list[str]
    presets: dict[str, dict]  # modern mode: preset name -> its configuration
    defaults: dict
    limits: dict
    sigmoid_cases: list[dict]
    counts: dict  # images per split
    max_side: int


class Experiments(BaseModel):
    available: bool
    folder: str
    report_html: str | None = None  # URL of report.html under /experiments/
    report_md: str | None = None  # the text of report.md
    plots: list[str] = []  # URLs of the PNG plots
    command: str = "reseau experiment"


class Messages(BaseModel):
    lang: Literal["fr", "en"]
    messages: dict[str, str]


class ErrorOut(BaseModel):
    detail: str  # the message to show, in the request's language
    key: str  # its message key (stable, for programs)
    field: str | None = None  # the request field at fault, if any
