"""Which protective device clears a power fault, and why.

A fault is cleared by the nearest closed protective device between it and
its source that clears faults of the fault's level: an LV fuse or LV
breaker for a fault on a 0.4 kV line, a recloser, sectionaliser or feeder
breaker on 22 kV (the levels and what each device clears are declared in
``layers/power.py``).  A network without protection of that level (an
import that records only feeder breakers) falls back to the nearest
protective device of any level, and the reason says so.  Plain graph in,
plain data out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from twin.network.graph import edge_lookup
from twin.network.roles import PROTECTIVE_KINDS, clears, fault_level

__all__ = ["Trip", "fault_voltage", "tripping_device"]

#: Why a device trips (keys a page translates; see ``Trip.reason``).
NEAREST = "clears_fault"
BACKUP = "backup"
SOURCE = "no_protection"


@dataclass
class Trip:
    """The device that trips for a fault.

    ``reason`` is one of ``"clears_fault"`` (the nearest device upstream
    that clears faults of the fault's level), ``"backup"`` (none of that
    level upstream: the nearest protective device of any level) or
    ``"no_protection"`` (no protective device upstream: the source itself
    is cut); ``note`` says it in English.  ``voltage_kv`` and ``level``
    (``"lv"``, ``"mv"`` ... or ``None`` when the voltage is unknown)
    describe the fault; ``on`` is ``"line"`` or ``"node"``.
    """

    code: str
    kind: str | None
    name: str | None
    reason: str
    note: str
    fault: str
    on: str
    voltage_kv: float | None
    level: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def fault_voltage(G, fault: str, live=None) -> float | None:
    """Voltage (kV) at the fault: the line's; at a node its own, else that of
    the line feeding it in ``live`` (what the protection upstream sees: the
    22 kV side of a transformer, the 0.4 kV side of a fuse or a customer)."""
    lookup = edge_lookup(G)
    if fault in lookup:
        return _edge_voltage(G, lookup, fault)
    own = G.nodes[fault].get("voltage_kv")
    if own is not None or live is None or fault not in live.parent:
        return own
    return _edge_voltage(G, lookup, live.parent[fault][1])


def _edge_voltage(G, lookup, code: str) -> float | None:
    u, v = lookup[code]
    return G.edges[u, v, code].get("voltage_kv")


def _path_up(live, start: str, *, skip_start: bool):
    node = start
    if skip_start:  # a faulted device cannot clear its own fault
        node = live.parent.get(node, (node,))[0]
    yield node
    while node in live.parent:
        node = live.parent[node][0]
        yield node


def tripping_device(G, fault: str, start: str, live, *, node_fault: bool) -> Trip:
    """The device that trips for ``fault``, walking up from ``start``.

    Parameters
    ----------
    G : networkx.MultiGraph
        Power network (conventions of :mod:`twin.network.graph`).
    fault : str
        Code of the faulted line or node.
    start : str
        The end of the fault nearest the source, reached by ``live``.
    live : twin.network.walk.Reach
        What the sources reach before the fault, with its ``parent`` links.
    node_fault : bool, keyword-only
        The fault is at a node (which cannot clear its own fault).
    """
    voltage = fault_voltage(G, fault, live)
    level = fault_level(G.graph.get("utility", "power"), voltage)
    level_name = level.name if level else None
    first = last = None
    for node in _path_up(live, start, skip_start=node_fault):
        last = node
        kind = G.nodes[node].get("kind")
        if kind not in PROTECTIVE_KINDS:
            continue
        if level_name is None or level_name in clears(kind):
            return _trip(G, node, NEAREST, fault, node_fault, voltage, level)
        first = first or node
    if first is not None:
        return _trip(G, first, BACKUP, fault, node_fault, voltage, level)
    return _trip(G, last, SOURCE, fault, node_fault, voltage, level)


def _trip(G, device, reason, fault, node_fault, voltage, level) -> Trip:
    attrs = G.nodes[device]
    kind, name = attrs.get("kind"), attrs.get("name")
    return Trip(
        code=device,
        kind=kind,
        name=name,
        reason=reason,
        note=_note(reason, f"{kind} {name or device}", fault, node_fault, voltage, level),
        fault=fault,
        on="node" if node_fault else "line",
        voltage_kv=voltage,
        level=level.name if level else None,
    )


def _note(reason, device, fault, node_fault, voltage, level) -> str:
    kv = "" if voltage is None else f"{voltage:g} kV"
    if node_fault:
        where = f"at {fault}" + (f" ({kv})" if kv else "")
    else:
        where = f"on the {kv} line" if kv else "on the line"
    if reason == NEAREST:
        return f"{device} trips: the fault {where} is behind it"
    if reason == BACKUP:
        return (
            f"no device clearing {level.en} faults is recorded upstream of the fault {where}; "
            f"the nearest protective device, {device}, trips instead"
        )
    return f"no protective device is recorded upstream of the fault {where}; {device} is cut"
