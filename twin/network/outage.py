"""One outage analysis per utility, in the shape a crew report needs.

Each function runs the engine of its utility (water isolation, power trip and
restoration, telecom, lighting, drainage blockage and spill) and returns an
:class:`Outcome`: the engine's own report, the customers it cuts off, the
assets to draw by role, and the device operations in the order a crew does
them.  A power outage also carries its cascade into the utilities that need
electricity.  Plain data in, plain data out: no database here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from twin.errors import InvalidInput, Problem
from twin.network.algorithms.supply import SupplyTree
from twin.network.cascade import cascade_stages
from twin.network.drainage import blockage, spill_path
from twin.network.graph import UTILITIES, edge_lookup
from twin.network.impact import CustomerImpact, customer_impact
from twin.network.isolation import IsolationModel, isolate
from twin.network.lighting import lighting_outage
from twin.network.power import power_outage
from twin.network.telecom import telecom_outage
from twin.network.traces import upstream

__all__ = [
    "Layer",
    "Outcome",
    "drainage_outcome",
    "lighting_outcome",
    "power_dependencies",
    "power_outcome",
    "step",
    "telecom_outcome",
    "visiting_order",
    "water_outcome",
]


@dataclass
class Layer:
    """Assets of one utility to draw in one role (``edge`` or ``node`` codes)."""

    role: str
    utility: str
    kind: str
    codes: list[str]


@dataclass
class Outcome:
    """An outage analysis ready for the report.

    ``customers`` lists ``(utility, CustomerImpact)``: the utility's own
    first, then one per cascade stage; ``steps`` are device operations
    ``{"action", "device", "utility", "reason", "note"}`` in order (see :func:`step`).
    """

    utility: str
    assets: list[str]
    analysis: dict
    customers: list[tuple[str, CustomerImpact]]
    layers: list[Layer] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    cascade: dict | None = None


def _xy(G, node) -> tuple[float, float] | None:
    attrs = G.nodes.get(node) or {}
    x, y = attrs.get("x"), attrs.get("y")
    return None if x is None or y is None else (x, y)


def _centre(G, codes: Iterable[str]) -> tuple[float, float] | None:
    lookup = edge_lookup(G)
    points = []
    for code in codes:
        for node in lookup.get(code, (code,)):
            if (xy := _xy(G, node)) is not None:
                points.append(xy)
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def visiting_order(G, devices: Iterable[str], start: tuple[float, float] | None) -> list[str]:
    """``devices`` in the order a crew walks them: nearest first from ``start``
    (m, the graph's CRS), then always the nearest not yet visited."""
    left = sorted(devices)
    order = []
    here = start
    while left:
        if here is None:
            nxt = left[0]
        else:
            nxt = min(left, key=lambda d: (_distance(here, _xy(G, d)), d))
        order.append(nxt)
        left.remove(nxt)
        here = _xy(G, nxt) or here
    return order


def _distance(a, b) -> float:
    return math.inf if a is None or b is None else math.hypot(a[0] - b[0], a[1] - b[1])


def edges_within(G, nodes: Iterable[str]) -> list[str]:
    """Codes of the edges whose two ends are both in ``nodes``.

    Read from the adjacency of each node (a subgraph view of a feeder's
    thousands of nodes took half a second to list its edges).
    """
    inside = set(nodes)
    adjacency = G._succ if G.is_directed() else G._adj
    return sorted(
        {
            key
            for node in inside
            if node in adjacency
            for other, keyed in adjacency[node].items()
            if other in inside
            for key in keyed
        }
    )


def _valve_side(seg, device, isolated: set[int], cut_off: set[int]) -> str:
    """``supply`` when water still reaches the valve from outside, else ``downstream``."""
    outside = [s for s in seg.devices[device].segments if s not in isolated]
    return "supply" if any(s not in cut_off for s in outside) else "downstream"


def water_outcome(
    G, codes: list[str], *, model: IsolationModel, unavailable: Iterable[str] = ()
) -> Outcome:
    """Isolation of failed water assets: valves to close, supply valves first.

    Closing the valves that water still reaches first stops the flow into
    the work area; the downstream ones only keep it from draining back.
    """
    report = isolate(G, codes, model=model, unavailable=unavailable)
    seg = model.segmentation
    isolated, cut_off = set(report.isolated_segments), set(report.cut_off_segments)
    sides = {d: _valve_side(seg, d, isolated, cut_off) for d in report.valves_to_close}
    start = _centre(G, codes)
    ordered = visiting_order(G, [d for d in sides if sides[d] == "supply"], start)
    last = _xy(G, ordered[-1]) if ordered else start
    ordered += visiting_order(G, [d for d in sides if sides[d] != "supply"], last)
    steps = [step("close", d, "water", f"{sides[d]}_side", f"{sides[d]} side") for d in ordered]
    customers = report.customers
    return Outcome(
        "water",
        codes,
        report.to_dict(),
        [("water", customers)],
        [
            Layer("isolated", "water", "edge", report.isolated_edges),
            Layer("cut_off", "water", "edge", report.cut_off_edges),
            Layer("valve_to_close", "water", "node", ordered),
            Layer("closed_boundary", "water", "node", report.closed_boundary_valves),
            Layer("unavailable_valve", "water", "node", report.unavailable_valves),
            Layer("customer", "water", "node", customers.customer_nodes),
        ],
        steps,
    )


def power_dependencies(graphs: Mapping[str, object]) -> dict[str, str]:
    """Asset of another utility -> power customer feeding it.

    From ``supplies`` on power customers (pump stations, treatment plants)
    and ``power_customer`` on telecom and lighting cabinets; kept only when
    both ends are in the graphs given, so the cascade never meets an
    unknown asset.
    """
    P = graphs["power"]
    found = {a["supplies"]: n for n, a in P.nodes(data=True) if a.get("supplies")}
    for utility, G in graphs.items():
        if utility != "power":
            found.update(
                {n: a["power_customer"] for n, a in G.nodes(data=True) if a.get("power_customer")}
            )
    owners = {u: G for u, G in graphs.items() if u != "power"}
    return {
        asset: customer
        for asset, customer in found.items()
        if customer in P and sum(asset in G for G in owners.values()) == 1
    }


def step(action: str, device: str, utility: str, reason: str, note: str, **extra) -> dict:
    """One device operation: ``reason`` is a key a page translates, ``note`` its English."""
    return {
        "action": action,
        "device": device,
        "utility": utility,
        "reason": reason,
        "note": note,
        **extra,
    }


def _power_steps(report) -> list[dict]:
    steps = []
    tripped = report.tripped_device
    if tripped:
        keeps = tripped in report.isolating_devices
        steps.append(
            step(
                "check_open",
                tripped,
                "power",
                "protection_isolates" if keeps else "protection_tripped",
                "tripped by the protection" + ("; keep open to isolate the fault" if keeps else ""),
            )
        )
    for device in report.isolating_devices:
        if device != tripped:
            steps.append(step("open", device, "power", "isolate", "isolate the fault"))
    section = set(report.faulted_section) | set(report.isolating_devices)
    if tripped and tripped not in section:
        steps.append(
            step("close", tripped, "power", "reenergise", "re-energise up to the isolated section")
        )
    for tie in report.restoration:
        customers = tie.customers.customers
        steps.append(
            step(
                "close",
                tie.tie_switch,
                "power",
                "tie",
                f"tie: feeds {customers} customers from {tie.fed_from}",
                customers=customers,
                fed_from=tie.fed_from,
            )
        )
    return steps


def power_outcome(
    graphs: Mapping[str, object],
    fault: str,
    *,
    unavailable=(),
    supplied: Mapping[str, SupplyTree] | None = None,
) -> Outcome:
    """Trip, isolation and restoration of a power fault, with its cascade.

    The cascade is given twice: ``at_trip`` (what stops the moment the
    protection opens) and ``until_repair`` (what stays stopped after the
    crew's switching).  ``supplied`` maps a utility to the
    :func:`~twin.network.algorithms.supply.supply_tree` of its graph, which
    a caller keeps between analyses (the walks from every source are then
    not repeated for each fault).
    """
    P = graphs["power"]
    supplied = supplied or {}
    report = power_outage(P, fault, unavailable=unavailable, supplied=supplied.get("power"))
    deps = power_dependencies(graphs)
    dark = {"at_trip": report.dark_at_trip, "until_repair": report.out_until_repair}
    staged = cascade_stages(graphs, deps, power_failed=[fault], stages=dark, supplied=supplied)
    at_trip, until = staged["at_trip"], staged["until_repair"]
    restored = sorted({n for step in report.restoration for n in step.nodes})
    layers = [
        Layer("dark_at_trip", "power", "edge", edges_within(P, report.dark_at_trip)),
        Layer("faulted_section", "power", "edge", edges_within(P, report.faulted_section)),
        Layer("restored", "power", "edge", edges_within(P, restored)),
        Layer(
            "tripped_device", "power", "node", [report.tripped_device] * bool(report.tripped_device)
        ),
        Layer("isolating_device", "power", "node", report.isolating_devices),
        Layer("tie_switch", "power", "node", [s.tie_switch for s in report.restoration]),
        Layer("customer", "power", "node", report.customers_at_trip.customer_nodes),
    ]
    customers = [("power", report.customers_at_trip)]
    for stage in at_trip.stages[1:]:
        G = graphs[stage.utility]
        layers.append(Layer("cascade_stopped", stage.utility, "node", stage.stopped))
        layers.append(
            Layer("cascade_lost", stage.utility, "edge", edges_within(G, stage.lost_nodes))
        )
        layers.append(Layer("customer", stage.utility, "node", stage.customers.customer_nodes))
        customers.append((stage.utility, stage.customers))
    return Outcome(
        "power",
        [fault],
        report.to_dict(),
        customers,
        layers,
        _power_steps(report),
        {"at_trip": at_trip.to_dict()["stages"], "until_repair": until.to_dict()["stages"]},
    )


def telecom_outcome(G, codes: list[str]) -> Outcome:
    """Telecom failure: access nodes and villages cut off, rerouted nodes."""
    report = telecom_outage(G, codes)
    return Outcome(
        "telecom",
        codes,
        report.to_dict(),
        [("telecom", report.customers)],
        [
            Layer("lost", "telecom", "edge", edges_within(G, report.lost_nodes)),
            Layer("access_node", "telecom", "node", report.access_nodes),
            Layer("rerouted", "telecom", "node", report.rerouted_access_nodes),
            Layer("customer", "telecom", "node", report.customers.customer_nodes),
        ],
    )


def lighting_outcome(G, codes: list[str]) -> Outcome:
    """Lighting failure: dark lights and cable segments."""
    report = lighting_outage(G, codes)
    return Outcome(
        "lighting",
        codes,
        report.to_dict(),
        [("lighting", CustomerImpact())],
        [
            Layer("dark", "lighting", "edge", report.dark_segments),
            Layer("dark_light", "lighting", "node", report.dark_lights),
            Layer("cabinet", "lighting", "node", report.cabinets),
        ],
    )


def drainage_outcome(G, codes: list[str]) -> Outcome:
    """Drainage failure: what backs up behind it and where a spill runs.

    A blocked conduit backs up everything upstream of it (lowest rims flood
    first); a failed node (a pumping station, a collapsed manhole) backs up
    what drains into it.  The spill path follows gravity to the outfalls.
    """
    lookup = edge_lookup(G)
    analyses, up_nodes, up_edges, down_edges, outfalls = [], set(), set(), set(), set()
    for code in codes:
        if code in lookup:
            back = blockage(G, code)
            entry = {"asset": code, "blockage": back.to_dict()}
            up_nodes.update(back.upstream_nodes)
            up_edges.update(back.upstream_edges)
        else:
            trace = upstream(G, code)
            entry = {"asset": code, "upstream": trace.to_dict()}
            up_nodes.update(trace.nodes)
            up_edges.update(trace.edges)
        spill = spill_path(G, code)
        entry["spill"] = spill.to_dict()
        down_edges.update(spill.edges)
        outfalls.update(spill.outfalls)
        analyses.append(entry)
    customers = customer_impact(G, sorted(up_nodes))
    return Outcome(
        "drainage",
        codes,
        {"assets": analyses},
        [("drainage", customers)],
        [
            Layer("upstream", "drainage", "edge", sorted(up_edges)),
            Layer("downstream", "drainage", "edge", sorted(down_edges - up_edges)),
            Layer("outfall", "drainage", "node", sorted(outfalls)),
            Layer("customer", "drainage", "node", customers.customer_nodes),
        ],
    )


def check_one_utility(tables: Mapping[str, str], utilities: Mapping[str, str | None]) -> str:
    """The one utility of the assets ``code -> table``; :class:`InvalidInput` otherwise."""
    problems = [
        Problem("codes", "network_asset", f"{table} is not part of a utility network", code)
        for code, table in tables.items()
        if utilities.get(table) not in UTILITIES
    ]
    found = sorted({utilities[t] for t in tables.values() if utilities.get(t) in UTILITIES})
    if len(found) > 1:
        problems.append(
            Problem(
                "codes",
                "one_utility",
                f"the assets are in {', '.join(found)}; analyse one utility at a time",
            )
        )
    if problems:
        raise InvalidInput("these assets cannot be analysed together", problems)
    return found[0]
