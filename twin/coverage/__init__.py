"""Mobile coverage over the DEM: line of sight, path loss, received power, new sites.

The public face of the area: the CLI and the web app use only what is
listed here.
"""

from twin.coverage.service import compute, viewshed_file
from twin.coverage.store import TECHNOLOGIES, folder, read_summary

__all__ = ["TECHNOLOGIES", "compute", "folder", "read_summary", "viewshed_file"]
