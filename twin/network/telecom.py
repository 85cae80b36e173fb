"""Telecom outage: who loses service when a cable or a cabinet fails.

Service comes from the points of presence (POPs).  A failure cuts off the
access nodes, customers and villages with no path left to any POP; those
whose usual route ran through the failed asset but that still reach a POP
are rerouted over a redundant path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from twin.errors import NotFound
from twin.network.graph import SOURCE_KINDS, edge_lookup
from twin.network.impact import CustomerImpact, customer_impact
from twin.network.traces import supplied_reach

__all__ = ["TelecomOutageReport", "routes_through", "telecom_outage"]


@dataclass
class TelecomOutageReport:
    """Result of a telecom failure; :meth:`to_dict` is JSON-ready.

    ``has_redundant_path`` is true when every access node whose route used
    the failed assets still reaches a POP.
    """

    failed: list[str]
    lost_nodes: list[str]
    access_nodes: list[str]
    villages: list[str]
    customers: CustomerImpact
    rerouted_access_nodes: list[str]
    has_redundant_path: bool

    def to_dict(self) -> dict:
        return dict(self.__dict__, customers=self.customers.to_dict())


def routes_through(found, failed: set[str]) -> set[str]:
    """Nodes whose fewest-edges route to a source (``found.parent``) passes a
    failed node or edge.  ``parent`` is filled in walk order, so one pass
    suffices."""
    through = set()
    for node, (previous, edge) in found.parent.items():
        if node in failed or edge in failed or previous in failed or previous in through:
            through.add(node)
    return through


def telecom_outage(
    G, failed: str | Iterable[str], *, source_kinds: Iterable[str] = SOURCE_KINDS["telecom"]
) -> TelecomOutageReport:
    """Analyse the failure of telecom cables or nodes (cabinets, splices ...).

    Parameters
    ----------
    G : networkx.MultiGraph
        Telecom network; access nodes and customers may carry ``village``.
    failed : str or iterable of str
        Codes of the failed edges or nodes.
    source_kinds : iterable of str, keyword-only
        Node kinds that provide service (POPs).
    """
    failed = [failed] if isinstance(failed, str) else list(failed)
    lookup = edge_lookup(G)
    for code in failed:
        if code not in G and code not in lookup:
            raise NotFound(f"telecom asset {code!r} is not in the network")
    before = supplied_reach(G, source_kinds=source_kinds)
    after = supplied_reach(G, removed=failed, source_kinds=source_kinds)
    lost = sorted(before.nodes - after.nodes)
    dependent = routes_through(before, set(failed))
    access = [n for n in lost if G.nodes[n].get("kind") == "access_node"]
    rerouted = sorted(n for n in dependent - set(lost) if G.nodes[n].get("kind") == "access_node")
    villages = sorted({G.nodes[n]["village"] for n in lost if G.nodes[n].get("village")})
    return TelecomOutageReport(
        failed=failed,
        lost_nodes=lost,
        access_nodes=access,
        villages=villages,
        customers=customer_impact(G, lost),
        rerouted_access_nodes=rerouted,
        has_redundant_path=not access,
    )
