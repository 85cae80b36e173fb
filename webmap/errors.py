"""One handler maps the twin's errors to HTTP: problem+json, or a page for a browser.

A page a browser opened (a GET that asks for HTML) gets a refusal as a page
in the reader's language; programs and the pages' scripts keep the
problem+json body, whose words stay English.

A database that is away (stopped, restarting, too busy) raises driver or
SQLAlchemy errors anywhere, even while the user of a session cookie is
loaded; :func:`twin.db.errors.database_unavailable` turns them into
:class:`~twin.errors.Unavailable` (``503`` with ``Retry-After``).  A browser
asking for a page then gets a short page in its language that asks nothing
of the database and reloads itself.
"""

from __future__ import annotations

import time

from flask import Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _

from twin.db import CONNECTION_ERRORS, database_unavailable
from twin.errors import TwinError, Unavailable

__all__ = ["init_app", "problem_page", "wants_page"]

#: Seconds between two log lines about the database being away.
_LOG_EVERY_S = 30.0
#: Blueprints whose URLs refuse unknown parameters, ``?lang=`` included: no language switch.
_STRICT_PARAMETERS = frozenset({"api", "tiles"})


def wants_page() -> bool:
    """``?f=html``, or a browser opening a page (HTML preferred over JSON)."""
    f = request.args.get("f")
    if f in ("html", "json"):
        return f == "html"
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


def _problem(exc: TwinError) -> Response:
    response = jsonify(exc.to_problem())
    response.status_code = exc.status
    response.mimetype = "application/problem+json"
    response.headers.update(getattr(exc, "headers", {}))
    return response


def _unavailable_page(exc: Unavailable) -> Response:
    # Rendered from the Jinja environment itself: the context processors
    # (the logged-in user) would ask the database again.
    template = current_app.jinja_env.get_template("unavailable.html")
    again = request.full_path.rstrip("?") if request.method == "GET" else None
    html = template.render(retry_after_s=exc.retry_after_s, again_url=again,
                           language_switch=request.blueprint not in _STRICT_PARAMETERS)
    return Response(html, status=exc.status, mimetype="text/html", headers=exc.headers)


def _log_outage(exc: BaseException) -> None:
    """A warning when the database is first found away, then at most every ``_LOG_EVERY_S``."""
    now = time.monotonic()
    last = current_app.extensions.get("twin_db_away_logged")
    if last is None or now - last >= _LOG_EVERY_S:
        current_app.extensions["twin_db_away_logged"] = now
        first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
        current_app.logger.warning("database unavailable, answering 503: %s", first_line)


def init_app(app) -> None:
    @app.errorhandler(TwinError)
    def _twin_error(exc: TwinError):
        if isinstance(exc, Unavailable) and wants_page():
            return _unavailable_page(exc)
        if wants_page():
            return problem_page(exc.status, getattr(exc, "headers", {}))
        return _problem(exc)

    def _database_error(exc: Exception):
        unavailable = database_unavailable(exc)
        if unavailable is None:
            raise exc  # another database error: a bug, answered 500 as before
        _log_outage(exc)
        return _twin_error(unavailable)

    for error in CONNECTION_ERRORS:
        app.register_error_handler(error, _database_error)
