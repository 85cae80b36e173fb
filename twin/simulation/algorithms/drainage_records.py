"""A drainage network as plain records, in SI units, ready to become a SWMM model.

The twin's drainage features (or a SWMM file read back from the twin) are
turned into these records once (:mod:`~twin.simulation.algorithms.
drainage_features`); :func:`~twin.simulation.algorithms.drainage_inp.
swmm_input` writes the SWMM input from them.  Names are the twin's asset
codes; elevations, depths and lengths in m, sizes in m, areas in m²,
flows in m³/s, rain in mm/h, times in s unless named otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Conduit",
    "DrainageModel",
    "DrainageSettings",
    "Gage",
    "Horton",
    "Node",
    "Pump",
    "Subcatchment",
]


@dataclass(frozen=True)
class Node:
    """A manhole or inlet (``junction``), a wet well (``storage``) or an ``outfall``.

    ``max_depth_m`` is rim less invert: water above the rim floods.
    """

    code: str
    invert_m: float
    max_depth_m: float = 0.0
    kind: str = "junction"
    xy: tuple[float, float] | None = None
    surcharge_m: float = 0.0
    area_m2: float = 0.0


@dataclass(frozen=True)
class Conduit:
    """A pipe or channel; ``shape`` is SWMM's name, ``geom1_m`` its height or diameter.

    Offsets are heights of the conduit's ends above the invert of the node
    they join.  ``max_flow_m3s`` limits the flow (a blocked conduit).
    """

    code: str
    start: str
    end: str
    length_m: float
    roughness_n: float
    shape: str = "CIRCULAR"
    geom1_m: float = 0.6
    geom2_m: float = 0.0
    in_offset_m: float = 0.0
    out_offset_m: float = 0.0
    barrels: int = 1
    max_flow_m3s: float = 0.0


@dataclass(frozen=True)
class Pump:
    """A pump from a wet well to the next node, up to ``capacity_m3s``."""

    code: str
    start: str
    end: str
    capacity_m3s: float


@dataclass(frozen=True)
class Horton:
    """Horton infiltration: rates in mm/h, decay in 1/h, drying in days, cap in mm."""

    max_mm_h: float
    min_mm_h: float
    decay_per_h: float
    dry_days: float
    max_mm: float = 0.0


@dataclass(frozen=True)
class Subcatchment:
    """A drained area whose runoff enters ``outlet``.

    ``width_m`` is SWMM's overland flow width; ``zero_storage_pct`` the
    share of the paved area without depression storage.
    """

    code: str
    outlet: str
    area_m2: float
    impervious_pct: float
    width_m: float
    slope_pct: float
    horton: Horton
    gage: str = "storm"
    n_impervious: float = 0.013
    n_pervious: float = 0.15
    storage_impervious_mm: float = 2.0
    storage_pervious_mm: float = 5.0
    zero_storage_pct: float = 25.0


@dataclass(frozen=True)
class Gage:
    """A rain gage: intensities (mm/h) at hours from the start, each lasting ``interval_min``."""

    name: str
    interval_min: float
    series: tuple[tuple[float, float], ...]
    snow_catch: float = 1.0


@dataclass(frozen=True)
class DrainageSettings:
    """How SWMM runs: routing, steps (s) and how long (s)."""

    duration_s: int = 6 * 3600
    routing: str = "DYNWAVE"
    routing_step_s: float = 5.0
    report_step_s: int = 300
    wet_step_s: int = 60
    dry_step_s: int = 3600
    start: str = "01/01/2026 00:00:00"
    allow_ponding: bool = False
    min_slope_pct: float = 0.0
    extra_options: tuple[tuple[str, str], ...] = (
        # A time step that follows the Courant condition up to ``routing_step_s``, and
        # conduits shorter than one step's travel lengthened (SWMM's own remedies).
        ("VARIABLE_STEP", "0.75"), ("LENGTHENING_STEP", "5"))


@dataclass
class DrainageModel:
    """The records of one drainage network."""

    nodes: list[Node] = field(default_factory=list)
    conduits: list[Conduit] = field(default_factory=list)
    pumps: list[Pump] = field(default_factory=list)
    subcatchments: list[Subcatchment] = field(default_factory=list)
    gages: list[Gage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        kinds = [n.kind for n in self.nodes]
        return {
            "junctions": kinds.count("junction"),
            "storages": kinds.count("storage"),
            "outfalls": kinds.count("outfall"),
            "conduits": len(self.conduits),
            "pumps": len(self.pumps),
            "subcatchments": len(self.subcatchments),
        }
