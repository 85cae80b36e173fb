"""Load flows of the demo town and of ``twin simulate power``: sane, stored, served."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, pool
from sqlalchemy.orm import Session

from tests.twin.simulation.power_layer import add_power
from tests.twin.simulation.test_power_round_trip import LINES, NODES
from twin.simulation import power_snapshot, simulate_power

pytestmark = pytest.mark.db


def test_every_feeder_of_the_demo_town_converges_within_the_grid_code(network_demo):
    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    try:
        done = simulate_power(engine, user="tester")
        with Session(engine) as session:
            stored = power_snapshot(session, done["run_id"])
    finally:
        engine.dispose()
    feeders = done["feeders"]
    assert len(feeders) >= 4 and all(f["converged"] for f in feeders)
    for f in feeders:
        assert f["head"] is not None, f["feeder"]
        assert f["customers_supplied"] == f["customers"] > 0
        assert 0.95 <= f["min_vm_pu"] <= f["max_vm_pu"] <= 1.05, f
        assert f["max_line_loading_percent"] <= 100 and f["max_transformer_loading_percent"] <= 100
        assert 0 < f["losses_kw"] < 0.05 * f["load_kw"], f
        assert f["violations"] == []
    assert sum(f["households"] for f in feeders) > 0
    assert len(stored["buses"]) > len(stored["lines"]) > 0 and stored["transformers"]
    assert {b["feeder"] for b in stored["buses"].values()} == {f["feeder"] for f in feeders}


def test_twin_simulate_power_reports_each_feeder_and_one_by_its_breaker(water_url, twin):
    engine = create_engine(water_url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        add_power(conn, NODES, LINES)
    engine.dispose()
    result = twin("simulate", "power")
    assert result.exit_code == 0, result.output
    assert "1 feeder(s)" in result.output and "(breaker PWR-SW-000001): 2 customers" in result.output
    result = twin("simulate", "power", "--feeder", "pwr-sw-000001", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output[result.output.index("{"):])
    assert [f["head"] for f in found["feeders"]] == ["PWR-SW-000001"]
    assert found["buses"]["PWR-CUST-000001"]["vm_pu"] < found["buses"]["PWR-POLE-000001"]["vm_pu"]
    assert set(found["lines"]) == {code for code, *_ in LINES}
    result = twin("simulate", "power", "--feeder", "nowhere")
    assert result.exit_code != 0 and "no feeder 'nowhere'" in result.output
