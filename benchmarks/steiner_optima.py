"""Optima of the generated Steiner instances, by long exact runs.

Each instance of :mod:`benchmarks.steiner_instances` is solved with a long
time limit: dual ascent, reductions, the dynamic programme and the HiGHS
cut model (after the search's tree has pruned the graph) prove the optimum
where they can.  Written per instance: the best cost, the best lower bound
and whether they meet (``proven``).  The benchmark compares against ``opt``
only where it is proven; elsewhere against the best known tree and bound.

Run from the repository root (minutes per instance at most)::

    .venv/bin/python -m benchmarks.steiner_optima [--time-limit 120] [--series grid road]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.steiner_instances import SERIES, series  # noqa: E402
from twin.fiber.steiner import steiner_tree  # noqa: E402

OPTIMA = ROOT / "benchmarks" / "data" / "steiner_generated_optima.csv"
FIELDS = ["series", "name", "n", "m", "t", "opt", "lower", "upper", "proven", "seconds"]


def known(path: Path = OPTIMA) -> dict[str, dict]:
    """Rows of the optima file by instance name."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", nargs="+", default=list(SERIES))
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--out", type=Path, default=OPTIMA)
    args = parser.parse_args(argv)
    rows = known(args.out)
    for name in args.series:
        for inst in series(name):
            if rows.get(inst.name, {}).get("proven") == "True":
                continue
            started = time.perf_counter()
            result = steiner_tree(inst.graph, inst.terminals, time_limit=args.time_limit)
            old = rows.get(inst.name)
            upper = min(result.cost, float(old["upper"])) if old else result.cost
            lower = max(result.lower_bound, float(old["lower"])) if old else result.lower_bound
            rows[inst.name] = {
                "series": name,
                "name": inst.name,
                "n": inst.graph.number_of_nodes(),
                "m": inst.graph.number_of_edges(),
                "t": len(inst.terminals),
                "opt": f"{upper:g}" if upper <= lower else "",
                "lower": f"{lower:g}",
                "upper": f"{upper:g}",
                "proven": upper <= lower,
                "seconds": f"{time.perf_counter() - started:.1f}",
            }
            print(rows[inst.name], flush=True)
            _write(args.out, rows)
    return 0


def _write(path: Path, rows: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        writer.writerows(rows.values())


if __name__ == "__main__":
    raise SystemExit(main())
