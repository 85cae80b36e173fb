"""Street lighting outage: dark lights and cable segments.

Lighting cabinets feed their circuits; each cable edge may carry the
``circuit`` it belongs to.  A failed cabinet, a failed circuit (every edge
of it) or a failed cable segment darkens every light left without a path
to a working cabinet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from twin.errors import NotFound
from twin.network.graph import SOURCE_KINDS, edge_lookup
from twin.network.traces import supplied_reach

__all__ = ["LightingOutageReport", "lighting_outage"]


@dataclass
class LightingOutageReport:
    """Dark lights and segments; :meth:`to_dict` is JSON-ready."""

    failed: list[str]
    circuits: list[str]
    dark_lights: list[str]
    dark_segments: list[str]
    dark_length_m: float
    cabinets: list[str]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def lighting_outage(
    G,
    failed: str | Iterable[str] = (),
    *,
    circuits: Iterable[str] = (),
    source_kinds: Iterable[str] = SOURCE_KINDS["lighting"],
) -> LightingOutageReport:
    """Analyse the failure of lighting cabinets, circuits or cable segments.

    Parameters
    ----------
    G : networkx.MultiGraph
        Lighting network.
    failed : str or iterable of str
        Codes of failed cabinets, poles, lights or cable edges.
    circuits : iterable of str, keyword-only
        Failed circuits: every edge whose ``circuit`` is one of them.
    source_kinds : iterable of str, keyword-only
        Node kinds that feed lights (lighting cabinets).

    Returns
    -------
    LightingOutageReport
        ``cabinets`` are the cabinets whose lights went dark.
    """
    failed = [failed] if isinstance(failed, str) else list(failed)
    lookup = edge_lookup(G)
    unknown = [c for c in failed if c not in G and c not in lookup]
    if unknown:
        raise NotFound(f"lighting assets {unknown} are not in the network")
    circuits = sorted(set(circuits))
    circuit_edges = [k for *_, k, c in G.edges(keys=True, data="circuit") if c in circuits]
    before = supplied_reach(G, source_kinds=source_kinds)
    after = supplied_reach(G, removed=[*failed, *circuit_edges], source_kinds=source_kinds)
    dark_nodes = before.nodes - after.nodes
    dark_edges = sorted(before.edges - after.edges)
    lengths = {k: a.get("length_m") or 0.0 for *_, k, a in G.edges(keys=True, data=True)}
    cabinets = set()
    for node in dark_nodes:
        while node in before.parent:
            node = before.parent[node][0]
        cabinets.add(node)
    return LightingOutageReport(
        failed=failed,
        circuits=circuits,
        dark_lights=sorted(n for n in dark_nodes if G.nodes[n].get("kind") == "light"),
        dark_segments=dark_edges,
        dark_length_m=float(sum(lengths[k] for k in dark_edges)),
        cabinets=sorted(cabinets),
    )
