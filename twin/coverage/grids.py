"""Reading the DEM and writing result grids as GeoTIFF (the file side of coverage).

A :class:`Grid` is plain data (elevations, transform, CRS text) so the
algorithms never see rasterio; only this module opens files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from affine import Affine

from twin.crs import transformer
from twin.errors import InvalidInput, NotFound

__all__ = ["Grid", "read_grid", "write_mask", "write_values"]


@dataclass(frozen=True)
class Grid:
    """A north-up raster: ``z`` (rows, cols), its ``transform`` and ``crs`` (WKT or EPSG)."""

    z: np.ndarray
    transform: Affine
    crs: str

    @property
    def cell_m(self) -> float:
        return abs(self.transform.a)

    def cell_of(self, lon: float, lat: float) -> tuple[int, int]:
        """Row and column holding a WGS 84 point, truncated as GDAL does."""
        x, y = transformer("EPSG:4326", self.crs).transform(lon, lat)
        col, row = ~self.transform @ (x, y)
        rows, cols = self.z.shape
        if not (0 <= row < rows and 0 <= col < cols):
            raise InvalidInput(f"the point {lon}, {lat} lies outside the elevation model")
        return int(row), int(col)

    def window(self, row: int, col: int, radius_m: float) -> tuple[Grid, int, int]:
        """The part within ``radius_m`` of a cell, and that cell's place in it."""
        n = int(np.ceil(radius_m / self.cell_m))
        r0, c0 = max(row - n, 0), max(col - n, 0)
        r1, c1 = min(row + n + 1, self.z.shape[0]), min(col + n + 1, self.z.shape[1])
        part = Grid(self.z[r0:r1, c0:c1], self.transform @ Affine.translation(c0, r0), self.crs)
        return part, row - r0, col - c0


def read_grid(path: Path) -> Grid:
    """The first band of a GeoTIFF in a metric CRS."""
    import rasterio

    if not Path(path).is_file():
        raise NotFound(f"no elevation model at {path}")
    with rasterio.open(path) as src:
        if src.crs is None or not src.crs.is_projected:
            raise InvalidInput(f"{path}: the elevation model needs a projected CRS in metres")
        return Grid(src.read(1).astype(float), src.transform, src.crs.to_wkt())


def _write(path: Path, data: np.ndarray, grid: Grid, dtype: str, nodata) -> None:
    import rasterio

    path.parent.mkdir(parents=True, exist_ok=True)
    rows, cols = data.shape
    with rasterio.open(path, "w", driver="GTiff", height=rows, width=cols, count=1,
                       dtype=dtype, crs=grid.crs, transform=grid.transform, nodata=nodata,
                       compress="deflate") as dst:
        dst.write(data.astype(dtype), 1)


def write_mask(path: Path, seen: np.ndarray, grid: Grid) -> None:
    """A Byte GeoTIFF: 255 where ``seen``, 0 elsewhere (``gdal_viewshed``'s values)."""
    _write(path, np.where(seen, 255, 0), grid, "uint8", None)


def write_values(path: Path, values: np.ndarray, grid: Grid, *, nodata: float = -999.0) -> None:
    """A Float32 GeoTIFF of ``values`` (NaN written as ``nodata``)."""
    _write(path, np.where(np.isfinite(values), values, nodata), grid, "float32", nodata)
