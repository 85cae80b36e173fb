"""A power model reduced to its 22 kV network: each transformer carries its customers.

Closing a tie changes what flows at 22 kV, not in the 0.4 kV networks behind
the transformers; a check of many restorations solves the reduced model,
three times smaller on a city: medium-voltage nodes, lines and switches,
every transformer, and at each transformer's low-voltage side (``CODE:lv``)
one load, the sum of the customers its 0.4 kV network feeds as the
switches are now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from .power_build import LV_SIDE, switch_states
from .power_feeders import bus_graph
from .power_records import PowerLoad, PowerModel

__all__ = ["MediumVoltage", "medium_voltage"]


@dataclass(frozen=True)
class MediumVoltage:
    """The reduced ``model`` and the customer codes behind each transformer's LV side."""

    model: PowerModel
    customers: dict[str, tuple[str, ...]]


def _lv_buses(model: PowerModel) -> set[str]:
    lv = {c for c, n in model.nodes.items() if n.vn_kv < 1}
    lv |= {c + ":b" for c in model.switches if c in lv}
    return lv | {t.code + LV_SIDE for t in model.transformers}


def medium_voltage(model: PowerModel) -> MediumVoltage:
    """``model`` reduced to 22 kV with the load of each 0.4 kV network at its transformer."""
    G = bus_graph(model, switch_states(model)).subgraph(_lv_buses(model))
    loads = {ld.code: ld for ld in model.loads}
    behind: dict[str, list] = defaultdict(list)
    for t in model.transformers:
        side = t.code + LV_SIDE
        if side in G:
            behind[side] = [loads[b] for b in nx.node_connected_component(G, side) if b in loads]
    mv = {c for c, n in model.nodes.items() if n.vn_kv >= 1}
    reduced = PowerModel(
        {c: n for c, n in model.nodes.items() if c in mv},
        [ln for ln in model.lines if ln.vn_kv >= 1 and ln.start in mv and ln.end in mv],
        list(model.transformers),
        {c: s for c, s in model.switches.items() if c in mv},
        [PowerLoad(side, sum(x.p_kw for x in found), sum(x.q_kvar for x in found),
                   sum(x.households for x in found)) for side, found in behind.items() if found],
        list(model.sources),
        model.source_vm_pu,
    )
    return MediumVoltage(reduced, {s: tuple(sorted(x.code for x in f)) for s, f in behind.items()})
