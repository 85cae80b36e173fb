"""Import speed: ``twin asset import`` against ``ogr2ogr -f PostgreSQL`` on the same file.

A GeoPackage of 1,000,000 tree points (species, height, trunk diameter,
condition; WGS 84, around Bắc Giang) is written once, then loaded into the
same server by both tools in the same run:

* ``ogr2ogr -f PostgreSQL`` (GDAL's gdal-bin) into a new plain table, with
  its defaults: the table and its GiST index created, then COPY (a primary
  key and the GiST index maintained row by row), a commit every 100,000
  features (``-gt``), no checks;
* the twin's import of the same file into ``trees_tree``: reading, the full
  preflight of every feature (types, allowed values, ranges, geometry,
  inside Vietnam), then one transaction writing the rows (check
  constraints including ``ST_IsValid``, four indexes: key, unique code,
  commune, GiST), each feature's commune and the load recorded in
  ``audit.bulk_load`` (who, when, why, which asset ids).  A clean file of
  points like this one takes the column-by-column path
  (:mod:`twin.io.columnar`).

The scratch database holds the current communes of the demo (the real
districts of Bắc Giang cut into their communes) so the commune lookup does
the work it does in a real twin.

Target: features per second at least those of ogr2ogr, validation included.
The twin's time is split into its phases so the cost of what ogr2ogr does
not do (checks, audit trail) is visible.  On the embedded cluster the CPU
seconds of each side (client process plus database server) are printed too:
on a shared, loaded machine they vary less than the elapsed time.

Run from the repository root (the database is DATABASE_URL, otherwise the
embedded cluster under TWIN_HOME; a scratch database is made on it)::

    .venv/bin/python -m benchmarks.import_bench [--count 1000000] [--repeats 1]

``--repeats N`` loads the file N times with each tool (alternating) and
keeps each one's fastest run.
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

from benchmarks.servers import fresh_database  # noqa: E402
from twin.bulk import copy_features  # noqa: E402
from twin.config import Settings  # noqa: E402
from twin.db.cluster import Cluster  # noqa: E402
from twin.db.engine import database_url  # noqa: E402
from twin.demo.admin import admin_units  # noqa: E402
from twin.demo.geo import to_metric, to_wgs84  # noqa: E402
from twin.demo.scales import CENTRE_LONLAT  # noqa: E402
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
    return fresh_database(url, BENCH_DB)


def load_communes(url: str) -> int:
    """The demo's current communes (seed 1) as admin units; their number."""
    centre = shapely.get_coordinates(to_metric(shapely.Point(*CENTRE_LONLAT)))[0]
    units = admin_units(np.random.default_rng(1), {"213": centre}).current_communes()
    shapes = to_wgs84(np.array([u.geom for u in units], dtype=object))
    rows = [
        {"geom": g, "code": u.code, "name": u.name, "level": u.level, "gso_code": u.gso_code}
        for u, g in zip(units, shapes, strict=True)
    ]
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        copy_features(conn, "base_admin_unit", rows, user="benchmark", history=False)
    engine.dispose()
    return len(rows)


class ServerCpu:
    """CPU seconds used by the embedded cluster (server and its workers), if readable."""

    def __init__(self, settings: Settings):
        pid_file = Cluster(settings.home).data_dir / "postmaster.pid"
        self.pid = None
        if not settings.database_url and pid_file.exists():
            self.pid = int(pid_file.read_text().split()[0])
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float | None:
        if self.pid is None:
            return None
        total = 0
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if entry.name == str(self.pid) or fields[1] == str(self.pid):
                # own and reaped children's user and system time
                total += sum(int(f) for f in fields[11:15])
        return total / self.tick


def _client_cpu(children: bool) -> float:
    import resource

    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_ogr2ogr(url: str, path: Path, server: ServerCpu) -> dict[str, float]:
    u = make_url(url)
    conn = f"PG:host={u.host} port={u.port} dbname={u.database} user={u.username}"
    env = {**os.environ, "PGPASSWORD": u.password or ""}
    cpu, own = server.seconds(), _client_cpu(children=True)
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
    total = time.perf_counter() - started
    return {"total": total, **_cpu_used(server, cpu, own, children=True)}


def _cpu_used(server: ServerCpu, server_before, client_before, *, children) -> dict:
    after = server.seconds()
    used = {"client cpu": _client_cpu(children) - client_before}
    if after is not None:
        used["server cpu"] = after - server_before
    return used


def run_twin(url: str, path: Path, server: ServerCpu) -> dict[str, float]:
    """Seconds of each phase of one twin asset import (committed), the total and CPU."""
    engine = create_engine(url, poolclass=pool.NullPool)
    cpu, own = server.seconds(), _client_cpu(children=False)
    started = time.perf_counter()
    with Session(engine) as session:
        report = import_features(session, "trees:tree", path, user="benchmark")
        mark = time.perf_counter()
        session.commit()
        commit = time.perf_counter() - mark
    total = time.perf_counter() - started
    engine.dispose()
    used = _cpu_used(server, cpu, own, children=False)
    return {**report.timings, "commit": commit, "total": total, **used}


def count(url: str, table: str) -> int:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        n = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    engine.dispose()
    return n


def settle(url: str) -> None:
    """Vacuum and analyse what was loaded, outside the timings, so autovacuum
    does not run (and count) during the next load."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with engine.connect() as conn:
        for table in ("public.ogr_trees", "assets.trees_tree", "audit.bulk_load"):
            if conn.execute(text("SELECT to_regclass(:t)"), {"t": table}).scalar():
                conn.execute(text(f"VACUUM (ANALYZE) {table}"))
    engine.dispose()


def clear(url: str) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE assets.trees_tree, audit.history, audit.bulk_load"))
        conn.execute(text("DROP TABLE IF EXISTS public.ogr_trees"))
    engine.dispose()


def _row(label: str, times: dict, n: int) -> str:
    cpu = ""
    if "server cpu" in times:
        cpu = f"{times['client cpu']:>9.1f} {times['server cpu']:>9.1f}"
    return f"{label:<38} {times['total']:>8.1f} {n / times['total']:>11,.0f} {cpu}"


def report(n: int, ogr: dict, twin: dict, communes: int) -> None:
    print(
        f"\n{'same file, same server':<38} {'seconds':>8} {'features/s':>11} "
        f"{'cpu client':>9} {'server':>9}"
    )
    print(_row("ogr2ogr -f PostgreSQL", ogr, n))
    print("  plain table: key + GiST, no checks, no history, commits every 100,000")
    print(_row("twin asset import", twin, n))
    print(
        "  read, check every feature, then one transaction: key, code, commune,\n"
        f"  GiST, checks, commune of each feature ({communes} communes), load recorded"
    )
    for phase in ("read", "preflight", "write", "commit"):
        print(f"    {phase:<34} {twin[phase]:>8.1f}")
    print(f"\nratio twin / ogr2ogr (features/s): {ogr['total'] / twin['total']:.2f}")
    if "server cpu" in twin:
        cpu = {k: t["client cpu"] + t["server cpu"] for k, t in (("ogr", ogr), ("twin", twin))}
        print(f"ratio of CPU seconds, ogr2ogr / twin:  {cpu['ogr'] / cpu['twin']:.2f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    if not shutil.which("ogr2ogr"):
        sys.exit("ogr2ogr not found: install gdal-bin")
    settings = Settings.from_env()
    url = scratch_database(database_url(settings))
    communes = load_communes(url)
    server = ServerCpu(settings)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trees.gpkg"
        started = time.perf_counter()
        write_points(path, args.count)
        print(f"wrote {args.count:,} points in {time.perf_counter() - started:.1f} s")
        ogr, twin = [], []
        for _ in range(args.repeats):
            clear(url)
            settle(url)
            ogr.append(run_ogr2ogr(url, path, server))
            assert count(url, "public.ogr_trees") == args.count
            settle(url)
            twin.append(run_twin(url, path, server))
            assert count(url, "assets.trees_tree") == args.count
            loaded = "assets.trees_tree t JOIN audit.bulk_load b ON b.asset_ids @> t.id"
            assert count(url, loaded) == args.count
    best_ogr = min(ogr, key=lambda t: t["total"])
    best = min(twin, key=lambda t: t["total"])
    report(args.count, best_ogr, best, communes)


if __name__ == "__main__":
    main()
