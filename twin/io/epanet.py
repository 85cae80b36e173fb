"""EPANET water models (.inp) as water features, read by WNTR's parser.

Each section becomes a feature type of the water layer:

=============  ======================================================
junctions      ``water_junction`` (elevation)
reservoirs     ``water_tank`` with ``tank_kind`` *reservoir* (base head as
               base elevation): EPANET cannot tell a river intake from a
               treatment plant's clear well, and a tank is what both are
               hydraulically; a plant can be re-typed later.
tanks          ``water_tank`` with ``tank_kind`` *tank* (capacity at the
               maximum level)
pipes          ``water_pipe`` between the nodes the file names, through its
               vertices; the model length, minor loss, check valve and a
               closed initial status are kept in ``extra.epanet``
pumps, valves  ``water_pump_station`` / ``water_valve`` points at the middle
               of the EPANET link, joined to its two nodes by two stub
               pipes ``<name>-in`` and ``<name>-out`` (``extra.epanet.stub_of``),
               because in the twin devices are network nodes
=============  ======================================================

What a hydraulic run needs beyond the declared attributes stays with the
feature it belongs to, under ``extra.epanet`` (:mod:`twin.io.epanet_extra`):
the model's name, demands with their patterns, tank levels, pump curves,
valve settings and the controls acting on each link, so the twin simulates
the imported network as EPANET simulates the file.

WNTR converts every unit system to SI; the twin stores millimetres for
diameters and metres elsewhere.  Coordinates are in the model's own units:
the importer places them with ``--crs`` or ``--origin``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.ops import substring

from twin.errors import InvalidInput, Problem

from .epanet_extra import device_extra, junction_extra, link_controls, pipe_extra, tank_extra
from .source import Source, SourceTable

__all__ = ["read_epanet"]

_VALVE_TYPES = {"PRV": "prv"}


def _load(path: Path):
    try:
        import wntr
    except ModuleNotFoundError:  # an install that skipped the dependencies
        raise InvalidInput(
            f"{path}: EPANET models are read with WNTR, which is not installed",
            [Problem("file", "reader", "install it: pip install wntr", str(path))],
        ) from None

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            wn = wntr.network.WaterNetworkModel(str(path))
        except Exception as exc:  # WNTR raises many types for malformed models
            raise InvalidInput(
                f"{path}: not a readable EPANET model",
                [Problem("file", "epanet_syntax", f"{type(exc).__name__}: {exc}", str(path))],
            ) from exc
    return wn, [f"EPANET reader: {w.message}" for w in caught]


def _table(name: str, table: str, rows: list[dict], kind: str, ends=None) -> SourceTable:
    keys = {k for r in rows for k in r if k != "geom"}
    columns = {k: np.array([r.get(k) for r in rows], dtype=object) for k in sorted(keys)}
    geometry = np.empty(len(rows), dtype=object)
    geometry[:] = [r["geom"] for r in rows]
    labels = [f"{kind} {r['code']}" for r in rows]
    return SourceTable(name, geometry, columns, labels, table=table, ends=ends)


def _node_table(wn, name: str) -> str:
    return "water_junction" if wn.get_node(name).node_type == "Junction" else "water_tank"


def _mm(metres) -> int | None:
    return None if metres is None else int(round(float(metres) * 1000))


def _junctions(wn) -> list[dict]:
    rows = []
    for name, j in wn.junctions():
        demand = {"base_demand_m3s": float(j.base_demand)}
        if j.demand_timeseries_list and j.demand_timeseries_list[0].pattern_name:
            demand["demand_pattern"] = j.demand_timeseries_list[0].pattern_name
        rows.append(
            {
                "code": name,
                "geom": Point(j.coordinates),
                "elevation_m": float(j.elevation),
                "extra": {"epanet": {**demand, **junction_extra(wn, name, j)}},
            }
        )
    return rows


def _tanks(wn) -> list[dict]:
    rows = []
    for name, r in wn.reservoirs():
        rows.append(
            {
                "code": name,
                "geom": Point(r.coordinates),
                "name": name,
                "tank_kind": "reservoir",
                "base_elevation_m": float(r.base_head),
                "extra": {"epanet": tank_extra(wn, name, r)},
            }
        )
    for name, t in wn.tanks():
        rows.append(
            {
                "code": name,
                "geom": Point(t.coordinates),
                "name": name,
                "tank_kind": "tank",
                "base_elevation_m": float(t.elevation),
                "capacity_m3": float(t.get_volume(t.max_level)),
                "extra": {"epanet": tank_extra(wn, name, t)},
            }
        )
    return rows


def _path(wn, link) -> LineString:
    start = wn.get_node(link.start_node_name).coordinates
    end = wn.get_node(link.end_node_name).coordinates
    return LineString([start, *link.vertices, end])


def _pipes(wn, controls) -> tuple[list[dict], list, list]:
    hazen = wn.options.hydraulic.headloss == "H-W"
    rows, starts, ends = [], [], []
    for name, p in wn.pipes():
        epanet = {
            "length_m": float(p.length),
            "diameter_m": float(p.diameter),
            "minor_loss": float(p.minor_loss),
        }
        if p.check_valve:
            epanet["check_valve"] = True
        if str(p.initial_status).lower() == "closed":
            epanet["initial_status"] = "closed"
        epanet.update(pipe_extra(wn, name, controls))
        row = {
            "code": name,
            "geom": _path(wn, p),
            "diameter_mm": _mm(p.diameter),
            "extra": {"epanet": epanet},
        }
        if hazen:
            row["roughness"] = float(p.roughness)
        else:
            epanet["roughness"] = float(p.roughness)
        rows.append(row)
        starts.append((_node_table(wn, p.start_node_name), p.start_node_name))
        ends.append((_node_table(wn, p.end_node_name), p.end_node_name))
    return rows, starts, ends


def _widest_pipe_mm(wn, node_names) -> int | None:
    sizes = [
        p.diameter
        for n in node_names
        for p_name in wn.get_links_for_node(n)
        for p in [wn.get_link(p_name)]
        if p.link_type == "Pipe"
    ]
    return _mm(max(sizes)) if sizes else None


def _pump(wn, name, pump, controls) -> dict:
    row = {"name": name, "extra": {"epanet": device_extra(wn, name, pump, controls)}}
    if pump.pump_type == "POWER":
        row["power_kw"] = float(pump.power) / 1000.0
    elif pump.pump_curve_name:
        points = wn.get_curve(pump.pump_curve_name).points
        flow = points[len(points) // 2][0] if len(points) in (1, 3) else None
        if flow:
            row["capacity_m3h"] = float(flow) * 3600.0
    return row


def _valve(wn, name, valve, controls) -> dict:
    closed = str(valve.initial_status).lower() == "closed"
    return {
        "valve_type": _VALVE_TYPES.get(valve.valve_type),
        "normal_state": "closed" if closed else "open",
        "diameter_mm": _mm(valve.diameter),
        "extra": {"epanet": device_extra(wn, name, valve, controls)},
    }


def _devices(wn, kind: str, items, describe, table: str):
    """Device points at the middle of their links, and the two stubs each needs."""
    devices, stubs, starts, ends = [], [], [], []
    for name, link in items:
        path = _path(wn, link)
        devices.append(
            {"code": name, "geom": path.interpolate(0.5, normalized=True), **describe(name, link)}
        )
        diameter = devices[-1].get("diameter_mm") or _widest_pipe_mm(
            wn, [link.start_node_name, link.end_node_name]
        )
        halves = (
            substring(path, 0, 0.5, normalized=True),
            substring(path, 0.5, 1, normalized=True),
        )
        for suffix, half in zip(("-in", "-out"), halves, strict=True):
            stubs.append(
                {
                    "code": name + suffix,
                    "geom": half,
                    "diameter_mm": diameter,
                    "extra": {"epanet": {"stub_of": f"{kind} {name}"}},
                }
            )
        here = (table, name)
        starts += [(_node_table(wn, link.start_node_name), link.start_node_name), here]
        ends += [here, (_node_table(wn, link.end_node_name), link.end_node_name)]
    return devices, stubs, starts, ends


def read_epanet(path) -> Source:
    """The features of an EPANET model, section by section (see the module docstring)."""
    path = Path(path)
    wn, notes = _load(path)
    controls = link_controls(wn)
    pumps, pump_stubs, p_starts, p_ends = _devices(
        wn, "pump", wn.pumps(), lambda n, p: _pump(wn, n, p, controls), "water_pump_station"
    )
    valves, valve_stubs, v_starts, v_ends = _devices(
        wn, "valve", wn.valves(), lambda n, v: _valve(wn, n, v, controls), "water_valve"
    )
    pipes, starts, ends = _pipes(wn, controls)
    tables = [
        _table("junctions", "water_junction", _junctions(wn), "junction"),
        _table("tanks and reservoirs", "water_tank", _tanks(wn), "tank"),
        _table("pumps", "water_pump_station", pumps, "pump"),
        _table("valves", "water_valve", valves, "valve"),
        _table(
            "pipes",
            "water_pipe",
            pipes + pump_stubs + valve_stubs,
            "pipe",
            ends=(starts + p_starts + v_starts, ends + p_ends + v_ends),
        ),
    ]
    if pumps or valves:
        notes.append(
            f"{len(pumps)} pump(s) and {len(valves)} valve(s) became points with "
            f"{len(pump_stubs) + len(valve_stubs)} stub pipes"
        )
    tables = [t for t in tables if len(t)]
    extent = shapely.total_bounds(np.concatenate([t.geometry for t in tables]))
    notes.append(
        f"model extent {extent[0]:g}, {extent[1]:g} to {extent[2]:g}, {extent[3]:g} (local units)"
    )
    return Source(str(path), "EPANET", tables, crs=None, local=True, notes=notes)
