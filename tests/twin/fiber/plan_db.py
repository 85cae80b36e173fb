"""The small demo city in a database of its own, for the plan tests that commit.

The CLI, the write-back and the plan page commit planned assets, so these
tests share one scratch database per test process (created and loaded by
whichever runs first, dropped after the last) instead of the rolled-back
``session``.
"""

from __future__ import annotations

from contextlib import ExitStack
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, pool

from tests.databases import scratch_database
from twin.auth import users
from twin.db.engine import session_scope
from twin.demo.load import load

__all__ = ["GROUP", "PASSWORD", "ROLES", "fiber_demo", "fiber_engine"]

GROUP = pytest.mark.xdist_group("fiber_demo")
PASSWORD = "a good password"
#: Users named after their role.
ROLES = ("viewer", "editor", "planner", "admin")

_shared: dict = {"users": 0}


def _create(db_url: str, home, stack: ExitStack) -> SimpleNamespace:
    url = stack.enter_context(scratch_database(db_url, "fiber_demo"))
    load(url, scale="small", seed=1, home=home, echo=lambda _: None, progress=False)
    engine = create_engine(url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        for role in ROLES:
            users.add_user(session, role, role, PASSWORD)
    engine.dispose()
    return SimpleNamespace(url=url, home=home)


@pytest.fixture(scope="session")
def fiber_demo(db_url, tmp_path_factory):
    """The small demo city (seed 1) in a database of its own: ``url``, ``home``."""
    if "demo" not in _shared:
        _shared["stack"] = ExitStack()
        _shared["demo"] = _create(db_url, tmp_path_factory.mktemp("fiber-demo"), _shared["stack"])
    _shared["users"] += 1
    yield _shared["demo"]
    _shared["users"] -= 1
    if not _shared["users"]:
        _shared.pop("demo")
        _shared.pop("stack").close()


@pytest.fixture(scope="module")
def fiber_engine(fiber_demo):
    engine = create_engine(fiber_demo.url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()
