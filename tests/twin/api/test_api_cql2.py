"""CQL2 text: the common operators parse, errors say where, nothing else escapes."""

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twin.api.cql2 as cql2
from twin.api.cql2 import parse
from twin.api.errors import InvalidParameter


def test_doctests():
    assert doctest.testmod(cql2).failed == 0


def test_precedence_not_binds_tighter_than_and_than_or():
    assert parse("a = 1 OR NOT b = 2 AND c = 3") == (
        "or",
        [
            ("cmp", "=", ("prop", "a"), ("lit", 1)),
            (
                "and",
                [
                    ("not", ("cmp", "=", ("prop", "b"), ("lit", 2))),
                    ("cmp", "=", ("prop", "c"), ("lit", 3)),
                ],
            ),
        ],
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name LIKE 'Tr%'", ("like", ("prop", "name"), ("lit", "Tr%"))),
        (
            "d NOT BETWEEN 100 AND 200",
            ("not", ("between", ("prop", "d"), ("lit", 100), ("lit", 200))),
        ),
        ("s IN ('a', 'b''c')", ("in", ("prop", "s"), [("lit", "a"), ("lit", "b'c")])),
        ("x IS NOT NULL", ("not", ("isnull", ("prop", "x")))),
        ('"odd name" = TRUE', ("cmp", "=", ("prop", "odd name"), ("lit", True))),
        ("h >= -2.5e1", ("cmp", ">=", ("prop", "h"), ("lit", -25.0))),
    ],
)
def test_common_operators(text, expected):
    assert parse(text) == expected


def test_spatial_predicates_read_wkt_and_bbox():
    kind, function, prop, geom = parse("S_INTERSECTS(geometry, BBOX(106, 21, 107, 22))")
    assert (kind, function, prop) == ("spatial", "ST_Intersects", ("prop", "geometry"))
    assert geom[1].bounds == (106.0, 21.0, 107.0, 22.0)
    within = parse("s_within(geometry, POLYGON((106 21, 107 21, 107 22, 106 21)))")
    assert within[1] == "ST_Within" and within[3][1].geom_type == "Polygon"


def test_dates_and_timestamps():
    node = parse(
        "planting_date < DATE('2020-02-29') AND updated_at > TIMESTAMP('2025-07-01T00:00:00Z')"
    )
    assert str(node[1][0][3][1]) == "2020-02-29"
    assert node[1][1][3][1].tzinfo is not None


@pytest.mark.parametrize(
    "text, where",
    [
        ("a =", "character 4"),
        ("a = 1 AND", "character 10"),
        ("(a = 1", "character 7"),
        ("a ! 1", "character 3"),
        ("S_INTERSECTS(geometry, POINT(1))", "unreadable geometry"),
    ],
)
def test_syntax_errors_say_where(text, where):
    with pytest.raises(InvalidParameter) as err:
        parse(text)
    assert err.value.status == 400 and where in err.value.message
    assert err.value.problems[0].rule == "cql2_syntax"


def test_deep_nesting_is_a_400_not_a_crash():
    assert parse("NOT " * 2000 + "a = 1")[0] == "cmp"
    with pytest.raises(InvalidParameter, match="nests too deeply"):
        parse("(" * 2000 + "a = 1" + ")" * 2000)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab=<>()',. 019NOTANDORLIKEINISNULLBETWEEN_S", max_size=60))
def test_any_text_parses_or_is_a_400(text):
    try:
        parse(text)
    except InvalidParameter:
        pass
