"""A GeoTIFF's band resampled onto a web-mercator pixel grid, safe on many threads at once.

Map tiles are drawn on the web server's threads, several at a time.
rasterio's ``reproject`` into a NumPy array wraps the array in an in-memory
dataset that has no geotransform until the line after it is opened, and
silences the ``NotGeoreferencedWarning`` this raises by swapping the
process's warning filters (``warnings.catch_warnings``), which is not
thread-safe: a thread restoring the filters while another is inside that
window lets the warning out (an error, so a 500, where warnings are errors)
and can leave every warning of the process ignored.  A
:class:`~rasterio.vrt.WarpedVRT` is georeferenced from its creation, so
reading through it never opens such a dataset.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT

__all__ = ["band_on_grid"]


def band_on_grid(
    raster: Path,
    bounds_3857: tuple[float, float, float, float],
    size_px: int,
    *,
    resampling: Resampling,
) -> np.ndarray:
    """Band 1 of ``raster`` on a ``size_px`` square grid over ``bounds_3857``.

    ``bounds_3857`` is ``(west, south, east, north)`` in EPSG:3857 metres and
    must be square.  The result is float32, NaN where the raster has no data
    (outside it or at its nodata cells).
    """
    west, _south, east, north = bounds_3857
    cell = (east - west) / size_px
    with (
        rasterio.open(raster) as src,
        WarpedVRT(
            src,
            crs="EPSG:3857",
            transform=Affine(cell, 0.0, west, 0.0, -cell, north),
            width=size_px,
            height=size_px,
            nodata=np.nan,
            dtype="float32",
            resampling=resampling,
        ) as grid,
    ):
        return grid.read(1)
