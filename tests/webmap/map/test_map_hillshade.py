"""Hillshade tiles of the small demo's elevation model, asked for as the map asks for them.

The map opened at zoom 16 over the small demo answered some tiles with 500:
rasterio's ``reproject`` into a NumPy array hides a ``NotGeoreferencedWarning``
by swapping the process's warning filters, and two tiles shaded at once on
the server's threads swapped them under each other.  Every tile over the
demo's elevation model and around its edges must answer a PNG, however
many are asked for at once, and leave the warning filters as they were.
"""

from __future__ import annotations

import math
import struct
import threading
import warnings
import zlib

import numpy as np
import pytest
from sqlalchemy import create_engine, pool

from tests.webmap.map.apptest import make_app
from twin import rasters
from twin.maps.hillshade import dem_extent_3857, native_zoom

_ORIGIN_M = 20037508.342789244  # half the web-mercator world width, metres


@pytest.fixture(scope="module")
def demo_dem(demo_small):
    """The small demo's DEM, found where the map finds it (``base.raster_layer``)."""
    engine = create_engine(demo_small.url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            path = rasters.dem_path(conn, demo_small.home)
    finally:
        engine.dispose()
    assert path is not None
    return path


def _client(demo_small, dem, home, **config):
    app = make_app(demo_small.url, home, MAP_DEM_PATH=str(dem), RATELIMIT_ENABLED=False, **config)
    return app.test_client()


def _tile_range(low: float, high: float, z: int, *, flip: bool) -> range:
    """Tile columns (or rows when ``flip``) covering ``low..high`` metres, one more each side."""
    size = 2 * _ORIGIN_M / 2**z
    ends = sorted(int(((_ORIGIN_M - v) if flip else (v + _ORIGIN_M)) // size) for v in (low, high))
    return range(max(0, ends[0] - 1), min(2**z - 1, ends[1] + 1) + 1)


def _tiles_around(extent, z: int) -> list[tuple[int, int, int]]:
    """Tiles over the extent and the ring of tiles around it (at its edges or outside)."""
    west, south, east, north = extent
    return [
        (z, x, y)
        for x in _tile_range(west, east, z, flip=False)
        for y in _tile_range(south, north, z, flip=True)
    ]


def _ring(tiles) -> set[tuple[int, int, int]]:
    """The tiles of the outer rows and columns of each zoom's block."""
    ring = set()
    for zoom in {z for z, _, _ in tiles}:
        block = [(x, y) for z, x, y in tiles if z == zoom]
        xs, ys = {x for x, _ in block}, {y for _, y in block}
        ring |= {
            (zoom, x, y) for x, y in block if x in (min(xs), max(xs)) or y in (min(ys), max(ys))
        }
    return ring


def _alpha(png: bytes) -> np.ndarray:
    """Opacity of each pixel of an 8-bit RGBA PNG as the hillshade writes it."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunks[kind] = chunks.get(kind, b"") + png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, -1)
    return rows[:, 1:].reshape(height, width, 4)[..., 3]


def test_every_tile_the_map_asks_for_over_the_demo_is_a_png(demo_small, demo_dem, tmp_path):
    client = _client(demo_small, demo_dem, tmp_path / "home")
    native = native_zoom(demo_dem)
    extent = dem_extent_3857(demo_dem)
    # Past its native zoom the map enlarges the native tiles instead of asking deeper.
    asked = {tile for zoom in range(10, 19) for tile in _tiles_around(extent, min(zoom, native))}
    assert (15, 26049, 14400) in asked  # the tile reported at zoom 16
    shaded = set()
    for z, x, y in sorted(asked):
        response = client.get(f"/map/hillshade/{z}/{x}/{y}.png")
        assert response.status_code == 200, (z, x, y, response.data[:300])
        assert response.mimetype == "image/png"
        alpha = _alpha(response.data)
        assert alpha.shape == (256, 256)
        if alpha.any():
            shaded.add((z, x, y))
    # Relief shows on every zoom; the ring of tiles around the DEM stays transparent.
    assert {z for z, _, _ in shaded} == set(range(10, native + 1))
    assert shaded.isdisjoint(_ring(asked))


def test_a_tile_far_outside_the_demo_is_transparent(demo_small, demo_dem, tmp_path):
    client = _client(demo_small, demo_dem, tmp_path / "home")
    z = native_zoom(demo_dem)
    lon, lat = 105.0, 20.0  # 130 km south-west of Bắc Giang
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
    response = client.get(f"/map/hillshade/{z}/{x}/{y}.png")
    assert response.status_code == 200 and not _alpha(response.data).any()


def test_tiles_shaded_at_once_on_many_threads_all_answer_and_leave_warnings_alone(
    demo_small, demo_dem, tmp_path
):
    # No disk cache: every request shades its tile, as on a map opened afresh;
    # the browser asks for six tiles at once, which the server shades on its threads.
    app = _client(demo_small, demo_dem, tmp_path / "home", MAP_HILLSHADE_CACHE_BYTES=0).application
    z = native_zoom(demo_dem)
    tiles = _tiles_around(dem_extent_3857(demo_dem), z)
    filters = list(warnings.filters)
    failures: list = []
    start = threading.Barrier(6)

    def ask(tile) -> None:
        client = app.test_client()
        start.wait()
        try:
            response = client.get("/map/hillshade/{}/{}/{}.png".format(*tile))
        except Exception as exc:  # the testing app lets a view's exception through
            failures.append((tile, repr(exc)))
        else:
            if response.status_code != 200:
                failures.append((tile, response.status_code, response.data[:200]))

    for round_ in range(20):
        threads = [
            threading.Thread(target=ask, args=(tiles[(round_ + k) % len(tiles)],)) for k in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert warnings.filters == filters
