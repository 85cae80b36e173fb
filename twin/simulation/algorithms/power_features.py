"""The load-flow model of the power layer's features.

``features`` maps each power table to its rows (plain dicts as
:mod:`twin.simulation.power_store` reads them: ``code``, ``status``, the
declared attributes, ``xy``; lines also ``start``, ``end`` and
``length_m``).  Lines take their impedance and rating from their conductor;
transformers their parameters from their rating; each customer becomes a
load of its households' peak demand, or its category's per-connection
demand, at its category's power factor.  Substations are the sources.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

from .power_records import (
    PowerLine,
    PowerLoad,
    PowerModel,
    PowerNode,
    PowerSwitch,
    PowerTransformer,
)

__all__ = ["customer_load", "power_model"]

_NODE_KINDS = {
    "power_substation": "substation",
    "power_pole": "pole",
    "power_switch": "switch",
    "power_transformer": "transformer",
    "power_customer": "customer",
}
LV_KV = 0.4


def customer_load(row: Mapping, std) -> tuple[float, float]:
    """Peak ``(p_kw, q_kvar)`` of a customer row (households, category).

    >>> from twin.simulation.power_standards import power_standards
    >>> p, q = customer_load({"customer_category": "residential", "households": 2},
    ...                      power_standards())
    >>> round(p, 2), round(q / p, 3)
    (2.4, 0.484)
    """
    category = row.get("customer_category") or "residential"
    households = int(row.get("households") or 0)
    p = households * std["household_kw"] + std.values.get(f"connection_kw.{category}", 0.0)
    pf = std.values.get(f"power_factor.{category}", std["power_factor.residential"])
    return p, p * math.tan(math.acos(pf))


def _voltages(lines) -> dict[str, list[float]]:
    found = defaultdict(list)
    for ln in lines:
        found[ln["start"]].append(float(ln["voltage_kv"]))
        found[ln["end"]].append(float(ln["voltage_kv"]))
    return found


def _side_b(code: str, lines: list[dict]) -> tuple[str, ...]:
    """Lines on a switch's second side: those drawn away from it, or all but the first."""
    out = sorted(ln["code"] for ln in lines if ln["start"] == code)
    into = sorted(ln["code"] for ln in lines if ln["end"] == code)
    if out and into:
        return tuple(out)
    both = sorted(out + into)
    return tuple(both[1:])


def _nodes(features, voltages, model: PowerModel) -> None:
    for table, kind in _NODE_KINDS.items():
        for r in features.get(table, ()):
            kv = voltages.get(r["code"]) or [LV_KV if kind == "customer" else 22.0]
            if kind == "substation":
                kv = [float(r.get("secondary_kv") or max(kv))]
            if kind == "transformer":
                kv = [float(r.get("voltage_kv") or max(kv))]
            model.nodes[r["code"]] = PowerNode(r["code"], kind, max(kv), r.get("xy"))


def power_model(features: Mapping[str, list[dict]], std) -> PowerModel:
    """The load-flow model of the power rows ``features`` (see the module docstring)."""
    rows = [r for r in features.get("power_line", ()) if r.get("start") and r.get("end")]
    model = PowerModel(source_vm_pu=std["source.vm_pu"])
    _nodes(features, _voltages(rows), model)
    for r in rows:
        kv = float(r["voltage_kv"])
        model.lines.append(PowerLine(
            r["code"], r["start"], r["end"], float(r.get("length_m") or 0.0), kv,
            std.conductor(r.get("conductor"), kv), r.get("feeder"),
            r.get("status") == "in_service",
        ))
    at = defaultdict(list)
    for r in rows:
        at[r["start"]].append(r)
        at[r["end"]].append(r)
    for r in features.get("power_switch", ()):
        closed = r.get("normal_state") != "open" and r.get("status") == "in_service"
        model.switches[r["code"]] = PowerSwitch(
            r["code"], r.get("device_type") or "switch", closed, _side_b(r["code"], at[r["code"]]),
            r.get("operable") is not False, r.get("feeder"),
        )
    for r in features.get("power_transformer", ()):
        row = std.transformer(float(r.get("rating_kva") or 0.0))
        model.transformers.append(PowerTransformer(
            r["code"], float(r.get("rating_kva") or row["rating_kva"]),
            model.nodes[r["code"]].vn_kv, LV_KV, row["vk_percent"], row["vkr_percent"],
            row["pfe_kw"], row["i0_percent"],
        ))
    for r in features.get("power_customer", ()):
        if r.get("status") == "in_service":
            p, q = customer_load(r, std)
            model.loads.append(PowerLoad(r["code"], p, q, int(r.get("households") or 0)))
    model.sources = sorted(r["code"] for r in features.get("power_substation", ())
                           if r.get("status") == "in_service")
    return model
