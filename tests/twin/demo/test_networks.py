"""Network conventions of the generated city, checked on its records (no database)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import shapely

from layers import LAYERS


def _nodes(city, layer):
    """{local id: (table, point, {column: value})} of the node features of a layer."""
    out = {}
    for lyr in LAYERS:
        if lyr.name != layer:
            continue
        for ft in lyr.feature_types:
            if ft.network != "node":
                continue
            for b in city.of(ft.table):
                cols = {k: b.column(k) for k in b.columns}
                for k, (i, g) in enumerate(zip(b.ids, b.geoms, strict=True)):
                    out[int(i)] = (ft.table, g, {c: v[k] for c, v in cols.items()})
    return out


def _edges(city, table):
    for b in city.of(table):
        cols = {k: b.column(k) for k in b.columns}
        for k, (i, g) in enumerate(zip(b.ids, b.geoms, strict=True)):
            yield int(i), g, {"_length": g.length, **{c: v[k] for c, v in cols.items()}}


EDGE_TABLES = {
    "water": "water_pipe",
    "power": "power_line",
    "drainage": "drainage_conduit",
    "telecom": "telecom_cable",
    "lighting": "lighting_cable",
}


def test_every_edge_ends_on_nodes_of_its_layer(small_city):
    for layer, table in EDGE_TABLES.items():
        nodes = _nodes(small_city, layer)
        for _, line, a in _edges(small_city, table):
            start, end = nodes[a["start_node"]][1], nodes[a["end_node"]][1]
            coords = shapely.get_coordinates(line)
            assert np.allclose(coords[0], shapely.get_coordinates(start)[0], atol=1e-6)
            assert np.allclose(coords[-1], shapely.get_coordinates(end)[0], atol=1e-6)


def _graph(city, layer):
    G = nx.MultiGraph()
    nodes = _nodes(city, layer)
    for i, (table, _, attrs) in nodes.items():
        G.add_node(i, table=table, **attrs)
    for code, _, a in _edges(city, EDGE_TABLES[layer]):
        G.add_edge(a["start_node"], a["end_node"], key=code, **a)
    return G


def test_every_network_node_is_on_an_edge_and_fed(small_city):
    sources = {
        "water": "water_treatment_plant",
        "power": "power_substation",
        "drainage": "drainage_outfall",
        "telecom": "telecom_pop",
        "lighting": "lighting_cabinet",
    }
    for layer in EDGE_TABLES:
        G = _graph(small_city, layer)
        assert min(dict(G.degree).values()) >= 1, layer
        for part in nx.connected_components(G):
            assert any(G.nodes[n]["table"] == sources[layer] for n in part), layer


def test_valves_split_pipes_next_to_junctions(small_city):
    G = _graph(small_city, "water")
    valves = [n for n, t in G.nodes(data="table") if t == "water_valve"]
    assert valves
    states = [G.nodes[v]["normal_state"] for v in valves]
    assert "closed" in states and states.count("open") > states.count("closed")
    for v in valves:
        assert G.degree(v) == 2
        lengths = sorted(d["geom_length"] for *_, d in _incident(G, v))
        assert lengths[0] <= 8.5
    operable = [G.nodes[v]["operable"] for v in valves]
    assert 0 < operable.count(False) < 0.2 * len(operable)


def _incident(G, node):
    for u, v, d in G.edges(node, data=True):
        yield u, v, {**d, "geom_length": d["_length"]}


def test_feeders_are_radial_with_open_switches_open(small_city):
    G = _graph(small_city, "power")
    open_switches = [
        n
        for n, d in G.nodes(data=True)
        if d["table"] == "power_switch" and d["normal_state"] == "open"
    ]
    assert open_switches
    H = G.copy()
    H.remove_nodes_from(open_switches)
    for part in nx.connected_components(H):
        sub = H.subgraph(part)
        assert sub.number_of_edges() == sub.number_of_nodes() - 1
        assert sum(1 for n in part if H.nodes[n]["table"] == "power_substation") == 1
    breakers = [d for _, d in G.nodes(data=True) if d.get("device_type") == "breaker"]
    assert breakers and all(d["feeder"] for d in breakers)
    assert all(d["feeder"] for *_, d in G.edges(data=True))


def test_drainage_inverts_fall_downstream(small_city):
    nodes = _nodes(small_city, "drainage")
    for _, _, a in _edges(small_city, "drainage_conduit"):
        assert a["invert_up_m"] > a["invert_down_m"]
        start = nodes[a["start_node"]][2]
        if "rim_elevation_m" in start:
            assert start["invert_elevation_m"] < start["rim_elevation_m"]
    outfalls = [n for n, (t, *_) in nodes.items() if t == "drainage_outfall"]
    D = nx.DiGraph()
    for _, _, a in _edges(small_city, "drainage_conduit"):
        D.add_edge(a["start_node"], a["end_node"])
    assert all(D.out_degree(o) == 0 for o in outfalls)
    assert all(any(nx.has_path(D, n, o) for o in outfalls) for n in D if D.out_degree(n))


def _column(city, table, name):
    return [v for b in city.of(table) for v in b.column(name)]


def _codes(city, table):
    from twin.demo.records import codes_of

    return [c for b in city.of(table) for c in codes_of(table, b.ids)]


def test_cross_network_dependencies_name_existing_features(small_city):
    supplies = dict(
        zip(
            _column(small_city, "power_customer", "supplies"),
            _column(small_city, "power_customer", "customer_category"),
            strict=True,
        )
    )
    for table in (
        "water_pump_station",
        "water_treatment_plant",
        "drainage_pumping_station",
        "telecom_cabinet",
        "lighting_cabinet",
    ):
        for code in _codes(small_city, table):
            assert supplies.get(code) == "utility", code
    customers = set(_codes(small_city, "power_customer"))
    for table in ("telecom_cabinet", "lighting_cabinet"):
        assert set(_column(small_city, table, "power_customer")) <= customers
    lights = set(_column(small_city, "lighting_light", "cabinet"))
    assert lights <= set(_codes(small_city, "lighting_cabinet"))
    villages = set(_codes(small_city, "base_village"))
    assert set(_column(small_city, "telecom_access_node", "village")) <= villages


def test_hospitals_are_water_customers(small_city):
    hospitals = {
        c
        for c, k in zip(
            _codes(small_city, "base_facility"),
            _column(small_city, "base_facility", "kind"),
            strict=True,
        )
        if k == "hospital"
    }
    served = [
        e.get("facility")
        for e, cat in zip(
            _column(small_city, "water_service_connection", "extra"),
            _column(small_city, "water_service_connection", "customer_category"),
            strict=True,
        )
        if cat == "hospital"
    ]
    assert hospitals and set(served) == hospitals
