"""Records (inspections, work orders) as CSV for people (spreadsheet-safe cells, see
:mod:`twin.people_csv`); ``lon``/``lat`` are the record's point, or the centre of a work
order's assets."""

from __future__ import annotations

import io

from flask import Response
from shapely.geometry import shape

from twin import people_csv

__all__ = ["csv_response"]


def csv_response(table: str, rows: list[dict]) -> Response:
    """The records ``rows`` (GeoJSON features) of collection ``table`` as a CSV download."""
    props = [r["properties"] for r in rows]
    names = list(props[0]) if props else ["id"]
    names += ["lon", "lat"]
    out = io.StringIO()
    writer = people_csv.dict_writer(out, names)
    writer.writeheader()
    for row, p in zip(rows, props, strict=True):
        centre = shape(row["geometry"]).centroid if row["geometry"] else None
        lon, lat = (centre.x, centre.y) if centre is not None else (None, None)
        writer.writerow({**p, "lon": lon, "lat": lat})
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{table}.csv"'})
