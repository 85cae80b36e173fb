"""Run a SWMM 5 input with the EPA SWMM engine (``swmm-toolkit``) and read its statistics.

The engine keeps one project per process and writes a report and an output
file beside the input: they go to a temporary folder removed afterwards.
Results are SWMM's own end-of-run statistics, converted to SI units
whatever the file's flow units: per node the largest depth, the flooded
volume and hours, per link the largest flow, velocity and depth, per
outfall the largest and mean flow, and the run's routing totals.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DrainageResult", "run_swmm", "run_swmm_file"]

_FOOT_M = 0.3048
_CFS_M3S = _FOOT_M**3
#: m³/s per flow unit of the file (SWMM's FlowUnits order: CFS, GPM, MGD, CMS, LPS, MLD).
_FLOW_M3S = (_CFS_M3S, _CFS_M3S / 448.831, _CFS_M3S / 0.64632, 1.0, 1e-3, 1 / 86.4)


@dataclass
class DrainageResult:
    """End-of-run statistics of every node, link and outfall, in SI units."""

    nodes: dict[str, dict] = field(default_factory=dict)
    links: dict[str, dict] = field(default_factory=dict)
    outfalls: dict[str, dict] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)

    def flooded(self, *, min_volume_m3: float = 0.0) -> dict[str, dict]:
        """Nodes that flooded more than ``min_volume_m3``, the largest volume first."""
        hit = {c: v for c, v in self.nodes.items() if v["flood_volume_m3"] > min_volume_m3}
        return dict(sorted(hit.items(), key=lambda kv: -kv[1]["flood_volume_m3"]))


def _collect(solver, enums) -> DrainageResult:
    us = solver.simulation_get_unit(enums.UnitProperty.SYSTEM_UNIT) == 0
    length = _FOOT_M if us else 1.0
    volume = length**3
    flow = _FLOW_M3S[solver.simulation_get_unit(enums.UnitProperty.FLOW_UNIT)]
    out = DrainageResult()
    node_t, link_t = enums.ObjectType.NODE, enums.ObjectType.LINK
    for i in range(solver.project_get_count(node_t)):
        code = solver.project_get_id(node_t, i)
        s = solver.node_get_stats(i)
        out.nodes[code] = {"max_depth_m": s.maxDepth * length,
                           "flood_volume_m3": s.volFlooded * volume,
                           "flood_hours": s.timeFlooded,
                           "max_flood_rate_m3s": s.maxOverflow * flow,
                           "max_inflow_m3s": s.maxInflow * flow}
        if solver.node_get_type(i) == enums.NodeType.OUTFALL:
            o = solver.outfall_get_stats(i)
            out.outfalls[code] = {"max_flow_m3s": o.maxFlow * flow,
                                  "mean_flow_m3s": o.avgFlow * flow}
    for i in range(solver.project_get_count(link_t)):
        s = solver.link_get_stats(i)
        out.links[solver.project_get_id(link_t, i)] = {
            "max_flow_m3s": abs(s.maxFlow) * flow, "max_velocity_ms": s.maxVeloc * length,
            "max_depth_m": s.maxDepth * length}
    r = solver.system_get_routing_totals()
    out.totals = {"wet_weather_inflow_m3": r.wwInflow * volume, "flooding_m3": r.flooding * volume,
                  "outflow_m3": r.outflow * volume, "continuity_error_pct": r.pctError}
    return out


def run_swmm_file(path: Path | str, *, progress: Callable | None = None,
                  duration_s: float | None = None) -> DrainageResult:
    """Run the SWMM input file at ``path``; its statistics.

    ``progress(text, done, total)`` is told the simulated minutes now and
    then when given (``duration_s`` sets the total).
    """
    from swmm.toolkit import shared_enum as enums
    from swmm.toolkit import solver

    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="twin-swmm-") as tmp:
        solver.swmm_open(str(path), str(Path(tmp) / "run.rpt"), str(Path(tmp) / "run.out"))
        try:
            solver.swmm_start(False)
            total = int(duration_s // 60) if duration_s else None
            last = -1
            while (elapsed_days := solver.swmm_step()) > 0:
                minute = int(elapsed_days * 1440)
                if progress and minute // 10 > last:
                    last = minute // 10
                    progress("running SWMM", minute, total)
            result = _collect(solver, enums)  # statistics exist until the run ends
            solver.swmm_end()
            return result
        finally:
            solver.swmm_close()


def run_swmm(inp_text: str, *, progress: Callable | None = None,
             duration_s: float | None = None) -> DrainageResult:
    """Run SWMM on the input text ``inp_text`` (see :func:`run_swmm_file`)."""
    with tempfile.TemporaryDirectory(prefix="twin-swmm-") as tmp:
        path = Path(tmp) / "model.inp"
        path.write_text(inp_text, encoding="utf-8")
        return run_swmm_file(path, progress=progress, duration_s=duration_s)
