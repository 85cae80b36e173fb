"""Raster layers (the DEM) registered in the database, stored as files.

A raster's pixels live in a GeoTIFF under ``TWIN_HOME`` (path relative to
it); the table keeps its name, CRS, resolution and footprint so that tiles,
hillshade and sampling code can find it.  Rasters are read with rasterio
straight from the file, which is why they are not stored as PostGIS rasters.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from geoalchemy2 import Geometry
from sqlalchemy import DateTime, Float, Integer, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from .config import STORAGE_SRID
from .models import Base

__all__ = ["DEM_NAME", "RasterLayer", "dem_path"]

#: Name of the elevation model in ``base.raster_layer``.
DEM_NAME = "dem"


class RasterLayer(Base):
    """One raster file: ``path`` relative to the twin's home folder."""

    __tablename__ = "raster_layer"
    __table_args__ = {"schema": "base"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    path: Mapped[str] = mapped_column(Text, nullable=False)
    crs: Mapped[str] = mapped_column(Text, nullable=False)
    resolution_m: Mapped[float] = mapped_column(Float, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    bounds = mapped_column(Geometry("POLYGON", srid=STORAGE_SRID, spatial_index=True),
                           nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                 server_default=func.now())


def dem_path(conn, home: Path | str | None) -> Path | None:
    """The elevation model's GeoTIFF registered in ``base.raster_layer``, if its
    file exists; ``conn`` is a Session or a Connection.

    A relative path is relative to the twin's home folder; a database without
    the table (not migrated yet) has no elevation model.
    """
    if home is None:
        return None
    present = conn.execute(text("SELECT to_regclass('base.raster_layer') IS NOT NULL")).scalar()
    if not present:
        return None
    stored = conn.execute(
        text("SELECT path FROM base.raster_layer WHERE name = :n"), {"n": DEM_NAME}
    ).scalar()
    if not stored:
        return None
    path = Path(stored)
    path = path if path.is_absolute() else Path(home) / path
    return path if path.is_file() else None
