"""Hole 4: one anonymous tile request stalled the server; hillshade tiles were cached without bound.

``/map/hillshade/1000000000/0/0.png`` computed ``2**z`` before checking z
(22 s, +450 MB, every other request waiting), and every hillshade tile, even
far from the DEM, was written to disk.  Tile addresses are now checked
first, with the bound named, tiles outside the DEM come from memory, and the
disk cache keeps within its budget.
"""

from __future__ import annotations

import math
import time
import tracemalloc

import numpy as np
import pytest
import rasterio
from affine import Affine
from rasterio.warp import transform as reproject_points

from twin.config import Settings
from webmap import create_app

#: A 20 km square DEM in VN-2000 / UTM 48N (EPSG:3405), 20 m cells: native zoom 13.
DEM_WEST, DEM_NORTH, DEM_CELLS, DEM_CELL_M = 620_000, 2_360_000, 1000, 20


@pytest.fixture(scope="module")
def dem(tmp_path_factory):
    path = tmp_path_factory.mktemp("dem") / "dem.tif"
    rows, cols = np.mgrid[0:DEM_CELLS, 0:DEM_CELLS].astype(np.float32)
    heights = 5 + 0.05 * cols + 20 * np.sin(rows / 40) * np.cos(cols / 55)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=DEM_CELLS,
        height=DEM_CELLS,
        count=1,
        dtype="float32",
        crs="EPSG:3405",
        nodata=-9999,
        transform=Affine(DEM_CELL_M, 0, DEM_WEST, 0, -DEM_CELL_M, DEM_NORTH),
    ) as dst:
        dst.write(heights, 1)
    return path


def _app(home, api_db_url, dem, **settings):
    config = Settings(home=home, database_url=api_db_url, secret_key="test-secret", **settings)
    return create_app(config, {"TESTING": True, "MAP_DEM_PATH": str(dem)})


@pytest.fixture
def shade_home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def shade_client(shade_home, api_db_url, dem):
    return _app(shade_home, api_db_url, dem).test_client()


def _cached_files(home) -> list:
    folder = home / "cache" / "hillshade"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def _dem_tiles(z: int) -> list[tuple[int, int, int]]:
    """Tiles at zoom ``z`` over the DEM (the middle 80 % of it)."""
    side = DEM_CELLS * DEM_CELL_M
    xs = [DEM_WEST + side * 0.1, DEM_WEST + side * 0.9]
    ys = [DEM_NORTH - side * 0.9, DEM_NORTH - side * 0.1]
    lons, lats = reproject_points("EPSG:3405", "EPSG:4326", xs, ys)
    _, x0, y1 = _tile_of(lons[0], lats[0], z)
    _, x1, y0 = _tile_of(lons[1], lats[1], z)
    return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _problem(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/problem+json"
    detail = response.get_json()["detail"]
    for word in words:
        assert word in detail, detail


def test_the_huge_zoom_is_refused_at_once_without_work(shade_client, shade_home):
    tracemalloc.start()
    started = time.perf_counter()
    response = shade_client.get("/map/hillshade/1000000000/0/0.png")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _problem(response, 400, "z", "0..22", "1000000000")
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024  # 2**1e9 alone would be 125 MB
    assert _cached_files(shade_home) == []


@pytest.mark.parametrize(
    ("path", "status", "named"),
    [
        ("/map/hillshade/-1/0/0.png", 400, "0..22"),
        ("/map/hillshade/10/-3/0.png", 400, "0..2^z-1"),
        ("/map/hillshade/10/1024/0.png", 400, "0..2^10-1"),
        ("/map/hillshade/10/0/1024.png", 400, "0..2^10-1"),
        ("/map/hillshade/10/" + "9" * 5000 + "/0.png", 400, "0..2^z-1"),
        ("/map/hillshade/ten/0/0.png", 400, "0..22"),
        ("/map/hillshade/1e3/0/0.png", 400, "0..22"),
        ("/map/hillshade/\u0661\u0660/0/0.png", 400, "0..22"),  # Arabic-Indic digits
        ("/map/hillshade/13/0/0.jpg", 404, ".png"),
        # The DEM's tileset: from zoom 8 (the map's) to its native zoom, 13.
        ("/map/hillshade/14/0/0.png", 400, "8..13"),
        ("/map/hillshade/22/0/0.png", 400, "8..13"),
        ("/map/hillshade/3/0/0.png", 400, "8..13"),
    ],
)
def test_hillshade_addresses_outside_the_grid_are_refused(
    shade_client, shade_home, path, status, named
):
    _problem(shade_client.get(path), status, named)
    assert _cached_files(shade_home) == []


@pytest.mark.parametrize(
    ("path", "status", "named"),
    [
        ("/tiles/trees/1000000000/0/0.mvt", 400, "0..22"),
        ("/tiles/trees/23/0/0.mvt", 400, "0..22"),
        ("/tiles/trees/-1/0/0.mvt", 400, "0..22"),
        ("/tiles/trees/3/8/0.mvt", 400, "0..2^3-1"),
        ("/tiles/trees/3/0/" + "9" * 50 + ".mvt", 400, "0..2^z-1"),
        ("/tiles/trees/x/0/0.mvt", 400, "0..22"),
        ("/tiles/trees/3/0/0.pbf", 404, ".mvt"),
        ("/map/tiles/1000000000/0/0.mvt?t=trees_tree", 400, "0..22"),
        ("/map/tiles/23/0/0.mvt?t=trees_tree", 400, "0..22"),
        ("/map/tiles/4/16/0.mvt?t=trees_tree", 400, "0..2^4-1"),
        ("/map/tiles/4/0/abc.mvt?t=trees_tree", 400, "0..2^z-1"),
        ("/map/tiles/4/0/0.png?t=trees_tree", 404, ".mvt"),
        ("/map/identify?lon=105.8&lat=21.8&zoom=1e300&tables=trees_tree", 400, "0..22"),
    ],
)
def test_vector_tile_addresses_outside_the_grid_are_refused(client, path, status, named):
    started = time.perf_counter()
    _problem(client.get(path), status, named)
    assert time.perf_counter() - started < 1.0


def test_a_tile_far_from_the_dem_is_transparent_and_not_written(shade_client, shade_home):
    for z in (8, 10, 13):
        response = shade_client.get("/map/hillshade/{}/{}/{}.png".format(*_tile_of(0.0, 0.0, z)))
        assert response.status_code == 200 and response.mimetype == "image/png"
    assert _cached_files(shade_home) == []
    # A tile over the DEM is shaded and kept: the check above can fail.
    inside = shade_client.get("/map/hillshade/{}/{}/{}.png".format(*_dem_tiles(13)[0]))
    assert inside.status_code == 200
    assert len(_cached_files(shade_home)) == 1
    assert inside.data != response.data


def test_the_disk_cache_stays_within_its_budget(tmp_path, api_db_url, dem):
    home = tmp_path / "home"
    tiles = _dem_tiles(13)
    assert len(tiles) >= 9
    one = _app(tmp_path / "probe", api_db_url, dem).test_client()
    size = len(one.get("/map/hillshade/{}/{}/{}.png".format(*tiles[0])).data)
    budget = int(size * 3.5)
    client = _app(home, api_db_url, dem, hillshade_cache_bytes=budget).test_client()
    bodies = {}
    for tile in tiles:
        response = client.get("/map/hillshade/{}/{}/{}.png".format(*tile))
        assert response.status_code == 200
        bodies[tile] = response.data
        kept = _cached_files(home)
        assert sum(p.stat().st_size for p in kept) <= budget
    assert 0 < len(kept) < len(tiles)
    newest = home.joinpath("cache", "hillshade").rglob("{2}.png".format(*tiles[-1]))
    assert any(p.read_bytes() == bodies[tiles[-1]] for p in newest)
    # A tile dropped from the disk is shaded again, the same.
    assert client.get("/map/hillshade/{}/{}/{}.png".format(*tiles[0])).data == bodies[tiles[0]]
