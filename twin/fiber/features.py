"""The plan as telecom features: access nodes, cabinets and cables (WGS 84).

Pure: turns a :class:`~twin.fiber.plan.FiberPlan` into rows that
:mod:`twin.fiber.writeback` stores as planned assets and
:mod:`twin.fiber.export` writes to files.  Nodes carry a ``key``; cables
name their ends by key (``start_key``, upstream, and ``end_key``), existing
nodes by ``("net", code)`` with their asset id in ``existing_ids``.

A cable runs between two nodes that get a feature (access node, cabinet,
splice closure, tap, existing node); the plan puts a splice closure wherever
aerial and underground cable meet, so a cable is all aerial or all in the
ground.  Its ``placement`` is the one covering most of its length
(``underground`` for new trench, ``duct`` for existing ducts, ``overhead``),
and ``kinds`` gives its metres by edge kind.  Its fibre count
follows the villages downstream: 12 fibres up to 2 villages, 24 up to 6, 48
up to 16, 96 up to 40, else 144.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import shapely
from pyproj import CRS
from shapely.geometry import LineString, Point

from twin.crs import STORAGE_CRS, transformer

from .plan import FiberPlan
from .plan_graph import ROOT
from .trench_graph import PLACEMENTS, oriented

__all__ = ["PlanFeatures", "fiber_count_for", "plan_features"]

_SIZES = ((2, 12), (6, 24), (16, 48), (40, 96))
_TO_ROOT = ("attach", "tap")


def fiber_count_for(villages_downstream: int) -> int:
    """Fibres of a planned cable serving that many villages."""
    return next((size for most, size in _SIZES if villages_downstream <= most), 144)


@dataclass
class PlanFeatures:
    """Rows of the plan's features (``geom`` in WGS 84) and the existing ends' ids."""

    access_nodes: list[dict] = field(default_factory=list)
    cabinets: list[dict] = field(default_factory=list)
    cables: list[dict] = field(default_factory=list)
    existing_ids: dict[Hashable, int] = field(default_factory=dict)


class _Writer:
    def __init__(self, plan: FiberPlan):
        self.plan, self.design = plan, plan.design
        self.out = PlanFeatures()
        self.keys: dict[Hashable, Hashable] = {}
        to_wgs = transformer(CRS.from_user_input(plan.crs), STORAGE_CRS)

        def move(xy):
            return np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1]))

        self.to_wgs = lambda geom: shapely.transform(geom, move)

    def node_key(self, n: Hashable, *, year: int, role: str, ring_for: str | None = None):
        """The feature key of tree node ``n``, adding a cabinet row if it has none."""
        if n in self.keys:
            return self.keys[n]
        if isinstance(n, tuple) and n[0] == "net":
            self.keys[n] = n
            self.out.existing_ids[n] = self.design.graph.nodes[n]["asset_id"]
            return n
        key = ("cabinet", n)
        self.keys[n] = key
        pos = self.design.graph.nodes[n]["pos"]
        tapped = (
            self.design.graph.get_edge_data(n, ROOT, {}).get("cable") if role == "tap" else None
        )
        self.out.cabinets.append(
            {
                "key": key,
                "geom": self.to_wgs(Point(pos)),
                "phase": year,
                "role": role,
                "cabinet_type": "cabinet" if role == "branch" else "splice_closure",
                "redundant_for": ring_for,
                "taps_cable": tapped,
            }
        )
        return key

    def access_nodes(self) -> None:
        for v in self.design.planned:
            if v.node not in self.design.tree:
                continue
            key = ("access", v.code)
            self.keys.setdefault(v.node, key)
            self.out.access_nodes.append(
                {
                    "key": key,
                    "geom": self.to_wgs(Point(v.xy)),
                    "village": v.code,
                    "households": v.covered_households,
                    "ports": min(128, max(16, -(-v.drops // 16) * 16)),
                    "phase": self.plan.rollout.village_year.get(v.code),
                }
            )

    def cable(self, path: list, *, year, fibers: int, ring_for: str | None = None) -> None:
        G = self.design.graph
        parts, kinds = [], {}
        for u, v in zip(path, path[1:], strict=False):
            d = G.edges[u, v]
            parts.append(oriented(d["geometry"], G.nodes[u]["pos"]))
            kinds[d["kind"]] = kinds.get(d["kind"], 0.0) + d["length_m"]
        coords = [parts[0].coords[0]]
        for part in parts:
            coords.extend(part.coords[1:])
        placement = PLACEMENTS[max(kinds, key=kinds.get)]
        self.out.cables.append(
            {
                "start_key": self.keys[path[0]],
                "end_key": self.keys[path[-1]],
                "geom": self.to_wgs(LineString(coords)),
                "placement": placement,
                "phase": year,
                "fiber_count": fibers,
                "kinds": {k: round(m, 1) for k, m in kinds.items()},
                "redundant_for": ring_for,
            }
        )


def _tree_cables(w: _Writer) -> None:
    design, rollout = w.design, w.plan.rollout
    if ROOT not in design.tree:
        return
    tree = design.tree.copy()
    tree.remove_node(ROOT)
    roles = {"cabinet": "branch", "splice_closure": "transition", "tap": "tap"}
    for n, kind in design.new_nodes.items():
        w.node_key(n, year=rollout.node_year.get(n), role=roles[kind])
    for n in tree:
        if isinstance(n, tuple) and n[0] == "net":
            w.node_key(n, year=None, role="existing")
    depth = nx.single_source_shortest_path_length(design.tree, ROOT)
    terminals = {v.node for v in design.planned}
    below = {n: int(n in terminals) for n in tree}
    for n in sorted(tree, key=depth.__getitem__, reverse=True):
        parents = [m for m in tree[n] if depth[m] < depth[n]]
        if parents:
            below[parents[0]] += below[n]
    seen = set()
    for start in [n for n in tree if n in w.keys]:
        for first in tree[start]:
            path = [start, first]
            while path[-1] not in w.keys:
                path.append(next(m for m in tree[path[-1]] if m != path[-2]))
            if frozenset(path[:2]) in seen:
                continue
            seen.add(frozenset(path[:2]))
            seen.add(frozenset(path[-2:]))
            if depth[path[0]] > depth[path[-1]]:
                path.reverse()
            w.cable(
                path, year=rollout.node_year.get(path[-1]), fibers=fiber_count_for(below[path[-1]])
            )


def _ring_cables(w: _Writer) -> None:
    G, year_of = w.design.graph, w.plan.rollout.village_year
    for ring in w.plan.rings:
        if not ring.feasible:
            continue
        path, year = ring.nodes[::-1], year_of.get(ring.village)
        if G.edges[path[0], path[1]]["kind"] in _TO_ROOT:
            path = path[1:]
        w.node_key(path[0], year=year, role="tap", ring_for=ring.village)
        cuts = set(ring.transitions)
        start = 0
        for i in range(1, len(path)):
            if path[i] in cuts:
                w.node_key(path[i], year=year, role="transition", ring_for=ring.village)
            elif i < len(path) - 1:
                continue
            w.cable(path[start : i + 1], year=year, fibers=12, ring_for=ring.village)
            start = i


def plan_features(plan: FiberPlan) -> PlanFeatures:
    """Access nodes, cabinets and cables of ``plan`` as rows (geometry in WGS 84)."""
    w = _Writer(plan)
    w.access_nodes()
    _tree_cables(w)
    _ring_cables(w)
    return w.out
