"""The API's routes, one router per area of the page.

    page         GET /, /api/messages, /api/options
    model        GET /api/model, GET /api/models, POST /api/predict, GET /api/dataset/{split}/{index}
    train        POST /api/train/estimate, POST /api/train, POST /api/train/stop, GET /api/train,
                 GET /api/train/events
    experiments  GET /api/experiments, GET /experiments/{file}
    step         POST /api/step/reset, POST /api/step (the « Pas à pas » tab: one learning step, every number)

Each route gets the app's shared objects and the request's language from
:mod:`reseau.web.deps`.
"""

from reseau.web.routes import experiments, model, page, step, train

ROUTERS = (page.router, model.router, train.router, experiments.router, step.router)

__all__ = ["ROUTERS"]
