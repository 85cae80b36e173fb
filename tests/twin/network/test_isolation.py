import json
import math
import random
from pathlib import Path

import networkx as nx
import pytest
import wntr

from twin.errors import NotFound
from twin.network.adapters.wntr_model import graph_from_wntr, placements_from_valve_layer
from twin.network.isolation import isolate, isolation_model, pipe_volume_m3, updated_model

from .factories import make_graph, water_line

DATA = Path(__file__).parents[2] / "data" / "water_epanet"


def test_burst_between_two_valves():
    report = isolate(water_line(), "P3")
    assert report.level == 1
    assert report.valves_to_close == ["V1", "V2"]
    assert report.isolated_edges == ["C1", "C2", "P3", "P4"]
    assert report.isolated_length_m == pytest.approx(100.0)
    assert report.isolated_volume_m3 == pytest.approx(math.pi * 0.1**2 / 4 * 100)
    assert report.cut_off_nodes == ["H", "J3"] and report.cut_off_edges == ["C3", "P5"]
    assert report.isolated_customers.households == 3
    assert report.isolated_customers.by_category == {"public": 1, "residential": 1}
    assert [c["kind"] for c in report.customers.critical] == ["hospital", "school"]
    assert report.customers.customer_nodes == ["H", "S1", "S2"]
    json.dumps(report.to_dict())


def test_unavailable_valve_takes_the_next_ring():
    G = water_line()
    report = isolate(G, "P3", unavailable=["V1"])
    assert report.level == 2
    assert report.valves_to_close == ["V2"]
    assert report.unavailable_valves == ["V1"]
    assert set(report.isolated_edges) >= {"P1", "P2", "P3"}
    G.nodes["V2"]["operable"] = False
    everything = isolate(G, "P3", unavailable=["V1"])
    assert everything.level == 2 and everything.valves_to_close == []
    assert everything.cut_off_nodes == []


def test_failed_valve_is_isolated_from_both_sides():
    report = isolate(water_line(), "V2")
    assert report.valves_to_close == ["V1"]
    assert report.unavailable_valves == ["V2"]
    assert "H" in report.isolated_nodes


def test_closed_valves_are_boundaries_already_and_second_source_keeps_supply():
    G = make_graph(
        "water",
        {
            "R": "reservoir",
            "A": "junction",
            "V1": "valve",
            "B": "junction",
            "V2": "valve",
            "C": "junction",
            "V3": {"kind": "valve", "normal_state": "closed"},
            "T": "tank",
            "V4": "valve",
            "D": "junction",
        },
        [
            ("P1", "R", "A"),
            ("P2", "A", "V1"),
            ("P3", "V1", "B"),
            ("P4", "B", "V2"),
            ("P5", "V2", "C"),
            ("P6", "C", "V3"),
            ("P7", "V3", "T"),
            ("P8", "B", "V4"),
            ("P9", "V4", "D"),
            ("P10", "D", "T"),
        ],
    )
    report = isolate(G, "P3")
    assert report.valves_to_close == ["V1", "V2", "V4"]
    assert report.cut_off_nodes == ["C"]
    report = isolate(G, "P5")
    assert report.valves_to_close == ["V2"] and report.closed_boundary_valves == ["V3"]


def test_unknown_asset():
    with pytest.raises(NotFound):
        isolate(water_line(), "nope")


def test_volume_of_unknown_size_is_zero():
    assert pipe_volume_m3(None, 10) == 0.0
    assert pipe_volume_m3(1000, 1) == pytest.approx(math.pi / 4)


def supplied_nodes(G, sources):
    return set().union(*(nx.node_connected_component(G, s) for s in sources if s in G))


@pytest.mark.parametrize("name", ["Net3", "KL", "Modena"])
def test_isolation_agrees_with_plain_reachability(name):
    wn = wntr.network.WaterNetworkModel(str(DATA / f"{name}.inp"))
    G = graph_from_wntr(wn)
    layer = wntr.network.generate_valve_layer(wn, "strategic", 1, seed=7)
    model = isolation_model(G, placements=placements_from_valve_layer(layer))
    sources = wn.reservoir_name_list + wn.tank_name_list
    plain = nx.Graph(G)
    baseline = supplied_nodes(plain, sources)
    for pipe in random.Random(3).sample(wn.pipe_name_list, 25):
        report = isolate(G, pipe, model=model)
        segment = model.segmentation.edge_segment[pipe]
        assert report.isolated_segments == [segment]
        assert set(report.valves_to_close) == set(model.segmentation.segment_devices[segment])
        rest = plain.copy()
        rest.remove_nodes_from(report.isolated_nodes)
        # Every closed valve touches an isolated node or an isolated edge, so
        # dropping the isolated area is the whole effect of the closure.
        rest.remove_edges_from(
            (u, v) for u, v, k in G.edges(keys=True) if k in set(report.isolated_edges)
        )
        lost = (baseline & set(rest)) - supplied_nodes(rest, sources)
        assert set(report.cut_off_nodes) == lost


def test_a_model_patched_after_attribute_edits_answers_like_a_rebuilt_one():
    G = water_line()
    old = isolation_model(G)
    G.nodes["V2"]["operable"] = False
    G.nodes["V1"]["state"] = "closed"
    G.nodes["J3"]["households"] = 12  # a junction becomes a customer
    G.edges["V1", "J2", "P3"]["diameter_mm"] = 300.0
    patched = updated_model(G, old, nodes=["V1", "V2", "J3"], edges=["P3"])
    rebuilt = isolation_model(G)
    for failed in ("P1", "P3", "P5"):
        assert (
            isolate(G, failed, model=patched).to_dict()
            == isolate(G, failed, model=rebuilt).to_dict()
        )
    assert old.segmentation.devices["V2"].operable is True  # the old model is untouched
    assert old.volume_m3.tolist() != patched.volume_m3.tolist()
