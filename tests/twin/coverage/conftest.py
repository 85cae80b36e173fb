"""Fixtures of coverage: the province demo's elevation model as a GeoTIFF."""

from __future__ import annotations

import pytest

from twin.demo.context import prepare
from twin.demo.dem import write_dem
from twin.demo.scales import scale_named


@pytest.fixture(scope="session")
def province_dem(tmp_path_factory):
    """The province demo's DEM (30 m, hills in the north-east), written once."""
    path = tmp_path_factory.mktemp("coverage") / "dem.tif"
    write_dem(prepare(scale_named("province"), 1).dem, path)
    return path
