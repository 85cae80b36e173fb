"""Benchmark of the feature API on a province-scale twin.

(a) Vector tiles: latency percentiles of ``/tiles/{layer}/{z}/{x}/{y}.mvt``
    over a fixed set of z12–z16 tiles around the data, against the bare
    ``ST_AsMVT`` SQL of the same tiles (the very statement the API runs,
    :func:`twin.api.tiles.tile_sql`) run directly with psycopg in the same
    run, on a connection with the API's session options, fetching the bytes
    in binary as the API does.  Target: the HTTP path adds less than 20 %.
(b) Items: features per second for ``/items?bbox=…&limit=…`` page requests,
    side by side with pygeoapi's PostgreSQL provider serving the same table
    in the same run.  Target: at least 3× pygeoapi.

Data: the twin's database if it holds features; otherwise the province demo
(``twin demo``) is loaded into it; without the demo generator, a synthetic
database of its own is filled with 1,000,000 tree points and 100,000 power
lines.  Tiles and bbox windows are centred on features drawn from the tree
table (with a fixed seed), so pages and tiles hold data.

Both servers run as separate processes under waitress with the same number
of threads; each client is sequential over one kept-alive connection, and
the bare SQL keeps its connection too.  Tiles are fetched uncached (the
client sends no ``If-None-Match``).  pygeoapi is a benchmark-only
dependency: on first run it is installed into a virtualenv of its own under
``$TWIN_HOME/bench-venv`` (never into the project's environment, whose
``tests`` package one of its wheels would shadow) and served from there.

Run from the repository root::

    .venv/bin/python -m benchmarks.api_bench [--source auto|demo|synthetic] [--repeats 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
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
from twin.api.reads import SESSION_OPTIONS  # noqa: E402
from twin.api.tiles import tile_sql  # noqa: E402
from twin.config import Settings  # noqa: E402
from twin.db import migrate  # noqa: E402
from twin.db.engine import database_url, session_scope  # noqa: E402
from twin.plugins import load_optional  # noqa: E402

THREADS = 4
PYGEOAPI_PACKAGES = ("pygeoapi==0.21.0", "psycopg2-binary", "GeoAlchemy2", "waitress")
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


def pygeoapi_bin(home: Path) -> Path | None:
    """The ``bin`` folder of a virtualenv holding pygeoapi, made on first use (None if pip fails)."""
    venv = home / "bench-venv"
    bin_dir = venv / "bin"
    if (bin_dir / "pygeoapi").exists() and (bin_dir / "waitress-serve").exists():
        return bin_dir
    print(f"installing pygeoapi into {venv} (first run only) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [bin_dir / "python", "-m", "pip", "install", "--quiet", *PYGEOAPI_PACKAGES]
        subprocess.run(pip, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as exc:
        print(f"could not install pygeoapi ({exc}):\n{(exc.stderr or '')[-2000:]}")
        print("items are measured without pygeoapi")
        return None
    return bin_dir


def start_pygeoapi(url: str, folder: Path, bin_dir: Path) -> tuple[subprocess.Popen, int]:
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
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYGEOAPI_CONFIG=str(cfg), PYGEOAPI_OPENAPI=str(api))
    subprocess.run(
        [bin_dir / "pygeoapi", "openapi", "generate", str(cfg), "--output-file", str(api)],
        env=env,
        cwd=folder,
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
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, "/collections/trees", proc)
    return proc, port


def sample_points(url: str, n: int, seed: str = "api-bench") -> list[tuple[float, float]]:
    """Locations of ``n`` trees drawn with a fixed seed (the same draw on the same data)."""
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ST_X(geom), ST_Y(geom) FROM assets.trees_tree "
                "ORDER BY md5(id::text || :seed) LIMIT :n"
            ),
            {"seed": seed, "n": n},
        ).all()
    engine.dispose()
    return [(float(x), float(y)) for x, y in rows]


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    y = (1 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def tile_set(points) -> list[tuple[str, int, int, int]]:
    """3×3 tiles around the median of ``points`` at each zoom 12..16, for each layer."""
    lon, lat = np.median(np.asarray(points), axis=0)
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


class KeepAliveClient:
    """A lean HTTP/1.1 client on one kept-alive connection (responses with Content-Length).

    ``http.client`` parses every response's headers with the ``email``
    package, which on a busy machine costs a good part of a small tile's
    time; this client only looks for the status and ``Content-Length``, so
    the figures measure the server.  Both servers are fetched with it.
    """

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""

    def _head(self) -> tuple[int, int]:
        while b"\r\n\r\n" not in self.pending:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.pending += chunk
        head, _, self.pending = self.pending.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        fields = dict(line.split(b":", 1) for line in lines[1:])
        length = {k.strip().lower(): v for k, v in fields.items()}.get(b"content-length")
        if length is None:
            raise ConnectionError("a response without Content-Length")
        return int(lines[0].split()[1]), int(length)

    def get(self, path: str, headers: dict) -> tuple[int, bytes]:
        lines = [
            f"GET {path} HTTP/1.1",
            "Host: 127.0.0.1",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        status, length = self._head()
        chunks, have = [self.pending], len(self.pending)
        while have < length:
            chunk = self.sock.recv(max(65536, length - have))
            if not chunk:
                raise ConnectionError("the server closed the connection")
            chunks.append(chunk)
            have += len(chunk)
        data = b"".join(chunks)
        self.pending = data[length:]
        return status, data[:length]


def get(client: KeepAliveClient, path: str, headers: dict) -> bytes:
    status, body = client.get(path, headers)
    if status != 200:
        raise SystemExit(f"GET {path}: {status} {body[:200]!r}")
    return body


def check_same_tile(tile, over_http: bytes, from_sql: bytes) -> None:
    """Both paths give the same features per MVT layer (bytes may differ by float binding)."""
    import mapbox_vector_tile

    def counts(data: bytes) -> dict:
        return {k: len(v["features"]) for k, v in mapbox_vector_tile.decode(data).items()}

    if counts(over_http) != counts(from_sql):
        raise SystemExit(f"tile {tile}: HTTP {counts(over_http)} but SQL {counts(from_sql)}")


def bench_tiles(url: str, port: int, token: str, tiles, repeats: int) -> None:
    sql_dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    compiled = {}
    for name, z, x, y in tiles:  # the very SQL the API runs, with this tile's x and y
        sql, fixed = tile_sql(tuple(ft.table for ft in layer(name).feature_types), z)
        compiled[(name, z, x, y)] = (sql, {**fixed, "x": x, "y": y})
    conn = KeepAliveClient(port)
    headers = {"Authorization": f"Bearer {token}"}
    sql_ms, http_ms, sizes = [], [], []
    with psycopg.connect(sql_dsn, autocommit=True, options=SESSION_OPTIONS) as db:
        for rnd in range(repeats + 1):  # the first round warms the caches
            for tile in tiles:
                sql, params = compiled[tile]
                t0 = time.perf_counter()
                data = db.execute(sql, params, binary=True).fetchone()[0]
                t1 = time.perf_counter()
                body = get(conn, "/tiles/{}/{}/{}/{}.mvt".format(*tile), headers)
                t2 = time.perf_counter()
                if rnd == 0:
                    check_same_tile(tile, body, bytes(data or b""))
                if rnd:
                    sql_ms.append((t1 - t0) * 1000)
                    http_ms.append((t2 - t1) * 1000)
                    sizes.append(len(body))
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


def bbox_windows(points, size: float) -> list[str]:
    """Square windows of ``size`` degrees centred on ``points``."""
    half = size / 2
    return [f"{x - half:.6f},{y - half:.6f},{x + half:.6f},{y + half:.6f}" for x, y in points]


def page_seconds(conn: KeepAliveClient, path: str) -> tuple[float, int]:
    """Seconds to fetch and parse one page, and its number of features."""
    t0 = time.perf_counter()
    body = json.loads(get(conn, path, {"Accept": "application/geo+json"}))
    return time.perf_counter() - t0, len(body["features"])


def bench_items(ours: int, theirs: int | None, windows: list[str], limit: int) -> None:
    """Pages from both servers in turn, window by window, so both see the same load."""
    paths = {"twin API": (ours, "/collections/trees_tree/items")}
    if theirs is not None:
        paths["pygeoapi"] = (theirs, "/collections/trees/items")
    conns = {k: KeepAliveClient(p) for k, (p, _) in paths.items()}
    seconds = dict.fromkeys(paths, 0.0)
    counts = dict.fromkeys(paths, 0)
    for i, bbox in enumerate(windows[:3] + windows):  # the first three warm up
        for name, (_, path) in paths.items():
            spent, n = page_seconds(conns[name], f"{path}?bbox={bbox}&limit={limit}&f=json")
            if i >= 3:
                seconds[name] += spent
                counts[name] += n
    print(
        f"\n(b) items: {len(windows)} bbox pages of trees_tree (0.01° windows centred on "
        f"trees, limit {limit}), servers taking turns"
    )
    rates = {}
    for name in paths:
        rates[name] = counts[name] / seconds[name]
        per_page = 1000 * seconds[name] / len(windows)
        print(
            f"{name:10} {rates[name]:10.0f} features/s ({counts[name]:,} features, "
            f"{per_page:.1f} ms per page)"
        )
    if theirs is not None:
        ratio = rates["twin API"] / rates["pygeoapi"]
        print(f"twin / pygeoapi: {ratio:.2f}x (target >= 3x)")


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
    points = sample_points(url, args.pages)
    bin_dir = None if args.no_pygeoapi else pygeoapi_bin(settings.home)
    procs = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            ours, port = start_ours(url, settings)
            procs.append(ours)
            bench_tiles(url, port, token, tile_set(points), args.repeats)
            theirs = None
            if bin_dir is not None:
                proc, theirs = start_pygeoapi(url, Path(folder), bin_dir)
                procs.append(proc)
            bench_items(port, theirs, bbox_windows(points, 0.01), args.limit)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
