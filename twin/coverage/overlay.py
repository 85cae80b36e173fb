"""The coverage map overlay: received power classes as a web-mercator PNG with its bounds."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

from twin.coverage.grids import Grid

__all__ = ["CLASSES", "rgba_classes", "write_overlay"]

#: (lowest RSRP dBm, RGBA) from the strongest class down; weaker cells are transparent.
CLASSES = (
    (-80.0, (0, 104, 55, 170)),
    (-95.0, (49, 163, 84, 150)),
    (-105.0, (120, 198, 121, 140)),
    (-110.0, (194, 230, 153, 130)),
)


def rgba_classes(rsrp: np.ndarray, threshold: float) -> np.ndarray:
    """RGBA of each cell's class; cells below ``threshold`` (dBm) stay transparent."""
    out = np.zeros((*rsrp.shape, 4), np.uint8)
    for lowest, colour in reversed(CLASSES):
        out[(rsrp >= max(lowest, threshold))] = colour
    return out


def write_overlay(folder: Path, rsrp: np.ndarray, grid: Grid, threshold: float) -> dict:
    """Write ``overlay.png`` (EPSG:3857) and ``overlay.json`` (lat/lon bounds); the bounds."""
    from PIL import Image
    from rasterio.warp import Resampling, calculate_default_transform, reproject, transform_bounds

    rows, cols = rsrp.shape
    left, top = grid.transform @ (0, 0)
    right, bottom = grid.transform @ (cols, rows)
    with warnings.catch_warnings():  # rasterio itself still multiplies affines with `*`
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        dst_t, width, height = calculate_default_transform(grid.crs, "EPSG:3857", cols, rows,
                                                           left, bottom, right, top)
    out = np.full((height, width), -np.inf, np.float32)
    reproject(np.nan_to_num(rsrp, neginf=-999).astype(np.float32), out, src_transform=grid.transform,
              src_crs=grid.crs, dst_transform=dst_t, dst_crs="EPSG:3857",
              resampling=Resampling.nearest, src_nodata=-999, dst_nodata=-999)
    Image.fromarray(rgba_classes(out, threshold), "RGBA").save(folder / "overlay.png", optimize=True)
    x0, y1 = dst_t @ (0, 0)
    x1, y0 = dst_t @ (width, height)
    west, south, east, north = transform_bounds("EPSG:3857", "EPSG:4326", x0, y0, x1, y1)
    bounds = {"south": south, "west": west, "north": north, "east": east}
    (folder / "overlay.json").write_text(json.dumps(bounds), encoding="utf-8")
    return bounds
