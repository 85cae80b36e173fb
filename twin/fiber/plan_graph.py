"""The whole planning graph: trenches, the existing network as one root, the villages.

On top of :func:`twin.fiber.trench_graph.trench_graph` this adds

* the node :data:`ROOT`, standing for every node fed from a POP;
* ``("net", code)`` nodes for connected POPs, cabinets and access nodes,
  joined to the root by free ``attach`` edges and to the road by a
  ``lead_in`` edge (off-road trench);
* ``tap`` edges from every trench node near a connected cable with spare
  fibres to the root, priced as one splice closure;
* each unconnected village's access point: the roadside node nearest where
  its households are densest when that spot is within
  ``rule.access_roadside_max_m`` of a road, else the spot itself joined to
  the road by a lead-in; an access point given beforehand stays where it is
  (with a lead-in when off the road).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString

from twin.errors import InvalidInput, Problem

from .costs import CostModel
from .existing import ExistingNetwork, existing_network
from .inputs import PlanInputs
from .terminals import assign_buildings, covered_households, densest_points
from .trench_graph import trench_graph

__all__ = ["ROOT", "PlanGraph", "VillageTarget", "plan_graph"]

#: The node that stands for the whole existing network.
ROOT = "root"


@dataclass
class VillageTarget:
    """A village as the plan sees it.

    ``status`` is ``connected`` (served today), ``planned`` (a terminal of
    the design) or ``unreachable`` (no road within reach, or none joined to
    the network).  ``xy`` is the access node position (m); ``node`` the
    village's terminal node; ``covered_households`` the households within
    drop reach once connected; ``drops`` the drops the plan pays for;
    ``terminal_cost_vnd`` the access node and those drops; ``lead_in_m``
    the off-road trench from the access node to the road (0 at the roadside).
    """

    code: str
    name: str
    commune: str | None
    households: int
    status: str
    xy: tuple[float, float]
    node: Hashable | None = None
    access_node: str | None = None
    covered_households: int = 0
    drops: int = 0
    terminal_cost_vnd: float = 0.0
    lead_in_m: float = 0.0


@dataclass
class PlanGraph:
    """The priced graph with :data:`ROOT`, the villages, and the existing network."""

    graph: nx.Graph
    villages: list[VillageTarget]
    existing: ExistingNetwork


def _lead_in(costs: CostModel, a, b) -> dict:
    length = float(np.hypot(a[0] - b[0], a[1] - b[1]))
    rate = costs["trench.off_road"] + costs.cable_vnd_per_m
    return dict(
        kind="lead_in", cost_vnd=length * rate, length_m=length, geometry=LineString([a, b])
    )


def _access_points(inputs: PlanInputs, costs: CostModel, village_of) -> np.ndarray:
    spots = densest_points(
        inputs.villages,
        inputs.buildings_xy,
        inputs.buildings_households,
        village_of,
        radius_m=costs.rule("density_radius_m"),
    )
    for i, v in enumerate(inputs.villages):
        given = inputs.given_access.get(v.code)
        if given is not None:
            spots[i] = (given.x, given.y)
    return spots


def _add_taps(G: nx.Graph, existing: ExistingNetwork, costs: CostModel) -> None:
    """A tap edge to the root from each trench node near a cable with spare fibres."""
    nodes = [n for n in G if isinstance(n, int)]
    if not nodes or not existing.tap_cables:
        return
    points = shapely.points(np.array([G.nodes[n]["pos"] for n in nodes]))
    lines = np.asarray([c.line for c in existing.tap_cables], dtype=object)
    near, cable = shapely.STRtree(lines).query(
        points, predicate="dwithin", distance=costs.rule("attach_radius_m")
    )
    price = costs["splice_closure.each"]
    distance = shapely.distance(points[near], lines[cable])
    for i, c, _ in sorted(
        zip(near.tolist(), cable.tolist(), distance.tolist(), strict=True),
        key=lambda t: (t[0], t[2]),
    ):
        if not G.has_edge(nodes[i], ROOT):
            G.add_edge(
                nodes[i],
                ROOT,
                kind="tap",
                cost_vnd=price,
                length_m=0.0,
                geometry=None,
                cable=existing.tap_cables[c].code,
            )


def plan_graph(inputs: PlanInputs, costs: CostModel) -> PlanGraph:
    """Build the planning graph of ``inputs`` priced with ``costs``.

    Raises
    ------
    twin.errors.InvalidInput
        When no POP is in service: the plan grows from the existing network.
    """
    existing = existing_network(
        inputs.nodes, inputs.cables, min_spare_fibers=int(costs.rule("tap_min_spare_fibers"))
    )
    if not any(n.kind == "pop" for n in existing.nodes):
        raise InvalidInput(
            "fibre plan: no POP in service",
            [Problem("telecom_pop", "required", "the plan grows from the existing network's POPs")],
        )
    village_of = assign_buildings(
        inputs.villages, inputs.buildings_xy, max_m=costs.rule("village_radius_m")
    )
    spots = _access_points(inputs, costs, village_of)
    todo = [i for i, v in enumerate(inputs.villages) if v.code not in existing.served]
    net_xy = np.array([(n.point.x, n.point.y) for n in existing.nodes]).reshape(-1, 2)
    points = np.vstack([spots[todo].reshape(-1, 2), net_xy])
    limits = np.concatenate(
        [
            np.full(len(todo), costs.rule("lead_in_max_m")),
            np.full(len(net_xy), costs.rule("attach_radius_m")),
        ]
    )
    tg = trench_graph(
        inputs.roads,
        costs,
        points_xy=points,
        points_max_m=limits,
        poles_xy=inputs.poles_xy,
        ducts=inputs.ducts,
    )
    G = tg.graph
    G.add_node(ROOT, pos=None)
    for node, anchor in zip(existing.nodes, tg.anchors[len(todo) :], strict=True):
        if anchor is None:
            continue
        key, xy = ("net", node.code), (node.point.x, node.point.y)
        G.add_node(key, pos=xy, code=node.code, kind=node.kind, asset_id=node.id)
        G.add_edge(ROOT, key, kind="attach", cost_vnd=0.0, length_m=0.0, geometry=None)
        G.add_edge(key, anchor.node, **_lead_in(costs, xy, G.nodes[anchor.node]["pos"]))
    _add_taps(G, existing, costs)
    anchors = dict(zip(todo, tg.anchors[: len(todo)], strict=True))
    villages = _targets(inputs, costs, G, existing, anchors, spots)
    _cover(inputs, costs, villages, village_of)
    return PlanGraph(G, villages, existing)


def _targets(inputs, costs, G, existing, anchors, spots) -> list[VillageTarget]:
    tol = costs.rule("snap_tolerance_m")
    served_at = {n.code: (n.point.x, n.point.y) for n in existing.nodes}
    out = []
    for i, v in enumerate(inputs.villages):
        base = dict(code=v.code, name=v.name, commune=v.commune, households=int(v.households))
        if v.code in existing.served:
            code = existing.served[v.code]
            out.append(
                VillageTarget(**base, status="connected", xy=served_at[code], access_node=code)
            )
            continue
        anchor = anchors.get(i)
        if anchor is None:
            out.append(VillageTarget(**base, status="unreachable", xy=tuple(spots[i])))
            continue
        node, xy = anchor.node, G.nodes[anchor.node]["pos"]
        stays = tol if v.code in inputs.given_access else costs.rule("access_roadside_max_m")
        if anchor.distance_m > stays:
            node, xy = ("village", v.code), tuple(spots[i])
            G.add_node(node, pos=xy, village=v.code)
            G.add_edge(node, anchor.node, **_lead_in(costs, xy, G.nodes[anchor.node]["pos"]))
        lead_in = anchor.distance_m if node != anchor.node else 0.0
        out.append(
            VillageTarget(**base, status="planned", xy=tuple(xy), node=node, lead_in_m=lead_in)
        )
    reach = nx.node_connected_component(G, ROOT)
    for target in out:
        if target.status == "planned" and target.node not in reach:
            target.status = "unreachable"
    return out


def _cover(inputs: PlanInputs, costs: CostModel, villages, village_of) -> None:
    access = np.array([t.xy for t in villages], dtype=float).reshape(-1, 2)
    covered = covered_households(
        inputs.villages,
        access,
        inputs.buildings_xy,
        inputs.buildings_households,
        village_of,
        reach_m=costs.rule("drop_reach_m"),
    )
    take_up = costs.rule("drop_take_up")
    for target, count in zip(villages, covered.tolist(), strict=True):
        target.covered_households = int(count)
        if target.status != "connected":
            target.drops = int(round(count * take_up))
            target.terminal_cost_vnd = (
                costs["access_node.each"] + target.drops * costs["drop.per_household"]
            )
