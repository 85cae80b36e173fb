"""The WNTR (EPANET) model of a :class:`~.records.WaterModel`.

A new model is built for every run, so a run never sees the settings of
the one before (closed pipes of an outage, a fire flow's extra demand).
"""

from __future__ import annotations

from dataclasses import dataclass

from .records import WaterModel

__all__ = ["RunSettings", "build_network"]


@dataclass(frozen=True)
class RunSettings:
    """How long to run and how demands react to pressure.

    ``duration_s`` 0 is a single steady state.  ``pressure_driven`` turns on
    WNTR's pressure-driven demand: nothing is delivered at or below
    ``minimum_head_m`` and the full demand from ``required_head_m`` up.
    ``accuracy`` and ``trials`` are EPANET's convergence criterion (sum of
    flow changes over total flow) and its iteration limit;
    ``specific_gravity`` of the water turns heads into pressures.
    ``pattern_start_s`` starts the patterns that far into the day (a
    steady state at 07:00 uses the 07:00 demands).
    """

    duration_s: int = 0
    hydraulic_step_s: int = 3600
    pressure_driven: bool = False
    minimum_head_m: float = 0.0
    required_head_m: float = 10.0
    accuracy: float = 0.001
    trials: int = 200
    specific_gravity: float = 1.0
    pattern_start_s: int = 0


def _curve(wn, name: str, kind: str, points) -> str:
    wn.add_curve(name, kind, [tuple(p) for p in points])
    return name


def _nodes(wn, model: WaterModel) -> None:
    for j in model.junctions:
        first = j.demands[0] if j.demands else None
        wn.add_junction(
            j.code,
            base_demand=first.base_m3s if first else 0.0,
            demand_pattern=first.pattern if first else None,
            elevation=j.elevation_m,
            coordinates=j.xy,
        )
        node = wn.get_node(j.code)
        for more in j.demands[1:]:
            node.add_demand(more.base_m3s, more.pattern)
        if j.emitter:
            node.emitter_coefficient = j.emitter
    for r in model.reservoirs:
        wn.add_reservoir(r.code, base_head=r.head_m, head_pattern=r.head_pattern,
                         coordinates=r.xy)
    for t in model.tanks:
        curve = None
        if t.volume_curve:
            curve = _curve(wn, f"{t.code}:volume", "VOLUME", t.volume_curve)
        wn.add_tank(
            t.code,
            elevation=t.elevation_m,
            init_level=t.init_level_m,
            min_level=t.min_level_m,
            max_level=t.max_level_m,
            diameter=t.diameter_m,
            min_vol=t.min_volume_m3,
            vol_curve=curve,
            overflow=t.overflow,
            coordinates=t.xy,
        )


def _links(wn, model: WaterModel) -> None:
    for p in model.pipes:
        wn.add_pipe(
            p.code, p.start, p.end,
            length=p.length_m, diameter=p.diameter_m, roughness=p.roughness,
            minor_loss=p.minor_loss, initial_status="CLOSED" if p.closed else "OPEN",
            check_valve=p.check_valve,
        )
    for p in model.pumps:
        if p.curve:
            kind, value = "HEAD", _curve(wn, f"{p.code}:head", "HEAD", p.curve)
        else:
            kind, value = "POWER", (p.power_kw or 0.0) * 1000.0
        wn.add_pump(p.code, p.start, p.end, pump_type=kind, pump_parameter=value,
                    speed=p.speed, pattern=p.speed_pattern,
                    initial_status="CLOSED" if p.closed else "OPEN")
    for v in model.valves:
        setting = v.setting
        if v.valve_type == "GPV":
            setting = _curve(wn, f"{v.code}:headloss", "HEADLOSS", v.curve or ((0, 0),))
        wn.add_valve(v.code, v.start, v.end, diameter=v.diameter_m, valve_type=v.valve_type,
                     minor_loss=v.minor_loss, initial_setting=setting,
                     initial_status=v.status.upper())


def _options(wn, model: WaterModel, settings: RunSettings) -> None:
    steps = {p.step_s for p in model.patterns.values()} or {3600}
    time = wn.options.time
    time.duration = settings.duration_s
    time.pattern_timestep = min(steps)
    time.hydraulic_timestep = min(settings.hydraulic_step_s, time.pattern_timestep)
    time.report_timestep = time.hydraulic_timestep
    time.start_clocktime = model.start_clocktime_s
    time.pattern_start = settings.pattern_start_s
    hydraulic = wn.options.hydraulic
    hydraulic.headloss = model.headloss
    hydraulic.pattern = None
    hydraulic.accuracy = settings.accuracy
    hydraulic.trials = settings.trials
    hydraulic.specific_gravity = settings.specific_gravity
    hydraulic.unbalanced = "CONTINUE"
    hydraulic.unbalanced_value = 10
    if settings.pressure_driven:
        hydraulic.demand_model = "PDD"
        hydraulic.minimum_pressure = settings.minimum_head_m
        hydraulic.required_pressure = settings.required_head_m


def build_network(model: WaterModel, settings: RunSettings = RunSettings()):
    """A new ``wntr.network.WaterNetworkModel`` of ``model`` run as ``settings`` say."""
    import wntr

    wn = wntr.network.WaterNetworkModel()
    for p in model.patterns.values():
        wn.add_pattern(p.name, list(p.multipliers))
    _nodes(wn, model)
    _links(wn, model)
    _options(wn, model, settings)
    if model.controls:
        wntr.network.io.from_dict({"controls": model.controls}, append=wn)
    return wn
