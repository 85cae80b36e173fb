"""QGIS styles inside a GeoPackage (the ``layer_styles`` table QGIS reads)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from layers import feature_type

from .styles import qml

__all__ = ["add_layer_styles"]


def add_layer_styles(gpkg: Path, tables: list[str], *, lang: str = "vi") -> None:
    """Store each table's QGIS style as its default in the GeoPackage's ``layer_styles``.

    QGIS (and GDAL-based tools that know the convention) apply it when the
    layer is opened, so a styled layer travels with its data.
    """
    with sqlite3.connect(gpkg) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), "
            "f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, "
            "useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
            "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))")
        for table in tables:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')
                       if r[1] not in ("fid", "geom")]
            db.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (table,))
            db.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
                "owner) VALUES ('', '', ?, 'geom', ?, ?, '', 1, ?, '')",
                (table, table, qml(feature_type(table), columns, lang),
                 "the twin's map style"))
        _register_extension(db)


def _register_extension(db: sqlite3.Connection) -> None:
    """List ``layer_styles`` as a plain attribute table of the GeoPackage."""
    known = "SELECT 1 FROM gpkg_contents WHERE table_name = 'layer_styles'"
    if db.execute(known).fetchone() is None:
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                   "VALUES ('layer_styles', 'attributes', 'layer_styles')")
