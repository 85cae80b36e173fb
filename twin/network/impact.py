"""Who is behind a set of nodes: customers, households, critical facilities.

Every outage report of the package sums the nodes it cuts off with
:func:`customer_impact`, so customers are counted the same way in water,
power, telecom and lighting, and :func:`overlap_with_active` compares a new
outage with those already running.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from twin.network.graph import CUSTOMER_KINDS

__all__ = [
    "CRITICAL_PRIORITY",
    "CustomerImpact",
    "Overlap",
    "critical_rank",
    "customer_impact",
    "is_customer",
    "overlap_with_active",
]

CRITICAL_PRIORITY = (
    "hospital",
    "emergency",
    "clinic",
    "dialysis",
    "fire_station",
    "police",
    "water_treatment",
    "nursing_home",
    "school",
    "kindergarten",
    "government",
)
"""Critical facility kinds, most urgent first; unknown kinds come last."""


def critical_rank(kind: str | None) -> int:
    """Position of a critical facility kind in :data:`CRITICAL_PRIORITY`."""
    try:
        return CRITICAL_PRIORITY.index(kind)
    except ValueError:
        return len(CRITICAL_PRIORITY)


def is_customer(attrs: Mapping) -> bool:
    """Whether a node stands for customers: a customer kind, households or a
    critical facility."""
    return (
        attrs.get("kind") in CUSTOMER_KINDS
        or bool(attrs.get("households"))
        or bool(attrs.get("critical"))
    )


@dataclass
class CustomerImpact:
    """Customers behind a set of nodes.

    ``customers`` counts metered customers (node attribute ``customers``,
    1 per customer node by default); ``households`` sums the ``households``
    attribute; ``critical`` lists critical facilities, hospitals first.
    """

    customer_nodes: list[str] = field(default_factory=list)
    customers: int = 0
    households: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    critical: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "customer_nodes": list(self.customer_nodes),
            "customers": self.customers,
            "households": self.households,
            "by_category": dict(self.by_category),
            "critical": [dict(c) for c in self.critical],
        }


def customer_impact(G, nodes: Iterable[str]) -> CustomerImpact:
    """Sum the customers, households and critical facilities of ``nodes``.

    Parameters
    ----------
    G : networkx graph
        Network following :mod:`twin.network.graph` conventions.
    nodes : iterable of str
        Node codes cut off; codes absent from ``G`` are ignored.

    Returns
    -------
    CustomerImpact
        ``by_category`` counts customers per ``category`` attribute
        (``"unknown"`` when missing).
    """
    impact = CustomerImpact()
    categories: Counter = Counter()
    attrs_of = G._node  # the graph's own dict: its node view costs more than the sums
    for node in nodes:
        attrs = attrs_of.get(node)
        if attrs is None or not is_customer(attrs):
            continue
        impact.customer_nodes.append(node)
        count = int(attrs.get("customers", 1 if attrs.get("kind") in CUSTOMER_KINDS else 0) or 0)
        impact.customers += count
        impact.households += int(attrs.get("households") or 0)
        categories[attrs.get("category") or "unknown"] += count
        if attrs.get("critical"):
            impact.critical.append(
                {"code": node, "kind": attrs["critical"], "name": attrs.get("name")}
            )
    impact.customer_nodes.sort()
    impact.by_category = dict(sorted(categories.items()))
    impact.critical.sort(key=lambda c: (critical_rank(c["kind"]), c["code"]))
    return impact


@dataclass
class Overlap:
    """Customers of a new outage split by whether an active outage has them."""

    already_out: list[str]
    newly_out: list[str]

    def to_dict(self) -> dict:
        return {"already_out": list(self.already_out), "newly_out": list(self.newly_out)}


def overlap_with_active(customers: Iterable[str], active_out: Iterable[str]) -> Overlap:
    """Split ``customers`` of a new analysis into already out and newly out.

    Examples
    --------
    >>> overlap_with_active(["C1", "C2", "C3"], {"C2", "C9"}).to_dict()
    {'already_out': ['C2'], 'newly_out': ['C1', 'C3']}
    """
    active = set(active_out)
    codes = sorted(set(customers))
    return Overlap([c for c in codes if c in active], [c for c in codes if c not in active])
