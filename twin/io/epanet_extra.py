"""What EPANET needs of an imported feature beyond its declared attributes.

Kept under ``extra.epanet`` of the feature it belongs to, in SI units:

- every feature: ``name``, its name in the model (codes are upper-cased
  and may get a prefix; controls name the model's elements);
- junctions: ``demands`` (``base_m3s`` with the demand multiplier applied,
  ``pattern`` with its ``multipliers`` and ``step_s``), ``emitter``;
- tanks: levels, diameter, minimum volume, volume curve; reservoirs: a head
  pattern;
- pumps: the head curve or the power, speed, speed pattern, initial status;
- pipes and valves: the diameter exactly (the attribute is in whole mm);
- valves: type, setting, minor loss, initial status, a GPV's curve;
- links: ``controls`` acting on them, as WNTR control dictionaries.

Patterns are stored with each feature that uses one: a twin has no model
file to hold them, and a feature carries what it needs to be simulated.
"""

from __future__ import annotations

__all__ = ["device_extra", "junction_extra", "link_controls", "pipe_extra", "tank_extra"]


def _pattern(wn, name: str | None) -> dict | None:
    if not name or name not in wn.pattern_name_list:
        return None
    return {
        "name": name,
        "multipliers": [float(m) for m in wn.get_pattern(name).multipliers],
        "step_s": int(wn.options.time.pattern_timestep),
    }


def _points(wn, name: str | None) -> list | None:
    if not name:
        return None
    return [[float(x), float(y)] for x, y in wn.get_curve(name).points]


def _status(value) -> str:
    return str(value).split(".")[-1].lower()


def junction_extra(wn, name: str, junction) -> dict:
    """Name, demands with their patterns (multiplier applied) and emitter of a junction."""
    multiplier = float(wn.options.hydraulic.demand_multiplier or 1.0)
    default = wn.options.hydraulic.pattern
    demands = []
    for d in junction.demand_timeseries_list:
        pattern = _pattern(wn, d.pattern_name or default)
        demands.append({"base_m3s": float(d.base_value) * multiplier, "pattern": pattern})
    out = {"name": name, "demands": demands}
    if junction.emitter_coefficient:
        out["emitter"] = float(junction.emitter_coefficient)
    return out


def tank_extra(wn, name: str, node) -> dict:
    """Name and levels of a tank, or name and head pattern of a reservoir."""
    if node.node_type == "Reservoir":
        return {"name": name, "head_pattern": _pattern(wn, node.head_pattern_name)}
    return {
        "name": name,
        "diameter_m": float(node.diameter),
        "init_level_m": float(node.init_level),
        "min_level_m": float(node.min_level),
        "max_level_m": float(node.max_level),
        "min_volume_m3": float(node.min_vol or 0.0),
        "volume_curve": _points(wn, node.vol_curve_name),
        "overflow": bool(node.overflow),
    }


def link_controls(wn) -> dict[tuple[str, str], list[dict]]:
    """Controls and rules of the model, by ``(PIPE|PUMP|VALVE, name)`` of the link
    their first action moves."""
    import wntr

    out: dict[tuple[str, str], list[dict]] = {}
    for control in wntr.network.io.to_dict(wn)["controls"]:
        actions = control.get("then_actions") or []
        if actions:
            kind, link = actions[0].split()[:2]
            out.setdefault((kind.upper(), link), []).append(control)
    return out


def pipe_extra(wn, name: str, controls: dict) -> dict:
    """Name and controls of a pipe (its length and losses are kept by the reader)."""
    out = {"name": name}
    if ("PIPE", name) in controls:
        out["controls"] = controls["PIPE", name]
    return out


def device_extra(wn, name: str, link, controls: dict) -> dict:
    """What a pump or a valve needs to run as in the model."""
    out = {"name": name, "initial_status": _status(link.initial_status)}
    if link.link_type == "Pump":
        out["speed"] = float(link.base_speed)
        out["speed_pattern"] = _pattern(wn, link.speed_pattern_name)
        if link.pump_type == "POWER":
            out["power_kw"] = float(link.power) / 1000.0
        else:
            out["curve"] = _points(wn, link.pump_curve_name)
    else:
        out["valve_type"] = link.valve_type
        out["diameter_m"] = float(link.diameter)
        out["minor_loss"] = float(link.minor_loss)
        if link.valve_type == "GPV":
            out["curve"] = _points(wn, link.headloss_curve_name)
            out["setting"] = 0.0
        else:
            out["setting"] = float(link.initial_setting)
    key = (link.link_type.upper(), name)
    if key in controls:
        out["controls"] = controls[key]
    return out
