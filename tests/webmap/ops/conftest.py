"""An app on a database of its own, holding the tiny city with live data and incidents.

The fibre plan's demo database (:mod:`tests.twin.fiber.plan_db`) serves the
tests that price the fiber gaps from a real plan.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, pool

from tests.twin.fiber.plan_db import fiber_demo, fiber_engine  # noqa: F401
from tests.twin.live.messages import payload
from tests.twin.live.owndb import city_database
from tests.webmap.api.apptest import login  # noqa: F401  (the one way tests log in)
from twin.auth import users
from twin.config import Settings
from twin.live.broker import MqttTarget
from twin.live.ingest import Ingester
from twin.live.store import Received
from webmap import create_app

PASSWORD = "a good password"
NOW = datetime.now(UTC).replace(microsecond=0)


def city_messages() -> list[Received]:
    """Two hours of readings every 10 minutes, a lamp out, a breaker open, a bad message."""
    out = []
    for step in range(12):
        t = NOW - timedelta(minutes=10 * (12 - step))
        for i in (1, 2, 3):
            fault = "lamp_out" if i == 2 and step >= 6 else None
            out.append(
                payload(
                    f"LUM-LGT-POLE-{i}",
                    {
                        "on": True,
                        "dimming_pct": 100,
                        "power_w": 0.0 if fault else 98.0,
                        "fault": fault,
                    },
                    kind="luminaire",
                    ts=t,
                )
            )
        for j in range(1, 7):
            out.append(
                payload(
                    f"PRS-WTR-JCT-{j}",
                    {"pressure_bar": 3.1 - 0.02 * j},
                    kind="pressure_sensor",
                    ts=t,
                )
            )
        out.append(
            payload("CAB-LGT-CAB-1", {"on": True, "power_w": 290.0}, kind="lighting_cabinet", ts=t)
        )
        out.append(
            payload(
                "BRK-PWR-SW-1",
                {
                    "position": "open" if step == 11 else "closed",
                    "current_a": 0.0 if step == 11 else 150.0,
                },
                kind="breaker",
                ts=t,
            )
        )
    out.append(("twin/breaker/BRK-PWR-SW-1", b"{broken"))
    return [Received(topic, body) for topic, body in out]


@pytest.fixture(scope="session")
def ops_db_url(db_url):
    def people(session):
        for role in ("viewer", "crew"):
            users.add_user(session, role, role, PASSWORD)

    with city_database(db_url, "twin_ops", setup=people) as url:
        engine = create_engine(url, poolclass=pool.NullPool)
        Ingester(engine, MqttTarget("127.0.0.1", 1)).ingest(city_messages())
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def ops_app(ops_db_url, tmp_path_factory):
    settings = Settings(
        home=tmp_path_factory.mktemp("ops-home"), database_url=ops_db_url, secret_key="test-secret"
    )
    return create_app(settings, {"TESTING": True})


@pytest.fixture
def ops_client(ops_app):
    return ops_app.test_client()
