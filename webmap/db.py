"""The database of each request, chosen from the injected settings.

The app connects as the app login, which may read and write data but owns
nothing (:func:`twin.db.engine.app_database_url`).  With replicas
(``Settings.replica_urls``) a request that cannot write (GET, HEAD,
OPTIONS) reads from a healthy standby and every other one goes to the
primary (:class:`twin.db.routing.ReadRouter`); views do not know which.
After a request whose session committed, the primary's WAL position is kept
in the signed session cookie, and that user's next reads go to a standby
only once it has replayed that far (read-your-writes).
"""

from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from twin.api import read_engine
from twin.db import (
    CONNECTION_ERRORS,
    ReadRouter,
    database_unavailable,
    engine_for,
    format_lsn,
    get_app_engine,
    parse_lsn,
    with_driver,
)

__all__ = ["LSN_KEY", "get_session", "init_app", "primary_url", "read_url", "router"]

#: The session key of the WAL position of the user's last write.
LSN_KEY = "twin_lsn"
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app) -> None:
    settings = app.config["TWIN_SETTINGS"]
    app.extensions["twin_engine"] = get_app_engine(settings)
    app.extensions["twin_primary_url"] = app.extensions["twin_engine"].url.render_as_string(
        hide_password=False)
    if settings.replica_urls:
        app.extensions["twin_router"] = ReadRouter(
            primary_url(app), [with_driver(u) for u in settings.replica_urls],
            engine_for=read_engine)
        app.after_request(_remember_write)
    app.teardown_appcontext(_close_session)


def primary_url(app=None) -> str:
    """The URL (with its password) of the app's primary database."""
    return (app or current_app).extensions["twin_primary_url"]


def router(app=None) -> ReadRouter | None:
    return (app or current_app).extensions.get("twin_router")


def read_url(app=None) -> str:
    """The database this read goes to: a standby when the router has one, else the primary.

    In a request that may write, always the primary; in one of a user who
    wrote, a standby that has replayed the write (or the primary).
    """
    routing = router(app)
    if routing is None:
        return primary_url(app)
    if not has_request_context():  # the tile gateway: anonymous or token reads
        return routing.read_url()
    if request.method not in _READ_METHODS:
        return routing.primary_url
    lsn = session.get(LSN_KEY)
    return routing.read_url(after_lsn=parse_lsn(lsn) if isinstance(lsn, str) else None)


def get_session() -> Session:
    """The request's session; views commit explicitly, teardown rolls back leftovers."""
    if "db_session" not in g:
        url = read_url()
        engine = (current_app.extensions["twin_engine"] if url == primary_url()
                  else engine_for(url))
        g.db_session = Session(engine, expire_on_commit=False)
        if router() is not None:
            event.listen(g.db_session, "after_commit", _note_commit)
    return g.db_session


def _note_commit(_session) -> None:
    g.twin_wrote = True


def _remember_write(response):
    """After a commit, keep where the primary's WAL ends in the user's signed session."""
    if g.pop("twin_wrote", False):
        try:
            session[LSN_KEY] = format_lsn(router().primary_lsn())
        except CONNECTION_ERRORS:
            pass  # the write is committed; the next read goes where the router says
    return response


def _close_session(exc=None) -> None:
    session_ = g.pop("db_session", None)
    if session_ is None:
        return
    try:
        if exc is not None:
            session_.rollback()
        session_.close()
    except CONNECTION_ERRORS as error:
        # The server closed the connection after the answer was made (a
        # restart): its transaction died with it, and the answer stands.
        if database_unavailable(error) is None:
            raise
