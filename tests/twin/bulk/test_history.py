"""History entries built in memory hold each feature exactly as it was stored."""

from __future__ import annotations

import json
from datetime import date, datetime

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from sqlalchemy import text

from layers import feature_types
from tests.factories import sample_geometry, sample_properties
from twin.bulk import copy_features
from twin.bulk.geojson import geojson_texts, ordinate_texts
from twin.bulk.history import json_column, jsonb_order
from twin.features import get_feature

LON, LAT = 106.19, 21.27
_TIMES = ("created_at", "updated_at")


def _comparable(feature: dict) -> dict:
    """A feature with its timestamps as datetimes (PostgreSQL and Python print
    fractions of a second differently)."""
    props = dict(feature["properties"])
    for name in _TIMES:
        props[name] = datetime.fromisoformat(props[name])
    return {**feature, "properties": props}


def _entries(session, user: str) -> dict[str, dict]:
    rows = session.execute(
        text("SELECT code, new FROM audit.history WHERE changed_by = :u AND action = 'import'"),
        {"u": user},
    ).all()
    return {code: new for code, new in rows}


def _assert_same_as_stored(session, table: str, entries: dict[str, dict]) -> None:
    for code, new in entries.items():
        stored = get_feature(session, table, code)
        assert _comparable(new) == _comparable(stored), f"{table} {code}"


@pytest.mark.db
def test_every_feature_type_is_recorded_as_stored(session):
    unit = {
        "geom": box(LON - 0.1, LAT - 0.1, LON + 0.1, LAT + 0.1),
        "name": "C",
        "level": "commune",
    }
    copy_features(session, "base_admin_unit", [{**unit, "code": "HIST-C1"}], user="u")
    for ft in feature_types():
        rows = [
            {**sample_properties(ft), "geom": sample_geometry(ft, dx=0.003 * i, dy=0.001 * i)}
            for i in range(2)
        ]
        user = f"hist-{ft.table}"
        assert copy_features(session, ft.table, rows, user=user, communes=True) == 2
        entries = _entries(session, user)
        assert len(entries) == 2
        _assert_same_as_stored(session, ft.table, entries)
    pipe = next(iter(_entries(session, "hist-water_pipe").values()))
    assert pipe["properties"]["length_m"] > 0 and pipe["properties"]["commune"] == "HIST-C1"


@pytest.mark.db
def test_awkward_values_are_recorded_as_stored(session):
    rows = [
        {
            "geom": Point(LON + 0.123456789049, LAT - 0.0000000005),
            "species_scientific": 'Delonix "regia"\\ \t tab\nnewline',
            "species_vi": "Phượng vĩ",
            "height_m": np.float64(12.25),
            "trunk_diameter_cm": float("nan"),
            "crown_diameter_m": np.int64(3),
            "planting_date": date(2020, 2, 29),
            "last_inspected": "2024-07-01",
            "heritage": np.bool_(True),
            "extra": {"note": 'a "quoted"\\ value\n', "nested": {"list": [1, 2.5, None]}},
            "owner": 17,
        },
        {
            "geom": Point(LON, LAT),
            "species_scientific": "x",
            "heritage": False,
            "extra": '{"as": "json text"}',
        },
    ]
    copy_features(session, "trees_tree", rows, user="awkward", reason='why: "because"\n')
    entries = _entries(session, "awkward")
    _assert_same_as_stored(session, "trees_tree", entries)
    first = next(e for e in entries.values() if e["properties"]["species_vi"])
    assert first["properties"]["trunk_diameter_cm"] is None
    assert first["properties"]["owner"] == "17"
    reason = session.execute(
        text("SELECT DISTINCT reason FROM audit.history WHERE changed_by = 'awkward'")
    ).scalar_one()
    assert reason == 'why: "because"\n'


@pytest.mark.db
def test_geojson_is_that_of_postgis(session):
    ring = [(LON, LAT), (LON + 0.01, LAT), (LON + 0.01, LAT + 0.01), (LON, LAT)]
    hole = [(LON + 0.004, LAT + 0.001), (LON + 0.006, LAT + 0.001), (LON + 0.005, LAT + 0.003)]
    rng = np.random.default_rng(3)
    shapes = [
        Point(LON + 1.23456789049, LAT - 5e-10),
        Point(-0.0000000004, 0.1 + 0.2),
        Point(1, 2, 3.1234567891),
        LineString(rng.uniform(100, 110, (7, 2))),
        Polygon(ring, [hole]),
        MultiPolygon([Polygon(ring), box(LON + 1, LAT, LON + 2, LAT + 1)]),
        shapely.multipoints([(1, 2), (3, 4)]),
        shapely.multilinestrings([[(1, 2), (3, 4)], [(5, 6), (7, 8)]]),
        shapely.GeometryCollection([Point(1, 2), LineString([(0, 0), (1, 1)])]),
        *shapely.points(rng.uniform(-180, 180, (40, 2))),
    ]
    ours = geojson_texts(np.array(shapes, dtype=object))
    for shape, text_ in zip(shapes, ours, strict=True):
        postgis = session.execute(
            text("SELECT ST_AsGeoJSON(ST_GeomFromWKB(:wkb, 4326), 9)"), {"wkb": shape.wkb}
        ).scalar_one()
        assert json.loads(text_) == json.loads(postgis), shape.wkt


_ORDINATES = [
    0.0,
    4e-10,
    -5e-9,
    1.0000000015e-9,
    1e-8,
    1.0000000000000002e-8,
    1.23456789012e-5,
    0.1234567865,
    0.1234567875,
    0.12345678650001,
    2.0000000005,
    9.9999999995,
    106.1234567895,
    106.1234567885,
    12345.0000000005,
    123456789.12345679,
    999999999999999.9,
    1e15,
    1.2345678905e20,
    -1.2345678915e20,
]


@pytest.mark.db
def test_ordinates_are_printed_as_postgis_prints_them(session):
    rng = np.random.default_rng(5)
    values = np.concatenate(
        [_ORDINATES, rng.uniform(-200, 200, 500), 10.0 ** rng.uniform(-12, 18, 200)]
    )
    postgis = (
        session.execute(
            text(
                "SELECT ST_AsGeoJSON(ST_MakePoint(v, 0), 9)::json->'coordinates'->>0 "
                "FROM unnest(CAST(:v AS float8[])) WITH ORDINALITY AS u(v, i) ORDER BY i"
            ),
            {"v": values.tolist()},
        )
        .scalars()
        .all()
    )
    assert ordinate_texts(values) == postgis


def test_json_column_writes_stored_values():
    assert json_column("text", ["a", None, 'q"', 5, True]) == [
        '"a"',
        "null",
        '"q\\""',
        '"5"',
        '"t"',
    ]
    assert json_column("float", [1.5, None, float("nan"), float("inf"), np.float32(2)]) == [
        "1.5",
        "null",
        "null",
        '"Infinity"',
        "2.0",
    ]
    assert json_column("integer", [1, None, np.int64(7), 2.0]) == ["1", "null", "7", "2"]
    assert json_column("boolean", [True, np.bool_(False), "yes", None]) == [
        "true",
        "false",
        "true",
        "null",
    ]
    assert json_column("date", [date(2020, 1, 2), "2020-01-03", None]) == [
        '"2020-01-02"',
        '"2020-01-03"',
        "null",
    ]
    assert json_column("jsonb", [{"a": [1]}, '{"b": 2}', None]) == [
        '{"a": [1]}',
        '{"b": 2}',
        "null",
    ]


@pytest.mark.db
def test_properties_are_written_in_the_order_jsonb_keeps_them(session):
    copy_features(
        session, "trees_tree", [{"geom": Point(LON, LAT), "species_scientific": "x"}], user="order"
    )
    stored = session.execute(
        text(
            "SELECT array_agg(k) FROM audit.history, jsonb_object_keys(new->'properties') k "
            "WHERE changed_by = 'order'"
        )
    ).scalar_one()
    assert sorted(stored, key=jsonb_order) == stored
