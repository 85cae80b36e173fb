"""Rivers and a digital elevation model consistent with them.

The Thương river is drawn as an approximate course through Bắc Giang city
(south-west of the centre, flowing south-east); the Lục Nam river joins it
for the province scale.  The elevation model rises gently away from the
rivers (about 3 m per km on the plain, from 3 m at the water), with smooth
seeded undulations and, at province scale, the hills of the north-east.
Drainage inverts are taken from this same grid, so they agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from affine import Affine
from rasterio.features import rasterize
from scipy.ndimage import distance_transform_edt, map_coordinates

from .geo import CRS

__all__ = ["Dem", "RIVERS", "make_dem", "rivers", "write_dem"]

#: River courses as offsets (m) from the city centre, upstream first.
RIVERS = {
    "Sông Thương": (
        (-9000, 30000),
        (-5500, 16000),
        (-5200, 6500),
        (-3200, 2600),
        (-1500, 700),
        (-450, -500),
        (900, -1600),
        (2600, -2600),
        (5200, -4300),
        (9000, -9000),
        (16000, -15000),
        (24000, -24000),
    ),
    "Sông Lục Nam": (
        (52000, 26000),
        (38000, 14000),
        (27000, 2000),
        (20000, -9000),
        (16000, -15000),
    ),
}
RIVER_WIDTH_M = {"Sông Thương": 110.0, "Sông Lục Nam": 90.0}
WATER_LEVEL_M = 2.5
PLAIN_SLOPE = 0.003


def rivers(centre, region) -> dict[str, shapely.LineString]:
    """River centre lines (metric) that cross ``region``, clipped to its envelope."""
    out = {}
    frame = region.envelope.buffer(2000)
    for name, offsets in RIVERS.items():
        line = shapely.LineString(np.asarray(offsets, float) + np.asarray(centre))
        part = line.intersection(frame)
        if not part.is_empty:
            out[name] = line
    return out


@dataclass
class Dem:
    """Elevations (m) on a north-up grid in the generator's CRS."""

    z: np.ndarray
    x0: float
    y1: float
    resolution: float

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        rows, cols = self.z.shape
        return (
            self.x0,
            self.y1 - rows * self.resolution,
            self.x0 + cols * self.resolution,
            self.y1,
        )

    def sample(self, xy: np.ndarray) -> np.ndarray:
        """Bilinear elevations at points (n, 2), metres."""
        xy = np.asarray(xy, float).reshape(-1, 2)
        cols = (xy[:, 0] - self.x0) / self.resolution - 0.5
        rows = (self.y1 - xy[:, 1]) / self.resolution - 0.5
        return map_coordinates(self.z, [rows, cols], order=1, mode="nearest")


def _undulation(x, y, rng, amplitude: float) -> np.ndarray:
    z = np.zeros_like(x)
    for _ in range(4):
        wave = rng.uniform(1500, 6000)
        angle = rng.uniform(0, np.pi)
        phase = rng.uniform(0, 2 * np.pi)
        z += np.sin((x * np.cos(angle) + y * np.sin(angle)) * 2 * np.pi / wave + phase)
    return amplitude * z / 4


def make_dem(region, river_lines: dict, centre, resolution: float, rng, *, hills: bool) -> Dem:
    """Elevation grid over ``region`` (with a 500 m margin), metres above sea level."""
    x0, y0, x1, y1 = region.buffer(500).bounds
    x0, y1 = np.floor(x0 / resolution) * resolution, np.ceil(y1 / resolution) * resolution
    cols = int(np.ceil((x1 - x0) / resolution))
    rows = int(np.ceil((y1 - y0) / resolution))
    transform = Affine(resolution, 0.0, x0, 0.0, -resolution, y1)
    water = rasterize(
        [(line.buffer(RIVER_WIDTH_M[name] / 2), 1) for name, line in river_lines.items()],
        out_shape=(rows, cols),
        transform=transform,
        fill=0,
        dtype="uint8",
        all_touched=True,
    )
    dist = distance_transform_edt(water == 0) * resolution if water.any() else None
    xs = x0 + (np.arange(cols) + 0.5) * resolution
    ys = y1 - (np.arange(rows) + 0.5) * resolution
    gx, gy = np.meshgrid(xs, ys)
    if dist is None:
        dist = np.hypot(gx - centre[0], gy - centre[1])
    z = WATER_LEVEL_M + 0.5 + PLAIN_SLOPE * dist
    z += _undulation(gx, gy, rng, 2.0) * np.clip(dist / 800, 0, 1)
    if hills:
        east = np.clip((gx - centre[0] - 15000) / 45000, 0, 1)
        north = np.clip((gy - centre[1] - 5000) / 35000, 0, 1)
        relief = 700 * np.maximum(east, 0.6 * north) ** 1.5
        z += relief * (0.6 + 0.4 * np.abs(_undulation(gx, gy, rng, 1.0)))
    z[water == 1] = WATER_LEVEL_M - 1.5
    return Dem(z.astype(np.float32), float(x0), float(y1), float(resolution))


def write_dem(dem: Dem, path: Path) -> None:
    """Write the grid as a tiled, compressed GeoTIFF in the generator's CRS."""
    import rasterio

    path.parent.mkdir(parents=True, exist_ok=True)
    rows, cols = dem.z.shape
    profile = {
        "driver": "GTiff",
        "height": rows,
        "width": cols,
        "count": 1,
        "dtype": "float32",
        "crs": CRS,
        "transform": Affine(dem.resolution, 0.0, dem.x0, 0.0, -dem.resolution, dem.y1),
        "nodata": -9999.0,
        "compress": "deflate",
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    tmp = path.with_suffix(".tmp.tif")
    with rasterio.open(tmp, "w", **profile) as dst:
        dst.write(dem.z, 1)
    tmp.replace(path)
