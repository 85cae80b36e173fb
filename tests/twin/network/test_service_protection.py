"""Power faults on the small demo city trip the device that clears them, and the report says why."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.cli import cli
from twin.network.service import analyse_outage

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]

#: A fuse feeding several customers, one of its service lines, and the
#: customers of its circuit as the database records them.
_CIRCUIT = """
SELECT f.code AS fuse, f.name, min(l.code) AS line, array_agg(c.code ORDER BY c.code) AS customers,
       sum(coalesce(c.households, 0)) AS households
FROM assets.power_switch f
JOIN assets.power_line l ON l.start_node = f.id
JOIN assets.power_customer c ON c.id = l.end_node
WHERE f.device_type = 'fuse'
GROUP BY f.code, f.name HAVING count(*) >= 3
ORDER BY count(*) DESC, f.code LIMIT 1
"""


@pytest.fixture
def demo_session(network_engine):
    with Session(network_engine) as session:
        yield session


def test_an_lv_line_fault_blows_its_fuse_and_cuts_only_that_circuits_customers(demo_session):
    circuit = demo_session.execute(text(_CIRCUIT)).one()
    report = analyse_outage(demo_session, [circuit.line])
    trip = report["trip"]
    assert (trip["code"], trip["kind"], trip["reason"]) == (circuit.fuse, "fuse", "clears_fault")
    assert (trip["level"], trip["voltage_kv"]) == ("lv", 0.4)
    assert trip["name"] == circuit.name and circuit.name.startswith("CC lộ ")
    assert report["customers"]["customer_nodes"] == circuit.customers
    assert report["customers"]["households"] == circuit.households
    feeder = demo_session.execute(
        text(
            "SELECT count(*) FROM assets.power_customer c JOIN assets.power_line l "
            "ON l.end_node = c.id WHERE l.feeder = (SELECT feeder FROM assets.power_line "
            "WHERE code = :line)"
        ),
        {"line": circuit.line},
    ).scalar()
    assert len(circuit.customers) < feeder


def test_an_mv_line_fault_trips_the_feeder_breaker_and_says_why(demo_session):
    line = demo_session.execute(
        text(
            "SELECT l.code FROM assets.power_line l JOIN assets.power_switch b "
            "ON b.id = l.start_node WHERE b.device_type = 'breaker' ORDER BY l.code LIMIT 1"
        )
    ).scalar()
    report = analyse_outage(demo_session, [line])
    trip = report["trip"]
    assert (trip["kind"], trip["level"], trip["reason"]) == ("breaker", "mv", "clears_fault")
    assert trip["note"].startswith("breaker ") and "22 kV line" in trip["note"]
    assert report["customers"]["customers"] > 100


def test_the_cli_report_names_the_fuse_and_why(network_demo, demo_session):
    circuit = demo_session.execute(text(_CIRCUIT)).one()
    env = {"DATABASE_URL": network_demo.url, "TWIN_HOME": str(network_demo.home)}
    result = CliRunner().invoke(cli, ["outage", circuit.line], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"Why: fuse {circuit.name} trips: the fault on the 0.4 kV line is behind it" in (
        result.stdout
    )
    as_json = CliRunner().invoke(
        cli, ["outage", circuit.line, "--json"], env=env, catch_exceptions=False
    )
    assert json.loads(as_json.stdout)["trip"]["code"] == circuit.fuse
