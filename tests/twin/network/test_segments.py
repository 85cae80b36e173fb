from pathlib import Path

import pytest
import wntr

from twin.errors import InvalidInput
from twin.network.adapters.wntr_model import graph_from_wntr, placements_from_valve_layer
from twin.network.criticality import rank_segments
from twin.network.segments import device_segments, valve_segments

from .factories import make_graph, water_line
from .wntr_reference import wntr_partition

DATA = Path(__file__).parents[2] / "data" / "water_epanet"
WNTR_NETWORKS = Path(wntr.__file__).parent / "library" / "networks"
MODELS = [DATA / f"{name}.inp" for name in ("Net1", "Net3", "Anytown", "Hanoi", "Modena", "KL")]
MODELS.append(WNTR_NETWORKS / "Net2.inp")


@pytest.fixture(scope="module", params=MODELS, ids=lambda p: p.stem)
def model(request):
    wn = wntr.network.WaterNetworkModel(str(request.param))
    return wn, graph_from_wntr(wn)


@pytest.mark.parametrize(
    "strategy,n", [("strategic", 0), ("strategic", 1), ("strategic", 2), ("random", None)]
)
def test_segments_match_wntr(model, strategy, n):
    wn, G = model
    n = wn.num_links // 2 if n is None else n
    layer = wntr.network.generate_valve_layer(wn, strategy, n, seed=1234)
    ours = valve_segments(G, placements=placements_from_valve_layer(layer))
    assert ours.partition() == wntr_partition(wn.to_graph(), layer)
    assert set(ours.node_segment) == set(wn.node_name_list)
    assert set(ours.edge_segment) == set(wn.link_name_list)


def test_adapter_converts_units_and_kinds():
    wn = wntr.network.WaterNetworkModel(str(DATA / "Net1.inp"))
    G = graph_from_wntr(wn)
    pipe = wn.get_link("10")
    attrs = G.edges[pipe.start_node_name, pipe.end_node_name, "10"]
    assert attrs["diameter_mm"] == pytest.approx(pipe.diameter * 1000)
    assert attrs["length_m"] == pytest.approx(pipe.length)
    assert G.nodes["9"]["kind"] == "reservoir" and G.nodes["2"]["kind"] == "tank"
    assert G.nodes["10"]["x"] == pytest.approx(20.0)


def test_valve_nodes_bound_segments_and_carry_their_state():
    G = water_line()
    seg = valve_segments(G)
    assert seg.segment_edges == [["P1", "P2"], ["P3", "P4", "C1", "C2"], ["P5", "C3"]]
    assert "V1" not in seg.node_segment
    assert seg.devices["V1"].segments == (0, 1)
    assert seg.segment_devices[1] == ["V1", "V2"]
    data = seg.to_dict()
    assert data["segments"][2] == {
        "id": 2,
        "nodes": ["J3", "H"],
        "edges": ["P5", "C3"],
        "devices": ["V2"],
    }


def test_placements_and_states_mix_with_valve_nodes():
    G = make_graph(
        "water",
        {
            "A": "reservoir",
            "B": "junction",
            "V": {"kind": "valve", "normal_state": "closed", "operable": False},
            "C": "junction",
        },
        [
            ("P1", "A", "B"),
            ("P2", "B", "V"),
            ("P3", "V", "C"),
            ("P4", "A", "C", {"state": "abandoned"}),
        ],
    )
    seg = valve_segments(G, placements=[{"code": "X", "edge": "P1", "node": "B"}])
    assert seg.partition() == {
        frozenset({("node", "A"), ("edge", "P1")}),
        frozenset({("node", "B"), ("edge", "P2")}),
        frozenset({("node", "C"), ("edge", "P3")}),
    }
    assert "P4" not in seg.edge_segment
    valve = seg.devices["V"]
    assert valve.closed and not valve.operable
    assert seg.devices["X"].edge == "P1" and not seg.devices["X"].closed


def test_bad_placement_is_rejected():
    with pytest.raises(InvalidInput) as err:
        valve_segments(water_line(), placements=[{"code": "X", "edge": "P1", "node": "J3"}])
    assert err.value.problems[0].rule == "endpoint_of_edge"


def test_switch_sections_in_power():
    G = make_graph(
        "power",
        {"S": "substation", "B1": "bus", "CB": "breaker", "B2": "bus", "T": "switch", "B3": "bus"},
        [
            ("L1", "S", "B1"),
            ("L2", "B1", "CB"),
            ("L3", "CB", "B2"),
            ("L4", "B2", "T"),
            ("L5", "T", "B3"),
        ],
        T={"normal_state": "open"},
    )
    seg = device_segments(G, device_kinds={"breaker", "switch"})
    assert len(seg) == 3 and seg.devices["T"].closed and not seg.devices["CB"].closed


def test_a_network_of_devices_only_has_no_segment():
    """A water layer holding only valves (no pipes yet) has no segment; the
    criticality ranking over it is empty rather than an IndexError."""
    G = make_graph("water", {"V1": "valve", "V2": "valve"}, [])
    seg = valve_segments(G)
    assert len(seg) == 0 and seg.segment_nodes == [] and seg.segment_devices == []
    assert rank_segments(G) == []
