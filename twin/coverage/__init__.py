"""Mobile coverage over the DEM: line of sight, path loss, received power, new sites.

The public face of the area: the CLI and the web app use only what is
listed here.
"""

from twin.coverage.gaps import TARGET_PCT, coverage_gaps
from twin.coverage.service import compute, plan, viewshed_file
from twin.coverage.store import TECHNOLOGIES, folder, read_plan, read_summary
from twin.coverage.tiles import (
    RSRP_FILE,
    coverage_png,
    shown_threshold_dbm,
    tile_version,
    tiles_native_zoom,
)

__all__ = [
    "RSRP_FILE",
    "TARGET_PCT",
    "TECHNOLOGIES",
    "compute",
    "coverage_gaps",
    "coverage_png",
    "folder",
    "plan",
    "read_plan",
    "read_summary",
    "shown_threshold_dbm",
    "tile_version",
    "tiles_native_zoom",
    "viewshed_file",
]
