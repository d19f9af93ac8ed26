"""The local web page of ``reseau web``: a FastAPI app (:func:`create_app`) and its static page."""

from reseau.web.app import create_app

__all__ = ["create_app"]
