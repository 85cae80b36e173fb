"""Topology check of a stored network: line ends, DEM elevations, located problems.

Runs :func:`twin.network.topology_check.check_topology` on a loaded graph
with what only the database knows: where each line really starts and ends
(for unsnapped ends), lines that name no node of their layer, and ground
elevations sampled from the registered DEM (``base.raster_layer``) for
drainage nodes without an invert.  Problems come back with WGS 84
positions, ready for the map.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from twin.crs import transformer
from twin.network.load import fetch_all, project, schema_of
from twin.network.records import network_tables
from twin.network.topology_check import TopologyProblem, check_topology
from twin.rasters import DEM_NAME, dem_path

__all__ = [
    "DEM_NAME",
    "dem_path",
    "ground_elevations",
    "line_ends",
    "network_problems",
    "problems_geojson",
]



def line_ends(conn, G) -> dict[str, list[tuple[float, float]]]:
    """First and last vertex of every edge of ``G`` in its metric CRS."""
    codes, lon, lat = [], [], []
    for table in network_tables(G.graph["utility"]).edges:
        rows = fetch_all(
            conn,
            "SELECT code, ST_X(ST_StartPoint(geom)), ST_Y(ST_StartPoint(geom)), "
            f"ST_X(ST_EndPoint(geom)), ST_Y(ST_EndPoint(geom)) FROM {schema_of(table)}.{table}",
        )
        for code, x0, y0, x1, y1 in rows:
            codes.append(code)
            lon += [x0, x1]
            lat += [y0, y1]
    xs, ys = project(G.graph["crs"], lon, lat)
    return {
        code: [(xs[2 * i], ys[2 * i]), (xs[2 * i + 1], ys[2 * i + 1])]
        for i, code in enumerate(codes)
    }



def ground_elevations(G, nodes: list[str], dem: Path) -> dict[str, float]:
    """Ground elevation (m) under each node, sampled from the DEM (nodata skipped)."""
    import rasterio
    from rasterio.transform import rowcol

    placed = [n for n in nodes if G.nodes[n].get("x") is not None]
    if not placed:
        return {}
    with rasterio.open(dem) as src:
        to_dem = transformer(G.graph["crs"], src.crs)
        xs, ys = to_dem.transform(
            [G.nodes[n]["x"] for n in placed], [G.nodes[n]["y"] for n in placed]
        )
        rows, cols = rowcol(src.transform, xs, ys)
        band = src.read(1, masked=True)
    rows, cols = np.asarray(rows), np.asarray(cols)
    inside = (rows >= 0) & (rows < band.shape[0]) & (cols >= 0) & (cols < band.shape[1])
    out = {}
    for node, r, c, ok in zip(placed, rows, cols, inside, strict=True):
        if ok and not np.ma.is_masked(band[r, c]):
            out[node] = float(band[r, c])
    return out


def _elevations(G, dem: Path | None) -> Mapping[str, float] | None:
    """Node inverts, and DEM ground elevations for the nodes without one."""
    if G.graph["utility"] != "drainage":
        return None
    known = {
        n: float(a["invert_m"]) for n, a in G.nodes(data=True) if a.get("invert_m") is not None
    }
    missing = [n for n in G if n not in known]
    if dem is not None and missing:
        known.update(ground_elevations(G, missing, dem))
    return known


def network_problems(conn, G, *, dem: Path | None = None) -> list[TopologyProblem]:
    """Every topology problem of stored network ``G`` (see the module doc)."""
    placed_valves = {p["code"] for p in G.graph.get("placements", ())}
    problems = [
        p
        for p in check_topology(G, geometries=line_ends(conn, G), elevations=_elevations(G, dem))
        if not (p.kind == "isolated_node" and p.code in placed_valves)
    ]
    for code in G.graph.get("unlinked_edges", ()):
        problems.append(
            TopologyProblem(
                "unlinked_line",
                code,
                f"line {code} does not start and end at nodes of the {G.graph['utility']} layer",
                None,
                None,
            )
        )
    return sorted(problems, key=lambda p: (p.kind, p.code))


def problems_geojson(G, problems: list[TopologyProblem]) -> dict:
    """Problems as a GeoJSON FeatureCollection in WGS 84 (problems without a
    position keep a null geometry)."""
    placed = [p for p in problems if p.x is not None and p.y is not None]
    back = transformer(G.graph["crs"], "wgs84")
    lons, lats = back.transform([p.x for p in placed], [p.y for p in placed])
    where = {id(p): (lon, lat) for p, lon, lat in zip(placed, lons, lats, strict=True)}
    features = []
    for p in problems:
        feature = p.to_feature()
        feature["properties"]["utility"] = G.graph["utility"]
        if id(p) in where:
            lon, lat = where[id(p)]
            feature["geometry"] = {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}
