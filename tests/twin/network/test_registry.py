"""Keeping the loaded graphs current: edits reach the next analysis as a delta."""

from __future__ import annotations

import pytest
from shapely.geometry import shape
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.bulk import copy_features
from twin.db.engine import session_scope
from twin.edits import create_feature, delete_feature, update_feature
from twin.features import get_feature
from twin.network import registry as registry_module
from twin.network.graph import UTILITIES
from twin.network.outage import power_outcome
from twin.network.registry import registry_for
from twin.network.service import analyse_outage
from twin.network.traces import supplied_reach

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]


def _analyse(engine, codes, **options):
    with Session(engine) as session:
        return analyse_outage(session, codes, **options)


def _row(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).one()


def _set(engine, table, code, **values):
    with session_scope(engine) as session:
        version = get_feature(session, table, code)["properties"]["version"]
        update_feature(
            session, table, code, values, expected_version=version, user="test", reason="test"
        )


def _pipe_with_valves(engine) -> tuple[str, dict]:
    with engine.connect() as conn:
        pipe = conn.execute(
            text("SELECT code FROM assets.water_pipe WHERE diameter_mm = 110 ORDER BY code LIMIT 1")
        ).scalar()
    return pipe, _analyse(engine, [pipe])


def test_an_edit_reaches_the_next_analysis_without_a_reload(network_engine):
    pipe, before = _pipe_with_valves(network_engine)
    registry = registry_for(network_engine)
    loads = registry.stats()["water"]["full_loads"]
    valve = before["analysis"]["valves_to_close"][0]
    _set(network_engine, "water_valve", valve, operable=False)
    try:
        after = _analyse(network_engine, [pipe])
        refresh = after["network"]["refresh"]
        assert refresh["mode"] == "delta" and refresh["rows"] == 1
        assert refresh["full_loads"] == loads
        assert refresh["segments_patched"]  # an attribute edit keeps the valve segments
        assert valve in after["analysis"]["unavailable_valves"]
        assert valve not in after["analysis"]["valves_to_close"]
        assert after["network"]["version"] > before["network"]["version"]
    finally:
        _set(network_engine, "water_valve", valve, operable=True)
    again = _analyse(network_engine, [pipe])
    assert again["network"]["refresh"]["mode"] == "delta"
    assert again["analysis"]["valves_to_close"] == before["analysis"]["valves_to_close"]
    assert registry.stats()["water"]["full_loads"] == loads


def test_a_valve_point_added_on_a_pipe_isolates_it_at_the_junction(network_engine):
    with network_engine.connect() as conn:
        pipe = conn.execute(
            text(
                "SELECT p.code, ST_AsText(ST_LineInterpolatePoint(p.geom, 1.5 / p.length_m)) "
                "FROM assets.water_pipe p JOIN assets.water_junction j ON j.id = p.start_node "
                "WHERE p.diameter_mm = 110 AND p.length_m > 30 ORDER BY p.code LIMIT 1"
            )
        ).one()
    _analyse(network_engine, [pipe[0]])  # the registry is current before the edit
    with session_scope(network_engine) as session:
        props = {"normal_state": "open", "operable": True, "valve_type": "gate"}
        valve = create_feature(session, "water_valve", props, _point(pipe[1]), user="test")
    code = valve.feature["id"]
    try:
        report = _analyse(network_engine, [pipe[0]])
        assert report["network"]["refresh"]["mode"] == "delta"
        assert not report["network"]["refresh"]["segments_patched"]  # a new valve cuts anew
        assert code in report["analysis"]["valves_to_close"]
        G = registry_for(network_engine).cache.graph("water")
        assert any(p["code"] == code and p["edge"] == pipe[0] for p in G.graph["placements"])
    finally:
        with session_scope(network_engine) as session:
            delete_feature(session, "water_valve", code, expected_version=1, user="test")
    report = _analyse(network_engine, [pipe[0]])
    assert code not in report["analysis"]["valves_to_close"]


def _point(wkt: str) -> dict:
    lon, lat = (float(v) for v in wkt[wkt.index("(") + 1 : -1].split())
    return {"type": "Point", "coordinates": [lon, lat]}


def test_a_large_delta_is_a_full_reload(network_engine, monkeypatch):
    pipe, before = _pipe_with_valves(network_engine)
    registry = registry_for(network_engine)
    loads = registry.stats()["water"]["full_loads"]
    monkeypatch.setattr(registry_module, "FULL_RELOAD_MIN_ROWS", 0)
    monkeypatch.setattr(registry_module, "FULL_RELOAD_SHARE", 0.0)
    valve = before["analysis"]["valves_to_close"][0]
    _set(network_engine, "water_valve", valve, valve_type="butterfly")
    after = _analyse(network_engine, [pipe])
    assert after["network"]["refresh"]["mode"] == "full"
    assert registry.stats()["water"]["full_loads"] == loads + 1
    assert after["analysis"]["valves_to_close"] == before["analysis"]["valves_to_close"]


def test_a_bulk_load_reloads_the_graph_it_touches_only(network_engine):
    pipe, at = _row(
        network_engine,
        "SELECT p.code, ST_AsText(ST_LineInterpolatePoint(p.geom, 1.5 / p.length_m)) "
        "FROM assets.water_pipe p JOIN assets.water_junction j ON j.id = p.start_node "
        "WHERE p.diameter_mm = 110 AND p.length_m > 30 ORDER BY p.code DESC LIMIT 1",
    )
    _analyse(network_engine, [pipe])
    registry = registry_for(network_engine)
    loads = registry.stats()["water"]["full_loads"]
    tree = {"geom": shape(_point(at)), "species_scientific": "Khaya senegalensis"}
    with session_scope(network_engine) as session:
        copy_features(session, "trees_tree", [tree], user="bulk-test")
    assert _analyse(network_engine, [pipe])["network"]["refresh"]["mode"] == "current"

    valve = {"geom": shape(_point(at)), "normal_state": "open", "operable": True}
    with session_scope(network_engine) as session:
        copy_features(session, "water_valve", [valve], user="bulk-test")
        code = session.execute(
            text("SELECT code FROM assets.water_valve WHERE created_by = 'bulk-test'")
        ).scalar_one()
    try:
        report = _analyse(network_engine, [pipe])
        assert report["network"]["refresh"]["mode"] == "full"
        assert registry.stats()["water"]["full_loads"] == loads + 1
        assert code in report["analysis"]["valves_to_close"]
    finally:
        with session_scope(network_engine) as session:
            delete_feature(session, "water_valve", code, expected_version=1, user="test")
            session.execute(text("DELETE FROM assets.trees_tree WHERE created_by = 'bulk-test'"))
    assert code not in _analyse(network_engine, [pipe])["analysis"]["valves_to_close"]


def test_the_supply_trees_are_kept_until_an_edit_of_their_network(network_engine):
    switch, line = _row(
        network_engine,
        "SELECT s.code, l.code FROM assets.power_switch s JOIN assets.power_line l "
        "ON l.start_node = s.id WHERE s.device_type IN ('recloser', 'load_break_switch', "
        "'breaker') AND coalesce(s.normal_state, 'closed') = 'closed' "
        "ORDER BY s.device_type DESC, s.code LIMIT 1",
    )
    registry = registry_for(network_engine)
    _analyse(network_engine, [line])
    kept = registry.supply_trees(["power", "water"])
    assert registry.supply_trees(["power", "water", "drainage"]) == kept  # no walk again
    _set(network_engine, "power_switch", switch, normal_state="open")
    try:
        after = _analyse(network_engine, [line])
        with registry.graphs(UTILITIES) as graphs:
            trees = registry.supply_trees(graphs)
            assert trees["power"] is not kept["power"] and trees["water"] is kept["water"]
            assert trees["power"].reach.nodes == supplied_reach(graphs["power"]).nodes
            assert switch not in trees["power"].reach.nodes
            assert after["analysis"] == power_outcome(graphs, line).analysis  # walked afresh
    finally:
        _set(network_engine, "power_switch", switch, normal_state="closed")
    with registry.graphs(["power"]) as graphs:
        assert switch in registry.supply_trees(graphs)["power"].reach.nodes
