"""Fire flow per hydrant on a network built inline, checked against direct EPANET runs."""

from __future__ import annotations

import dataclasses

import pytest

from twin.simulation.algorithms.fire_flow import fire_flows
from twin.simulation.algorithms.hydraulics import run_epanet
from twin.simulation.algorithms.records import Demand, Junction, Pipe, Reservoir, WaterModel


def _town() -> WaterModel:
    """R (head 40 m) feeding a 150 mm main to H1 and a long 100 mm branch to H2."""
    return WaterModel(
        junctions=[
            Junction("J1", 5.0, (Demand(0.002),)),
            Junction("H1", 6.0),
            Junction("H2", 8.0),
        ],
        reservoirs=[Reservoir("R", 40.0)],
        pipes=[
            Pipe("P1", "R", "J1", 200, 0.15, 120),
            Pipe("P2", "J1", "H1", 100, 0.15, 120),
            Pipe("P3", "J1", "H2", 900, 0.1, 100),
        ],
    )


def test_each_hydrant_gives_what_holds_it_at_the_residual_pressure():
    flows = {f.code: f for f in fire_flows(_town(), ["H1", "H2"], residual_m=10.0,
                                           required_lps=15.0)}
    assert flows["H1"].meets and not flows["H2"].meets
    for code, f in flows.items():
        # Drawing exactly that flow at the hydrant leaves it at 10 m: EPANET agrees.
        model = _town()
        model.junctions = [
            dataclasses.replace(j, demands=(*j.demands, Demand(f.available_lps / 1000)))
            if j.code == code else j
            for j in model.junctions
        ]
        pressure = run_epanet(model).node_values("pressure_m")[code]
        assert pressure == pytest.approx(10.0, abs=0.05)


def test_a_hydrant_without_the_residual_pressure_gives_nothing():
    model = _town()
    model.junctions[2] = dataclasses.replace(model.junctions[2], elevation_m=35.0)
    (h2,) = fire_flows(model, ["H2"], residual_m=10.0, required_lps=15.0)
    assert h2.available_lps == 0.0 and not h2.meets


def test_the_order_of_testing_does_not_change_the_flows():
    forward = fire_flows(_town(), ["H1", "H2"], residual_m=10.0, required_lps=15.0)
    backward = fire_flows(_town(), ["H2", "H1"], residual_m=10.0, required_lps=15.0)
    assert {f.code: f.available_lps for f in forward} == pytest.approx(
        {f.code: f.available_lps for f in backward}, abs=0.05
    )
