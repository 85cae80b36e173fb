"""Communes of features looked up in memory agree with the join in SQL."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box
from sqlalchemy import text

from twin.bulk import copy_features, fill_communes
from twin.bulk.communes import communes_at

LON, LAT = 106.19, 21.27


def test_communes_at_points_lines_and_edges():
    west, east = box(0, 0, 1, 1), box(1, 0, 2, 1)
    shapes = np.array(
        [
            Point(0.5, 0.5),
            Point(1.5, 0.5),
            Point(1.0, 0.5),  # on the shared edge: the first commune listed
            Point(5, 5),
            LineString([(1.2, 0.2), (1.8, 0.2)]),
            None,
            shapely.Point(),
        ],
        dtype=object,
    )
    codes = communes_at(shapes, ["W", "E"], np.array([west, east], dtype=object))
    assert codes == ["W", "E", "W", None, "E", None, None]
    assert communes_at(shapes[:2], [], np.empty(0, dtype=object)) == [None, None]


@pytest.mark.db
def test_lookup_in_memory_matches_the_sql_join(session):
    rng = np.random.default_rng(2)
    cells = [box(LON + dx, LAT, LON + dx + 0.01, LAT + 0.01) for dx in (0.0, 0.01, 0.02)]
    units = [
        {"geom": g, "name": f"C{k}", "level": "commune", "code": f"BULK-M{k}"}
        for k, g in enumerate(cells)
    ]
    units.append({**units[0], "code": "BULK-OLD", "valid_to": "2025-06-30"})
    copy_features(session, "base_admin_unit", units, user="u", history=False)
    xy = rng.uniform((LON - 0.005, LAT + 0.0001), (LON + 0.035, LAT + 0.0099), (300, 2))
    rows = [{"geom": Point(x, y), "elevation_m": 1.0} for x, y in xy]
    copy_features(session, "water_junction", rows, user="memory", communes=True)
    copy_features(session, "water_junction", rows, user="sql", history=False)
    assert fill_communes(session, "water_junction") == sum(LON <= x <= LON + 0.03 for x in xy[:, 0])

    def communes(user):
        return (
            session.execute(
                text(
                    "SELECT commune FROM assets.water_junction WHERE created_by = :u "
                    "ORDER BY ST_X(geom), ST_Y(geom)"
                ),
                {"u": user},
            )
            .scalars()
            .all()
        )

    assert communes("memory") == communes("sql")
    assert "BULK-OLD" not in communes("memory") and None in communes("memory")


@pytest.mark.db
def test_given_communes_are_kept_and_units_written_count(session):
    square = box(LON, LAT, LON + 0.01, LAT + 0.01)
    unit = {"geom": square, "name": "New", "level": "commune", "code": "BULK-SELF"}
    district = {**unit, "level": "district", "code": "BULK-DISTRICT"}
    copy_features(session, "base_admin_unit", [unit, district], user="self", communes=True)
    stored = dict(
        session.execute(
            text("SELECT code, commune FROM base.base_admin_unit WHERE created_by = 'self'")
        ).all()
    )
    assert stored == {"BULK-SELF": "BULK-SELF", "BULK-DISTRICT": "BULK-SELF"}
    rows = [
        {"geom": Point(LON + 0.005, LAT + 0.005), "commune": "GIVEN"},
        {"geom": square.centroid},
    ]
    copy_features(session, "water_junction", rows, user="given", communes=True)
    kept = (
        session.execute(
            text("SELECT commune FROM assets.water_junction WHERE created_by = 'given' ORDER BY id")
        )
        .scalars()
        .all()
    )
    assert kept == ["GIVEN", "BULK-SELF"]
