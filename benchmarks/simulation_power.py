"""Power rows of the simulation benchmark: every feeder's load flow, a checked restoration.

Per scale: seconds to read the power layer and build the model, to solve the
load flow of every feeder at once (pandapower, Newton–Raphson; the first
solve also pays pandapower's import), to sum each feeder up, to run
``simulate_power`` as the CLI does (read, solve, store every bus, line and
transformer), and the first outage of a 22 kV line whose restoration closes a
tie, with the tie checked by load flow (the first check also reads the model
and solves normal operation, once per data version; then the check alone).  ``--pictures`` draws the lines
coloured by loading.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine, pool, text
from sqlalchemy.orm import Session

__all__ = ["bench_power"]


def _timed(fn, label: str):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"  {label:<26} {seconds:8.2f} s", flush=True)
    return seconds, result


def _restored_line(session) -> str | None:
    """The first 22 kV line (every 25th by code) whose outage closes a tie."""
    from twin.network.service import analyse_outage

    codes = session.execute(text(
        "SELECT code FROM assets.power_line WHERE voltage_kv > 1 ORDER BY code")).scalars().all()
    for code in codes[::25]:
        if analyse_outage(session, [code])["analysis"]["restoration"]:
            return code
    return None


def bench_power(url: str, pictures: Path | None, scale: str) -> dict:
    import pandapower  # noqa: F401  (paid once per process, before any timing)

    from twin.simulation import load_power_model, power_limits, simulate_power
    from twin.simulation.algorithms.power_feeders import feeders
    from twin.simulation.algorithms.power_flow import feeder_report, run_load_flow

    engine = create_engine(url, poolclass=pool.NullPool)
    out = {}
    with Session(engine) as session:
        out["power_build"], model = _timed(lambda: load_power_model(session), "power_build")
    print(f"{scale}: {model.counts}", flush=True)
    out["power_flow_all_feeders"], flow = _timed(lambda: run_load_flow(model),
                                                 "power_flow_all_feeders")
    limits = power_limits()
    out["power_feeder_reports"], reports = _timed(
        lambda: [feeder_report(model, flow, f, limits) for f in feeders(model, flow.states)],
        "power_feeder_reports")
    out["simulate_power"], _ = _timed(lambda: simulate_power(engine, user="benchmark"),
                                      "simulate_power")
    with Session(engine) as session:
        line = _restored_line(session)
        if line:
            from twin.network.service import analyse_outage
            from twin.simulation.algorithms.power_restoration import check_restoration
            from twin.simulation.power_service import current_power_model

            report = analyse_outage(session, [line])  # memoised: the first one ran the check
            first = report["restoration_check"]
            model, reduced, existing = current_power_model(session)
            out["restoration_check_warm"], check = _timed(
                lambda: check_restoration(model, report["analysis"], limits,
                                          existing=existing, reduced=reduced),
                "restoration_check_warm")
            print(f"  outage of {line}: {len(check['steps'])} tie(s), verdict "
                  f"{check['verdict']}; the first check {first['seconds']:.2f} s (reading the "
                  f"model and solving normal operation once per data version)")
    engine.dispose()
    print(_feeders_summary(reports))
    for r in reports:
        low = "not converged" if r["min_vm_pu"] is None else f"min {r['min_vm_pu']:.3f} p.u."
        print(f"    {r['feeder']:<24} {r['customers_supplied']:6d} customers "
              f"{r['load_kw']:9.0f} kW  losses {r['losses_kw'] or 0:7.1f} kW  "
              f"{low}  {len(r['violations'])} violation(s)")
    if pictures is not None:
        from twin.simulation.power_maps import loading_picture

        pictures.mkdir(parents=True, exist_ok=True)
        loading_picture(model, flow, pictures / f"power_{scale}.png",
                        title=f"Demo {scale}: line loading at the evening peak")
    return out


def _feeders_summary(reports: list[dict]) -> str:
    """One line over the feeders; a feeder whose load flow did not converge has no figures."""
    solved = [r for r in reports if r["converged"]]
    line = f"  {len(reports)} feeders, {len(solved)} converged"
    if not solved:
        return line
    return (f"{line}; voltage {min(r['min_vm_pu'] for r in solved):.3f}-"
            f"{max(r['max_vm_pu'] for r in solved):.3f} p.u.; most loaded line "
            f"{max(r['max_line_loading_percent'] for r in solved):.1f} %, transformer "
            f"{max(r['max_transformer_loading_percent'] for r in solved):.1f} %; "
            f"{sum(len(r['violations']) for r in reports)} violation(s)")
