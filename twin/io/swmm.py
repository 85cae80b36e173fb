"""EPA SWMM drainage models (.inp) as drainage features.

=================  ==================================================
``[JUNCTIONS]``    ``drainage_manhole`` (invert, rim = invert + max depth)
``[STORAGE]``,     ``drainage_manhole`` too, the SWMM kind kept in
``[DIVIDERS]``     ``extra.swmm.kind`` (the layer has no storage type)
``[OUTFALLS]``     ``drainage_outfall`` (invert)
``[CONDUITS]``     ``drainage_conduit`` between the nodes the file names,
                   through ``[VERTICES]``; shape and size from
                   ``[XSECTIONS]``, inverts from the node inverts and offsets;
                   the model length and Manning's n in ``extra.swmm``
=================  ==================================================

``[SUBCATCHMENTS]`` with their subareas, Horton infiltration and rain gage
become ``drainage_catchment`` (:mod:`twin.io.swmm_catchments`).  Conduits
keep their exact cross-section (``extra.swmm.geom_m``, barrels, flow
limit) and junctions their surcharge depth for a simulation; offsets are
kept as the conduit inverts.  Pumps, orifices, weirs and outlets are not
imported (the report says how many), nor storage curves.  US models (flow in CFS, GPM or MGD) are in feet: elevations and
sizes are converted to metres and millimetres; coordinates keep their units
for ``--crs`` (e.g. EPSG:2817, in US feet) or ``--origin ... --units``.
The section reader is the one of the drainage graph adapter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Point

from twin.network.adapters.swmm import FOOT_M, US_FLOW_UNITS, read_sections

from .source import Source, SourceTable
from .swmm_catchments import catchment_rows

__all__ = ["read_swmm"]

_NODE_SECTIONS = {"JUNCTIONS": "junction", "STORAGE": "storage", "DIVIDERS": "divider"}
_OTHER_LINKS = ("PUMPS", "ORIFICES", "WEIRS", "OUTLETS")
_CIRCULAR = {"CIRCULAR", "FORCE_MAIN", "FILLED_CIRCULAR"}


def _number(row: list[str], i: int) -> float | None:
    try:
        return float(row[i])
    except (IndexError, ValueError):
        return None


def _table(name, table, rows, kind, ends=None) -> SourceTable:
    keys = sorted({k for r in rows for k in r if k != "geom"})
    columns = {k: np.array([r.get(k) for r in rows], dtype=object) for k in keys}
    geometry = np.empty(len(rows), dtype=object)
    geometry[:] = [r["geom"] for r in rows]
    return SourceTable(
        name, geometry, columns, [f"{kind} {r['code']}" for r in rows], table=table, ends=ends
    )


def _nodes(sections, coords, f) -> tuple[list[dict], list[dict], dict]:
    manholes, outfalls, where = [], [], {}
    for section, kind in _NODE_SECTIONS.items():
        for row in sections.get(section, []):
            invert, depth = _number(row, 1), _number(row, 2)
            record = {
                "code": row[0],
                "geom": coords.get(row[0]),
                "invert_elevation_m": invert * f if invert is not None else None,
            }
            if depth:
                record["rim_elevation_m"] = (invert + depth) * f
            swmm = {} if kind == "junction" else {"kind": kind}
            surcharge = _number(row, 4) if kind == "junction" else None
            if surcharge:
                swmm["surcharge_m"] = surcharge * f
            if swmm:
                record["extra"] = {"swmm": swmm}
            manholes.append(record)
            where[row[0]] = ("drainage_manhole", invert)
    for row in sections.get("OUTFALLS", []):
        invert = _number(row, 1)
        outfalls.append(
            {
                "code": row[0],
                "geom": coords.get(row[0]),
                "invert_elevation_m": invert * f if invert is not None else None,
            }
        )
        where[row[0]] = ("drainage_outfall", invert)
    return manholes, outfalls, where


def _section_size(row: list[str], f: float) -> dict:
    shape, g1, g2 = row[1].upper(), _number(row, 2) or 0.0, _number(row, 3) or 0.0
    mm = 1000.0 * f
    exact = {"geom_m": [g1 * f, g2 * f], "barrels": int(_number(row, 6) or 1)}
    if shape in _CIRCULAR:
        return {"shape": "circular", "diameter_mm": round(g1 * mm), "exact": exact}
    if shape in ("RECT_CLOSED", "RECT_OPEN", "TRAPEZOIDAL"):
        kind = {"RECT_CLOSED": "rectangular", "RECT_OPEN": "open_channel"}.get(shape, "trapezoidal")
        return {"shape": kind, "height_mm": round(g1 * mm), "width_mm": round(g2 * mm),
                "exact": exact}
    return {"extra_shape": shape, "exact": exact}


def _inverts(row, where, f, absolute: bool) -> dict:
    out = {}
    for end_index, offset_index, name in ((1, 5, "invert_up_m"), (2, 6, "invert_down_m")):
        offset = _number(row, offset_index)
        node_invert = where.get(row[end_index], (None, None))[1]
        if absolute and offset is not None:
            out[name] = offset * f
        elif node_invert is not None:
            out[name] = (node_invert + (offset or 0.0)) * f
    return out


def _conduits(sections, coords, where, f, absolute):
    sizes = {r[0]: _section_size(r, f) for r in sections.get("XSECTIONS", []) if len(r) > 1}
    vertices: dict[str, list] = {}
    for r in sections.get("VERTICES", []):
        vertices.setdefault(r[0], []).append((float(r[1]), float(r[2])))
    rows, starts, ends = [], [], []
    for row in sections.get("CONDUITS", []):
        code, a, b = row[:3]
        size = dict(sizes.get(code, {}))
        swmm = {"length_m": (_number(row, 3) or 0.0) * f, "manning_n": _number(row, 4),
                **size.pop("exact", {})}
        if _number(row, 8):
            swmm["max_flow_m3s"] = _number(row, 8) * (FOOT_M**3 if f != 1.0 else 1.0)
        if "extra_shape" in size:
            swmm["shape"] = size.pop("extra_shape")
        ends_xy = coords.get(a), coords.get(b)
        geom = (
            None
            if None in ends_xy
            else LineString([ends_xy[0].coords[0], *vertices.get(code, []), ends_xy[1].coords[0]])
        )
        rows.append(
            {
                "code": code,
                "geom": geom,
                **size,
                **_inverts(row, where, f, absolute),
                "extra": {"swmm": swmm},
            }
        )
        starts.append((where.get(a, ("drainage_manhole",))[0], a))
        ends.append((where.get(b, ("drainage_manhole",))[0], b))
    return rows, starts, ends


def read_swmm(path) -> Source:
    """The drainage features of a SWMM model (see the module docstring)."""
    path = Path(path)
    sections = read_sections(path.read_text(errors="replace"))
    options = {r[0].upper(): r[1].upper() for r in sections.get("OPTIONS", []) if len(r) > 1}
    us = options.get("FLOW_UNITS", "CFS") in US_FLOW_UNITS
    f = FOOT_M if us else 1.0
    coords = {
        r[0]: Point(float(r[1]), float(r[2]))
        for r in sections.get("COORDINATES", [])
        if len(r) >= 3
    }
    manholes, outfalls, where = _nodes(sections, coords, f)
    conduits, starts, ends = _conduits(
        sections, coords, where, f, options.get("LINK_OFFSETS", "DEPTH") == "ELEVATION"
    )
    catchments = catchment_rows(sections, coords, us)
    tables = [
        t
        for t in (
            _table("junctions", "drainage_manhole", manholes, "node"),
            _table("outfalls", "drainage_outfall", outfalls, "outfall"),
            _table("conduits", "drainage_conduit", conduits, "conduit", ends=(starts, ends)),
            _table("subcatchments", "drainage_catchment", catchments, "subcatchment"),
        )
        if len(t)
    ]
    notes = [
        f"flow units {options.get('FLOW_UNITS', 'CFS')}: elevations and sizes "
        + ("converted from feet" if us else "in metres")
    ]
    skipped = {s.lower(): len(sections[s]) for s in _OTHER_LINKS if sections.get(s)}
    if skipped:
        notes.append("not imported: " + ", ".join(f"{n} {s}" for s, n in skipped.items()))
    points = [g for g in coords.values()]
    if points:
        extent = shapely.total_bounds(np.array(points, dtype=object))
        notes.append(
            f"model extent {extent[0]:g}, {extent[1]:g} to {extent[2]:g}, "
            f"{extent[3]:g} (model units)"
        )
    return Source(str(path), "SWMM", tables, crs=None, local=True, notes=notes)
