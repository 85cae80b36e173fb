"""CQL2 JSON and CQL2 text select the same features (examples of OGC 21-065 on the twin's queryables).

Each case is an example of the CQL2 standard's conformance classes written
for the water pipes: the text form, the JSON form, and the pipes it must
select, checked on the real database.
"""

import pytest
from shapely.geometry import LineString

from layers import feature_type
from tests.factories import sample_properties
from twin.api.errors import InvalidParameter
from twin.api.query import parse_items_query, query_items
from twin.edits import create_feature

pytestmark = pytest.mark.db
PIPE = feature_type("water_pipe")
BBOX = "104.60,20.60,104.62,20.62"
#: (diameter_mm, material, commissioned_on, pressure_zone) of the pipes 0..3.
PIPES = [
    (100, "hdpe", "2018-05-01", "Vùng Hoàng Văn Thụ"),
    (150, "hdpe", "2019-07-01", "vung hoang van thu"),
    (250, "steel", "2020-03-15", "Vùng Lê Lợi"),
    (400, "steel", None, None),
]
_P = {"property": "diameter_mm"}
_ZONE = {"property": "pressure_zone"}
_BOX = [104.6005, 20.6, 104.6025, 20.61]
_TRIANGLE = {
    "type": "Polygon",
    "coordinates": [[[104.6005, 20.6], [104.6025, 20.6], [104.6025, 20.61], [104.6005, 20.6]]],
}
CASES = [
    # basic-cql2
    ("diameter_mm = 150", {"op": "=", "args": [_P, 150]}, [1]),
    ("diameter_mm <> 150", {"op": "<>", "args": [_P, 150]}, [0, 2, 3]),
    ("diameter_mm >= 250", {"op": ">=", "args": [_P, 250]}, [2, 3]),
    (
        "diameter_mm < 200 AND material = 'hdpe'",
        {
            "op": "and",
            "args": [
                {"op": "<", "args": [_P, 200]},
                {"op": "=", "args": [{"property": "material"}, "hdpe"]},
            ],
        },
        [0, 1],
    ),
    (
        "diameter_mm = 100 OR NOT material = 'hdpe'",
        {
            "op": "or",
            "args": [
                {"op": "=", "args": [_P, 100]},
                {"op": "not", "args": [{"op": "=", "args": [{"property": "material"}, "hdpe"]}]},
            ],
        },
        [0, 2, 3],
    ),
    ("pressure_zone IS NULL", {"op": "isNull", "args": [_ZONE]}, [3]),
    # advanced-comparison-operators
    ("diameter_mm BETWEEN 120 AND 300", {"op": "between", "args": [_P, 120, 300]}, [1, 2]),
    ("diameter_mm IN (100, 400)", {"op": "in", "args": [_P, [100, 400]]}, [0, 3]),
    ("pressure_zone LIKE 'Vùng%'", {"op": "like", "args": [_ZONE, "Vùng%"]}, [0, 2]),
    # case-insensitive-comparison and accent-insensitive-comparison
    (
        "CASEI(material) = casei('STEEL')",
        {
            "op": "=",
            "args": [
                {"op": "casei", "args": [{"property": "material"}]},
                {"op": "casei", "args": ["STEEL"]},
            ],
        },
        [2, 3],
    ),
    (
        "CASEI(ACCENTI(pressure_zone)) LIKE CASEI(ACCENTI('%hoang van thu%'))",
        {
            "op": "like",
            "args": [
                {"op": "casei", "args": [{"op": "accenti", "args": [_ZONE]}]},
                {"op": "casei", "args": [{"op": "accenti", "args": ["%hoang van thu%"]}]},
            ],
        },
        [0, 1],
    ),
    (
        "ACCENTI(pressure_zone) = ACCENTI('Vung Le Loi')",
        {
            "op": "=",
            "args": [
                {"op": "accenti", "args": [_ZONE]},
                {"op": "accenti", "args": ["Vung Le Loi"]},
            ],
        },
        [2],
    ),
    # basic-spatial-functions and spatial-functions
    (
        f"S_INTERSECTS(geometry, BBOX({', '.join(map(str, _BOX))}))",
        {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": _BOX}]},
        [0, 1],
    ),
    (
        "S_WITHIN(geometry, POLYGON((104.6005 20.6, 104.6025 20.6, 104.6025 20.61, 104.6005 20.6)))",
        {"op": "s_within", "args": [{"property": "geometry"}, _TRIANGLE]},
        [0, 1],
    ),
    (
        "S_DISJOINT(geometry, BBOX(104.6005, 20.6, 104.6025, 20.61))",
        {"op": "s_disjoint", "args": [{"property": "geometry"}, {"bbox": _BOX}]},
        [2, 3],
    ),
    # dates: comparisons and temporal functions
    (
        "commissioned_on > DATE('2019-01-01')",
        {"op": ">", "args": [{"property": "commissioned_on"}, {"date": "2019-01-01"}]},
        [1, 2],
    ),
    (
        "T_BEFORE(commissioned_on, DATE('2019-07-01'))",
        {"op": "t_before", "args": [{"property": "commissioned_on"}, {"date": "2019-07-01"}]},
        [0],
    ),
    (
        "T_DURING(commissioned_on, INTERVAL('2019-01-01', '2021-01-01'))",
        {
            "op": "t_during",
            "args": [{"property": "commissioned_on"}, {"interval": ["2019-01-01", "2021-01-01"]}],
        },
        [1, 2],
    ),
    (
        "T_AFTER(commissioned_on, INTERVAL('..', '2019-07-01'))",
        {
            "op": "t_after",
            "args": [{"property": "commissioned_on"}, {"interval": ["..", "2019-07-01"]}],
        },
        [2],
    ),
    (
        "T_INTERSECTS(commissioned_on, INTERVAL('2019-07-01', '..'))",
        {
            "op": "t_intersects",
            "args": [{"property": "commissioned_on"}, {"interval": ["2019-07-01", ".."]}],
        },
        [1, 2],
    ),
]


@pytest.fixture
def pipes(session):
    codes = []
    for i, (diameter, material, since, zone) in enumerate(PIPES):
        x = 104.601 + i * 0.001
        line = LineString([(x, 20.601), (x, 20.6015)])
        props = sample_properties(
            PIPE, diameter_mm=diameter, material=material, commissioned_on=since, pressure_zone=zone
        )
        codes.append(create_feature(session, PIPE.table, props, line, user="t").feature["id"])
    return codes


def _ids(session, **params) -> list[str]:
    params = {"bbox": BBOX, "limit": "100", **params}
    q = parse_items_query(PIPE, params)
    page = query_items(session, PIPE, q, url="http://x/items", params=params, hide_personal=True)
    return [f["id"] for f in page["features"]]


@pytest.mark.parametrize(("text", "as_json", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_json_and_text_select_the_same_features(session, pipes, text, as_json, expected):
    import json

    by_text = _ids(session, filter=text)
    by_json = _ids(session, filter=json.dumps(as_json), **{"filter-lang": "cql2-json"})
    assert by_text == by_json == [pipes[i] for i in expected]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"filter": "{", "filter-lang": "cql2-json"}, "not JSON"),
        ({"filter": '{"op": "=", "args": [1]}', "filter-lang": "cql2-json"}, "takes 2 arguments"),
        ({"filter": "a = 1", "filter-lang": "ecql"}, "cql2-text or cql2-json"),
        ({"filter": "T_DURING(diameter_mm, INTERVAL('2019-01-01', '..'))"}, "date or timestamp"),
        ({"filter": "CASEI(material) = 1"}, "text"),
        ({"filter": "diameter_mm + 1 = 2"}, "not supported"),
    ],
)
def test_bad_cql2_is_a_400_naming_the_filter(session, params, says):
    with pytest.raises(InvalidParameter) as err:
        q = parse_items_query(PIPE, params)
        query_items(session, PIPE, q, url="http://x/items", params=params, hide_personal=True)
    assert err.value.status == 400
    assert err.value.problems[0].field in ("filter", "filter-lang")
    if says:
        assert says in err.value.message
