import pytest

from twin.errors import NotFound
from twin.network.traces import (
    catchment,
    connected,
    downstream,
    feeder,
    loops,
    pressure_zone,
    shortest_path,
    source_nodes,
    subnetwork,
    unsupplied,
    upstream,
)
from twin.network.walk import attribute_condition

from .factories import make_graph, two_feeders, water_line


def looped_water():
    """R - A - B - C - A loop, C - V(closed) - D, B -PRV edge- E (pressure zone)."""
    return make_graph(
        "water",
        {
            "R": "reservoir",
            "A": "junction",
            "B": "junction",
            "C": "junction",
            "V": {"kind": "valve", "normal_state": "closed"},
            "D": "junction",
            "E": "junction",
        },
        [
            ("P1", "R", "A", {"length_m": 10.0, "material": "PE"}),
            ("P2", "A", "B", {"length_m": 10.0}),
            ("P3", "B", "C", {"length_m": 10.0}),
            ("P4", "C", "A", {"length_m": 50.0, "material": "AC"}),
            ("P5", "C", "V"),
            ("P6", "V", "D"),
            ("PRV1", "B", "E", {"kind": "control_valve"}),
            ("P7", "A", "B", {"length_m": 3.0, "state": "abandoned"}),
        ],
    )


def test_connected_stops_at_closed_valves_and_barriers():
    G = looped_water()
    trace = connected(G, "R")
    assert trace.nodes == ["A", "B", "C", "E", "R"]
    assert "V" in trace.stopped_at and "P7" in trace.stopped_at
    assert connected(G, "R", respect_states=False).nodes == list("ABCDERV")
    cut = connected(G, "P1", barriers=["A"])
    assert cut.nodes == ["R"] and cut.edges == ["P1"] and "A" in cut.stopped_at
    by_material = connected(G, "R", stop_when={"material": "AC"})
    assert "P4" in by_material.stopped_at


def test_subnetwork_is_a_pressure_zone():
    zone = subnetwork(looped_water(), "R", boundary_edge_kinds={"control_valve"})
    assert zone.nodes == ["A", "B", "C", "R"] and "PRV1" in zone.stopped_at


def test_upstream_and_downstream_of_a_supplied_network():
    G = water_line()
    assert downstream(G, "V2").nodes == ["H", "J3", "V2"]
    assert downstream(G, "P4").nodes == ["H", "J3", "V2"]
    assert downstream(G, "P4").edges == ["C3", "P4", "P5"]
    route = upstream(G, "S1")
    assert route.nodes == ["J1", "J2", "R", "S1", "V1"]
    assert route.edges == ["C1", "P1", "P2", "P3"]
    assert source_nodes(G) == ["R"]
    assert unsupplied(G, removed=["P3"]) == {"J2", "S1", "S2", "V2", "J3", "H"}
    assert unsupplied(G, closed=["V2"]) == {"V2", "J3", "H"}
    assert unsupplied(G, stop_when={"kind": "service_pipe"}) == {"S1", "S2", "H"}


def test_shortest_path_by_attribute_and_by_cost_function():
    G = looped_water()
    path = shortest_path(G, "R", "C")
    assert path.edges == ["P1", "P2", "P3"] and path.cost == 30.0
    direct = shortest_path(G, "R", "C", weight=lambda code, a: 1.0)
    assert direct.edges == ["P1", "P4"] and direct.cost == 2.0
    with pytest.raises(NotFound):
        shortest_path(G, "R", "D")
    assert shortest_path(G, "R", "D", respect_states=False).nodes[-2:] == ["V", "D"]


def test_loops_respect_states():
    G = looped_water()
    assert loops(G) == [["P2", "P3", "P4"]]
    assert loops(G, respect_states=False) == [["P2", "P3", "P4"], ["P2", "P7"]]
    assert loops(G, barriers=["P4"]) == []


def test_unknown_start():
    with pytest.raises(NotFound):
        connected(water_line(), "nope")


def test_attribute_condition_forms():
    assert attribute_condition(None)({"kind": "x"}) is False
    assert attribute_condition(lambda a: a.get("d", 0) > 100)({"d": 150})
    assert attribute_condition({"kind": "valve", "operable": False})(
        {"kind": "valve", "operable": False}
    )


def test_named_subnetworks():
    assert pressure_zone(looped_water(), "A").nodes == ["A", "B", "C", "R"]
    area = feeder(two_feeders(), "CB1").nodes
    assert {"CB1", "B1", "B2", "B3", "C3"} <= set(area) and "B4" not in area
    sewer = make_graph(
        "drainage",
        {"M1": "manhole", "M2": "manhole", "O": "outfall", "X": "manhole"},
        [("C1", "M1", "M2"), ("C2", "M2", "O"), ("C3", "X", "M2")],
    )
    assert catchment(sewer, "O").nodes == ["M1", "M2", "O", "X"]
