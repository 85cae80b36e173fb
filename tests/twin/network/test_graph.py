import networkx as nx
import pytest

from twin.errors import InvalidInput
from twin.network.graph import (
    build_graph,
    edge_conducts,
    edge_endpoints,
    edge_lookup,
    node_conducts,
)

from .factories import water_line


def test_build_graph_follows_conventions():
    G = water_line()
    assert isinstance(G, nx.MultiGraph) and not G.is_directed()
    assert G.graph["utility"] == "water"
    assert G.nodes["V1"]["kind"] == "valve"
    attrs = G.edges["J1", "V1", "P2"]
    assert attrs["kind"] == "pipe" and attrs["state"] == "in_service"
    assert (attrs["start_node"], attrs["end_node"]) == ("J1", "V1")
    assert G.nodes["S1"]["customers"] == 1
    assert edge_endpoints(G, "P3") == ("V1", "J2")


def test_drainage_graph_is_directed():
    G = build_graph(
        "drainage",
        [{"code": "M1", "kind": "manhole"}, {"code": "O", "kind": "outfall"}],
        [{"code": "C1", "start_node": "M1", "end_node": "O"}],
    )
    assert G.is_directed() and list(G.successors("M1")) == ["O"]
    assert G.edges["M1", "O", "C1"]["kind"] == "conduit"


def test_build_graph_lists_every_bad_record():
    with pytest.raises(InvalidInput) as err:
        build_graph(
            "power",
            [
                {"code": "A", "kind": "substation"},
                {"code": "A", "kind": "bus"},
                {"code": "B", "kind": "valve"},
                {"kind": "bus"},
            ],
            [{"code": "L1", "start_node": "A", "end_node": "Z"}],
        )
    rules = sorted((p.field, p.rule) for p in err.value.problems)
    assert rules == [
        ("code", "required"),
        ("code", "unique"),
        ("end_node", "references_node"),
        ("kind", "allowed_values"),
    ]


def test_unknown_utility_is_rejected():
    with pytest.raises(InvalidInput):
        build_graph("gas", [], [])


def test_device_states():
    assert not node_conducts({"kind": "valve", "normal_state": "closed"})
    assert node_conducts({"kind": "valve", "normal_state": "closed", "state": "open"})
    assert not node_conducts({"kind": "switch", "normal_state": "open"})
    assert node_conducts({"kind": "breaker", "normal_state": "closed"})
    assert node_conducts({"kind": "junction"})
    assert not edge_conducts({"state": "abandoned"})


def test_edge_lookup_without_index_does_not_touch_graph():
    G = nx.MultiGraph()
    G.add_edge("a", "b", key="e1")
    assert edge_lookup(G) == {"e1": ("a", "b")}
    assert "edges_by_code" not in G.graph


@pytest.mark.parametrize("utility", ["water", "drainage"])
def test_trusted_records_give_the_same_graph(utility):
    nodes = [
        {"code": "A", "kind": "junction" if utility == "water" else "manhole", "x": 0.0},
        {"code": "B", "kind": "junction" if utility == "water" else "outfall", "x": 1.0},
        {"code": "C", "kind": "service_connection", "x": 2.0},
    ]
    edges = [
        {"code": "E1", "start_node": "A", "end_node": "B", "length_m": 5.0},
        {"code": "E2", "start_node": "B", "end_node": "A", "state": "abandoned"},
        {"code": "E3", "start_node": "B", "end_node": "C", "kind": "service_pipe"},
        {"code": "E4", "start_node": "C", "end_node": "C"},
    ]
    checked = build_graph(utility, nodes, edges)
    fast = build_graph(utility, nodes, edges, trusted=True)
    assert type(fast) is type(checked)
    assert dict(fast.nodes(data=True)) == dict(checked.nodes(data=True))
    assert sorted(fast.edges(keys=True, data=True)) == sorted(checked.edges(keys=True, data=True))
    assert fast.graph["edges_by_code"] == checked.graph["edges_by_code"]
    assert edge_lookup(fast) is fast.graph["edges_by_code"]  # its own index, no recount
    assert fast.degree("A") == checked.degree("A") and fast.degree("C") == checked.degree("C")
    fast.remove_edge("A", "B", key="E1")
    assert not fast.has_edge("B", "A", key="E1") and fast.has_edge("B", "A", key="E2")


def test_trusted_records_that_break_a_rule_are_still_reported():
    nodes = [{"code": "A", "kind": "junction"}, {"code": "A", "kind": "junction"}]
    with pytest.raises(InvalidInput) as caught:
        build_graph(
            "water", nodes, [{"code": "P", "start_node": "A", "end_node": "Z"}], trusted=True
        )
    assert {p.rule for p in caught.value.problems} == {"unique", "references_node"}
