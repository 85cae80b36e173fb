"""Benchmark of the Steiner tree solver on SteinLib series B and C.

Every instance is solved by :func:`twin.fiber.steiner.steiner_tree` and, in
the same run, by networkx's ``steiner_tree`` with methods ``mehlhorn`` and
``kou`` (2-approximations).  Printed per instance and per series: the gap to
the known optimum (%) and the wall time (s).  Targets: mean gap at most 0.5 %
on each series, no instance above 2 %, each instance under 10 s.

Run from the repository root::

    .venv/bin/python -m benchmarks.steiner_bench [--series B C] [--time-limit S]

The instances are read from ``../shared/data/steinlib`` when present, else
from the copy in ``tests/data/steinlib``.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from networkx.algorithms.approximation import steiner_tree as nx_steiner_tree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twin.fiber.steiner import steiner_tree  # noqa: E402
from twin.fiber.stp import read_stp  # noqa: E402

TARGET_MEAN_GAP = 0.5  # %
TARGET_MAX_GAP = 2.0  # %
TARGET_TIME_S = 10.0


@dataclass
class Outcome:
    cost: float
    seconds: float

    def gap(self, optimum: float) -> float:
        return 100.0 * (self.cost - optimum) / optimum


def data_folder() -> Path:
    shared = ROOT.parent / "shared" / "data" / "steinlib"
    return shared if (shared / "optima.csv").is_file() else ROOT / "tests" / "data" / "steinlib"


def timed(solve) -> Outcome:
    started = time.perf_counter()
    cost = solve()
    return Outcome(float(cost), time.perf_counter() - started)


def solve_all(instance, time_limit, seed, with_networkx):
    graph, terminals = instance.graph, instance.terminals
    runs = {
        "twin": timed(lambda: steiner_tree(graph, terminals, time_limit=time_limit, seed=seed).cost)
    }
    if with_networkx:
        for method in ("mehlhorn", "kou"):
            runs[method] = timed(
                lambda m=method: nx_steiner_tree(graph, terminals, weight="weight", method=m).size(
                    weight="weight"
                )
            )
    return runs


def summary_rows(results, methods):
    """Per series and method: mean gap, max gap, max time, total time."""
    rows = []
    for series in sorted({r["series"] for r in results}):
        chosen = [r for r in results if r["series"] == series]
        for method in methods:
            gaps = [r["runs"][method].gap(r["opt"]) for r in chosen]
            times = [r["runs"][method].seconds for r in chosen]
            rows.append((series, method, statistics.mean(gaps), max(gaps), max(times), sum(times)))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", nargs="+", default=["B", "C"])
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-networkx", action="store_true", help="skip the networkx baselines")
    args = parser.parse_args(argv)
    folder = data_folder()
    methods = ["twin"] + ([] if args.no_networkx else ["mehlhorn", "kou"])
    with (folder / "optima.csv").open(newline="") as handle:
        optima = [row for row in csv.DictReader(handle) if row["group"] in args.series]
    print(f"SteinLib {' '.join(args.series)} from {folder.relative_to(ROOT.parent)}")
    header = f"{'instance':9} {'opt':>6} " + " ".join(
        f"{m + ' cost':>13} {'gap %':>6} {'s':>6}" for m in methods
    )
    print(header)
    results = []
    for row in optima:
        instance = read_stp(folder / row["group"] / row["filename"])
        runs = solve_all(instance, args.time_limit, args.seed, not args.no_networkx)
        optimum = float(row["opt"])
        results.append({"series": row["group"], "opt": optimum, "runs": runs})
        cells = " ".join(
            f"{runs[m].cost:13g} {runs[m].gap(optimum):6.2f} {runs[m].seconds:6.2f}"
            for m in methods
        )
        print(f"{row['filename']:9} {optimum:6g} {cells}", flush=True)
    return report(summary_rows(results, methods))


def report(rows) -> int:
    print()
    print(
        f"{'series':6} {'method':9} {'mean gap %':>10} {'max gap %':>9} {'max s':>7} {'total s':>8}"
    )
    for series, method, mean_gap, max_gap, max_s, total_s in rows:
        print(f"{series:6} {method:9} {mean_gap:10.3f} {max_gap:9.2f} {max_s:7.2f} {total_s:8.2f}")
    ours = [r for r in rows if r[1] == "twin"]
    met = all(
        r[2] <= TARGET_MEAN_GAP and r[3] <= TARGET_MAX_GAP and r[4] < TARGET_TIME_S for r in ours
    )
    for series, _, mean_gap, *_ in ours:
        baseline = next((r for r in rows if r[0] == series and r[1] == "mehlhorn"), None)
        if baseline:
            print(
                f"{series}: mean gap {mean_gap:.3f} % against networkx mehlhorn {baseline[2]:.3f} %"
            )
    print(
        f"targets (mean gap <= {TARGET_MEAN_GAP} %, max gap <= {TARGET_MAX_GAP} %, "
        f"each < {TARGET_TIME_S:g} s): {'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
