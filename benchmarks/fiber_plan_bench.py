"""Benchmark of the fibre rollout plan on the demo twin: time, villages, cost.

Run from the repository root::

    .venv/bin/python -m benchmarks.fiber_plan_bench                       # city
    .venv/bin/python -m benchmarks.fiber_plan_bench --scales city,province
    .venv/bin/python -m benchmarks.fiber_plan_bench --time-limit 60

Each scale is loaded (without history; not timed) into a fresh database of
an embedded PostGIS in a temporary folder (or of ``DATABASE_URL``).  Then
the plan runs step by step — read the twin, build the trench graph, solve
the Steiner tree, phase it (budget search included), write it back — and is
compared with two baselines measured in the same run on the same graph:

* *design*: the union of the cheapest paths from the existing network to
  each village (every village on its own shortest route), against the
  Steiner tree: the tree's network cost as a share of the baseline's;
* *phasing*: cheapest extension first under the same annual budget, against
  the plan's most households per VND first: households covered after the
  first year and the year 80 % of households is reached.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import networkx as nx
from sqlalchemy import create_engine, pool

from benchmarks.demo_bench import _fresh_database
from twin.db.cluster import Cluster
from twin.db.engine import session_scope
from twin.fiber.budget import budget_to_reach
from twin.fiber.certified import certify_phases
from twin.fiber.costs import load_costs
from twin.fiber.design import design_network
from twin.fiber.load import load_inputs
from twin.fiber.phasing import links_of, plan_rollout
from twin.fiber.plan import FiberPlan, PlanOptions
from twin.fiber.plan_graph import ROOT, plan_graph
from twin.fiber.quantities import bill_of_quantities, phase_parts
from twin.fiber.writeback import write_plan

M = 1e6


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def shortest_paths_cost(plan) -> float:
    """Network cost (VND) of the union of cheapest root-to-village paths."""
    G = plan.graph
    _, paths = nx.single_source_dijkstra(G, ROOT, weight="cost_vnd")
    edges = set()
    for v in plan.villages:
        if v.status == "planned":
            path = paths[v.node]
            edges |= {frozenset(e) for e in zip(path, path[1:], strict=False)}
    return sum(G.edges[tuple(e)]["cost_vnd"] for e in edges)


def cheapest_first(design, budget: float, years: int) -> list[int]:
    """Households covered at the end of each year, cheapest extension first."""
    links = links_of(design)
    done = [i == 0 for i in range(len(links.keys))]
    covered = sum(v.covered_households for v in design.villages if v.status == "connected")
    out, saved = [], 0.0
    for _ in range(years):
        available = budget + saved
        while True:
            cost = {}
            for i in range(1, len(links.keys)):
                if done[i] or not links.villages[i]:
                    continue
                n, total = i, 0.0
                while not done[n]:
                    total, n = total + links.cost_vnd[n], links.parent[n]
                cost[i] = total
            fits = [i for i, c in cost.items() if c <= available]
            if not fits:
                break
            i = min(fits, key=cost.get)
            available -= cost[i]
            while not done[i]:
                done[i], covered = True, covered + links.households[i]
                i = links.parent[i]
        saved = available
        out.append(covered)
    return out


def bench_scale(url: str, scale: str, home: Path, time_limit: float, years: int) -> dict:
    from twin.demo.load import load

    load(
        url,
        scale=scale,
        seed=1,
        home=home,
        echo=lambda m: None,
        history=False,
        progress=scale == "province",
    )
    engine = create_engine(url, poolclass=pool.NullPool)
    costs, seconds = load_costs(), {}
    with engine.connect() as conn:
        seconds["read"], inputs = _timed(lambda: load_inputs(conn))
    seconds["graph"], plan = _timed(lambda: plan_graph(inputs, costs))
    seconds["design"], design = _timed(lambda: design_network(plan, costs, time_limit=time_limit))
    seconds["baseline design"], baseline = _timed(lambda: shortest_paths_cost(plan))
    seconds["phasing"], budget = _timed(lambda: budget_to_reach(design, years=years))
    rollout = plan_rollout(design, budget_per_year_vnd=budget, years=years)
    seconds["certify"], _ = _timed(lambda: certify_phases(design, rollout, time_limit=time_limit))
    naive = cheapest_first(design, budget, years)
    bill = bill_of_quantities(*phase_parts(design, rollout), costs)
    fiber_plan = FiberPlan(
        "bench", inputs.crs, PlanOptions(years=years), costs, design, rollout, bill, {}
    )
    with session_scope(engine) as session:
        seconds["write-back"], written = _timed(
            lambda: write_plan(session, fiber_plan, user="bench")
        )
    engine.dispose()
    total = sum(v.households for v in design.villages)
    edges = sum(d["cost_vnd"] for _, _, d in design.tree.edges(data=True))
    naive_80 = next((y + 1 for y, c in enumerate(naive) if c >= 0.8 * total), None)
    return {
        "scale": scale,
        "seconds": seconds,
        "villages": len(design.villages),
        "planned": len(design.planned),
        "reached": sum(v.status != "unreachable" for v in design.villages),
        "graph": (plan.graph.number_of_nodes(), plan.graph.number_of_edges()),
        "cost": design.total_cost_vnd,
        "network": design.network_cost_vnd,
        "tree_edges": edges,
        "baseline_edges": baseline,
        "budget": budget,
        "year1": rollout.phases[0].households_covered,
        "naive_year1": naive[0],
        "year80": rollout.year_households_target,
        "naive_year80": naive_80,
        "year_all": rollout.year_all_villages,
        "total_hh": total,
        "written": sum(v for k, v in written.items() if k != "removed"),
        "gap": design.stats["solver_gap_pct"],
        "bound": design.stats["solver_lower_bound"],
        "method": design.stats["solver_method"],
        "phase_gaps": [(p.year, p.gap_pct) for p in rollout.phases],
    }


def report(r: dict) -> None:
    s = r["seconds"]
    nodes, edges = r["graph"]
    print(
        f"== {r['scale']}: {r['villages']} villages, {r['planned']} to connect, "
        f"{r['reached']} reached; graph {nodes:,} nodes {edges:,} edges"
    )
    print(
        "  "
        + "  ".join(f"{k} {v:.1f} s" for k, v in s.items())
        + f"  total {sum(s.values()):.1f} s"
    )
    print(
        f"  total cost {r['cost'] / M:,.0f} M VND (network {r['network'] / M:,.0f} M VND, "
        f"{r['cost'] / max(r['planned'], 1) / M:,.0f} M VND per village); "
        f"written {r['written']} planned assets"
    )
    print(
        f"  design: Steiner edges {r['tree_edges'] / M:,.0f} M VND vs shortest paths "
        f"{r['baseline_edges'] / M:,.0f} M VND (x{r['tree_edges'] / r['baseline_edges']:.3f})"
    )
    phases = ", ".join(
        f"year {y} {'-' if g is None else format(g, '.2f')} %" for y, g in r["phase_gaps"]
    )
    print(
        f"  certified gap {r['gap']:.2f} % ({r['method']}; no network joining the villages "
        f"costs less than {r['bound'] / M:,.0f} M VND); per phase: {phases}"
    )
    print(
        f"  phasing at {r['budget'] / M:,.0f} M VND/year: households after year 1 "
        f"{r['year1']:,} vs cheapest-first {r['naive_year1']:,} "
        f"(x{r['year1'] / max(r['naive_year1'], 1):.3f}); 80 % of {r['total_hh']:,} households "
        f"in year {r['year80']} vs {r['naive_year80']}; every village in year {r['year_all']}"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="city")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cluster, url = None, os.environ.get("DATABASE_URL")
        if not url:
            cluster = Cluster(Path(tmp) / "pg-home")
            cluster.start()
            url = cluster.url()
        try:
            for scale in args.scales.split(","):
                db = _fresh_database(url, f"bench_fiber_{scale}")
                report(bench_scale(db, scale, Path(tmp) / scale, args.time_limit, args.years))
        finally:
            if cluster is not None:
                cluster.stop()


if __name__ == "__main__":
    main()
