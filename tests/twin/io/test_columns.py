"""Whole-column checks break exactly the rules the edit service's validation breaks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from layers import feature_type
from twin.io.columns import check_column, coerce_column, null_mask
from twin.validation import validate_attributes

PIPE = feature_type("water_pipe")
TREE = feature_type("trees_tree")
ATTRIBUTES = [
    PIPE.attribute("diameter_mm"),
    PIPE.attribute("material"),
    PIPE.attribute("roughness"),
    TREE.attribute("planting_date"),
    TREE.attribute("heritage"),
    TREE.attribute("species_scientific"),
]

cells = st.one_of(
    st.none(),
    st.just(""),
    st.just("  "),
    st.booleans(),
    st.integers(-10, 6000),
    st.floats(-10, 6000, allow_nan=False),
    st.sampled_from(
        [
            "hdpe",
            "gold",
            "12",
            "12.5",
            "1e3",
            "abc",
            "2020-02-30",
            "2021-05-01",
            "yes",
            "không",
            "NaN",
        ]
    ),
)


def _rules_by_validation(ft, name, value) -> set[str]:
    return {p.rule for p in validate_attributes(ft, {name: value}, partial=True)[1]}


@settings(max_examples=60, deadline=None)
@given(values=st.lists(cells, min_size=1, max_size=12), which=st.integers(0, 5))
@example(values=[0.0, 1.0, 2.0], which=4)  # found once: a boolean read as floats
def test_column_rules_match_feature_rules(values, which):
    a = ATTRIBUTES[which]
    ft = PIPE if a in PIPE.attributes else TREE
    checked = check_column(a, np.array(values, dtype=object))
    for i, value in enumerate(values):
        flagged = {rule for rule, mask in checked.failed.items() if mask[i]}
        assert flagged == _rules_by_validation(ft, a.name, value), (a.name, value)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=False, width=32),
            st.integers(-100, 100).map(float),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_typed_numeric_columns_follow_the_same_rules(values):
    a = PIPE.attribute("diameter_mm")
    checked = check_column(a, np.array(values, dtype=float))
    for i, value in enumerate(values):
        flagged = {rule for rule, mask in checked.failed.items() if mask[i]}
        cell = None if value != value else value
        assert flagged == _rules_by_validation(PIPE, a.name, cell), value


def test_null_mask_treats_blank_text_nan_and_none_as_empty():
    values = np.array(["a", " ", "", None, float("nan"), "b "], dtype=object)
    assert null_mask(values).tolist() == [False, True, True, True, True, False]


def test_scaled_integers_are_rounded():
    clean, bad = coerce_column(
        "integer", np.array(["4", "12", "x", None], dtype=object), scale=25.4
    )
    assert clean.tolist() == [102, 305, None, None]
    assert bad.tolist() == [False, False, True, False]


@pytest.mark.parametrize(
    "values,kind,expected",
    [
        (np.array(["2020-01-01", "NaT"], dtype="datetime64[D]"), "date", ["2020-01-01", None]),
        (np.array([True, False]), "boolean", [True, False]),
        (np.array([1.0, np.nan]), "float", [1.0, None]),
    ],
)
def test_typed_columns_from_gdal(values, kind, expected):
    clean, bad = coerce_column(kind, values)
    assert [v.isoformat() if hasattr(v, "isoformat") else v for v in clean] == expected
    assert not bad.any()
