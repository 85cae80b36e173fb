"""Where finished plans are kept: ``$TWIN_HOME/fiber/<plan id>/``.

Each plan folder holds the JSON summary, the GeoJSON the plan page draws,
the GeoPackage and the CSV tables, so the CLI and the web app show and serve
the same runs.  A new run of a plan id replaces its folder's files.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from twin.errors import InvalidInput, NotFound, Problem
from twin.people_csv import restored

from .export import plan_geojson, plan_summary, write_csv_tables, write_plan_file
from .features import PlanFeatures
from .plan import FiberPlan

__all__ = [
    "DOWNLOADS",
    "check_plan_id",
    "plan_folder",
    "plans",
    "read_summary",
    "read_villages",
    "save_plan",
]

_PLAN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
#: Downloadable files of a plan: name -> (file name pattern, mimetype).
DOWNLOADS = {
    "gpkg": ("{id}.gpkg", "application/geopackage+sqlite3"),
    "geojson": ("{id}.geojson", "application/geo+json"),
    "bill.csv": ("{id}_bill.csv", "text/csv"),
    "phases.csv": ("{id}_phases.csv", "text/csv"),
    "order.csv": ("{id}_order.csv", "text/csv"),
    "villages.csv": ("{id}_villages.csv", "text/csv"),
    "phase_bills.csv": ("{id}_phase_bills.csv", "text/csv"),
    "rings.csv": ("{id}_rings.csv", "text/csv"),
    "ring_bill.csv": ("{id}_ring_bill.csv", "text/csv"),
}


def check_plan_id(plan_id: str) -> str:
    """``plan_id`` if it is a safe name (letters, digits, ``_ . -``; up to 64)."""
    if not isinstance(plan_id, str) or not _PLAN_ID.match(plan_id):
        raise InvalidInput(
            "fibre plan id",
            [
                Problem(
                    "plan_id",
                    "pattern",
                    f"{plan_id!r}: letters, digits, '_', '.', '-' (64 at most)",
                )
            ],
        )
    return plan_id


def plan_folder(home: str | Path, plan_id: str) -> Path:
    return Path(home) / "fiber" / check_plan_id(plan_id)


def plan_file(home: str | Path, plan_id: str, name: str) -> tuple[Path, str]:
    """The saved file ``name`` (a key of :data:`DOWNLOADS`) of a plan, and its media type."""
    if name not in DOWNLOADS:
        raise NotFound(f"fibre plan {plan_id}: no file {name!r}")
    pattern, mimetype = DOWNLOADS[name]
    path = plan_folder(home, plan_id) / pattern.format(id=plan_id)
    if not path.is_file():
        raise NotFound(f"fibre plan {plan_id!r} has no {name} file")
    return path, mimetype


def save_plan(home: str | Path, plan: FiberPlan, features: PlanFeatures | None = None) -> Path:
    """Write the plan's summary and files into its folder; the folder."""
    folder = plan_folder(home, plan.plan_id)
    folder.mkdir(parents=True, exist_ok=True)
    pid = plan.plan_id
    (folder / "summary.json").write_text(
        json.dumps(plan_summary(plan), ensure_ascii=False), "utf-8"
    )
    (folder / f"{pid}.geojson").write_text(
        json.dumps(plan_geojson(plan, features), ensure_ascii=False), "utf-8"
    )
    write_plan_file(plan, folder / f"{pid}.gpkg", features)
    write_csv_tables(plan, folder, pid)
    return folder


def plans(home: str | Path) -> list[dict]:
    """Saved plans, newest first: id, when saved (ISO), total cost."""
    root = Path(home) / "fiber"
    found = []
    for summary in root.glob("*/summary.json") if root.is_dir() else []:
        data = json.loads(summary.read_text("utf-8"))
        found.append(
            {
                "plan_id": data["plan_id"],
                "saved": summary.stat().st_mtime,
                "total_cost_vnd": data["totals"]["total_cost_vnd"],
            }
        )
    return sorted(found, key=lambda p: -p["saved"])


def read_summary(home: str | Path, plan_id: str) -> dict:
    path = plan_folder(home, plan_id) / "summary.json"
    if not path.is_file():
        raise NotFound(f"fibre plan {plan_id!r} has not been run")
    return json.loads(path.read_text("utf-8"))


def read_villages(home: str | Path, plan_id: str) -> list[dict]:
    """The plan's villages table: code, commune (None if blank), households as ints, status.

    The table is written for people (:mod:`twin.people_csv`): its text cells are restored.
    """
    path = plan_folder(home, plan_id) / f"{plan_id}_villages.csv"
    if not path.is_file():
        raise NotFound(f"fibre plan {plan_id!r} has no villages table")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [{k: restored(v) for k, v in row.items()} for row in csv.DictReader(handle)]
    return [
        {
            **row,
            "commune": row["commune"] or None,
            "households": int(row["households"]),
            "covered_households": int(row["covered_households"]),
        }
        for row in rows
    ]
