"""Import speed: ``twin import`` against ``ogr2ogr -f PostgreSQL`` on the same file.

A GeoPackage of 1,000,000 tree points (species, height, trunk diameter,
condition; WGS 84, around Bắc Giang) is written once, then loaded into the
same server by both tools in the same run:

* ``ogr2ogr -f PostgreSQL`` (GDAL's gdal-bin) into a new plain table, with
  its defaults (COPY, a primary key and a GiST index);
* the twin's import of the same file into ``trees_tree``: reading, the full
  preflight of every feature (types, allowed values, ranges, geometry,
  inside Vietnam), then one transaction writing the rows (check
  constraints, five indexes), one ``import`` history entry per feature and
  the commune join.

Target: features per second at least those of ogr2ogr, validation included.
The twin's time is split into its phases so the cost of what ogr2ogr does
not do (checks, audit trail) is visible.

Run from the repository root (the database is DATABASE_URL, otherwise the
embedded cluster under TWIN_HOME; a scratch database is made on it)::

    .venv/bin/python -m benchmarks.import_bench [--count 1000000] [--repeats 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from twin.config import Settings  # noqa: E402
from twin.db import migrate  # noqa: E402
from twin.db.engine import database_url  # noqa: E402
from twin.io.importer import import_features  # noqa: E402

BENCH_DB = "twin_import_bench"
SPECIES = [
    "Dracontomelon duperreanum",
    "Lagerstroemia speciosa",
    "Delonix regia",
    "Khaya senegalensis",
    "Cinnamomum camphora",
    "Cassia fistula",
]
CONDITIONS = ["good", "fair", "poor", "dead"]


def write_points(path: Path, count: int, seed: int = 1) -> None:
    """A GeoPackage of ``count`` valid tree points in Bắc Giang city."""
    rng = np.random.default_rng(seed)
    points = shapely.points(rng.uniform(106.15, 106.25, count), rng.uniform(21.24, 21.32, count))
    fields = [
        np.array(SPECIES, dtype=object)[rng.integers(0, len(SPECIES), count)],
        rng.uniform(2, 25, count).round(1),
        rng.uniform(5, 120, count).round(1),
        np.array(CONDITIONS, dtype=object)[rng.integers(0, len(CONDITIONS), count)],
    ]
    pyogrio.raw.write(
        path,
        shapely.to_wkb(points),
        fields,
        ["species_scientific", "height_m", "trunk_diameter_cm", "condition"],
        layer="trees",
        driver="GPKG",
        geometry_type="Point",
        crs="EPSG:4326",
        dataset_options={"VERSION": "1.2"},
    )


def scratch_database(url: str) -> str:
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    admin.dispose()
    bench = make_url(url).set(database=BENCH_DB).render_as_string(hide_password=False)
    migrate.upgrade(bench)
    return bench


def run_ogr2ogr(url: str, path: Path) -> float:
    u = make_url(url)
    conn = f"PG:host={u.host} port={u.port} dbname={u.database} user={u.username}"
    env = {**os.environ, "PGPASSWORD": u.password or ""}
    started = time.perf_counter()
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            conn,
            str(path),
            "-nln",
            "public.ogr_trees",
            "-overwrite",
            "-lco",
            "GEOMETRY_NAME=geom",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    return time.perf_counter() - started


def run_twin(url: str, path: Path) -> dict[str, float]:
    """Seconds of each phase of one twin import (committed), and the total."""
    engine = create_engine(url, poolclass=pool.NullPool)
    started = time.perf_counter()
    with Session(engine) as session:
        report = import_features(session, "trees:tree", path, user="benchmark")
        mark = time.perf_counter()
        session.commit()
        commit = time.perf_counter() - mark
    times = {**report.timings, "commit": commit, "total": time.perf_counter() - started}
    engine.dispose()
    return times


def count(url: str, table: str) -> int:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        n = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    engine.dispose()
    return n


def clear(url: str) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE assets.trees_tree, audit.history"))
        conn.execute(text("DROP TABLE IF EXISTS public.ogr_trees"))
    engine.dispose()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    if not shutil.which("ogr2ogr"):
        sys.exit("ogr2ogr not found: install gdal-bin")
    url = scratch_database(database_url(Settings.from_env()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trees.gpkg"
        started = time.perf_counter()
        write_points(path, args.count)
        print(f"wrote {args.count:,} points in {time.perf_counter() - started:.1f} s")
        ogr, twin = [], []
        for _ in range(args.repeats):
            clear(url)
            ogr.append(run_ogr2ogr(url, path))
            assert count(url, "public.ogr_trees") == args.count
            twin.append(run_twin(url, path))
            assert count(url, "assets.trees_tree") == args.count
            assert count(url, "audit.history") == args.count
    best_ogr = min(ogr)
    best = min(twin, key=lambda t: t["total"])
    print(f"\n{'tool':<34} {'seconds':>8} {'features/s':>12}")
    print(f"{'ogr2ogr -f PostgreSQL':<34} {best_ogr:>8.1f} {args.count / best_ogr:>12,.0f}")
    print(
        f"{'twin import (checked, audited)':<34} {best['total']:>8.1f} "
        f"{args.count / best['total']:>12,.0f}"
    )
    for phase in ("read", "preflight", "write", "commit"):
        print(f"  {phase:<32} {best[phase]:>8.1f}")
    print(f"\nratio twin / ogr2ogr (features/s): {best_ogr / best['total']:.2f}")


if __name__ == "__main__":
    main()
