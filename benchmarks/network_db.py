"""Network benchmark on a stored twin (the province demo): load, delta, segments, outage.

Part of :mod:`benchmarks.network_bench` (``--db``).  Needs a database holding
at least 100,000 water pipes, e.g. the province demo in a scratch home::

    TWIN_HOME=$(mktemp -d) .venv/bin/twin demo load --scale province
    TWIN_HOME=<that folder> .venv/bin/python -m benchmarks.network_bench --db

The delta measurement commits a few valve edits through ``twin.edits`` and
puts them back afterwards (two more edits per valve in the history).
"""

from __future__ import annotations

import os
import random
import statistics
import time

import networkx as nx
import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from twin.db.engine import session_scope
from twin.edits import update_feature
from twin.features import get_feature
from twin.network.graph import edge_conducts
from twin.network.isolation import isolate
from twin.network.load import load_network, metric_crs
from twin.network.registry import NetworkRegistry, registry_for
from twin.network.segments import valve_segments
from twin.network.service import analyse_outage

__all__ = ["MIN_PIPES", "run"]

MIN_PIPES = 100_000


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _full_loads(engine, repeat: int = 2) -> None:
    print("== Full load from PostGIS (one query per table, vectorised projection)")
    with engine.connect() as conn:
        crs = metric_crs(conn)
        for utility in ("water", "power"):
            times, G = [], None
            for _ in range(repeat):
                seconds, G = _timed(lambda u=utility: load_network(conn, u, crs=crs))
                times.append(seconds)
                conn.rollback()
            print(
                f"{utility:<6} {G.number_of_nodes():>8} nodes {G.number_of_edges():>8} edges: "
                f"best {min(times):6.2f} s of {repeat}"
            )


def _toggle(engine, table: str, codes: list[str], flip) -> None:
    """Change ``flip(properties)`` on ``codes`` in one committed transaction."""
    with session_scope(engine) as session:
        for code in codes:
            props = get_feature(session, table, code)["properties"]
            update_feature(
                session,
                table,
                code,
                flip(props),
                expected_version=props["version"],
                user="benchmark",
                reason="network benchmark (put back right after)",
            )


def _operable(props) -> dict:
    return {"operable": props.get("operable") is False}


def _in_service(props) -> dict:
    return {"status": "out_of_service" if props["status"] == "in_service" else "in_service"}


def _deltas(engine, registry: NetworkRegistry) -> None:
    print("== Keeping the graph current: full reload vs change-feed delta")
    full_s, G = _timed(lambda: registry.current("water"))
    model_s, _ = _timed(registry.isolation_model)
    print(f"first use: full load {full_s:6.2f} s, isolation model {model_s:6.2f} s")
    valves = sorted(n for n, a in G.nodes(data=True) if a["kind"] == "valve")
    pipes = sorted(k for *_, k, a in G.edges(keys=True, data=True) if a["table"] == "water_pipe")
    edits = [
        ("valve(s) made (in)operable", "water_valve", valves, 1, _operable),
        ("valve(s) made (in)operable", "water_valve", valves, 100, _operable),
        ("pipe(s) out of / in service", "water_pipe", pipes, 1, _in_service),
    ]
    for what, table, pool, count, flip in edits:
        chosen = random.Random(count).sample(pool, count)
        for label in ("edit", "put back"):
            _toggle(engine, table, chosen, flip)
            delta_s, _ = _timed(lambda: registry.current("water"))
            refresh = registry.stats()["water"]
            model_s, _ = _timed(registry.isolation_model)
            kept = "patched" if refresh["segments_patched"] else "rebuilt"
            print(
                f"{count:>4} {what:<27} {label:<8}: {refresh['mode']} of {refresh['rows']:>3} rows "
                f"{delta_s * 1000:7.1f} ms (full load / delta {full_s / delta_s:6.0f}x); "
                f"segments {kept} {model_s:5.2f} s"
            )


def _valve_layer(G) -> pd.DataFrame:
    rows = [
        [k, n]
        for n, a in G.nodes(data=True)
        if a["kind"] == "valve"
        for *_, k in G.edges(n, keys=True)
    ]
    return pd.DataFrame(rows, columns=["link", "node"])


def _around(G, size: int):
    """A connected piece of ``G`` of about ``size`` nodes (as many pipes), grown
    breadth-first from its first plant or tank."""
    start = next(n for n, a in G.nodes(data=True) if a["kind"] in ("treatment_plant", "tank"))
    order = [start] + [v for _, v in nx.bfs_edges(G, start)]
    return G.subgraph(order[:size]).copy()


def _segmentation(G, sizes) -> None:
    from benchmarks.network_bench import directed_copy, wntr_partition

    print("== Valve segments of the stored network (ours vs wntr.metrics.valve_segments)")
    G = G.edge_subgraph(
        [(u, v, k) for u, v, k, a in G.edges(keys=True, data=True) if edge_conducts(a)]
    ).copy()
    seconds, seg = _timed(lambda: valve_segments(G))
    print(
        f"whole network {G.number_of_edges():>8} pipes: ours {seconds * 1000:8.1f} ms "
        f"({len(seg)} segments); WNTR not run (quadratic: hours at this size)"
    )
    for size in sizes:
        part = _around(G, size)
        ours_s, ours = _timed(lambda p=part: valve_segments(p))
        layer = _valve_layer(part)
        wntr_s, reference = _timed(lambda p=part, lay=layer: wntr_partition(directed_copy(p), lay))
        valves = {("node", n) for n, a in part.nodes(data=True) if a["kind"] == "valve"}
        reference = {s for s in reference if not (len(s) == 1 and s <= valves)}
        same = "identical" if ours.partition() == reference else "DIFFERENT"
        print(
            f"subnetwork {part.number_of_edges():>8} pipes: ours {ours_s * 1000:8.1f} ms, "
            f"wntr {wntr_s * 1000:10.1f} ms, ratio {wntr_s / ours_s:7.1f}x, {same}"
        )


def _latency(engine, registry: NetworkRegistry, outages: int) -> None:
    print("== Single outage once loaded")
    G = registry.current("water")
    model = registry.isolation_model()
    pipes = sorted(
        k for *_, k, a in G.edges(keys=True, data=True) if a.get("table") == "water_pipe"
    )
    sample = random.Random(7).sample(pipes, outages)
    engine_ms = []
    for pipe in sample:
        seconds, _ = _timed(lambda p=pipe: isolate(G, p, model=model))
        engine_ms.append(seconds * 1000)
    report_ms = []
    with Session(engine) as session:
        for pipe in sample:
            seconds, _ = _timed(lambda p=pipe: analyse_outage(session, [p], active_incidents={}))
            report_ms.append(seconds * 1000)
            session.rollback()
    for label, values in (("isolation only", engine_ms), ("full crew report", report_ms)):
        values = sorted(values)
        print(
            f"{label:<17} median {statistics.median(values):8.1f} ms, "
            f"p95 {values[int(0.95 * (len(values) - 1))]:8.1f} ms over {len(values)} pipes"
        )


def run(url: str, *, outages: int = 30, wntr_sizes=(3000, 10000)) -> None:
    """Every measurement on the twin at ``url``; says so and returns when it is too small."""
    engine = create_engine(url)
    with engine.connect() as conn:
        pipes = conn.execute(text("SELECT count(*) FROM assets.water_pipe")).scalar()
    if pipes < MIN_PIPES:
        print(
            f"== Stored network: {pipes} water pipes (< {MIN_PIPES}); load the province demo "
            "(twin demo load --scale province) into a scratch TWIN_HOME to run this part"
        )
        return
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"== Stored twin with {pipes} water pipes (machine load average {load})")
    _full_loads(engine)
    registry = NetworkRegistry(engine)
    _deltas(engine, registry)
    _segmentation(registry.current("water"), wntr_sizes)
    shared = registry_for(engine)  # the one analyse_outage uses
    shared.current("water")
    _latency(engine, shared, outages)
    engine.dispose()
