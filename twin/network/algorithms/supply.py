"""Supply from the sources kept as a tree, so a new barrier costs only what lies behind it.

An outage analysis asks several times per fault which nodes still reach a
source once a device opens or a line fails: the power trip, the crew's
isolation, then the cascade into water, telecom and lighting.  Walking a city
network from every source takes a tenth of a second each time, and the walk
before any failure is the same for every fault until the network is edited.
:func:`supply_tree` keeps that walk with its tree of fewest-edges routes;
:func:`supply_lost` answers from it by looking only behind the barriers.  A
node whose route to its source crosses no barrier is still supplied; a node
behind a barrier is supplied again when, around the barrier, it reaches a
node that still is.  Barriers only take passages away, so nothing outside
the first walk can gain supply: the answer is exactly that of a new walk.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from twin.network.traces import source_nodes
from twin.network.walk import Passable, Reach, passable, reach

__all__ = ["SupplyTree", "supply_lost", "supply_tree"]


@dataclass(frozen=True)
class SupplyTree:
    """The walk from the sources (``reach``, with its ``parent`` links), the
    rules it followed, and its tree read downwards: ``children`` of each
    node, and the node ``below_edge`` of each tree edge.

    Shared between analyses of one graph version: never modify it.
    """

    reach: Reach
    rules: Passable
    children: Mapping[str, tuple[str, ...]]
    below_edge: Mapping[str, str]


def supply_tree(
    G, sources: Iterable[str] | None = None, rules: Passable | None = None
) -> SupplyTree:
    """The walk from ``sources`` under ``rules``, with its tree read downwards.

    Parameters
    ----------
    G : networkx graph
        A network following :mod:`twin.network.graph` conventions.
    sources : iterable of str, optional
        Where supply comes from; by default the source nodes of the graph's
        utility (:func:`twin.network.traces.source_nodes`), sorted.  Sources
        the rules do not let pass are left out, as
        :func:`twin.network.traces.supplied_reach` does.
    rules : Passable, optional
        The walk's rules; by default device states respected, no barrier.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph(utility="power")
    >>> G.add_nodes_from([("S", {"kind": "substation"}), ("A", {}), ("B", {})])
    >>> _ = G.add_edge("S", "A", key="L1"); _ = G.add_edge("A", "B", key="L2")
    >>> tree = supply_tree(G)
    >>> sorted(tree.reach.nodes), tree.children["A"], tree.below_edge["L2"]
    (['A', 'B', 'S'], ('B',), 'B')
    """
    rules = rules or passable()
    if sources is None:
        sources = sorted(source_nodes(G))
    found = reach(G, [s for s in sources if rules.node(s, G.nodes[s])], rules)
    children: dict[str, list[str]] = {}
    below: dict[str, str] = {}
    for node, (up, edge) in found.parent.items():
        children.setdefault(up, []).append(node)
        below[edge] = node
    return SupplyTree(found, rules, {k: tuple(v) for k, v in children.items()}, below)


def _behind(tree: SupplyTree, barriers: Collection[str]) -> set[str]:
    """Supplied nodes whose tree route to their source crosses a barrier."""
    supplied = tree.reach.nodes
    stack = [b for b in barriers if b in supplied]
    stack += [tree.below_edge[b] for b in barriers if b in tree.below_edge]
    found: set[str] = set()
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(tree.children.get(node, ()))
    return found


def supply_lost(G, tree: SupplyTree, barriers: Collection[str]) -> set[str]:
    """Nodes of ``tree`` that lose every path to a source once ``barriers`` stop the walk too.

    The same as the nodes of ``tree.reach`` missing from a new walk whose
    rules add ``barriers`` (node or edge codes) to ``tree.rules``; barrier
    nodes that were supplied are lost.  The cost grows with what lies behind
    the barriers in the tree, not with the network.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph(utility="power")
    >>> G.add_nodes_from([("S", {"kind": "substation"}), "A", "B", "C"])
    >>> _ = G.add_edge("S", "A", key="L1"); _ = G.add_edge("A", "B", key="L2")
    >>> _ = G.add_edge("S", "C", key="L3"); _ = G.add_edge("C", "B", key="L4")
    >>> tree = supply_tree(G)  # a ring: S - A - B - C - S
    >>> supply_lost(G, tree, ["L1"])  # A is fed round the ring
    set()
    >>> sorted(supply_lost(G, tree, ["L1", "L4"]))
    ['A', 'B']
    """
    barriers = frozenset(barriers)
    behind = _behind(tree, barriers)
    if not behind:
        return behind
    rules, attrs_of = tree.rules, G._node  # the graph's own dicts: its views cost a third

    def passes(node: str) -> bool:
        return node not in barriers and rules.node(node, attrs_of[node])

    def carries(keyed: Mapping) -> bool:
        return any(key not in barriers and rules.edge(key, attrs) for key, attrs in keyed.items())

    adjacencies = (G._succ, G._pred) if G.is_directed() else (G._adj,)
    still_fed = tree.reach.nodes
    queue = deque(
        node
        for node in behind
        if any(
            other in still_fed and other not in behind and carries(keyed)
            for adjacency in adjacencies
            for other, keyed in adjacency[node].items()
        )
        and passes(node)
    )
    again = set(queue)
    while queue:
        node = queue.popleft()
        for adjacency in adjacencies:
            for other, keyed in adjacency[node].items():
                if other in behind and other not in again and carries(keyed) and passes(other):
                    again.add(other)
                    queue.append(other)
    return behind - again
