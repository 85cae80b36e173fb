"""Drainage runs of the demo town under design storms: the 5-year storm its mains are
designed for floods next to nothing, a 20-year storm more; runs stored with their inputs,
a blocked conduit that floods more, the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.errors import InvalidInput
from twin.simulation import (
    drainage_nodes_geojson,
    drainage_run_row,
    simulate_drainage,
)

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def five_year(network_demo):
    from sqlalchemy import create_engine, pool

    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    done = simulate_drainage(engine, network_demo.home, storm=5, user="tester")
    yield engine, done
    engine.dispose()


def test_a_five_year_storm_floods_next_to_nothing(five_year):
    """The demo's sewers are designed for 2-year rain (mains for 5-year) at most 80 % full:
    the 5-year storm leaves by the outfalls, at most a few manholes brim over."""
    engine, done = five_year
    s = done["summary"]
    assert s["subcatchments"] > 0 and s["conduits"] > 0
    assert s["flooded_nodes"] <= 0.05 * s["nodes"]
    assert abs(s["continuity_error_pct"]) < 1
    assert s["flood_volume_m3"] < 0.01 * s["rain_runoff_m3"]
    assert s["outflow_m3"] > 0.9 * s["rain_runoff_m3"]
    storm = done["inputs"]["storm"]
    assert storm["return_period_years"] == 5 and storm["duration_min"] == 120
    with Session(engine) as session:
        run = drainage_run_row(session, done["run_id"])
        layer = drainage_nodes_geojson(session, done["run_id"])
    assert run["created_by"] == "tester" and run["blocked"] == []
    assert run["data_version"] is not None
    flooded = [f for f in layer["features"] if f["properties"]["flooded"]]
    assert len(flooded) == s["flooded_nodes"]
    assert all(f["properties"]["flood_hours"] > 0 for f in flooded)


def test_a_rarer_storm_floods_more(five_year, network_demo):
    """Beyond the design storm the branches surcharge: a 50-year storm floods manholes, briefly."""
    engine, five = five_year
    done = simulate_drainage(engine, network_demo.home, storm=50)
    s = done["summary"]
    assert s["flooded_nodes"] > five["summary"]["flooded_nodes"]
    assert s["flood_volume_m3"] > five["summary"]["flood_volume_m3"]
    assert s["flood_volume_m3"] < 0.1 * s["rain_runoff_m3"]
    assert all(w["flood_hours"] < 1 for w in s["worst"])
    with Session(engine) as session:
        layer = drainage_nodes_geojson(session, done["run_id"])
    flooded = [f for f in layer["features"] if f["properties"]["flooded"]]
    assert len(flooded) == s["flooded_nodes"] > 0


def test_a_blocked_conduit_floods_the_nodes_above_it(five_year, network_demo):
    engine, _ = five_year
    with Session(engine) as session:
        conduit, upstream = session.execute(text(
            "SELECT c.code, m.code FROM assets.drainage_conduit c "
            "JOIN assets.drainage_manhole m ON m.id = c.start_node "
            "WHERE c.diameter_mm >= 1000 ORDER BY c.code LIMIT 1")).one()
    done = simulate_drainage(engine, network_demo.home, storm=5, blocked=[conduit])
    more = {m["code"] for m in done["summary"]["flooding_more"]}
    assert more, "closing a main floods something more"
    assert upstream in more


def test_an_unknown_blocked_conduit_is_named(five_year, network_demo):
    engine, _ = five_year
    with pytest.raises(InvalidInput) as caught:
        simulate_drainage(engine, network_demo.home, storm=5, blocked=["DRN-COND-NOPE"])
    assert "DRN-COND-NOPE" in str(caught.value.problems)
