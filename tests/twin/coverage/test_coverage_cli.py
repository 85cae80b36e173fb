"""``twin coverage viewshed`` agrees with GDAL's ``gdal_viewshed`` on the demo DEM."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
import rasterio
from click.testing import CliRunner

from twin.cli import cli
from twin.crs import transformer

pytestmark = pytest.mark.skipif(shutil.which("gdal_viewshed") is None,
                                reason="gdal_viewshed (gdal-bin) is not installed")

#: Observers: a hill top, the plain by the city, a slope; (lon, lat, height m).
OBSERVERS = [(106.62, 21.45, 30.0), (106.20, 21.28, 40.0), (106.45, 21.33, 15.0)]


def _gdal(dem, lon, lat, height, out):
    with rasterio.open(dem) as src:
        x, y = transformer("EPSG:4326", src.crs.to_wkt()).transform(lon, lat)
    subprocess.run(["gdal_viewshed", "-q", "-ox", repr(x), "-oy", repr(y), "-oz", str(height),
                    str(dem), str(out)], check=True)
    with rasterio.open(out) as src:
        return src.read(1)


@pytest.mark.parametrize(("lon", "lat", "height"), OBSERVERS)
def test_viewshed_agrees_with_gdal_on_99_percent_of_cells(province_dem, tmp_path, lon, lat, height):
    ours = tmp_path / "ours.tif"
    result = CliRunner().invoke(cli, ["coverage", "viewshed", str(province_dem),
                                      "--at", f"{lon},{lat}", "--height", str(height),
                                      "--out", str(ours)], obj=None)
    assert result.exit_code == 0, result.output
    reference = _gdal(province_dem, lon, lat, height, tmp_path / "gdal.tif")
    with rasterio.open(ours) as src:
        mine = src.read(1)
    assert mine.shape == reference.shape
    seen = reference == 255
    assert 0.005 < seen.mean() < 0.995  # a real mix of seen and hidden cells
    assert np.mean(mine == reference) >= 0.99


def test_a_point_outside_the_dem_is_refused(province_dem, tmp_path):
    result = CliRunner().invoke(cli, ["coverage", "viewshed", str(province_dem), "--at", "100,10",
                                      "--height", "10", "--out", str(tmp_path / "x.tif")])
    assert result.exit_code == 1
    assert "outside the elevation model" in result.output
