"""The coverage map as web-mercator PNG tiles, drawn from the received-power GeoTIFF.

``twin coverage compute`` writes ``rsrp.tif`` (the best received power of
any site per DEM cell); a tile resamples it onto its 256 × 256 pixels
(nearest cell, so a class edge stays where the computation put it) and
colours the cells at or above the weakest technology's threshold by the
classes of :data:`twin.coverage.overlay.CLASSES`.  Tiles are drawn when asked
(a few milliseconds each) and validated by the file's identity.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from rasterio.enums import Resampling

from twin.maps.hillshade import TILE_PX, empty_tile, native_zoom, png_rgba, tile_bounds_3857
from twin.maps.warped import band_on_grid

from .overlay import rgba_classes
from .store import radio_constants

__all__ = [
    "RSRP_FILE",
    "coverage_png",
    "shown_threshold_dbm",
    "tile_version",
    "tiles_native_zoom",
]

#: The received-power GeoTIFF in a coverage folder.
RSRP_FILE = "rsrp.tif"


def coverage_png(rsrp: Path, z: int, x: int, y: int, threshold_dbm: float) -> bytes:
    """Tile z/x/y of the coverage: transparent where no site reaches the threshold."""
    rsrp_dbm = band_on_grid(rsrp, tile_bounds_3857(z, x, y), TILE_PX, resampling=Resampling.nearest)
    rgba = rgba_classes(np.nan_to_num(rsrp_dbm, nan=-np.inf), threshold_dbm)
    return png_rgba(rgba) if rgba[..., 3].any() else empty_tile()


def shown_threshold_dbm() -> float:
    """The weakest received power drawn: the lower of the 4G and 5G thresholds."""
    radio = radio_constants()
    return min(radio["threshold.4g_dbm"], radio["threshold.5g_dbm"])


def tile_version(rsrp: Path) -> str:
    """A tag that changes when a new computation replaces the file (for ETags)."""
    stat = rsrp.stat()
    return hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]


def tiles_native_zoom(rsrp: Path) -> int:
    """The zoom whose pixels are about the file's cells; the map enlarges beyond it."""
    return native_zoom(rsrp)
