"""``twin simulate``: hydraulic runs of the twin's networks from the command line.

A run goes through the background job runner (kinds ``water_run``,
``drainage_run`` and ``power_run``) on a queue of this process's own, so it is recorded,
reports progress and can be cancelled like a run started from a page.
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
    """Simulation: water (EPANET 2.2 through WNTR), drainage (SWMM 5), power (pandapower)."""


def _run_job(settings: Settings, params: dict, user: str, kind: str | None = None) -> dict:
    from twin.db.engine import get_engine
    from twin.errors import TwinError
    from twin.jobs import Runner

    from .jobs import KIND

    runner = Runner(get_engine(settings), settings.home, workers=1,
                    queue=f"cli-{os.getpid()}", poll_s=0.2)
    try:
        job = runner.submit(kind or KIND, params, owner=user)
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
        what = (kind or KIND).removesuffix("_run")
        raise TwinError(f"the {what} run {job['status']}: {job.get('error') or ''}".strip())
    return job["result"]


def _echo_json(found) -> None:
    json.dump(found, sys.stdout, indent=1)
    click.echo("")


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
        return _echo_json({**snapshot, "summary": done["summary"], "timings": done["timings"]})
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


@simulate.command("compare")
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@click.option("--at", "at_h", type=click.FloatRange(min=0), default=None,
              help="Hours from the start of the runs [default: the peak hour].")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many junctions to list (with --json: all).")
@click.option("--json", "as_json", is_flag=True, help="Every junction's difference as JSON.")
@click.pass_obj
def compare(settings: Settings, run_a: int, run_b: int, at_h: float | None, limit: int,
            as_json: bool):
    """Junction pressures of RUN_B minus RUN_A, the largest differences first."""
    from twin.db.engine import get_engine, session_scope

    from .compare import compare_runs
    from .outage import peak_hour_s

    settings = settings or Settings.from_env()
    at_s = peak_hour_s() if at_h is None else int(round(at_h * 3600))
    with session_scope(get_engine(settings)) as session:
        found = compare_runs(session, run_a, run_b, at_s=at_s, limit=None if as_json else limit)
    if as_json:
        return _echo_json(found)
    click.echo(f"runs {run_a} and {run_b} at {at_s / 3600:g} h: {found['compared']} junctions, "
               f"largest difference {found['largest_m']:.2f} m, "
               f"mean {found['mean_abs_m']:.2f} m")
    for key, run in (("only_in_a", run_a), ("only_in_b", run_b)):
        if found[key]:
            click.echo(f"{len(found[key])} junction(s) only in run {run}")
    for r in found["rows"]:
        click.echo(f"  {r['code']:<20} {r['a_m']:8.2f} {r['b_m']:8.2f} {r['difference_m']:+8.2f} m")


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
        return _echo_json(result)
    click.echo(f"{len(result['hydrants'])} hydrants at {result['at_s'] / 3600:02.0f}:00, "
               f"{len(result['below'])} below {result['required_lps']:g} L/s at "
               f"{result['residual_m']:g} m residual pressure")
    for h in result["hydrants"]:
        if not h["meets"]:
            click.echo(f"  {h['code']:<20} {h['available_lps']:8.1f} L/s")


@simulate.command("drainage")
@click.option("--storm", type=click.FloatRange(min=0, min_open=True), required=True,
              help="Return period of the design storm, in years (e.g. 5).")
@click.option("--duration", "duration_min", type=click.FloatRange(5, 1440), default=None,
              help="Minutes the storm lasts (default: the data table's, 120).")
@click.option("--blocked", multiple=True, metavar="CODE",
              help="A conduit closed (repeatable): which nodes flood more.")
@click.option("--json", "as_json", is_flag=True,
              help="Every node's flooding and depth, every conduit's largest flow, as JSON.")
@click.option("--map", "map_out", type=click.Path(dir_okay=False, writable=True),
              help="Write a picture (PNG) of the flooded nodes.")
@click.pass_obj
def drainage(settings: Settings, storm: float, duration_min: float | None,
             blocked: tuple[str, ...], as_json: bool, map_out: str | None):
    """Rain a design storm on the drainage network with SWMM and store the run."""
    from twin.db.engine import get_engine, session_scope

    from .drainage_service import drainage_snapshot
    from .jobs import DRAINAGE_KIND

    settings = settings or Settings.from_env()
    params = {"storm": storm, "duration_min": duration_min, "blocked": list(blocked)}
    done = _run_job(settings, params, "twin simulate drainage", DRAINAGE_KIND)
    with session_scope(get_engine(settings)) as session:
        snapshot = drainage_snapshot(session, done["run_id"])
    if map_out:
        from .maps import flooding_picture

        flooding_picture(snapshot, map_out, title=f"{storm:g}-year storm, run {done['run_id']}")
    if as_json:
        json.dump({**snapshot, "summary": done["summary"], "timings": done["timings"]},
                  sys.stdout, indent=1)
        click.echo("")
        return
    _print_drainage(done, storm)


def _print_drainage(done: dict, storm: float) -> None:
    s, t = done["summary"], done["timings"]
    depth = sum(done["inputs"]["storm"]["intensities_mm_h"]) * (
        done["inputs"]["storm"]["duration_min"]
        / len(done["inputs"]["storm"]["intensities_mm_h"]) / 60)
    click.echo(f"drainage run {done['run_id']}: {storm:g}-year storm, {depth:.0f} mm in "
               f"{done['inputs']['storm']['duration_min']:g} min; {s['nodes']} nodes, "
               f"{s['conduits']} conduits, {s['subcatchments']} catchments")
    click.echo(f"{s['flooded_nodes']} node(s) flooded, {s['flood_volume_m3']:,.0f} m³ in all; "
               f"runoff {s['rain_runoff_m3']:,.0f} m³, outflow {s['outflow_m3']:,.0f} m³")
    for w in s["worst"]:
        click.echo(f"  {w['code']:<22} {w['flood_volume_m3']:10,.1f} m³ "
                   f"{w['flood_hours']:6.2f} h")
    if "flooding_more" in s:
        click.echo(f"with the blocked conduit(s): {len(s['flooding_more'])} node(s) flood more")
        for w in s["flooding_more"][:10]:
            click.echo(f"  {w['code']:<22} +{w['more_m3']:,.1f} m³")
    click.echo(f"built in {t['build_s']:.2f} s, run in {t['run_s']:.2f} s, "
               f"stored in {t['store_s']:.2f} s")


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
