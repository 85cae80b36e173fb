"""Where things are: asset tables, map positions, streets and running outages.

The database side of an outage report: which table holds each code, the
line geometries to draw, the street of each customer or valve (from its
address, else the nearest named road), and the customers already out in
the incidents still open (``live.incident``, read only when it exists).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from layers import feature_types
from twin.config import STORAGE_SRID
from twin.crs import transformer
from twin.errors import NotFound
from twin.models import model
from twin.network.load import fetch_all
from twin.network.records import network_tables

__all__ = [
    "DEVICE_TABLES",
    "ROAD_SEARCH_M",
    "active_outages",
    "asset_tables",
    "edge_geometries",
    "lonlat",
    "nearest_streets",
    "network_extent",
    "network_features",
    "open_incidents_of",
    "street_of_address",
]

#: A customer or valve farther than this (m) from any named road has no street.
ROAD_SEARCH_M = 250.0
_HOUSE_NUMBER = re.compile(r"^(số|so|no\.?|nhà)?\s*\d[\w/.-]*\s*", re.IGNORECASE)


def _schema(table: str) -> str:
    return model(table).__table__.schema


def asset_tables(session, codes: Iterable[str]) -> dict[str, str]:
    """The feature table of each code; :class:`NotFound` names the unknown ones."""
    codes = list(dict.fromkeys(codes))
    union = " UNION ALL ".join(
        f"SELECT code, '{ft.table}' FROM {_schema(ft.table)}.{ft.table} WHERE code = ANY(%(codes)s)"
        for ft in feature_types()
    )
    found = dict(fetch_all(session, union, {"codes": codes}))
    missing = [c for c in codes if c not in found]
    if missing:
        raise NotFound(f"no asset with code {', '.join(missing)}")
    return found


def lonlat(G, codes: Iterable[str]) -> dict[str, list[float]]:
    """WGS 84 ``[lon, lat]`` of the nodes of ``G`` among ``codes`` (6 decimals, ~0.1 m)."""
    placed = [
        (c, G.nodes[c]["x"], G.nodes[c]["y"])
        for c in codes
        if c in G and G.nodes[c].get("x") is not None
    ]
    if not placed:
        return {}
    back = transformer(G.graph["crs"], "wgs84")
    lons, lats = back.transform([p[1] for p in placed], [p[2] for p in placed])
    return {
        c: [round(lon, 7), round(lat, 7)]
        for (c, _, _), lon, lat in zip(placed, lons, lats, strict=True)
    }


def _by_table(G, codes: Iterable[str], *, edges: bool) -> dict[str, list[str]]:
    if edges:
        lookup = G.graph.get("edges_by_code", {})
        table_of = {c: G.edges[(*lookup[c], c)].get("table") for c in codes if c in lookup}
    else:
        table_of = {c: G.nodes[c].get("table") for c in codes if c in G}
    grouped: dict[str, list[str]] = {}
    for code, table in table_of.items():
        if table:
            grouped.setdefault(table, []).append(code)
    return grouped


def edge_geometries(session, G, codes: Iterable[str]) -> dict[str, dict]:
    """GeoJSON geometries (WGS 84) of the edges of ``G`` among ``codes``."""
    out = {}
    for table, group in _by_table(G, codes, edges=True).items():
        rows = fetch_all(
            session,
            f"SELECT code, ST_AsGeoJSON(geom, 7) FROM {_schema(table)}.{table} "
            "WHERE code = ANY(%(codes)s)",
            {"codes": group},
        )
        out.update((code, json.loads(geometry)) for code, geometry in rows)
    return out


def street_of_address(address: str | None) -> str | None:
    """The street part of a Vietnamese address: the first comma part left
    once a house number is taken off.

    >>> street_of_address("Số 18, Đường Hoàng Quốc Việt, Phường Thọ Xương")
    'Đường Hoàng Quốc Việt'
    >>> street_of_address("12 Ngô Quyền")
    'Ngô Quyền'
    """
    for part in (address or "").split(","):
        street = _HOUSE_NUMBER.sub("", part.strip()).strip()
        if street:
            return street
    return None


def nearest_streets(session, G, codes: Iterable[str]) -> dict[str, str]:
    """Street of each node among ``codes``: from its address, else the
    nearest named ``base_road`` within :data:`ROAD_SEARCH_M`."""
    streets, missing = {}, []
    for code in codes:
        street = street_of_address((G.nodes.get(code) or {}).get("address"))
        if street:
            streets[code] = street
        elif code in G:
            missing.append(code)
    for table, group in _by_table(G, missing, edges=False).items():
        rows = fetch_all(
            session,
            f"""SELECT n.code, r.name FROM {_schema(table)}.{table} n
            CROSS JOIN LATERAL (
                SELECT name, geom FROM base.base_road
                WHERE name IS NOT NULL AND geom && ST_Expand(n.geom, %(box)s)
                ORDER BY geom <-> n.geom LIMIT 1) r
            WHERE n.code = ANY(%(codes)s)
              AND ST_DWithin(n.geom::geography, r.geom::geography, %(radius)s)""",
            # The box (degrees, wider than the radius anywhere in Vietnam) lets the
            # index stop early where no named road is near: rural meters.
            {"codes": group, "radius": ROAD_SEARCH_M, "box": ROAD_SEARCH_M / 90_000},
        )
        streets.update(rows)
    return streets


def active_outages(session) -> dict[str, list[str]]:
    """Customers out in each incident still open: ``{incident code: [codes]}``.

    Read from the outage reports that :func:`twin.network.service.analyse_outage`
    gave the incidents of ``live.incident``; empty when the live tables are
    not installed.
    """
    present = fetch_all(session, "SELECT to_regclass('live.incident') IS NOT NULL")[0][0]
    if not present:
        return {}
    rows = fetch_all(
        session,
        "SELECT code, outage->'report'->'customers_out' FROM live.incident "
        "WHERE status NOT IN ('resolved', 'closed') "
        "AND jsonb_typeof(outage->'report'->'customers_out') = 'array'",
    )
    return {code: [c for c in customers if isinstance(c, str)] for code, customers in rows}


#: Device tables drawn with the lines so the crew sees valves and switches.
DEVICE_TABLES = ("water_valve", "power_switch")


def network_features(
    session, bbox: tuple[float, float, float, float], utilities: Iterable[str], *, limit: int
) -> dict:
    """Lines and devices of ``utilities`` inside ``bbox`` (WGS 84), as GeoJSON.

    At most ``limit`` features per table; ``properties.truncated`` on the
    collection says when a table had more.
    """
    features, truncated = [], []
    for utility in utilities:
        tables = network_tables(utility)
        for table in tables.edges + tuple(t for t in tables.nodes if t in DEVICE_TABLES):
            rows = fetch_all(
                session,
                f"SELECT code, status, ST_AsGeoJSON(geom, 7) FROM {_schema(table)}.{table} "
                f"WHERE geom && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, {STORAGE_SRID}) "
                "ORDER BY code LIMIT %(n)s",
                {"x0": bbox[0], "y0": bbox[1], "x1": bbox[2], "y1": bbox[3], "n": limit + 1},
            )
            if len(rows) > limit:
                truncated.append(table)
            features += [
                {
                    "type": "Feature",
                    "geometry": json.loads(geometry),
                    "properties": {
                        "code": code,
                        "table": table,
                        "utility": utility,
                        "status": status,
                    },
                }
                for code, status, geometry in rows[:limit]
            ]
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


def network_extent(session) -> list[float] | None:
    """``[west, south, east, north]`` of the water and power lines (None when empty)."""
    row = fetch_all(
        session,
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e "
        "FROM (SELECT geom FROM assets.water_pipe UNION ALL SELECT geom FROM assets.power_line) l) x",
    )[0]
    return None if row[0] is None else [float(v) for v in row]


def open_incidents_of(session, codes: Iterable[str]) -> list[str]:
    """Codes of the open incidents on any of ``codes`` (newest first).

    An incident is on an asset when it was raised there or its outage
    analysis failed it; empty when the live tables are not installed.
    """
    codes = list(codes)
    present = fetch_all(session, "SELECT to_regclass('live.incident') IS NOT NULL")[0][0]
    if not present or not codes:
        return []
    rows = fetch_all(
        session,
        "SELECT code FROM live.incident WHERE status NOT IN ('resolved', 'closed') "
        "AND (asset_code = ANY(%(codes)s) OR COALESCE(outage->'assets', '[]') ?| %(codes)s) "
        "ORDER BY opened_at DESC, id DESC",
        {"codes": codes},
    )
    return [code for (code,) in rows]
