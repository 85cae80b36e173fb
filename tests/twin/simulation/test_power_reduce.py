"""The 22 kV model of a power network: each transformer carries the customers behind it."""

from __future__ import annotations

import pytest

from twin.simulation.algorithms import power_records as r
from twin.simulation.algorithms.power_reduce import medium_voltage
from twin.simulation.power_standards import power_standards


def _model(fuse_closed: bool) -> r.PowerModel:
    std = power_standards()
    mv, lv = std.conductor("ACSR-150", 22), std.conductor("ABC-4x95", 0.4)
    nodes = {c: r.PowerNode(c, k, kv) for c, k, kv in (
        ("S", "substation", 22), ("P", "pole", 22), ("T", "transformer", 22),
        ("F", "switch", 0.4), ("C1", "customer", 0.4), ("C2", "customer", 0.4))}
    return r.PowerModel(
        nodes,
        [r.PowerLine("L1", "S", "P", 500, 22, mv), r.PowerLine("L2", "P", "T", 20, 22, mv),
         r.PowerLine("L3", "T", "C1", 40, 0.4, lv), r.PowerLine("L4", "T", "F", 5, 0.4, lv),
         r.PowerLine("L5", "F", "C2", 30, 0.4, lv)],
        [r.PowerTransformer("T", 250, 22, 0.4, 4, 1.65, 0.48, 1.6)],
        {"F": r.PowerSwitch("F", "fuse", fuse_closed, ("L5",))},
        [r.PowerLoad("C1", 12.0, 5.8, 10), r.PowerLoad("C2", 6.0, 2.9, 5)],
        ["S"],
    )


def test_the_customers_behind_a_transformer_become_one_load_at_its_low_voltage_side():
    reduced = medium_voltage(_model(True))
    assert set(reduced.model.nodes) == {"S", "P", "T"}
    assert [ln.code for ln in reduced.model.lines] == ["L1", "L2"]
    [load] = reduced.model.loads
    assert load.code == "T:lv" and load.households == 15
    assert load.p_kw == pytest.approx(18.0) and load.q_kvar == pytest.approx(8.7)
    assert reduced.customers == {"T:lv": ("C1", "C2")}


def test_a_customer_behind_an_open_fuse_is_not_carried():
    reduced = medium_voltage(_model(False))
    assert reduced.customers == {"T:lv": ("C1",)}
    assert reduced.model.loads[0].p_kw == pytest.approx(12.0)
