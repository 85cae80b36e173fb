"""Villages as terminals: buildings, the densest spot, households within drop reach."""

from __future__ import annotations

import numpy as np
from shapely.geometry import LineString, Point

from tests.twin.fiber.plan_instances import village
from twin.fiber.existing import existing_network
from twin.fiber.inputs import Cable, NetworkNode
from twin.fiber.terminals import assign_buildings, covered_households, densest_points

VILLAGES = [village("VIL-A", 0, 0, households=30), village("VIL-B", 2000, 0, households=10)]
XY = np.array([[10, 0], [900, 0], [1100, 0], [1990, 0], [5000, 0], [950, 0]])
HH = np.array([10, 5, 5, 4, 1, 6])


def test_buildings_belong_to_the_nearest_village_within_the_radius():
    assert assign_buildings(VILLAGES, XY, max_m=1500).tolist() == [0, 0, 1, 1, -1, 0]


def test_the_densest_spot_is_the_building_with_most_households_around_it():
    of = assign_buildings(VILLAGES, XY, max_m=1500)
    spots = densest_points(VILLAGES, XY, HH, of, radius_m=100)
    # VIL-A: the buildings at 900 and 950 both have 11 households within 100 m, more than the
    # 10 at x=10; of the two, the one nearer the village point wins
    assert spots[0].tolist() == [900, 0]
    assert spots[1].tolist() == [1100, 0]  # 5 households against 4
    lonely = densest_points([village("VIL-C", 7, 7)], XY[:0], HH[:0], of[:0], radius_m=100)
    assert lonely.tolist() == [[7, 7]]


def test_households_beyond_drop_reach_are_not_covered():
    of = assign_buildings(VILLAGES, XY, max_m=1500)
    access = np.array([[950, 0], [1990, 0]])
    covered = covered_households(VILLAGES, access, XY, HH, of, reach_m=800)
    # VIL-A: 11 of its 21 building households lie within 800 m of its access node, VIL-B 4 of 9
    assert covered.tolist() == [int(30 * 11 / 21), int(10 * 4 / 9)]
    assert covered_households(VILLAGES, access, XY[:0], HH[:0], of[:0], reach_m=800).tolist() == [
        30,
        10,
    ]


def test_what_is_fed_from_a_pop_and_which_cables_may_be_tapped():
    nodes = [
        NetworkNode("POP", 1, "pop", Point(0, 0)),
        NetworkNode("ACC-1", 2, "access_node", Point(1, 0), "VIL-A"),
        NetworkNode("ACC-2", 3, "access_node", Point(2, 0), "VIL-B"),
        NetworkNode("CAB", 4, "cabinet", Point(3, 0)),
    ]
    line = LineString([(0, 0), (1, 0)])
    cables = [
        Cable("C1", line, 1, 2, spare_fibers=8),
        Cable("C2", line, 2, 4, spare_fibers=1),
        Cable("C3", line, 3, 3, spare_fibers=20),
    ]
    net = existing_network(nodes, cables, min_spare_fibers=4)
    assert {n.code for n in net.nodes} == {"POP", "ACC-1", "CAB"}
    assert net.served == {"VIL-A": "ACC-1"}
    assert [c.code for c in net.tap_cables] == ["C1"]
