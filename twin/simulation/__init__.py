"""Simulation of the twin's networks: what happens, not only what is connected.

The water network is built from the water layer as an EPANET model and run
with EPANET 2.2 through WNTR; runs are stored with their inputs and
per-feature results.  Outage analysis asks it which customers keep enough
pressure after an isolation; fire flow asks what each hydrant can give.
The power network is solved with pandapower feeder by feeder; outage
analysis asks it whether a restoration through a tie switch can be carried.
This module is the area's public face: the CLI and ``webmap`` use only
what it exports.
"""

from .algorithms.build import RunSettings, build_network
from .algorithms.features import water_model
from .algorithms.hydraulics import HydraulicResult, run_epanet, run_network
from .algorithms.records import WaterModel
from .fire import fire_flow_geojson, hydrant_fire_flows
from .outage import closed_by, outage_pressure, peak_hour_s
from .power_outage import restoration_brief, restoration_check
from .power_report import feeder_lines, restoration_lines
from .power_service import load_power_model, power_limits, power_snapshot, simulate_power
from .power_store import power_run_row, power_runs
from .service import SCENARIOS, load_water_model, simulate_water, water_snapshot
from .standards import Standards, standards
from .store import results_at as water_results
from .store import run_row, runs

__all__ = [
    "SCENARIOS",
    "HydraulicResult",
    "RunSettings",
    "Standards",
    "WaterModel",
    "build_network",
    "closed_by",
    "feeder_lines",
    "fire_flow_geojson",
    "hydrant_fire_flows",
    "load_power_model",
    "load_water_model",
    "outage_pressure",
    "peak_hour_s",
    "power_limits",
    "power_run_row",
    "power_runs",
    "power_snapshot",
    "restoration_brief",
    "restoration_check",
    "restoration_lines",
    "run_epanet",
    "run_network",
    "run_row",
    "runs",
    "simulate_power",
    "simulate_water",
    "standards",
    "water_model",
    "water_results",
    "water_snapshot",
]
