"""Benchmark of the live ingest: sustained messages/s and publish-to-state latency.

Run from the repository root::

    .venv/bin/python -m benchmarks.live_bench                 # 100k flood, 30 s at 5,000/s
    .venv/bin/python -m benchmarks.live_bench --messages 20000 --duration 10

Everything runs on this machine: an embedded PostGIS and a private Mosquitto
in a temporary folder, ``twin live run`` in its own process (so it has a core
of its own, as in production), and the device simulator publishing QoS 1
messages from this process.  ``--devices`` devices are registered (a mix of
luminaires, pressure loggers and breakers), so each batch updates the state
of thousands of assets.

1. *Capacity*: with the ingest's persistent session on the broker but the
   ingest down, ``--messages`` are published and queued; the ingest is then
   started and drains them.  The sustained ingest rate is the number written
   divided by the time between the first and the last write (``received_at``
   in ``live.reading``), independent of how fast one Python publisher is.
2. *Latency under load*: ``--publishers`` load processes (:class:`LoadPublisher`:
   the simulator's messages with readings sampled ahead, so the devices'
   stand-in takes as little of the shared cores as it can) pace ``--rate``
   messages/s in all for ``--duration`` seconds while the ingest runs; the
   latency of each message is the ingest's commit time minus the message
   timestamp (set when it was published), p50/p95.
3. *Baseline*, same database, same messages: one INSERT of the reading and
   one UPDATE of the state per message, each committed on its own (what a
   straightforward subscriber does).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt
from sqlalchemy import create_engine, text

from twin.db import migrate
from twin.db.cluster import Cluster
from twin.live.broker import Broker, MqttTarget
from twin.live.credentials import device_account
from twin.live.patterns import healthy_readings
from twin.live.schema import validate_message
from twin.live.simulate import SimDevice, Simulator, make_message

ROOT = Path(__file__).resolve().parents[1]
KINDS = (
    ("luminaire", "LUM", {"wattage_w": 100.0}),
    ("pressure_sensor", "PRS", {}),
    ("breaker", "BRK", {}),
)


def register(engine, n: int) -> list[SimDevice]:
    devices = []
    rows = []
    for i in range(n):
        kind, prefix, params = KINDS[i % len(KINDS)]
        code = f"BENCH-{i:06d}"
        devices.append(SimDevice(f"{prefix}-{code}", kind, code, params))
        rows.append({"d": f"{prefix}-{code}", "k": kind, "c": code})
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE live.device, live.asset_state, live.quarantine"))
        conn.execute(text("TRUNCATE live.reading"))
        conn.execute(
            text(
                "INSERT INTO live.device (device_id, kind, asset_table, asset_code) "
                "VALUES (:d, :k, 'lighting_light', :c)"
            ),
            rows,
        )
    return devices


class IngestProcess:
    """``twin live run`` in a child process, with its counters in a stats file."""

    def __init__(self, home: Path, db_url: str, name: str, args: tuple[str, ...] = ()):
        self.stats_file = home / f"{name}.json"
        # The broker of ``home``, running already: the ingest finds it and its account there.
        env = {**os.environ, "TWIN_HOME": str(home), "DATABASE_URL": db_url}
        env.pop("TWIN_MQTT_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "twin.cli", "live", "run", "--stats-file", str(self.stats_file),
             *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        """Until the ingest is subscribed (it writes its stats file then)."""
        deadline = time.monotonic() + timeout_s
        while not self.stats_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"twin live run did not start: {self.proc.stderr.read()}")
            time.sleep(0.1)

    def stats(self) -> dict:
        try:
            return json.loads(self.stats_file.read_text())
        except (OSError, ValueError):
            return {}

    def wait_for(self, accepted: int, timeout_s: float) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            s = self.stats()
            if s.get("accepted", 0) + s.get("duplicates", 0) >= accepted:
                return s
            time.sleep(0.1)
        raise TimeoutError(f"ingest stalled at {self.stats()}")

    def stop(self) -> dict:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        return self.stats()


def capacity(engine, devices, target, home, url, n: int) -> dict:
    """Drain a backlog of ``n`` messages queued on the broker while the ingest was down."""
    first = IngestProcess(home, url, "session")
    first.wait_ready()  # the persistent session now exists on the broker
    first.stop()
    start = time.perf_counter()
    Simulator(devices, target, rate=1e9, seed=3).run(count=n)
    published_s = time.perf_counter() - start
    ingest = IngestProcess(home, url, "capacity")
    ingest.wait_for(n, timeout_s=900)
    ingest.stop()
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT count(*) AS n, extract(epoch FROM max(received_at) - min(received_at)) AS s "
                "FROM live.reading"
            )
        ).one()
        states = conn.execute(text("SELECT count(*) FROM live.asset_state")).scalar()
    seconds = float(row.s)
    return {
        "messages": row.n,
        "write_span_s": round(seconds, 2),
        "ingest_msg_per_s": round(row.n / seconds),
        "publish_msg_per_s": round(n / published_s),
        "assets_with_state": states,
    }


class LoadPublisher:
    """A lean stand-in for the devices: the simulator's messages, sampled ahead.

    In the field the devices are not on the twin's server; here they share
    its two cores, so the load generator must cost as little as possible.
    Each device's readings are sampled once from the simulator's daily
    patterns; per message only the id and the timestamp (the moment it is
    published, which the latency is measured from) are new.  QoS 1, at most
    ``MAX_UNACKED`` messages waiting for the broker's acknowledgement; one
    connection per device kind, logged in with that kind's account.
    """

    MAX_UNACKED = 2000

    def __init__(self, devices, target: MqttTarget, *, rate: float, seed: int):
        now, rng = datetime.now(UTC), random.Random(seed)
        self.rate, self.seed = rate, seed
        self.templates = []
        for d in devices:
            topic, body = make_message(d, now, healthy_readings(d.kind, now, d.params, rng))
            head, tail = body.split(b'"ts": "', 1)
            self.templates.append((d.kind, topic, head.split(b'"msg_id": "', 1)[1][32:], tail[29:]))
        self.acked = {d.kind: 0 for d in devices}
        self.clients = {kind: self._connect(target, kind) for kind in self.acked}

    def _connect(self, target: MqttTarget, kind: str) -> mqtt.Client:
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"bench-load-{self.seed}-{kind}",
            protocol=mqtt.MQTTv5,
        )
        target.login(device_account(kind)).prepare(client)
        client.max_inflight_messages_set(1000)

        def on_publish(client, userdata, mid, reason_code, properties):
            self.acked[kind] += 1

        client.on_publish = on_publish
        client.connect(target.host, target.port, keepalive=30)
        return client

    def run(self, duration_s: float) -> int:
        """Publish at ``rate`` for ``duration_s``; the number published (all acknowledged)."""
        for client in self.clients.values():
            client.loop_start()
        published, start = 0, time.monotonic()
        templates, prefix, clients = self.templates, b'{"msg_id": "', self.clients
        while (elapsed := time.monotonic() - start) < duration_s:
            due = int(elapsed * self.rate) + 1
            while published < due:
                while published - sum(self.acked.values()) > self.MAX_UNACKED:
                    time.sleep(0.001)
                kind, topic, rest, tail = templates[published % len(templates)]
                ts = datetime.now(UTC).isoformat(timespec="milliseconds").encode()
                msg_id = f"{self.seed:04x}{published:028x}".encode()
                body = b"".join((prefix, msg_id, rest, b'"ts": "', ts, tail))
                clients[kind].publish(topic, body, qos=1)
                published += 1
            time.sleep(0.002)
        while sum(self.acked.values()) < published:
            time.sleep(0.01)
        for client in self.clients.values():
            client.disconnect()
            client.loop_stop()
        return published


def _publish_share(job) -> int:
    """One publisher process: its share of the devices at its share of the rate."""
    devices, target, rate, duration, seed = job
    return LoadPublisher(devices, target, rate=rate, seed=seed).run(duration)


def latency(
    devices, target, ingest: IngestProcess, rate: float, duration: float, publishers: int
) -> dict:
    """Offer ``rate`` msg/s from ``publishers`` processes (devices are independent clients)."""
    ingest.wait_ready()
    jobs = [
        (devices[i::publishers], target, rate / publishers, duration, i) for i in range(publishers)
    ]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(publishers) as pool:
        published = sum(pool.map(_publish_share, jobs))
    elapsed = time.perf_counter() - start
    summary = ingest.wait_for(published, timeout_s=300)
    return {
        "published": published,
        "offered_msg_per_s": round(published / elapsed),
        "accepted": summary["accepted"],
        "batches": summary["batches"],
        "latency_p50_ms": round(summary["latency_p50_s"] * 1000, 1),
        "latency_p95_ms": round(summary["latency_p95_s"] * 1000, 1),
    }


def baseline(engine, devices, n: int) -> dict:
    """Per-message INSERT + UPDATE, committed one by one."""
    registry = {d.device_id: (d.kind, "lighting_light", d.asset_code) for d in devices}
    rng = random.Random(9)
    messages = []
    for i in range(n):
        d = devices[i % len(devices)]
        topic, body = make_message(
            d, datetime.now(UTC), healthy_readings(d.kind, datetime.now(UTC), d.params, rng)
        )
        messages.append(validate_message(topic, body, devices=registry, now=datetime.now(UTC)))
    start = time.perf_counter()
    with engine.connect() as conn:
        for m in messages:
            with conn.begin():
                conn.execute(
                    text(
                        "INSERT INTO live.reading (msg_id, ts, device_id, kind, asset_code, readings) "
                        "VALUES (:i, :t, :d, :k, :a, :r) ON CONFLICT DO NOTHING"
                    ),
                    {
                        "i": m.msg_id,
                        "t": m.ts,
                        "d": m.device_id,
                        "k": m.kind,
                        "a": m.asset_code,
                        "r": json.dumps(m.readings),
                    },
                )
                conn.execute(
                    text(
                        "INSERT INTO live.asset_state AS s (asset_code, asset_table, status, readings, "
                        "last_ts, device_id) VALUES (:a, 'lighting_light', :st, :r, :t, :d) "
                        "ON CONFLICT (asset_code) DO UPDATE SET status = excluded.status, "
                        "readings = s.readings || excluded.readings, last_ts = excluded.last_ts"
                    ),
                    {
                        "a": m.asset_code,
                        "st": m.status or "ok",
                        "r": json.dumps(m.readings),
                        "t": m.ts,
                        "d": m.device_id,
                    },
                )
    seconds = time.perf_counter() - start
    return {"messages": n, "msg_per_s": round(n / seconds)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=5000.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=3000)
    parser.add_argument(
        "--publishers",
        type=int,
        default=2,
        help="Publisher processes sharing the devices and the rate.",
    )
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="twin-live-bench-"))
    cluster = Cluster(home)
    cluster.start()
    broker = Broker(home)
    target = broker.start()
    try:
        url = cluster.url()
        migrate.upgrade(url)
        engine = create_engine(url)
        devices = register(engine, args.devices)
        print(f"{len(devices)} devices; PostGIS {url.split('@')[-1]}; MQTT {target.url}")

        cap = capacity(engine, devices, target, home, url, args.messages)
        print(f"capacity (backlog drained): {cap}")

        ingest = IngestProcess(home, url, "latency")
        lat = latency(devices, target, ingest, args.rate, args.duration, args.publishers)
        ingest.stop()
        print(f"latency at {args.rate:g} msg/s offered: {lat}")

        base = baseline(engine, devices, args.baseline)
        print(f"baseline (one INSERT + UPDATE + commit per message): {base}")
        print(f"ratio batched / baseline: {cap['ingest_msg_per_s'] / base['msg_per_s']:.1f}x")
        met = cap["ingest_msg_per_s"] >= 5000 and lat["latency_p95_ms"] < 1000
        print(f"target (>= 5,000 msg/s sustained, p95 < 1 s): {'met' if met else 'NOT met'}")
        engine.dispose()
    finally:
        broker.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
