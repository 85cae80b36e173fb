"""Benchmark of the feature API on a province-scale twin.

(a) Vector tiles: latency percentiles of ``/tiles/{layer}/{z}/{x}/{y}.mvt``
    over a fixed set of z12–z16 tiles around the data, against the bare
    ``ST_AsMVT`` SQL of the same tiles run directly with psycopg in the same
    run.  Target: the HTTP path adds less than 20 %.
(b) Items: features per second for ``/items?bbox=…&limit=…`` page requests,
    side by side with pygeoapi's PostgreSQL provider serving the same table
    in the same run.  Target: at least 3× pygeoapi.

Data: the twin's database if it holds features; otherwise the province demo
(``twin demo``) is loaded into it; without the demo generator, a synthetic
database of its own is filled with 1,000,000 tree points and 100,000 power
lines.  Both servers run as separate processes under waitress with the same
number of threads; the client is sequential with keep-alive.  pygeoapi is a
benchmark-only dependency (``pip install pygeoapi psycopg2-binary``).

Run from the repository root::

    .venv/bin/python -m benchmarks.api_bench [--source auto|demo|synthetic] [--repeats 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers import layer  # noqa: E402
from twin.api.tiles import tile_sql  # noqa: E402
from twin.config import Settings  # noqa: E402
from twin.db import migrate  # noqa: E402
from twin.db.engine import database_url, session_scope  # noqa: E402
from twin.plugins import load_optional  # noqa: E402

THREADS = 4
TILE_LAYERS = ("trees", "power")
SYNTHETIC_DB = "twin_bench_synthetic"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def asset_count(url: str) -> int:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM assets.trees_tree")).scalar_one()
    engine.dispose()
    return n


def fill_synthetic(url: str) -> None:
    """1,000,000 tree points and 100,000 two-vertex power lines around Bắc Giang."""
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        print("filling the synthetic twin (1,000,000 trees, 100,000 power lines) ...", flush=True)
        conn.execute(
            text(
                "INSERT INTO assets.trees_tree (id, code, species_scientific, height_m, condition, geom) "
                "SELECT nextval('assets.asset_id_seq'), 'TRE-TREE-S' || lpad(g::text, 7, '0'), "
                "'Species ' || (g % 50), (g % 30)::float, (ARRAY['good','fair','poor','dead'])[1 + g % 4], "
                "ST_SetSRID(ST_MakePoint(105.95 + random() * 0.5, 21.05 + random() * 0.45), 4326) "
                "FROM generate_series(1, 1000000) g"
            )
        )
        conn.execute(
            text(
                "INSERT INTO assets.power_line (id, code, voltage_kv, geom) "
                "SELECT nextval('assets.asset_id_seq'), 'PWR-LINE-S' || lpad(g::text, 7, '0'), "
                "(ARRAY[0.4, 22, 35, 110])[1 + g % 4], ST_MakeLine(p, ST_Translate(p, "
                "(random() - 0.5) * 0.004, (random() - 0.5) * 0.004)) "
                "FROM (SELECT g, ST_SetSRID(ST_MakePoint(105.95 + random() * 0.5, "
                "21.05 + random() * 0.45), 4326) AS p FROM generate_series(1, 100000) g) s"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE assets.trees_tree"))
        conn.execute(text("VACUUM ANALYZE assets.power_line"))
    engine.dispose()


def prepare(settings: Settings, source: str) -> tuple[str, str]:
    """The database URL to benchmark and a sentence saying what is in it."""
    url = database_url(settings)
    migrate.upgrade(url)
    demo = load_optional("twin.demo.load")
    if source in ("auto", "demo") and asset_count(url):
        return url, f"the twin's own database ({asset_count(url):,} trees)"
    if source == "demo" or (source == "auto" and demo is not None):
        if demo is None:
            raise SystemExit("the demo generator (twin.demo) is not part of this build")
        demo.load_if_empty(url, scale="province", seed=1, echo=print)
        return url, f"the province demo ({asset_count(url):,} trees)"
    base = make_url(url)
    own = base.set(database=SYNTHETIC_DB).render_as_string(hide_password=False)
    server = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with server.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": SYNTHETIC_DB}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{SYNTHETIC_DB}"'))
    server.dispose()
    migrate.upgrade(own)
    if asset_count(own) < 1_000_000:
        fill_synthetic(own)
    return own, f"a synthetic twin in database {SYNTHETIC_DB} ({asset_count(own):,} tree points)"


def bench_token(url: str) -> str:
    from twin.auth import users

    engine = create_engine(url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        try:
            users.get_user(session, "benchmark")
        except Exception:
            users.add_user(session, "benchmark", "admin")
        token = users.issue_token(session, "benchmark", label="api benchmark")
    engine.dispose()
    return token


def wait_for(port: int, path: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not answer {path}")


def start_ours(url: str, settings: Settings) -> tuple[subprocess.Popen, int]:
    port = free_port()
    code = (
        "from twin.config import Settings; from webmap.serve import serve; "
        f"serve(Settings.from_env(), host='127.0.0.1', port={port}, threads={THREADS})"
    )
    env = {**os.environ, "DATABASE_URL": url, "TWIN_HOME": str(settings.home)}
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, "/conformance", proc)
    return proc, port


def start_pygeoapi(url: str, folder: Path) -> tuple[subprocess.Popen, int] | None:
    try:
        import pygeoapi  # noqa: F401
    except ImportError:
        print("pygeoapi is not installed: pip install pygeoapi psycopg2-binary")
        return None
    port = free_port()
    db = make_url(url)
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {
                "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                "attribution": "OpenStreetMap",
            },
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "keywords_type": "theme",
                "terms_of_service": "none",
                "url": "http://127.0.0.1",
            },
            "license": {"name": "GPL-3.0-or-later", "url": "http://127.0.0.1"},
            "provider": {"name": "twin", "url": "http://127.0.0.1"},
            "contact": {"name": "twin", "email": "twin@localhost"},
        },
        "resources": {
            "trees": {
                "type": "collection",
                "title": "trees",
                "description": "trees",
                "keywords": ["trees"],
                "extents": {
                    "spatial": {
                        "bbox": [102, 6, 118, 24],
                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                    }
                },
                "providers": [
                    {
                        "type": "feature",
                        "name": "PostgreSQL",
                        "id_field": "id",
                        "table": "trees_tree",
                        "geom_field": "geom",
                        "data": {
                            "host": db.host,
                            "port": db.port,
                            "dbname": db.database,
                            "user": db.username,
                            "password": db.password,
                            "search_path": ["assets", "public"],
                        },
                    }
                ],
            }
        },
    }
    cfg, api = folder / "pygeoapi.yml", folder / "openapi.yml"
    cfg.write_text(json.dumps(config))  # JSON is YAML
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(api)}
    subprocess.run(
        [bin_dir / "pygeoapi", "openapi", "generate", str(cfg), "--output-file", str(api)],
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            bin_dir / "waitress-serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threads",
            str(THREADS),
            "pygeoapi.flask_app:APP",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, "/collections/trees", proc)
    return proc, port


def extent(url: str) -> tuple[float, float, float, float]:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                "(SELECT ST_EstimatedExtent('assets', 'trees_tree', 'geom')"
                "::geometry AS e) x"
            )
        ).first()
    engine.dispose()
    return tuple(float(v) for v in row)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    y = (1 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def tile_set(box) -> list[tuple[str, int, int, int]]:
    """3×3 tiles around the data's centre at each zoom 12..16, for each layer."""
    lon, lat = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    tiles = []
    for z in range(12, 17):
        cx, cy = tile_of(lon, lat, z)
        tiles += [
            (name, z, cx + dx, cy + dy)
            for name in TILE_LAYERS
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        ]
    return tiles


def get(conn: http.client.HTTPConnection, path: str, headers: dict) -> bytes:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {body[:200]!r}")
    return body


def check_same_tile(tile, over_http: bytes, from_sql: bytes) -> None:
    """Both paths give the same features per MVT layer (bytes may differ by float binding)."""
    import mapbox_vector_tile

    def counts(data: bytes) -> dict:
        return {k: len(v["features"]) for k, v in mapbox_vector_tile.decode(data).items()}

    if counts(over_http) != counts(from_sql):
        raise SystemExit(f"tile {tile}: HTTP {counts(over_http)} but SQL {counts(from_sql)}")


def bench_tiles(url: str, port: int, token: str, tiles, repeats: int) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    sql_dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    compiled = {}
    for name, z, x, y in tiles:  # the very SQL the API runs, with this tile's x and y
        sql, fixed = tile_sql(tuple(ft.table for ft in layer(name).feature_types), z)
        compiled[(name, z, x, y)] = (sql, {**fixed, "x": x, "y": y})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    sql_ms, http_ms, sizes = [], [], []
    with psycopg.connect(sql_dsn, autocommit=True) as db:
        for rnd in range(repeats + 1):  # the first round warms the caches
            for tile in tiles:
                sql, params = compiled[tile]
                t0 = time.perf_counter()
                data = db.execute(sql, params).fetchone()[0]
                t1 = time.perf_counter()
                body = get(conn, "/tiles/{}/{}/{}/{}.mvt".format(*tile), headers)
                t2 = time.perf_counter()
                if rnd == 0:
                    check_same_tile(tile, body, bytes(data or b""))
                if rnd:
                    sql_ms.append((t1 - t0) * 1000)
                    http_ms.append((t2 - t1) * 1000)
                    sizes.append(len(body))
    engine.dispose()
    sql_ms, http_ms = np.array(sql_ms), np.array(http_ms)
    print(
        f"\n(a) vector tiles: {len(tiles)} tiles z12-z16 of layers {', '.join(TILE_LAYERS)}, "
        f"{repeats} rounds, mean size {np.mean(sizes) / 1024:.1f} KiB"
    )
    print(f"{'':12}{'p50 ms':>10}{'p90 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for label, values in (("bare SQL", sql_ms), ("HTTP", http_ms)):
        p50, p90, p99 = np.percentile(values, [50, 90, 99])
        print(f"{label:12}{p50:10.2f}{p90:10.2f}{p99:10.2f}{values.mean():10.2f}")
    ratio_p50 = np.percentile(http_ms, 50) / np.percentile(sql_ms, 50)
    ratio_total = http_ms.sum() / sql_ms.sum()
    print(
        f"HTTP / bare SQL: {ratio_p50:.3f} at p50, {ratio_total:.3f} in total "
        f"(target < 1.20: the HTTP path adds {100 * (ratio_total - 1):.1f} %)"
    )


def bbox_windows(box, n: int, size: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        x = rng.uniform(box[0], box[2] - size)
        y = rng.uniform(box[1], box[3] - size)
        out.append(f"{x:.6f},{y:.6f},{x + size:.6f},{y + size:.6f}")
    return out


def items_rate(port: int, path: str, windows, limit: int) -> tuple[float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Accept": "application/geo+json"}
    for bbox in windows[:3]:  # warm up
        get(conn, f"{path}?bbox={bbox}&limit={limit}", headers)
    features, t0 = 0, time.perf_counter()
    for bbox in windows:
        body = json.loads(get(conn, f"{path}?bbox={bbox}&limit={limit}&f=json", headers))
        features += len(body["features"])
    return features / (time.perf_counter() - t0), features


def bench_items(url: str, ours: int, theirs: int | None, box, pages: int, limit: int) -> None:
    windows = bbox_windows(box, pages, size=0.01)
    print(f"\n(b) items: {pages} bbox pages (0.01° windows, limit {limit}) of trees_tree")
    rate, n = items_rate(ours, "/collections/trees_tree/items", windows, limit)
    print(f"twin API   {rate:10.0f} features/s ({n:,} features)")
    if theirs is None:
        return
    base, m = items_rate(theirs, "/collections/trees/items", windows, limit)
    print(f"pygeoapi   {base:10.0f} features/s ({m:,} features)")
    print(f"twin / pygeoapi: {rate / base:.2f}x (target >= 3x)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["auto", "demo", "synthetic"], default="auto")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--no-pygeoapi", action="store_true")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    url, what = prepare(settings, args.source)
    print(f"data: {what}")
    token = bench_token(url)
    box = extent(url)
    procs = []
    try:
        ours, port = start_ours(url, settings)
        procs.append(ours)
        bench_tiles(url, port, token, tile_set(box), args.repeats)
        theirs = None
        if not args.no_pygeoapi:
            with tempfile.TemporaryDirectory() as folder:
                started = start_pygeoapi(url, Path(folder))
                if started:
                    procs.append(started[0])
                    theirs = started[1]
                bench_items(url, port, theirs, box, args.pages, args.limit)
        else:
            bench_items(url, port, None, box, args.pages, args.limit)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
