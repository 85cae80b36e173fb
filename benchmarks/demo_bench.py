"""Benchmark of the demo load and of bulk COPY.

Run from the repository root::

    .venv/bin/python -m benchmarks.demo_bench                     # small and city
    .venv/bin/python -m benchmarks.demo_bench --scales small,city,province
    .venv/bin/python -m benchmarks.demo_bench --rows 200000       # bulk part only bigger

Everything runs against an embedded PostGIS in a temporary folder (or
``DATABASE_URL``); every scale is loaded into a fresh database of its own.

1. *Bulk COPY*: ``--rows`` water junctions (points) written with
   :func:`twin.bulk.copy_features`, without and with the load recorded, against
   the baseline of one INSERT per row (executemany through SQLAlchemy, the
   ORM-free way a straightforward importer writes), same session, rows/s.
2. *Demo load* per scale: seconds to generate, to COPY (loads recorded),
   to build the connectivity report, in total; features loaded per second.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import create_engine, insert, pool, text

from twin.bulk import copy_features
from twin.db import migrate
from twin.models import model

from .servers import database_server, fresh_database

POINT_SAMPLE = (106.15, 21.22, 106.25, 21.32)


def _points(n: int, rng) -> list[dict]:
    x0, y0, x1, y1 = POINT_SAMPLE
    xy = rng.uniform((x0, y0), (x1, y1), size=(n, 2))
    order = np.lexsort((np.round(xy[:, 1], 3), np.round(xy[:, 0], 3)))
    return [{"geom": g, "elevation_m": 5.0} for g in shapely.points(xy[order])]


def bench_bulk(url: str, rows: int) -> None:
    rng = np.random.default_rng(1)
    engine = create_engine(url, poolclass=pool.NullPool)
    data = _points(rows, rng)
    figures = {}
    for label, history in (("copy", False), ("copy + load record", True)):
        with engine.begin() as conn:
            t = time.perf_counter()
            copy_features(conn, "water_junction", data, user="bench", history=history)
            figures[label] = rows / (time.perf_counter() - t)
            conn.rollback()
    base_n = min(rows, 20_000)
    junction = model("water_junction").__table__
    base_rows = [
        {"id": 10_000_000 + i, "code": f"BENCH-{i}", "elevation_m": 5.0, "geom": d["geom"].wkt}
        for i, d in enumerate(data[:base_n])
    ]
    stmt = insert(junction).values(geom=text("ST_GeomFromText(:geom, 4326)"))
    with engine.begin() as conn:
        t = time.perf_counter()
        conn.execute(stmt, base_rows)
        figures["baseline insert"] = base_n / (time.perf_counter() - t)
        conn.rollback()
    engine.dispose()
    base = figures["baseline insert"]
    print(f"bulk write of {rows} points (baseline on {base_n} rows)")
    for label, rate in figures.items():
        print(f"  {label:<16} {rate:>10,.0f} rows/s   x{rate / base:5.1f} vs baseline")


def bench_scales(url: str, scales: list[str], home: Path) -> None:
    from twin.demo.load import load

    print(
        f"{'scale':<9} {'features':>10} {'generate s':>11} {'copy s':>8} {'report s':>9} "
        f"{'total s':>8} {'features/s':>11}"
    )
    for scale in scales:
        db = fresh_database(url, f"bench_demo_{scale}")
        result = load(
            db,
            scale=scale,
            seed=1,
            home=home / scale,
            echo=lambda m: None,
            progress=scale == "province",
        )
        s = result.seconds
        print(
            f"{scale:<9} {result.total:>10,} {s['generate']:>11.1f} {s['copy']:>8.1f} "
            f"{s['report']:>9.1f} {s['total']:>8.1f} {result.total / s['total']:>11,.0f}"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="small,city")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, database_server(Path(tmp)) as url:
        migrate.upgrade(url)
        bench_bulk(url, args.rows)
        bench_scales(url, [s for s in args.scales.split(",") if s], Path(tmp))


if __name__ == "__main__":
    main()
