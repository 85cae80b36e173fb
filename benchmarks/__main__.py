"""Run the benchmarks one after the other: ``python -m benchmarks [NAME ...]``.

Each benchmark is also a command of its own (``python -m benchmarks.<name>``)
with its own options; this runs them with their defaults, printing figures and
ratios against the baseline each one measures in the same run.
"""

from __future__ import annotations

import argparse
import importlib
import time

BENCHMARKS = ("steiner_bench", "fiber_plan_bench", "network_bench", "zoning_bench", "demo_bench",
              "coverage_bench",
              "import_bench",
              "api_bench", "map_bench", "tile_build_bench", "live_bench", "load_bench", "simulation_bench")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, []], metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    for name in args.names or BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"benchmarks.{name}").main([])
        print(f"=== {name}: {time.perf_counter() - started:.1f} s ===", flush=True)


if __name__ == "__main__":
    main()
