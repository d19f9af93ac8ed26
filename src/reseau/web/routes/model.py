"""The models: the one in use, the others of its folder, what they make of a drawing and of the dataset's images."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
from fastapi import APIRouter

from reseau import data, kinds
from reseau.drawing import SIDE, preprocessing_of, to_mnist
from reseau.i18n import t
from reseau.modelfile import SavedModel
from reseau.web import schemas
from reseau.web.deps import ContextDep, LangDep
from reseau.web.errors import WebError
from reseau.web.state import ShelfEntry, drawing_network

if TYPE_CHECKING:
    from reseau.convnet import ConvNetwork

router = APIRouter()


@router.get("/api/model", response_model=schemas.ModelStatus)
def get_model(ctx: ContextDep) -> schemas.ModelStatus:
    """The model in use (sizes, accuracies, history), read from its :class:`~reseau.modelfile.ModelInfo`."""
    return model_status(ctx.store.model, str(ctx.store.path), ctx.trainer.running)


def model_status(model: SavedModel | None, path: str, training: bool) -> schemas.ModelStatus:
    """What GET /api/model says of ``model`` (``reseau site`` writes it for the browser, with no server)."""
    if model is None:
        return schemas.ModelStatus(ready=False, training=training, path=path)
    info, network = model.info, model.network
    made = info.to_dict() | {"history": [schemas.EpochOut.model_validate(e) for e in info.history.epochs]}
    return schemas.ModelStatus(
        **made,
        ready=True,
        training=training,
        path=path,
        sizes=network.sizes,
        activations=list(network.activations),
        classes=classes(info.dataset),
    )


@router.get("/api/models", response_model=schemas.ModelList)
def list_models(ctx: ContextDep, lang: LangDep) -> schemas.ModelList:
    """The ``*.safetensors`` files of the model in use's folder; one that cannot be used says why."""
    entries = ctx.shelf.entries()
    drawing = drawing_network(entries)
    return schemas.ModelList(
        folder=str(ctx.shelf.folder),
        in_use=ctx.store.path.name,
        drawing=drawing.name if drawing else None,
        models=[model_entry(e, ctx.store.path.name, drawing, lang) for e in entries],
    )


def model_entry(entry: ShelfEntry, in_use: str, drawing: ShelfEntry | None, lang: str) -> schemas.ModelEntry:
    info, error = entry.info, entry.error
    made = {k: getattr(info, k) for k in ("mode", "preset", "dataset", "test_accuracy")} if info else {}
    return schemas.ModelEntry(
        **made,
        name=entry.name,
        usable=info is not None,
        in_use=entry.name == in_use,
        drawing=entry is drawing,
        convolutional=info is not None and "maps" in kinds.kind(info.mode).views,  # it has feature maps
        modified=entry.modified,
        error=t(error.key, lang, **error.params) if error else None,
        error_key=error.key if error else None,
    )


@router.post("/api/predict", response_model=schemas.PredictResponse)
def predict(ctx: ContextDep, lang: LangDep, req: schemas.PredictRequest) -> dict:
    """A drawing -> its MNIST-like 28x28 input (that network's own preprocessing) -> the answer of the model
    in use, or of the model file named."""
    model = ctx.model(req.model, lang)  # a bad name is refused before any work
    chosen: dict[str, Any] = {"model": req.model, "classes": classes(model.info.dataset)}
    grey = req.grey()  # (H, W), ink 1
    if not req.preprocess:
        if grey.shape != (SIDE, SIDE):
            raise WebError("web.error.raw_size", status=422, width=req.width, height=req.height)
        return answer(model, grey) | feature_maps(model, grey) | chosen | {"empty": not grey.any()}
    preprocessing = preprocessing_of(model.info)  # as this network was trained to read (preprocess_for's)
    x = to_mnist(grey, preprocessing=preprocessing)  # (28, 28) or None
    chosen["stroke_normalised"] = preprocessing.normalise_stroke  # the page's caption says it
    if x is None:
        return no_answer(np.zeros(SIDE * SIDE)) | chosen | {"empty": True}
    return answer(model, x) | feature_maps(model, x) | chosen | {"empty": False}


@router.get("/api/dataset/{split}/{index}", response_model=schemas.DatasetItem)
def dataset_item(ctx: ContextDep, split: Literal["train", "test"], index: int) -> dict:
    """Image ``index`` of a split, its label, and the model's answer (the document's browsing loop)."""
    dataset = ctx.dataset
    images, labels = ctx.cache.get(split, dataset)
    if not 0 <= index < len(images):
        raise WebError("web.error.index", status=404, index=index, last=len(images) - 1)
    label = int(labels[index].argmax())
    item = {"split": split, "index": index, "count": len(images), "label": label, "label_name": classes(dataset)[label]}
    if ctx.store.model is None:
        return item | no_answer(np.round(images[index], 4))
    return item | answer(ctx.model(), images[index])


def no_answer(x: np.ndarray) -> dict:
    """An answer with no network's: only the input ``x`` (a schemas.Answer)."""
    return {"digit": None, "name": None, "outputs": [], "hidden": [], "input": x.tolist()}


def answer(model: SavedModel, x: np.ndarray) -> dict:
    """What ``model`` makes of ``x (784,)``: digit, outputs, hidden values, input (a schemas.Answer)."""
    layers = model.network.layer_outputs(x.reshape(1, -1))  # [(1, hidden), ..., (1, 10)]
    o = layers[-1][0]  # (10,)
    hidden = layers[0][0] if len(layers) > 1 else np.zeros(0)  # (hidden,)
    digit = int(o.argmax())
    return {
        "digit": digit,
        "name": classes(model.info.dataset)[digit],
        "outputs": o.round(6).tolist(),
        "hidden": hidden.round(6).tolist(),
        "input": np.round(x.reshape(-1), 4).tolist(),
    }


def feature_maps(model: SavedModel, x: np.ndarray) -> dict:
    """A convolutional network's first feature maps for ``x (784,)`` (``{"maps": ...}``); none for layers of neurons."""
    if "maps" not in kinds.kind(model.info.mode).views:
        return {"maps": None}
    network = cast("ConvNetwork", model.network)  # the kinds that show maps make ConvNetworks
    maps = network.feature_maps(x.reshape(-1), block=0)  # (h, w, filters), after pooling and ReLU
    h, w, n = maps.shape
    values = maps.transpose(2, 0, 1).reshape(n, h * w)  # (filters, h * w): one map per row
    return {"maps": {"block": 0, "height": h, "width": w, "values": values.round(4).tolist()}}


def classes(dataset: str) -> list[str]:
    """The names of the dataset's ten classes ("0" to "9" for MNIST)."""
    return list(data.DATASETS[dataset].class_names) if dataset in data.DATASETS else [str(d) for d in range(10)]
