from collections import defaultdict, deque
from pathlib import Path

import pytest

from twin.errors import InvalidInput, NotFound
from twin.network.adapters.swmm import graph_from_swmm, read_sections
from twin.network.drainage import blockage, flow_direction, flow_graph, spill_path
from twin.network.traces import downstream, upstream

from .factories import make_graph

DATA = Path(__file__).parents[2] / "data" / "sewer_swmm"
MODELS = ["Example1", "model_state_plane", "test_inlet_drains"]
LINK_SECTIONS = ("[CONDUITS]", "[PUMPS]", "[ORIFICES]", "[WEIRS]", "[OUTLETS]")


def raw_links(path):
    """(name, from, to) straight from the link tables of the file; a street
    inlet links the end of its street conduit to its sewer node."""
    links, inlets, section = [], [], None
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.upper()
        elif not stripped or stripped.startswith(";"):
            continue
        elif section in LINK_SECTIONS:
            links.append(tuple(stripped.split()[:3]))
        elif section == "[INLET_USAGE]":
            inlets.append(stripped.split()[:3])
    street_end = {name: b for name, _, b in links}
    return links + [(f"{c}:{i}", street_end[c], n) for c, i, n in inlets]


def raw_reach(links, start, forward=True):
    step = defaultdict(list)
    for name, a, b in links:
        step[a if forward else b].append((name, b if forward else a))
    seen, edges, queue = {start}, set(), deque([start])
    while queue:
        for name, other in step[queue.popleft()]:
            edges.add(name)
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return seen, edges


@pytest.mark.parametrize("name", MODELS)
def test_traces_match_a_plain_walk_over_the_link_table(name):
    path = DATA / f"{name}.inp"
    links = raw_links(path)
    G = graph_from_swmm(path)
    assert G.number_of_edges() == len(links)
    F = flow_graph(G, direction="declared")
    for node in sorted(G):
        for forward, trace in ((True, downstream), (False, upstream)):
            nodes, edges = raw_reach(links, node, forward)
            ours = trace(F, node)
            assert set(ours.nodes) == nodes and set(ours.edges) == edges, (node, forward)


@pytest.mark.parametrize("name", ["Example1", "model_state_plane"])
def test_gravity_agrees_with_declared_direction_on_these_models(name):
    G = graph_from_swmm(DATA / f"{name}.inp")
    ends = flow_graph(G).graph["flow_ends"]
    assert ends == {k: (a, b) for k, a, b in raw_links(DATA / f"{name}.inp")}


def test_reader_units_and_attributes():
    G = graph_from_swmm(DATA / "Example1.inp")
    # Example1 is in CFS: feet and acres become metres and square metres.
    raw = read_sections((DATA / "Example1.inp").read_text())
    junction = next(r for r in raw["JUNCTIONS"] if r[0] == "9")
    assert G.nodes["9"]["invert_m"] == pytest.approx(float(junction[1]) * 0.3048)
    conduit = next(r for r in raw["CONDUITS"] if r[0] == "1")
    attrs = G.edges[conduit[1], conduit[2], "1"]
    assert attrs["length_m"] == pytest.approx(float(conduit[3]) * 0.3048)
    assert attrs["invert_up"] == pytest.approx(G.nodes[conduit[1]]["invert_m"])
    assert G.nodes["18"]["kind"] == "outfall"
    total = sum(float(r[3]) for r in raw["SUBCATCHMENTS"]) * 4046.8564224
    assert sum(a.get("catchment_area_m2", 0) for _, a in G.nodes(data=True)) == pytest.approx(total)
    with pytest.raises(InvalidInput):
        graph_from_swmm("[TITLE]\nnothing\n")


def small_sewer():
    """M1 -C1-> M2 -C2-> M3 -C3-> O, M4 -C4-> M2 drawn uphill (declared M2 -> M4)."""
    return make_graph(
        "drainage",
        {
            "M1": {"kind": "manhole", "rim_elevation_m": 14.0, "catchment_area_m2": 500.0},
            "M2": {"kind": "manhole", "rim_elevation_m": 12.5},
            "M3": {"kind": "manhole", "rim_elevation_m": 11.0},
            "M4": {"kind": "manhole", "rim_elevation_m": 12.0, "catchment_area_m2": 300.0},
            "O": "outfall",
        },
        [
            ("C1", "M1", "M2", {"invert_up": 10.0, "invert_down": 9.0, "length_m": 50.0}),
            ("C2", "M2", "M3", {"invert_up": 9.0, "invert_down": 8.0, "length_m": 40.0}),
            ("C3", "M3", "O", {"invert_up": 8.0, "invert_down": 7.0, "length_m": 30.0}),
            ("C4", "M2", "M4", {"invert_up": 9.0, "invert_down": 9.5, "length_m": 20.0}),
        ],
    )


def test_gravity_direction_from_inverts():
    G = small_sewer()
    assert flow_direction(G, "M2", "M4", G.edges["M2", "M4", "C4"]) == ("M4", "M2")
    assert flow_direction(G, "M2", "M4", {"kind": "pump", "invert_up": 1, "invert_down": 5}) == (
        "M2",
        "M4",
    )
    assert set(upstream(G, "M3").nodes) == {"M1", "M2", "M3", "M4"}
    assert downstream(G, "C4").nodes == ["M2", "M3", "O"]


def test_blockage_lists_what_floods_first():
    report = blockage(small_sewer(), "C2")
    assert report.upstream_nodes == ["M1", "M2", "M4"]
    assert report.upstream_edges == ["C1", "C4"]
    assert report.contributing_area_m2 == 800.0
    assert [f["code"] for f in report.flood_first] == ["M4", "M2", "M1"]
    assert report.to_dict()["flood_first"][0]["rim_elevation_m"] == 12.0
    with pytest.raises(NotFound):
        blockage(small_sewer(), "nope")


def test_spill_goes_to_the_outfall():
    report = spill_path(small_sewer(), "M4")
    assert report.outfalls == ["O"]
    assert report.routes["O"] == ["C4", "C2", "C3"]
    assert report.route_length_m["O"] == 90.0
    assert spill_path(small_sewer(), "C1").routes["O"] == ["C1", "C2", "C3"]
