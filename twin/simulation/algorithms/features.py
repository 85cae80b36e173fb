"""The hydraulic model of the water layer's features.

``features`` maps each water table to its rows (plain dicts as
:mod:`twin.simulation.store` reads them: ``code``, the declared
attributes, ``extra``, ``ground_m`` from the DEM, ``xy``; pipes also
``start``, ``end`` and ``length_m``).  In the twin devices are nodes; in
EPANET pumps and control valves are links, so each such device becomes a
link from its inlet (where the pipes drawn towards it end) to its outlet
(where the pipes drawn away from it start).  The stub pipes an EPANET
import adds around a device (``extra.epanet.stub_of``) are folded back into
the device's link.  Junctions, hydrants, service connections and open
isolation valves are junctions; treatment plants and reservoirs fixed heads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from .demand import DAILY_PATTERN, connection_demand_m3s
from .records import Demand, Junction, Pattern, Pipe, Pump, Reservoir, Tank, Valve, WaterModel

__all__ = ["water_model"]

_JUNCTION_TABLES = ("water_junction", "water_hydrant", "water_service_connection")
_CONTROL_VALVES = {"prv": "PRV"}
_NAMED = re.compile(r"\b(PUMP|PIPE|VALVE|LINK|TANK|JUNCTION|RESERVOIR|NODE) (\S+)")


def _epanet(row) -> dict:
    return (row.get("extra") or {}).get("epanet") or {}


class _Builder:
    def __init__(self, features: Mapping[str, list[dict]], standards, year: int):
        self.f, self.std, self.year = features, standards, year
        self.m = WaterModel()
        self.inlet: dict[str, str] = {}
        self.outlet: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.links: set[str] = set()
        self.nearby = _borrowed_elevations(features)

    def pattern(self, entry: dict | None) -> str | None:
        if not entry:
            return None
        name = entry["name"]
        self.m.patterns.setdefault(
            name, Pattern(name, tuple(entry["multipliers"]), int(entry.get("step_s", 3600)))
        )
        return name

    def elevation(self, row, value=None) -> float:
        for v in (value, row.get("elevation_m"), row.get("ground_m")):
            if v is not None:
                return float(v)
        return self.nearby.get(row["code"], 0.0)

    def junction(self, row, demands=()) -> None:
        e = _epanet(row)
        if "demands" in e:
            demands = tuple(
                Demand(d["base_m3s"], self.pattern(d.get("pattern"))) for d in e["demands"]
            )
        self.m.junctions.append(
            Junction(row["code"], self.elevation(row), tuple(demands), e.get("emitter"),
                     row.get("xy"))
        )

    def fold_stubs(self) -> list[dict]:
        """Pipes that stay pipes; the stubs' far ends become device inlets and outlets."""
        kept = []
        for p in self.f.get("water_pipe", ()):
            if "stub_of" not in _epanet(p):
                kept.append(p)
            elif p["code"].endswith("-IN"):
                self.inlet[p["end"]] = p["start"]
            else:
                self.outlet[p["start"]] = p["end"]
        return kept

    def ends(self, code: str) -> tuple[str, str]:
        """Model nodes of a device's inlet and outlet: the stubs' far ends, or its own."""
        return self.inlet.get(code, code), self.outlet.get(code, f"{code}:out")

    def device_nodes(self, row) -> tuple[str, str]:
        """A device's ends, adding the junctions no stub gives."""
        code = row["code"]
        self.links.add(code)
        for own, given in ((code, self.inlet), (f"{code}:out", self.outlet)):
            if code not in given:
                self.m.junctions.append(Junction(own, self.elevation(row), (), None,
                                                 row.get("xy")))
        return self.ends(code)


def _borrowed_elevations(features) -> dict[str, float]:
    """For nodes with neither a survey nor a DEM value: the elevation of the
    nearest node along the pipes that has one (a meter stands where its tee is)."""
    known = {
        r["code"]: float(r.get("elevation_m") if r.get("elevation_m") is not None
                         else r["ground_m"])
        for t in _JUNCTION_TABLES + ("water_valve", "water_pump_station")
        for r in features.get(t, ())
        if r.get("elevation_m") is not None or r.get("ground_m") is not None
    }
    neighbours: dict[str, list[str]] = {}
    for p in features.get("water_pipe", ()):
        if p.get("start") and p.get("end"):
            neighbours.setdefault(p["start"], []).append(p["end"])
            neighbours.setdefault(p["end"], []).append(p["start"])
    out, frontier = dict(known), list(known)
    while frontier:
        nxt = []
        for code in frontier:
            for other in neighbours.get(code, ()):
                if other not in out:
                    out[other] = out[code]
                    nxt.append(other)
        frontier = nxt
    return out


def _name_map(features) -> dict[str, str]:
    return {
        _epanet(r)["name"]: r["code"]
        for rows in features.values() for r in rows if "name" in _epanet(r)
    }


def _controls(b: _Builder, rows) -> None:
    names = b.names
    for r in rows:
        for c in _epanet(r).get("controls", ()):
            def rename(text):
                return _NAMED.sub(lambda m: f"{m[1]} {names.get(m[2], m[2])}", text)
            renamed = {**c, "condition": rename(c["condition"]),
                       "then_actions": [rename(a) for a in c.get("then_actions", ())],
                       "else_actions": [rename(a) for a in c.get("else_actions") or ()]}
            if renamed not in b.m.controls:
                b.m.controls.append(renamed)


def _pumps(b: _Builder) -> None:
    for row in b.f.get("water_pump_station", ()):
        e = _epanet(row)
        start, end = b.device_nodes(row)
        curve = e.get("curve")
        if not curve and not e.get("power_kw") and row.get("capacity_m3h"):
            q = row["capacity_m3h"] / 3600.0
            head = b.std["pump.efficiency"] * (row.get("power_kw") or 0.0) * 1000 / (9810 * q)
            curve = ((q, head),)
        b.m.pumps.append(Pump(
            row["code"], start, end,
            curve=tuple(tuple(p) for p in curve) if curve else None,
            power_kw=e.get("power_kw"), speed=e.get("speed", 1.0),
            speed_pattern=b.pattern(e.get("speed_pattern")),
            closed=e.get("initial_status") == "closed" or row.get("status") != "in_service",
        ))


def _valve_state(row) -> str:
    return (row.get("extra") or {}).get("state") or row.get("normal_state") or "open"


def _valves(b: _Builder) -> None:
    for row in b.f.get("water_valve", ()):
        e = _epanet(row)
        kind = e.get("valve_type") or _CONTROL_VALVES.get(row.get("valve_type"))
        closed = _valve_state(row) == "closed"
        if kind is None and not closed and row.get("valve_type") != "check":
            b.junction(row)
            continue
        start, end = b.device_nodes(row)
        diameter = e.get("diameter_m") or (row.get("diameter_mm") or 100) / 1000.0
        if kind is None and not closed:  # a check valve: a short pipe that lets flow one way
            b.m.pipes.append(Pipe(row["code"], start, end, 0.1, diameter, 140.0,
                                  check_valve=True))
            continue
        status = e.get("initial_status") or "active"
        b.m.valves.append(Valve(
            row["code"], start, end, kind or "TCV", diameter,
            setting=float(e.get("setting", 0.0)), minor_loss=float(e.get("minor_loss", 0.0)),
            status="closed" if closed else status,
            curve=tuple(tuple(p) for p in e["curve"]) if e.get("curve") else None,
        ))


def _sources(b: _Builder) -> None:
    std = b.std
    for row in b.f.get("water_treatment_plant", ()):
        head = b.elevation(row, row.get("ground_m")) + std["plant.outlet_head"]
        b.m.reservoirs.append(Reservoir(row["code"], head, None, row.get("xy")))
    for row in b.f.get("water_tank", ()):
        e = _epanet(row)
        base = b.elevation(row, row.get("base_elevation_m"))
        if row.get("tank_kind") == "reservoir":
            b.m.reservoirs.append(Reservoir(
                row["code"], base, b.pattern(e.get("head_pattern")), row.get("xy")))
            continue
        depth = e.get("max_level_m") or std["tank.water_depth"]
        volume = row.get("capacity_m3") or 1000.0
        diameter = e.get("diameter_m") or math.sqrt(4 * volume / (math.pi * depth))
        curve = e.get("volume_curve")
        b.m.tanks.append(Tank(
            row["code"], base,
            init_level_m=e.get("init_level_m", std["tank.initial_share"] * depth),
            min_level_m=e.get("min_level_m", 0.0), max_level_m=depth, diameter_m=diameter,
            min_volume_m3=e.get("min_volume_m3", 0.0),
            volume_curve=tuple(tuple(p) for p in curve) if curve else None,
            overflow=bool(e.get("overflow", False)), xy=row.get("xy"),
        ))


def _pipes(b: _Builder, rows) -> None:
    for p in rows:
        e = _epanet(p)
        if "headloss" in e:
            b.m.headloss = e["headloss"]
        roughness = p.get("roughness") or e.get("roughness")
        if roughness is None:
            age = None if p.get("install_year") is None else b.year - p["install_year"]
            roughness = b.std.hazen_williams_c(p.get("material"), age)
        start = b.ends(p["start"])[1] if p["start"] in b.links else p["start"]
        end = b.ends(p["end"])[0] if p["end"] in b.links else p["end"]
        b.m.pipes.append(Pipe(
            p["code"], start, end,
            length_m=float(e.get("length_m") or p.get("length_m") or 1.0),
            diameter_m=e.get("diameter_m") or (p.get("diameter_mm") or 100) / 1000.0,
            roughness=float(roughness), minor_loss=float(e.get("minor_loss", 0.0)),
            closed=e.get("initial_status") == "closed" or p.get("status") != "in_service",
            check_valve=bool(e.get("check_valve", False)),
        ))


def water_model(features: Mapping[str, list[dict]], standards, *, year: int) -> WaterModel:
    """The :class:`~.records.WaterModel` of ``features`` (see the module docstring).

    ``year`` dates the pipes' age for their roughness; service connections
    follow the daily pattern of ``standards`` with the demand of their
    households or category.
    """
    b = _Builder(features, standards, year)
    b.names = _name_map(features)
    pipes = b.fold_stubs()
    _sources(b)
    _pumps(b)
    _valves(b)
    daily = {"name": DAILY_PATTERN, "multipliers": list(standards.daily_pattern),
             "step_s": 3600}
    for table in _JUNCTION_TABLES:
        for row in features.get(table, ()):
            demands = ()
            if table == "water_service_connection" and row.get("status") == "in_service":
                q = connection_demand_m3s(row.get("customer_category"), row.get("households"),
                                          standards)
                demands = (Demand(q, b.pattern(daily)),)
            b.junction(row, demands)
    _pipes(b, pipes)
    _controls(b, [r for t in ("water_pipe", "water_pump_station", "water_valve")
                  for r in features.get(t, ())])
    return b.m
