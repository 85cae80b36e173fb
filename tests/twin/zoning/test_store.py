from datetime import date

import pytest
import shapely
from shapely import LineString, Polygon

from twin.errors import InvalidInput, NotFound
from twin.zoning import tables
from twin.zoning.model import Corridor, Plan, RedLine, Zone
from twin.zoning.store import find_plan, load_plans, plan_row, plans_in_force, save_plan

from .places import CRS, at, lonlat, shifted

pytestmark = pytest.mark.db


def metric_plan(name="Z1", level="zoning", status="draft", **fields):
    return Plan(
        name,
        level,
        f"plan {name}",
        [Zone("a", "ODT", at(0, 0, 100, 100)), Zone("b", "CX", at(100, 0, 200, 100), "park")],
        red_lines=[RedLine("r1", shifted(LineString([(0, 50), (200, 50)])), "Road A")],
        corridors=[Corridor("c1", "power", shifted(LineString([(0, 90), (200, 90)])), 20.0)],
        status=status,
        legend={"CX": "DKV"},
        **fields,
    )


def test_saved_plan_comes_back_in_metres_with_codes_mapped(session):
    plan_id = save_plan(
        session,
        metric_plan(decision_number="12/QĐ-UBND", decision_date=date(2024, 5, 1)),
        crs=CRS,
        source="z1.gpkg",
        user="planner",
    )
    row = plan_row(session, plan_id)
    assert (row.name, row.version, row.crs, row.source) == ("Z1", 1, CRS, "z1.gpkg")
    zones = session.query(tables.Zone).filter_by(plan_id=plan_id).order_by(tables.Zone.key).all()
    assert [(z.key, z.code, z.source_code) for z in zones] == [
        ("a", "ODT", "ODT"),
        ("b", "DKV", "CX"),
    ]

    (loaded,) = load_plans(session, [row], CRS)
    assert (loaded.id, loaded.decision_date, dict(loaded.legend)) == (
        "Z1",
        date(2024, 5, 1),
        {"CX": "DKV"},
    )
    assert loaded.zones[0].geometry.equals_exact(shapely.MultiPolygon([at(0, 0, 100, 100)]), 1e-3)
    assert loaded.red_lines[0].road_name == "Road A"
    assert (loaded.corridors[0].kind, loaded.corridors[0].width_m) == ("power", 20.0)
    assert loaded.corridors[0].geometry.length == pytest.approx(200, abs=1e-3)


def test_wgs84_plans_are_stored_as_given(session):
    plan = Plan("W", "general", "lon/lat plan", [Zone("a", "ODT", lonlat(at(0, 0, 50, 50)))])
    row = plan_row(session, save_plan(session, plan))
    assert row.crs == "wgs84"
    (loaded,) = load_plans(session, [row], CRS)
    assert loaded.zones[0].geometry.area == pytest.approx(2500, rel=1e-6)


def test_versions_count_up_and_approval_supersedes(session):
    first = save_plan(session, metric_plan(status="approved"), crs=CRS)
    draft = save_plan(session, metric_plan(), crs=CRS)
    assert plan_row(session, draft).version == 2
    assert plan_row(session, first).status == "approved"
    assert [p.id for p in plans_in_force(session)] == [draft]

    approved = save_plan(session, metric_plan(status="approved"), crs=CRS)
    session.expire_all()
    assert plan_row(session, first).status == "superseded"
    assert find_plan(session, "Z1").id == approved
    assert find_plan(session, "Z1@2").id == draft
    with pytest.raises(NotFound):
        find_plan(session, "Z1@9")


def test_plans_in_force_come_by_level_and_skip_superseded(session):
    save_plan(session, metric_plan("ZB"), crs=CRS)
    save_plan(session, metric_plan("GA", level="general", status="approved"), crs=CRS)
    save_plan(session, metric_plan("GA", level="general", status="approved"), crs=CRS)
    assert [(p.name, p.version) for p in plans_in_force(session)] == [("GA", 2), ("ZB", 1)]
    assert [p.name for p in plans_in_force(session, exclude=["GA"])] == ["ZB"]


def test_invalid_polygons_are_kept_for_the_checks(session):
    bowtie = shifted(Polygon([(0, 0), (10, 10), (10, 0), (0, 10)]))
    plan = Plan("Z2", "zoning", "bowtie", [Zone("x", "ODT", bowtie)])
    (loaded,) = load_plans(session, [plan_row(session, save_plan(session, plan, crs=CRS))], CRS)
    assert not loaded.zones[0].geometry.is_valid


def test_lines_as_zones_and_plans_outside_vietnam_are_refused(session):
    line_zone = Plan(
        "Z3", "zoning", "bad", [Zone("x", "ODT", shifted(LineString([(0, 0), (1, 1)])))]
    )
    with pytest.raises(InvalidInput) as caught:
        save_plan(session, line_zone, crs=CRS)
    assert [(p.field, p.rule) for p in caught.value.problems] == [("geometry", "polygon")]

    metric_as_lonlat = metric_plan("Z4")
    with pytest.raises(InvalidInput) as caught:
        save_plan(session, metric_as_lonlat, crs="wgs84")
    assert [p.rule for p in caught.value.problems] == ["inside_vietnam"]
