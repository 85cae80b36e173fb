"""The database engine of the web app, chosen once from the injected settings.

The app connects as the app login, which may read and write data but owns
nothing (:func:`twin.db.engine.app_database_url`).
"""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from twin.db import CONNECTION_ERRORS, database_unavailable, get_app_engine

__all__ = ["get_session", "init_app"]


def init_app(app) -> None:
    settings = app.config["TWIN_SETTINGS"]
    app.extensions["twin_engine"] = get_app_engine(settings)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The request's session; views commit explicitly, teardown rolls back leftovers."""
    if "db_session" not in g:
        g.db_session = Session(current_app.extensions["twin_engine"], expire_on_commit=False)
    return g.db_session


def _close_session(exc=None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        if exc is not None:
            session.rollback()
        session.close()
    except CONNECTION_ERRORS as error:
        # The server closed the connection after the answer was made (a
        # restart): its transaction died with it, and the answer stands.
        if database_unavailable(error) is None:
            raise
