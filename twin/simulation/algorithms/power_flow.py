"""A balanced AC load flow of a power model with pandapower, and what it says per feeder.

:func:`run_load_flow` solves the whole model once (Newton–Raphson; feeders
are independent while their ties are open) and returns plain numbers by
code: the voltage of every bus (p.u.), the loading of every line and
transformer (% of its rating) and their losses.  :func:`feeder_report`
sums one feeder up and lists its violations of the limits (Circular
39/2015/TT-BCT: ±5 % voltage, 100 % thermal loading in normal operation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .power_build import build_net, switch_states
from .power_feeders import Feeder, node_of
from .power_records import PowerModel

__all__ = ["Limits", "LoadFlow", "feeder_report", "run_load_flow", "violations"]


@dataclass(frozen=True)
class Limits:
    """The voltage band (p.u.) and the thermal loading limit (%)."""

    min_vm_pu: float = 0.95
    max_vm_pu: float = 1.05
    max_loading_percent: float = 100.0


@dataclass
class LoadFlow:
    """Results by code; a bus that no source reaches has no voltage (it is left out)."""

    converged: bool
    states: dict[str, bool]
    vm_pu: dict[str, float] = field(default_factory=dict)
    lines: dict[str, dict[str, float]] = field(default_factory=dict)
    transformers: dict[str, dict[str, float]] = field(default_factory=dict)
    sources: dict[str, dict[str, float]] = field(default_factory=dict)


def _table(frame, names, columns) -> dict[str, dict[str, float]]:
    out = {}
    for name, row in zip(names, frame[list(columns)].itertuples(index=False), strict=True):
        if not any(math.isnan(v) for v in row):
            out[name] = {k: float(v) for k, v in zip(columns.values(), row, strict=True)}
    return out


def run_load_flow(model: PowerModel, *, states: dict[str, bool] | None = None) -> LoadFlow:
    """Solve ``model`` with its switches in ``states`` (default: as recorded)."""
    import pandapower as pp

    states = switch_states(model) if states is None else states
    if not model.sources:
        return LoadFlow(False, states)
    net, _ = build_net(model, states=states)
    try:
        pp.runpp(net, numba=False, init="dc" if len(net.bus) > 2 else "auto")
    except pp.LoadflowNotConverged:
        return LoadFlow(False, states)
    vm = {n: float(v) for n, v in zip(net.bus.name, net.res_bus.vm_pu, strict=True)
          if not math.isnan(v)}
    lines = _table(net.res_line, net.line.name, {
        "loading_percent": "loading_percent", "i_ka": "i_ka", "p_from_mw": "p_mw",
        "pl_mw": "losses_mw"})
    trafos = _table(net.res_trafo, net.trafo.name, {
        "loading_percent": "loading_percent", "p_hv_mw": "p_mw", "pl_mw": "losses_mw"})
    grid = _table(net.res_ext_grid, net.ext_grid.name, {"p_mw": "p_mw", "q_mvar": "q_mvar"})
    return LoadFlow(True, states, vm, lines, trafos, grid)


def violations(flow: LoadFlow, limits: Limits, *, buses=None, lines=None,
               transformers=None) -> list[dict]:
    """Elements beyond ``limits`` (within the given codes, default all), worst first."""
    found = []
    for kind, table in (("line", flow.lines), ("transformer", flow.transformers)):
        wanted = lines if kind == "line" else transformers
        for code, r in table.items():
            if (wanted is None or code in wanted) and \
                    r["loading_percent"] > limits.max_loading_percent:
                found.append({"kind": kind, "code": code, "rule": "overload",
                              "value": round(r["loading_percent"], 1),
                              "limit": limits.max_loading_percent})
    for bus, v in flow.vm_pu.items():
        if buses is not None and bus not in buses:
            continue
        if v < limits.min_vm_pu or v > limits.max_vm_pu:
            low = v < limits.min_vm_pu
            found.append({"kind": "bus", "code": bus, "node": node_of(bus),
                          "rule": "undervoltage" if low else "overvoltage",
                          "value": round(v, 4),
                          "limit": limits.min_vm_pu if low else limits.max_vm_pu})
    return sorted(found, key=_severity)


def _severity(v: dict) -> tuple:
    if v["rule"] == "overload":
        return (0, -(v["value"] - v["limit"]) / v["limit"], v["code"])
    return (0, -abs(v["value"] - v["limit"]) / 0.05, v["code"])


def _worst(table: dict, codes) -> tuple[float | None, str | None]:
    pairs = [(table[c]["loading_percent"], c) for c in codes if c in table]
    return max(pairs) if pairs else (None, None)


def feeder_report(model: PowerModel, flow: LoadFlow, feeder: Feeder, limits: Limits) -> dict:
    """One feeder in brief: load, losses, the most loaded line and transformer, the
    voltage range, and its violations (JSON-ready)."""
    loads = {ld.code: ld for ld in model.loads}
    served = [loads[c] for c in feeder.loads if c in flow.vm_pu]
    volts = [(v, b) for b, v in flow.vm_pu.items() if b in feeder.buses]
    line_pct, line_at = _worst(flow.lines, feeder.lines)
    tx_pct, tx_at = _worst(flow.transformers, feeder.transformers)
    losses = sum(flow.lines[c]["losses_mw"] for c in feeder.lines if c in flow.lines)
    losses += sum(flow.transformers[c]["losses_mw"] for c in feeder.transformers
                  if c in flow.transformers)
    found = violations(flow, limits, buses=feeder.buses, lines=set(feeder.lines),
                       transformers=set(feeder.transformers))
    return {
        "feeder": feeder.name, "head": feeder.head, "source": feeder.source,
        "converged": flow.converged,
        "lines": len(feeder.lines), "transformers": len(feeder.transformers),
        "customers": len(feeder.loads), "customers_supplied": len(served),
        "households": sum(ld.households for ld in served),
        "load_kw": round(sum(ld.p_kw for ld in served), 1),
        "losses_kw": round(losses * 1000, 2),
        "max_line_loading_percent": _round(line_pct), "max_line": line_at,
        "max_transformer_loading_percent": _round(tx_pct), "max_transformer": tx_at,
        "min_vm_pu": _round(min(volts)[0] if volts else None, 4),
        "min_vm_at": min(volts)[1] if volts else None,
        "max_vm_pu": _round(max(volts)[0] if volts else None, 4),
        "violations": found,
    }


def _round(value, digits: int = 1):
    return None if value is None else round(value, digits)
