"""Outage analysis of stored assets (twin.network.service) on the small demo city."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.cli import cli
from twin.crs import metric_crs_for, transformer
from twin.errors import InvalidInput, NotFound
from twin.network.power import power_outage
from twin.network.registry import registry_for
from twin.network.service import analyse_outage
from twin.network.traces import feeder, supplied_reach

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]


def _scalar(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


@pytest.fixture
def demo_session(network_engine):
    with Session(network_engine) as session:
        yield session


def _assert_walked_nearest_first(pipe_ends: list[float], steps: list[dict]):
    """The supply-side valves first, then the others; in each group every device is
    the nearest not yet visited, the first one nearest the failed pipe (or the last
    device of the group before).

    Measured in the metric VN-2000 zone, from the pipe's middle (the mean of its
    two ends) and with 1 m for the rounding of the coordinates in the report.
    """
    supply = [s["reason"] == "supply_side" for s in steps]
    assert supply == sorted(supply, reverse=True), "supply-side valves are closed first"
    to_metres = transformer("wgs84", metric_crs_for(pipe_ends[0])).transform
    here = [sum(v) / 2 for v in zip(*(to_metres(*pipe_ends[:2]), to_metres(*pipe_ends[2:])))]
    for side in (True, False):
        left = [to_metres(*s["lonlat"]) for s, on in zip(steps, supply) if on is side]
        while left:
            walked, *left = left
            assert math.dist(here, walked) <= min(math.dist(here, p) for p in [walked, *left]) + 1.0
            here = walked


def _run(network_demo, *args):
    env = {"DATABASE_URL": network_demo.url, "TWIN_HOME": str(network_demo.home)}
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_outage_cli_json_lists_operable_valves_and_counts_customers(
    network_demo, network_engine, tmp_path
):
    pipe = _scalar(
        network_engine,
        "SELECT code FROM assets.water_pipe WHERE diameter_mm = 110 ORDER BY code LIMIT 1",
    )
    out = tmp_path / "workorder.csv"
    report = json.loads(
        _run(network_demo, "network", "outage", pipe, "--json", "--workorder-csv", str(out))
    )
    valves = report["analysis"]["valves_to_close"]
    assert valves
    operable = _scalar(
        network_engine,
        "SELECT count(*) FROM assets.water_valve WHERE code = ANY(:v) AND operable IS NOT FALSE",
        v=valves,
    )
    assert operable == len(valves)
    cut = report["analysis"]["isolated_nodes"] + report["analysis"]["cut_off_nodes"]
    meters = _scalar(
        network_engine,
        "SELECT count(*) FROM assets.water_service_connection WHERE code = ANY(:c)",
        c=cut,
    )
    assert report["customers"]["customers"] == meters
    assert sum(s["customers"] for s in report["by_street"]) == meters
    steps = report["work_order"]["steps"]
    assert sorted(s["device"] for s in steps) == sorted(valves)
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))
    ends = _scalar(
        network_engine,
        "SELECT json_build_array(ST_X(ST_StartPoint(geom)), ST_Y(ST_StartPoint(geom)),"
        " ST_X(ST_EndPoint(geom)), ST_Y(ST_EndPoint(geom))) FROM assets.water_pipe WHERE code = :c",
        c=pipe,
    )
    _assert_walked_nearest_first(ends, steps)
    assert all(s["action"] == "close" and s["lonlat"] for s in report["work_order"]["steps"])
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert sorted(r["code"] for r in rows if r["section"] == "step") == sorted(valves)
    roles = {f["properties"]["role"] for f in report["map"]["features"]}
    assert {"failed", "isolated", "valve_to_close", "customer"} <= roles
    text_report = _run(network_demo, "network", "outage", pipe)
    assert all(v in text_report for v in valves)


def test_power_feeder_fault_is_restored_through_an_open_tie(network_engine, demo_session):
    with registry_for(network_engine).graphs(["power"]) as graphs:
        P = graphs["power"]
        lines = sorted(k for *_, k in P.edges(keys=True))
        fault = next(k for k in lines if power_outage(P, k).restoration)
    report = analyse_outage(demo_session, [fault])
    analysis = report["analysis"]
    tie = analysis["restoration"][0]["tie_switch"]
    state = _scalar(
        network_engine, "SELECT normal_state FROM assets.power_switch WHERE code = :c", c=tie
    )
    assert state == "open"
    restored = set(analysis["restoration"][0]["nodes"])
    assert restored <= set(analysis["dark_at_trip"])
    assert not restored & set(analysis["out_until_repair"])
    steps = [(s["action"], s["device"]) for s in report["work_order"]["steps"]]
    opened = [d for a, d in steps if a == "open"]
    tripped = analysis["tripped_device"]
    assert opened == [d for d in analysis["isolating_devices"] if d != tripped]
    assert steps[0] == ("check_open", tripped)
    assert steps[-1] == ("close", tie)  # ties close once the fault is isolated


def test_cascade_from_a_substation_breaker_reaches_pump_station_customers(
    network_engine, demo_session
):
    pump = _scalar(
        network_engine, "SELECT code FROM assets.water_pump_station ORDER BY code LIMIT 1"
    )
    feeding = _scalar(
        network_engine, "SELECT code FROM assets.power_customer WHERE supplies = :p", p=pump
    )
    breakers = [
        r[0]
        for r in demo_session.execute(
            text("SELECT code FROM assets.power_switch WHERE device_type = 'breaker' ORDER BY code")
        )
    ]
    with registry_for(network_engine).graphs(["power", "water"]) as graphs:
        breaker = next(b for b in breakers if feeding in feeder(graphs["power"], b).nodes)
        water = graphs["water"]
        report = analyse_outage(demo_session, [breaker])
        stage = next(s for s in report["cascade"]["at_trip"] if s["utility"] == "water")
        assert pump in stage["stopped"]
        lost = supplied_reach(water).nodes - supplied_reach(water, removed=stage["stopped"]).nodes
        meters = sorted(n for n in lost if water.nodes[n]["kind"] == "service_connection")
    assert meters and stage["customers"]["customer_nodes"] == meters
    assert report["cascade_customers"]["water"]["customers"] == len(meters)
    assert set(meters) <= set(report["customers_out"])
    water_roles = {
        f["properties"]["role"]
        for f in report["map"]["features"]
        if f["properties"]["utility"] == "water"
    }
    assert {"cascade_stopped", "cascade_lost", "customer"} <= water_roles


def test_customers_already_out_in_an_open_incident_are_flagged(network_engine, demo_session):
    pipe = _scalar(
        network_engine,
        "SELECT code FROM assets.water_pipe WHERE diameter_mm = 110 ORDER BY code LIMIT 1",
    )
    first = analyse_outage(demo_session, [pipe], active_incidents={})
    out = first["customers"]["customer_nodes"][:3]
    report = analyse_outage(demo_session, [pipe], active_incidents={"INC-1": out, "INC-2": ["X"]})
    assert report["overlap"]["already_out"] == sorted(out)
    assert report["overlap"]["incidents"] == {"INC-1": sorted(out)}
    assert sum(s["already_out"] for s in report["by_street"]) == len(out)


def test_lighting_cabinet_failure_darkens_its_lights(network_engine, demo_session):
    cabinet = _scalar(
        network_engine, "SELECT code FROM assets.lighting_cabinet ORDER BY code LIMIT 1"
    )
    fed = _scalar(
        network_engine, "SELECT count(*) FROM assets.lighting_light WHERE cabinet = :c", c=cabinet
    )
    report = analyse_outage(demo_session, cabinet)
    assert len(report["analysis"]["dark_lights"]) == fed
    assert report["analysis"]["cabinets"] == [cabinet]


def test_drainage_blockage_backs_up_upstream_and_spills_downstream(network_engine, demo_session):
    conduit = _scalar(
        network_engine,
        "SELECT c.code FROM assets.drainage_conduit c WHERE EXISTS (SELECT 1 FROM "
        "assets.drainage_conduit u WHERE u.end_node = c.start_node) ORDER BY c.code LIMIT 1",
    )
    report = analyse_outage(demo_session, [conduit])
    entry = report["analysis"]["assets"][0]
    assert entry["blockage"]["upstream_nodes"]
    assert entry["spill"]["outfalls"]
    roles = {f["properties"]["role"] for f in report["map"]["features"]}
    assert {"failed", "upstream", "outfall"} <= roles


def test_assets_that_cannot_be_analysed_together_are_refused(network_engine, demo_session):
    road = _scalar(network_engine, "SELECT code FROM base.base_road LIMIT 1")
    pipe = _scalar(network_engine, "SELECT code FROM assets.water_pipe LIMIT 1")
    line = _scalar(network_engine, "SELECT code FROM assets.power_line LIMIT 1")
    with pytest.raises(InvalidInput) as refused:
        analyse_outage(demo_session, [road])
    assert refused.value.problems[0].rule == "network_asset"
    with pytest.raises(InvalidInput) as mixed:
        analyse_outage(demo_session, [pipe, line])
    assert mixed.value.problems[0].rule == "one_utility"
    with pytest.raises(NotFound, match="NO-SUCH-CODE"):
        analyse_outage(demo_session, ["NO-SUCH-CODE"])
