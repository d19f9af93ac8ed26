"""The model in use: what it is, what it makes of a drawing, what it makes of the dataset's images."""

from __future__ import annotations

from typing import Literal

import numpy as np
from fastapi import APIRouter

from reseau import data
from reseau.web import schemas
from reseau.web.deps import Context, ContextDep
from reseau.web.errors import WebError
from reseau.web.preprocess import SIDE, to_mnist

router = APIRouter()


@router.get("/api/model", response_model=schemas.ModelStatus)
def get_model(ctx: ContextDep) -> schemas.ModelStatus:
    """The model in use (sizes, accuracies, history), read from its :class:`~reseau.modelfile.ModelInfo`."""
    model, training, path = ctx.store.model, ctx.trainer.running, str(ctx.store.path)
    if model is None:
        return schemas.ModelStatus(ready=False, training=training, path=path)
    info, network = model.info, model.network
    return schemas.ModelStatus(
        ready=True,
        training=training,
        path=path,
        sizes=network.sizes,
        activations=list(network.activations),
        mode=info.mode,
        preset=info.preset,
        dataset=info.dataset,
        classes=classes(info.dataset),
        config=info.config.to_dict(),
        test_accuracy=info.test_accuracy,
        train_precision=info.train_precision,
        val_accuracy=info.val_accuracy,
        best_epoch=info.best_epoch,
        seconds=info.seconds,
        source=info.source,
        reseau_version=info.reseau_version,
        history=[schemas.EpochOut.model_validate(e) for e in info.history.epochs],
    )


@router.post("/api/predict", response_model=schemas.PredictResponse)
def predict(ctx: ContextDep, req: schemas.PredictRequest) -> dict:
    """A drawing -> its MNIST-like 28x28 input -> the network's answer."""
    if len(req.pixels) != req.width * req.height:
        raise WebError(
            "web.error.pixel_count",
            status=422,
            width=req.width,
            height=req.height,
            expected=req.width * req.height,
            got=len(req.pixels),
        )
    grey = np.asarray(req.pixels, dtype=np.float64).reshape(req.height, req.width)  # (H, W), ink 1
    if not req.preprocess:
        if grey.shape != (SIDE, SIDE):
            raise WebError("web.error.raw_size", status=422, width=req.width, height=req.height)
        return answer(ctx, grey) | {"empty": not grey.any()}
    x = to_mnist(grey)  # (28, 28) or None
    if x is None:
        empty = np.zeros(SIDE * SIDE)
        return {"digit": None, "name": None, "outputs": [], "hidden": [], "input": empty.tolist(), "empty": True}
    return answer(ctx, x) | {"empty": False}


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
        return item | {
            "digit": None,
            "name": None,
            "outputs": [],
            "hidden": [],
            "input": np.round(images[index], 4).tolist(),
        }
    return item | answer(ctx, images[index])


def answer(ctx: Context, x: np.ndarray) -> dict:
    """What the model in use makes of ``x (784,)``: digit, outputs, hidden values, input (a schemas.Answer)."""
    model = ctx.store.model
    if model is None:
        raise WebError("web.error.training_first" if ctx.trainer.running else "web.error.no_model", status=503)
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


def classes(dataset: str) -> list[str]:
    """The names of the dataset's ten classes ("0" to "9" for MNIST)."""
    return list(data.DATASETS[dataset].class_names) if dataset in data.DATASETS else [str(d) for d in range(10)]
