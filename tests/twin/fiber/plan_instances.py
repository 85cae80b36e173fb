"""Small planning instances built by hand, in metres, whose best routes are known."""

from __future__ import annotations

import numpy as np
from shapely.geometry import LineString, Point

from twin.fiber.design import Design
from twin.fiber.inputs import Cable, Duct, NetworkNode, PlanInputs, Road, Village
from twin.fiber.plan_graph import ROOT, VillageTarget

CRS = "EPSG:9214"


def road(code, *xy, road_class="street", width_m=10.0, surface="asphalt") -> Road:
    return Road(code, LineString(xy), road_class, width_m, surface)


def pop(x, y, code="TEL-POP-000001", id=1) -> NetworkNode:
    return NetworkNode(code, id, "pop", Point(x, y))


def village(code, x, y, households=100) -> Village:
    return Village(code, Point(x, y), households, name=f"Thôn {code}")


def duct_along(line_xy, code="TEL-DUCT-1", ways_free=2, offset=2.0) -> Duct:
    return Duct(code, LineString(line_xy).offset_curve(offset), ways_free)


def poles_along(line_xy, spacing_m, offset=3.0) -> np.ndarray:
    line = LineString(line_xy).offset_curve(offset)
    at = np.arange(spacing_m / 2, line.length, spacing_m)
    return np.array([line.interpolate(t).coords[0] for t in at])


def inputs(
    roads, villages, nodes=(), cables=(), ducts=(), poles=None, buildings=None
) -> PlanInputs:
    xy, hh = (np.empty((0, 2)), np.empty(0)) if buildings is None else buildings
    return PlanInputs(
        crs=CRS,
        roads=list(roads),
        villages=list(villages),
        nodes=list(nodes),
        cables=list(cables),
        ducts=list(ducts),
        poles_xy=np.empty((0, 2)) if poles is None else poles,
        buildings_xy=xy,
        buildings_households=hh,
    )


def duct_or_trench(ways_free: int = 2) -> PlanInputs:
    """A POP at P (0, 0), a village at V (200, 0).

    The direct street P-V is 200 m of new trench; the detour P-A-B-V (150 +
    200 + 150 = 500 m) has a duct with free ways all along.
    """
    direct = [(0, 0), (200, 0)]
    detour = [[(0, 0), (0, 150)], [(0, 150), (200, 150)], [(200, 150), (200, 0)]]
    roads = [road("RD-D", *direct)] + [road(f"RD-{i}", *xy) for i, xy in enumerate(detour)]
    ducts = [duct_along(xy, f"TEL-DUCT-{i}", ways_free) for i, xy in enumerate(detour)]
    return inputs(roads, [village("VIL-V", 200, 0)], [pop(0, -3)], ducts=ducts)


def tap_line(x0, x1, y=3.0, spare=12, code="TEL-CBL-1") -> Cable:
    return Cable(code, LineString([(x0, y), (x1, y)]), 1, 2, spare, "overhead")


def manual_design(edges, villages, connected=()) -> Design:
    """A design whose tree is ``edges`` ``(u, v, cost)`` hanging from ROOT.

    ``villages`` are ``(code, node, households, terminal_cost)``; ``connected``
    ``(code, households)`` are served already.
    """
    import networkx as nx

    tree = nx.Graph()
    for u, v, cost in edges:
        tree.add_edge(u, v, cost_vnd=float(cost), kind="trench", length_m=float(cost))
    targets = [
        VillageTarget(
            code,
            code,
            None,
            hh,
            "planned",
            (0.0, 0.0),
            node=node,
            covered_households=hh,
            terminal_cost_vnd=float(term),
        )
        for code, node, hh, term in villages
    ]
    targets += [
        VillageTarget(code, code, None, hh, "connected", (0.0, 0.0), covered_households=hh)
        for code, hh in connected
    ]
    assert ROOT in tree
    return Design(tree.copy(), tree, targets)
