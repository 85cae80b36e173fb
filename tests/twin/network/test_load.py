"""Loading the utility graphs from PostGIS (twin.network.load)."""

from __future__ import annotations

import uuid

import pytest
from shapely.geometry import LineString, Point
from sqlalchemy import text

from layers import feature_type
from tests.factories import sample_properties
from twin.edits import create_feature
from twin.network.graph import UTILITIES
from twin.network.isolation import isolate
from twin.network.load import VALVE_NEAR_JUNCTION_M, load_network, metric_crs
from twin.network.records import network_tables

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]

# Far from the other tests' features: the placement test reads the whole layer.
LON, LAT = 105.61, 21.53
DEG_PER_M = 1 / 111_320  # along a meridian, near enough for metres at this scale


def _count(conn, tables) -> int:
    return sum(conn.execute(text(f"SELECT count(*) FROM assets.{t}")).scalar() for t in tables)


@pytest.mark.parametrize("utility", UTILITIES)
def test_graph_holds_every_node_and_edge_of_the_tables(network_engine, utility):
    with network_engine.connect() as conn:
        G = load_network(conn, utility)
        tables = network_tables(utility)
        assert G.number_of_nodes() == _count(conn, tables.nodes)
        assert G.number_of_edges() == _count(conn, tables.edges)
        assert G.graph["unlinked_edges"] == []
        assert G.graph["crs"] == metric_crs(conn)


def test_node_kinds_and_attributes_follow_the_conventions(network_engine):
    with network_engine.connect() as conn:
        water, power = load_network(conn, "water"), load_network(conn, "power")
        switches = conn.execute(
            text("SELECT code, device_type, normal_state, operable FROM assets.power_switch")
        ).all()
        valves = conn.execute(text("SELECT code, operable FROM assets.water_valve")).all()
        hospital = conn.execute(
            text(
                "SELECT s.code, f.name FROM assets.water_service_connection s "
                "JOIN base.base_facility f ON f.code = s.extra->>'facility' LIMIT 1"
            )
        ).one()
        supplies = conn.execute(
            text("SELECT code, supplies FROM assets.power_customer WHERE supplies IS NOT NULL")
        ).all()
    expected = {"load_break_switch": "switch", "disconnector": "switch"}
    for code, device_type, state, operable in switches:
        assert power.nodes[code]["kind"] == expected.get(device_type, device_type)
        assert power.nodes[code]["normal_state"] == state
        assert power.nodes[code].get("operable") == operable
    assert {c for c, op in valves if op is False} == {
        n for n, a in water.nodes(data=True) if a["kind"] == "valve" and a.get("operable") is False
    }
    assert water.nodes[hospital.code]["critical"] == "hospital"
    assert water.nodes[hospital.code]["name"] == hospital.name
    assert {power.nodes[c]["supplies"] for c, _ in supplies} == {s for _, s in supplies}


def _create(session, table, geometry, **props):
    values = sample_properties(feature_type(table), **props)
    return create_feature(session, table, values, geometry, user="test").feature["id"]


def test_valve_points_near_a_junction_become_placements(session):
    """T -Q- J1 [V1] -P- J2: a valve point 1.5 m from J1 on P cuts P off at J1."""
    tag = uuid.uuid4().hex[:8].upper()
    east = 60 * DEG_PER_M
    tank = _create(session, "water_tank", Point(LON - east, LAT), code=f"T-{tag}")
    j1 = _create(session, "water_junction", Point(LON, LAT), code=f"J1-{tag}")
    j2 = _create(session, "water_junction", Point(LON + east, LAT), code=f"J2-{tag}")
    _create(session, "water_pipe", LineString([(LON - east, LAT), (LON, LAT)]), code=f"Q-{tag}")
    pipe = _create(
        session, "water_pipe", LineString([(LON, LAT), (LON + east, LAT)]), code=f"P-{tag}"
    )
    near = 1.5 * DEG_PER_M
    assert 1.5 < VALVE_NEAR_JUNCTION_M
    placed = _create(session, "water_valve", Point(LON + near, LAT), code=f"V1-{tag}")
    _create(session, "water_valve", Point(LON + east / 2, LAT), code=f"V2-{tag}")  # mid-pipe
    _create(session, "water_valve", Point(LON + near, LAT + 8 * DEG_PER_M), code=f"V3-{tag}")
    G = load_network(session, "water")
    mine = [p for p in G.graph["placements"] if p["code"].endswith(tag)]
    assert [(p["code"], p["edge"], p["node"]) for p in mine] == [(placed, pipe, j1)]
    report = isolate(G, pipe, placements=mine)
    assert report.valves_to_close == [placed]
    assert report.isolated_nodes == [j2]
    assert report.cut_off_nodes == [] and tank not in report.isolated_nodes
