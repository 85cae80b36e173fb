"""``twin zoning import`` of a drawn plan with its boundary, then ``twin zoning check``."""

import json

import pytest

from .cad_plans import plan_drawing
from .own_db import own_db_url  # noqa: F401
from .places import CRS
from .test_cli import twin  # noqa: F401

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("zoning-cli")]


def test_a_drawn_plan_and_its_boundary_are_stored_and_checked(twin, tmp_path):  # noqa: F811
    blocks = {"ODT": (0, 0, 50, 100), "DKV": (54, 0, 100, 100)}
    path = plan_drawing(tmp_path / "qh.dxf", blocks, boundary=(0, 0, 100, 120))
    out = twin("zoning", "import", path, "--level", "zoning", "--name", "QH-CAD", "--crs", CRS)
    assert "2 zones, 0 red lines, 0 corridors, a boundary" in out
    report = json.loads(twin("zoning", "check", "--plan", "QH-CAD", "--no-assets", "--json"))
    assert report["run"]["counts"] == {"gap": 1}
    (gap,) = report["findings"]["features"]
    assert gap["properties"]["area_m2"] == pytest.approx(100 * 120 - 50 * 100 - 46 * 100, rel=1e-3)


def test_a_drawn_plan_without_a_boundary_reports_the_open_strip(twin, tmp_path):  # noqa: F811
    blocks = {"ODT": (0, 0, 50, 100), "DKV": (54, 0, 100, 100)}
    path = plan_drawing(tmp_path / "qh.dxf", blocks)
    out = twin("zoning", "import", path, "--level", "zoning", "--name", "QH-OPEN", "--crs", CRS)
    assert "note: the drawing has no plan boundary layer" in out
    report = json.loads(twin("zoning", "check", "--plan", "QH-OPEN", "--no-assets", "--json"))
    assert report["run"]["counts"] == {"gap": 1}
