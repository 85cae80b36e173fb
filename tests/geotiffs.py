"""Small GeoTIFFs written for the raster tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from affine import Affine


def write_geotiff(
    path: Path, values: np.ndarray, *, crs: str, transform: Affine, nodata: float = -9999.0
) -> Path:
    """One float32 band of ``values`` (rows, columns) georeferenced by ``crs`` and ``transform``."""
    rows, cols = values.shape
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=cols,
        height=rows,
        count=1,
        dtype="float32",
        crs=crs,
        nodata=nodata,
        transform=transform,
    ) as dst:
        dst.write(values.astype(np.float32), 1)
    return path
