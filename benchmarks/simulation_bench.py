"""Benchmark of the simulations on the demo twins: water (build, 24-hour run, outage with
pressure), drainage (a design storm) and power (load flow of every feeder, a restoration
checked by load flow).

Run from the repository root::

    .venv/bin/python -m benchmarks.simulation_bench                      # the city demo
    .venv/bin/python -m benchmarks.simulation_bench --scales city,province
    .venv/bin/python -m benchmarks.simulation_bench --pictures docs/images
    .venv/bin/python -m benchmarks.simulation_bench --parts drainage    # drainage only
    .venv/bin/python -m benchmarks.simulation_bench --parts drainage --storms 2,5,10
    .venv/bin/python -m benchmarks.simulation_bench --parts power      # power rows only

Each scale is loaded into a fresh database of an embedded PostGIS in a
temporary folder (or ``DATABASE_URL``).  Per scale: seconds to read the water
layer and build the model, to run 24 hours with EPANET (goal on the city:
< 10 s), to store the run, the lowest pressure of the day, an outage of a
pipe with valves including the pressure-driven run (goal: < 2 s once the
network is loaded and its EPANET project open, as the web and CLI see it:
the first outage, of another pipe, pays for both), and the fire flow of every
hydrant.  Drainage: seconds to read the drainage layer and build the SWMM
model, to run the 5-year design storm (two hours of rain and two of
draining) and to store it, and a run with the largest main blocked (two
SWMM runs: blocked and open); the flooded nodes, and those of the other storms of
``--storms`` (return periods in years).  WNTR is imported before any timing (its import alone takes
seconds and is paid once per process).  The power rows are described in
:mod:`benchmarks.simulation_power`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, pool, text
from sqlalchemy.orm import Session

from .servers import database_server, fresh_database
from .simulation_power import bench_power

GOALS_S = {"run_24h": 10.0, "outage_with_pressure": 2.0}


def _timed(fn, label: str | None = None):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    if label:
        print(f"  {label:<22} {seconds:8.2f} s", flush=True)
    return seconds, result


def _pipes_with_valves(session) -> list[str]:
    """Two pipes of 110 mm: the second outage is not the first one's memoised report."""
    return session.execute(
        text("SELECT code FROM assets.water_pipe WHERE diameter_mm = 110 ORDER BY code LIMIT 2")
    ).scalars().all()


def bench_scale(url: str, home: Path, pictures: Path | None, scale: str) -> dict:
    from twin.network.service import analyse_outage
    from twin.simulation import (
        RunSettings,
        hydrant_fire_flows,
        load_water_model,
        run_epanet,
        simulate_water,
    )

    engine = create_engine(url, poolclass=pool.NullPool)
    out = {}
    with Session(engine) as session:
        out["build"], model = _timed(lambda: load_water_model(session, home), "build")
    print(f"{scale}: {model.counts}", flush=True)
    out["run_24h"], result = _timed(
        lambda: run_epanet(model, RunSettings(duration_s=86400)), "run_24h")
    done = simulate_water(engine, home, duration_h=24, user="benchmark")
    out["store"] = done["timings"]["store_s"]
    with Session(engine) as session:
        first, pipe = _pipes_with_valves(session)
        out["outage_first"], _ = _timed(lambda: analyse_outage(session, [first]), "outage_first")
        out["outage_with_pressure"], report = _timed(
            lambda: analyse_outage(session, [pipe]), "outage_with_pressure")
        out["fire_flow"], fire = _timed(lambda: hydrant_fire_flows(session, home), "fire_flow")
    engine.dispose()
    s, p = done["summary"], report["pressure"]
    print(f"  lowest pressure of the day {s['min_pressure_m']:.1f} m at {s['min_pressure_at']}, "
          f"{s['negative_pressure_junctions']} junction(s) below zero")
    print(f"  outage of {pipe}: {p['cut_off']['customers']} cut off, {p['low']['customers']} "
          f"low, {p['fine']['customers']} fine (pressure run {p['seconds']:.2f} s)")
    print(f"  fire flow: {len(fire['hydrants'])} hydrants, {len(fire['below'])} below "
          f"{fire['required_lps']:g} L/s")
    for label, seconds in out.items():
        goal = GOALS_S.get(label)
        met = goal is not None and seconds < goal
        verdict = "" if goal is None else f"  (goal < {goal:g} s: {'met' if met else 'MISSED'})"
        print(f"  {label:<22} {seconds:8.2f} s{verdict}")
    if pictures is not None:
        _pictures(pictures, scale, model, result, fire)
    return out


def bench_drainage(url: str, home: Path, pictures: Path | None, scale: str,
                   storms: tuple[float, ...] = ()) -> dict:
    from twin.simulation import (
        design_gage,
        drainage_snapshot,
        load_drainage_model,
        simulate_drainage,
    )

    engine = create_engine(url, poolclass=pool.NullPool)
    with Session(engine) as session:
        model = load_drainage_model(session, home, gage=design_gage(5))
        main = session.execute(text(
            "SELECT code FROM assets.drainage_conduit WHERE diameter_mm IS NOT NULL "
            "ORDER BY diameter_mm DESC, code LIMIT 1")).scalar_one()
    print(f"{scale}: {model.counts}", flush=True)
    done = simulate_drainage(engine, home, storm=5, user="benchmark")
    out = {f"drainage_{k}": v for k, v in done["timings"].items()}
    out["drainage_blocked"], blocked = _timed(
        lambda: simulate_drainage(engine, home, storm=5, blocked=[main], user="benchmark"))
    s = done["summary"]
    print(f"  5-year storm: {s['flooded_nodes']} of {s['nodes']} nodes flooded, "
          f"{s['flood_volume_m3']:,.0f} m³ of {s['rain_runoff_m3']:,.0f} m³ runoff")
    print(f"  {main} blocked: {len(blocked['summary']['flooding_more'])} node(s) flood more")
    for storm in (p for p in storms if p != 5):
        other = simulate_drainage(engine, home, storm=storm, user="benchmark")["summary"]
        print(f"  {storm:g}-year storm: {other['flooded_nodes']} of {other['nodes']} nodes "
              f"flooded, {other['flood_volume_m3']:,.0f} m³")
    for label, seconds in out.items():
        print(f"  {label:<22} {seconds:8.2f} s")
    if pictures is not None:
        from twin.simulation.maps import flooding_picture

        with Session(engine) as session:
            snapshot = drainage_snapshot(session, done["run_id"])
        pictures.mkdir(parents=True, exist_ok=True)
        flooding_picture(snapshot, pictures / f"simulation_drainage_{scale}.png",
                         title=f"Demo {scale}: nodes flooded by the 5-year design storm")
    engine.dispose()
    return out


def _pictures(folder: Path, scale: str, model, result, fire) -> None:
    from twin.simulation import peak_hour_s
    from twin.simulation.maps import pressure_picture

    folder.mkdir(parents=True, exist_ok=True)
    at = peak_hour_s()
    meets = {h["code"]: h["meets"] for h in fire["hydrants"]}
    pressure_picture(
        model, result.node_values("pressure_m", at), folder / f"simulation_{scale}.png",
        hydrants=meets,
        title=f"Demo {scale}: pressure at {at // 3600:02d}:00, hydrants by fire flow",
    )


def _load(url: str, scale: str, home: Path) -> str:
    from twin.demo.load import load

    db = fresh_database(url, f"bench_sim_{scale}")
    seconds, _ = _timed(lambda: load(db, scale=scale, seed=1, home=home, echo=lambda m: None,
                                     progress=False))
    print(f"{scale}: demo loaded in {seconds:.0f} s", flush=True)
    return db


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="city")
    parser.add_argument("--pictures", type=Path,
                        help="Write the maps of each scale here (pressure, flooding, line loading).")
    parser.add_argument("--parts", default="water,drainage,power",
                        help="Any of water, drainage, power (comma-separated).")
    parser.add_argument("--storms", default="5",
                        help="Return periods (years) of the drainage storms whose flooded "
                             "nodes are counted (comma-separated); the 5-year one is timed.")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    if "water" in parts:
        import wntr  # noqa: F401  (paid once per process, before any timing)

    with tempfile.TemporaryDirectory() as tmp, database_server(Path(tmp)) as url:
        for scale in [s for s in args.scales.split(",") if s]:
            home = Path(tmp) / scale
            db = _load(url, scale, home)
            if "water" in parts:
                bench_scale(db, home, args.pictures, scale)
            if "drainage" in parts:
                bench_drainage(db, home, args.pictures, scale,
                               tuple(float(p) for p in args.storms.split(",") if p))
            if "power" in parts:
                bench_power(db, args.pictures, scale)


if __name__ == "__main__":
    main()
