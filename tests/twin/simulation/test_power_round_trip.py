"""A feeder built by the twin gives what pandapower gives on the same net built by hand."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.twin.simulation.power_layer import add_power
from twin.simulation import load_power_model, power_snapshot, simulate_power
from twin.simulation.power_standards import power_standards

pytestmark = pytest.mark.db

LON, LAT = 106.2, 21.27
NODES = {
    "PWR-SUB-000001": ("power_substation", LON, LAT,
                       {"name": "E7.1", "primary_kv": 110.0, "secondary_kv": 22.0}),
    "PWR-SW-000001": ("power_switch", LON + 0.001, LAT,
                      {"device_type": "breaker", "normal_state": "closed"}),
    "PWR-POLE-000001": ("power_pole", LON + 0.02, LAT, {}),
    "PWR-TX-000001": ("power_transformer", LON + 0.02, LAT + 0.001,
                      {"rating_kva": 400.0, "voltage_kv": 22.0}),
    "PWR-CUST-000001": ("power_customer", LON + 0.021, LAT + 0.0015,
                        {"customer_category": "residential", "households": 120}),
    "PWR-CUST-000002": ("power_customer", LON + 0.019, LAT + 0.0017,
                        {"customer_category": "commercial", "households": 0}),
}
LINES = [
    ("PWR-LINE-000001", "PWR-SUB-000001", "PWR-SW-000001", 22.0, "ACSR-150"),
    ("PWR-LINE-000002", "PWR-SW-000001", "PWR-POLE-000001", 22.0, "AC-70"),
    ("PWR-LINE-000003", "PWR-POLE-000001", "PWR-TX-000001", 22.0, "AC-50"),
    ("PWR-LINE-000004", "PWR-TX-000001", "PWR-CUST-000001", 0.4, "ABC-4x95"),
    ("PWR-LINE-000005", "PWR-TX-000001", "PWR-CUST-000002", 0.4, "CV-95"),
]


def _by_hand(lengths_km: dict[str, float], std):
    """The same feeder made with pandapower's own calls, from the tables' values."""
    import pandapower as pp

    net = pp.create_empty_network(sn_mva=1.0)
    sub, sw_a, sw_b, pole, tx_hv, tx_lv, c1, c2 = (
        pp.create_bus(net, kv) for kv in (22, 22, 22, 22, 22, 0.4, 0.4, 0.4))
    pp.create_ext_grid(net, sub, vm_pu=std["source.vm_pu"])
    pp.create_switch(net, sw_a, sw_b, "b", closed=True)
    ends = [(sub, sw_a), (sw_b, pole), (pole, tx_hv), (tx_lv, c1), (tx_lv, c2)]
    for (code, _, _, _, conductor), (a, b) in zip(LINES, ends, strict=True):
        c = std.conductors[conductor]
        pp.create_line_from_parameters(net, a, b, lengths_km[code], c.r_ohm_per_km,
                                       c.x_ohm_per_km, c.c_nf_per_km, c.max_i_ka, name=code)
    t = std.transformer(400.0)
    pp.create_transformer_from_parameters(net, tx_hv, tx_lv, 0.4, 22.0, 0.4, t["vkr_percent"],
                                          t["vk_percent"], t["pfe_kw"], t["i0_percent"])
    for bus, p_kw, pf in ((c1, 120 * std["household_kw"], std["power_factor.residential"]),
                          (c2, std["connection_kw.commercial"], std["power_factor.commercial"])):
        q = p_kw * math.tan(math.acos(pf))
        pp.create_load(net, bus, p_kw / 1000, q / 1000)
    pp.runpp(net, numba=False)
    return net, {"PWR-CUST-000001": c1, "PWR-CUST-000002": c2, "PWR-POLE-000001": pole,
                 "PWR-TX-000001:lv": tx_lv}


def test_the_twins_feeder_equals_pandapowers_own_run(water_engine):
    with water_engine.begin() as conn:
        add_power(conn, NODES, LINES)
        lengths = dict(conn.execute(text(
            "SELECT code, ST_Length(geom::geography) / 1000 FROM assets.power_line")).all())
    done = simulate_power(water_engine, user="tester")
    [feeder] = done["feeders"]
    assert feeder["head"] == "PWR-SW-000001" and feeder["customers_supplied"] == 2
    with Session(water_engine) as session:
        stored = power_snapshot(session, done["run_id"])
        counts = load_power_model(session).counts
    assert counts["lines"] == 5 and counts["loads"] == 2
    net, buses = _by_hand(lengths, power_standards())
    for code, bus in buses.items():
        assert stored["buses"][code]["vm_pu"] == pytest.approx(net.res_bus.vm_pu[bus], abs=1e-6)
    for i, (code, *_) in enumerate(LINES):
        assert stored["lines"][code]["loading_percent"] == pytest.approx(
            net.res_line.loading_percent[i], abs=1e-4)
    assert stored["transformers"]["PWR-TX-000001"]["loading_percent"] == pytest.approx(
        net.res_trafo.loading_percent[0], abs=1e-4)
    losses = net.res_line.pl_mw.sum() + net.res_trafo.pl_mw.sum()
    assert feeder["losses_kw"] == pytest.approx(losses * 1000, abs=0.01)
    assert stored["run"]["created_by"] == "tester"


def test_an_unknown_feeder_is_named_in_the_error(water_engine):
    from twin.errors import NotFound

    with water_engine.begin() as conn:
        add_power(conn, NODES, LINES)
    with pytest.raises(NotFound, match="no feeder 'nowhere'"):
        simulate_power(water_engine, feeder="nowhere")
