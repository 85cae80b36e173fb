"""Time the server building a map view's uncached tiles, per tile and per layer.

The map page's densest view (the province demo's city centre, Leaflet zoom
15, a 1400×900 window) needs 12 tiles of 512 pixels
(``/map/tiles/14/x/y.mvt?size=512`` with every feature type).  This builds
them the way :func:`webmap.map.tiles.combined_tile` does when they are not in
the tile memory (one statement per tile, JIT off), on one thread, each way
on a connection of its own: *after*, with the detail indexes of migration
0370 and the statement prepared at once with a generic plan; *before*,
without the indexes (dropped in the transaction, then rolled back) and
with psycopg's default (prepared from the fifth run, planned by
PostgreSQL's own choice), alternating so that the shared machine's load
weighs on both alike.  ``--threads N``
also builds the view's tiles on N connections at once, as the web server's
threads do for a browser's parallel requests.  ``--explain`` prints, per
feature type, the time of its part of the densest tile at zooms 13–16.

The province demo is the map benchmark's (``var/bench-province``, loaded
once; ``--home`` to change)::

    .venv/bin/python -m benchmarks.tile_build_bench [--runs 5] [--threads 4] [--explain]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.map_bench import VIEWPORT, VIEWS, prepare  # noqa: E402
from layers import LAYERS  # noqa: E402
from twin.api.tile_style import draw_order  # noqa: E402
from twin.api.tiles import tile_query  # noqa: E402
from twin.models import detail_index_name  # noqa: E402

#: Every feature type, in the order the map's tiles hold them.
TABLES = tuple(draw_order(ft.table for lyr in LAYERS for ft in lyr.feature_types))


def view_tiles(lon: float, lat: float, zoom: int) -> list[tuple[int, int, int]]:
    """The 512-pixel tiles (MapLibre's zoom, Leaflet's minus one) of the window at ``zoom``."""
    z = zoom - 1
    world = 512 * 2**z
    cx = (lon + 180) / 360 * world
    cy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * world
    half_w, half_h = VIEWPORT["width"] / 2, VIEWPORT["height"] / 2
    xs = range(int((cx - half_w) // 512), int((cx + half_w) // 512) + 1)
    ys = range(int((cy - half_h) // 512), int((cy + half_h) // 512) + 1)
    return [(z, x, y) for x in xs for y in ys]


def build(cursor, tables, z: int, x: int, y: int, *, prepare: bool | None = True) -> tuple[float, int]:
    """Seconds and bytes of one uncached tile."""
    started = time.perf_counter()
    query = tile_query(tables, z, x, y, detail=1)
    if query is None:
        return 0.0, 0
    cursor.execute(*query, prepare=prepare)
    data = cursor.fetchone()[0] or b""
    return time.perf_counter() - started, len(data)


def detail_indexes() -> list[str]:
    """The detail indexes' qualified names."""
    return [f"{lyr.schema}.{detail_index_name(ft, d)}"
            for lyr in LAYERS for ft in lyr.feature_types for d in ft.details]


def one_view(conn, tiles, *, after: bool) -> tuple[float, float, int]:
    """Total and slowest seconds and bytes of the view's tiles, after or before."""
    with conn.transaction(force_rollback=True), conn.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        if after:
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        else:
            for name in detail_indexes():
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        prepare = True if after else None
        timings = [build(cursor, TABLES, *tile, prepare=prepare) for tile in tiles]
    return sum(t for t, _ in timings), max(t for t, _ in timings), sum(b for _, b in timings)


def parallel_view(dsn: str, tiles, threads: int) -> float:
    """Seconds to build the view's tiles on ``threads`` connections at once."""
    connections = [psycopg.connect(dsn, autocommit=True) for _ in range(threads)]
    for conn in connections:
        conn.execute("SET jit = off")
        conn.execute("SET plan_cache_mode = force_generic_plan")

    def work(i: int) -> None:
        conn = connections[i % threads]
        with conn.cursor() as cursor:
            for tile in tiles[i::threads]:
                build(cursor, TABLES, *tile)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, range(threads)))
    seconds = time.perf_counter() - started
    for conn in connections:
        conn.close()
    return seconds


def explain(conn, lon: float, lat: float) -> None:
    """Milliseconds per feature type in the densest (centre) tile at zooms 13–16."""
    print("\nper feature type, the centre's 512-px tile (ms, EXPLAIN ANALYZE execution time)")
    zooms = range(13, 17)
    print(f"  {'':24}" + "".join(f"{'z' + str(z):>8}" for z in zooms))
    for table in TABLES:
        row = []
        for zoom in zooms:
            z, x, y = view_tiles(lon, lat, zoom)[len(view_tiles(lon, lat, zoom)) // 2]
            query = tile_query((table,), z, x, y, detail=1)
            if query is None:
                row.append("")
                continue
            with conn.cursor() as cursor:
                cursor.execute("SET jit = off")
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query[0], query[1])
                row.append(f"{cursor.fetchone()[0][0]['Execution Time']:.1f}")
        print(f"  {table:24}" + "".join(f"{cell:>8}" for cell in row))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "bench-province")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--zoom", type=int, default=15, help="Leaflet's zoom of the view")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    url = prepare(args.home, "province")
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    lon, lat = VIEWS["city centre"]
    tiles = view_tiles(lon, lat, args.zoom)
    print(f"city centre, z{args.zoom}: {len(tiles)} tiles of 512 px, {len(TABLES)} feature types")
    results = {True: [], False: []}
    with psycopg.connect(dsn) as conn, psycopg.connect(dsn) as old:
        missing = [n for n in detail_indexes()
                   if conn.execute("SELECT to_regclass(%s)", (n,)).fetchone()[0] is None]
        if missing:
            raise SystemExit(f"indexes missing (migrate to 0370 first): {missing}")
        for _ in range(args.runs):
            results[False].append(one_view(old, tiles, after=False))
            results[True].append(one_view(conn, tiles, after=True))
        if args.explain:
            explain(conn, lon, lat)
    print("\none thread, median of", args.runs, "| whole view | slowest tile | bytes")
    for after, label in ((False, "before"), (True, "after")):
        runs = results[after]
        total = statistics.median(r[0] for r in runs)
        slowest = statistics.median(r[1] for r in runs)
        print(f"  {label:28} {total:7.3f}s {slowest * 1000:9.1f} ms {runs[0][2]:>10,}")
    if args.threads:
        seconds = statistics.median(parallel_view(dsn, tiles, args.threads) for _ in range(args.runs))
        print(f"  after, {args.threads} threads at once   {seconds:7.3f}s (wall)")


if __name__ == "__main__":
    main()
