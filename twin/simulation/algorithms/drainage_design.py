"""Sizing a tree of gravity storm sewers the way a drainage engineer does by hand.

Each conduit carries the rational-method flow ``Q = Σ ψ F · q(P, t)`` of the
catchments upstream of it (TCVN 7957:2023), ``q`` the rain of return period
``P`` lasting the time of concentration ``t`` (the inlet time, then the
longest way through the pipes at their design velocities).  The conduits
are designed from the top of the tree down, each:

* at least as large as every conduit entering its upstream node;
* from a standard size list, the smallest that carries its design flow at
  most ``max_depth_ratio`` full (Manning, part-full circular section);
* laid with its crown at least ``cover_m`` under the ground at both ends,
  its crown no higher than the crowns entering its upstream node, with a
  drop across the manhole, and at least the self-cleansing slope (the slope
  at which the pipe running full reaches ``self_cleansing_ms``); where the
  ground falls faster, the pipe follows it.

The network is plain data: conduits as ``(upstream node, downstream node,
length_m)``, ground levels (m) and catchments ``(area_m2, runoff
coefficient)`` by node, and the rain as a function ``rain_mm_h(P, minutes)``.
Nothing is changed in place; the design comes back as a new record.

>>> design = design_sewers([("a", "b", 100.0)], {"a": 10.0, "b": 9.8},
...                        {"a": (10_000.0, 0.8)}, lambda p, t: 150.0,
...                        rules=DesignRules((300, 400, 600, 800)))
>>> c = design.conduits[0]
>>> c.diameter_mm, round(c.flow_m3s, 3), round(c.invert_up_m, 2), round(c.depth_ratio, 2)
(800, 0.333, 8.5, 0.54)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "DesignRules",
    "SewerDesign",
    "SizedConduit",
    "depth_ratio",
    "design_sewers",
    "full_capacity_m3s",
    "self_cleansing_slope",
]

#: Depth ratio at which a circular pipe carries the most (above it the wetted
#: perimeter grows faster than the area).
_MOST_FLOW_DEPTH = 0.938


@dataclass(frozen=True)
class DesignRules:
    """The rules of a design (units in the names); see :mod:`twin.simulation.drainage_standards`."""

    diameters_mm: tuple[int, ...]
    manning_n: float = 0.013
    cover_m: float = 0.7
    max_depth_ratio: float = 0.8
    self_cleansing_ms: float = 0.9
    drop_m: float = 0.02
    inlet_time_min: float = 5.0
    branch_years: float = 2.0
    main_years: float = 5.0
    main_area_m2: float = 100_000.0


@dataclass(frozen=True)
class SizedConduit:
    """One conduit as designed: size, inverts (m) and its design flow's state."""

    up: Hashable
    down: Hashable
    length_m: float
    diameter_mm: int
    invert_up_m: float
    invert_down_m: float
    flow_m3s: float
    return_period_years: float
    depth_ratio: float
    velocity_ms: float

    @property
    def slope(self) -> float:
        return (self.invert_up_m - self.invert_down_m) / self.length_m


@dataclass(frozen=True)
class SewerDesign:
    """Conduits in the order given, each node's invert and the design flow reaching it."""

    conduits: tuple[SizedConduit, ...]
    node_invert_m: dict
    node_flow_m3s: dict


def _part_full(d_m: float, y: float) -> tuple[float, float]:
    """Flow area (m²) and hydraulic radius (m) of a circular pipe ``y`` full (depth ratio)."""
    theta = 2.0 * math.acos(1.0 - 2.0 * min(max(y, 1e-9), 1.0))
    area = d_m * d_m / 8.0 * (theta - math.sin(theta))
    return area, area / (d_m * theta / 2.0)


def _manning(area: float, radius: float, slope: float, n: float) -> float:
    return area * radius ** (2 / 3) * math.sqrt(max(slope, 0.0)) / n


def full_capacity_m3s(diameter_m: float, slope: float, n: float) -> float:
    """Flow (m³/s) of a circular pipe running just full at ``slope`` (Manning)."""
    return _manning(math.pi * diameter_m**2 / 4, diameter_m / 4, slope, n)


def self_cleansing_slope(diameter_m: float, velocity_ms: float, n: float) -> float:
    """The slope at which the pipe running full flows at ``velocity_ms``."""
    return (velocity_ms * n / (diameter_m / 4) ** (2 / 3)) ** 2


def depth_ratio(flow_m3s: float, diameter_m: float, slope: float, n: float) -> float:
    """Depth ratio (0–1) at which the pipe carries ``flow_m3s`` in uniform flow; ``inf`` when
    it cannot carry it at all."""
    if flow_m3s <= 0:
        return 0.0
    most = _manning(*_part_full(diameter_m, _MOST_FLOW_DEPTH), slope, n)
    if flow_m3s > most:
        return math.inf
    lo, hi = 0.0, _MOST_FLOW_DEPTH
    for _ in range(40):
        mid = (lo + hi) / 2
        if _manning(*_part_full(diameter_m, mid), slope, n) < flow_m3s:
            lo = mid
        else:
            hi = mid
    return hi


def _flow_share(y: float) -> float:
    """Share of the full flow a circular pipe carries ``y`` full (the same for every size)."""
    area, radius = _part_full(1.0, y)
    return area / (math.pi / 4) * (radius / 0.25) ** (2 / 3)


def _upstream_first(conduits: Sequence[tuple]) -> list[int]:
    """Indices of the conduits, every one after all the conduits entering its upstream node."""
    leaving: dict = {}
    entering: dict = {}
    for i, (up, down, _) in enumerate(conduits):
        if up in leaving:
            raise ValueError(f"node {up!r} has more than one conduit leaving it: not a tree")
        leaving[up] = i
        entering.setdefault(down, []).append(i)
    waiting = {i: len(entering.get(c[0], ())) for i, c in enumerate(conduits)}
    ready = [i for i, k in waiting.items() if k == 0]
    order = []
    while ready:
        i = ready.pop()
        order.append(i)
        nxt = leaving.get(conduits[i][1])
        if nxt is not None:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    if len(order) != len(conduits):
        raise ValueError("the conduits form a loop: not a tree")
    return order


def _lay(d_m, up, down, length, ground, entering, rules) -> tuple[float, float]:
    """Inverts (m) of a pipe of ``d_m`` between nodes ``up`` and ``down``."""
    top = ground[up] - rules.cover_m - d_m
    invert_up = min([top] + [c.invert_down_m - rules.drop_m for c in entering]
                    + [c.invert_down_m + c.diameter_mm / 1000 - d_m for c in entering])
    least = self_cleansing_slope(d_m, rules.self_cleansing_ms, rules.manning_n)
    invert_down = min(ground[down] - rules.cover_m - d_m, invert_up - least * length)
    return invert_up, invert_down


def _size(flow, up, down, length, ground, entering, rules) -> tuple[float, float, float, float]:
    """Diameter (m), inverts and depth ratio of the smallest standard pipe that will do."""
    floor = max((c.diameter_mm for c in entering), default=0)
    sizes = [d / 1000 for d in rules.diameters_mm if d >= floor] or [floor / 1000]
    n = rules.manning_n
    share = _flow_share(rules.max_depth_ratio)
    for d_m in sizes:
        inv_up, inv_down = _lay(d_m, up, down, length, ground, entering, rules)
        slope = (inv_up - inv_down) / length
        if flow <= share * full_capacity_m3s(d_m, slope, n):
            return d_m, inv_up, inv_down, depth_ratio(flow, d_m, slope, n)
    # Even the largest size is too small at the ground's fall: steepen it.
    d_m = sizes[-1]
    inv_up, inv_down = _lay(d_m, up, down, length, ground, entering, rules)
    unit = _manning(*_part_full(d_m, rules.max_depth_ratio), 1.0, n)
    need = (flow / unit) ** 2
    inv_down = min(inv_down, inv_up - need * length)
    return d_m, inv_up, inv_down, depth_ratio(flow, d_m, (inv_up - inv_down) / length, n)


def design_sewers(
    conduits: Sequence[tuple[Hashable, Hashable, float]],
    ground_m: Mapping[Hashable, float],
    catchments: Mapping[Hashable, tuple[float, float]],
    rain_mm_h: Callable[[float, float], float],
    *,
    rules: DesignRules,
) -> SewerDesign:
    """Size and lay every conduit of a tree (see the module docstring).

    Parameters
    ----------
    conduits
        ``(upstream node, downstream node, length_m)``; at most one conduit
        leaves a node.
    ground_m
        Ground level (m) of every node.
    catchments
        ``(area_m2, runoff coefficient ψ)`` of the catchment draining into a node.
    rain_mm_h
        Mean intensity (mm/h) of the rain of return period ``P`` (years)
        lasting ``t`` minutes.
    """
    done: dict[int, SizedConduit] = {}
    entering: dict = {}
    area: dict[int, float] = {}
    runoff: dict[int, float] = {}
    minutes: dict = {}
    for i in _upstream_first(conduits):
        up, down, length = conduits[i]
        length = max(float(length), 0.1)
        inflow = [done[j] for j in entering.get(up, ())]
        own_area, psi = catchments.get(up, (0.0, 0.0))
        area[i] = own_area + sum(area[j] for j in entering.get(up, ()))
        runoff[i] = own_area * psi + sum(runoff[j] for j in entering.get(up, ()))
        t = max([rules.inlet_time_min] + [
            minutes[c.up] + c.length_m / max(c.velocity_ms, 0.1) / 60 for c in inflow])
        minutes[up] = t
        years = rules.main_years if area[i] >= rules.main_area_m2 else rules.branch_years
        flow = runoff[i] * rain_mm_h(years, t) / 3.6e6
        d_m, inv_up, inv_down, y = _size(flow, up, down, length, ground_m, inflow, rules)
        slope = (inv_up - inv_down) / length
        velocity = (flow / _part_full(d_m, y)[0] if flow > 0
                    else full_capacity_m3s(d_m, slope, rules.manning_n) / (math.pi * d_m**2 / 4))
        done[i] = SizedConduit(up, down, length, round(d_m * 1000), inv_up, inv_down, flow,
                               years, y, velocity)
        entering.setdefault(down, []).append(i)
    sized = tuple(done[i] for i in range(len(conduits)))
    invert = {c.up: c.invert_up_m for c in sized}
    node_flow = {c.up: c.flow_m3s for c in sized}
    for down, ids in entering.items():
        if down not in node_flow:
            invert[down] = min(done[j].invert_down_m for j in ids)
            node_flow[down] = _outlet_flow(down, ids, done, area, runoff, minutes, rain_mm_h,
                                           catchments, rules)
    return SewerDesign(sized, invert, node_flow)


def _outlet_flow(node, ids, done, area, runoff, minutes, rain_mm_h, catchments, rules) -> float:
    """The design flow (m³/s) reaching an outlet from the conduits entering it."""
    own_area, psi = catchments.get(node, (0.0, 0.0))
    total_area = own_area + sum(area[j] for j in ids)
    t = max(minutes[done[j].up] + done[j].length_m / max(done[j].velocity_ms, 0.1) / 60
            for j in ids)
    years = rules.main_years if total_area >= rules.main_area_m2 else rules.branch_years
    return (own_area * psi + sum(runoff[j] for j in ids)) * rain_mm_h(years, t) / 3.6e6
