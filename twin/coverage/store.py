"""The database and file side of coverage: sites, homes and candidates in; results out.

Inputs are read from PostGIS as plain arrays (WGS 84 lon/lat); results are
kept under ``$TWIN_HOME/coverage/<technology>/`` (``summary.json``, the
received-power GeoTIFF, the map overlay PNG and its bounds), so the CLI and
the web app show the same run, as fibre plans are kept.
"""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin import rasters
from twin.errors import InvalidInput, NotFound

__all__ = ["TECHNOLOGIES", "candidates", "cell_sites", "dem_path", "folder", "homes",
           "radio_constants", "read_plan", "read_summary", "save_plan", "save_summary", "villages"]

TECHNOLOGIES = ("all", "4g", "5g")
#: Buildings of at least this many floors are candidate rooftop sites.
TALL_FLOORS = 5


def radio_constants() -> dict[str, float]:
    """Link-budget constants of ``twin/coverage/data/radio.csv`` (key -> value)."""
    path = resources.files("twin.coverage") / "data" / "radio.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: float(row["value"]) for row in csv.DictReader(handle)}


def dem_path(session: Session, home: Path) -> Path:
    """The registered DEM's file (``base.raster_layer``), under ``home``."""
    path = rasters.dem_path(session, home)
    if path is None:
        raise NotFound("no elevation model registered: load the demo or register a DEM")
    return path


def cell_sites(session: Session, technology: str = "all") -> list[dict]:
    """Cell sites in service (of one technology unless ``all``) with lon/lat."""
    rows = session.execute(text(
        "SELECT code, name, technology, band_mhz, area_type, tower_height_m, sectors, "
        "azimuth_deg, tilt_deg, power_w, ST_X(geom) AS lon, ST_Y(geom) AS lat "
        "FROM assets.telecom_cell_site WHERE status = 'in_service' "
        "AND (:t = 'all' OR technology = :t) ORDER BY code"), {"t": technology}).mappings()
    return [dict(r) for r in rows]


def homes(session: Session) -> dict[str, np.ndarray]:
    """Residential buildings: centroid lon/lat, households (at least 1), commune."""
    rows = session.execute(text(
        "SELECT ST_X(c) AS lon, ST_Y(c) AS lat, greatest(coalesce(households, 1), 1) AS hh, "
        "coalesce(commune, '') AS commune FROM (SELECT ST_PointOnSurface(geom) AS c, "
        "households, commune FROM base.base_building WHERE use = 'residential') b")).all()
    return {
        "lon": np.array([r.lon for r in rows], float),
        "lat": np.array([r.lat for r in rows], float),
        "households": np.array([r.hh for r in rows], float),
        "commune": np.array([r.commune for r in rows], dtype=object),
    }


def villages(session: Session) -> list[dict]:
    """Villages with their commune, commune name, households and lon/lat."""
    rows = session.execute(text(
        "SELECT v.code, v.name, coalesce(v.commune, '') AS commune, u.name AS commune_name, "
        "coalesce(v.households, 0) AS households, ST_X(v.geom) AS lon, ST_Y(v.geom) AS lat "
        "FROM base.base_village v LEFT JOIN base.base_admin_unit u ON u.code = v.commune "
        "ORDER BY v.code")).mappings()
    return [dict(r) for r in rows]


def candidates(session: Session) -> list[dict]:
    """Places a new site could go: telecom and power poles, tall buildings (lon/lat, kind)."""
    rows = session.execute(text(
        "SELECT 'pole' AS kind, code, ST_X(geom) AS lon, ST_Y(geom) AS lat "
        "FROM assets.telecom_pole WHERE status = 'in_service' "
        "UNION ALL SELECT 'building', code, ST_X(ST_PointOnSurface(geom)), "
        "ST_Y(ST_PointOnSurface(geom)) FROM base.base_building WHERE floors >= :f"),
        {"f": TALL_FLOORS}).mappings()
    return [dict(r) for r in rows]


def folder(home: Path, technology: str) -> Path:
    """``$TWIN_HOME/coverage/<technology>``, for a known technology only."""
    if technology not in TECHNOLOGIES:
        raise InvalidInput(f"unknown technology {technology!r}: use one of "
                           + ", ".join(TECHNOLOGIES))
    return Path(home) / "coverage" / technology


def _save(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


def _read(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def save_summary(home: Path, technology: str, summary: dict) -> Path:
    return _save(folder(home, technology) / "summary.json", summary)


def read_summary(home: Path, technology: str) -> dict | None:
    """The last saved coverage run of ``technology``, or None."""
    return _read(folder(home, technology) / "summary.json")


def save_plan(home: Path, plan: dict) -> Path:
    return _save(Path(home) / "coverage" / "plan" / "plan.json", plan)


def read_plan(home: Path) -> dict | None:
    """The last saved site plan (``twin coverage plan``), or None."""
    return _read(Path(home) / "coverage" / "plan" / "plan.json")
