"""``twin live``: broker, ingest, simulator, devices, rules and incidents."""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from twin.config import Settings
from twin.db.engine import get_app_engine, get_engine, session_scope

__all__ = ["live"]


@click.group()
def live():
    """Live state of the city: field devices over MQTT, alarms and incidents."""


# -- broker ----------------------------------------------------------------
@live.group()
def broker():
    """The private Mosquitto broker (unless TWIN_MQTT_URL names another)."""


@broker.command("start")
@click.pass_obj
def broker_start(settings: Settings):
    """Start the broker in TWIN_HOME/mqtt; harmless if running."""
    from .broker import Broker, mqtt_target

    target = mqtt_target(settings)
    click.echo(f"MQTT broker: {target.url}")
    if target.accounts:
        click.echo(
            f"accounts {', '.join(sorted(target.accounts))}; "
            f"their passwords are in {Broker(settings.home).secret_file}"
        )


@broker.command("stop")
@click.pass_obj
def broker_stop(settings: Settings):
    """Stop the private broker (its queued messages are saved)."""
    from .broker import Broker

    Broker(settings.home).stop()
    click.echo("MQTT broker stopped")


@broker.command("status")
@click.pass_obj
def broker_status(settings: Settings):
    from .broker import Broker

    b = Broker(settings.home)
    state = f"running on 127.0.0.1:{b.port()}" if b.running() else "not running"
    click.echo(f"MQTT broker in {b.folder}: {state}")


# -- ingest ----------------------------------------------------------------
@live.command("run")
@click.option("--batch-size", default=5000, show_default=True, help="Messages per transaction.")
@click.option(
    "--client-id",
    default="twin-ingest",
    show_default=True,
    help="Persistent session id; keep it stable, one per worker (twin-ingest-2 ...).",
)
@click.option(
    "--share",
    metavar="GROUP",
    help="Split the stream with the other workers of GROUP (an MQTT 5 shared subscription).",
)
@click.option(
    "--stats-file",
    type=click.Path(path_type=Path),
    help="Write the running counters and latencies (JSON) here.",
)
@click.option(
    "--retain-days",
    type=click.IntRange(min=31),
    help="Every hour, retire the months of readings older than this (see 'twin live retain').",
)
@click.pass_obj
def run_cmd(settings: Settings, batch_size, client_id, share, stats_file, retain_days):
    """Subscribe to the devices and write readings, state, quarantine and alarms."""
    from .broker import mqtt_target
    from .ingest import Ingester

    target = mqtt_target(settings)
    ingester = Ingester(
        get_app_engine(settings),
        target,
        client_id=client_id,
        share=share or None,
        batch_size=batch_size,
        stats_file=stats_file,
    )
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    # The ingest's own news (the database away and back) above the progress bar.
    logging.getLogger("twin.live").setLevel(logging.INFO)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s")
    ingester.start()
    click.echo(f"ingesting from {target.url} (Ctrl-C to stop)")
    next_retain = time.monotonic() if retain_days else float("inf")
    with logging_redirect_tqdm(), tqdm(unit="msg", desc="ingested", dynamic_ncols=True) as bar:
        while not done.wait(1.0):
            if time.monotonic() >= next_retain:
                next_retain = time.monotonic() + 3600
                _retain_quietly(get_app_engine(settings), retain_days)
            bar.update(ingester.stats.received - bar.n)
            bar.set_postfix(
                quarantined=ingester.stats.quarantined, incidents=ingester.stats.incidents
            )
    stats = ingester.stop()
    click.echo(f"stopped: {stats.summary()}")


@live.command("leave")
@click.option("--client-id", required=True, help="The session of the worker that leaves.")
@click.option("--share", metavar="GROUP", default="twin", show_default=True)
@click.pass_obj
def leave_cmd(settings: Settings, client_id, share):
    """Retire an ingest worker: write what the broker holds for it, then end its session."""
    from .broker import mqtt_target
    from .ingest import Ingester

    ingester = Ingester(get_app_engine(settings), mqtt_target(settings), client_id=client_id,
                        share=share or None)
    stats = ingester.start().leave()
    click.echo(f"{client_id} left {share or 'its subscription'}: {stats.accepted} messages "
               "written on the way out")


def _retain_quietly(engine, keep_days: int) -> None:
    """Retention from the ingest loop: a failure is logged, the ingest goes on."""
    from .retention import retain

    try:
        done = retain(engine, keep_days=keep_days)
    except Exception:
        logging.getLogger("twin.live").exception("retention failed; next try in an hour")
        return
    if done.retired:
        logging.getLogger("twin.live").info("retired %s into %d aggregates",
                                            ", ".join(done.retired), done.aggregates)


@live.command("retain")
@click.option("--keep-days", default=90, show_default=True, type=click.IntRange(min=31),
              help="Keep raw readings this long; older whole months are rolled up and dropped.")
@click.option("--keep-hourly-days", default=730, show_default=True, type=click.IntRange(min=1),
              help="Keep hourly aggregates this long (daily ones are kept).")
@click.pass_obj
def retain_cmd(settings: Settings, keep_days, keep_hourly_days):
    """Roll old months of readings into hourly and daily aggregates and drop their partitions."""
    from .retention import retain

    done = retain(get_app_engine(settings), keep_days=keep_days,
                  keep_hourly_days=keep_hourly_days)
    click.echo(f"retired {len(done.retired)} months ({', '.join(done.retired) or 'none'}) into "
               f"{done.aggregates} aggregates; {done.hourly_deleted} old hourly aggregates deleted")


# -- simulator ---------------------------------------------------------------
def _parse_start(value: str | None) -> datetime | None:
    if not value:
        return None
    if value.startswith("-") and value[-1] in "hd":
        hours = float(value[1:-1]) * (24 if value[-1] == "d" else 1)
        return datetime.now(UTC) - timedelta(hours=hours)
    return datetime.fromisoformat(value).astimezone(UTC)


@live.command("simulate")
@click.option("--devices", "n_devices", type=int, help="Simulate only this many devices.")
@click.option("--rate", default=200.0, show_default=True, help="Messages per second in all.")
@click.option(
    "--faults",
    default="",
    help="e.g. lamp_out=5,breaker_open=1,pressure_drop=1,"
    "silent=2,cabinet_fault=1,malformed=0.01,duplicate=0.01",
)
@click.option("--count", type=int, help="Stop after this many messages.")
@click.option("--duration", type=float, help="Stop after this many seconds.")
@click.option("--start", help="Simulated start: ISO time or -6h / -2d (default now).")
@click.option(
    "--speed",
    default=1.0,
    show_default=True,
    help="Simulated seconds per real second until the clock catches up.",
)
@click.option("--seed", default=1, show_default=True)
@click.option(
    "--fault-after",
    default=0.0,
    show_default=True,
    help="Simulated seconds of healthy reports before the faults show.",
)
@click.pass_obj
def simulate_cmd(
    settings: Settings, n_devices, rate, faults, count, duration, start, speed, seed, fault_after
):
    """Drive the registered devices with daily patterns and injected faults."""
    from .broker import mqtt_target
    from .simcity import load_sim_devices
    from .simulate import Simulator, parse_faults

    spec = parse_faults(faults)
    with session_scope(get_engine(settings)) as session:
        devices = load_sim_devices(session, limit=n_devices)
        drops = _burst_drops(session, devices, spec.pressure_drop, seed)
    sim = Simulator(
        devices,
        mqtt_target(settings),
        rate=rate,
        faults=spec,
        seed=seed,
        start=_parse_start(start),
        speed=speed,
        drop_bar=drops,
        fault_after_s=fault_after,
    )
    click.echo(
        f"simulating {len(devices)} devices at {rate:g} msg/s; faults: "
        f"{ {k: v for k, v in sim.stats.faulted.items() if v} or 'none' }"
    )
    with tqdm(total=count, unit="msg", desc="published", dynamic_ncols=True) as bar:
        stats = sim.run(count=count, duration_s=duration, progress=bar.update)
    click.echo(
        f"published {stats.published} ({stats.malformed} malformed, "
        f"{stats.duplicates} duplicated); silent: {len(stats.silenced)}"
    )


def _burst_drops(session, devices, bursts: int, seed: int):
    """Drops per pressure sensor for ``bursts`` random bursts, by network distance."""
    import random

    from .network import water_graph
    from .simcity import burst_drops

    if not bursts:
        return None
    sensors = {d.asset_code: d.device_id for d in devices if d.kind == "pressure_sensor"}
    G = water_graph(session)
    nodes = sorted(n for n in sensors if n in G)
    if not nodes:
        return None
    return burst_drops(G, sensors, random.Random(seed).sample(nodes, min(bursts, len(nodes))))


# -- devices and rules -------------------------------------------------------
@live.group()
def devices():
    """Field devices registered against assets."""


@devices.command("register-demo")
@click.option(
    "--pressure-every",
    default=4,
    show_default=True,
    help="A pressure logger on one water junction in N.",
)
@click.pass_obj
def register_demo(settings: Settings, pressure_every):
    """Fit out the loaded city with devices (idempotent)."""
    from .devices import register_demo_devices

    with session_scope(get_engine(settings)) as session:
        added = register_demo_devices(session, pressure_every=pressure_every)
    click.echo("devices added: " + ", ".join(f"{k} {v}" for k, v in added.items()))


@devices.command("list")
@click.pass_obj
def list_devices(settings: Settings):
    from sqlalchemy import text

    with session_scope(get_engine(settings)) as session:
        rows = session.execute(
            text(
                "SELECT kind, count(*), count(last_seen_at), max(last_seen_at) FROM live.device "
                "GROUP BY kind ORDER BY kind"
            )
        ).all()
    for kind, n, seen, last in rows:
        click.echo(f"{kind:18} {n:7} registered {seen:7} heard from, last {last or '-'}")


@live.group()
def rules():
    """Alarm rules (declared in twin/live/data/alarm_rules.json)."""


@rules.command("load")
@click.option("--file", "path", type=click.Path(exists=True, path_type=Path))
@click.pass_obj
def load_rules_cmd(settings: Settings, path):
    """Check the rules file and store it in the database."""
    from .alarms import load_rules
    from .incidents import sync_rules

    loaded = load_rules(path)
    with session_scope(get_engine(settings)) as session:
        n = sync_rules(session, loaded)
    click.echo(f"{n} alarm rules loaded: {', '.join(r.id for r in loaded)}")


# -- incidents -----------------------------------------------------------------
@live.group()
def incidents():
    """Incidents opened by alarms: list, assign, progress, close."""


@incidents.command("list")
@click.option("--all", "show_all", is_flag=True, help="Closed ones too.")
@click.pass_obj
def list_incidents(settings: Settings, show_all):
    from sqlalchemy import select

    from .models import Incident

    with session_scope(get_engine(settings)) as session:
        query = select(Incident).order_by(Incident.opened_at.desc())
        if not show_all:
            query = query.where(Incident.status != "closed")
        for i in session.scalars(query):
            click.echo(f"{i.code}  {i.status:12} {i.severity:8} {i.owner or '-':12} {i.title}")


@incidents.command("assign")
@click.argument("code")
@click.argument("owner")
@click.option("--actor", default="cli", show_default=True)
@click.pass_obj
def assign_cmd(settings: Settings, code, owner, actor):
    from .incidents import assign

    with session_scope(get_engine(settings)) as session:
        assign(session, code, owner, actor=actor)
    click.echo(f"{code} assigned to {owner}")


@incidents.command("close")
@click.argument("code")
@click.option("--note", required=True, help="What was found and done.")
@click.option("--actor", default="cli", show_default=True)
@click.pass_obj
def close_cmd(settings: Settings, code, note, actor):
    from .incidents import close_incident

    with session_scope(get_engine(settings)) as session:
        close_incident(session, code, note, actor=actor)
    click.echo(f"{code} closed")
