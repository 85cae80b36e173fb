"""Labels to attributes and entities to types: the pure CAD algorithms, no database."""

from __future__ import annotations

import doctest
import re

import numpy as np
import pytest
from shapely import LineString, Point, Polygon

import twin.io.algorithms.cad_labels
import twin.io.algorithms.cad_shapes
from twin.io.algorithms.cad_labels import LabelRule, labels_to_attributes
from twin.io.algorithms.cad_shapes import CadTarget, assign_entities
from twin.io.cad.cad_map import starter_label_rules

DIAMETER = LabelRule(re.compile(r"D(\d+)"), "diameter_mm")


@pytest.mark.parametrize("module", [twin.io.algorithms.cad_labels, twin.io.algorithms.cad_shapes])
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert (result.attempted > 0, result.failed) == (True, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("D110", {"diameter_mm": "110"}),
        ("Ø160 HDPE", {"diameter_mm": "160"}),
        ("HDPE DN 200", {"diameter_mm": "200"}),
        ("ĐZ 22kV", {"voltage_kv": "22"}),
        ("0,4 kV", {"voltage_kv": "0.4"}),
        ("CAP 24FO", {"fiber_count": "24"}),
        ("Đường Lê Lợi", {}),
    ],
)
def test_the_starter_patterns(text, expected):
    from twin.io.algorithms.cad_labels import label_values

    assert label_values(text, starter_label_rules()) == expected


def test_the_nearer_of_two_labels_wins_and_each_label_goes_to_its_nearest_feature():
    pipes = np.array([LineString([(0, 0), (100, 0)]), LineString([(0, 3), (100, 3)])])
    texts = ["D110", "D90", "D160"]
    positions = np.array([Point(50, -1), Point(50, -1.8), Point(50, 4)])
    found, unplaced = labels_to_attributes(
        pipes, [(DIAMETER,), (DIAMETER,)], texts, positions, tolerance=2
    )
    assert found == [{"diameter_mm": "110"}, {"diameter_mm": "160"}]
    assert unplaced == 0


def test_a_label_goes_to_the_nearest_feature_whose_pattern_it_matches():
    voltage = LabelRule(re.compile(r"(\d+)\s*kV"), "voltage_kv")
    features = np.array([LineString([(0, 0), (100, 0)]), LineString([(0, 2), (100, 2)])])
    found, _ = labels_to_attributes(
        features, [(DIAMETER,), (voltage,)], ["22kV"], np.array([Point(50, 0.5)]), tolerance=3
    )
    assert found == [{}, {"voltage_kv": "22"}]


def test_blocks_need_a_block_row_and_shapes_a_shape_row():
    rows = [
        CadTarget("CAY_XANH*", "", "trees_green_area", "Polygon"),
        CadTarget("CAY_XANH*", "*", "trees_tree", "Point"),
    ]
    park = Polygon([(0, 0), (10, 0), (10, 10)])
    chosen, _ = assign_entities(
        rows,
        ["polygon", "insert", "line", "text"],
        ["CAY_XANH", "cay_xanh_1", "CAY_XANH", "CAY_XANH"],
        [None, "CAY_SAO", None, None],
        np.array([park, Point(1, 1), LineString([(0, 0), (1, 1)]), Point(0, 0)]),
    )
    assert chosen.tolist() == [0, 1, -1, -1]
