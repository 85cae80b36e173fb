"""Benchmark of scaling out: reads/s with one web process vs two plus a replica, ingest msg/s by workers.

Run from the repository root (small sizes and short runs by default)::

    .venv/bin/python -m benchmarks.scale_bench
    .venv/bin/python -m benchmarks.scale_bench --trees 200000 --duration 30 --messages 100000

Everything runs on this machine, in a temporary folder: a primary embedded
cluster holding ``--trees`` synthetic trees, a hot standby made from it by
``twin db replica create``, and a private Mosquitto.

1. *Reads*: ``--clients`` threads, each with a keep-alive connection, ask
   for pages of items in a small random box and for vector tiles
   (anonymous, as open-data viewers do) for ``--duration`` seconds: first
   from one ``twin web serve`` on the primary, then from two processes
   given the standby as ``--replica``, the clients alternating between
   them (as nginx would).
2. *Ingest*: ``--messages`` QoS 1 messages queued on the broker while the
   ingest is down, then drained by one ``twin live run``, and again by two
   workers on the shared subscription (``--share twin``); the rate is the
   messages written over the span between the first and the last write.

Figures are also given per core of the machine: on two cores the load
generator, the web processes, both databases and the broker share them, so
the gain of a second process is bounded here; on separate machines each
gets its own.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, pool, text

from benchmarks.api_bench import free_port, tile_of, wait_for
from benchmarks.live_bench import IngestProcess, register
from twin.db import migrate
from twin.db.cluster import Cluster
from twin.db.replica import create_replica, replication_url
from twin.live.broker import Broker
from twin.live.simulate import Simulator

ROOT = Path(__file__).resolve().parents[1]
WEST, SOUTH, SIZE = 105.95, 21.05, 0.2


def fill_trees(url: str, n: int) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO assets.trees_tree (id, code, species_scientific, height_m, condition, geom) "
            "SELECT nextval('assets.asset_id_seq'), 'TRE-SCALE-' || lpad(g::text, 7, '0'), "
            "'Species ' || (g % 50), (g % 30)::float, (ARRAY['good','fair','poor','dead'])[1 + g % 4], "
            "ST_SetSRID(ST_MakePoint(:w + random() * :s, :south + random() * :s), 4326) "
            "FROM generate_series(1, :n) g"), {"w": WEST, "south": SOUTH, "s": SIZE, "n": n})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE assets.trees_tree"))
    engine.dispose()


@contextmanager
def web_process(home: Path, primary: Cluster, replicas: tuple[str, ...] = ()):
    """``twin web serve`` on the primary (reads to ``replicas`` when given); yields its base URL."""
    port = free_port()
    env = {**os.environ, "TWIN_HOME": str(home), "DATABASE_URL": primary.url(),
           "TWIN_APP_DATABASE_URL": primary.app_url(), "TWIN_SECRET_KEY": "scale-bench-key",
           "TWIN_RATE_LIMITS": "search=1000000 per minute",
           "DATABASE_REPLICA_URLS": " ".join(replicas)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "twin.cli", "web", "serve", "--port", str(port), "--threads", "8"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port, "/conformance", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(20)


def read_paths(rng: random.Random):
    """Endless item pages and tiles inside the filled square."""
    while True:
        lon, lat = WEST + rng.random() * SIZE, SOUTH + rng.random() * SIZE
        if rng.random() < 0.5:
            box = f"{lon},{lat},{lon + 0.005},{lat + 0.005}"
            yield f"/collections/trees_tree/items?bbox={box}&limit=20"
        else:
            x, y = tile_of(lon, lat, 16)
            yield f"/tiles/trees_tree/16/{x}/{y}.mvt"


def reads_per_s(bases: list[str], clients: int, duration_s: float) -> dict:
    done, errors, stop = [0] * clients, [0] * clients, time.monotonic() + duration_s

    def client(i: int) -> None:
        http, paths, base = requests.Session(), read_paths(random.Random(i)), bases[i % len(bases)]
        while time.monotonic() < stop:
            answer = http.get(base + next(paths), timeout=30)
            if answer.status_code == 200:
                done[i] += 1
            else:
                errors[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    return {"reads": sum(done), "errors": sum(errors), "reads_per_s": round(sum(done) / seconds)}


def ingest_rate(engine, devices, broker: Broker, home: Path, url: str, n: int,
                workers: int) -> dict:
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE live.reading, live.asset_state, live.quarantine"))
    names = [f"scale-{workers}-{i}" for i in range(workers)]
    args = [("--client-id", name, "--share", "twin") for name in names]
    for name, extra in zip(names, args):  # the persistent sessions, then the backlog
        first = IngestProcess(home, url, f"{name}-session", extra)
        first.wait_ready()
        first.stop()
    Simulator(devices, broker.target(), rate=1e9, seed=workers).run(count=n)
    running = [IngestProcess(home, url, name, extra) for name, extra in zip(names, args)]
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(text("SELECT count(*) FROM live.reading")).scalar() >= n:
                break
        time.sleep(0.2)
    shares = [p.stop().get("accepted", 0) for p in running]
    for name in names:  # a worker that stays in the group would be handed its share
        subprocess.run([sys.executable, "-m", "twin.cli", "live", "leave", "--client-id", name],
                       env={**os.environ, "TWIN_HOME": str(home), "DATABASE_URL": url},
                       cwd=ROOT, check=True, capture_output=True)
    with engine.connect() as conn:
        written, span = conn.execute(text(
            "SELECT count(*), extract(epoch FROM max(received_at) - min(received_at)) "
            "FROM live.reading")).one()
    return {"workers": workers, "messages": written, "per_worker": shares,
            "msg_per_s": round(written / float(span))}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trees", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--devices", type=int, default=2000)
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    base = Path(tempfile.mkdtemp(prefix="twin-scale-bench-"))
    primary = Cluster(base / "primary")
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, base, ignore_errors=True)
        primary.start()
        stack.callback(primary.stop)
        migrate.upgrade(primary.url())
        fill_trees(primary.url(), args.trees)
        standby = create_replica(base / "standby", replication_url(primary),
                                 secrets_from=primary.home)
        stack.callback(standby.stop)
        print(f"{args.trees} trees; primary and standby on this machine ({cores} cores)")

        with web_process(base / "web1", primary) as one:
            single = reads_per_s([one], args.clients, args.duration)
        print(f"reads, one web process on the primary: {single}, "
              f"{single['reads_per_s'] / cores:.0f} per core")
        replica = (standby.app_url("postgresql"),)
        with web_process(base / "web1", primary, replica) as a, \
                web_process(base / "web2", primary, replica) as b:
            time.sleep(2)  # the first replica check
            pair = reads_per_s([a, b], args.clients, args.duration)
        print(f"reads, two web processes on the standby: {pair}, "
              f"{pair['reads_per_s'] / cores:.0f} per core, "
              f"{pair['reads_per_s'] / max(1, single['reads_per_s']):.2f}x one")

        broker = Broker(base / "primary")
        broker.start()
        stack.callback(broker.stop)
        engine = create_engine(primary.url())
        devices = register(engine, args.devices)
        for workers in (1, 2):
            rate = ingest_rate(engine, devices, broker, base / "primary", primary.url(),
                               args.messages, workers)
            print(f"ingest, {workers} worker(s): {rate}, {rate['msg_per_s'] / cores:.0f} "
                  "msg/s per core")
        engine.dispose()


if __name__ == "__main__":
    main()
