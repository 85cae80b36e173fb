"""Coverage of the small demo city's sites: files, shares per commune and village."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from affine import Affine
from click.testing import CliRunner
from sqlalchemy.orm import Session

from twin.cli import cli
from twin.coverage import compute, read_plan, read_summary
from twin.coverage.algorithms.link import Radio, Site
from twin.coverage.grids import Grid
from twin.coverage.service import site_coverage
from twin.coverage.store import radio_constants

pytestmark = pytest.mark.db


def test_compute_writes_the_overlay_and_shares(demo_small, demo_engine):
    with Session(demo_engine) as session:
        summary = compute(session, demo_small.home, "all")
    assert summary["sites"] == 2
    assert 0 < summary["households_covered"] <= summary["households"]
    assert summary["communes"] and all(0 <= c["households_pct"] <= 100 for c in summary["communes"])
    folder = demo_small.home / "coverage" / "all"
    assert (folder / "overlay.png").stat().st_size > 0
    bounds = json.loads((folder / "overlay.json").read_text())
    assert bounds["south"] < 21.2731 < bounds["north"]
    with rasterio.open(folder / "rsrp.tif") as src:
        rsrp = src.read(1, masked=True)
    assert rsrp.max() > -80
    assert read_summary(demo_small.home, "all")["households"] == summary["households"]


def test_compute_command_prints_the_communes(demo_small):
    env = {"TWIN_HOME": str(demo_small.home), "DATABASE_URL": demo_small.url}
    result = CliRunner().invoke(cli, ["coverage", "compute", "--technology", "5g"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 sites" in result.output and "% of" in result.output


def test_power_falls_with_distance_and_behind_a_hill():
    z = np.zeros((201, 201))
    z[100, 150:153] = 200.0  # a ridge east of the site
    grid = Grid(z, Affine(30.0, 0, 0, 0, -30.0, 0), "EPSG:9214")
    site = Site(100, 100, 30.0, "4g", 1800.0, sectors=3, azimuth_deg=90.0)
    where, rsrp = site_coverage(grid, site, Radio(radio_constants()))
    assert rsrp[100, 110] > rsrp[100, 140]
    assert rsrp[100, 170] < rsrp[70, 170] - 10  # shadowed by the ridge
    assert where == (slice(0, 201), slice(0, 201))


def test_plan_adds_sites_until_the_target_and_draws_the_curve(demo_small):
    env = {"TWIN_HOME": str(demo_small.home), "DATABASE_URL": demo_small.url}
    result = CliRunner().invoke(cli, ["coverage", "plan", "--target", "100"], env=env)
    assert result.exit_code == 0, result.output
    saved = read_plan(demo_small.home)
    pcts = [saved["start_pct"], *[s["covered_pct"] for s in saved["steps"]]]
    assert pcts == sorted(pcts)
    assert all(s["households_added"] > 0 for s in saved["steps"])
    assert (demo_small.home / "coverage" / "plan" / "curve.png").stat().st_size > 1000
    assert "households covered today" in result.output
