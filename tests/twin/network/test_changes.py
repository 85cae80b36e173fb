"""The change feed: gaps in history ids, and history rows applied to a graph."""

from __future__ import annotations

from twin.crs import metric_crs_for
from twin.network.changes import GAP_PATIENCE_S, Change, Feed, apply_changes
from twin.network.graph import build_graph
from twin.network.records import Facilities


def test_feed_waits_for_ids_committed_late_then_gives_up():
    feed = Feed(last_id=10)
    feed.note_ids([11, 14], now=0.0)
    assert feed.last_id == 14
    assert sorted(feed.pending) == [12, 13]
    feed.note_ids([13], now=1.0)  # committed after 14 was read
    assert sorted(feed.pending) == [12]
    feed.note_ids([], now=GAP_PATIENCE_S + 1.0)  # 12 was rolled back
    assert feed.pending == {} and feed.last_id == 14


def _feature(code, props, coords=None):
    geometry = {"type": "Point", "coordinates": coords} if coords else None
    return {"type": "Feature", "id": code, "geometry": geometry, "properties": props}


def _graph():
    G = build_graph(
        "water",
        [
            {"code": "R", "kind": "reservoir", "x": 0.0, "y": 0.0, "version": 1},
            {"code": "J", "kind": "junction", "x": 10.0, "y": 0.0, "version": 1},
        ],
        [{"code": "P1", "start_node": "R", "end_node": "J", "version": 1}],
    )
    G.graph.update(
        crs=metric_crs_for(106.2),
        node_ids={1: "R", 2: "J"},
        facilities=Facilities({"F": ("hospital", "Bệnh viện")}),
        unlinked_edges=[],
    )
    return G


def test_history_rows_add_change_and_remove_elements():
    G = _graph()
    valve = {"id": 3, "code": "V", "version": 1, "normal_state": "closed", "operable": False}
    meter = {
        "id": 4,
        "code": "S",
        "version": 1,
        "customer_category": "hospital",
        "households": 0,
        "extra": {"facility": "F"},
    }
    pipe = {"id": 5, "code": "P2", "version": 1, "start_node": 2, "end_node": 3, "length_m": 12.5}
    changes = [
        Change(1, "water_valve", "V", None, "create", _feature("V", valve, [106.2, 21.27])),
        Change(
            2, "water_service_connection", "S", None, "create", _feature("S", meter, [106.2, 21.3])
        ),
        Change(3, "water_pipe", "P2", None, "create", _feature("P2", pipe)),
        Change(4, "water_pipe", "P1", "P1", "delete", None, old_id=9),
        Change(5, "tree_tree", "T", None, "create", _feature("T", {"id": 6, "code": "T"})),
    ]
    assert apply_changes(G, changes) == 4
    assert G.nodes["V"]["kind"] == "valve" and G.nodes["V"]["operable"] is False
    assert G.nodes["V"]["normal_state"] == "closed"
    assert G.nodes["S"]["critical"] == "hospital" and G.nodes["S"]["name"] == "Bệnh viện"
    assert G.nodes["S"]["y"] > G.nodes["V"]["y"] > 2_000_000  # projected to metres
    assert G.edges["J", "V", "P2"]["length_m"] == 12.5
    assert not G.has_edge("R", "J")
    assert G.graph["node_ids"][3] == "V"


def test_an_older_row_does_not_undo_a_newer_state():
    G = _graph()
    newer = _feature("J", {"id": 2, "code": "J", "version": 3, "elevation_m": 9.0}, [106.2, 21.27])
    older = _feature("J", {"id": 2, "code": "J", "version": 2, "elevation_m": 5.0}, [106.2, 21.27])
    apply_changes(G, [Change(7, "water_junction", "J", "J", "update", newer)])
    apply_changes(G, [Change(6, "water_junction", "J", "J", "update", older)])
    assert G.nodes["J"]["elevation_m"] == 9.0
    assert G.has_edge("R", "J")  # upserting a node keeps its edges


def test_a_line_whose_node_is_deleted_waits_unlinked():
    G = _graph()
    apply_changes(G, [Change(1, "water_junction", "J", "J", "delete", None, old_id=2)])
    assert "J" not in G and 2 not in G.graph["node_ids"]
    assert G.graph["unlinked_edges"] == ["P1"]
