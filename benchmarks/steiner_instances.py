"""Seeded Steiner instances the solver was never tuned on.

Three kinds, each deterministic for its seed:

* ``random``: a random spanning tree plus random edges (the construction of
  Beasley's series D and E), 1,000 or 2,500 vertices, 2 or 10 edges per
  vertex, integer weights 1-10;
* ``grid``: a square grid with every edge weighted 1-10, a tenth of the
  edges removed (keeping it connected) and a few diagonals added;
* ``road``: random points in a square joined to their nearest neighbours
  (planar-like, degree about 3), weight the rounded length scaled to 1-10.

Terminal counts run from 5 to a quarter of the vertices.  Instances are
written as STP files (:func:`write_stp`) so the CLI and the tests read them
like SteinLib's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

__all__ = ["Generated", "grid_instance", "random_instance", "road_instance", "series", "write_stp"]


@dataclass
class Generated:
    name: str
    graph: nx.Graph  # nodes 1 .. n, edge attribute "weight"
    terminals: list[int]


def random_instance(n: int, m: int, t: int, seed: int) -> Generated:
    """A random connected graph of ``n`` vertices and ``m`` edges, weights 1-10."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(n) + 1
    G = nx.Graph()
    G.add_nodes_from(range(1, n + 1))
    for k in range(1, n):  # random tree: each vertex joins an earlier one
        G.add_edge(int(order[k]), int(order[rng.integers(k)]))
    while G.number_of_edges() < m:
        u, v = (int(x) for x in rng.integers(1, n + 1, size=2))
        if u != v:
            G.add_edge(u, v)
    return _weighted(G, rng, t, f"rand_{n}_{m}_{t}_{seed}")


def grid_instance(side: int, t: int, seed: int) -> Generated:
    """A ``side`` x ``side`` grid, a tenth of its edges gone, a few diagonals."""
    rng = np.random.default_rng(seed)
    grid = nx.grid_2d_graph(side, side)
    G = nx.convert_node_labels_to_integers(grid, first_label=1, ordering="sorted")
    edges = list(G.edges)
    for k in rng.permutation(len(edges))[: len(edges) // 10]:
        u, v = edges[k]
        G.remove_edge(u, v)
        if not nx.has_path(G, u, v):
            G.add_edge(u, v)
    for _ in range(side * side // 20):
        r, c = (int(x) for x in rng.integers(0, side - 1, size=2))
        G.add_edge(r * side + c + 1, (r + 1) * side + c + 2)
    return _weighted(G, rng, t, f"grid_{side}_{t}_{seed}")


def road_instance(n: int, t: int, seed: int) -> Generated:
    """Random points joined to their 3 nearest neighbours; weight from length."""
    rng = np.random.default_rng(seed)
    points = rng.random((n, 2))
    _, near = cKDTree(points).query(points, k=4)
    G = nx.Graph()
    G.add_nodes_from(range(1, n + 1))
    for i, row in enumerate(near):
        for j in row[1:]:
            G.add_edge(i + 1, int(j) + 1)
    parts = [sorted(c) for c in nx.connected_components(G)]
    for a, b in zip(parts, parts[1:]):  # join the pieces, as a bridge would
        G.add_edge(a[0], b[0])
    length = {(u, v): float(np.hypot(*(points[u - 1] - points[v - 1]))) for u, v in G.edges}
    top = max(length.values())
    instance = _weighted(G, rng, t, f"road_{n}_{t}_{seed}")
    for (u, v), d in length.items():
        instance.graph.edges[u, v]["weight"] = max(1, min(10, round(10 * d / top * 3)))
    return instance


def _weighted(G: nx.Graph, rng, t: int, name: str) -> Generated:
    for u, v in G.edges:
        G.edges[u, v]["weight"] = int(rng.integers(1, 11))
    nodes = sorted(G)
    terminals = sorted(int(x) for x in rng.choice(nodes, size=t, replace=False))
    return Generated(name, G, terminals)


def series(name: str, seed: int = 1) -> list[Generated]:
    """The instances of one benchmark series, in a fixed order.

    ``random-sparse`` (2 edges per vertex), ``random-dense`` (10 per
    vertex), ``grid`` (32 x 32 and 50 x 50) and ``road``; 1,000-ish and
    2,500 vertices, each with 5, 10, n/6 and n/4 terminals.
    """
    out = []
    if name in ("random-sparse", "random-dense"):
        ratio = 2 if name == "random-sparse" else 10
        for n in (1000, 2500):
            for t in (5, 10, n // 6, n // 4):
                out.append(random_instance(n, n * ratio, t, seed + len(out)))
    elif name == "grid":
        for side in (32, 50):
            for t in (5, 10, side * side // 6, side * side // 4):
                out.append(grid_instance(side, t, seed + len(out)))
    elif name == "road":
        for n in (1000, 2500):
            for t in (5, 10, n // 6, n // 4):
                out.append(road_instance(n, t, seed + len(out)))
    else:
        raise ValueError(f"unknown series {name!r}")
    return out


SERIES = ("random-sparse", "random-dense", "grid", "road")


def write_stp(instance: Generated, path: Path) -> None:
    """Write ``instance`` as a SteinLib STP 1.0 file."""
    G = instance.graph
    lines = ["33D32945 STP File, STP Format Version 1.0", "", "SECTION Comment"]
    lines += [f'Name "{instance.name}"', 'Creator "benchmarks.steiner_instances"', "END", ""]
    lines += ["SECTION Graph", f"Nodes {G.number_of_nodes()}", f"Edges {G.number_of_edges()}"]
    lines += [f"E {u} {v} {d['weight']}" for u, v, d in sorted(G.edges(data=True))]
    lines += ["END", "", "SECTION Terminals", f"Terminals {len(instance.terminals)}"]
    lines += [f"T {t}" for t in instance.terminals]
    lines += ["END", "", "EOF", ""]
    Path(path).write_text("\n".join(lines), encoding="utf-8")
