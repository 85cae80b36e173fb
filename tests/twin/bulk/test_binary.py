"""Binary COPY rows built by numpy read back as the values they came from."""

from __future__ import annotations

import datetime

import numpy as np
import pyarrow as pa
import pytest
import sqlalchemy as sa
from sqlalchemy import text

from twin.bulk import raw_connection
from twin.bulk.binary import binary_rows, kind_of
from twin.models import model

pytestmark = pytest.mark.db


def test_every_kind_with_nulls_round_trips(session):
    session.execute(
        text(
            "CREATE TEMP TABLE binary_rows_test (i8 int8, i4 int4, f8 float8, b bool, d date, "
            "t text, g geometry(Point, 4326))"
        )
    )
    ewkb = bytes.fromhex("0101000020E6100000") + np.array([106.2, 21.3], "<f8").tobytes()
    columns = [
        ("int8", np.array([1, -(2**40), 7], dtype=np.int64)),
        ("int4", pa.array([5, None, -(2**31)], pa.int64())),
        ("float8", pa.array([0.1 + 0.2, None, -1e300])),
        ("bool", pa.array([True, False, None])),
        ("date", pa.array([datetime.date(2001, 1, 2), datetime.date(1969, 12, 31), None])),
        ("text", pa.chunked_array([pa.array(["Sấu", None]), pa.array([""], pa.string())])),
        ("bytes", (np.array([len(ewkb), -1, len(ewkb)]), np.frombuffer(ewkb * 2, np.uint8))),
    ]
    data = binary_rows(columns, 3)
    conn = raw_connection(session)
    with conn.cursor() as cur, cur.copy("COPY binary_rows_test FROM STDIN (FORMAT binary)") as cp:
        cp.write(data)
    rows = session.execute(
        text("SELECT i8, i4, f8, b, d, t, ST_AsText(g) AS g FROM binary_rows_test")
    ).all()
    assert [tuple(r) for r in rows] == [
        (1, 5, 0.1 + 0.2, True, datetime.date(2001, 1, 2), "Sấu", "POINT(106.2 21.3)"),
        (-(2**40), None, None, False, datetime.date(1969, 12, 31), None, None),
        (7, -(2**31), -1e300, None, None, "", "POINT(106.2 21.3)"),
    ]


def test_an_unknown_kind_is_named():
    with pytest.raises(ValueError, match="numeric"):
        binary_rows([("numeric", np.array([1]))], 1)


def test_the_kind_of_each_column_follows_the_table_the_declaration_makes():
    columns = model("trees_tree").__table__.columns
    kinds = {name: kind_of(columns[name].type) for name in ("id", "version", "code", "geom")}
    assert kinds == {"id": "int8", "version": "int4", "code": "text", "geom": "bytes"}
    assert kind_of(columns["height_m"].type) == "float8"
    assert kind_of(columns["planting_date"].type) == "date"
    assert kind_of(columns["heritage"].type) == "bool"
    # No binary encoding here: the import takes the general path for such columns.
    assert kind_of(columns["extra"].type) is None  # jsonb
    assert kind_of(columns["created_at"].type) is None  # timestamptz
    assert kind_of(sa.Float(precision=24)) is None  # real
