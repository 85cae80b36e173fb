"""Use cases of the QGIS area: a project for this twin, styles for a GeoPackage."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.config import Settings
from twin.rasters import DEM_NAME

from .project import Dem, ProjectOptions, project_qgz

__all__ = ["DEM_NAME", "options_for", "project_bytes"]


def options_for(session: Session, settings: Settings, **overrides) -> ProjectOptions:
    """Project options of this twin: its DEM (if registered), extent and snap tolerance."""
    row = session.execute(text("SELECT path FROM base.raster_layer WHERE name = :n"),
                          {"n": DEM_NAME}).first()
    dem = None
    if row is not None:
        path = Path(row.path)
        dem = Dem(DEM_NAME, str(path if path.is_absolute() else Path(settings.home) / path))
    box = session.execute(text(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
        "(SELECT ST_Extent(geom) AS e FROM base.base_admin_unit) s")).first()
    extent = tuple(box) if box is not None and box[0] is not None else None
    opts = ProjectOptions(dem=dem, extent=extent, snap_tolerance_m=settings.snap_tolerance_m)
    return replace(opts, **overrides)


def project_bytes(session: Session, settings: Settings, **overrides) -> bytes:
    """The ``.qgz`` of this twin (see :func:`options_for` for ``overrides``)."""
    return project_qgz(options_for(session, settings, **overrides))
