"""The open-project outage solver gives the groups a full pressure-driven run gives."""

from __future__ import annotations

import dataclasses

import pytest

from twin.simulation.algorithms.outage_solver import OutageSolver
from twin.simulation.algorithms.pressure import pressure_groups
from twin.simulation.algorithms.records import Demand, Junction, Pipe, Reservoir, Valve, WaterModel

LPS = 0.001


def _town() -> WaterModel:
    """R (50 m) - P1 - J1; J1 - P2 - J2 - P3 - J3 and a loop J1 - P4 - J3; a PRV
    (V, set to 25 m) from J3 to J4 at 5 m, and J5 high up behind J2."""
    junctions = [
        Junction("J1", 10.0, (Demand(LPS),)),
        Junction("J2", 12.0, (Demand(LPS),)),
        Junction("J3", 14.0, (Demand(2 * LPS),)),
        Junction("J4", 5.0, (Demand(LPS),)),
        Junction("J5", 42.0, (Demand(LPS),)),
    ]
    pipes = [
        Pipe("P1", "R", "J1", 100, 0.2, 130),
        Pipe("P2", "J1", "J2", 300, 0.15, 130),
        Pipe("P3", "J2", "J3", 300, 0.15, 130),
        Pipe("P4", "J1", "J3", 800, 0.1, 130),
        Pipe("P5", "J2", "J5", 200, 0.1, 130),
    ]
    valves = [Valve("V", "J3", "J4", "PRV", 0.1, setting=20.0)]
    return WaterModel(junctions=junctions, reservoirs=[Reservoir("R", 50.0)], pipes=pipes,
                      valves=valves)


def _groups(model, closed):
    g = pressure_groups(model, closed, at_s=0, service_minimum_m=10.0, cut_off_share=0.05)
    return g.cut_off, g.low, g.fine


@pytest.fixture
def solver():
    s = OutageSolver(_town(), at_s=0, service_minimum_m=10.0, cut_off_share=0.05)
    yield s
    s.close()


@pytest.mark.parametrize("closed", [[], ["P2"], ["P1"], ["J2"], ["V"], ["P3", "P4"], ["J3"]])
def test_groups_match_a_full_run(solver, closed):
    g = solver.groups(closed)
    assert (g.cut_off, g.low, g.fine) == _groups(_town(), closed)


def test_closures_are_undone_between_outages(solver):
    normal = solver.groups([])
    assert normal.fine and normal.low == ["J5"]
    assert solver.groups(["P1"]).cut_off == ["J1", "J2", "J3", "J4", "J5"]
    assert solver.groups(["V"]).cut_off == ["J4"]
    again = solver.groups([])
    assert (again.cut_off, again.low, again.fine) == (normal.cut_off, normal.low, normal.fine)


def test_a_valve_closed_in_the_model_stays_closed(solver):
    shut = _town()
    shut = dataclasses.replace(shut, valves=[dataclasses.replace(shut.valves[0], status="closed")])
    s = OutageSolver(shut, at_s=0, service_minimum_m=10.0, cut_off_share=0.05)
    try:
        assert s.groups(["V"]).cut_off == ["J4"]
        assert s.groups([]).cut_off == ["J4"]
    finally:
        s.close()


def test_a_junction_no_link_reaches_is_cut_off_and_left_out_of_the_project():
    town = _town()
    lone = Junction("J6", 10.0, (Demand(LPS),))
    s = OutageSolver(dataclasses.replace(town, junctions=[*town.junctions, lone]), at_s=0,
                     service_minimum_m=10.0, cut_off_share=0.05)
    try:
        assert s.groups([]).cut_off == ["J6"]
        assert s.groups(["P2"]).cut_off == ["J6"]
    finally:
        s.close()
