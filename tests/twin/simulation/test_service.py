"""Water runs of the demo city: sane pressures over a day, stored with their inputs."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.simulation import peak_hour_s, run_row, simulate_water, water_snapshot

pytestmark = pytest.mark.db


def test_a_day_of_the_demo_town_has_no_negative_pressure(network_demo, demo_water_engine):
    done = simulate_water(demo_water_engine, network_demo.home, duration_h=24, user="tester")
    s = done["summary"]
    assert s["times"] == 25
    assert s["unsupplied_junctions"] == 0
    assert s["negative_pressure_junctions"] == 0, s["negative_examples"]
    assert s["min_pressure_m"] > 0
    with Session(demo_water_engine) as session:
        run = run_row(session, done["run_id"])
        assert run["created_by"] == "tester" and run["scenario"] == "normal"
        assert run["data_version"] is not None
        noon = water_snapshot(session, done["run_id"], 12 * 3600)
    assert noon["junctions"] and noon["pipes"]


def test_an_isolated_pipe_leaves_its_customers_cut_off_and_the_rest_sorted(
    network_demo, demo_water_engine
):
    from tests.twin.network.demo_db import pipe_with_valves
    from twin.network.service import analyse_outage
    from twin.network.workorder import format_report

    pipe = pipe_with_valves(network_demo.url)
    with Session(demo_water_engine) as session:
        report = analyse_outage(session, [pipe])
        total = session.execute(
            text("SELECT count(*) FROM assets.water_service_connection "
                 "WHERE status = 'in_service'")
        ).scalar()
    pressure = report["pressure"]
    assert pressure["at_s"] == peak_hour_s()
    assert pipe in pressure["closed"]
    # Every customer the isolation cuts off topologically has no water in the run either.
    assert set(report["customers"]["customer_nodes"]) <= set(pressure["cut_off"]["codes"])
    groups = [pressure[g]["customers"] for g in ("cut_off", "low", "fine")]
    assert sum(groups) == total and groups[2] > 0
    assert "Water pressure at 07:00" in format_report(report)
    assert pressure["seconds"] < 30
