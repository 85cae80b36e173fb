import pytest
from shapely import LineString

from layers import feature_type
from tests.factories import sample_properties
from twin.edits import create_feature
from twin.errors import InvalidInput
from twin.zoning import run_store
from twin.zoning.model import Plan, Zone
from twin.zoning.service import default_against, run_check
from twin.zoning.store import find_plan, save_plan

from .places import CRS, X0, Y0, at, lonlat

pytestmark = pytest.mark.db


def general(session):
    zones = [Zone("park", "DKV", at(0, 0, 100, 100)), Zone("town", "ODT", at(100, 0, 400, 100))]
    return save_plan(session, Plan("G", "general", "general", zones, status="approved"), crs=CRS)


def zoning(session, homes_east=40.0):
    zones = [
        Zone("homes", "ODT", at(0, 0, homes_east, 100)),
        Zone("green", "DKV", at(homes_east, 0, 100, 100)),
        Zone("school", "DGD", at(100, 0, 200, 100)),
    ]
    return save_plan(session, Plan("Z", "zoning", "zoning", zones), crs=CRS)


def test_higher_plans_in_force_around_are_the_default_counterpart(session):
    general(session)
    zoning(session)
    far = Plan("FAR", "general", "elsewhere", [Zone("x", "ODT", at(5000, 5000, 5100, 5100))])
    save_plan(session, far, crs=CRS)
    against = default_against(session, [find_plan(session, "Z")])
    assert [p.name for p in against] == ["G"]
    assert default_against(session, [find_plan(session, "G")]) == []


def test_a_run_stores_located_findings_with_plan_versions(session):
    general_id, zoning_id = general(session), zoning(session)
    water = create_feature(
        session,
        "water_pipe",
        sample_properties(feature_type("water_pipe")),
        lonlat(LineString([(X0 + 150, Y0 - 10), (X0 + 150, Y0 + 110)])),
        user="t",
    ).feature["id"]
    steps = []
    outcome = run_check(
        session, [find_plan(session, "Z")], progress=lambda m, d, t: steps.append((m, d, t))
    )
    assert outcome.counts == {"asset_in_planned_building": 1, "land_use_conflict": 1}
    assert steps[-1] == ("done", steps[-1][2], steps[-1][2])
    assert [d for _, d, _ in steps] == sorted(d for _, d, _ in steps)

    stored = {f.kind: f for f in run_store.run_findings(session, outcome.run.id)}
    conflict = stored["land_use_conflict"]
    assert (conflict.plans, conflict.plan_ids) == (["G", "Z"], [general_id, zoning_id])
    assert conflict.involved == ["zone:G/park", "zone:Z/homes"]
    assert conflict.area_m2 == pytest.approx(4000, rel=2e-3)  # 106.25° zone, not Bắc Giang's
    assert run_store.geometry_of(conflict).bounds[0] == pytest.approx(106.1925, abs=1e-3)
    assert stored["asset_in_planned_building"].involved == [f"asset:{water}", "zone:Z/school"]
    assert outcome.run.asset_count == 1 and outcome.run.status == "done"


def test_decisions_carry_over_to_unchanged_conflicts_and_stay_in_history(session):
    general(session)
    zoning(session)
    first = run_check(session, [find_plan(session, "Z")], with_assets=False)
    (finding,) = run_store.run_findings(session, first.run.id)
    run_store.decide_finding(session, finding.id, "accepted", "park moves north", user="an")
    run_store.decide_finding(session, finding.id, "resolved", "park moved", user="bao")

    zoning(session)  # version 2, the same conflict
    again = run_check(session, [find_plan(session, "Z")], with_assets=False)
    assert find_plan(session, "Z").version == 2
    (kept,) = run_store.run_findings(session, again.run.id)
    assert (kept.status, kept.note, kept.decided_by) == ("resolved", "park moved", "bao")
    assert again.run.kept_decisions == 1 and again.run.stale_decisions == 0
    history = run_store.decision_history(session, kept.id)
    assert [(h.previous_status, h.status, h.decided_by) for h in history] == [
        ("open", "accepted", "an"),
        ("accepted", "resolved", "bao"),
    ]

    zoning(session, homes_east=60.0)  # a new version moves the conflict
    changed = run_check(session, [find_plan(session, "Z")], with_assets=False)
    (fresh,) = run_store.run_findings(session, changed.run.id)
    assert (fresh.status, fresh.note) == ("open", None)
    assert changed.run.stale_decisions == 1


def test_decisions_need_a_known_status_and_a_note(session):
    general(session)
    zoning(session)
    run = run_check(session, [find_plan(session, "Z")], with_assets=False).run
    (finding,) = run_store.run_findings(session, run.id)
    with pytest.raises(InvalidInput):
        run_store.decide_finding(session, finding.id, "ignored", "why not", user="an")
    with pytest.raises(InvalidInput):
        run_store.decide_finding(session, finding.id, "accepted", "  ", user="an")
