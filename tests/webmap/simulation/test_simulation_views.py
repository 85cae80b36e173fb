"""The simulation API over HTTP: stored runs by feature code, hydrants by fire flow."""

from __future__ import annotations

import pytest

from twin.simulation import simulate_water

pytestmark = pytest.mark.db


def test_a_run_is_served_feature_by_feature(viewer, demo_engine, network_demo):
    done = simulate_water(demo_engine, network_demo.home, duration_h=24)
    runs = viewer.get("/api/simulation/water/runs").get_json()
    assert done["run_id"] in [r["id"] for r in runs]
    body = viewer.get(f"/api/simulation/water/runs/{done['run_id']}?at=12").get_json()
    assert body["at_s"] == 12 * 3600 and body["run"]["scenario"] == "normal"
    assert body["nodes"] and body["links"]
    node = next(iter(body["nodes"].values()))
    assert set(node) == {"pressure_m", "head_m", "demand_lps"}
    assert all(n["pressure_m"] > 0 for c, n in body["nodes"].items() if c.startswith("WTR-SVC"))


def test_bad_times_and_unknown_runs_are_refused(viewer):
    assert viewer.get("/api/simulation/water/runs/1?at=soon").status_code == 422
    assert viewer.get("/api/simulation/water/runs/999999").status_code == 404


def test_anonymous_callers_get_nothing(app):
    client = app.test_client()
    assert client.get("/api/simulation/water/runs").status_code == 401
    assert client.get("/api/simulation/water/fire-flow.geojson").status_code == 401


def test_fire_flow_layer_has_every_hydrant(viewer, network_demo):
    from sqlalchemy import create_engine, pool, text

    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        hydrants = conn.execute(text("SELECT count(*) FROM assets.water_hydrant")).scalar()
    engine.dispose()
    layer = viewer.get("/api/simulation/water/fire-flow.geojson").get_json()
    assert len(layer["features"]) == hydrants > 0
    assert layer["required_lps"] == 15 and layer["residual_m"] == 10
    props = [f["properties"] for f in layer["features"]]
    assert all(p["available_lps"] >= 0 for p in props)
    assert all(p["meets"] == (p["available_lps"] >= 15) for p in props)


def test_two_runs_are_compared_largest_difference_first(viewer, demo_engine):
    from tests.twin.simulation.test_compare import _run

    a = _run(demo_engine, {"J1": (30.0, 28.0), "J2": (30.0, 25.0)})
    b = _run(demo_engine, {"J1": (30.0, 29.0), "J2": (30.0, 35.0)})
    body = viewer.get(f"/api/simulation/water/compare?a={a}&b={b}&limit=1").get_json()
    assert body["at_s"] == 7 * 3600 and body["compared"] == 2 and body["largest_m"] == 10.0
    assert body["rows"] == [{"code": "J2", "a_m": 25.0, "b_m": 35.0, "difference_m": 10.0}]
    assert viewer.get(f"/api/simulation/water/compare?a={a}&b=x").status_code == 422
    assert viewer.get(f"/api/simulation/water/compare?a={a}&b={b}&limit=0").status_code == 422
    assert viewer.get(f"/api/simulation/water/compare?a={a}&b=999999").status_code == 404


def test_a_drainage_run_is_served_with_its_flooded_nodes(viewer, demo_engine, network_demo):
    from twin.simulation import simulate_drainage

    # The demo's sewers carry the 5-year storm; a 50-year storm floods some manholes.
    done = simulate_drainage(demo_engine, network_demo.home, storm=50)
    runs = viewer.get("/api/simulation/drainage/runs").get_json()
    assert done["run_id"] in [r["id"] for r in runs]
    body = viewer.get(f"/api/simulation/drainage/runs/{done['run_id']}").get_json()
    assert body["run"]["return_period_years"] == 50 and body["blocked"] == []
    assert body["nodes"] and body["conduits"] and body["outfalls"]
    assert all(c["max_depth_m"] >= 0 for c in body["conduits"].values())
    layer = viewer.get(f"/api/simulation/drainage/runs/{done['run_id']}/nodes.geojson").get_json()
    assert len(layer["features"]) == len(body["nodes"])
    flooded = [f["properties"]["code"] for f in layer["features"] if f["properties"]["flooded"]]
    assert len(flooded) == done["summary"]["flooded_nodes"] > 0
    assert all(body["nodes"][c]["flood_volume_m3"] >= 1 for c in flooded)


def test_unknown_drainage_runs_are_not_found(viewer, app):
    assert viewer.get("/api/simulation/drainage/runs/999999").status_code == 404
    assert viewer.get("/api/simulation/drainage/runs/999999/nodes.geojson").status_code == 404
    assert app.test_client().get("/api/simulation/drainage/runs").status_code == 401


def test_a_power_run_is_served_by_asset_code(viewer, demo_engine):
    from twin.simulation import simulate_power

    done = simulate_power(demo_engine, user="tester")
    runs = viewer.get("/api/simulation/power/runs").get_json()
    listed = next(r for r in runs if r["id"] == done["run_id"])
    assert len(listed["summary"]["feeders"]) == len(done["feeders"])
    body = viewer.get(f"/api/simulation/power/runs/{done['run_id']}").get_json()
    assert body["run"]["created_by"] == "tester"
    assert all(0.95 <= b["vm_pu"] <= 1.05 for b in body["buses"].values())
    line = next(iter(body["lines"].values()))
    assert set(line) == {"feeder", "loading_percent", "p_kw", "losses_kw"}
    assert viewer.get("/api/simulation/power/runs/999999").status_code == 404
    assert viewer.application.test_client().get("/api/simulation/power/runs").status_code == 401
