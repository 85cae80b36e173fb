"""Load benchmark: the served city demo under many concurrent clients.

Each client loops until the time is up over one mix of what the map and
tools ask for: vector tiles (``/tiles/<layer>/z/x/y.mvt``, z14–16), items
with a bbox and a CQL2 filter, the map's search, a feature's panel
(``/map/panel/<table>/<code>``) and edits (the item read for its ``ETag``,
then a ``PATCH`` with ``If-Match`` by an editor's token).  At 8, 32 and 128
clients (``--levels``) it reports throughput, p50/p95/p99 of the answered
requests, errors, the ``503`` refusals of graceful overload (and how fast they
came) and the server's resident memory before and after the level.

Baseline, in the same run and at the same concurrency: ``GET /me`` (a
trivial endpoint through the same app, login and middleware), for a third
of the duration.  Goal: no error at 32 clients; at 128 the server refuses
the excess with quick ``503`` + ``Retry-After`` (which the clients honour)
instead of letting requests time out, and its memory stays bounded.

Without ``--url`` the city demo is loaded once into its own home
(``var/bench-city``, ``--home``) and ``twin web serve`` is started from it as a
subprocess (``--threads`` workers, the default in-hand bound), with rate
limits raised through ``TWIN_RATE_LIMITS`` so that one benchmark user is not
throttled as a person would be.  With ``--url`` a running twin is driven
instead (give ``--token`` of an editor, and ``--pid`` for its memory).
Everything stays on the loopback; each request times out after 30 s.
Run from the repository root::

    .venv/bin/python -m benchmarks.load_bench [--duration 60] [--levels 8,32,128]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, pool, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.api_bench import free_port, tile_of, wait_for  # noqa: E402
from benchmarks.map_bench import prepare  # noqa: E402
from twin.auth import users  # noqa: E402
from twin.config import Settings  # noqa: E402
from twin.db.engine import database_url, session_scope  # noqa: E402

USER, PASSWORD = "load-bench", "load-bench-password"
#: Raised limits of the benchmark's server: one user stands for many people here.
RATE_LIMITS = "search=1000000 per minute;analysis=1000000 per minute"
#: Share of each kind of request in the mix.
MIX = {"tile": 0.40, "items": 0.20, "search": 0.10, "panel": 0.20, "edit": 0.10}
TILE_LAYERS = ("lighting", "trees", "water", "power")
SEARCH_WORDS = ("Nguyễn", "Trần", "Lê", "Hoàng", "đường", "phường", "LGT", "TRE")
REQUEST_TIMEOUT_S = 30


@dataclass
class Sample:
    """Addresses the clients draw from: places, asset codes and tiles."""

    places: list[tuple[float, float]]
    lights: list[str]
    trees: list[str]
    edits: list[str]
    tiles: list[str] = field(default_factory=list)

    def __post_init__(self):
        for lon, lat in self.places[:60]:
            for z in (14, 15, 16):
                x, y = tile_of(lon, lat, z)
                self.tiles += [f"/tiles/{name}/{z}/{x}/{y}.mvt" for name in TILE_LAYERS]


def sample(url: str, seed: int = 1) -> Sample:
    """Lights and trees of the demo drawn with a fixed seed (the same on the same data)."""
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        conn.execute(text("SELECT setseed(:s)"), {"s": 1 / (seed + 1)})
        lights = conn.execute(
            text("SELECT code, ST_X(geom), ST_Y(geom) FROM assets.lighting_light "
                 "ORDER BY random() LIMIT 600")
        ).all()
        trees = conn.execute(
            text("SELECT code FROM assets.trees_tree ORDER BY random() LIMIT 300")
        ).scalars().all()
    engine.dispose()
    if not lights or not trees:
        raise SystemExit("the twin holds no street lights or trees: load the city demo first")
    return Sample(
        places=[(float(x), float(y)) for _, x, y in lights],
        lights=[c for c, _, _ in lights[:300]],
        trees=list(trees),
        edits=[c for c, _, _ in lights[300:]],  # edited ones apart from the panels' lights
    )


def editor_token(url: str) -> str:
    engine = create_engine(url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        token = users.issue_token(session, USER, label="load benchmark")
    engine.dispose()
    return token


@contextmanager
def twin_server(home: Path, threads: int):
    """``twin web serve`` on a free loopback port from ``home``; yields (base URL, pid)."""
    port = free_port()
    env = {**os.environ, "TWIN_HOME": str(home.resolve()), "TWIN_RATE_LIMITS": RATE_LIMITS}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "twin.cli", "web", "serve", "--port", str(port), "--threads", str(threads)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, "/conformance", proc)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_mib(pid: int | None) -> tuple[float, float] | None:
    """Resident memory of ``pid`` now and at its peak, MiB (Linux ``/proc``)."""
    if pid is None:
        return None
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


@dataclass
class Tally:
    """What one level's clients saw."""

    ok: dict = field(default_factory=dict)  # kind -> latencies (s) of answered requests
    shed: list = field(default_factory=list)  # latencies of 503 refusals
    conflicts: int = 0  # 412 on an edit: another client edited the asset first
    errors: dict = field(default_factory=dict)  # what went wrong -> count

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


class Client:
    """One simulated user: a loop of requests of the mix until the deadline."""

    def __init__(self, http, base: str, token: str, data: Sample, tally: Tally, rng):
        self.http, self.base, self.data, self.tally, self.rng = http, base, data, tally, rng
        self.auth = {"Authorization": f"Bearer {token}"}

    async def run(self, deadline: float, kinds) -> None:
        weights = [MIX.get(k, 1.0) for k in kinds]
        while time.monotonic() < deadline:
            kind = self.rng.choices(kinds, weights)[0]
            await getattr(self, kind)()

    async def call(self, kind: str, method: str, path: str, *, ok=(200,), **kw):
        """One request; its latency goes to ``kind`` if answered, else a refusal or an error."""
        started = time.perf_counter()
        try:
            async with self.http.request(method, self.base + path, headers={**self.auth,
                                         **kw.pop("headers", {})}, **kw) as response:
                await response.read()
                took = time.perf_counter() - started
                if response.status in ok:
                    self.tally.ok.setdefault(kind, []).append(took)
                    return response
                if response.status == 503 and "Retry-After" in response.headers:
                    self.tally.shed.append(took)
                    await asyncio.sleep(min(float(response.headers["Retry-After"]), 5.0))
                elif response.status == 412 and kind == "edit":
                    self.tally.conflicts += 1
                else:
                    self.tally.error(f"{kind} {response.status}")
        except TimeoutError:
            self.tally.error(f"{kind} timeout")
        except OSError as exc:  # aiohttp's connection errors are OSErrors
            self.tally.error(f"{kind} {type(exc).__name__}")
        return None

    async def me(self):
        await self.call("me", "GET", "/me")

    async def tile(self):
        await self.call("tile", "GET", self.rng.choice(self.data.tiles))

    async def items(self):
        lon, lat = self.rng.choice(self.data.places)
        d = 0.004
        bbox = f"{lon - d:.5f},{lat - d:.5f},{lon + d:.5f},{lat + d:.5f}"
        table, rule = self.rng.choice(
            [("lighting_light", "wattage_w >= 50"), ("trees_tree", "height_m > 5")]
        )
        await self.call("items", "GET", f"/collections/{table}/items",
                        params={"bbox": bbox, "filter": rule, "limit": "100"})

    async def search(self):
        await self.call("search", "GET", "/map/search", params={"q": self.rng.choice(SEARCH_WORDS)})

    async def panel(self):
        if self.rng.random() < 0.5:
            path = f"/map/panel/lighting_light/{self.rng.choice(self.data.lights)}"
        else:
            path = f"/map/panel/trees_tree/{self.rng.choice(self.data.trees)}"
        await self.call("panel", "GET", path)

    async def edit(self):
        code = self.rng.choice(self.data.edits)
        path = f"/collections/lighting_light/items/{code}"
        read = await self.call("items", "GET", path, headers={"Accept": "application/geo+json"})
        if read is None:
            return
        body = {"properties": {"lumens": self.rng.randrange(1000, 20000)}}
        await self.call("edit", "PATCH", path, json=body, headers={"If-Match": read.headers["ETag"]})


async def drive(base, token, data: Sample, clients: int, duration_s: float, kinds, seed) -> Tally:
    import aiohttp

    tally = Tally()
    connector = aiohttp.TCPConnector(limit=clients, limit_per_host=clients)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        deadline = time.monotonic() + duration_s
        rng = random.Random(seed)
        await asyncio.gather(*(
            Client(http, base, token, data, tally, random.Random(rng.random())).run(deadline, kinds)
            for _ in range(clients)
        ))
    return tally


def percentiles_ms(latencies) -> str:
    if not latencies:
        return "—"
    p50, p95, p99 = np.percentile(np.asarray(latencies) * 1000, [50, 95, 99])
    return f"{p50:.0f} / {p95:.0f} / {p99:.0f}"


def report(clients: int, duration_s: float, tally: Tally, base: Tally, base_s: float,
           memory) -> None:
    answered = [t for ts in tally.ok.values() for t in ts]
    rate = len(answered) / duration_s
    base_rate = sum(len(v) for v in base.ok.values()) / base_s or float("nan")
    errors = sum(tally.errors.values())
    print(f"\n{clients} clients, {duration_s:.0f} s: {rate:,.1f} req/s answered "
          f"({rate / base_rate:.2f}x the /me baseline of {base_rate:,.1f} req/s, "
          f"{len(base.shed)} refused, {sum(base.errors.values())} errors), "
          f"p50/p95/p99 {percentiles_ms(answered)} ms, errors {errors}"
          + (f" {tally.errors}" if errors else ""))
    print(f"  503 refused: {len(tally.shed)} (p50/p95/p99 {percentiles_ms(tally.shed)} ms), "
          f"412 edit conflicts: {tally.conflicts}")
    for kind, latencies in sorted(tally.ok.items()):
        print(f"  {kind:7} {len(latencies):7,} answered, p50/p95/p99 {percentiles_ms(latencies)} ms")
    if memory:
        (before, _), (after, peak) = memory
        print(f"  server RSS {before:.0f} MiB before, {after:.0f} MiB after, peak {peak:.0f} MiB")


def run_levels(base, pid, token, data, levels, duration_s) -> None:
    kinds = list(MIX)
    for clients in levels:
        baseline_s = max(3.0, duration_s / 3)
        base_tally = asyncio.run(drive(base, token, data, clients, baseline_s, ["me"], clients))
        before = rss_mib(pid)
        tally = asyncio.run(drive(base, token, data, clients, duration_s, kinds, clients))
        after = rss_mib(pid)
        report(clients, duration_s, tally, base_tally, baseline_s,
               (before, after) if pid else None)
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds per level")
    parser.add_argument("--levels", default="8,32,128", help="concurrent clients per level")
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "bench-city")
    parser.add_argument("--scale", default="city", choices=["small", "city", "province"])
    parser.add_argument("--threads", type=int, default=8, help="worker threads of twin web serve")
    parser.add_argument("--url", help="drive this running twin instead of starting one")
    parser.add_argument("--token", help="an editor's API token (with --url)")
    parser.add_argument("--pid", type=int, help="the server's process id, for its memory (with --url)")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",") if n.strip()]
    if args.url and not args.token:
        parser.error("--url needs --token of an editor")
    if args.url:  # the running twin's database, as its environment names it
        url = database_url(Settings.from_env())
    else:
        url = prepare(args.home, args.scale, user=USER, password=PASSWORD)
    data = sample(url)
    load = os.getloadavg()
    print(f"load benchmark: {', '.join(map(str, levels))} clients, {args.duration:g} s each, "
          f"mix {MIX}; load average before {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if args.url:
        run_levels(args.url.rstrip("/"), args.pid, args.token, data, levels, args.duration)
        return
    token = editor_token(url)
    with twin_server(args.home, args.threads) as (base, pid):
        print(f"twin web serve at {base} (pid {pid}, {args.threads} threads), {args.scale} demo, "
              f"TWIN_RATE_LIMITS={RATE_LIMITS!r}")
        run_levels(base, pid, token, data, levels, args.duration)


if __name__ == "__main__":
    main()
