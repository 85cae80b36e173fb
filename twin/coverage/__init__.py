"""Mobile coverage over the DEM: line of sight, path loss, received power, new sites.

The public face of the area: the CLI and the web app use only what is
listed here.
"""

from twin.coverage.service import viewshed_file

__all__ = ["viewshed_file"]
