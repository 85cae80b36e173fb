"""Second paths: a ring for the villages too big to hang on a single cable.

A village with at least ``min_households`` households gets a second route
from its access node to the existing network that shares no edge with its
primary route in the design (the path up the tree).  Together the two close
a ring, which may close on the same existing POP or cabinet (both routes
then share its short lead-in from the road, the way two cables enter one
building); a tap into an existing cable is not shared.  The second route may run along other parts of the design: their new
trenches are laid with a spare way, so a second cable through them costs the
duct rate (``duct.per_m``) plus the cable; a tap or branch onto the existing
network already in the design costs nothing more; anything else costs what
it costs in the design.  Rings are found in decreasing order of households,
and each may reuse the earlier ones the same way.  They are priced apart
from the design.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx

from .costs import CostModel
from .design import Design
from .plan_graph import ROOT
from .trench_graph import changes_cable_type

__all__ = ["RingPath", "second_paths"]


@dataclass
class RingPath:
    """The second route of one village: nodes from its access point to :data:`ROOT`.

    ``edges`` are the route's edges, ``reused[i]`` whether edge ``i`` runs
    in the design or an earlier ring (priced at the duct rate),
    ``transitions`` the nodes where aerial and underground cable meet (a
    splice closure each), ``cost_vnd`` its price (edges only), ``length_m`` its length;
    ``nodes`` is empty and ``feasible`` False when no edge-disjoint route
    exists.
    """

    village: str
    households: int
    nodes: list[Hashable] = field(default_factory=list)
    reused: list[bool] = field(default_factory=list)
    transitions: list[Hashable] = field(default_factory=list)
    cost_vnd: float = 0.0
    length_m: float = 0.0
    feasible: bool = True

    @property
    def edges(self) -> list[tuple[Hashable, Hashable]]:
        return list(zip(self.nodes, self.nodes[1:], strict=False))


def _key(u, v) -> frozenset:
    return frozenset((u, v))


def _existing(node) -> bool:
    """An existing POP, cabinet or access node: a ring may close on it."""
    return isinstance(node, tuple) and node[0] == "net"


def _transitions(G: nx.Graph, nodes: list) -> list:
    """Interior nodes of ``nodes`` where aerial and underground cable meet."""
    kinds = [G.edges[u, v]["kind"] for u, v in zip(nodes, nodes[1:], strict=False)]
    return [
        nodes[i] for i in range(1, len(nodes) - 1) if changes_cable_type(kinds[i - 1], kinds[i])
    ]


def second_paths(design: Design, costs: CostModel, *, min_households: int) -> list[RingPath]:
    """Edge-disjoint second routes for planned villages of ``min_households`` or more.

    Parameters
    ----------
    design : Design
        The network design; its graph and tree are not modified.
    costs : CostModel
        ``duct.per_m`` and ``cable.per_m`` price a second cable in a planned
        trench.
    min_households : int
        Households (``base_village.households``) from which a village gets a
        ring.

    Returns
    -------
    list of RingPath
        In decreasing order of households.
    """
    G, tree = design.graph, design.tree
    pull = costs["duct.per_m"] + costs.cable_vnd_per_m
    built = {_key(u, v) for u, v in tree.edges}
    rings = []
    big = [v for v in design.planned if v.households >= min_households and v.node in tree]
    for village in sorted(big, key=lambda v: (-v.households, v.code)):
        ring = _ring(G, tree, village, built, pull)
        rings.append(ring)
        built |= {_key(u, v) for u, v in ring.edges}
    return rings


def _ring(G: nx.Graph, tree: nx.Graph, village, built: set, pull: float) -> RingPath:
    """The cheapest route of ``village`` to :data:`ROOT` sharing no new trench with
    its primary route up ``tree``; ``built`` edges carry a second cable at ``pull``
    (VND/m)."""
    primary = nx.shortest_path(tree, village.node, ROOT)
    banned = {
        _key(u, v)
        for u, v in zip(primary, primary[1:], strict=False)
        if not (_existing(u) or _existing(v))
    }

    def weight(u, v, d):
        k = _key(u, v)
        if k in banned:
            return None
        if k in built:
            return 0.0 if d["kind"] in ("tap", "attach") else d["length_m"] * pull
        return d["cost_vnd"]

    try:
        cost, nodes = nx.single_source_dijkstra(G, village.node, ROOT, weight=weight)
    except nx.NetworkXNoPath:
        return RingPath(village.code, village.households, feasible=False)
    pairs = list(zip(nodes, nodes[1:], strict=False))
    length = sum(G.edges[u, v]["length_m"] for u, v in pairs)
    reused = [_key(u, v) in built for u, v in pairs]
    return RingPath(
        village.code, village.households, nodes, reused, _transitions(G, nodes), float(cost), length
    )
