"""Restorations through tie switches checked by load flow, with the next feasible one.

The outage analysis (:func:`twin.network.power.power_outage`) proposes
closing normally-open tie switches to feed the healthy part downstream of a
fault from a neighbouring feeder; it knows topology only.  Here each
proposal is solved: with the isolating devices open, the tie closed, the
neighbouring feeder carries the island.  A proposal that overloads a line or
transformer or takes a voltage out of the band (a violation the feeder did
not have before) is marked with the elements and by how much; then another
tie into the same island is tried, and then a partial restoration that opens
the island's switching devices farthest from the tie, one more at a time,
shedding the farthest sections until the rest can be carried.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import networkx as nx

from .power_build import switch_states
from .power_feeders import bus_graph, node_of
from .power_flow import Limits, run_load_flow, violations
from .power_records import PowerModel

__all__ = ["check_restoration"]

#: Load flows tried at most for the partial restorations of one island.
MAX_PARTIAL_TRIES = 6


def _sub_model(model: PowerModel, buses: set[str]) -> PowerModel:
    nodes = {node_of(b) for b in buses}
    return PowerModel(
        {c: n for c, n in model.nodes.items() if c in nodes},
        [ln for ln in model.lines if ln.start in nodes and ln.end in nodes],
        [t for t in model.transformers if t.code in nodes],
        {c: s for c, s in model.switches.items() if c in nodes},
        [ld for ld in model.loads if ld.code in nodes],
        [s for s in model.sources if s in nodes],
        model.source_vm_pu,
    )


@dataclass(frozen=True)
class _Case:
    """One outage: the network with the faulted line out (``model``), as it was
    before the fault (``before``), the limits and the devices not to operate."""

    model: PowerModel
    before: PowerModel
    limits: Limits
    blocked: frozenset[str]
    proposed: frozenset[str]

    def area(self, states: dict, node: str) -> set[str]:
        G = bus_graph(self.model, states)
        return nx.node_connected_component(G, node) if node in G else set()

    def flow(self, model: PowerModel, states: dict, node: str):
        G = bus_graph(model, states)
        sub = _sub_model(model, nx.node_connected_component(G, node) if node in G else set())
        return run_load_flow(sub, states={c: states[c] for c in sub.switches})

    def baseline(self, states: dict, fed_from: str, island: set[str]) -> set:
        """Violations the feeder of ``fed_from`` has now and the island had before."""
        found = set()
        for model, at, st in ((self.model, fed_from, states),
                              (self.before, min(island), switch_states(self.before))):
            flow = self.flow(model, st, at)
            found |= {(v["kind"], v["code"]) for v in violations(flow, self.limits)}
        return found

    def solve(self, states: dict, fed_from: str, before: set):
        """Violations new to the area fed from ``fed_from`` with switches in ``states``."""
        flow = self.flow(self.model, states, fed_from)
        if not flow.converged:
            return "not_converged", [], flow
        found = [v for v in violations(flow, self.limits)
                 if (v["kind"], v["code"]) not in before]
        return ("ok" if not found else _verdict(found)), found, flow


def _verdict(found: list[dict]) -> str:
    return "overload" if any(v["rule"] == "overload" for v in found) else "voltage"


def _energised(model: PowerModel, states: dict) -> set[str]:
    G = bus_graph(model, states)
    return {b for s in model.sources if s in G for b in nx.node_connected_component(G, s)}


def _ties_into(case: _Case, states: dict, island: set[str]) -> list[tuple[str, str]]:
    """Open operable switches with one side in ``island`` and the other energised."""
    live = _energised(case.model, states)
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
               and case.model.switches[c].operable and c not in case.blocked]
    return sorted(devices, key=lambda c: (-depth.get(c, 0), c))


def _partial(case: _Case, states: dict, tie: str, fed_from: str, island: set[str]):
    before = case.baseline(states, fed_from, island)
    trial = {**states, tie: True}
    opened = []
    for device in _farthest_first(case, states, island, tie)[:MAX_PARTIAL_TRIES]:
        if device not in case.area(trial, fed_from):
            continue
        trial[device] = False
        opened.append(device)
        verdict, _, flow = case.solve(trial, fed_from, before)
        if verdict == "ok":
            dark = sorted(ld.code for ld in case.model.loads if ld.code in island
                          and ld.code not in flow.vm_pu)
            return {"kind": "partial", "tie_switch": tie, "fed_from": fed_from,
                    "open": opened, "customers_shed": len(dark), "shed": dark}, trial
    return None, states


def _alternative(case: _Case, states: dict, tie: str, fed_from: str, island: set[str]):
    for other, other_from in _ties_into(case, states, island):
        trial = {**states, other: True}
        before = case.baseline(states, other_from, island)
        if case.solve(trial, other_from, before)[0] == "ok":
            return {"kind": "other_tie", "tie_switch": other, "fed_from": other_from}, trial
    return _partial(case, states, tie, fed_from, island)


def check_restoration(
    model: PowerModel, analysis: dict, limits: Limits, *, unavailable=()
) -> dict:
    """Each restoration step of a power outage ``analysis`` (its ``to_dict``) solved.

    Returns ``{"verdict", "steps"}``: ``verdict`` is ``ok`` (every proposed
    tie can carry its island), ``alternative`` (some need another tie or a
    partial restoration, given as ``alternative`` of the step) or
    ``infeasible`` (some island finds no feasible supply).  Each step has
    ``tie_switch``, ``fed_from``, ``verdict`` (``ok``, ``overload``,
    ``voltage``, ``not_converged``) and its new ``violations``.
    """
    isolating = analysis.get("isolating_devices") or []
    proposals = analysis.get("restoration") or []
    faulted = dataclasses.replace(model, lines=[
        dataclasses.replace(ln, in_service=False) if ln.code == analysis.get("fault") else ln
        for ln in model.lines])
    case = _Case(faulted, model, limits, frozenset(unavailable) | frozenset(isolating),
                 frozenset(p["tie_switch"] for p in proposals))
    states = switch_states(faulted, opened=isolating)
    steps = []
    for proposal in proposals:
        tie, fed_from = proposal["tie_switch"], proposal["fed_from"]
        island = set(proposal["nodes"])
        before = case.baseline(states, fed_from, island)
        verdict, found, _ = case.solve({**states, tie: True}, fed_from, before)
        entry = {"tie_switch": tie, "fed_from": fed_from, "verdict": verdict,
                 "violations": found[:10], "violation_count": len(found),
                 "customers": sum(ld.code in island for ld in model.loads)}
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
