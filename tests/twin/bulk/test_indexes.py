"""Big loads into an empty table build its indexes after the rows."""

from __future__ import annotations

import psycopg
import pytest
from shapely.geometry import Point
from sqlalchemy import text

from twin.bulk import copy_features, raw_connection
from twin.bulk import indexes as bulk_indexes
from twin.bulk.indexes import indexes_rebuilt_after

pytestmark = pytest.mark.db

TABLE = "assets.water_valve"


def _indexes(session) -> set[str]:
    return set(
        session.execute(
            text(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'assets' "
                "AND tablename = 'water_valve'"
            )
        ).scalars()
    )


def _valves(n: int, **extra) -> list[dict]:
    return [
        {"geom": Point(106.19 + i * 1e-5, 21.27), "normal_state": "open", **extra} for i in range(n)
    ]


@pytest.fixture
def empty(session, monkeypatch):
    """The valve table emptied in the test's transaction; big loads start at 5 rows."""
    session.execute(text(f"DELETE FROM {TABLE}"))
    monkeypatch.setattr(bulk_indexes, "REBUILD_MIN_ROWS", 5)
    return session


def test_indexes_are_dropped_and_built_again(empty):
    before = _indexes(empty)
    with indexes_rebuilt_after(raw_connection(empty), TABLE, 5) as dropped:
        assert dropped
        assert _indexes(empty) == set()
        assert any("pk_water_valve" in d for d in before)
    assert _indexes(empty) == before
    copy_features(empty, "water_valve", _valves(6), user="idx")
    assert _indexes(empty) == before
    assert empty.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar() == 6


def test_small_loads_and_tables_with_rows_keep_their_indexes(empty):
    conn = raw_connection(empty)
    with indexes_rebuilt_after(conn, TABLE, 4) as dropped:
        assert not dropped
    copy_features(empty, "water_valve", _valves(1), user="idx")
    with indexes_rebuilt_after(conn, TABLE, 50) as dropped:
        assert not dropped


def test_a_busy_table_keeps_its_indexes(empty, engine):
    with engine.connect() as other:
        other.execute(text(f"LOCK TABLE {TABLE} IN ACCESS SHARE MODE"))
        with indexes_rebuilt_after(raw_connection(empty), TABLE, 50) as dropped:
            assert not dropped
        other.rollback()
    copy_features(empty, "water_valve", _valves(5), user="idx")


def test_a_duplicate_code_is_refused_when_the_index_is_built(empty):
    with pytest.raises(psycopg.errors.UniqueViolation):
        copy_features(empty, "water_valve", _valves(6, code="V-SAME"), user="idx")
