import json

import networkx as nx
import pandapower.networks as pn
import pandapower.topology as top
import pytest

from twin.errors import NotFound
from twin.network.adapters.pandapower_net import graph_from_pandapower
from twin.network.power import power_outage
from twin.network.traces import unsupplied

from .factories import two_feeders


def test_fault_between_switches_is_isolated_and_restored_from_the_tie():
    report = power_outage(two_feeders(), "L4")  # B2 - SW2
    assert report.tripped_device == "CB1"
    assert set(report.dark_at_trip) >= {"B1", "B2", "B3", "C1", "C2", "C3"}
    assert report.transformers_at_trip == ["T1", "T2", "T3"]
    assert report.customers_at_trip.households == 65
    assert report.isolating_devices == ["SW1", "SW2"]
    assert report.faulted_section == ["B2", "C2", "T2"]
    [step] = report.restoration
    assert (step.tie_switch, step.fed_from) == ("TIE", "B4")
    assert set(step.nodes) == {"B3", "T3", "C3"}
    assert report.out_until_repair == ["B2", "C2", "T2"]
    assert [c["kind"] for c in report.customers_until_repair.critical] == ["hospital"]
    json.dumps(report.to_dict())


def test_unavailable_switch_widens_the_section():
    report = power_outage(two_feeders(), "L4", unavailable=["SW1"])
    assert report.isolating_devices == ["CB1", "SW2"]
    assert "B1" in report.out_until_repair
    assert [s.tie_switch for s in report.restoration] == ["TIE"]


def test_fault_at_a_transformer_and_dead_assets():
    G = two_feeders()
    report = power_outage(G, "T3")
    assert report.tripped_device == "CB1"
    assert report.isolating_devices == ["SW2"]
    assert "C3" in report.out_until_repair and "C1" not in report.out_until_repair
    G.nodes["CB1"]["state"] = "open"
    assert power_outage(G, "L3").tripped_device is None
    with pytest.raises(NotFound):
        power_outage(G, "nope")


@pytest.fixture(scope="module", params=["mv_oberrhein", "cigre_mv"])
def pp_net(request):
    if request.param == "mv_oberrhein":
        return pn.mv_oberrhein()
    return pn.create_cigre_network_mv(with_der=False)


def test_single_line_outages_match_pandapower(pp_net):
    G = graph_from_pandapower(pp_net)
    base = top.create_nxgraph(pp_net, respect_switches=True)
    for line in pp_net.line.index:
        graph = nx.MultiGraph(base)
        graph.remove_edges_from([e for e in graph.edges(keys=True) if e[2] == ("line", line)])
        ref_buses = top.unsupplied_buses(pp_net, mg=graph)
        dark = unsupplied(G, removed=[f"line:{line}"])
        buses = {int(n.split(":")[1]) for n in dark if G.nodes[n]["kind"] == "bus"}
        assert buses == ref_buses, line
        loads = {int(n.split(":")[1]) for n in dark if G.nodes[n]["kind"] == "customer"}
        assert loads == set(pp_net.load.index[pp_net.load.bus.isin(ref_buses)])


def test_adapter_respects_open_switches_like_pandapower(pp_net):
    G = graph_from_pandapower(pp_net)
    ref = top.unsupplied_buses(pp_net)
    ours = {int(n.split(":")[1]) for n in unsupplied(G) if G.nodes[n]["kind"] == "bus"}
    assert ours == ref
    opened = pp_net.switch.index[~pp_net.switch.closed.astype(bool)]
    assert {G.nodes[f"switch:{i}"]["normal_state"] for i in opened} <= {"open"}
    assert G.graph["crs"] == "EPSG:4326"


def test_outage_on_cigre_is_consistent():
    net = pn.create_cigre_network_mv(with_der=False)
    G = graph_from_pandapower(net)
    ties = {f"switch:{i}" for i in net.switch.index[~net.switch.closed.astype(bool)]}
    for line in net.line.index:
        report = power_outage(G, f"line:{line}")
        if report.tripped_device is None:
            continue
        assert G.nodes[report.tripped_device]["kind"] in {"breaker", "substation"}
        assert set(report.out_until_repair) <= set(report.dark_at_trip)
        assert {s.tie_switch for s in report.restoration} <= ties
