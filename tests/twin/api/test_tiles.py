"""The tile SQL reads only what a zoom keeps, through the declared details' partial indexes."""

from __future__ import annotations

import json
import math
import re

import mapbox_vector_tile
import psycopg
import pytest
from sqlalchemy.engine import make_url

from layers import LAYERS
from twin.api.tile_style import draw_order
from twin.api.tiles import tile_query
from twin.models import detail_index_name

pytestmark = pytest.mark.db

DETAILS = [(lyr.schema, ft, d) for lyr in LAYERS for ft in lyr.feature_types for d in ft.details]
TABLES = tuple(draw_order(ft.table for lyr in LAYERS for ft in lyr.feature_types))


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tile_at(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def _features(data: bytes) -> dict[str, list[str]]:
    """Each MVT layer's features, as sorted JSON: comparable whatever the row order."""
    return {
        name: sorted(json.dumps(f, sort_keys=True) for f in content["features"])
        for name, content in mapbox_vector_tile.decode(data).items()
    }


def _build(cursor, z: int, x: int, y: int, detail: int, *, prepare: bool | None = None) -> bytes:
    cursor.execute(*tile_query(TABLES, z, x, y, detail=detail), prepare=prepare)
    return bytes(cursor.fetchone()[0] or b"")


def test_every_declared_detail_has_its_partial_index(db_url):
    assert DETAILS, "layers/ declares details (0.4 kV drops, service pipes, alleys)"
    with psycopg.connect(_dsn(db_url)) as conn:
        for schema, ft, d in DETAILS:
            row = conn.execute(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND indexname = %s",
                (schema, detail_index_name(ft, d)),
            ).fetchone()
            assert row is not None, f"{ft.table}: no index for its detail from z{d.min_zoom}"
            definition = row[0]
            assert "USING gist (geom)" in definition and d.attribute in definition, definition


@pytest.fixture(scope="module")
def dense_place(demo_small_url):
    """(lon, lat) of the small demo's 0.4 kV drops, where details are thickest."""
    with psycopg.connect(_dsn(demo_small_url)) as conn:
        lon, lat = conn.execute(
            "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Collect(geom)) AS c"
            " FROM assets.power_line WHERE voltage_kv < 1) AS drops"
        ).fetchone()
    assert lon is not None, "the small demo has 0.4 kV lines"
    return lon, lat


@pytest.mark.parametrize(("zoom", "detail"), [(13, 1), (14, 1), (15, 0), (16, 0)])
def test_tiles_hold_the_same_features_with_or_without_the_indexes(
    demo_small_url, dense_place, zoom, detail
):
    """As the map builds them (indexes, prepared, generic plan) and as it did before."""
    tile = _tile_at(*dense_place, zoom)
    with psycopg.connect(_dsn(demo_small_url)) as conn, conn.cursor() as cursor:
        with conn.transaction(force_rollback=True):
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            with_indexes = _features(_build(cursor, *tile, detail, prepare=True))
            cursor.execute("SET LOCAL plan_cache_mode = auto")
            for schema, ft, d in DETAILS:
                cursor.execute(f"DROP INDEX {schema}.{detail_index_name(ft, d)}")
            without = _features(_build(cursor, *tile, detail))
    assert with_indexes.get("power_line") and with_indexes.get("water_pipe")
    assert with_indexes == without


@pytest.mark.parametrize(
    ("schema", "ft", "d"), DETAILS, ids=[f"{ft.table}-z{d.min_zoom}" for _, ft, d in DETAILS]
)
def test_a_tile_just_below_a_detail_reads_its_partial_index(
    demo_small_url, dense_place, schema, ft, d
):
    """In the generic plan the map uses (the statement prepared, every value a parameter)."""
    z, x, y = _tile_at(*dense_place, d.min_zoom - 1)
    sql, params = tile_query((ft.table,), z, x, y)
    order = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))  # psycopg's $1, $2...
    with psycopg.connect(_dsn(demo_small_url)) as conn, conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        conn.execute(sql, params, prepare=True)
        (name,) = conn.execute("SELECT name FROM pg_prepared_statements").fetchone()
        explain = f"EXPLAIN EXECUTE {name}({', '.join(['%s'] * len(order))})"
        cursor = psycopg.ClientCursor(conn)
        plan = "\n".join(r[0] for r in cursor.execute(explain, [params[n] for n in order]))
    assert detail_index_name(ft, d) in plan, plan
