"""Hillshade tiles of the digital elevation model, as PNG in web-mercator tiles.

The DEM (a GeoTIFF, any CRS) is resampled into each requested tile with a
one-pixel margin, shaded with the usual slope/aspect formula (sun from the
north-west, 45° high), and encoded as a grey PNG whose pixels outside the
DEM are transparent.  Tiles are cached on disk, named by the DEM file's
identity, so a replaced DEM never shows stale shading.

Only the zooms the map asks for (:data:`MIN_ZOOM` up to the DEM's native
zoom) are served; a tile that does not touch the DEM's extent is answered
with one transparent tile held in memory, neither shaded nor written; and
the disk cache is bounded in bytes (:class:`~twin.maps.filecache.BoundedFiles`).
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib
from functools import cache
from pathlib import Path

import numpy as np
import rasterio
import rasterio.warp
from rasterio.enums import Resampling

from twin.api.tiles import check_tile
from twin.config import HILLSHADE_CACHE_BYTES

from .filecache import BoundedFiles
from .warped import band_on_grid

__all__ = [
    "MIN_ZOOM",
    "dem_extent_3857",
    "empty_tile",
    "hillshade",
    "hillshade_png",
    "native_zoom",
    "png_rgba",
    "shade_to_rgba",
    "tile_bounds_3857",
    "TileCache",
]

_ORIGIN_M = 20037508.342789244  # half the web-mercator world width, metres
TILE_PX = 256
#: Bumped whenever the rendering changes, so that cached tiles are not reused.
RENDERING = "overlay-4"
#: The lowest zoom the map shows the hillshade at (below it, the relief is noise).
MIN_ZOOM = 8


def tile_bounds_3857(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of tile z/x/y in EPSG:3857 metres."""
    size = 2 * _ORIGIN_M / 2**z
    west = -_ORIGIN_M + x * size
    north = _ORIGIN_M - y * size
    return west, north - size, west + size, north


def hillshade(
    elevation: np.ndarray,
    *,
    cell_size_m: float,
    azimuth_deg: float = 315.0,
    altitude_deg: float = 45.0,
    z_factor: float = 1.0,
) -> np.ndarray:
    """Shading in 0..1 of the inner cells of ``elevation`` (metres).

    ``elevation`` has a one-cell margin on each side (so its shape is the
    output's plus 2), needed for the slopes at the edges; ``cell_size_m`` is
    the ground size of one cell, which sets how steep a difference looks.
    NaN cells give NaN.
    """
    z = elevation.astype(np.float64) * z_factor
    dzdx = (
        (z[:-2, 2:] + 2 * z[1:-1, 2:] + z[2:, 2:]) - (z[:-2, :-2] + 2 * z[1:-1, :-2] + z[2:, :-2])
    ) / (8 * cell_size_m)
    dzdy = (
        (z[2:, :-2] + 2 * z[2:, 1:-1] + z[2:, 2:]) - (z[:-2, :-2] + 2 * z[:-2, 1:-1] + z[:-2, 2:])
    ) / (8 * cell_size_m)
    slope = np.arctan(np.hypot(dzdx, dzdy))
    aspect = np.arctan2(dzdy, -dzdx)
    zenith = math.radians(90.0 - altitude_deg)
    azimuth = math.radians((360.0 - azimuth_deg + 90.0) % 360.0)
    shade = math.cos(zenith) * np.cos(slope) + math.sin(zenith) * np.sin(slope) * np.cos(
        azimuth - aspect
    )
    return np.clip(shade, 0.0, 1.0)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_rgba(rgba: np.ndarray) -> bytes:
    """A PNG file of an ``(h, w, 4)`` uint8 array (no imaging library needed)."""
    height, width, _ = rgba.shape
    rows = np.hstack([np.zeros((height, 1), np.uint8), rgba.reshape(height, width * 4)])
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + _chunk(b"IEND", b"")
    )


@cache
def empty_tile() -> bytes:
    """The fully transparent tile, encoded once."""
    return png_rgba(np.zeros((TILE_PX, TILE_PX, 4), dtype=np.uint8))


def _elevation_in_tile(dem: Path, z: int, x: int, y: int, margin: int = 2) -> np.ndarray | None:
    """Heights resampled on the tile's pixels, with ``margin`` pixels of neighbours around."""
    west, south, east, north = tile_bounds_3857(z, x, y)
    pad = margin * (east - west) / TILE_PX
    padded = (west - pad, south - pad, east + pad, north + pad)
    heights = band_on_grid(dem, padded, TILE_PX + 2 * margin, resampling=Resampling.bilinear)
    if np.isnan(heights).all():
        return None
    return heights


def shade_to_rgba(
    shade: np.ndarray, *, altitude_deg: float = 45.0, strength: float = 2.5
) -> np.ndarray:
    """Shading as an overlay: black where darker than flat ground, white where lighter.

    Flat ground (shade ``sin(altitude)``) is fully transparent, so the
    hillshade only adds relief on top of the map instead of greying it out;
    ``strength`` scales the opacity per unit of shade difference.
    """
    flat = math.sin(math.radians(altitude_deg))
    delta = np.nan_to_num(shade - flat, nan=0.0)
    rgba = np.zeros((*shade.shape, 4), dtype=np.uint8)
    rgba[..., :3] = np.where(delta > 0, 255, 0)[..., None].astype(np.uint8)
    rgba[..., 3] = np.clip(np.abs(delta) * strength * 255, 0, 200).astype(np.uint8)
    return rgba


def native_zoom(dem: Path) -> int:
    """The web-map zoom whose pixels are about the size of the DEM's cells.

    Above it the hillshade tiles are enlarged by the browser instead of being
    shaded from interpolated heights, which would draw the cell steps as stripes.
    """
    with rasterio.open(dem) as src:
        cell = abs(src.res[0])
        if src.crs is not None and src.crs.is_geographic:
            cell *= 111_320.0
        lat = 21.0
        if src.crs is not None:
            bounds = rasterio.warp.transform_bounds(src.crs, "EPSG:4326", *src.bounds)
            lat = (bounds[1] + bounds[3]) / 2
    metres_per_pixel_z0 = 2 * _ORIGIN_M / TILE_PX * math.cos(math.radians(lat))
    return max(0, min(22, round(math.log2(metres_per_pixel_z0 / cell))))


def _smoothed(z: np.ndarray) -> np.ndarray:
    """A 3×3 mean, so the steps of a coarse or rasterised DEM do not shade as ridges."""
    padded = np.pad(z, 1, mode="edge")
    rows, cols = z.shape
    return sum(padded[dy : dy + rows, dx : dx + cols] for dy in range(3) for dx in range(3)) / 9


def hillshade_png(dem: Path, z: int, x: int, y: int, *, z_factor: float = 2.0) -> bytes:
    """The hillshade of tile z/x/y as PNG; fully transparent outside the DEM.

    ``z_factor`` exaggerates heights so that the gentle relief of a river
    plain still shows.
    """
    elevation = _elevation_in_tile(dem, z, x, y)
    if elevation is None:
        return empty_tile()
    west, south, east, north = tile_bounds_3857(z, x, y)
    lat = math.degrees(math.atan(math.sinh((north + south) / 2 / 6378137.0)))
    cell_m = (east - west) / TILE_PX * math.cos(math.radians(lat))
    # Two pixels of neighbours: one for the smoothing, one for the slopes, so
    # that neighbouring tiles are shaded from the same heights and join seamlessly.
    filled = np.nan_to_num(elevation, nan=float(np.nanmean(elevation)))
    shade = hillshade(_smoothed(filled)[1:-1, 1:-1], cell_size_m=cell_m, z_factor=z_factor)
    # Cells near the DEM's edge have made-up neighbours: leave them out.
    missing = np.isnan(elevation)
    near_edge = np.zeros_like(shade, dtype=bool)
    for dy in range(5):
        for dx in range(5):
            near_edge |= missing[dy : dy + TILE_PX, dx : dx + TILE_PX]
    shade[near_edge] = np.nan
    return png_rgba(shade_to_rgba(shade))


def dem_extent_3857(dem: Path) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of the DEM in EPSG:3857 metres."""
    with rasterio.open(dem) as src:
        if src.crs is None:
            return (-_ORIGIN_M, -_ORIGIN_M, _ORIGIN_M, _ORIGIN_M)
        return rasterio.warp.transform_bounds(src.crs, "EPSG:3857", *src.bounds, densify_pts=21)


class TileCache:
    """Hillshade tiles of one DEM kept as files under ``folder``, at most ``max_bytes``.

    ``min_zoom``..``native_zoom`` are the zooms it serves; the caller checks
    a request against them before asking for a tile.
    """

    def __init__(self, folder: Path, dem: Path, *, max_bytes: int = HILLSHADE_CACHE_BYTES):
        stat = dem.stat()
        identity = f"{RENDERING}:{dem.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()
        self.dem = dem
        self.store = BoundedFiles(folder, max_bytes)
        self.folder = folder / hashlib.sha256(identity).hexdigest()[:16]
        self.native_zoom = native_zoom(dem)
        self.min_zoom = min(MIN_ZOOM, self.native_zoom)
        self.extent = dem_extent_3857(dem)

    def covers(self, z: int, x: int, y: int) -> bool:
        """Whether tile z/x/y (with the pixels its shading reads around it) touches the DEM."""
        west, south, east, north = tile_bounds_3857(z, x, y)
        pad = 3 * (east - west) / TILE_PX
        d_west, d_south, d_east, d_north = self.extent
        return (
            west - pad < d_east
            and d_west < east + pad
            and south - pad < d_north
            and d_south < north + pad
        )

    def tile(self, z: int, x: int, y: int) -> bytes:
        """The tile's PNG: from memory outside the DEM, else from disk or shaded and kept."""
        check_tile(z, x, y, min_zoom=self.min_zoom, max_zoom=self.native_zoom)
        if not self.covers(z, x, y):
            return empty_tile()
        data = self.store.read(self._name(z, x, y))
        if data is None:
            data = hillshade_png(self.dem, z, x, y)
            if data != empty_tile():
                self.store.write(self._name(z, x, y), data)
        return data

    def kept(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's PNG if it is kept on disk, without shading it."""
        check_tile(z, x, y, min_zoom=self.min_zoom, max_zoom=self.native_zoom)
        return self.store.read(self._name(z, x, y))

    def _name(self, z: int, x: int, y: int) -> Path:
        return self.folder.relative_to(self.store.root) / str(z) / str(x) / f"{y}.png"
