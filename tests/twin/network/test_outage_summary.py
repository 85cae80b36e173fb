"""The light outage report's pure parts (twin.network.outage_summary)."""

from __future__ import annotations

import pytest

from twin.errors import InvalidInput
from twin.network.impact import CustomerImpact
from twin.network.outage_summary import (
    PAGE_SIZE_MAX,
    critical_once,
    light_analysis,
    light_cascade,
    page_of,
    street_groups,
    utility_totals,
)

HOSPITAL = {"code": "H1", "kind": "hospital", "name": "Bệnh viện tỉnh"}
SCHOOL = {"code": "S1", "kind": "school", "name": "Trường A"}


def test_long_lists_are_cut_and_counted_nested_customers_dropped():
    analysis = {
        "tripped_device": "SW1",
        "dark_at_trip": [f"N{i}" for i in range(120)],
        "restoration": [
            {"tie_switch": "T1", "customers": {"customers": 3, "customer_nodes": ["C"]}}
        ],
    }
    light, counts = light_analysis(analysis, limit=50)
    assert light["tripped_device"] == "SW1"
    assert light["dark_at_trip"] == analysis["dark_at_trip"][:50]
    assert counts == {"dark_at_trip": 120}
    assert light["restoration"] == [{"tie_switch": "T1", "customers": {"customers": 3}}]
    assert analysis["dark_at_trip"][50:] and "customer_nodes" in str(analysis), "input untouched"


def test_each_utility_keeps_its_own_counts():
    power = CustomerImpact(["P1", "P2"], customers=2, households=5, critical=[HOSPITAL])
    water = CustomerImpact(["W1"], customers=40, households=40)
    totals = utility_totals([("power", power), ("water", water)], already_out=["P2", "W9"])
    assert [(t["utility"], t["customers"], t["households"]) for t in totals] == [
        ("power", 2, 5),
        ("water", 40, 40),
    ]
    assert [t["already_out"] for t in totals] == [1, 0]
    assert [t["critical"] for t in totals] == [1, 0]


def test_a_facility_hit_by_two_utilities_is_listed_once():
    power = CustomerImpact(critical=[SCHOOL, HOSPITAL])
    water = CustomerImpact(critical=[HOSPITAL])
    found = critical_once([("power", power), ("water", water)])
    assert [(c["code"], c["utilities"]) for c in found] == [
        ("H1", ["power", "water"]),
        ("S1", ["power"]),
    ]


def test_cascade_stages_carry_counts_not_node_lists():
    stage = {
        "utility": "water",
        "stopped": ["PS1"],
        "lost_nodes": ["a", "b", "c"],
        "customers": {"customers": 7, "households": 9, "customer_nodes": ["x"] * 7},
    }
    light = light_cascade({"at_trip": [stage], "until_repair": []})
    assert light == {
        "at_trip": [
            {
                "utility": "water",
                "stopped": ["PS1"],
                "lost": 3,
                "customers": {"customers": 7, "households": 9},
            }
        ],
        "until_repair": [],
    }
    assert light_cascade(None) is None


def test_streets_are_grouped_per_utility_never_merged():
    rows = [
        ("power", "P1", {"customers": 1, "households": 2}),
        ("water", "W1", {"customers": 5, "households": 5}),
        ("power", "P2", {"customers": 1, "households": 1}),
    ]
    streets = {"power": {"P1": "Ngô Quyền", "P2": "Ngô Quyền"}, "water": {"W1": "Ngô Quyền"}}
    groups = street_groups(rows, streets, already_out=["P2"])
    assert [(g["utility"], g["street"], g["customers"]) for g in groups] == [
        ("water", "Ngô Quyền", 5),
        ("power", "Ngô Quyền", 2),
    ]
    assert groups[1]["already_out"] == 1 and groups[1]["customer_nodes"] == ["P1", "P2"]


def test_pages_cover_the_list_once():
    items = list(range(23))
    pages = [page_of(items, p, 10) for p in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [10, 10, 3]
    assert sum((p["items"] for p in pages), []) == items
    assert {p["pages"] for p in pages} == {3} and pages[0]["total"] == 23
    assert page_of([], 1, 10) == {"items": [], "page": 1, "size": 10, "total": 0, "pages": 1}


@pytest.mark.parametrize(("page", "size"), [(0, 10), (1, 0), (1, PAGE_SIZE_MAX + 1)])
def test_bad_pages_are_refused(page, size):
    with pytest.raises(InvalidInput):
        page_of([1, 2, 3], page, size)
