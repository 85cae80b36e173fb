"""The ``--from-db`` mode of the zoning benchmark: the whole database round trip.

The synthetic 20,000-zone zoning plan and its general plan are laid over the
demo town, saved into the twin's database (``TWIN_HOME`` / ``DATABASE_URL``)
and checked there as ``twin zoning check`` does: plans and the demo's assets
near them loaded from PostGIS and projected to VN-2000, the checks, and the
findings stored.  Everything happens in one transaction that is rolled back,
so the database is left as it was.  Load the province demo first::

    .venv/bin/twin demo load --scale province
    .venv/bin/python -m benchmarks.zoning_bench --from-db
"""

from __future__ import annotations

import dataclasses
import time

import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twin.config import Settings
from twin.crs import metric_crs_for, transformer
from twin.db.engine import get_engine
from twin.models import model
from twin.zoning.model import Plan
from twin.zoning.service import run_check
from twin.zoning.store import plan_row, save_plan

__all__ = ["run_from_db"]

#: Bắc Giang city centre (WGS 84), where the demo town stands.
TOWN_LONLAT = (106.1946, 21.2731)


def _moved(plan: Plan, dx: float, dy: float) -> Plan:
    def move(items):
        return [
            dataclasses.replace(
                item, geometry=shapely.transform(item.geometry, lambda xy: xy + (dx, dy))
            )
            for item in items
        ]

    return dataclasses.replace(plan, zones=move(plan.zones), red_lines=move(plan.red_lines))


def _asset_count(session: Session) -> int:
    return sum(
        session.scalar(select(func.count()).select_from(model(t))) or 0
        for t in ("water_pipe", "power_line", "trees_tree")
    )


def _print_timings(timings: dict[str, float]) -> dict[str, float]:
    groups = {"load and projection": 0.0, "checks": 0.0, "store": 0.0}
    for label, seconds in timings.items():
        group = (
            "load and projection"
            if label.startswith(("loading", "preparing"))
            else "store"
            if label.startswith("storing")
            else "checks"
        )
        groups[group] += seconds
        print(f"  {label:<46} {seconds:8.2f} s")
    return groups


def run_from_db(zoning: Plan, general: Plan, width_m: float, height_m: float) -> int:
    """Check the plans through the database; 0, or 2 when no demo is loaded."""
    settings = Settings.from_env()
    crs = metric_crs_for(TOWN_LONLAT[0])
    cx, cy = transformer("wgs84", crs).transform(*TOWN_LONLAT)
    dx, dy = cx - width_m / 2, cy - height_m / 2
    with Session(get_engine(settings)) as session:
        assets = _asset_count(session)
        if not assets:
            print("no demo in the database: run '.venv/bin/twin demo load --scale province' first")
            return 2
        print(f"\nfrom the database ({assets:,} pipes, power lines and trees in the twin)")
        start = time.perf_counter()
        general_id = save_plan(session, _moved(general, dx, dy), crs=crs, user="benchmark")
        zoning_id = save_plan(session, _moved(zoning, dx, dy), crs=crs, user="benchmark")
        session.flush()
        print(
            f"{'saving both plans (not part of the check)':<48} {time.perf_counter() - start:8.2f} s"
        )
        start = time.perf_counter()
        outcome = run_check(
            session,
            [plan_row(session, zoning_id)],
            [plan_row(session, general_id)],
            user="benchmark",
        )
        total = time.perf_counter() - start
        groups = _print_timings(outcome.timings)
        session.rollback()
    print(
        f"{'total (load, project, check, store)':<48} {total:8.2f} s  "
        f"(target < 60 s: {'met' if total < 60 else 'MISSED'})"
    )
    for group, seconds in groups.items():
        print(f"  {group:<46} {seconds:8.2f} s  ({seconds / total:.0%})")
    print(f"  ratio to the checks alone (baseline): x{total / max(groups['checks'], 1e-9):.2f}")
    print(f"  assets read near the plans: {outcome.run.asset_count:,}")
    print(f"\n{len(outcome.findings):,} findings")
    for kind, count in outcome.counts.items():
        print(f"  {kind:<28} {count:>8,}")
    return 0
