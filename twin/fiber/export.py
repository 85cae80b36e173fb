"""A plan as files: GeoPackage or GeoJSON for the map, CSV for the tables, JSON summary.

The spatial layers (WGS 84) are ``villages`` (status, covered households,
year connected), ``access_nodes``, ``cabinets`` and ``cables`` (placement,
fibres, phase; a ring's cables name the village in ``redundant_for``).  The
CSV files beside them hold the bill of quantities (whole plan, per phase,
rings), the phase table, the build order and the villages.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from pyproj import CRS
from shapely.geometry import Point, mapping

from twin import people_csv
from twin.crs import STORAGE_CRS, transformer

from .features import PlanFeatures, plan_features
from .plan import FiberPlan
from .quantities import summary

__all__ = ["plan_geojson", "plan_layers", "plan_summary", "write_csv_tables", "write_plan_file"]

_FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}


def _village_rows(plan: FiberPlan) -> list[dict]:
    to_wgs = transformer(CRS.from_user_input(plan.crs), STORAGE_CRS)
    year = plan.rollout.village_year
    rows = []
    for v in plan.design.villages:
        lon, lat = to_wgs.transform(*v.xy)
        rows.append(
            {
                "geom": Point(lon, lat),
                "code": v.code,
                "name": v.name,
                "commune": v.commune,
                "households": v.households,
                "covered_households": v.covered_households,
                "status": v.status,
                "phase": 0 if v.status == "connected" else year.get(v.code),
                "drops": v.drops,
            }
        )
    return rows


def _key_text(key) -> str:
    return "/".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


def plan_layers(plan: FiberPlan, features: PlanFeatures | None = None) -> dict[str, list[dict]]:
    """Rows of each spatial layer (``geom`` in WGS 84, other keys plain values)."""
    f = features or plan_features(plan)
    cables = [
        {
            **{k: v for k, v in r.items() if k not in ("start_key", "end_key", "kinds")},
            "start": _key_text(r["start_key"]),
            "end": _key_text(r["end_key"]),
            "kinds": json.dumps(r["kinds"]),
            "length_m": round(sum(r["kinds"].values()), 1),
        }
        for r in f.cables
    ]
    return {
        "villages": _village_rows(plan),
        "access_nodes": [
            {**{k: v for k, v in r.items() if k != "key"}, "key": _key_text(r["key"])}
            for r in f.access_nodes
        ],
        "cabinets": [
            {**{k: v for k, v in r.items() if k != "key"}, "key": _key_text(r["key"])}
            for r in f.cabinets
        ],
        "cables": cables,
    }


def plan_geojson(plan: FiberPlan, features: PlanFeatures | None = None) -> dict:
    """Every layer in one FeatureCollection; ``layer`` names each feature's layer."""
    out = []
    for layer, rows in plan_layers(plan, features).items():
        for r in rows:
            props = {k: v for k, v in r.items() if k != "geom"}
            out.append(
                {
                    "type": "Feature",
                    "geometry": mapping(r["geom"]),
                    "properties": {"layer": layer, **props},
                }
            )
    return {"type": "FeatureCollection", "features": out}


def _column(values: list):
    if all(v is None or isinstance(v, bool) for v in values) and any(v is not None for v in values):
        return np.array([bool(v) for v in values]), np.array([v is None for v in values])
    if all(v is None or isinstance(v, int) and not isinstance(v, bool) for v in values):
        return (
            np.array([v or 0 for v in values], dtype=np.int64),
            np.array([v is None for v in values]),
        )
    if all(v is None or isinstance(v, float | int) for v in values):
        return np.array([np.nan if v is None else v for v in values], dtype=float), None
    return np.array([None if v is None else str(v) for v in values], dtype=object), None


def write_plan_file(plan: FiberPlan, path: str | Path, features: PlanFeatures | None = None):
    """Write the spatial layers to ``path`` (.gpkg: one layer each; .geojson: one collection)."""
    path = Path(path)
    driver = _FORMATS.get(path.suffix.lower())
    if driver is None:
        from twin.errors import InvalidInput, Problem

        raise InvalidInput(
            "fibre plan export: unknown format",
            [Problem("out", "format", f"{path.name}: use .gpkg or .geojson")],
        )
    if driver == "GeoJSON":
        path.write_text(json.dumps(plan_geojson(plan, features), ensure_ascii=False), "utf-8")
        return path
    path.unlink(missing_ok=True)
    for layer, rows in plan_layers(plan, features).items():
        if not rows:
            continue
        names = [k for k in rows[0] if k != "geom"]
        columns = [_column([r.get(n) for r in rows]) for n in names]
        geoms = [r["geom"] for r in rows]
        pyogrio.raw.write(
            str(path),
            shapely.to_wkb(np.asarray(geoms, dtype=object)),
            [c[0] for c in columns],
            names,
            field_mask=[c[1] for c in columns],
            layer=layer,
            driver=driver,
            geometry_type="Point" if layer != "cables" else "LineString",
            crs=STORAGE_CRS.to_wkt(),
            append=path.exists(),
        )
    return path


def _write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        if rows:
            writer = people_csv.dict_writer(handle, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return path


def write_csv_tables(plan: FiberPlan, folder: str | Path, stem: str) -> dict[str, Path]:
    """The plan's tables as CSV files ``<stem>_<table>.csv`` in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    s = plan_summary(plan)
    tables = {
        "bill": s["bill"],
        "phase_bills": [
            {"year": y, **line} for y, lines in s["phase_bills"].items() for line in lines
        ],
        "phases": s["phases"],
        "order": [
            {**e, "villages": " ".join(e["villages"]), "names": "; ".join(e["names"])}
            for e in s["order"]
        ],
        "villages": [{k: v for k, v in r.items() if k != "geom"} for r in _village_rows(plan)],
        "rings": [{k: v for k, v in r.items()} for r in s["rings"]],
        "ring_bill": s["ring_bill"],
    }
    return {name: _write_csv(folder / f"{stem}_{name}.csv", rows) for name, rows in tables.items()}


def plan_summary(plan: FiberPlan) -> dict:
    """Everything the tables and charts show, JSON-ready (money in VND)."""
    r = plan.rollout
    villages = plan.design.villages
    names = {v.code: v.name for v in villages}
    return {
        "plan_id": plan.plan_id,
        "options": asdict(plan.options),
        "villages": {
            s: sum(v.status == s for v in villages) for s in ("connected", "planned", "unreachable")
        },
        "households": sum(v.households for v in villages),
        "totals": summary(plan.bill),
        "bill": [line.to_dict() for line in plan.bill],
        "phase_bills": {
            str(y): [line.to_dict() for line in lines] for y, lines in plan.phase_bills.items()
        },
        "start": asdict(r.start),
        "phases": [asdict(p) for p in r.phases],
        "order": [
            {
                "order": e.order,
                "names": [names.get(c, c) for c in e.villages],
                "year": e.year,
                "villages": e.villages,
                "households": e.households,
                "cost_vnd": e.cost_vnd,
                "households_per_million_vnd": e.households_per_million_vnd,
                "whole_branch": e.whole_branch,
            }
            for e in r.extensions
        ],
        "targets": {
            "year_all_villages": r.year_all_villages,
            "year_households_target": r.year_households_target,
            "household_target_share": r.household_target_share,
            "budget_per_year_vnd": r.budget_per_year_vnd,
            "budget_needed_vnd": plan.budget_needed_vnd,
        },
        "rings": [
            {
                "village": g.village,
                "households": g.households,
                "feasible": g.feasible,
                "cost_vnd": g.cost_vnd,
                "length_m": g.length_m,
            }
            for g in plan.rings
        ],
        "ring_bill": [line.to_dict() for line in plan.ring_bill],
        "design": plan.design.stats,
        "seconds": plan.seconds,
    }
