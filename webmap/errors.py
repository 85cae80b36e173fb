"""One handler maps the twin's errors to problem+json responses."""

from __future__ import annotations

from flask import jsonify

from twin.errors import TwinError

__all__ = ["init_app"]


def init_app(app) -> None:
    @app.errorhandler(TwinError)
    def _twin_error(exc: TwinError):
        response = jsonify(exc.to_problem())
        response.status_code = exc.status
        response.mimetype = "application/problem+json"
        response.headers.update(getattr(exc, "headers", {}))
        return response
