"""A power network as plain records, ready to become a pandapower net.

Names are the twin's asset codes.  A switching device is one point in the
twin and two buses in the load flow (its two sides, joined while it is
closed); a distribution transformer is one point with a medium-voltage and
a low-voltage side.  Voltages in kV, lengths in m, powers in kW and kvar.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Conductor",
    "PowerLine",
    "PowerLoad",
    "PowerModel",
    "PowerNode",
    "PowerSwitch",
    "PowerTransformer",
]


@dataclass(frozen=True)
class Conductor:
    """Per-km impedance and the thermal rating of a conductor type."""

    name: str
    r_ohm_per_km: float
    x_ohm_per_km: float
    c_nf_per_km: float
    max_i_ka: float


@dataclass(frozen=True)
class PowerNode:
    """A point of the network: ``kind`` is the layer's node kind (substation, pole...)."""

    code: str
    kind: str
    vn_kv: float
    xy: tuple[float, float] | None = None


@dataclass(frozen=True)
class PowerLine:
    """A line from node ``start`` to node ``end``; ``feeder`` as recorded on it."""

    code: str
    start: str
    end: str
    length_m: float
    vn_kv: float
    conductor: Conductor
    feeder: str | None = None
    in_service: bool = True


@dataclass(frozen=True)
class PowerTransformer:
    """A distribution transformer at node ``code`` (its MV side; ``code:lv`` the LV side)."""

    code: str
    sn_kva: float
    vn_hv_kv: float
    vn_lv_kv: float
    vk_percent: float
    vkr_percent: float
    pfe_kw: float
    i0_percent: float


@dataclass(frozen=True)
class PowerSwitch:
    """A switching or protective device at node ``code`` and its present state.

    ``side_b`` are the lines on its second side (the first side keeps the rest).
    """

    code: str
    kind: str
    closed: bool
    side_b: tuple[str, ...]
    operable: bool = True
    feeder: str | None = None


@dataclass(frozen=True)
class PowerLoad:
    """The demand of a customer at its node."""

    code: str
    p_kw: float
    q_kvar: float
    households: int = 0


@dataclass
class PowerModel:
    """Everything a load flow needs; ``sources`` are node codes held at ``source_vm_pu``."""

    nodes: dict[str, PowerNode] = field(default_factory=dict)
    lines: list[PowerLine] = field(default_factory=list)
    transformers: list[PowerTransformer] = field(default_factory=list)
    switches: dict[str, PowerSwitch] = field(default_factory=dict)
    loads: list[PowerLoad] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    source_vm_pu: float = 1.0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "nodes": len(self.nodes),
            "lines": len(self.lines),
            "transformers": len(self.transformers),
            "switches": len(self.switches),
            "loads": len(self.loads),
            "sources": len(self.sources),
        }
