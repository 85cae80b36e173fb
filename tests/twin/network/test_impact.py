import json

from twin.network.impact import critical_rank, customer_impact, overlap_with_active
from twin.network.isolation import isolate
from twin.network.segments import valve_segments

from .factories import make_graph, water_line


def test_customer_impact_counts_and_orders():
    G = make_graph(
        "water",
        {
            "S1": {"kind": "service_connection", "households": 4, "category": "residential"},
            "S2": {
                "kind": "service_connection",
                "customers": 3,
                "category": "commercial",
                "critical": "school",
            },
            "B": {"kind": "junction", "households": 12},
            "H": {"kind": "junction", "critical": "hospital", "name": "Provincial hospital"},
            "J": "junction",
        },
        [],
    )
    impact = customer_impact(G, ["S1", "S2", "B", "H", "J", "missing"])
    assert impact.customer_nodes == ["B", "H", "S1", "S2"]
    assert (impact.customers, impact.households) == (4, 16)
    assert impact.by_category == {"commercial": 3, "residential": 1, "unknown": 0}
    assert [c["code"] for c in impact.critical] == ["H", "S2"]
    assert critical_rank("hospital") < critical_rank("school") < critical_rank("spa")


def test_new_outage_against_active_ones():
    report = isolate(water_line(), "P3")
    overlap = overlap_with_active(report.customers.customer_nodes, ["S1", "X9"])
    assert overlap.already_out == ["S1"] and overlap.newly_out == ["H", "S2"]


def test_reports_are_plain_json():
    json.dumps(valve_segments(water_line()).to_dict())
