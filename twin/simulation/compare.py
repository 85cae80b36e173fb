"""Use case: two stored water runs compared at one time of day (``twin simulate compare``)."""

from __future__ import annotations

import dataclasses

from twin.errors import NotFound

from . import store
from .algorithms.compare import pressure_differences

__all__ = ["compare_runs"]


def _pressures(conn, run_id: int, at_s: int) -> dict[str, float]:
    if store.run_row(conn, run_id) is None:
        raise NotFound(f"no water run {run_id}")
    nodes = store.results_at(conn, run_id, at_s)["nodes"]
    return {c: v["pressure_m"] for c, v in nodes.items()
            if ":" not in c and v["pressure_m"] is not None}


def compare_runs(conn, run_a: int, run_b: int, *, at_s: int, limit: int | None = 100) -> dict:
    """Junction pressures of run ``run_b`` minus run ``run_a`` at ``at_s`` (s after the
    start), the largest differences first (``limit`` of them; None: all)."""
    found = pressure_differences(_pressures(conn, run_a, at_s), _pressures(conn, run_b, at_s),
                                 limit=limit)
    return {"run_a": run_a, "run_b": run_b, "at_s": at_s, **dataclasses.asdict(found)}
