from shapely import LineString, Point, box

from twin.zoning.model import Asset
from twin.zoning.run import apply_decisions, check_plans, decide, stale_decisions

from .drawing import kinds, make_plan

GENERAL = {"park": ("DKV", box(0, 0, 100, 100)), "town": ("ODT", box(100, 0, 400, 100))}


def zoning_plans(park_homes_east=40.0):
    """Two zoning plans side by side, the west one putting homes into the general plan's park."""
    west = make_plan(
        "ZW",
        {
            "homes": ("ODT", box(0, 0, park_homes_east, 100)),
            "green": ("DKV", box(park_homes_east, 0, 100, 100)),
            "school": ("DGD", box(100, 0, 200, 100)),
        },
    )
    east = make_plan(
        "ZE", {"shops": ("TMD", box(200, 0, 300, 100)), "homes": ("ODT", box(300, 0, 400, 100))}
    )
    return [west, east]


def test_clean_plans_and_assets_raise_nothing():
    plans = zoning_plans(park_homes_east=0.0)
    plans[0] = make_plan(
        "ZW", {"green": ("DKV", box(0, 0, 100, 100)), "school": ("DGD", box(100, 0, 200, 100))}
    )
    general = make_plan("G", GENERAL, level="general")
    assets = [Asset("T1", "tree", Point(50, 50))]
    assert check_plans(plans, against=[general], assets=assets) == []


def test_every_group_of_checks_runs_and_findings_come_sorted():
    general = make_plan("G", GENERAL, level="general")
    assets = [
        Asset("W1", "water_pipe", LineString([(150, -10), (150, 110)]), diameter_mm=250),
        Asset("S1", "sewer_pipe", LineString([(151, -10), (151, 110)]), diameter_mm=300),
    ]
    messages = []
    findings = check_plans([*zoning_plans(), general], assets=assets, progress=messages.append)
    # The general plan is among the plans, so assets are checked against its housing too.
    assert kinds(findings) == ["asset_in_planned_building"] * 4 + ["clearance", "land_use_conflict"]
    assert [f.kind for f in findings][0] == "land_use_conflict"  # in FINDING_KINDS order
    assert "checking utility clearances" in messages
    assert "checking ZW against G" in messages
    assert "checking neighbours ZW and ZE" in messages


def test_decisions_hold_for_unchanged_conflicts_only():
    general = make_plan("G", GENERAL, level="general")
    (conflict,) = check_plans(zoning_plans(), against=[general])
    decision = decide(
        conflict,
        "accepted",
        "the park moves north in the next revision",
        by="planner-1",
        at="2025-07-01",
    )

    (again,) = check_plans(zoning_plans(), against=[general], decisions=[decision])
    assert (again.status, again.note) == ("accepted", decision.note)
    assert stale_decisions([again], [decision]) == []

    (changed,) = check_plans(
        zoning_plans(park_homes_east=60.0), against=[general], decisions=[decision]
    )
    assert changed.status == "open" and changed.note is None
    assert stale_decisions([changed], [decision]) == [decision]


def test_apply_decisions_leaves_other_findings_open():
    general = make_plan("G", GENERAL, level="general")
    findings = check_plans(zoning_plans(), against=[general])
    resolved = decide(findings[0], "resolved", "fixed in revision 2")
    assert [f.status for f in apply_decisions(findings, [resolved])] == ["resolved"]
    assert [f.status for f in apply_decisions(findings, [])] == ["open"]
