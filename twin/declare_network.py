"""The vocabulary of network roles: what each node of a utility network does.

A utility layer declares its :class:`Network`: the node kinds its graph
knows and the role each plays (a source, a customer, a device whose state
stops the flow, a protective device and the faults it clears), the kind of
its edges, whether flow is directed and whether it must stay radial.  A
feature type names the node kind of its features, directly or through one
of its attributes (:class:`KindBy`).  The graph builder, the topology check
and the outage analyses read these roles; they keep no list of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["STATES", "FaultLevel", "KindBy", "Network", "NodeKind"]

#: Positions a device can be in; ``normal_state`` and ``extra["state"]`` take these.
STATES = ("open", "closed")


@dataclass(frozen=True)
class NodeKind:
    """One kind of network node and its role.

    ``source``: supplies the network (drainage: receives it).  ``terminal``:
    may end a line without being a dangling end.  ``customer``: a metered
    customer (counts as one unless the node says how many).  ``passes``: its
    own status (a broken lamp, a closed account) does not stop what flows
    past it.  ``stops_when``: the device position that stops the flow
    (``"closed"`` for a valve, ``"open"`` for a switching device); the
    position is ``state`` if known, else ``normal_state``.  ``clears``: the
    fault levels (see :class:`FaultLevel`) a protective device interrupts
    downstream of itself.
    """

    name: str
    source: bool = False
    terminal: bool = False
    customer: bool = False
    passes: bool = False
    stops_when: str | None = None
    clears: tuple[str, ...] = ()

    def __post_init__(self):
        if self.stops_when not in (None, *STATES):
            raise ValueError(f"node kind {self.name}: stops_when must be one of {STATES}")
        if self.clears and self.stops_when != "open":
            raise ValueError(f"node kind {self.name}: a protective device opens to clear")


@dataclass(frozen=True)
class FaultLevel:
    """A voltage band whose faults the same devices clear: up to ``below_kv`` (exclusive)."""

    name: str
    below_kv: float
    vi: str
    en: str


@dataclass(frozen=True)
class KindBy:
    """Node kind picked by an attribute, for a table holding several kinds.

    >>> KindBy("tank_kind", {"reservoir": "reservoir"}, "tank").kind({"tank_kind": None})
    'tank'
    """

    attribute: str
    kinds: Mapping[str, str]
    default: str

    def kind(self, props: Mapping) -> str:
        return self.kinds.get(props.get(self.attribute), self.default)

    @property
    def all(self) -> frozenset[str]:
        return frozenset(self.kinds.values()) | {self.default}


@dataclass(frozen=True)
class Network:
    """The utility network a layer forms.

    ``kinds`` are every node kind the graph accepts (also kinds that only
    imports produce, such as a bus of a pandapower model); ``levels`` are
    the fault levels of a power network, lowest first.
    """

    kinds: tuple[NodeKind, ...]
    edge_kind: str = "cable"
    directed: bool = False
    radial: bool = False
    levels: tuple[FaultLevel, ...] = ()
    by_name: Mapping[str, NodeKind] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {k.name: k for k in self.kinds})
        if len(self.by_name) != len(self.kinds):
            raise ValueError("a node kind is declared twice in one network")
        levels = {lv.name for lv in self.levels}
        for k in self.kinds:
            if set(k.clears) - levels:
                raise ValueError(f"node kind {k.name}: clears an undeclared fault level")

    def names(self, **role) -> frozenset[str]:
        """Names of the kinds whose attributes equal ``role`` (``source=True`` ...)."""
        return frozenset(
            k.name for k in self.kinds if all(getattr(k, a) == v for a, v in role.items())
        )

    def level_of(self, voltage_kv: float | None) -> FaultLevel | None:
        """The fault level of a voltage (kV); ``None`` if unknown or above every level."""
        if voltage_kv is None:
            return None
        return next((lv for lv in self.levels if voltage_kv < lv.below_kv), None)
