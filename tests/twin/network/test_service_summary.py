"""The light outage report of twin.network.service on the small demo city:
summary first, lists a page at a time, the highlight, the analysis kept per graph version."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.twin.network.test_registry import _set
from twin.cli import cli
from twin.errors import InvalidInput
from twin.network.registry import registry_for
from twin.network.service import (
    _MEMO,
    analyse_outage,
    outage_highlight,
    outage_list,
    outage_summary,
)
from twin.network.traces import feeder

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]


@pytest.fixture
def demo_session(network_engine):
    with Session(network_engine) as session:
        yield session


@pytest.fixture
def breaker(network_engine, demo_session) -> str:
    """A breaker whose feeder supplies a pump station: power and water customers cut."""
    feeding = demo_session.execute(
        text(
            "SELECT c.code FROM assets.power_customer c JOIN assets.water_pump_station p "
            "ON c.supplies = p.code ORDER BY p.code LIMIT 1"
        )
    ).scalar()
    breakers = demo_session.execute(
        text("SELECT code FROM assets.power_switch WHERE device_type = 'breaker' ORDER BY code")
    ).scalars()
    with registry_for(network_engine).graphs(["power"]) as graphs:
        return next(b for b in breakers if feeding in feeder(graphs["power"], b).nodes)


def test_the_summary_keeps_utilities_apart_and_is_light(demo_session, breaker):
    full = analyse_outage(demo_session, [breaker])
    summary = outage_summary(demo_session, [breaker.lower()])
    assert summary["assets"] == [breaker]
    totals = {u["utility"]: u for u in summary["utilities"]}
    assert totals["power"]["customers"] == full["customers"]["customers"]
    assert totals["water"]["customers"] == full["cascade_customers"]["water"]["customers"] > 0
    assert summary["utilities"][0]["utility"] == "power"
    assert summary["customers"]["customers"] == full["customers"]["customers"]
    assert "customer_nodes" not in json.dumps(summary)
    assert "map" not in summary and "by_street" not in summary
    assert len(json.dumps(summary)) < len(json.dumps(full)) / 5
    assert summary["work_order"]["steps"] == full["work_order"]["steps"]


def test_critical_facilities_are_listed_once_with_their_utilities(demo_session, breaker):
    full = analyse_outage(demo_session, [breaker])
    summary = outage_summary(demo_session, [breaker])
    codes = [c["code"] for c in summary["critical"]]
    assert len(codes) == len(set(codes)) == len({c["code"] for c in full["critical"]})
    for facility in summary["critical"]:
        expected = sorted(c["utility"] for c in full["critical"] if c["code"] == facility["code"])
        assert sorted(facility["utilities"]) == expected


def test_lists_come_a_page_at_a_time(demo_session, breaker):
    full = analyse_outage(demo_session, [breaker])
    summary = outage_summary(demo_session, [breaker])
    first = outage_list(demo_session, [breaker], "customers", page=1, size=5)
    second = outage_list(demo_session, [breaker], "customers", page=2, size=5)
    assert first["total"] == summary["lists"]["customers"] == len(full["customers_out"])
    assert len(first["items"]) == 5 and first["pages"] == -(-first["total"] // 5)
    assert not {c["code"] for c in first["items"]} & {c["code"] for c in second["items"]}
    streets = outage_list(demo_session, [breaker], "streets", size=500, utility="water")
    assert streets["items"] and {s["utility"] for s in streets["items"]} == {"water"}
    assert (
        sum(s["customers"] for s in streets["items"])
        == (full["cascade_customers"]["water"]["customers"])
    )
    with pytest.raises(InvalidInput):
        outage_list(demo_session, [breaker], "everything")
    with pytest.raises(InvalidInput):
        outage_list(demo_session, [breaker], "customers", page=0)


def test_the_highlight_draws_every_role_of_the_report(demo_session, breaker):
    full = analyse_outage(demo_session, [breaker])
    drawn = outage_highlight(demo_session, [breaker])
    roles = {(f["properties"]["utility"], f["properties"]["role"]) for f in drawn["features"]}
    expected = {
        (f["properties"]["utility"], f["properties"]["role"]) for f in full["map"]["features"]
    }
    assert roles == expected
    assert len(json.dumps(drawn)) < len(json.dumps(full["map"]))


def test_an_edit_makes_the_kept_analysis_stale(network_engine, demo_session):
    pipe = demo_session.execute(
        text("SELECT code FROM assets.water_pipe WHERE diameter_mm = 110 ORDER BY code LIMIT 1")
    ).scalar()
    first = outage_summary(demo_session, [pipe])
    kept = len(_MEMO)
    assert outage_summary(demo_session, [pipe])["analysis"] == first["analysis"]
    assert len(_MEMO) == kept, "the same outage on the same graphs is not analysed again"
    valve = first["work_order"]["steps"][0]["device"]
    _set(network_engine, "water_valve", valve, operable=False)
    try:
        after = outage_summary(demo_session, [pipe])
        assert valve not in [s["device"] for s in after["work_order"]["steps"]]
        assert after["network"]["version"] > first["network"]["version"]
    finally:
        _set(network_engine, "water_valve", valve, operable=True)


def test_the_cli_prints_the_summary_for_a_code_in_any_case(network_demo, breaker):
    env = {"DATABASE_URL": network_demo.url, "TWIN_HOME": str(network_demo.home)}
    result = CliRunner().invoke(
        cli, ["outage", breaker.lower(), "--summary"], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["assets"] == [breaker] and "map" not in summary
    assert [u["utility"] for u in summary["utilities"]][0] == "power"
