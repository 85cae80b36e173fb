"""The roles of network nodes, read from the layer declarations.

Which node kinds each utility network knows, which are sources, customers,
valves, switching and protective devices, and which may end a line are
declared once with each layer (``Layer.network`` in ``layers/``); this
module only gathers them for the graph builder, the topology check and the
analyses.  A kind name means the same device in every network that shares
it (a ``valve`` stops water or sewage when closed, a ``customer`` counts as
one), so the roles that do not depend on the utility are looked up by kind.
"""

from __future__ import annotations

from collections.abc import Callable

from layers import LAYERS
from twin.declare import FaultLevel, Network, NodeKind

__all__ = [
    "CUSTOMER_KINDS",
    "NETWORKS",
    "NODE_KINDS",
    "PASS_THROUGH_KINDS",
    "PROTECTIVE_KINDS",
    "SOURCE_KINDS",
    "SWITCHING_KINDS",
    "TERMINAL_KINDS",
    "UTILITIES",
    "VALVE_KINDS",
    "clears",
    "fault_level",
]

#: Utility name -> its declared network.
NETWORKS: dict[str, Network] = {lyr.name: lyr.network for lyr in LAYERS if lyr.network}
UTILITIES: tuple[str, ...] = tuple(NETWORKS)

#: Node kinds each utility knows; a record of another kind is rejected.
NODE_KINDS = {u: frozenset(n.by_name) for u, n in NETWORKS.items()}
#: Node kinds that supply the rest of the network (drainage: that receive it).
SOURCE_KINDS = {u: n.names(source=True) for u, n in NETWORKS.items()}
#: Node kinds that may end a line; a dead end of another kind is reported.
TERMINAL_KINDS = {u: n.names(terminal=True) for u, n in NETWORKS.items()}

_SHARED_ROLES = ("customer", "passes", "stops_when", "clears")


def _kinds() -> dict[str, NodeKind]:
    """Every declared kind by name; a name shared by two networks must play
    the same utility-independent role in both."""
    found: dict[str, NodeKind] = {}
    for utility, network in NETWORKS.items():
        for kind in network.kinds:
            seen = found.setdefault(kind.name, kind)
            differ = [r for r in _SHARED_ROLES if getattr(seen, r) != getattr(kind, r)]
            if differ:
                raise ValueError(
                    f"node kind {kind.name!r} of {utility} differs from another network in "
                    f"{', '.join(differ)}"
                )
    return found


_BY_NAME = _kinds()


def _where(test: Callable[[NodeKind], bool]) -> frozenset[str]:
    return frozenset(name for name, kind in _BY_NAME.items() if test(kind))


CUSTOMER_KINDS = _where(lambda k: k.customer)
VALVE_KINDS = _where(lambda k: k.stops_when == "closed")
SWITCHING_KINDS = _where(lambda k: k.stops_when == "open")
PROTECTIVE_KINDS = _where(lambda k: bool(k.clears))
#: Node kinds whose own status does not stop what the line carries past
#: them: a broken lamp, a closed customer account or a disused hydrant leave
#: the cable or the main through them working.
PASS_THROUGH_KINDS = _where(lambda k: k.passes)


def clears(kind: str | None) -> tuple[str, ...]:
    """Fault levels a protective device of ``kind`` clears (empty: not protective).

    >>> clears("fuse")
    ('lv', 'mv')
    >>> clears("switch")
    ()
    """
    found = _BY_NAME.get(kind) if kind else None
    return found.clears if found else ()


def fault_level(utility: str, voltage_kv: float | None) -> FaultLevel | None:
    """The declared fault level of ``voltage_kv`` in ``utility`` (``None``: unknown).

    >>> fault_level("power", 0.4).name
    'lv'
    >>> fault_level("power", 22.0).en
    'medium voltage'
    """
    network = NETWORKS.get(utility)
    return network.level_of(voltage_kv) if network else None
