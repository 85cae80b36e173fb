"""Simulation of the twin's networks: what happens, not only what is connected.

Drainage is built from the drainage layer as a SWMM 5 model and run under a
design storm of TCVN 7957:2023's rainfall formula (EPA SWMM through
``swmm-toolkit``).

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
from .algorithms.drainage_engine import DrainageResult, run_swmm, run_swmm_file
from .algorithms.drainage_inp import swmm_input
from .algorithms.drainage_records import DrainageModel, DrainageSettings
from .algorithms.drainage_storm import IdfParameters, Storm, design_storm, intensity_mm_h
from .algorithms.features import water_model
from .algorithms.hydraulics import HydraulicResult, run_epanet, run_network
from .algorithms.records import WaterModel
from .compare import compare_runs
from .drainage_service import (
    design_gage,
    drainage_nodes_geojson,
    drainage_snapshot,
    load_drainage_model,
    simulate_drainage,
)
from .drainage_standards import drainage_standards, idf_parameters
from .drainage_store import drainage_run_row, drainage_runs
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
    "DrainageModel",
    "DrainageResult",
    "DrainageSettings",
    "IdfParameters",
    "Storm",
    "design_gage",
    "design_storm",
    "drainage_nodes_geojson",
    "drainage_run_row",
    "drainage_snapshot",
    "drainage_runs",
    "drainage_standards",
    "idf_parameters",
    "intensity_mm_h",
    "load_drainage_model",
    "run_swmm",
    "run_swmm_file",
    "simulate_drainage",
    "swmm_input",
    "HydraulicResult",
    "RunSettings",
    "Standards",
    "WaterModel",
    "build_network",
    "closed_by",
    "compare_runs",
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
