"""Benchmark of network topology and outage analysis against WNTR and pandapower.

Run from the repository root::

    .venv/bin/python -m benchmarks.network_bench            # Net6, 100k-pipe grid, power
    .venv/bin/python -m benchmarks.network_bench --wntr-full  # WNTR on the full grid too (slow)
    TWIN_HOME=<home of the province demo> .venv/bin/python -m benchmarks.network_bench --db-only

Water: valve segmentation of the whole network side by side with
``wntr.metrics.valve_segments`` on the same graph and valve layer (segments
must be identical), then single-outage isolation latency once the graph and
its isolation model are loaded, and the N-1 ranking of every segment.
WNTR's segmentation grows quadratically with the network (it looks names up
in a list), so on the synthetic grid it runs on growing sub-grids (40² and
70² nodes; with ``--wntr-full`` also 100² and the full grid).  Power: per-outage time of every line of
pandapower's MV Oberrhein network against ``pandapower.topology.unsupplied_buses``.
Stored twin (``--db``, see :mod:`benchmarks.network_db`): full load from
PostGIS, change-feed delta against a reload, segmentation against WNTR on
subnetworks, and the latency of one outage with its whole crew report.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import warnings
from pathlib import Path

import networkx as nx
import pandas as pd

from tests.twin.network.wntr_reference import wntr_partition
from twin.network.adapters.wntr_model import graph_from_wntr, placements_from_valve_layer
from twin.network.criticality import rank_segments
from twin.network.graph import build_graph
from twin.network.isolation import isolate, isolation_model
from twin.network.segments import valve_segments

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn, repeat: int = 3):
    """Smallest wall time of ``repeat`` runs (s) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def grid_records(side: int, seed: int = 1):
    """A side × side street grid: junctions with households, reservoirs at two
    corners, 2·side·(side−1) pipes of 80–120 m and DN100–300."""
    rng = random.Random(seed)
    nodes, edges = [], []
    for i in range(side):
        for j in range(side):
            kind = "reservoir" if (i, j) in ((0, 0), (side - 1, side - 1)) else "junction"
            nodes.append(
                {
                    "code": f"N{i}_{j}",
                    "kind": kind,
                    "x": i * 100.0,
                    "y": j * 100.0,
                    "households": rng.randint(0, 40) if kind == "junction" else 0,
                }
            )
    for i in range(side):
        for j in range(side):
            for di, dj, tag in ((1, 0, "h"), (0, 1, "v")):
                if i + di < side and j + dj < side:
                    edges.append(
                        {
                            "code": f"P{tag}{i}_{j}",
                            "start_node": f"N{i}_{j}",
                            "end_node": f"N{i + di}_{j + dj}",
                            "length_m": rng.uniform(80, 120),
                            "diameter_mm": rng.choice((100, 150, 200, 300)),
                        }
                    )
    return nodes, edges


def strategic_layer(G, seed: int = 1) -> pd.DataFrame:
    """WNTR's 'strategic' N-1 layer: a valve on every link of a node but one."""
    rng = random.Random(seed)
    rows = []
    for node in G:
        links = sorted(k for *_, k in G.edges(node, keys=True))
        rng.shuffle(links)
        rows += [[link, node] for link in links[1:]]
    return pd.DataFrame(rows, columns=["link", "node"])


def directed_copy(G) -> nx.MultiDiGraph:
    D = nx.MultiDiGraph()
    D.add_nodes_from(G)
    D.add_edges_from(
        (a["start_node"], a["end_node"], k) for *_, k, a in G.edges(keys=True, data=True)
    )
    return D


def compare_segmentation(label: str, G, layer, *, run_wntr: bool = True) -> None:
    placements = placements_from_valve_layer(layer)
    ours_s, ours = best_of(lambda: valve_segments(G, placements=placements))
    line = f"{label:<28} {G.number_of_edges():>7} links  ours {ours_s * 1000:8.1f} ms"
    if run_wntr:
        D = directed_copy(G)
        start = time.perf_counter()
        reference = wntr_partition(D, layer)
        wntr_s = time.perf_counter() - start
        same = "identical" if ours.partition() == reference else "DIFFERENT"
        line += f"  wntr {wntr_s * 1000:10.1f} ms  ratio {wntr_s / ours_s:7.1f}x  {same}"
    print(line + f"  ({len(ours)} segments)")


def outage_latency(label: str, G, layer, outages: int) -> None:
    placements = placements_from_valve_layer(layer)
    build_s, model = best_of(lambda: isolation_model(G, placements=placements), repeat=1)
    pipes = sorted(k for *_, k in G.edges(keys=True))
    sample = random.Random(3).sample(pipes, min(outages, len(pipes)))
    times = []
    for pipe in sample:
        start = time.perf_counter()
        isolate(G, pipe, model=model)
        times.append((time.perf_counter() - start) * 1000)
    rank_s, ranking = best_of(lambda: rank_segments(G, model=model), repeat=1)
    print(
        f"{label:<28} model {build_s * 1000:8.1f} ms; isolation per outage: median "
        f"{statistics.median(times):6.2f} ms, max {max(times):6.2f} ms over {len(times)}; "
        f"N-1 ranking of {len(ranking)} groups {rank_s * 1000:8.1f} ms"
    )


def water(args) -> None:
    import wntr

    net6 = Path(wntr.__file__).parent / "library" / "networks" / "Net6.inp"
    wn = wntr.network.WaterNetworkModel(str(net6))
    G = graph_from_wntr(wn)
    print("== Water: valve segmentation (ours vs wntr.metrics.valve_segments)")
    layers = {
        "strategic N-1": wntr.network.generate_valve_layer(wn, "strategic", 1, seed=42),
        "random": wntr.network.generate_valve_layer(wn, "random", wn.num_links // 2, seed=42),
    }
    for name, layer in layers.items():
        compare_segmentation(f"Net6 {name}", G, layer)
    steps = (40, 70, 100) if args.wntr_full else (40, 70)
    sizes = [s for s in steps if s < args.grid_side] + [args.grid_side]
    grids = {}
    for side in sizes:
        grids[side] = build_graph("water", *grid_records(side))
        full = side == args.grid_side
        compare_segmentation(
            f"grid {side}x{side} strategic",
            grids[side],
            strategic_layer(grids[side]),
            run_wntr=not full or args.wntr_full,
        )
    print("== Water: single outage after loading (isolation model built once)")
    outage_latency("Net6 strategic N-1", G, layers["strategic N-1"], args.outages)
    big = grids[args.grid_side]
    outage_latency(
        f"grid {args.grid_side}x{args.grid_side}", big, strategic_layer(big), args.outages
    )


def power(args) -> None:
    import pandapower.networks as pn
    import pandapower.topology as top

    from twin.network.adapters.pandapower_net import graph_from_pandapower
    from twin.network.power import power_outage
    from twin.network.traces import unsupplied

    net = pn.mv_oberrhein()
    G = graph_from_pandapower(net)
    pp_times, our_times, report_times, same = [], [], [], 0
    for line in net.line.index:
        start = time.perf_counter()
        net.line.at[line, "in_service"] = False
        reference = top.unsupplied_buses(net)
        net.line.at[line, "in_service"] = True
        pp_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        dark = unsupplied(G, removed=[f"line:{line}"])
        our_times.append(time.perf_counter() - start)
        buses = {int(n.split(":")[1]) for n in dark if G.nodes[n]["kind"] == "bus"}
        same += buses == reference
        start = time.perf_counter()
        power_outage(G, f"line:{line}")
        report_times.append(time.perf_counter() - start)
    n = len(net.line)
    pp_ms, our_ms = statistics.mean(pp_times) * 1000, statistics.mean(our_times) * 1000
    print("== Power: MV Oberrhein, every line out in turn")
    print(
        f"pandapower unsupplied_buses {pp_ms:7.2f} ms/outage; ours unsupplied {our_ms:7.2f} "
        f"ms/outage (ratio {pp_ms / our_ms:5.2f}x); full power_outage report "
        f"{statistics.mean(report_times) * 1000:7.2f} ms; identical {same}/{n}"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--grid-side",
        type=int,
        default=225,
        help="nodes per side of the synthetic grid (225 gives 100,800 pipes)",
    )
    parser.add_argument("--outages", type=int, default=200, help="single outages to time")
    parser.add_argument(
        "--wntr-full", action="store_true", help="also run WNTR on the full grid (tens of minutes)"
    )
    parser.add_argument("--skip-power", action="store_true")
    parser.add_argument(
        "--db", action="store_true", help="also measure the stored twin (DATABASE_URL/TWIN_HOME)"
    )
    parser.add_argument("--db-only", action="store_true", help="only the stored twin")
    parser.add_argument("--db-outages", type=int, default=30, help="outage reports to time")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # third-party deprecation chatter
    if not args.db_only:
        water(args)
        if not args.skip_power:
            power(args)
    if args.db or args.db_only:
        from benchmarks.network_db import run
        from twin.config import Settings
        from twin.db.engine import database_url

        run(database_url(Settings.from_env()), outages=args.db_outages)


if __name__ == "__main__":
    main()
