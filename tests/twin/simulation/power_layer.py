"""Small power layers written straight into a scratch database, for the load-flow tests.

``add_power(conn, nodes, lines)`` inserts nodes ``{code: (table, lon, lat,
attributes)}`` and lines ``[(code, start, end, voltage_kv, conductor)]``
drawn straight between their nodes.
"""

from __future__ import annotations

import json

from sqlalchemy import text

__all__ = ["add_power"]


def add_power(conn, nodes: dict, lines: list[tuple]) -> None:
    for code, (table, lon, lat, attrs) in nodes.items():
        cols = ", ".join(attrs)
        marks = ", ".join(f":{k}" for k in attrs)
        conn.execute(
            text(f"INSERT INTO assets.{table} (code, geom{', ' + cols if cols else ''}) "
                 f"VALUES (:code, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"
                 f"{', ' + marks if marks else ''})"),
            {"code": code, "lon": lon, "lat": lat, **attrs},
        )
    union = " UNION ALL ".join(
        f"SELECT id, code, geom FROM assets.{t}"
        for t in sorted({n[0] for n in nodes.values()}))
    for code, start, end, kv, conductor in lines:
        conn.execute(
            text(f"WITH n AS ({union}) INSERT INTO assets.power_line "
                 "(code, voltage_kv, conductor, start_node, end_node, geom, extra) "
                 "SELECT :code, :kv, :conductor, a.id, b.id, ST_MakeLine(a.geom, b.geom), "
                 "CAST(:extra AS jsonb) FROM n a, n b WHERE a.code = :start AND b.code = :end"),
            {"code": code, "kv": kv, "conductor": conductor, "start": start, "end": end,
             "extra": json.dumps({})},
        )
