import json
from pathlib import Path

from shapely.geometry import LineString

from twin.network.adapters.swmm import graph_from_swmm
from twin.network.topology_check import check_topology

from .factories import make_graph

SWMM = Path(__file__).parents[2] / "data" / "sewer_swmm"


def kinds(problems):
    return sorted((p.kind, p.code) for p in problems)


def test_water_components_dangling_and_duplicates():
    G = make_graph(
        "water",
        {
            "R": {"kind": "reservoir", "x": 0.0},
            "A": {"kind": "junction", "x": 100.0},
            "B": {"kind": "junction", "x": 200.0},
            "H": {"kind": "hydrant", "x": 300.0},
            "C": {"kind": "junction", "x": 500.0},
            "D": {"kind": "junction", "x": 600.0},
            "A2": {"kind": "junction", "x": 100.05},
            "Z": {"kind": "junction", "x": 900.0},
        },
        [("P1", "R", "A"), ("P2", "A", "B"), ("P3", "B", "H"), ("P4", "C", "D"), ("P5", "A2", "B")],
    )
    problems = check_topology(G)
    assert kinds(problems) == [
        ("dangling_end", "A2"),
        ("dangling_end", "C"),
        ("dangling_end", "D"),
        ("disconnected_component", "C"),
        ("duplicate_node", "A"),
        ("isolated_node", "Z"),
        ("no_source", "C"),
    ]
    dup = next(p for p in problems if p.kind == "duplicate_node")
    assert dup.related == ["A2"] and (dup.x, dup.y) == (100.0, 0.0)
    feature = dup.to_feature()
    assert feature["geometry"] == {"type": "Point", "coordinates": [100.0, 0.0]}
    json.dumps([p.to_dict() for p in problems])


def test_unsnapped_lines_are_located_at_the_loose_end():
    G = make_graph(
        "water",
        {"R": {"kind": "reservoir", "x": 0.0}, "H": {"kind": "hydrant", "x": 10.0}},
        [("P1", "R", "H")],
    )
    good = {"P1": LineString([(0.1, 0.0), (5.0, 1.0), (10.0, 0.2)])}
    assert check_topology(G, geometries=good, checks=["unsnapped"]) == []
    bad = {"P1": [(0.0, 0.0), (12.0, 0.0)]}
    [problem] = check_topology(G, geometries=bad, checks=["unsnapped"])
    assert (problem.kind, problem.code, problem.x, problem.related) == (
        "unsnapped_line",
        "P1",
        12.0,
        ["H"],
    )
    assert "2.00 m" in problem.message


def test_power_loops_only_through_closed_devices():
    nodes = {
        "S": "substation",
        "A": "bus",
        "B": "bus",
        "C": "bus",
        "T": {"kind": "switch", "normal_state": "open"},
        "X": "customer",
    }
    edges = [
        ("L1", "S", "A"),
        ("L2", "A", "B"),
        ("L3", "B", "C"),
        ("L4", "C", "T"),
        ("L5", "T", "A"),
        ("L6", "B", "X"),
    ]
    G = make_graph("power", nodes, edges)
    assert check_topology(G, checks=["loops"]) == []
    G.nodes["T"]["state"] = "closed"
    [loop] = check_topology(G, checks=["loops"])
    assert loop.kind == "loop_in_radial_network" and loop.related == ["L2", "L3", "L4", "L5"]
    assert check_topology(G, checks=["loops"], radial=False) == []


def sloped_sewer():
    return make_graph(
        "drainage",
        {"M1": "manhole", "M2": "manhole", "M3": "manhole", "O": "outfall"},
        [
            ("C1", "M1", "M2", {"invert_up": 10.0, "invert_down": 10.4}),
            ("C2", "M2", "M3"),
            ("C3", "M3", "O", {"invert_up": 8.0, "invert_down": 7.0}),
        ],
    )


def test_reversed_slopes_from_inverts_or_ground():
    G = sloped_sewer()
    assert kinds(check_topology(G, checks=["slopes"])) == [("reversed_slope", "C1")]
    ground = {"M2": 12.0, "M3": 12.5}
    problems = check_topology(G, checks=["slopes"], elevations=ground)
    assert kinds(problems) == [("reversed_ground_slope", "C2"), ("reversed_slope", "C1")]
    sampled = check_topology(G, checks=["slopes"], elevations=lambda x, y: -x)
    assert kinds(sampled) == [("reversed_slope", "C1")]
    assert kinds(check_topology(G, checks=["slopes"], min_fall_m=1.5)) == [
        ("reversed_slope", "C1"),
        ("reversed_slope", "C3"),
    ]


def test_drainage_cycles():
    G = sloped_sewer()
    assert check_topology(G, checks=["drainage_cycles"]) == []
    # C1 runs uphill as drawn, so gravity turns it round: M3 -> M1 closes no circle.
    G.add_edge("M3", "M1", key="C4", kind="conduit", start_node="M3", end_node="M1")
    assert check_topology(G, checks=["drainage_cycles"]) == []
    G.add_edge("M3", "M2", key="C5", kind="conduit", start_node="M3", end_node="M2")
    [cycle] = check_topology(G, checks=["drainage_cycles"])
    assert cycle.related == ["M2", "M3"]


def test_swmm_models():
    clean = graph_from_swmm(SWMM / "Example1.inp")
    assert check_topology(clean, checks=["components", "drainage_cycles", "slopes"]) == []
    looped = graph_from_swmm(SWMM / "test_inlet_drains.inp")
    [cycle] = check_topology(looped, checks=["drainage_cycles"])
    assert cycle.related == ["J4", "J5"]
