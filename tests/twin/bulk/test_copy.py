"""Bulk COPY of features: rows, ids, codes, communes, history entries, chunks."""

from __future__ import annotations

import threading

import psycopg
import pytest
from shapely.geometry import LineString, Point, box
from sqlalchemy import text

from twin import bulk
from twin.bulk import allocate_ids, code_of, copy_features, fill_communes
from twin.errors import InvalidInput

pytestmark = pytest.mark.db

LON, LAT = 106.19, 21.27


def _points(n, **extra):
    return [
        {"geom": Point(LON + i * 1e-5, LAT), "elevation_m": float(i), **extra} for i in range(n)
    ]


def test_copy_writes_rows_codes_and_history(session):
    written = copy_features(
        session, "water_junction", _points(25), user="loader", reason="test import"
    )
    assert written == 25
    rows = session.execute(
        text(
            "SELECT id, code, created_by, version FROM assets.water_junction "
            "WHERE created_by = 'loader' ORDER BY id"
        )
    ).all()
    assert len(rows) == 25
    assert all(r.code == f"WTR-JCT-{r.id:06d}" and r.version == 1 for r in rows)
    load = session.execute(
        text(
            "SELECT action, changed_by, reason, features, asset_ids::text AS ids "
            "FROM audit.bulk_load WHERE feature_type = 'water_junction' AND changed_by = 'loader'"
        )
    ).one()
    assert load.action == "import" and load.reason == "test import" and load.features == 25
    assert load.ids == f"{{[{rows[0].id},{rows[-1].id + 1})}}"  # one range: ids drawn together
    assert not session.execute(
        text("SELECT count(*) FROM audit.history WHERE changed_by = 'loader'")
    ).scalar()


def test_fresh_ids_are_consecutive_or_fetched_one_by_one(session):
    first = allocate_ids(session, 1000)
    assert first.tolist() == list(range(first[0], first[0] + 1000))
    # Ids that do not follow each other (as when another session draws at
    # the same moment) are fetched, not assumed.
    session.execute(text("ALTER SEQUENCE assets.asset_id_seq INCREMENT BY 3"))
    spread = allocate_ids(session, 5).tolist()
    assert len(spread) == 5 and spread[0] > first[-1]
    assert [b - a for a, b in zip(spread, spread[1:], strict=False)] == [3] * 4


def test_a_big_block_of_ids_is_reserved_at_once_unless_the_sequence_is_busy(session):
    conn = bulk.raw_connection(session)
    first = bulk._reserved(conn, 60_000)
    assert first is not None
    # The block is the sequence's: the next id drawn follows it, one by one.
    following = session.execute(text("SELECT nextval('assets.asset_id_seq')")).scalar()
    assert following == first + 60_000
    assert (
        session.execute(
            text("SELECT increment_by FROM pg_sequences WHERE sequencename = 'asset_id_seq'")
        ).scalar()
        == 1
    )
    # Our transaction now holds the sequence (nextval above): no second
    # reservation, the ids are drawn one by one instead.
    assert bulk._reserved(conn, 60_000) is None
    ids = allocate_ids(session, 60_000)
    assert len(ids) == 60_000 and ids[0] > following


def test_copy_keeps_given_ids_codes_and_edges(session):
    a, b = allocate_ids(session, 2).tolist()
    nodes = [{"id": a, "geom": Point(LON, LAT)}, {"id": b, "geom": Point(LON + 0.001, LAT)}]
    copy_features(session, "water_junction", nodes, user="u", history=False)
    pipe = {
        "code": "P-1",
        "geom": LineString([(LON, LAT), (LON + 0.001, LAT)]),
        "diameter_mm": 110,
        "start_node": a,
        "end_node": b,
        "extra": {"k": "v"},
    }
    copy_features(session, "water_pipe", [pipe], user="u")
    row = session.execute(
        text(
            "SELECT start_node, end_node, length_m, extra FROM assets.water_pipe WHERE code = 'P-1'"
        )
    ).one()
    assert (row.start_node, row.end_node) == (a, b)
    assert row.length_m == pytest.approx(103.9, abs=1.0)
    assert row.extra == {"k": "v"}
    assert code_of("water_junction", a) == f"WTR-JCT-{a:06d}"
    assert (
        session.execute(
            text("SELECT count(*) FROM assets.water_junction WHERE id IN (:a, :b)"),
            {"a": a, "b": b},
        ).scalar()
        == 2
    )


def test_copy_accepts_wkt_ewkt_and_wkb(session):
    rows = [
        {"geom": f"POINT({LON} {LAT})"},
        {"geom": f"SRID=4326;POINT({LON} {LAT})"},
        {"geom": Point(LON, LAT).wkb},
    ]
    assert copy_features(session, "water_junction", rows, user="wkb", history=False) == 3


def test_polygons_are_promoted_for_multipolygon_tables(session):
    row = {
        "geom": box(LON, LAT, LON + 0.01, LAT + 0.01),
        "name": "Test",
        "level": "commune",
        "code": "TEST-COMMUNE",
    }
    copy_features(session, "base_admin_unit", [row], user="u", history=False)
    kind = session.execute(
        text("SELECT GeometryType(geom) FROM base.base_admin_unit WHERE code = 'TEST-COMMUNE'")
    ).scalar()
    assert kind == "MULTIPOLYGON"


def test_unknown_column_is_refused(session):
    with pytest.raises(InvalidInput, match="no_such"):
        copy_features(
            session, "water_junction", [{"geom": Point(LON, LAT), "no_such": 1}], user="u"
        )


def test_fill_communes_joins_current_communes(session):
    unit = {
        "geom": box(LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01),
        "name": "X",
        "level": "commune",
        "code": "BULK-C1",
    }
    old = {**unit, "code": "BULK-C0", "valid_to": "2025-06-30"}
    copy_features(session, "base_admin_unit", [old, unit], user="u", history=False)
    copy_features(session, "water_junction", _points(3), user="communes", communes=True)
    communes = (
        session.execute(
            text("SELECT DISTINCT commune FROM assets.water_junction WHERE created_by = 'communes'")
        )
        .scalars()
        .all()
    )
    assert communes == ["BULK-C1"]
    assert fill_communes(session, "water_junction") == 0


def test_progress_is_reported(session):
    seen = []
    copy_features(
        session, "water_junction", _points(12), user="p", history=False, progress=seen.append
    )
    assert sum(seen) == 12


def test_rows_go_in_chunks_recorded_as_one_load(session, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 7)
    pipes = [
        {
            "geom": LineString([(LON, LAT + i * 1e-4), (LON + 0.001 * (i + 1), LAT)]),
            "diameter_mm": 110,
        }
        for i in range(25)
    ]
    seen = []
    copy_features(session, "water_pipe", pipes, user="chunks", progress=seen.append)
    assert seen == [7, 7, 7, 4]
    rows = session.execute(
        text(
            "SELECT t.length_m, b.features FROM assets.water_pipe t "
            "JOIN audit.bulk_load b ON b.asset_ids @> t.id WHERE t.created_by = 'chunks'"
        )
    ).all()
    assert len(rows) == 25 and all(r.length_m > 0 and r.features == 25 for r in rows)


def test_a_refused_row_stops_the_write(session, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 7)
    rows = _points(30, status="in_service")
    rows[20]["status"] = "melted"  # breaks the table's check constraint
    with pytest.raises(psycopg.errors.CheckViolation):
        with session.begin_nested():
            copy_features(session, "water_junction", rows, user="refused")
    assert not any(t.name == "bulk-ahead" for t in threading.enumerate())
    count = session.execute(
        text("SELECT count(*) FROM assets.water_junction WHERE created_by = 'refused'")
    ).scalar()
    assert count == 0
