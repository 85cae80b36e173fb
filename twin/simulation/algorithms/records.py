"""A water network as plain records, in SI units, ready to become an EPANET model.

The twin's features (or any other source) are turned into these records
once (:mod:`twin.simulation.algorithms.features`); :func:`~twin.simulation.
algorithms.build.build_network` makes the WNTR model from them.  Names are
the twin's asset codes; lengths and heads in m, diameters in m, flows in
m³/s, times in s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Demand",
    "Junction",
    "Pattern",
    "Pipe",
    "Pump",
    "Reservoir",
    "Tank",
    "Valve",
    "WaterModel",
]


@dataclass(frozen=True)
class Pattern:
    """Multipliers of a demand or head, one per ``step_s`` from the start of the run."""

    name: str
    multipliers: tuple[float, ...]
    step_s: int = 3600


@dataclass(frozen=True)
class Demand:
    """A base demand (m³/s) varying with a pattern (``None``: constant)."""

    base_m3s: float
    pattern: str | None = None


@dataclass(frozen=True)
class Junction:
    code: str
    elevation_m: float
    demands: tuple[Demand, ...] = ()
    emitter: float | None = None
    xy: tuple[float, float] | None = None


@dataclass(frozen=True)
class Reservoir:
    """A fixed-head source (a river intake, a treatment plant's outlet): head in m."""

    code: str
    head_m: float
    head_pattern: str | None = None
    xy: tuple[float, float] | None = None


@dataclass(frozen=True)
class Tank:
    """A storage tank: bottom elevation and levels above it in m."""

    code: str
    elevation_m: float
    init_level_m: float
    min_level_m: float
    max_level_m: float
    diameter_m: float
    min_volume_m3: float = 0.0
    volume_curve: tuple[tuple[float, float], ...] | None = None
    overflow: bool = False
    xy: tuple[float, float] | None = None


@dataclass(frozen=True)
class Pipe:
    """A pipe; ``roughness`` is Hazen–Williams C (or Darcy–Weisbach ε in mm)."""

    code: str
    start: str
    end: str
    length_m: float
    diameter_m: float
    roughness: float
    minor_loss: float = 0.0
    closed: bool = False
    check_valve: bool = False


@dataclass(frozen=True)
class Pump:
    """A pump: a head curve ``((flow m³/s, head m), ...)`` or a constant power (kW)."""

    code: str
    start: str
    end: str
    curve: tuple[tuple[float, float], ...] | None = None
    power_kw: float | None = None
    speed: float = 1.0
    speed_pattern: str | None = None
    closed: bool = False


@dataclass(frozen=True)
class Valve:
    """A control valve (EPANET PRV, PSV, PBV, FCV, TCV or GPV) with its setting."""

    code: str
    start: str
    end: str
    valve_type: str
    diameter_m: float
    setting: float = 0.0
    minor_loss: float = 0.0
    status: str = "active"
    curve: tuple[tuple[float, float], ...] | None = None


@dataclass
class WaterModel:
    """Everything a hydraulic run needs, and no database.

    ``controls`` are WNTR control dictionaries (``condition`` and
    ``then_actions`` in EPANET's words, SI units) naming assets by code;
    ``headloss`` is ``"H-W"`` or ``"D-W"``.
    """

    junctions: list[Junction] = field(default_factory=list)
    reservoirs: list[Reservoir] = field(default_factory=list)
    tanks: list[Tank] = field(default_factory=list)
    pipes: list[Pipe] = field(default_factory=list)
    pumps: list[Pump] = field(default_factory=list)
    valves: list[Valve] = field(default_factory=list)
    patterns: dict[str, Pattern] = field(default_factory=dict)
    controls: list[dict] = field(default_factory=list)
    headloss: str = "H-W"
    start_clocktime_s: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Elements per kind, for reports."""
        return {
            "junctions": len(self.junctions),
            "reservoirs": len(self.reservoirs),
            "tanks": len(self.tanks),
            "pipes": len(self.pipes),
            "pumps": len(self.pumps),
            "valves": len(self.valves),
        }
