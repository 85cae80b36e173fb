"""Benchmark of plan reconciliation at 1/2000 zoning scale.

A synthetic zoning plan of 20,000 zones (jittered-grid Voronoi cells, a road
every eighth row and column of cells, some overlaps, gaps, slivers, invalid
zones and unknown codes planted) is checked against a coarse general plan and a
province-scale set of about 1,000,000 assets (pipes, cables, trees, poles).
Target: the whole ``check_plans`` run under 60 s.

Baselines measured in the same run:

* the floor: building one STR tree over every asset geometry and one over the
  zones, which any spatial join must at least do;
* a naive pairwise overlap test of zones (a Python double loop) on a subset,
  against the vectorised check on the same subset.

Run from the repository root::

    .venv/bin/python -m benchmarks.zoning_bench [--zones 20000] [--assets 1000000]

With ``--from-db`` the same plans are laid over the demo town, saved into the
twin's database and checked against the province demo's assets through
PostGIS, load and projection included (see ``benchmarks/zoning_from_db.py``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from twin.zoning.assets import AssetTable  # noqa: E402
from twin.zoning.checks_internal import zone_overlaps  # noqa: E402
from twin.zoning.model import Asset, Plan, RedLine, Zone  # noqa: E402
from twin.zoning.run import check_plans  # noqa: E402

CELL_M = 25.0  # spacing of the zone grid: 20,000 zones cover about 12.5 km²
ROAD_EVERY = 8  # a road every eighth row and column of cells
ZONE_CODES = [
    "ODT",
    "ODT",
    "ODT",
    "ODT",
    "TMD",
    "DKV",
    "DGD",
    "DYT",
    "DVH",
    "SKC",
    "MNC",
    "CLN",
    "CQP",
    "DDT",
]
GENERAL_CODES = ["ODT", "ODT", "ODT", "ODT", "ODT", "ODT", "TMD", "DKV"]
PROVINCE_M = 60_000.0  # the province is 60 km across; the plan sits in its middle
ASSET_MIX = {  # share of the assets: type -> (share, line?)
    "water_pipe": (0.15, True),
    "sewer_pipe": (0.08, True),
    "drain_conduit": (0.08, True),
    "power_cable": (0.06, True),
    "telecom_cable": (0.06, True),
    "tree": (0.35, False),
    "light_pole": (0.15, False),
    "power_pole": (0.07, False),
}
SEGMENT_M = 50.0  # length of one synthetic pipe or cable segment
UTILITY_OFFSETS = [  # street networks: type, offset from the street axis (m), DN (mm), depth (m)
    ("water_pipe", 3.0, 200, 1.0),
    ("sewer_pipe", -3.0, 400, 2.2),
    ("drain_conduit", 5.0, 600, 1.6),
    ("power_cable", -5.5, 100, 0.9),
    ("telecom_cable", 6.8, 50, 0.7),
]
FIBER_ROUTES = 300  # planned fiber routes across the town, some through closed land
KERBSIDE = [("tree", 6.5, 10.0), ("light_pole", 7.0, 30.0), ("tree", 7.5, 40.0)]
DIAMETERS = {
    "water_pipe": (100, 600),
    "sewer_pipe": (200, 800),
    "drain_conduit": (400, 1500),
    "power_cable": (50, 120),
    "telecom_cable": (20, 80),
}


def jittered_cells(rows: int, cols: int, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Voronoi cells of a jittered grid, with each cell's row and column."""
    ii, jj = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    xy = np.column_stack([jj + 0.5, ii + 0.5]) * CELL_M
    xy += rng.uniform(-0.15, 0.15, xy.shape) * CELL_M
    frame = shapely.box(0, 0, cols * CELL_M, rows * CELL_M)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    # voronoi_polygons does not keep the input order: match cells back to their seeds.
    seed_of = shapely.STRtree(shapely.points(xy)).query(cells, predicate="contains")
    order = np.empty(len(cells), dtype=int)
    order[seed_of[1]] = seed_of[0]
    return cells[order], ii, jj


def zoning_plan(rows: int, cols: int, rng) -> Plan:
    cells, ii, jj = jittered_cells(rows, cols, rng)
    road = (ii % ROAD_EVERY == 0) | (jj % ROAD_EVERY == 0)
    codes = np.where(road, "DGT", rng.choice(ZONE_CODES, len(cells))).astype(object)
    n = len(cells)
    planted = rng.choice(np.flatnonzero(~road), 400, replace=False)
    overlaps, gaps, slivers, invalid, unknown = np.split(planted, [100, 200, 300, 310])
    cells[overlaps] = shapely.buffer(cells[overlaps], 3.0, join_style="mitre")
    gaps_kept = shapely.buffer(cells[gaps], -4.0, join_style="mitre")
    cells[gaps] = gaps_kept
    cells[slivers] = shapely.buffer(cells[slivers], -0.6, join_style="mitre")
    cells[invalid] = [
        shapely.Polygon([(x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10)])
        for x, y in shapely.get_coordinates(shapely.centroid(cells[invalid]))
    ]
    codes[unknown] = "XYZ"
    zones = [Zone(f"z{k}", codes[k], cells[k]) for k in range(n)]
    red = []
    for r in range(0, rows, ROAD_EVERY):
        if r % (4 * ROAD_EVERY) == 2 * ROAD_EVERY:
            continue  # a road of the general plan the zoning plan leaves out
        for edge in ((r + 0.5) * CELL_M - 8.0, (r + 0.5) * CELL_M + 8.0):
            red.append(
                RedLine(f"h{r}-{edge:.0f}", shapely.LineString([(0, edge), (cols * CELL_M, edge)]))
            )
    return Plan(
        "ZP-bench", "zoning", "synthetic 1/2000 zoning plan", zones, red_lines=red, status="draft"
    )


def general_plan(rows: int, cols: int, rng) -> Plan:
    width, height = cols * CELL_M, rows * CELL_M
    nx, ny = 20, 10
    cells = [
        shapely.box(i * width / nx, j * height / ny, (i + 1) * width / nx, (j + 1) * height / ny)
        for i in range(nx)
        for j in range(ny)
    ]
    codes = rng.choice(GENERAL_CODES, len(cells))
    red = [
        RedLine(f"g{r}", shapely.LineString([(0, y), (width, y)]))
        for r in range(0, rows, ROAD_EVERY)
        for y in ((r + 0.5) * CELL_M - 8.5,)
    ]
    return Plan(
        "GP-bench",
        "general",
        "synthetic general plan",
        [
            Zone(f"g{k}", code, cell)
            for k, (code, cell) in enumerate(zip(codes, cells, strict=True))
        ],
        red_lines=red,
        status="approved",
    )


def _street_lines(rows: int, cols: int) -> list[tuple[float, float, float, float]]:
    """Centre lines of the planned streets as (x0, y0, x1, y1), metres."""
    width, height = cols * CELL_M, rows * CELL_M
    lines = [
        (0.0, (r + 0.5) * CELL_M, width, (r + 0.5) * CELL_M) for r in range(0, rows, ROAD_EVERY)
    ]
    lines += [
        ((c + 0.5) * CELL_M, 0.0, (c + 0.5) * CELL_M, height) for c in range(0, cols, ROAD_EVERY)
    ]
    return lines


def _frame(line):
    """Unit direction and left normal of a street line."""
    x0, y0, x1, y1 = line
    direction = np.array([x1 - x0, y1 - y0]) / np.hypot(x1 - x0, y1 - y0)
    return direction, np.array([-direction[1], direction[0]])


def _along(line, offset_m: float, step_m: float) -> np.ndarray:
    """Points every ``step_m`` along a street line, shifted sideways by ``offset_m``."""
    direction, normal = _frame(line)
    length = np.hypot(line[2] - line[0], line[3] - line[1])
    t = np.arange(0.0, length, step_m)[:, None]
    return np.asarray(line[:2]) + t * direction + offset_m * normal


def town_columns(rows: int, cols: int, rng) -> dict:
    """Networks laid along the streets at their usual offsets, with kerbside trees and poles.

    Two per cent of the water mains are laid 1 m from the sewer and some trees
    stand beyond today's carriageway, so the checks have real conflicts to find.
    """
    kinds, geoms, diameters, depths = [], [], [], []
    sewer_offset = next(o for k, o, _, _ in UTILITY_OFFSETS if k == "sewer_pipe")
    for line in _street_lines(rows, cols):
        direction, normal = _frame(line)
        for kind, offset, dn, depth in UTILITY_OFFSETS:
            start = _along(line, offset, SEGMENT_M)
            if kind == "water_pipe":
                close = rng.random(len(start)) < 0.02
                too_close = sewer_offset + 1.0 + (dn + 400) / 2000  # 1 m wall to wall
                start[close] += (too_close - offset) * normal
            geoms.extend(
                shapely.linestrings(np.stack([start, start + SEGMENT_M * direction], axis=1))
            )
            kinds += [kind] * len(start)
            diameters += [dn] * len(start)
            depths += list(depth + rng.uniform(-0.2, 0.2, len(start)))
        for kind, offset, step in KERBSIDE:
            for side in (-1, 1):
                points = _along(line, side * (offset + rng.uniform(-0.3, 0.3)), step)
                geoms.extend(shapely.points(points))
                kinds += [kind] * len(points)
                diameters += [np.nan] * len(points)
                depths += [np.nan] * len(points)
    statuses = ["existing"] * len(kinds)
    fiber_start = rng.uniform(0, [cols * CELL_M, rows * CELL_M], (FIBER_ROUTES, 2))
    fiber_end = fiber_start + rng.uniform(-150, 150, (FIBER_ROUTES, 2))
    geoms.extend(shapely.linestrings(np.stack([fiber_start, fiber_end], axis=1)))
    kinds += ["fiber_cable"] * FIBER_ROUTES
    statuses += ["planned"] * FIBER_ROUTES
    diameters += [20.0] * FIBER_ROUTES
    depths += [0.7] * FIBER_ROUTES
    return {
        "feature_types": np.array(kinds, dtype=object),
        "geometries": np.array(geoms),
        "statuses": np.array(statuses, dtype=object),
        "depth_m": np.array(depths, dtype=float),
        "diameter_mm": np.array(diameters, dtype=float),
    }


def province_columns(count: int, centre, rng) -> dict:
    """``count`` assets scattered over the province around the town."""
    types = rng.choice(list(ASSET_MIX), count, p=[share for share, _ in ASSET_MIX.values()])
    xy = np.asarray(centre) + rng.uniform(-PROVINCE_M / 2, PROVINCE_M / 2, (count, 2))
    is_line = np.array([ASSET_MIX[t][1] for t in types])
    angle = rng.uniform(0, np.pi, count)
    length = rng.uniform(20, 100, count)
    end = xy + np.column_stack([np.cos(angle), np.sin(angle)]) * length[:, None]
    geometries = shapely.points(xy)
    geometries[is_line] = shapely.linestrings(np.stack([xy[is_line], end[is_line]], axis=1))
    diameter = np.full(count, np.nan)
    for kind, (low, high) in DIAMETERS.items():
        chosen = types == kind
        diameter[chosen] = rng.integers(low // 10, high // 10 + 1, chosen.sum()) * 10
    statuses = np.where(
        (types == "telecom_cable") & (rng.random(count) < 0.15), "planned", "existing"
    )
    return {
        "feature_types": types.astype(object),
        "geometries": geometries,
        "statuses": statuses.astype(object),
        "depth_m": np.where(is_line, rng.uniform(0.7, 2.5, count), np.nan),
        "diameter_mm": diameter,
    }


def asset_columns(count: int, rows: int, cols: int, rng) -> dict:
    """About ``count`` assets: the town's street networks plus the rest of the province."""
    town = town_columns(rows, cols, rng)
    centre = (cols * CELL_M / 2, rows * CELL_M / 2)
    rest = province_columns(max(count - len(town["geometries"]), 0), centre, rng)
    columns = {key: np.concatenate([town[key], rest[key]]) for key in town}
    columns["codes"] = np.array([f"A{k}" for k in range(len(columns["geometries"]))], dtype=object)
    return columns


def existing_roads(rows: int, cols: int) -> list:
    """Today's carriageways: 12 m wide where the plan reserves 16 m between red lines."""
    return [
        shapely.buffer(shapely.LineString([(x0, y0), (x1, y1)]), 6.0, cap_style="flat")
        for x0, y0, x1, y1 in _street_lines(rows, cols)
    ]


def as_records(columns: dict) -> list[Asset]:
    return [
        Asset(
            code,
            kind,
            geom,
            status=status,
            depth_m=None if np.isnan(depth) else depth,
            diameter_mm=None if np.isnan(dn) else dn,
        )
        for code, kind, geom, status, depth, dn in zip(
            columns["codes"],
            columns["feature_types"],
            columns["geometries"],
            columns["statuses"],
            columns["depth_m"],
            columns["diameter_mm"],
            strict=True,
        )
    ]


def naive_overlaps(zones: list[Zone]) -> int:
    """The O(n²) baseline: every pair of zones tested in Python."""
    found = 0
    for i, a in enumerate(zones):
        for b in zones[i + 1 :]:
            if (
                a.geometry.is_valid
                and b.geometry.is_valid
                and a.geometry.intersects(b.geometry)
                and a.geometry.intersection(b.geometry).area >= 1.0
            ):
                found += 1
    return found


def timed(label: str, function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {elapsed:8.2f} s")
    return result, elapsed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=20_000)
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--naive", type=int, default=1_500, help="zones in the naive baseline")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--from-db", action="store_true", help="check against the demo loaded in the database"
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    cols = int(round(np.sqrt(args.zones * 2)))
    rows = args.zones // cols
    if args.from_db:
        from benchmarks.zoning_from_db import run_from_db

        print(f"synthesising {rows * cols:,} zones")
        zoning, _ = timed("zoning plan", zoning_plan, rows, cols, rng)
        general, _ = timed("general plan", general_plan, rows, cols, rng)
        raise SystemExit(run_from_db(zoning, general, cols * CELL_M, rows * CELL_M))

    print(f"synthesising {rows * cols:,} zones and {args.assets:,} assets")
    zoning, _ = timed("zoning plan", zoning_plan, rows, cols, rng)
    general, _ = timed("general plan", general_plan, rows, cols, rng)
    columns, _ = timed("asset columns", asset_columns, args.assets, rows, cols, rng)
    roads = existing_roads(rows, cols)
    records, _ = timed("asset records", as_records, columns)

    print("\nbaselines")
    _, floor = timed(
        "floor: STR trees over assets and zones",
        lambda: (
            shapely.STRtree(columns["geometries"]),
            shapely.STRtree([z.geometry for z in zoning.zones]),
        ),
    )
    subset = Plan("sub", "zoning", "subset", zoning.zones[: args.naive])
    naive_count, naive = timed(
        f"naive pairwise overlaps, {args.naive} zones", naive_overlaps, subset.zones
    )
    fast, fast_time = timed(f"vectorised overlaps, {args.naive} zones", zone_overlaps, subset)
    print(
        f"  pairs found: {naive_count} naive (valid zones only), {len(fast)} vectorised; "
        f"speed-up x{naive / max(fast_time, 1e-9):,.0f}"
    )

    print("\ncheck_plans (records in, findings out)")
    steps = []
    start = time.perf_counter()
    findings = check_plans(
        [zoning],
        against=[general],
        assets=records,
        existing_roads=roads,
        progress=lambda message: steps.append((time.perf_counter(), message)),
    )
    total = time.perf_counter() - start
    steps.append((start + total, "end"))
    for (at, message), (following, _) in zip(steps, steps[1:], strict=False):
        print(f"  {message:<46} {following - at:8.2f} s")
    print(f"{'total':<48} {total:8.2f} s  (target < 60 s: {'met' if total < 60 else 'MISSED'})")
    print(f"  ratio to the floor: x{total / floor:.1f}")

    table, convert = timed(
        "\ncolumns in (AssetTable.from_columns)", AssetTable.from_columns, **columns
    )
    _, columnar = timed(
        "check_plans on the columnar table",
        check_plans,
        [zoning],
        against=[general],
        assets=table,
        existing_roads=roads,
    )
    print(f"  record conversion share of the run: {(total - columnar) / total:.0%}")

    print(f"\n{len(findings):,} findings")
    for kind, count in sorted(Counter(f.kind for f in findings).items()):
        print(f"  {kind:<28} {count:>8,}")


if __name__ == "__main__":
    main()
