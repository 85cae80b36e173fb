"""Who keeps water after an isolation: a pressure-driven run of what is left.

Closing a valve (a node of the twin) stops the flow through it: every link
meeting it closes.  Junctions no open path joins to a reservoir or tank are
cut off outright and left out of the run (EPANET cannot solve a network
part with no head); the rest runs with pressure-driven demand, so a
customer at low pressure receives less than it asks for instead of the
impossible negative pressures a demand-driven run would show.

Each customer (a junction with demand) falls in one group: ``cut_off``
(no path to a source, or less than ``cut_off_share`` of its demand
delivered), ``low`` (pressure below the service minimum) or ``fine``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .build import RunSettings
from .hydraulics import run_epanet
from .records import WaterModel

__all__ = [
    "PressureGroups",
    "asked_m3s",
    "close_assets",
    "connected_part",
    "fed_nodes",
    "links_closed_by",
    "pressure_groups",
]


@dataclass
class PressureGroups:
    """Customer codes by group after the closures, and the run's time and limits."""

    cut_off: list[str] = field(default_factory=list)
    low: list[str] = field(default_factory=list)
    fine: list[str] = field(default_factory=list)
    at_s: int = 0
    service_minimum_m: float = 10.0

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _closes(shut: set[str]):
    def closes(link) -> bool:
        ends = {link.start, link.end}
        ends |= {e.removesuffix(":out") for e in ends}
        return link.code in shut or bool(ends & shut)

    return closes


def links_closed_by(model: WaterModel, assets: Iterable[str]) -> set[str]:
    """Codes of the links named in ``assets`` and of every link meeting a node
    named there (a closed valve, a stopped pump)."""
    closes = _closes(set(assets))
    return {link.code for link in (*model.pipes, *model.pumps, *model.valves) if closes(link)}


def close_assets(model: WaterModel, assets: Iterable[str]) -> WaterModel:
    """A copy of ``model`` with the links :func:`links_closed_by` names closed."""
    closes = _closes(set(assets))
    return dataclasses.replace(
        model,
        pipes=[dataclasses.replace(p, closed=True) if closes(p) else p for p in model.pipes],
        pumps=[dataclasses.replace(p, closed=True) if closes(p) else p for p in model.pumps],
        valves=[dataclasses.replace(v, status="closed") if closes(v) else v
                for v in model.valves],
    )


def fed_nodes(model: WaterModel) -> set[str]:
    """Nodes an open link path joins to a reservoir or a tank."""
    G = nx.Graph()
    G.add_nodes_from(j.code for j in model.junctions)
    sources = [r.code for r in model.reservoirs] + [t.code for t in model.tanks]
    G.add_nodes_from(sources)
    G.add_edges_from((p.start, p.end) for p in model.pipes if not p.closed)
    G.add_edges_from((p.start, p.end) for p in model.pumps if not p.closed)
    G.add_edges_from((v.start, v.end) for v in model.valves if v.status != "closed")
    fed: set[str] = set()
    for s in sources:
        if s not in fed:
            fed |= nx.node_connected_component(G, s)
    return fed


def connected_part(model: WaterModel, fed: set[str]) -> WaterModel:
    """``model`` without the nodes outside ``fed`` and the links that reach them."""

    def keep(link) -> bool:
        return link.start in fed and link.end in fed

    return dataclasses.replace(
        model,
        junctions=[j for j in model.junctions if j.code in fed],
        pipes=[p for p in model.pipes if keep(p)],
        pumps=[p for p in model.pumps if keep(p)],
        valves=[v for v in model.valves if keep(v)],
    )


def asked_m3s(model: WaterModel, at_s: int) -> dict[str, float]:
    """Demand (m³/s) each junction with one asks at ``at_s``, its patterns applied."""
    asked = {}
    for j in model.junctions:
        total = 0.0
        for d in j.demands:
            p = model.patterns.get(d.pattern) if d.pattern else None
            factor = p.multipliers[(at_s // p.step_s) % len(p.multipliers)] if p else 1.0
            total += d.base_m3s * factor
        if total > 0:
            asked[j.code] = total
    return asked


def pressure_groups(
    model: WaterModel,
    closed: Iterable[str],
    *,
    at_s: int,
    service_minimum_m: float,
    cut_off_share: float,
    minimum_head_m: float = 0.0,
) -> PressureGroups:
    """Customers cut off, at low pressure and fine at ``at_s`` once ``closed`` are shut.

    A steady state at ``at_s`` (demands of that hour), pressure-driven with
    full demand from ``service_minimum_m`` up and none at ``minimum_head_m``.
    """
    shut = close_assets(model, closed)
    asked = asked_m3s(shut, at_s)
    fed = fed_nodes(shut)
    groups = PressureGroups(at_s=at_s, service_minimum_m=service_minimum_m)
    groups.cut_off = sorted(c for c in asked if c not in fed)
    running = connected_part(shut, fed)
    if any(j.code in asked for j in running.junctions):
        settings = RunSettings(duration_s=0, pattern_start_s=at_s, pressure_driven=True,
                               minimum_head_m=minimum_head_m,
                               required_head_m=service_minimum_m)
        result = run_epanet(running, settings)
        pressure = result.node_values("pressure_m", 0)
        got = result.node_values("demand_lps", 0)
        for code in sorted(c for c in asked if c in fed):
            if got[code] / 1000.0 < cut_off_share * asked[code]:
                groups.cut_off.append(code)
            elif pressure[code] < service_minimum_m:
                groups.low.append(code)
            else:
                groups.fine.append(code)
    groups.cut_off.sort()
    return groups
