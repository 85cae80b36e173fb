"""N-1 criticality: rank every segment by what its outage would cut.

Taking one segment out (closing the valves around it, or opening the
switches around a power section) cuts that segment and every segment that
reached a source only through it.  Segments joined by a device that cannot
be operated are isolated together, so they are merged first into
*isolation groups*.  On the graph of groups plus one root joined to every
group holding a source, the groups cut off by removing group ``g`` are
exactly those whose depth-first subtrees hang below ``g`` with no back edge
above it (articulation points), so one depth-first search ranks all groups:
no per-segment trace, which keeps 100,000-pipe networks in seconds.

A device joining three or more segments is counted as if it joined them
pairwise; closing it for one outage also parts the others, which the
ranking does not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from twin.network.graph import SOURCE_KINDS, SWITCHING_KINDS
from twin.network.impact import CRITICAL_PRIORITY, is_customer
from twin.network.isolation import IsolationModel, isolation_model
from twin.network.segment_graph import SegmentGraph
from twin.network.segments import Segmentation, device_segments

__all__ = ["CRITICAL_WEIGHTS", "SegmentCriticality", "rank_sections", "rank_segments"]

CRITICAL_WEIGHTS = {
    kind: w
    for kind, w in zip(
        CRITICAL_PRIORITY, (1000, 800, 500, 500, 400, 300, 300, 200, 100, 100, 50), strict=True
    )
}
"""Households one critical facility of each kind counts for in the score."""

_VALUES = ("households", "customers", "critical", "critical_weight", "length_m")


@dataclass
class SegmentCriticality:
    """What one isolation group's outage cuts.

    ``segments`` are isolated together; ``devices`` are the ones to operate;
    the ``*_isolated`` values count inside the group, ``*_cut_off`` in the
    groups that lose supply because of it.  ``score`` is households plus
    critical facility weights, isolated and cut off together.
    """

    segments: list[int]
    devices: list[str]
    length_m: float
    households_isolated: int
    households_cut_off: int
    customers: int
    critical_facilities: int
    segments_cut_off: int
    score: float

    def to_dict(self) -> dict:
        return dict(self.__dict__, segments=list(self.segments), devices=list(self.devices))


def _segment_values(G, seg: Segmentation, weights: Mapping[str, float], lengths) -> np.ndarray:
    values = np.zeros((len(seg), len(_VALUES)))
    values[:, 4] = lengths
    for s, nodes in enumerate(seg.segment_nodes):
        for n in nodes:
            attrs = G.nodes[n]
            if not is_customer(attrs):
                continue
            values[s, 0] += attrs.get("households") or 0
            values[s, 1] += attrs.get("customers") or 0
            if attrs.get("critical"):
                values[s, 2] += 1
                values[s, 3] += weights.get(attrs["critical"], 0)
    return values


def _groups(seg: Segmentation, blocked: set[str]) -> np.ndarray:
    """Isolation group of each segment: segments joined by open devices that
    cannot be operated."""
    pairs = [
        (d.segments[0], s)
        for d in seg.devices.values()
        if not d.closed and d.code in blocked
        for s in d.segments[1:]
    ]
    rows, cols = (
        (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
        if pairs
        else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    )
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(seg), len(seg)))
    return connected_components(matrix, directed=False)[1]


def _adjacency(n_groups: int, links: np.ndarray, roots: np.ndarray) -> tuple[list, list]:
    """CSR lists of the group graph with the root as vertex ``n_groups``."""
    root = n_groups
    u = np.concatenate([links[:, 0], links[:, 1], np.full(len(roots), root), roots])
    v = np.concatenate([links[:, 1], links[:, 0], roots, np.full(len(roots), root)])
    order = np.argsort(u, kind="stable")
    indptr = np.searchsorted(u[order], np.arange(n_groups + 2))
    return indptr.tolist(), v[order].tolist()


def _articulation_cuts(indptr: list, indices: list, root: int):
    """Depth-first search from ``root``: visit order, parents and the
    (vertex, child) pairs where removing the vertex cuts the child's subtree."""
    n = len(indptr) - 1
    disc, low, parent = [-1] * n, [0] * n, [-1] * n
    disc[root] = 0
    clock, post, cuts = 1, [], []
    stack = [(root, indptr[root])]
    while stack:
        v, i = stack[-1]
        if i < indptr[v + 1]:
            stack[-1] = (v, i + 1)
            w = indices[i]
            if disc[w] < 0:
                disc[w] = low[w] = clock
                clock += 1
                parent[w] = v
                stack.append((w, indptr[w]))
            elif disc[w] < low[v]:
                low[v] = disc[w]
            continue
        stack.pop()
        post.append(v)
        p = parent[v]
        if p >= 0:
            low[p] = min(low[p], low[v])
            if low[v] >= disc[p]:
                cuts.append((p, v))
    return disc, parent, post, cuts


def _group_losses(group_values, group_sizes, links, roots):
    """Values cut off by removing each group, and the number of segments cut."""
    n = len(group_values)
    indptr, indices = _adjacency(n, links, roots)
    disc, parent, post, cuts = _articulation_cuts(indptr, indices, n)
    subtree = np.vstack([group_values, np.zeros((1, group_values.shape[1]))])
    counts = np.append(group_sizes, 0).astype(float)
    for v in post:
        p = parent[v]
        if p >= 0:
            subtree[p] += subtree[v]
            counts[p] += counts[v]
    lost = np.zeros_like(subtree)
    lost_count = np.zeros(n + 1)
    if cuts:
        at, child = np.array(cuts).T
        np.add.at(lost, at, subtree[child])
        np.add.at(lost_count, at, counts[child])
    return lost[:n], lost_count[:n]


def _rank(G, model: IsolationModel, blocked: set[str], weights, top, on_progress=None):
    seg = model.segmentation
    groups = _groups(seg, blocked)
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    values = np.zeros((n_groups, len(_VALUES)))
    np.add.at(values, groups, _segment_values(G, seg, weights, model.length_m))
    graph = model.segment_graph
    pairs = (
        np.stack([groups[graph.link_u], groups[graph.link_v]], axis=1)
        if len(graph.link_u)
        else np.zeros((0, 2), dtype=np.int64)
    )
    operable = np.array(
        [graph.device_codes[d] not in blocked for d in graph.link_device], dtype=bool
    )
    links = pairs[operable & (pairs[:, 0] != pairs[:, 1])]
    roots = np.unique(groups[graph.sources])
    lost, lost_count = _group_losses(values, np.bincount(groups, minlength=n_groups), links, roots)
    members = [[] for _ in range(n_groups)]
    for s, g in enumerate(groups):
        members[g].append(s)
    entries = []
    every = max(1, n_groups // 100)
    for g in range(n_groups):
        if on_progress is not None and g % every == 0:
            on_progress("ranking", g, n_groups)
        total = values[g] + lost[g]
        devices = sorted(
            {
                d
                for s in members[g]
                for d in seg.segment_devices[s]
                if not seg.devices[d].closed
                and len({groups[t] for t in seg.devices[d].segments}) > 1
            }
        )
        entries.append(
            SegmentCriticality(
                segments=members[g],
                devices=devices,
                length_m=float(values[g, 4]),
                households_isolated=int(values[g, 0]),
                households_cut_off=int(lost[g, 0]),
                customers=int(total[1]),
                critical_facilities=int(total[2]),
                segments_cut_off=int(lost_count[g]),
                score=float(total[0] + total[3]),
            )
        )
    if on_progress is not None:
        on_progress("ranking", n_groups, n_groups)
    entries.sort(key=lambda e: (-e.score, -e.customers, e.segments[0]))
    return entries if top is None else entries[:top]


def rank_segments(
    G,
    *,
    model: IsolationModel | None = None,
    placements: Iterable[Mapping] = (),
    unavailable: Iterable[str] = (),
    weights: Mapping[str, float] = CRITICAL_WEIGHTS,
    top: int | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> list[SegmentCriticality]:
    """Rank the valve segments of a water network by the impact of their outage.

    Parameters
    ----------
    G : networkx.MultiGraph
        Water network.
    model : IsolationModel, optional, keyword-only
        From :func:`twin.network.isolation.isolation_model` (built when
        omitted, with ``placements``).
    unavailable : iterable of str, keyword-only
        Valves that cannot be operated, on top of those with ``operable``
        false.
    weights : mapping, keyword-only
        Households one critical facility of each kind counts for.
    top : int, optional, keyword-only
        Keep only the first ``top`` entries.
    on_progress : callable, optional, keyword-only
        Told ``("ranking", groups done, groups)`` as the groups are ranked.

    Returns
    -------
    list of SegmentCriticality
        Most critical first; the same figures as :func:`twin.network.isolation.isolate`
        gives for a failure in the group.
    """
    model = model or isolation_model(G, placements=placements)
    seg = model.segmentation
    blocked = set(unavailable) | {d.code for d in seg.devices.values() if not d.operable}
    return _rank(G, model, blocked, weights, top, on_progress)


def rank_sections(
    G,
    *,
    weights: Mapping[str, float] = CRITICAL_WEIGHTS,
    unavailable: Iterable[str] = (),
    top: int | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> list[SegmentCriticality]:
    """Rank the switchable sections of a power network (bounded by breakers,
    reclosers, fuses and switches) by what stays dark until repair, before
    any tie switch is closed.

    Refine the first entries with :func:`twin.network.power.power_outage`
    to see what tie switches restore.  ``on_progress`` is told as in
    :func:`rank_segments`.
    """
    seg = device_segments(G, device_kinds=SWITCHING_KINDS)
    sources = {
        seg.node_segment[n]
        for n, k in G.nodes(data="kind")
        if k in SOURCE_KINDS["power"] and n in seg.node_segment
    }
    lengths = np.zeros(len(seg))
    lookup = {k: a.get("length_m") or 0.0 for *_, k, a in G.edges(keys=True, data=True)}
    for s, edges in enumerate(seg.segment_edges):
        lengths[s] = sum(lookup[e] for e in edges)
    model = IsolationModel(seg, SegmentGraph(seg, sources), lengths, np.zeros(len(seg)), [])
    blocked = set(unavailable) | {d.code for d in seg.devices.values() if not d.operable}
    return _rank(G, model, blocked, weights, top, on_progress)
