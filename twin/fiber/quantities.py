"""Bill of quantities: how many metres of what, how much equipment, what it costs.

Lines come from the design's edges and nodes: metres of trench by road class
and surface, off-road lead-ins, crossings under wide roads (count, metres of
road width), aerial metres on existing poles, metres pulled through existing
ducts, cable metres over the whole route, taps into existing cables, splice
closures, cabinets, access nodes and drops.  The same function prices one
phase (a subset of the edges, nodes and villages) or the ring routes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass

import networkx as nx

from .costs import CostModel
from .design import Design
from .phasing import Rollout
from .plan_graph import ROOT, VillageTarget
from .redundancy import RingPath

__all__ = ["BillLine", "bill_of_quantities", "phase_parts", "ring_bill", "summary"]


@dataclass
class BillLine:
    """One line: ``quantity`` in ``unit`` at ``rate_vnd`` per unit gives ``cost_vnd``."""

    item: str
    quantity: float
    unit: str
    rate_vnd: float
    cost_vnd: float

    def to_dict(self) -> dict:
        return asdict(self)


def _line(item: str, quantity: float, unit: str, rate: float) -> BillLine:
    return BillLine(item, quantity, unit, rate, quantity * rate)


def _edge_lines(edges: Iterable[dict], costs: CostModel) -> list[BillLine]:
    trench: dict[tuple, float] = {}
    metres = {"lead_in": 0.0, "aerial": 0.0, "duct": 0.0}
    crossings, crossing_m, cable_m, taps = 0, 0.0, 0.0, 0
    for d in edges:
        kind = d["kind"]
        if kind == "trench":
            key = (d.get("road_class"), d.get("surface"))
            trench[key] = trench.get(key, 0.0) + d["length_m"]
        elif kind == "crossing":
            crossings, crossing_m = crossings + 1, crossing_m + d["length_m"]
        elif kind == "tap":
            taps += 1
        elif kind in metres:
            metres[kind] += d["length_m"]
        if kind not in ("tap", "attach"):
            cable_m += d["length_m"]
    lines = [
        _line(
            f"trench along {cls or 'unclassified'} road, {surface or 'unknown surface'}",
            m,
            "m",
            costs.trench_vnd_per_m(cls, surface),
        )
        for (cls, surface), m in sorted(
            trench.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))
        )
    ]
    lines += [
        _line("trench off road (lead-ins)", metres["lead_in"], "m", costs["trench.off_road"]),
        BillLine(
            f"crossings under wide roads ({crossings})",
            crossing_m,
            "m of road width",
            costs["crossing.per_m_width"],
            crossing_m * costs["crossing.per_m_width"],
        ),
        _line("aerial cable on existing poles", metres["aerial"], "m", costs["aerial.per_m"]),
        _line("cable pulled through existing ducts", metres["duct"], "m", costs["duct.per_m"]),
        _line("fibre cable (whole route)", cable_m, "m", costs.cable_vnd_per_m),
        _line(
            "taps into existing cables (splice closures)",
            taps,
            "each",
            costs["splice_closure.each"],
        ),
    ]
    return lines


def bill_of_quantities(
    edges: Iterable[dict],
    node_kinds: Iterable[str],
    villages: Sequence[VillageTarget],
    costs: CostModel,
) -> list[BillLine]:
    """Price edges (attribute dicts), new node equipment and villages' terminals.

    ``node_kinds`` lists ``cabinet``/``splice_closure`` (``tap`` is priced
    with its edge); ``villages`` are the villages connected (access node and
    drops each).
    """
    kinds = list(node_kinds)
    lines = _edge_lines(edges, costs)
    lines += [
        _line(
            "splice closures (aerial to underground)",
            kinds.count("splice_closure"),
            "each",
            costs["splice_closure.each"],
        ),
        _line(
            "cabinets with splitters (branch points)",
            kinds.count("cabinet"),
            "each",
            costs["cabinet.each"],
        ),
        _line("village access nodes", len(villages), "village", costs["access_node.each"]),
        _line("drops", sum(v.drops for v in villages), "household", costs["drop.per_household"]),
    ]
    return lines


def summary(lines: Sequence[BillLine]) -> dict:
    """Total cost (VND) and the headline quantities of a bill."""
    out = {"total_cost_vnd": float(sum(line.cost_vnd for line in lines))}
    out["trench_m"] = sum(line.quantity for line in lines if line.item.startswith("trench"))
    for key, item in (
        ("aerial_m", "aerial"),
        ("duct_m", "cable pulled"),
        ("cable_m", "fibre"),
        ("cabinets", "cabinets"),
        ("drops", "drops"),
        ("access_nodes", "village"),
    ):
        out[key] = sum(line.quantity for line in lines if line.item.startswith(item))
    return out


def phase_parts(design: Design, rollout: Rollout, year: int | None = None):
    """Edges (attribute dicts), node kinds and villages built in ``year`` (None: all)."""
    tree = design.tree
    depth = nx.single_source_shortest_path_length(tree, ROOT) if ROOT in tree else {}

    def built(n: Hashable) -> bool:
        return year is None or rollout.node_year.get(n) == year

    edges = [d for u, v, d in tree.edges(data=True) if built(max(u, v, key=depth.__getitem__))]
    kinds = [k for n, k in design.new_nodes.items() if built(n)]
    villages = [
        v for v in design.planned if year is None or rollout.village_year.get(v.code) == year
    ]
    return edges, kinds, villages


def ring_bill(design: Design, rings: Sequence[RingPath], costs: CostModel) -> list[BillLine]:
    """Price the second routes: new edges as in the design, reused ones at the duct rate."""
    G = design.graph
    new, reused_m = [], 0.0
    for ring in rings:
        for (u, v), reused in zip(ring.edges, ring.reused, strict=True):
            d = G.edges[u, v]
            if not reused:
                new.append(d)
            elif d["kind"] not in ("tap", "attach"):
                reused_m += d["length_m"]
    closures = {n for ring in rings for n in ring.transitions} - set(design.new_nodes)
    lines = _edge_lines(new, costs)
    lines += [
        _line(
            "second cable through planned trenches",
            reused_m,
            "m",
            costs["duct.per_m"] + costs.cable_vnd_per_m,
        ),
        _line(
            "splice closures (aerial to underground)",
            len(closures),
            "each",
            costs["splice_closure.each"],
        ),
    ]
    return lines
