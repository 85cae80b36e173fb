"""One handler maps the twin's errors to problem+json responses.

A page a browser opened (a GET that asks for HTML) gets the refusal as a
page in the reader's language instead; programs and the pages' scripts
keep the problem+json body, whose words stay English.
"""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _

from twin.errors import TwinError

__all__ = ["init_app", "problem_page", "wants_page"]


def wants_page() -> bool:
    """Whether the request is a browser opening a page (HTML preferred over JSON)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


def _said(status: int) -> tuple[str, str]:
    if status == 401:
        return _("Log in needed"), _("Log in to see this page.")
    if status == 403:
        return _("Not allowed"), _("Your account may not open this page or do this.")
    if status == 404:
        return _("Not found"), _("Nothing was found at this address.")
    if status == 429:
        return _("Too many requests"), _("Too many requests: wait a moment, then try again.")
    return _("Error"), _("The request could not be served.")


def problem_page(status: int, headers: dict | None = None, *, explanation: str | None = None):
    """A refusal as a page in the reader's language."""
    title, said = _said(status)
    explanation = explanation or said
    page = render_template("error.html", status=status, title=title, explanation=explanation)
    return page, status, headers or {}


def init_app(app) -> None:
    @app.errorhandler(TwinError)
    def _twin_error(exc: TwinError):
        if wants_page():
            return problem_page(exc.status, getattr(exc, "headers", {}))
        response = jsonify(exc.to_problem())
        response.status_code = exc.status
        response.mimetype = "application/problem+json"
        response.headers.update(getattr(exc, "headers", {}))
        return response
