"""Incremental updates of a loaded graph (twin.network.updates)."""

import pytest

from twin.errors import InvalidInput, NotFound
from twin.network.graph import edge_endpoints, edge_lookup
from twin.network.updates import (
    remove_edge_record,
    remove_node_record,
    upsert_edge_record,
    upsert_node_record,
)

from .factories import water_line


def test_incremental_updates_keep_graph_and_index_current():
    G = water_line()
    upsert_node_record(G, {"code": "J4", "kind": "junction", "x": 9.0, "y": 1.0})
    upsert_edge_record(G, {"code": "P6", "start_node": "J3", "end_node": "J4", "length_m": 12.0})
    assert edge_endpoints(G, "P6") == ("J3", "J4")
    upsert_edge_record(G, {"code": "P6", "start_node": "J2", "end_node": "J4", "length_m": 13.0})
    assert not G.has_edge("J3", "J4") and G.edges["J2", "J4", "P6"]["length_m"] == 13.0
    upsert_node_record(G, {"code": "J4", "kind": "hydrant"})
    assert G.nodes["J4"] == {"kind": "hydrant"} and G.has_edge("J2", "J4", "P6")
    assert remove_node_record(G, "J4") == ["P6"]
    assert "P6" not in edge_lookup(G) and "J4" not in G
    assert remove_edge_record(G, "P1") and not remove_edge_record(G, "P1")
    with pytest.raises(NotFound):
        edge_endpoints(G, "P1")
    with pytest.raises(InvalidInput):
        upsert_edge_record(G, {"code": "P9", "start_node": "J1", "end_node": "nowhere"})


def test_views_and_copies_do_not_use_the_index_of_their_graph():
    G = water_line()
    view = G.subgraph(["R", "J1", "V1"])
    assert {k: set(ends) for k, ends in edge_lookup(view).items()} == {
        "P1": {"R", "J1"},
        "P2": {"J1", "V1"},
    }
    H = G.copy()
    remove_edge_record(H, "P1")
    assert "P1" in edge_lookup(G) and "P1" not in edge_lookup(H)
