"""Hillshade shading, PNG encoding and tiles read from a GeoTIFF."""

from __future__ import annotations

import math
import struct
import zlib

import numpy as np
import pytest
import rasterio
from affine import Affine
from rasterio.warp import transform as reproject_points

from tests.geotiffs import write_geotiff
from twin.maps.hillshade import (
    TileCache,
    hillshade,
    hillshade_png,
    native_zoom,
    png_rgba,
    shade_to_rgba,
    tile_bounds_3857,
)


def _decode_png(data: bytes) -> np.ndarray:
    """RGBA pixels of a PNG written by png_rgba (8-bit RGBA, filter 0 rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunks.setdefault(kind, b"")
        chunks[kind] += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, -1)
    assert (raw[:, 0] == 0).all()
    return raw[:, 1:].reshape(height, width, 4)


def test_flat_ground_is_lit_by_the_sun_height_alone():
    shade = hillshade(np.full((5, 5), 12.0), cell_size_m=10, altitude_deg=45)
    assert shade.shape == (3, 3)
    assert shade == pytest.approx(np.full((3, 3), math.sin(math.radians(45))))


def test_slopes_facing_the_north_west_sun_are_brighter_than_those_facing_away():
    rows, cols = np.mgrid[0:7, 0:7].astype(float)
    # Rows grow southwards, columns eastwards: this ground rises to the south-east,
    # so it faces north-west, towards the default sun.
    facing_sun = hillshade((rows + cols) * 5.0, cell_size_m=10)
    away = hillshade(-(rows + cols) * 5.0, cell_size_m=10)
    flat = math.sin(math.radians(45))
    assert facing_sun.min() > flat > away.max()
    assert facing_sun == pytest.approx(np.full((5, 5), facing_sun[0, 0]))


def test_png_round_trip():
    rgba = np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4)
    assert (_decode_png(png_rgba(rgba)) == rgba).all()


def test_tile_bounds_cover_the_world_at_zoom_zero_and_split_in_four():
    west, south, east, north = tile_bounds_3857(0, 0, 0)
    assert west == pytest.approx(-20037508.342789244) and north == pytest.approx(-south)
    w, s, e, n = tile_bounds_3857(1, 1, 0)
    assert (w, n) == pytest.approx((0.0, north)) and (e, s) == pytest.approx((east, 0.0))


@pytest.fixture
def dem(tmp_path):
    """A 2 km square DEM in VN-2000 / UTM 48N around Bắc Giang, rising to the east."""
    z = np.tile(np.linspace(0, 60, 200, dtype=np.float32), (200, 1))
    transform = Affine(10, 0, 624000, 0, -10, 2354000)
    return write_geotiff(tmp_path / "dem.tif", z, crs="EPSG:3405", transform=transform)


def _tile_of(lon, lat, z):
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def test_flat_ground_is_transparent_and_relief_darkens_or_lightens():
    flat = math.sin(math.radians(45))
    rgba = shade_to_rgba(np.array([[flat, flat - 0.2, flat + 0.2, np.nan]]))
    assert rgba[0, 0, 3] == 0 and rgba[0, 3, 3] == 0
    assert tuple(rgba[0, 1]) == (0, 0, 0, int(0.2 * 2.5 * 255))
    assert tuple(rgba[0, 2, :3]) == (255, 255, 255) and rgba[0, 2, 3] == rgba[0, 1, 3]


def test_tile_over_the_dem_is_shaded_and_outside_it_transparent(dem):
    lons, lats = reproject_points("EPSG:3405", "EPSG:4326", [625000], [2353000])
    inside = _decode_png(hillshade_png(dem, *_tile_of(lons[0], lats[0], 16)))
    assert inside.shape == (256, 256, 4)
    shaded = inside[..., 3] > 0
    assert shaded.mean() > 0.5
    # Ground rising to the east faces west, half towards the north-western sun:
    # lighter than flat ground.
    assert (inside[..., :3][shaded] == 255).all()
    assert 10 < inside[..., 3][shaded].mean() < 200
    # A plane is shaded evenly up to the tile's borders: neighbouring tiles join
    # without a seam.
    alpha = inside[..., 3][shaded]
    assert alpha.max() - alpha.min() <= 1
    far = _decode_png(hillshade_png(dem, *_tile_of(105.0, 20.0, 16)))
    assert (far[..., 3] == 0).all()


def test_tile_cache_writes_once_and_names_the_dem_version(dem, tmp_path):
    cache = TileCache(tmp_path / "cache", dem)
    lons, lats = reproject_points("EPSG:3405", "EPSG:4326", [625000], [2353000])
    z, x, y = _tile_of(lons[0], lats[0], 14)
    first = cache.tile(z, x, y)
    stored = cache.folder / str(z) / str(x) / f"{y}.png"
    assert stored.read_bytes() == first
    stored.write_bytes(b"cached")
    assert cache.tile(z, x, y) == b"cached"
    with rasterio.open(dem, "r+") as dst:
        dst.write(np.zeros((200, 200), np.float32), 1)
    assert TileCache(tmp_path / "cache", dem).folder != cache.folder


def test_native_zoom_matches_the_dem_cells(dem):
    # 10 m cells near 21° N: a z14 pixel is about 8.9 m, a z13 pixel about 17.8 m.
    assert native_zoom(dem) == 14
    assert TileCache(dem.parent / "cache", dem).native_zoom == 14


def test_shading_a_tile_leaves_the_process_warning_filters_alone(dem, warning_filter_swaps):
    lons, lats = reproject_points("EPSG:3405", "EPSG:4326", [625000], [2353000])
    assert _decode_png(hillshade_png(dem, *_tile_of(lons[0], lats[0], 14)))[..., 3].any()
    assert warning_filter_swaps == []
