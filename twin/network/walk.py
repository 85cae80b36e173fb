"""Breadth-first walks with barriers: the engine under every trace.

A walk leaves its start nodes along edges and through nodes that are
*passable*: not listed as barriers, not matching a barrier condition, and
(when states are respected) not a closed valve, an open switch or an edge
out of service.  Barriers that stop the walk are reported, so a map can show
where a trace ended.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from twin.network.graph import edge_conducts, node_conducts

__all__ = ["Passable", "Reach", "attribute_condition", "incident", "passable", "reach"]

Condition = Callable[[Mapping], bool] | Mapping | None


def attribute_condition(condition: Condition) -> Callable[[Mapping], bool]:
    """A predicate on attributes from a callable or a mapping.

    A mapping matches when every key has the given value, or one of the
    values when a set, list or tuple is given.

    >>> stop = attribute_condition({"kind": {"prv", "pump_station"}})
    >>> stop({"kind": "prv"}), stop({"kind": "junction"})
    (True, False)
    """
    if condition is None:
        return lambda attrs: False
    if callable(condition):
        return condition
    wanted = {
        k: (frozenset(v) if isinstance(v, (set, frozenset, list, tuple)) else frozenset([v]))
        for k, v in condition.items()
    }
    return lambda attrs: all(attrs.get(k) in vs for k, vs in wanted.items())


@dataclass(frozen=True)
class Passable:
    """Which nodes and edges a walk may cross."""

    node: Callable[[str, Mapping], bool]
    edge: Callable[[str, Mapping], bool]


def passable(
    *,
    barriers: Collection[str] = (),
    stop_when: Condition = None,
    respect_states: bool = True,
    opened: Collection[str] = (),
    closed: Collection[str] = (),
) -> Passable:
    """Build the passability rules of a walk.

    Parameters
    ----------
    barriers : collection of str, keyword-only
        Node or edge codes that stop the walk.
    stop_when : callable or mapping, keyword-only
        Attribute condition (see :func:`attribute_condition`) that makes a
        node or an edge a barrier.
    respect_states : bool, keyword-only
        Stop at closed valves, open switching devices and edges out of
        service (default), or ignore states.
    opened, closed : collection of str, keyword-only
        Devices whose present state is overridden: ``opened`` devices are
        open (a valve passes, a switch stops), ``closed`` ones are closed.
    """
    barriers = frozenset(barriers)
    stop = attribute_condition(stop_when)
    opened, closed = frozenset(opened), frozenset(closed)

    def node_ok(code: str, attrs: Mapping) -> bool:
        if code in barriers or stop(attrs):
            return False
        if not respect_states:
            return True
        if code in opened or code in closed:
            state = "open" if code in opened else "closed"
            return node_conducts({**attrs, "state": state})
        return node_conducts(attrs)

    def edge_ok(code: str, attrs: Mapping) -> bool:
        if code in barriers or stop(attrs):
            return False
        return edge_conducts(attrs) or not respect_states

    return Passable(node_ok, edge_ok)


@dataclass
class Reach:
    """Nodes and edges a walk reached, and the barriers that stopped it."""

    nodes: set[str] = field(default_factory=set)
    edges: set[str] = field(default_factory=set)
    stopped_at: set[str] = field(default_factory=set)
    parent: dict[str, tuple[str, str]] = field(default_factory=dict)


def incident(G, node: str, direction: str = "both") -> Iterable[tuple[str, str, Mapping]]:
    """``(edge code, other node, edge attrs)`` for the edges at ``node``.

    ``direction`` is ``"both"``, ``"forward"`` (out-edges) or ``"backward"``
    (in-edges); it only matters in directed graphs.
    """
    # The graph's own adjacency dicts: its read-only views cost a third of a
    # feeder's walk in wrapping every neighbour.
    if not G.is_directed():
        for other, keyed in G._adj[node].items():
            for key, attrs in keyed.items():
                yield key, other, attrs
        return
    if direction in ("both", "forward"):
        for other, keyed in G._succ[node].items():
            for key, attrs in keyed.items():
                yield key, other, attrs
    if direction in ("both", "backward"):
        for other, keyed in G._pred[node].items():
            for key, attrs in keyed.items():
                yield key, other, attrs


def reach(
    G,
    starts: Iterable[str],
    rules: Passable | None = None,
    *,
    direction: str = "both",
    start_edges: Iterable[str] = (),
) -> Reach:
    """Walk from ``starts`` while nodes and edges are passable.

    Start nodes are always taken, even when they are barriers themselves.
    ``parent`` maps each reached node to ``(previous node, edge)`` of a
    fewest-edges route from a start, for tracing back to a source.
    """
    rules = rules or passable()
    result = Reach(edges=set(start_edges))
    queue = deque()
    for s in starts:
        if s not in result.nodes:
            result.nodes.add(s)
            queue.append(s)
    nodes = G.nodes
    while queue:
        node = queue.popleft()
        for key, other, attrs in incident(G, node, direction):
            if not rules.edge(key, attrs):
                result.stopped_at.add(key)
                continue
            result.edges.add(key)
            if other in result.nodes:
                continue
            if not rules.node(other, nodes[other]):
                result.stopped_at.add(other)
                continue
            result.nodes.add(other)
            result.parent[other] = (node, key)
            queue.append(other)
    return result
