"""Network roles come from the layer declarations (twin.network.roles)."""

from __future__ import annotations

import pytest

from layers import LAYERS, feature_type, layer
from twin.declare import FaultLevel, FeatureType, KindBy, Layer, Network, NodeKind
from twin.errors import InvalidInput
from twin.network import roles
from twin.network.graph import build_graph, node_conducts
from twin.network.records import node_kind
from twin.network.topology_check import check_topology


def test_the_catalogue_is_the_declared_networks():
    declared = {lyr.name: lyr.network for lyr in LAYERS if lyr.network}
    assert set(roles.UTILITIES) == set(declared) == {
        "water", "drainage", "power", "telecom", "lighting"
    }
    for utility, network in declared.items():
        assert roles.NODE_KINDS[utility] == {k.name for k in network.kinds}
        assert roles.SOURCE_KINDS[utility] == {k.name for k in network.kinds if k.source}
        assert roles.TERMINAL_KINDS[utility] == {k.name for k in network.kinds if k.terminal}
    power = layer("power").network
    assert roles.PROTECTIVE_KINDS == {k.name for k in power.kinds if k.clears}
    assert roles.PROTECTIVE_KINDS == {"breaker", "recloser", "sectionaliser", "fuse", "lv_breaker"}
    assert roles.clears("lv_breaker") == ("lv",) and roles.clears("recloser") == ("mv",)


@pytest.mark.parametrize(
    ("table", "props", "kind"),
    [
        ("power_switch", {"device_type": "fuse"}, "fuse"),
        ("power_switch", {"device_type": "lv_breaker"}, "lv_breaker"),
        ("power_switch", {"device_type": "disconnector"}, "switch"),
        ("water_tank", {"tank_kind": "reservoir"}, "reservoir"),
        ("water_tank", {}, "tank"),
        ("drainage_pumping_station", {}, "pump_station"),
        ("lighting_cabinet", {}, "lighting_cabinet"),
    ],
)
def test_a_feature_takes_the_node_kind_its_type_declares(table, props, kind):
    assert node_kind(table, props) == kind
    assert kind in feature_type(table).node_kinds


def test_every_node_kind_a_table_can_take_is_in_its_network():
    for lyr in LAYERS:
        for ft in lyr.feature_types:
            if ft.network == "node":
                assert ft.node_kinds <= roles.NODE_KINDS[lyr.name], ft.table


def test_the_declared_state_rule_decides_what_conducts():
    assert roles.VALVE_KINDS == {"valve"}
    assert {"breaker", "fuse", "lv_breaker", "switch"} <= roles.SWITCHING_KINDS
    assert not node_conducts({"kind": "lv_breaker", "normal_state": "closed", "state": "open"})
    assert node_conducts({"kind": "lv_breaker", "normal_state": "open", "state": "closed"})
    assert not node_conducts({"kind": "valve", "normal_state": "closed"})
    assert node_conducts({"kind": "customer", "normal_state": "open"})


def test_the_graph_builder_accepts_only_the_declared_kinds():
    G = build_graph(
        "power",
        [{"code": "S", "kind": "substation"}, {"code": "F", "kind": "fuse"}],
        [{"code": "L", "start_node": "S", "end_node": "F"}],
    )
    assert G.edges["S", "F", "L"]["kind"] == layer("power").network.edge_kind == "line"
    with pytest.raises(InvalidInput, match="bad records"):
        build_graph("power", [{"code": "V", "kind": "valve"}], [])


def test_the_topology_check_reads_terminals_and_radial_networks_from_the_declaration():
    G = build_graph(
        "power",
        [
            {"code": "S", "kind": "substation", "x": 0.0, "y": 0.0},
            {"code": "F", "kind": "fuse", "x": 10.0, "y": 0.0},
            {"code": "C", "kind": "customer", "x": 20.0, "y": 0.0},
        ],
        [
            {"code": "L1", "start_node": "S", "end_node": "F"},
            {"code": "L2", "start_node": "F", "end_node": "C"},
            {"code": "L3", "start_node": "F", "end_node": "S"},
        ],
    )
    problems = {(p.kind, p.code) for p in check_topology(G)}
    assert "loop_in_radial_network" in {kind for kind, _ in problems}
    assert not {k for k, _ in problems} & {"dangling_end", "no_source"}
    G.remove_edge("F", "C", "L2")
    G.remove_node("C")
    G.add_node("J", kind="junction", x=30.0, y=0.0)
    G.add_edge("F", "J", key="L4")
    assert ("dangling_end", "J") in {(p.kind, p.code) for p in check_topology(G)}


def test_a_layer_refuses_a_node_kind_its_network_does_not_declare():
    gadget = FeatureType("gadget", "Thiết bị", "Gadget", "Point", "GDG", network="node")
    network = Network((NodeKind("widget"),))
    with pytest.raises(ValueError, match="gadget"):
        Layer("toy", "Thử", "Toy", (gadget,), network=network)
    by_kind = FeatureType(
        "gadget", "Thiết bị", "Gadget", "Point", "GDG", network="node",
        node_kind=KindBy("type", {"w": "widget"}, "widget"),
    )
    toy = Layer("toy", "Thử", "Toy", (by_kind,), network=network)
    assert toy.feature_types[0].kind_of({"type": "w"}) == "widget"


def test_a_protective_device_must_open_and_clear_a_declared_level():
    with pytest.raises(ValueError, match="opens"):
        NodeKind("fuse", clears=("lv",))
    with pytest.raises(ValueError, match="level"):
        Network((NodeKind("fuse", stops_when="open", clears=("lv",)),))
    network = Network(
        (NodeKind("fuse", stops_when="open", clears=("lv",)),),
        levels=(FaultLevel("lv", 1.0, "hạ áp", "low voltage"),),
    )
    assert network.level_of(0.4).name == "lv" and network.level_of(22.0) is None
