"""The API's routes (listed in :mod:`reseau.web.app`), one router per area of the page: the page itself,
the models, training, experiments, « Pas à pas », the files the page computes from.  Each route gets the
app's shared objects and the request's language from :mod:`reseau.web.deps`.
"""

from reseau.web.routes import experiments, files, model, page, photo, step, train

ROUTERS = (page.router, model.router, train.router, experiments.router, step.router, files.router, photo.router)

__all__ = ["ROUTERS"]
