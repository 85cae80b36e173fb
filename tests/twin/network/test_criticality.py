import random
from pathlib import Path

import pandapower.networks as pn
import pytest
import wntr

from twin.network.adapters.pandapower_net import graph_from_pandapower
from twin.network.adapters.wntr_model import graph_from_wntr, placements_from_valve_layer
from twin.network.criticality import rank_sections, rank_segments
from twin.network.isolation import isolate, isolation_model
from twin.network.segments import device_segments
from twin.network.traces import unsupplied

from .factories import two_feeders, water_line

DATA = Path(__file__).parents[2] / "data" / "water_epanet"


def test_line_ranking_counts_the_cut_off_hospital():
    ranking = rank_segments(water_line())
    by_segment = {e.segments[0]: e for e in ranking}
    middle = by_segment[1]
    assert middle.devices == ["V1", "V2"] and middle.segments_cut_off == 1
    assert middle.households_isolated == 3 and middle.critical_facilities == 2
    assert middle.score == 3 + 1000 + 100
    # Losing the reservoir's segment cuts the same customers and more pipes.
    assert by_segment[0].segments_cut_off == 2 and by_segment[0].score == middle.score
    assert [e.segments for e in ranking] == [[0], [1], [2]]
    assert by_segment[2].score == 1000
    assert rank_segments(water_line(), top=1)[0].to_dict()["devices"] == ["V1"]


@pytest.mark.parametrize("name", ["Net3", "KL"])
def test_ranking_agrees_with_isolating_each_segment(name):
    wn = wntr.network.WaterNetworkModel(str(DATA / f"{name}.inp"))
    G = graph_from_wntr(wn)
    rng = random.Random(11)
    for node in G:
        if G.nodes[node]["kind"] == "junction":
            G.nodes[node]["households"] = rng.randint(0, 30)
            if rng.random() < 0.01:
                G.nodes[node]["critical"] = "hospital"
    layer = wntr.network.generate_valve_layer(wn, "strategic", 1, seed=5)
    placements = placements_from_valve_layer(layer)
    broken = {p["code"] for p in rng.sample(placements, len(placements) // 20)}
    model = isolation_model(G, placements=placements)
    ranking = rank_segments(G, model=model, unavailable=broken)
    assert sorted(s for e in ranking for s in e.segments) == list(range(len(model.segmentation)))
    for entry in rng.sample(ranking, min(60, len(ranking))):
        segment = entry.segments[0]
        probe = (
            model.segmentation.segment_edges[segment] or model.segmentation.segment_nodes[segment]
        )[0]
        report = isolate(G, probe, model=model, unavailable=broken)
        assert report.isolated_segments == entry.segments
        assert report.valves_to_close == entry.devices
        assert report.customers.households == entry.households_isolated + entry.households_cut_off
        assert len(report.cut_off_segments) == entry.segments_cut_off
        assert len(report.customers.critical) == entry.critical_facilities


def section_households(G, seg, section):
    """Households dark when a section is cut out and its switches opened."""
    nodes = set(seg.segment_nodes[section])
    dark = unsupplied(G, removed=nodes | set(seg.segment_edges[section]))
    return sum(G.nodes[n].get("households") or 0 for n in dark)


def test_power_sections_ranked_by_what_stays_dark():
    G = two_feeders()
    ranking = rank_sections(G)
    seg = device_segments(G, device_kinds={"breaker", "switch"})
    for entry in ranking:
        assert entry.households_isolated + entry.households_cut_off == section_households(
            G, seg, entry.segments[0]
        )
    assert ranking[0].critical_facilities == 1


def test_power_sections_on_mv_oberrhein():
    G = graph_from_pandapower(pn.mv_oberrhein())
    for node in G:
        if G.nodes[node]["kind"] == "customer":
            G.nodes[node]["households"] = 1 + hash(node) % 7
    seg = device_segments(G, device_kinds={"breaker", "switch"})
    ranking = rank_sections(G)
    for entry in random.Random(2).sample(ranking, 40):
        assert entry.households_isolated + entry.households_cut_off == section_households(
            G, seg, entry.segments[0]
        )


@pytest.mark.parametrize("rank", [rank_segments, rank_sections])
def test_progress_counts_the_groups_up_to_all_of_them(rank):
    G = water_line() if rank is rank_segments else two_feeders()
    told = []
    ranking = rank(G, on_progress=lambda step, done, total: told.append((step, done, total)))
    assert {step for step, _, _ in told} == {"ranking"}
    done = [d for _, d, _ in told]
    assert done == sorted(done) and done[0] == 0 and told[-1][1] == told[-1][2] > 0
    assert [e.to_dict() for e in ranking] == [e.to_dict() for e in rank(G)]
