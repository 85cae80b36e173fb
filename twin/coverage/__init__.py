"""Mobile coverage over the DEM: line of sight, path loss, received power, new sites.

The public face of the area: the CLI and the web app use only what is
listed here.
"""

from twin.coverage.gaps import TARGET_PCT, coverage_gaps
from twin.coverage.service import compute, plan, viewshed_file
from twin.coverage.store import TECHNOLOGIES, folder, read_plan, read_summary

__all__ = ["TARGET_PCT", "TECHNOLOGIES", "coverage_gaps", "compute", "folder", "plan", "read_plan", "read_summary", "viewshed_file"]
