"""A GeoTIFF band on a web-mercator grid: values, gaps, and no swap of the warning filters."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from rasterio.enums import Resampling
from rasterio.warp import transform_bounds

from tests.geotiffs import write_geotiff
from twin.maps.warped import band_on_grid

#: A 1 km square raster in web mercator itself, 100 m cells, so values can be checked exactly.
WEST, NORTH, CELL_M, CELLS = 11_820_000.0, 2_425_000.0, 100.0, 10


@pytest.fixture
def raster(tmp_path):
    """Cell values = 10 × row + column; the cell at row 0, column 0 is nodata."""
    values = 10 * np.arange(CELLS)[:, None] + np.arange(CELLS)[None, :]
    values[0, 0] = -9999
    transform = Affine(CELL_M, 0, WEST, 0, -CELL_M, NORTH)
    return write_geotiff(tmp_path / "grid.tif", values, crs="EPSG:3857", transform=transform)


def test_the_grid_carries_the_cells_it_lies_on_and_nan_outside_and_at_nodata(raster):
    # Twice the raster's width, from its north-west corner: 50 m pixels.
    bounds = (WEST, NORTH - 2000, WEST + 2000, NORTH)
    grid = band_on_grid(raster, bounds, 40, resampling=Resampling.nearest)
    assert grid.shape == (40, 40) and grid.dtype == np.float32
    assert grid[5, 7] == 10 * 2 + 3  # pixel (5, 7) lies in cell (2, 3)
    assert np.isnan(grid[0, 0]) and np.isnan(grid[1, 1])  # the nodata cell
    assert np.isnan(grid[20:, :]).all() and np.isnan(grid[:, 20:]).all()  # beyond the raster


def test_a_grid_far_from_the_raster_is_all_nan(raster):
    far = transform_bounds("EPSG:4326", "EPSG:3857", 105.0, 20.0, 105.01, 20.01)
    side = far[2] - far[0]
    grid = band_on_grid(
        raster, (far[0], far[1], far[0] + side, far[1] + side), 8, resampling=Resampling.bilinear
    )
    assert np.isnan(grid).all()


def test_resampling_leaves_the_process_warning_filters_alone(raster, warning_filter_swaps):
    bounds = (WEST, NORTH - 1000, WEST + 1000, NORTH)
    for resampling in (Resampling.nearest, Resampling.bilinear):
        assert not np.isnan(band_on_grid(raster, bounds, 16, resampling=resampling)).all()
    assert warning_filter_swaps == []
