"""Hydraulic runs with the EPANET 2.2 engine (WNTR's ``EpanetSimulator``).

EPANET writes its input, report and binary output files; they go to a
temporary folder removed after the run, never to the working directory.
Results come back as plain per-time tables in SI units: pressure and head
in m, demand and flow in L/s, velocity in m/s.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from twin.errors import InvalidInput, Problem

from .build import RunSettings, build_network
from .records import WaterModel

__all__ = ["HydraulicResult", "run_epanet", "run_network"]


@dataclass
class HydraulicResult:
    """Per-time results: ``times_s`` and, per quantity, ``{name: array over times}``.

    ``nodes`` holds ``pressure_m``, ``head_m`` and ``demand_lps``; ``links``
    holds ``flow_lps`` and ``velocity_ms``.
    """

    times_s: list[int]
    nodes: dict[str, dict[str, np.ndarray]]
    links: dict[str, dict[str, np.ndarray]]

    def index_at(self, at_s: float) -> int:
        """The index of the last reported time at or before ``at_s``."""
        times = np.asarray(self.times_s)
        i = int(np.searchsorted(times, at_s, side="right")) - 1
        if i < 0:
            raise InvalidInput(
                f"no result at {at_s:g} s",
                [Problem("at", "in_run", f"the run starts at {times[0]} s")],
            )
        return i

    def node_values(self, quantity: str, at_s: float = 0) -> dict[str, float]:
        """``{node: value}`` of ``quantity`` at ``at_s``."""
        i = self.index_at(at_s)
        return {n: float(v[i]) for n, v in self.nodes[quantity].items()}

    def link_values(self, quantity: str, at_s: float = 0) -> dict[str, float]:
        """``{link: value}`` of ``quantity`` at ``at_s``."""
        i = self.index_at(at_s)
        return {n: float(v[i]) for n, v in self.links[quantity].items()}


def _columns(frame, scale: float = 1.0) -> dict[str, np.ndarray]:
    values = frame.to_numpy(dtype=float) * scale
    return {str(name): values[:, k] for k, name in enumerate(frame.columns)}


def run_network(wn) -> HydraulicResult:
    """Run the WNTR model ``wn`` with EPANET; :class:`InvalidInput` if EPANET refuses it."""
    import wntr

    with tempfile.TemporaryDirectory(prefix="twin-epanet-") as folder:
        try:
            results = wntr.sim.EpanetSimulator(wn).run_sim(
                file_prefix=str(Path(folder) / "run"), version=2.2
            )
        except Exception as exc:  # EPANET errors surface as several exception types
            raise InvalidInput(
                "EPANET could not run the water model",
                [Problem("model", "epanet_run", f"{type(exc).__name__}: {exc}")],
            ) from exc
    node, link = results.node, results.link
    return HydraulicResult(
        [int(t) for t in node["pressure"].index],
        {
            "pressure_m": _columns(node["pressure"]),
            "head_m": _columns(node["head"]),
            "demand_lps": _columns(node["demand"], 1000.0),
        },
        {
            "flow_lps": _columns(link["flowrate"], 1000.0),
            "velocity_ms": _columns(link["velocity"]),
        },
    )


def run_epanet(model: WaterModel, settings: RunSettings = RunSettings()) -> HydraulicResult:
    """Build ``model`` and run it with EPANET 2.2 as ``settings`` say."""
    return run_network(build_network(model, settings))
