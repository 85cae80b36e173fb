"""The full network design: a Steiner tree joining every unconnected village to the root.

The existing network is one terminal (:data:`~twin.fiber.plan_graph.ROOT`),
each unconnected village's access point another; edge weights are costs in
VND, so the tree is the cheapest network (within the solver's time limit)
that reaches every village, reusing ducts, poles and spare fibres wherever
they are cheaper than new trench.  Degree-2 chains are collapsed before the
search and expanded after it.

After the search the tree's nodes get their equipment: a new cabinet where
the new network branches (not at an access node or a tap), a splice closure
where aerial cable meets underground cable (see
:func:`~twin.fiber.trench_graph.changes_cable_type`) and at each tap into an
existing cable.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx

from .chains import collapse_chains, expand_edges
from .costs import CostModel
from .plan_graph import ROOT, PlanGraph, VillageTarget
from .steiner import steiner_tree
from .trench_graph import changes_cable_type

__all__ = ["Design", "design_network", "node_kinds"]


@dataclass
class Design:
    """The designed network and what it costs.

    Attributes
    ----------
    graph : networkx.Graph
        The whole planning graph (kept for redundancy paths).
    tree : networkx.Graph
        The chosen edges with their attributes (``kind``, ``cost_vnd``,
        ``length_m``, ``geometry`` ...), :data:`ROOT` included when used.
    villages : list of VillageTarget
        Every village with its status.
    new_nodes : dict
        Tree node -> ``cabinet``, ``splice_closure`` or ``tap``.
    node_cost_vnd : dict
        Tree node -> price of its new equipment, VND (taps are priced on
        their edge).
    stats : dict
        Graph sizes, solver statistics (``solver_lower_bound``: no network
        joining the same villages costs less, VND of edges;
        ``solver_gap_pct``: how much more the tree may cost than the
        cheapest), seconds.
    search_graph : networkx.Graph, optional
        The graph the Steiner search ran on (chains collapsed, weight
        ``cost_vnd``), for bounds on other sets of villages.
    """

    graph: nx.Graph
    tree: nx.Graph
    villages: list[VillageTarget]
    new_nodes: dict[Hashable, str] = field(default_factory=dict)
    node_cost_vnd: dict[Hashable, float] = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    search_graph: nx.Graph | None = field(default=None, repr=False)

    @property
    def planned(self) -> list[VillageTarget]:
        return [v for v in self.villages if v.status == "planned"]

    @property
    def network_cost_vnd(self) -> float:
        edges = sum(d["cost_vnd"] for _, _, d in self.tree.edges(data=True))
        return float(edges + sum(self.node_cost_vnd.values()))

    @property
    def terminal_cost_vnd(self) -> float:
        return float(sum(v.terminal_cost_vnd for v in self.planned))

    @property
    def total_cost_vnd(self) -> float:
        return self.network_cost_vnd + self.terminal_cost_vnd


def node_kinds(tree: nx.Graph, terminals: set, costs: CostModel) -> tuple[dict, dict]:
    """New equipment at each tree node, and its price (VND)."""
    kinds, prices = {}, {}
    for n in tree:
        if n == ROOT or (isinstance(n, tuple) and n[0] == "net"):
            continue
        around = [d for d in tree[n].values()]
        if any(d["kind"] == "tap" for d in around):
            kinds[n] = "tap"
        elif n in terminals:
            continue
        elif len(around) >= 3:
            kinds[n], prices[n] = "cabinet", costs["cabinet.each"]
        elif len(around) == 2 and changes_cable_type(around[0]["kind"], around[1]["kind"]):
            kinds[n], prices[n] = "splice_closure", costs["splice_closure.each"]
    return kinds, prices


def _prune(tree: nx.Graph, terminals: set) -> None:
    """Drop non-terminal leaves until every leaf is a terminal."""
    leaves = [n for n in tree if tree.degree(n) <= 1 and n not in terminals]
    while leaves:
        n = leaves.pop()
        around = list(tree[n])
        tree.remove_node(n)
        leaves += [m for m in around if tree.degree(m) <= 1 and m not in terminals]


def design_network(
    plan: PlanGraph,
    costs: CostModel,
    *,
    time_limit: float | None = None,
    seed: int = 0,
) -> Design:
    """Design the cheapest network that connects every planned village to the root.

    Parameters
    ----------
    plan : PlanGraph
        From :func:`twin.fiber.plan_graph.plan_graph`; not modified.
    costs : CostModel
        Prices of the equipment put on the tree's nodes.
    time_limit : float, optional
        Seconds the Steiner search may take (it returns its best tree then).
    seed : int
        Seed of the search.
    """
    G = plan.graph
    terminals = {v.node for v in plan.villages if v.status == "planned"}
    if not terminals:
        return Design(G, nx.Graph(), plan.villages, stats={"terminals": 0})
    reach = nx.node_connected_component(G, ROOT)
    H, paths = collapse_chains(G.subgraph(reach), keep=terminals | {ROOT}, weight="cost_vnd")
    result = steiner_tree(
        H, [ROOT, *sorted(terminals, key=str)], weight="cost_vnd", time_limit=time_limit, seed=seed
    )
    tree = nx.Graph()
    for u, v in expand_edges(result.edges, paths):
        tree.add_edge(u, v, **G.edges[u, v])
    for n in tree:
        tree.nodes[n].update(G.nodes[n])
    _prune(tree, terminals | {ROOT})
    kinds, prices = node_kinds(tree, terminals, costs)
    stats = {
        "graph_nodes": G.number_of_nodes(),
        "graph_edges": G.number_of_edges(),
        "collapsed_nodes": H.number_of_nodes(),
        "collapsed_edges": H.number_of_edges(),
        "terminals": len(terminals),
        **{f"solver_{k}": v for k, v in result.stats.items()},
        "solver_cost_vnd": result.cost,
        "solver_lower_bound": result.lower_bound,
        "solver_gap_pct": result.gap if math.isfinite(result.gap) else None,
    }
    return Design(G, tree, plan.villages, kinds, prices, stats, search_graph=H)
