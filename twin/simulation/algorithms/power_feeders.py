"""The feeders of a power model: what each substation feeds through each outgoing line.

With the switches in a given state, the buses reached from a source
without passing through another source form one feeder per connected
part (ties open: one per feeder breaker).  A feeder is named by the
``feeder`` recorded on most of its lines and headed by its switching
device nearest the source (the feeder breaker).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from .power_build import LV_SIDE, SIDE_B, bus_of
from .power_records import PowerModel

__all__ = ["Feeder", "bus_graph", "feeders", "node_of"]


@dataclass(frozen=True)
class Feeder:
    """One feeder: its ``name``, ``head`` device, ``source`` and the buses and elements it holds."""

    name: str
    head: str | None
    source: str
    buses: frozenset[str]
    lines: tuple[str, ...]
    transformers: tuple[str, ...]
    loads: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.name if self.head is None else f"{self.name} ({self.head})"


def node_of(bus: str) -> str:
    """The node code of a bus name (a switch's second side or a transformer's LV side)."""
    for suffix in (SIDE_B, LV_SIDE):
        if bus.endswith(suffix):
            return bus[: -len(suffix)]
    return bus


def bus_graph(model: PowerModel, states: dict[str, bool]) -> nx.Graph:
    """Buses joined by in-service lines (key ``line``), transformers and closed switches."""
    G = nx.Graph()
    for code in model.nodes:
        G.add_node(code)
    for ln in model.lines:
        if ln.in_service:
            G.add_edge(bus_of(model, ln, ln.start), bus_of(model, ln, ln.end), line=ln.code)
    for t in model.transformers:
        G.add_edge(t.code, t.code + LV_SIDE, transformer=t.code)
    for code in model.switches:
        G.add_node(code + SIDE_B)
        if states[code]:
            G.add_edge(code, code + SIDE_B, switch=code)
    return G


def _head(model: PowerModel, G: nx.Graph, source: str, part: set[str]) -> str | None:
    depth = nx.single_source_shortest_path_length(G.subgraph(part | {source}), source)
    devices = [(d, node_of(b)) for b, d in depth.items()
               if node_of(b) in model.switches and model.switches[node_of(b)].kind == "breaker"]
    return min(devices)[1] if devices else None


def feeders(model: PowerModel, states: dict[str, bool]) -> list[Feeder]:
    """Every feeder of ``model`` with switches in ``states``, by name then head."""
    G = bus_graph(model, states)
    sources = [s for s in model.sources if s in G]
    rest = G.subgraph(set(G) - set(sources))
    line_feeder = {ln.code: ln.feeder for ln in model.lines}
    load_at = {ld.code for ld in model.loads}
    found = []
    for part in nx.connected_components(rest):
        touching = sorted({s for b in part for s in G.adj[b] if s in sources})
        if not touching:
            continue
        edges = list(G.edges(part, data=True))  # with the lines leaving the source
        lines = tuple(sorted(d["line"] for _, _, d in edges if "line" in d))
        names = Counter(line_feeder[c] for c in lines if line_feeder[c])
        name = names.most_common(1)[0][0] if names else (lines[0] if lines else touching[0])
        found.append(Feeder(
            name, _head(model, G, touching[0], part), touching[0], frozenset(part), lines,
            tuple(sorted(d["transformer"] for _, _, d in edges if "transformer" in d)),
            tuple(sorted(b for b in part if b in load_at)),
        ))
    return sorted(found, key=lambda f: (f.name, f.head or ""))
