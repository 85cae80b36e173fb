"""Water runs of the demo city: sane pressures over a day, stored with their inputs."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from twin.simulation import load_water_model, run_row, simulate_water, water_snapshot

pytestmark = pytest.mark.db


def test_a_day_of_the_demo_town_has_no_negative_pressure(water_demo, demo_water_engine):
    done = simulate_water(demo_water_engine, water_demo.home, duration_h=24, user="tester")
    s = done["summary"]
    print(s, done["timings"])
    assert s["times"] == 25
    assert s["negative_pressure_junctions"] == 0, s["negative_examples"]
    assert s["min_pressure_m"] > 0
    with Session(demo_water_engine) as session:
        run = run_row(session, done["run_id"])
        assert run["created_by"] == "tester" and run["scenario"] == "normal"
        assert run["data_version"] is not None
        noon = water_snapshot(session, done["run_id"], 12 * 3600)
    assert noon["junctions"] and noon["pipes"]
