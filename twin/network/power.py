"""Power outage: the device that trips, what goes dark, how to restore.

A fault on a line (or at a node) is cleared by the nearest closed
protective device between the fault and its substation that clears faults
of its level (an LV fuse or breaker at 0.4 kV; a recloser, sectionaliser or
feeder breaker at 22 kV: :mod:`twin.network.protection`); everything fed
through that device goes dark.  Crews then open
the nearest switching devices around the fault (the faulted section),
reclose the protective device, and close normally-open tie switches to feed
the healthy part downstream from a neighbouring feeder.  This is topology
only: whether the neighbouring feeder can carry the load is checked by load
flow in :func:`twin.simulation.restoration_check`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from twin.errors import NotFound
from twin.network.algorithms.supply import SupplyTree, supply_lost, supply_tree
from twin.network.graph import (
    SOURCE_KINDS,
    SWITCHING_KINDS,
    edge_lookup,
    node_conducts,
)
from twin.network.impact import CustomerImpact, customer_impact
from twin.network.protection import Trip, tripping_device
from twin.network.walk import Passable, passable, reach

__all__ = ["PowerOutageReport", "RestorationStep", "power_outage"]


@dataclass
class RestorationStep:
    """Close ``tie_switch`` to re-supply ``nodes`` from ``fed_from`` (a node
    already live on the other side)."""

    tie_switch: str
    fed_from: str
    nodes: list[str]
    customers: CustomerImpact

    def to_dict(self) -> dict:
        return {
            "tie_switch": self.tie_switch,
            "fed_from": self.fed_from,
            "nodes": list(self.nodes),
            "customers": self.customers.to_dict(),
        }


@dataclass
class PowerOutageReport:
    """Stages of a power fault; :meth:`to_dict` is JSON-ready.

    ``trip`` names the device that trips and why (:class:`Trip`);
    ``dark_at_trip`` is everything it cut off;
    ``out_until_repair`` what stays dark after isolation and restoration.
    """

    fault: str
    tripped_device: str | None
    dark_at_trip: list[str]
    transformers_at_trip: list[str]
    customers_at_trip: CustomerImpact
    isolating_devices: list[str]
    faulted_section: list[str]
    restoration: list[RestorationStep] = field(default_factory=list)
    trip: Trip | None = None
    out_until_repair: list[str] = field(default_factory=list)
    transformers_until_repair: list[str] = field(default_factory=list)
    customers_until_repair: CustomerImpact = field(default_factory=CustomerImpact)

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["customers_at_trip"] = self.customers_at_trip.to_dict()
        data["customers_until_repair"] = self.customers_until_repair.to_dict()
        data["restoration"] = [s.to_dict() for s in self.restoration]
        data["trip"] = self.trip.to_dict() if self.trip else None
        return data


def _trip(G, fault, fault_nodes, live, *, node_fault: bool) -> Trip | None:
    """The protective device that trips (see :mod:`twin.network.protection`)."""
    reached = [n for n in fault_nodes if n in live.nodes]
    if not reached:
        return None
    start = min(reached, key=lambda n: _depth(live, n))
    return tripping_device(G, fault, start, live, node_fault=node_fault)


def _depth(live, node) -> int:
    depth = 0
    while node in live.parent:
        node = live.parent[node][0]
        depth += 1
    return depth


def _faulted_section(G, fault_nodes, fault_edges, unavailable):
    """Nodes around the fault up to the operable switching devices."""

    def stops(code, attrs):
        return (
            attrs.get("kind") in SWITCHING_KINDS
            and attrs.get("operable", True) is not False
            and code not in unavailable
        )

    rules = passable()
    walk = Passable(lambda c, a: rules.node(c, a) and not stops(c, a), rules.edge)
    # A device at an end of a faulted line isolates it from that side.
    ends = {n for n in fault_nodes if fault_edges and stops(n, G.nodes[n])}
    found = reach(G, [n for n in fault_nodes if n not in ends], walk, start_edges=fault_edges)
    stopped = (found.stopped_at | ends) & set(G)
    return found.nodes, sorted(n for n in stopped if node_conducts(G.nodes[n]))


def _within(nodes: set[str], rules: Passable) -> Passable:
    """``rules`` kept to ``nodes``: the walk of ``G.subgraph(nodes)`` without the
    view, whose filtered adjacency cost more than the walk."""
    return Passable(lambda code, attrs: code in nodes and rules.node(code, attrs), rules.edge)


def _restore(G, dark: set[str], live_nodes: set[str], isolating, unavailable):
    """Close normally-open tie switches, one per dark island, while any helps."""
    rules = passable(opened=isolating)
    ties = sorted(
        n
        for n, a in G.nodes(data=True)
        if a.get("kind") in SWITCHING_KINDS
        and not node_conducts(a)
        and a.get("operable", True) is not False
        and n not in unavailable
        and n not in isolating
    )
    steps, live, dark = [], set(live_nodes), set(dark)
    progress = True
    while progress and dark:
        progress = False
        for tie in ties:
            sides = set(G.adj[tie])
            into = sorted(sides & dark)
            fed = sorted(sides & live)
            if not into or not fed:
                continue
            island = reach(G, [into[0]], _within(dark, rules)).nodes
            steps.append(
                RestorationStep(tie, fed[0], sorted(island), customer_impact(G, sorted(island)))
            )
            dark -= island
            live |= island | {tie}
            progress = True
    return steps, dark


def _fault_at(G, fault: str) -> tuple[list[str], list[str]]:
    """The faulted nodes and edges: a node alone, or a line and its two ends."""
    lookup = edge_lookup(G)
    if fault in G:
        return [fault], []
    if fault in lookup:
        return list(lookup[fault]), [fault]
    raise NotFound(f"power asset {fault!r} is not in the network")


def _supplied(G, source_kinds: Iterable[str]) -> SupplyTree:
    kinds = frozenset(source_kinds)
    return supply_tree(G, sorted(n for n, k in G.nodes(data="kind") if k in kinds))


def power_outage(
    G,
    fault: str,
    *,
    unavailable: Iterable[str] = (),
    source_kinds: Iterable[str] = SOURCE_KINDS["power"],
    supplied: SupplyTree | None = None,
) -> PowerOutageReport:
    """Analyse a fault on a power line or at a power node.

    Parameters
    ----------
    G : networkx.MultiGraph
        Power network (conventions of :mod:`twin.network.graph`); switching
        devices in their present state, ties normally open.
    fault : str
        Code of the faulted line or node.
    unavailable : iterable of str, keyword-only
        Switching devices that cannot be operated now.
    source_kinds : iterable of str, keyword-only
        Node kinds feeding the network (substations).
    supplied : SupplyTree, optional, keyword-only
        The walk from the sources before any fault (:func:`supply_tree` of
        ``G`` from its sorted sources), kept by a caller per graph version.

    Returns
    -------
    PowerOutageReport
    """
    unavailable = frozenset(unavailable)
    fault_nodes, fault_edges = _fault_at(G, fault)
    supplied = supplied or _supplied(G, source_kinds)
    before = supplied.reach
    trip = _trip(G, fault, fault_nodes, before, node_fault=not fault_edges)
    if trip is None:
        return PowerOutageReport(fault, None, [], [], CustomerImpact(), [], [])
    device = trip.code
    faulted = set(fault_nodes) | set(fault_edges) | {device}
    at_trip = supply_lost(G, supplied, faulted) - {device}
    section, isolating = _faulted_section(G, fault_nodes, fault_edges, unavailable)
    # The isolating devices are closed switches: opened, they stop current like barriers.
    lost = supply_lost(G, supplied, section | set(fault_edges) | set(isolating))
    dark = lost - section - set(isolating)
    steps, still_dark = _restore(G, dark, before.nodes - lost, set(isolating), unavailable)
    out = sorted((section & before.nodes) | still_dark)
    return PowerOutageReport(
        fault=fault,
        tripped_device=device,
        trip=trip,
        dark_at_trip=sorted(at_trip),
        transformers_at_trip=_of_kind(G, at_trip, "transformer"),
        customers_at_trip=customer_impact(G, sorted(at_trip)),
        isolating_devices=isolating,
        faulted_section=sorted(section),
        restoration=steps,
        out_until_repair=out,
        transformers_until_repair=_of_kind(G, out, "transformer"),
        customers_until_repair=customer_impact(G, out),
    )


def _of_kind(G, nodes, kind) -> list[str]:
    return sorted(n for n in nodes if G.nodes[n].get("kind") == kind)
