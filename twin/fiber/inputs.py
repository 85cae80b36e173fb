"""What the planner reads: roads, villages, buildings and the telecom network.

Plain records in one metric CRS (a VN-2000 zone, metres), built by
:mod:`twin.fiber.load` from the twin or by tests by hand.  The planning
functions take these and return plain data; none of them touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from shapely.geometry import LineString, Point

__all__ = ["Cable", "Duct", "NetworkNode", "PlanInputs", "Road", "Village"]


@dataclass(frozen=True)
class Road:
    """A road segment: ``line`` in metres; class, width (m) and surface as in ``base_road``."""

    code: str
    line: LineString
    road_class: str | None = None
    width_m: float | None = None
    surface: str | None = None


@dataclass(frozen=True)
class Village:
    """A village (thôn) or urban neighbourhood: the unit the rollout targets count."""

    code: str
    point: Point
    households: int
    name: str = ""
    commune: str | None = None


@dataclass(frozen=True)
class NetworkNode:
    """An existing telecom node: ``kind`` is ``pop``, ``cabinet`` or ``access_node``.

    ``id`` is the asset id cables name in ``start_node``/``end_node``;
    ``village`` is the village code an access node serves.
    """

    code: str
    id: int
    kind: str
    point: Point
    village: str | None = None


@dataclass(frozen=True)
class Cable:
    """An existing fibre cable between two nodes (asset ids); spare = count - used."""

    code: str
    line: LineString
    start_node: int | None
    end_node: int | None
    spare_fibers: int = 0
    placement: str | None = None


@dataclass(frozen=True)
class Duct:
    """An existing duct run with ``ways_free`` free ways."""

    code: str
    line: LineString
    ways_free: int = 0


@dataclass
class PlanInputs:
    """Everything one plan needs, in the metric CRS ``crs`` (EPSG code or WKT).

    ``buildings_xy`` (N x 2, m) and ``buildings_households`` place access
    nodes and measure coverage; ``poles_xy`` (M x 2, m) are power, lighting
    and telecom poles that can carry aerial cable; ``given_access`` maps a
    village code to an access point chosen beforehand (else the planner puts
    it where the village's households are densest).
    """

    crs: str
    roads: list[Road]
    villages: list[Village]
    nodes: list[NetworkNode] = field(default_factory=list)
    cables: list[Cable] = field(default_factory=list)
    ducts: list[Duct] = field(default_factory=list)
    poles_xy: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    buildings_xy: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    buildings_households: np.ndarray = field(default_factory=lambda: np.empty(0))
    given_access: dict[str, Point] = field(default_factory=dict)
