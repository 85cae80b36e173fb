"""The demo plans: each planted inconsistency is found by the plan checks, and saved."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from twin.demo.records import codes_of
from twin.zoning.model import Asset
from twin.zoning.run import check_plans


def _mains(city):
    for batch in city.of("water_pipe"):
        for code, geom, dn in zip(
            codes_of("water_pipe", batch.ids), batch.geoms, batch.column("diameter_mm"), strict=True
        ):
            if dn > 50:
                yield Asset(code, "water_pipe", geom, depth_m=1.0, diameter_mm=dn)


@pytest.fixture(scope="module")
def findings(small_city):
    return check_plans(small_city.plans, assets=list(_mains(small_city)))


def test_plans_have_two_levels(small_city):
    levels = sorted(p.level for p in small_city.plans)
    assert levels == ["general", "zoning", "zoning"]
    assert all(len(p.zones) > 3 and p.red_lines for p in small_city.plans)


def test_every_planted_conflict_is_found(small_city, findings):
    planted = small_city.planted
    assert {p["kind"] for p in planted} == {
        "overlap",
        "gap",
        "sliver",
        "land_use_conflict",
        "red_line_mismatch",
        "asset_in_planned_building",
    }
    for p in planted:
        wanted = set(p.get("zones", [])) | set(p.get("red_lines", []))
        hits = [f for f in findings if f.kind == p["kind"] and wanted <= set(f.involved)]
        if p["kind"] == "asset_in_planned_building":
            hits = [f for f in hits if set(f.involved) & set(p["assets"])]
        assert hits, p


def test_plan_internals_and_hierarchy_find_nothing_else(small_city, findings):
    planted_kinds = {p["kind"] for p in small_city.planted}
    zone_findings = [f for f in findings if f.kind != "asset_in_planned_building"]
    assert {f.kind for f in zone_findings} <= planted_kinds
    non_asset = [p for p in small_city.planted if p["kind"] != "asset_in_planned_building"]
    assert len(zone_findings) == len(non_asset)


@pytest.mark.db
def test_plans_are_saved_with_the_demo(demo_engine):
    with demo_engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM planning.plan ORDER BY name")).scalars().all()
    assert names == ["QHC-BACGIANG", "QHPK-A", "QHPK-B"]


def test_planted_conflicts_are_written_next_to_the_dem(demo_small):
    import json

    body = json.loads((demo_small.home / "demo" / "planted_conflicts.json").read_text("utf-8"))
    assert body["scale"] == "small" and len(body["conflicts"]) == 7
