"""Zoning plans read from DXF drawings: zones, codes from their texts, the boundary."""

from __future__ import annotations

import numpy as np
import pyogrio.raw
import pytest
import shapely

from twin.errors import InvalidInput
from twin.zoning.checks_internal import check_plan_internal
from twin.zoning.reading import read_plan_file

from .cad_plans import plan_drawing
from .drawing import kinds
from .places import CRS, at

TWO_BLOCKS = {"ODT": (0, 0, 50, 100), "DKV": (54, 0, 100, 100)}
MEETING = {"ODT": (0, 0, 50, 100), "DKV": (50, 0, 100, 100)}


def _read(path, **options):
    return read_plan_file(path, name="QH", level="zoning", crs=CRS, **options)


def test_zones_take_their_codes_from_the_text_inside_them(tmp_path):
    path = plan_drawing(
        tmp_path / "qh.dxf",
        MEETING,
        hatch=("ODT",),
        texts={"ODT": "ODT\n0,5 ha", "DKV": "Đất cây xanh DKV"},
        boundary=(0, 0, 100, 100),
    )
    read = _read(path)
    plan = read.plan
    assert sorted(z.code for z in plan.zones) == ["DKV", "ODT"]  # the hatch counted once
    by_code = {z.code: z.geometry for z in plan.zones}
    assert by_code["ODT"].equals(at(0, 0, 50, 100))
    assert by_code["DKV"].equals(at(50, 0, 100, 100))
    assert plan.boundary.equals(at(0, 0, 100, 100))
    assert read.crs_text == CRS
    assert check_plan_internal(plan) == []


def test_a_strip_open_to_the_edge_is_a_gap_without_a_boundary(tmp_path):
    read = _read(plan_drawing(tmp_path / "qh.dxf", TWO_BLOCKS))
    assert read.plan.boundary is None
    assert any("no plan boundary" in note for note in read.notes)
    findings = check_plan_internal(read.plan)
    assert kinds(findings) == ["gap"]
    (gap,) = findings
    assert gap.area_m2 == pytest.approx(400)
    assert shapely.equals(gap.geometry, at(50, 0, 54, 100))
    assert len(gap.involved) == 2


def test_the_area_inside_the_boundary_no_zone_covers_is_a_gap(tmp_path):
    path = plan_drawing(tmp_path / "qh.dxf", MEETING, boundary=(0, 0, 100, 130))
    (gap,) = check_plan_internal(_read(path).plan)
    assert (gap.kind, gap.area_m2) == ("gap", pytest.approx(3000))


def test_zones_drawn_short_of_the_boundary_leave_a_sliver(tmp_path):
    path = plan_drawing(tmp_path / "qh.dxf", MEETING, boundary=(0, 0, 100, 101))
    assert kinds(check_plan_internal(_read(path).plan)) == ["sliver"]


def test_a_boundary_from_a_file_of_its_own(tmp_path):
    path = plan_drawing(tmp_path / "qh.dxf", MEETING)
    outline = tmp_path / "ranh_gioi.gpkg"
    pyogrio.raw.write(
        str(outline),
        shapely.to_wkb(np.array([at(0, -20, 100, 100)], dtype=object)),
        [],
        [],
        geometry_type="Polygon",
        crs="EPSG:9214",
    )
    plan = _read(path, boundary=outline).plan
    assert plan.boundary.equals_exact(at(0, -20, 100, 100), 1e-6)
    assert kinds(check_plan_internal(plan)) == ["gap"]


def test_a_named_boundary_layer_must_exist(tmp_path):
    path = plan_drawing(tmp_path / "qh.dxf", MEETING)
    with pytest.raises(InvalidInput) as refused:
        _read(path, boundary_layer="RANH_QH")
    assert refused.value.problems[0].rule == "known_layer"


def test_zone_layers_keep_other_polygons_out(tmp_path):
    path = plan_drawing(tmp_path / "qh.dxf", MEETING)
    with pytest.raises(InvalidInput, match="no polygons"):
        _read(path, zone_layers=("QH_KHAC",))
    assert len(_read(path, zone_layers=("qh_sdd",)).plan.zones) == 2
