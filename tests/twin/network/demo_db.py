"""The small demo city in a database of its own, shared by the tests of one process.

The network, outage-page and crew-page tests read a whole connected town and
commit to it: edits (the network registry sees committed work only), their
history, and users.  The suite-wide ``demo_small`` must stay as loaded for
the tests that count its rows, so these tests share a scratch database of
their own, loaded once per process whichever of them runs first and dropped
after the last.  Tests that edit it put it back as it was before they end.
"""

from __future__ import annotations

from contextlib import ExitStack
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, pool, text

from tests.databases import scratch_database
from twin.auth import users
from twin.db.engine import session_scope

__all__ = [
    "PASSWORD",
    "USERS",
    "acquire",
    "first_breaker",
    "network_demo",
    "pipe_with_valves",
    "release",
]

PASSWORD = "a good password"
#: Users of the outage tests: name -> role.
USERS = {"vera": "viewer", "cris": "crew", "edna": "editor"}

_shared: dict = {}


def _create(db_url: str, home) -> SimpleNamespace:
    stack = ExitStack()
    url = stack.enter_context(scratch_database(db_url, "network_demo"))
    from twin.demo.load import load  # only the database tests need the demo generator

    result = load(url, scale="small", seed=1, home=home, echo=lambda _: None, progress=False)
    engine = create_engine(url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        for user, role in USERS.items():
            users.add_user(session, user, role, PASSWORD)
    engine.dispose()
    return SimpleNamespace(url=url, home=home, result=result, close=stack.close)


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
    if not _shared["users"]:
        _shared.pop("demo").close()


@pytest.fixture(scope="session")
def network_demo(db_url, tmp_path_factory):
    """The shared demo database as a fixture, for a conftest to import."""
    yield acquire(db_url, tmp_path_factory)
    release(db_url)


def pipe_with_valves(url: str) -> str:
    """A 110 mm water pipe of the demo: isolating it means closing valves."""
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        code = conn.execute(
            text("SELECT code FROM assets.water_pipe WHERE diameter_mm = 110 ORDER BY code LIMIT 1")
        ).scalar_one()
    engine.dispose()
    return code


def first_breaker(url: str) -> str:
    """The first substation breaker of the demo: its feeder's outage cascades into water."""
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        code = conn.execute(
            text(
                "SELECT code FROM assets.power_switch WHERE device_type = 'breaker' "
                "ORDER BY code LIMIT 1"
            )
        ).scalar_one()
    engine.dispose()
    return code
