"""The small demo city in a database of its own, shared by the tests of one process.

The network, outage-page and crew-page tests read a whole connected town and
commit edits to it (the network registry sees committed work only), so they
share one scratch database per test process, loaded once whichever of them
runs first and dropped after the last.  Tests that edit it put it back as it
was before they end.
"""

from __future__ import annotations

import os
import uuid
from types import SimpleNamespace

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from twin.auth import users
from twin.db import migrate
from twin.db.engine import session_scope
from twin.demo.load import load

__all__ = ["PASSWORD", "USERS", "acquire", "release"]

PASSWORD = "a good password"
#: Users of the outage tests: name -> role.
USERS = {"vera": "viewer", "cris": "crew", "edna": "editor"}

_shared: dict = {}


def _server(db_url: str):
    return create_engine(db_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)


def _create(db_url: str, home) -> SimpleNamespace:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"network_demo_{worker}_{uuid.uuid4().hex[:8]}"
    server = _server(db_url)
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    url = make_url(db_url).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url, "heads")
    result = load(url, scale="small", seed=1, home=home, echo=lambda _: None, progress=False)
    engine = create_engine(url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        for user, role in USERS.items():
            users.add_user(session, user, role, PASSWORD)
    engine.dispose()
    return SimpleNamespace(url=url, home=home, name=name, result=result)


def acquire(db_url: str, tmp_path_factory) -> SimpleNamespace:
    """The shared demo database (url, home, name, load result), created on first use."""
    if "demo" not in _shared:
        _shared["demo"] = _create(db_url, tmp_path_factory.mktemp("network-demo"))
        _shared["users"] = 0
    _shared["users"] += 1
    return _shared["demo"]


def release(db_url: str) -> None:
    """Drop the shared database once its last user is done."""
    _shared["users"] -= 1
    if _shared["users"]:
        return
    demo = _shared.pop("demo")
    server = _server(db_url)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{demo.name}" WITH (FORCE)'))
    server.dispose()
