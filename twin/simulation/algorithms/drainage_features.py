"""The SWMM model of the drainage layer's features.

``features`` maps each drainage table to its rows (plain dicts as
:mod:`twin.simulation.drainage_store` reads them: ``code``, the declared
attributes, ``extra``, ``ground_m`` from the DEM, ``xy``; conduits also
``start``, ``end`` and ``length_m``; catchments ``area_m2`` and
``slope_pct`` when the DEM gives one).  What a SWMM import kept in
``extra.swmm`` (exact sections, model lengths, Manning's n, subareas,
infiltration) wins over the defaults of the data table.

* manholes and inlets are junctions: invert from data, else the rim less
  the standard depth; rim from data, else the DEM's ground;
* outfalls are free outfalls at their invert;
* a pumping station is a wet well (storage) and each conduit leaving it a
  pump up to the station's capacity;
* conduits keep their inverts as offsets above the nodes they join.
"""

from __future__ import annotations

from collections.abc import Mapping

from .drainage_records import Conduit, DrainageModel, Gage, Horton, Node, Pump, Subcatchment

__all__ = ["drainage_model"]

_SHAPES = {"circular": "CIRCULAR", "rectangular": "RECT_CLOSED",
           "open_channel": "RECT_OPEN", "trapezoidal": "TRAPEZOIDAL"}
_WET_WELL_M2 = 50.0


def _swmm(row) -> dict:
    return (row.get("extra") or {}).get("swmm") or {}


def _node(row, std, kind="junction", *, rim=None, invert=None) -> Node:
    depth = std["manhole.depth_m"]
    rim = next((v for v in (rim, row.get("rim_elevation_m"), row.get("ground_m"))
                if v is not None), None)
    invert = invert if invert is not None else row.get("invert_elevation_m")
    if invert is None:
        invert = (rim if rim is not None else 0.0) - depth
    if rim is None or rim < invert:
        rim = invert + depth
    return Node(row["code"], float(invert), float(rim - invert) if kind != "outfall" else 0.0,
                kind, row.get("xy"), _swmm(row).get("surcharge_m", std["manhole.surcharge_m"]))


def _section(row) -> tuple[str, float, float]:
    swmm = _swmm(row)
    exact = swmm.get("geom_m")
    shape = swmm.get("shape") or _SHAPES.get(row.get("shape") or "circular", "CIRCULAR")
    if exact:
        return shape, float(exact[0]), float(exact[1])
    if shape == "CIRCULAR":
        return shape, (row.get("diameter_mm") or 600) / 1000, 0.0
    height, width = row.get("height_mm") or 1000, row.get("width_mm") or 1000
    return shape, height / 1000, width / 1000


def _conduit(row, nodes, std, blocked) -> Conduit:
    swmm = _swmm(row)
    shape, g1, g2 = _section(row)
    material = row.get("material") or "unknown"
    n = swmm.get("manning_n") or std.get(f"conduit.manning_n.{material}",
                                          std["conduit.manning_n.unknown"])
    offsets = []
    for key, end in (("invert_up_m", row["start"]), ("invert_down_m", row["end"])):
        v = row.get(key)
        offsets.append(max(float(v) - nodes[end].invert_m, 0.0) if v is not None else 0.0)
    return Conduit(
        row["code"], row["start"], row["end"],
        max(float(swmm.get("length_m") or row.get("length_m") or 1.0), 1.0), float(n),
        shape, g1, g2, offsets[0], offsets[1], int(swmm.get("barrels", 1)),
        1e-6 if row["code"] in blocked else float(swmm.get("max_flow_m3s", 0.0)),
    )


def _catchment(row, nodes, std, gage: str | None) -> Subcatchment | None:
    swmm = _swmm(row)
    outlet = row.get("outlet")
    if outlet not in nodes:
        return None
    area = float(swmm.get("area_m2") or row.get("area_m2") or 0.0)
    impervious = row.get("imperviousness_pct")
    if impervious is None:
        impervious = row.get("derived_impervious_pct", 0.0)
    h = swmm.get("horton") or {
        k: std[f"catchment.horton_{k}"]
        for k in ("max_mm_h", "min_mm_h", "decay_per_h", "dry_days")}
    sub = swmm.get("subareas") or {
        k: std[f"catchment.{k}"]
        for k in ("n_impervious", "n_pervious", "storage_impervious_mm",
                  "storage_pervious_mm", "zero_storage_pct")}
    width = swmm.get("width_m") or std["catchment.width_factor"] * area**0.5
    slope = swmm.get("slope_pct") or row.get("slope_pct") or std["catchment.slope_pct"]
    return Subcatchment(
        row["code"], outlet, area, float(impervious), float(width), float(slope),
        Horton(**h), gage or (swmm.get("gage") or {}).get("name", "storm"), **sub,
    )


def _pumped(features, std) -> tuple[list[Node], dict[str, float]]:
    """Wet wells of the pumping stations, their capacity by code."""
    conduits = features.get("drainage_conduit", [])
    wells, capacity = [], {}
    for row in features.get("drainage_pumping_station", []):
        code = row["code"]
        inverts = [c["invert_down_m"] for c in conduits
                   if c["end"] == code and c.get("invert_down_m") is not None]
        invert = min(inverts) - 0.5 if inverts else None
        node = _node(row, std, "storage", invert=invert)
        wells.append(Node(code, node.invert_m, max(node.max_depth_m, 3.0), "storage",
                          node.xy, 0.0, _WET_WELL_M2))
        capacity[code] = float(row.get("capacity_m3s") or 1.0)
    return wells, capacity


def drainage_model(features: Mapping[str, list[dict]], std: Mapping[str, float], *,
                   gage: Gage | None = None, blocked: frozenset[str] = frozenset()
                   ) -> DrainageModel:
    """The SWMM records of the drainage features; ``gage`` rains on every catchment
    (a gage kept by a SWMM import rains on its own catchments otherwise).

    Conduits whose code is in ``blocked`` pass no flow (a blocked conduit).
    """
    m = DrainageModel()
    for table in ("drainage_manhole", "drainage_inlet"):
        m.nodes += [_node(r, std) for r in features.get(table, [])]
    m.nodes += [_node(r, std, "outfall") for r in features.get("drainage_outfall", [])]
    wells, capacity = _pumped(features, std)
    m.nodes += wells
    nodes = {n.code: n for n in m.nodes}
    for row in features.get("drainage_conduit", []):
        if row["start"] not in nodes or row["end"] not in nodes:
            m.notes.append(f"conduit {row['code']} left out: an end is not a drainage node")
        elif row["start"] in capacity:
            m.pumps.append(Pump(row["code"], row["start"], row["end"], capacity[row["start"]]))
        else:
            m.conduits.append(_conduit(row, nodes, std, blocked))
    name = gage.name if gage else None
    for row in features.get("drainage_catchment", []):
        sub = _catchment(row, nodes, std, name)
        if sub is None:
            m.notes.append(f"catchment {row['code']} left out: its outlet is not a node")
            continue
        m.subcatchments.append(sub)
    kept = {}
    for row in features.get("drainage_catchment", []):
        g = _swmm(row).get("gage")
        if g and gage is None:
            kept[g["name"]] = Gage(g["name"], g["interval_min"],
                                   tuple(tuple(p) for p in g["series"]), g.get("scf", 1.0))
    m.gages = list(kept.values()) if gage is None else [gage]
    return m
