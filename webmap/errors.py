"""One handler maps the twin's errors to HTTP: problem+json, or a page while the database is away.

A database that is away (stopped, restarting, too busy) raises driver or
SQLAlchemy errors anywhere, even while the user of a session cookie is
loaded; :func:`twin.db.errors.database_unavailable` turns them into
:class:`~twin.errors.Unavailable` (``503`` with ``Retry-After``).  An API,
JSON or tile request gets it as problem+json; a browser asking for a page
gets a short page in its language that asks nothing of the database and
reloads itself.
"""

from __future__ import annotations

import time

from flask import Response, current_app, jsonify, request

from twin.db.errors import CONNECTION_ERRORS, database_unavailable
from twin.errors import TwinError, Unavailable

__all__ = ["init_app"]

#: Seconds between two log lines about the database being away.
_LOG_EVERY_S = 30.0
#: Blueprints whose URLs refuse unknown parameters, ``?lang=`` included: no language switch.
_STRICT_PARAMETERS = frozenset({"api", "tiles"})


def _problem(exc: TwinError) -> Response:
    response = jsonify(exc.to_problem())
    response.status_code = exc.status
    response.mimetype = "application/problem+json"
    response.headers.update(getattr(exc, "headers", {}))
    return response


def _wants_page() -> bool:
    """``?f=html``, or a browser navigating (its Accept prefers HTML to JSON)."""
    f = request.args.get("f")
    if f in ("html", "json"):
        return f == "html"
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


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
        if isinstance(exc, Unavailable) and _wants_page():
            return _unavailable_page(exc)
        return _problem(exc)

    def _database_error(exc: Exception):
        unavailable = database_unavailable(exc)
        if unavailable is None:
            raise exc  # another database error: a bug, answered 500 as before
        _log_outage(exc)
        return _twin_error(unavailable)

    for error in CONNECTION_ERRORS:
        app.register_error_handler(error, _database_error)
