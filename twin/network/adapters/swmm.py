"""EPA SWMM 5 input files (.inp) to twin drainage graphs.

A small reader of the sections the topology needs: nodes from
``[JUNCTIONS]``, ``[OUTFALLS]``, ``[STORAGE]`` and ``[DIVIDERS]``; links
from ``[CONDUITS]``, ``[PUMPS]``, ``[ORIFICES]``, ``[WEIRS]`` and
``[OUTLETS]`` (and street inlets from ``[INLET_USAGE]``); sizes from ``[XSECTIONS]``, positions from
``[COORDINATES]`` and drained areas from ``[SUBCATCHMENTS]``.  US models
(flow units CFS, GPM, MGD) are converted from feet and acres to metres and
square metres; coordinates are kept as given unless a factor is passed.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from twin.errors import InvalidInput, Problem
from twin.network.graph import build_graph

__all__ = ["graph_from_swmm", "read_sections"]

FOOT_M = 0.3048
ACRE_M2 = 4046.8564224
HECTARE_M2 = 10_000.0
US_FLOW_UNITS = frozenset({"CFS", "GPM", "MGD"})

_NODE_SECTIONS = {
    "JUNCTIONS": "manhole",
    "OUTFALLS": "outfall",
    "STORAGE": "storage",
    "DIVIDERS": "junction",
}
_LINK_SECTIONS = {
    "CONDUITS": "conduit",
    "PUMPS": "pump",
    "ORIFICES": "orifice",
    "WEIRS": "weir",
    "OUTLETS": "outlet",
}


def read_sections(text: str) -> dict[str, list[list[str]]]:
    """Rows of whitespace-separated fields by upper-case section name.

    Comments (from ``;``) and blank lines are dropped.

    >>> read_sections("[JUNCTIONS]\\n;;Name Elev\\nJ1  10.5 ; note\\n")
    {'JUNCTIONS': [['J1', '10.5']]}
    """
    sections: dict[str, list[list[str]]] = defaultdict(list)
    current = None
    for line in text.splitlines():
        line = line.split(";", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().upper()
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(line.split())
    return dict(sections)


def _options(sections) -> dict[str, str]:
    return {row[0].upper(): row[1].upper() for row in sections.get("OPTIONS", []) if len(row) > 1}


def _number(row: list[str], i: int, default: float = 0.0) -> float:
    try:
        return float(row[i])
    except (IndexError, ValueError):
        return default


def _nodes(sections, length_factor: float, xy_factor: float) -> list[dict]:
    coords = {
        r[0]: (float(r[1]) * xy_factor, float(r[2]) * xy_factor)
        for r in sections.get("COORDINATES", [])
        if len(r) >= 3
    }
    records = []
    for section, kind in _NODE_SECTIONS.items():
        for row in sections.get(section, []):
            invert = _number(row, 1) * length_factor
            x, y = coords.get(row[0], (None, None))
            record = {"code": row[0], "kind": kind, "x": x, "y": y, "invert_m": invert}
            if section in ("JUNCTIONS", "STORAGE") and len(row) > 2:
                record["rim_elevation_m"] = invert + _number(row, 2) * length_factor
            records.append(record)
    return records


def _links(
    sections, nodes: dict[str, dict], length_factor: float, absolute_offsets: bool
) -> list[dict]:
    sizes = {
        r[0]: _number(r, 2) * length_factor * 1000.0
        for r in sections.get("XSECTIONS", [])
        if len(r) > 2
    }
    records = []
    for section, kind in _LINK_SECTIONS.items():
        for row in sections.get(section, []):
            code, start, end = row[:3]
            record = {"code": code, "kind": kind, "start_node": start, "end_node": end}
            if code in sizes:
                record["diameter_mm"] = sizes[code]
            if section == "CONDUITS":
                record["length_m"] = _number(row, 3) * length_factor
                record.update(_conduit_inverts(row, nodes, length_factor, absolute_offsets))
            records.append(record)
    return records + _inlet_links(sections, records)


def _inlet_links(sections, links: list[dict]) -> list[dict]:
    """Street inlets (SWMM 5.2 ``[INLET_USAGE]``): captured flow leaves the
    street conduit's downstream node for a sewer node."""
    ends = {link["code"]: link["end_node"] for link in links}
    return [
        {
            "code": f"{row[0]}:{row[1]}",
            "kind": "inlet_connection",
            "start_node": ends[row[0]],
            "end_node": row[2],
        }
        for row in sections.get("INLET_USAGE", [])
        if len(row) > 2 and row[0] in ends
    ]


def _conduit_inverts(row, nodes, length_factor, absolute_offsets) -> dict:
    inverts = {}
    for end_index, offset_index, name in ((1, 5, "invert_up"), (2, 6, "invert_down")):
        node = nodes.get(row[end_index])
        offset = _number(row, offset_index, default=None)
        if absolute_offsets and offset is not None:
            inverts[name] = offset * length_factor
        elif node is not None:
            inverts[name] = node["invert_m"] + (offset or 0.0) * length_factor
    return inverts


def _catchments(sections, records: list[dict], area_factor: float) -> None:
    areas: dict[str, float] = defaultdict(float)
    for row in sections.get("SUBCATCHMENTS", []):
        if len(row) > 3:
            areas[row[2]] += _number(row, 3) * area_factor
    for record in records:
        if record["code"] in areas:
            record["catchment_area_m2"] = areas[record["code"]]


def graph_from_swmm(source: str | Path, *, xy_factor: float = 1.0):
    """Drainage graph of a SWMM model.

    Parameters
    ----------
    source : str or pathlib.Path
        Path of an .inp file, or its text when it contains a newline.
    xy_factor : float, keyword-only
        Multiplier of ``[COORDINATES]`` (e.g. 0.3048006 for US survey feet
        to metres in the same projection).

    Returns
    -------
    networkx.MultiDiGraph
        Junctions as ``manhole`` nodes with ``invert_m`` and
        ``rim_elevation_m``; conduits with ``length_m``, ``diameter_mm``
        (first cross-section dimension), ``invert_up``, ``invert_down``.
    """
    text = source if isinstance(source, str) and "\n" in source else Path(source).read_text()
    sections = read_sections(text)
    options = _options(sections)
    us = options.get("FLOW_UNITS", "CFS") in US_FLOW_UNITS
    length_factor = FOOT_M if us else 1.0
    nodes = _nodes(sections, length_factor, xy_factor)
    if not nodes:
        raise InvalidInput(
            "not a SWMM model",
            [Problem("JUNCTIONS", "required", "the file has no [JUNCTIONS] or [OUTFALLS] rows")],
        )
    by_code = {n["code"]: n for n in nodes}
    links = _links(
        sections, by_code, length_factor, options.get("LINK_OFFSETS", "DEPTH") == "ELEVATION"
    )
    _catchments(sections, nodes, ACRE_M2 if us else HECTARE_M2)
    return build_graph("drainage", nodes, links)
