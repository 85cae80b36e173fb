"""``twin simulate``: hydraulic runs and load flows of the twin's networks from the command line.

A run goes through the background job runner (kind ``water_run`` or
``power_run``) on a
queue of this process's own, so it is recorded, reports progress and can be
cancelled like a run started from a page.
"""

from __future__ import annotations

import json
import os
import sys

import click

from twin.config import Settings

__all__ = ["simulate"]


@click.group()
def simulate():
    """Simulation: water (EPANET 2.2 through WNTR), power (pandapower load flow)."""


def _run_job(settings: Settings, params: dict, user: str, kind: str = "water_run") -> dict:
    from twin.db.engine import get_engine
    from twin.errors import TwinError
    from twin.jobs import Runner

    runner = Runner(get_engine(settings), settings.home, workers=1,
                    queue=f"cli-{os.getpid()}", poll_s=0.2)
    try:
        job = runner.submit(kind, params, owner=user)
        while job["status"] not in ("done", "failed", "cancelled"):
            step = (job.get("step") or {}).get("text")
            if step:
                click.echo(f"\r{step} ({job['done']}/{job.get('total') or '?'})", err=True,
                           nl=False)
            job = runner.wait(job["id"], timeout=0.5)
        click.echo("", err=True)
    finally:
        runner.stop()
    if job["status"] != "done":
        raise TwinError(f"the {kind} {job['status']}: {job.get('error') or ''}".strip())
    return job["result"]


@simulate.command("water")
@click.option("--at", "at_h", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Hours from the start of the run at which to report.")
@click.option("--duration", "duration_h", type=click.FloatRange(min=0), default=24.0,
              show_default=True, help="Hours to simulate (0: one steady state).")
@click.option("--scenario", default="normal", show_default=True,
              help="normal, or max_day (demands of the day of highest use).")
@click.option("--json", "as_json", is_flag=True,
              help="Every junction's pressure_m and head_m and every pipe's flow_lps.")
@click.pass_obj
def water(settings: Settings, at_h: float, duration_h: float, scenario: str, as_json: bool):
    """Run the water network with EPANET and store the run's results."""
    from twin.db.engine import get_engine, session_scope

    from .service import water_snapshot

    settings = settings or Settings.from_env()
    params = {"at_h": at_h, "duration_h": duration_h, "scenario": scenario}
    done = _run_job(settings, params, "twin simulate water")
    at_s = int(round(at_h * 3600))
    with session_scope(get_engine(settings)) as session:
        snapshot = water_snapshot(session, done["run_id"], at_s)
    if as_json:
        json.dump({**snapshot, "summary": done["summary"], "timings": done["timings"]},
                  sys.stdout, indent=1)
        click.echo("")
        return
    s = done["summary"]
    click.echo(f"water run {done['run_id']} ({scenario}): {s['junctions']} junctions, "
               f"{s['times']} reported times")
    if s["unsupplied_junctions"]:
        click.echo(f"{s['unsupplied_junctions']} junction(s) have no open path to a source "
                   "(closed valves or missing pipes): their pressures mean nothing")
    if s["min_pressure_m"] is not None:
        click.echo(f"lowest pressure {s['min_pressure_m']:.1f} m at {s['min_pressure_at']}; "
                   f"{s['negative_pressure_junctions']} junction(s) below zero")
    pressures = [v["pressure_m"] for v in snapshot["junctions"].values()]
    if pressures:
        click.echo(f"at {at_h:g} h: pressure {min(pressures):.1f} to {max(pressures):.1f} m")
    t = done["timings"]
    click.echo(f"built in {t['build_s']:.2f} s, run in {t['run_s']:.2f} s, "
               f"stored in {t['store_s']:.2f} s")


@simulate.command("fire-flow")
@click.option("--json", "as_json", is_flag=True, help="Every hydrant's available flow as JSON.")
@click.option("--map", "map_out", type=click.Path(dir_okay=False, writable=True),
              help="Write a map of the hydrants (HTML, opens in a browser).")
@click.pass_obj
def fire_flow(settings: Settings, as_json: bool, map_out: str | None):
    """Flow each hydrant gives at the minimum residual pressure; those below the requirement."""
    from twin.db.engine import get_engine, session_scope

    from .fire import hydrant_fire_flows
    from .maps import fire_flow_map

    settings = settings or Settings.from_env()
    with session_scope(get_engine(settings)) as session:
        result = hydrant_fire_flows(session, settings.home)
    if map_out:
        fire_flow_map(result).save(map_out)
    if as_json:
        json.dump(result, sys.stdout, indent=1)
        click.echo("")
        return
    click.echo(f"{len(result['hydrants'])} hydrants at {result['at_s'] / 3600:02.0f}:00, "
               f"{len(result['below'])} below {result['required_lps']:g} L/s at "
               f"{result['residual_m']:g} m residual pressure")
    for h in result["hydrants"]:
        if not h["meets"]:
            click.echo(f"  {h['code']:<20} {h['available_lps']:8.1f} L/s")


@simulate.command("power")
@click.option("--feeder", help="One feeder: its name (e.g. '471 E7.1 Bắc Giang') or the "
              "code of its feeder breaker.  Default: every feeder.")
@click.option("--json", "as_json", is_flag=True,
              help="Each feeder's report, and every bus's vm_pu and every line's and "
              "transformer's loading_percent.")
@click.pass_obj
def power(settings: Settings, feeder: str | None, as_json: bool):
    """Load flow of each feeder (pandapower): loading, voltages, losses, violations."""
    from twin.db.engine import get_engine, session_scope

    from .power_report import feeder_lines
    from .power_service import power_snapshot

    settings = settings or Settings.from_env()
    done = _run_job(settings, {"feeder": feeder}, "twin simulate power", kind="power_run")
    if as_json:
        with session_scope(get_engine(settings)) as session:
            snapshot = power_snapshot(session, done["run_id"])
        snapshot.pop("run")
        json.dump({"run_id": done["run_id"], "feeders": done["feeders"], **snapshot,
                   "timings": done["timings"]}, sys.stdout, indent=1, ensure_ascii=False)
        click.echo("")
        return
    click.echo(f"power run {done['run_id']}: {len(done['feeders'])} feeder(s)")
    for line in feeder_lines(done["feeders"]):
        click.echo(line)
    t = done["timings"]
    click.echo(f"built in {t['build_s']:.2f} s, solved in {t['run_s']:.2f} s, "
               f"stored in {t['store_s']:.2f} s")
