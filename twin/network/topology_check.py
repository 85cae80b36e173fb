"""Topology check: located problems a map can show and an editor can fix.

Which node kinds are sources and which may end a line is declared with each
layer (:mod:`twin.network.roles`).  Each check returns :class:`TopologyProblem` items with a kind, the asset
code, a message and a location (metres, the CRS of the graph).  Checks:
disconnected parts and parts without a source, dangling ends, lines whose
geometry does not end at their nodes, duplicate nodes, loops in networks
that must be radial, cycles in gravity drainage and slopes that run uphill.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from twin.network.drainage import DECLARED_DIRECTION_KINDS, flow_graph
from twin.network.roles import NETWORKS, SOURCE_KINDS, TERMINAL_KINDS
from twin.network.traces import loops

__all__ = ["TERMINAL_KINDS", "TopologyProblem", "check_topology"]

Elevations = Mapping[str, float] | Callable[[float, float], float] | None


@dataclass
class TopologyProblem:
    """One located problem.  ``severity`` is ``"error"`` or ``"warning"``."""

    kind: str
    code: str
    message: str
    x: float | None
    y: float | None
    severity: str = "error"
    related: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__, related=list(self.related))

    def to_feature(self) -> dict:
        """A GeoJSON feature (coordinates in the graph's CRS)."""
        geometry = None
        if self.x is not None and self.y is not None:
            geometry = {"type": "Point", "coordinates": [self.x, self.y]}
        props = {k: v for k, v in self.to_dict().items() if k not in ("x", "y")}
        return {"type": "Feature", "geometry": geometry, "properties": props}


def _xy(G, node) -> tuple[float | None, float | None]:
    attrs = G.nodes[node]
    return attrs.get("x"), attrs.get("y")


def _problem(G, kind, node, message, **extra) -> TopologyProblem:
    return TopologyProblem(kind, node, message, *_xy(G, node), **extra)


def _components(G) -> list[TopologyProblem]:
    utility = G.graph.get("utility")
    sources = SOURCE_KINDS.get(utility, frozenset())
    parts = sorted(
        (sorted(c) for c in nx.connected_components(G.to_undirected(as_view=True))),
        key=lambda c: (-len(c), c[0]),
    )
    problems = []
    for i, part in enumerate(parts):
        if len(part) == 1 and G.degree(part[0]) == 0:
            problems.append(_problem(G, "isolated_node", part[0], "node has no edge"))
            continue
        if i > 0:
            problems.append(
                _problem(
                    G,
                    "disconnected_component",
                    part[0],
                    f"part of {len(part)} nodes not connected to the main network",
                    severity="warning",
                    related=part,
                )
            )
        if sources and not any(G.nodes[n].get("kind") in sources for n in part):
            problems.append(
                _problem(
                    G,
                    "no_source",
                    part[0],
                    f"part of {len(part)} nodes without any {' / '.join(sorted(sources))}",
                    related=part,
                )
            )
    return problems


def _dangling(G) -> list[TopologyProblem]:
    allowed = TERMINAL_KINDS.get(G.graph.get("utility"), frozenset())
    return [
        _problem(
            G, "dangling_end", n, f"{G.nodes[n].get('kind')} {n} ends a line", severity="warning"
        )
        for n in sorted(G)
        if G.degree(n) == 1 and G.nodes[n].get("kind") not in allowed
    ]


def _coords(geometry) -> list[tuple[float, float]]:
    points = geometry.coords if hasattr(geometry, "coords") else geometry
    return [(float(p[0]), float(p[1])) for p in points]


def _unsnapped(G, geometries: Mapping, tolerance_m: float) -> list[TopologyProblem]:
    problems = []
    ends = {
        k: (a.get("start_node", u), a.get("end_node", v))
        for u, v, k, a in G.edges(keys=True, data=True)
    }
    for code in sorted(set(geometries) & set(ends)):
        points = _coords(geometries[code])
        for node, point in zip(ends[code], (points[0], points[-1]), strict=True):
            x, y = _xy(G, node)
            if x is None or y is None:
                continue
            gap = float(np.hypot(point[0] - x, point[1] - y))
            if gap > tolerance_m:
                problems.append(
                    TopologyProblem(
                        "unsnapped_line",
                        code,
                        f"line {code} ends {gap:.2f} m from its node {node} "
                        f"(tolerance {tolerance_m} m)",
                        point[0],
                        point[1],
                        related=[node],
                    )
                )
    return problems


def _duplicates(G, tolerance_m: float) -> list[TopologyProblem]:
    placed = [n for n in G if None not in _xy(G, n)]
    if len(placed) < 2:
        return []
    tree = cKDTree(np.array([_xy(G, n) for n in placed], dtype=float))
    problems = []
    for i, j in sorted(tree.query_pairs(r=tolerance_m)):
        a, b = sorted((placed[i], placed[j]))
        if G.has_edge(a, b) or G.has_edge(b, a):
            continue  # a device drawn on its node is joined on purpose
        problems.append(
            _problem(
                G, "duplicate_node", a, f"nodes {a} and {b} are within {tolerance_m} m", related=[b]
            )
        )
    return problems


def _radial_loops(G) -> list[TopologyProblem]:
    lookup = {k: u for u, _, k in G.edges(keys=True)}
    return [
        TopologyProblem(
            "loop_in_radial_network",
            loop[0],
            f"closed loop of {len(loop)} edges in a radial network",
            *_xy(G, lookup[loop[0]]),
            related=loop,
        )
        for loop in loops(G)
    ]


def _drainage_cycles(G) -> list[TopologyProblem]:
    F = flow_graph(G)
    problems = []
    for part in nx.strongly_connected_components(F):
        if len(part) > 1 or any(F.has_edge(n, n) for n in part):
            nodes = sorted(part)
            problems.append(
                _problem(
                    G,
                    "drainage_cycle",
                    nodes[0],
                    f"flow runs in a circle through {len(nodes)} nodes",
                    related=nodes,
                )
            )
    return problems


def _elevation_of(G, elevations: Elevations, node):
    if elevations is None:
        return None
    if callable(elevations):
        x, y = _xy(G, node)
        return None if x is None or y is None else elevations(x, y)
    return elevations.get(node)


def _slopes(G, elevations: Elevations, min_fall_m: float) -> list[TopologyProblem]:
    problems = []
    for u, v, k, a in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        if a.get("kind") in DECLARED_DIRECTION_KINDS:
            continue
        start, end = a.get("start_node", u), a.get("end_node", v)
        up, down = a.get("invert_up"), a.get("invert_down")
        source = "invert"
        if up is None or down is None:
            up, down = (_elevation_of(G, elevations, n) for n in (start, end))
            source = "ground"
        if up is None or down is None or up - down >= min_fall_m:
            continue
        x0, y0 = _xy(G, start)
        x1, y1 = _xy(G, end)
        x = None if None in (x0, x1) else (x0 + x1) / 2
        y = None if None in (y0, y1) else (y0 + y1) / 2
        problems.append(
            TopologyProblem(
                "reversed_slope" if source == "invert" else "reversed_ground_slope",
                k,
                f"{source} falls {up - down:.2f} m from {start} to {end}, less than {min_fall_m} m",
                x,
                y,
                severity="error" if source == "invert" else "warning",
                related=[start, end],
            )
        )
    return problems


def check_topology(
    G,
    *,
    geometries: Mapping | None = None,
    snap_tolerance_m: float = 0.5,
    duplicate_tolerance_m: float = 0.1,
    radial: bool | None = None,
    elevations: Elevations = None,
    min_fall_m: float = 0.0,
    checks: Iterable[str] | None = None,
) -> list[TopologyProblem]:
    """Run the topology checks of one network.

    Parameters
    ----------
    G : networkx graph
        Network following :mod:`twin.network.graph` conventions.
    geometries : mapping, optional, keyword-only
        Edge code → line geometry (shapely LineString or a coordinate
        sequence) in metres, same CRS as the node ``x``/``y``.
    snap_tolerance_m, duplicate_tolerance_m : float, keyword-only
        Largest gap between a line end and its node, and distance under
        which two nodes not joined by an edge are duplicates (metres).
    radial : bool, optional, keyword-only
        Report closed loops; default: for the networks declared radial
        (power: feeders run radially).
    elevations : mapping or callable, optional, keyword-only
        Ground elevation (m) by node code, or ``f(x, y)`` sampling a DEM;
        used for drainage edges without inverts.
    min_fall_m : float, keyword-only
        Smallest acceptable fall along a gravity drainage edge (m).
    checks : iterable of str, optional, keyword-only
        Subset of ``components``, ``dangling``, ``unsnapped``,
        ``duplicates``, ``loops``, ``drainage_cycles``, ``slopes``.

    Returns
    -------
    list of TopologyProblem
        Sorted by kind, then code.
    """
    network = NETWORKS.get(G.graph.get("utility"))
    radial = bool(network and network.radial) if radial is None else radial
    gravity = bool(network and network.directed)
    runs = {
        "components": lambda: _components(G),
        "dangling": lambda: _dangling(G),
        "unsnapped": lambda: _unsnapped(G, geometries or {}, snap_tolerance_m),
        "duplicates": lambda: _duplicates(G, duplicate_tolerance_m),
        "loops": lambda: _radial_loops(G) if radial else [],
        "drainage_cycles": lambda: _drainage_cycles(G) if gravity else [],
        "slopes": lambda: _slopes(G, elevations, min_fall_m) if gravity else [],
    }
    wanted = list(runs) if checks is None else list(checks)
    problems = [p for name in wanted for p in runs[name]()]
    return sorted(problems, key=lambda p: (p.kind, p.code))
