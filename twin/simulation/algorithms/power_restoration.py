"""Restorations through tie switches checked by load flow, with the next feasible one.

The outage analysis (:func:`twin.network.power.power_outage`) proposes
closing normally-open tie switches to feed the healthy part downstream of a
fault from a neighbouring feeder; it knows topology only.  Here each
proposal is solved: with the faulted line out, the isolating devices open
and the tie closed, the neighbouring feeder carries the island (only that
area is solved).  A proposal that overloads a line or transformer or takes a
voltage out of the band (a violation the network does not have in normal
operation) is marked with the elements and by how much; then another tie
into the same island is tried, and then a partial restoration that opens the
island's 22 kV switching devices farthest from the tie, as few as carry the
rest (found by bisection), shedding the farthest sections.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import networkx as nx

from .power_build import switch_states
from .power_feeders import bus_graph, node_of
from .power_flow import Limits, run_load_flow, violations
from .power_records import PowerModel
from .power_reduce import MediumVoltage, medium_voltage

__all__ = ["check_restoration", "existing_violations"]

#: 22 kV switching devices of an island tried at most for a partial restoration
#: (by bisection: about log2 of it load flows).
MAX_PARTIAL_DEVICES = 16
#: Other ties into an island tried at most.
MAX_OTHER_TIES = 2


def existing_violations(reduced: MediumVoltage, limits: Limits) -> frozenset:
    """``(kind, code)`` of the elements of the 22 kV model beyond ``limits`` in normal
    operation."""
    flow = run_load_flow(reduced.model)
    return frozenset((v["kind"], v["code"]) for v in violations(flow, limits))


def _sub_model(model: PowerModel, buses: set[str]) -> PowerModel:
    nodes = {node_of(b) for b in buses}
    return PowerModel(
        {c: n for c, n in model.nodes.items() if c in nodes},
        [ln for ln in model.lines if ln.start in nodes and ln.end in nodes],
        [t for t in model.transformers if t.code in nodes],
        {c: s for c, s in model.switches.items() if c in nodes},
        [ld for ld in model.loads if node_of(ld.code) in nodes],
        [s for s in model.sources if s in nodes],
        model.source_vm_pu,
    )


@dataclass
class _Case:
    """One outage: the 22 kV network with the faulted line out (``model``), the
    customers behind each transformer, the limits, the violations of normal
    operation (``existing``) and the devices not to operate."""

    model: PowerModel
    customers: dict[str, tuple[str, ...]]
    limits: Limits
    existing: frozenset
    blocked: frozenset[str]
    proposed: frozenset[str]
    graph: nx.Graph | None = None

    def area(self, states: dict, node: str) -> set[str]:
        """Buses joined to ``node`` through lines, transformers and the closed switches."""
        if self.graph is None:  # every switch joined once; its state read on the way
            self.graph = bus_graph(self.model, dict.fromkeys(self.model.switches, True))
        G = self.graph
        if node not in G:
            return set()
        seen, todo = {node}, [node]
        while todo:
            for other, data in G.adj[todo.pop()].items():
                if other not in seen and states.get(data.get("switch"), True):
                    seen.add(other)
                    todo.append(other)
        return seen

    def solve(self, states: dict, fed_from: str):
        """Violations new to the area fed from ``fed_from`` with switches in ``states``."""
        sub = _sub_model(self.model, self.area(states, fed_from))
        flow = run_load_flow(sub, states={c: states[c] for c in sub.switches})
        if not flow.converged:
            return "not_converged", [], flow
        found = [v for v in violations(flow, self.limits)
                 if (v["kind"], v["code"]) not in self.existing]
        return ("ok" if not found else _verdict(found)), found, flow


def _verdict(found: list[dict]) -> str:
    return "overload" if any(v["rule"] == "overload" for v in found) else "voltage"


def _ties_into(case: _Case, states: dict, island: set[str]) -> list[tuple[str, str]]:
    """Open operable switches with one side in ``island`` and the other energised."""
    live = {b for s in case.model.sources for b in case.area(states, s)}
    ends: dict[str, set[str]] = {}
    for ln in case.model.lines:
        ends.setdefault(ln.start, set()).add(ln.end)
        ends.setdefault(ln.end, set()).add(ln.start)
    found = []
    for code, sw in sorted(case.model.switches.items()):
        if states[code] or not sw.operable or code in case.proposed | case.blocked:
            continue
        near = ends.get(code, set())
        fed = sorted(n for n in near if n not in island and n in live)
        if near & island and fed:
            found.append((code, fed[0]))
    return found


def _farthest_first(case: _Case, states: dict, island: set[str], tie: str) -> list[str]:
    around = island | {tie}
    G = nx.Graph((ln.start, ln.end) for ln in case.model.lines
                 if ln.start in around and ln.end in around)
    depth = nx.single_source_shortest_path_length(G, tie) if tie in G else {}
    devices = [c for c in island if c in case.model.switches and states[c]
               and case.model.switches[c].operable and c not in case.blocked
               and case.model.nodes[c].vn_kv >= 1]  # sections of the 22 kV feeder
    return sorted(devices, key=lambda c: (-depth.get(c, 0), c))


def _partial(case: _Case, states: dict, tie: str, fed_from: str, island: set[str]):
    """The fewest farthest devices to open for the rest of the island to be carried,
    found by bisection (shedding more never makes a violation worse)."""
    trial = {**states, tie: True}
    devices = _farthest_first(case, states, island, tie)[:MAX_PARTIAL_DEVICES]
    found, low, high = None, 1, len(devices)
    while low <= high:
        k = (low + high) // 2
        opened = {**trial, **dict.fromkeys(devices[:k], False)}
        verdict, _, flow = case.solve(opened, fed_from)
        if verdict == "ok":
            found, high = (k, opened, flow), k - 1
        else:
            low = k + 1
    if found is None:
        return None, states
    k, opened, flow = found
    dark = sorted(c for ld in case.model.loads if node_of(ld.code) in island
                  and ld.code not in flow.vm_pu for c in case.customers[ld.code])
    return {"kind": "partial", "tie_switch": tie, "fed_from": fed_from,
            "open": _effective(case, trial, devices[:k], fed_from),
            "customers_shed": len(dark), "shed": dark}, opened


def _effective(case: _Case, states: dict, devices: list[str], fed_from: str) -> list[str]:
    """Of ``devices`` opened in turn, those still energised when their turn comes."""
    out, trial = [], dict(states)
    for device in devices:
        if device in case.area(trial, fed_from):
            out.append(device)
        trial[device] = False
    return out


def _alternative(case: _Case, states: dict, tie: str, fed_from: str, island: set[str]):
    for other, other_from in _ties_into(case, states, island)[:MAX_OTHER_TIES]:
        trial = {**states, other: True}
        if case.solve(trial, other_from)[0] == "ok":
            return {"kind": "other_tie", "tie_switch": other, "fed_from": other_from}, trial
    return _partial(case, states, tie, fed_from, island)


def check_restoration(
    model: PowerModel, analysis: dict, limits: Limits, *, unavailable=(), existing=None,
    reduced: MediumVoltage | None = None,
) -> dict:
    """Each restoration step of a power outage ``analysis`` (its ``to_dict``) solved.

    The check is made on the 22 kV network, each transformer carrying its
    customers (``reduced``, :func:`~.power_reduce.medium_voltage` of
    ``model`` when not given); ``existing`` are its violations in normal
    operation (:func:`existing_violations`, solved here when not given).
    Returns ``{"verdict", "steps"}``: ``verdict`` is ``ok`` (every proposed
    tie can carry its island), ``alternative`` (some need another tie or a
    partial restoration, given as ``alternative`` of the step) or
    ``infeasible`` (some island finds no feasible supply).  Each step has
    ``tie_switch``, ``fed_from``, ``verdict`` (``ok``, ``overload``,
    ``voltage``, ``not_converged``), its new ``violations`` (a transformer's
    0.4 kV busbar is the bus ``CODE:lv``) and the island's ``customers``.
    """
    reduced = reduced or medium_voltage(model)
    if existing is None:
        existing = existing_violations(reduced, limits)
    isolating = analysis.get("isolating_devices") or []
    proposals = analysis.get("restoration") or []
    faulted = dataclasses.replace(reduced.model, lines=[
        dataclasses.replace(ln, in_service=False) if ln.code == analysis.get("fault") else ln
        for ln in reduced.model.lines])
    case = _Case(faulted, reduced.customers, limits, frozenset(existing),
                 frozenset(unavailable) | frozenset(isolating),
                 frozenset(p["tie_switch"] for p in proposals))
    states = switch_states(faulted, opened=isolating)
    steps = []
    for proposal in proposals:
        tie, fed_from = proposal["tie_switch"], proposal["fed_from"]
        island = set(proposal["nodes"]) & set(faulted.nodes)
        verdict, found, _ = case.solve({**states, tie: True}, fed_from)
        entry = {"tie_switch": tie, "fed_from": fed_from, "verdict": verdict,
                 "violations": found[:10], "violation_count": len(found),
                 "customers": sum(ld.code in proposal["nodes"] for ld in model.loads)}
        if verdict == "ok":
            states = {**states, tie: True}
        else:
            entry["alternative"], states = _alternative(case, states, tie, fed_from, island)
        steps.append(entry)
    return {"verdict": _overall(steps), "steps": steps}


def _overall(steps: list[dict]) -> str:
    if all(s["verdict"] == "ok" for s in steps):
        return "ok"
    if all(s["verdict"] == "ok" or s.get("alternative") for s in steps):
        return "alternative"
    return "infeasible"
