"""Pressure groups after closures, on a network built inline (no database)."""

from __future__ import annotations

from twin.simulation.algorithms.pressure import close_assets, pressure_groups
from twin.simulation.algorithms.records import Demand, Junction, Pipe, Reservoir, WaterModel

LPS = 0.001


def _line(elevations=(10.0, 12.0, 44.0)) -> WaterModel:
    """R (head 50 m) - P1 - J1 - P2 - J2 - P3 - J3, 1 L/s at each junction; a loop
    J1 - P4 - J3 gives J3 a second way in."""
    junctions = [Junction(f"J{i + 1}", z, (Demand(LPS),)) for i, z in enumerate(elevations)]
    pipes = [
        Pipe("P1", "R", "J1", 100, 0.2, 130),
        Pipe("P2", "J1", "J2", 100, 0.15, 130),
        Pipe("P3", "J2", "J3", 100, 0.15, 130),
        Pipe("P4", "J1", "J3", 400, 0.1, 130),
    ]
    return WaterModel(junctions=junctions, reservoirs=[Reservoir("R", 50.0)], pipes=pipes)


def _groups(model, closed):
    return pressure_groups(model, closed, at_s=0, service_minimum_m=10.0, cut_off_share=0.05)


def test_open_network_sorts_customers_by_pressure():
    g = _groups(_line(), [])
    assert (g.cut_off, g.low, g.fine) == ([], ["J3"], ["J1", "J2"])


def test_closing_a_valve_node_closes_every_pipe_meeting_it():
    shut = close_assets(_line(), ["J1"])
    assert [p.code for p in shut.pipes if p.closed] == ["P1", "P2", "P4"]
    g = _groups(_line(), ["P1"])
    assert g.cut_off == ["J1", "J2", "J3"] and not g.low and not g.fine


def test_a_closed_pipe_leaves_the_far_end_fed_the_long_way():
    g = _groups(_line(elevations=(10.0, 12.0, 14.0)), ["P2"])
    assert g.cut_off == []
    assert "J2" in g.fine + g.low and "J3" in g.fine


def test_a_customer_too_high_to_get_water_is_cut_off():
    g = _groups(_line(elevations=(10.0, 12.0, 60.0)), [])
    assert g.cut_off == ["J3"]
    assert g.fine == ["J1", "J2"]
