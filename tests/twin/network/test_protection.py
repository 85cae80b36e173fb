"""Which protective device clears a power fault (twin.network.protection), on small graphs."""

from __future__ import annotations

import pytest

from twin.network.power import power_outage

from .factories import make_graph

MV, LV = {"voltage_kv": 22.0}, {"voltage_kv": 0.4}


def protected_feeder(*, lv_protection: bool = True):
    """S -CB- B1 -RC(recloser)- B2 - T, and on T's 0.4 kV side an LV breaker
    AT feeding two fuses: F1 (customers C1, C2) and F2 (customer C3).

    Without ``lv_protection`` the 0.4 kV lines run from T straight to the
    customers, as in an import that records no LV devices.
    """
    nodes = {
        "S": "substation",
        "CB": "breaker",
        "B1": "bus",
        "RC": "recloser",
        "B2": "bus",
        "T": {"kind": "transformer", "voltage_kv": 22.0},
        "C1": {"kind": "customer", "households": 3},
        "C2": {"kind": "customer", "households": 2},
        "C3": {"kind": "customer", "households": 4},
    }
    edges = [
        ("M1", "S", "CB", MV),
        ("M2", "CB", "B1", MV),
        ("M3", "B1", "RC", MV),
        ("M4", "RC", "B2", MV),
        ("M5", "B2", "T", MV),
    ]
    if lv_protection:
        nodes |= {
            "AT": {"kind": "lv_breaker", "name": "AT tổng TBA T"},
            "F1": {"kind": "fuse", "name": "CC lộ 1 TBA T"},
            "F2": {"kind": "fuse", "name": "CC lộ 2 TBA T"},
        }
        edges += [
            ("L0", "T", "AT", LV),
            ("L1", "AT", "F1", LV),
            ("L2", "AT", "F2", LV),
            ("S1", "F1", "C1", LV),
            ("S2", "F1", "C2", LV),
            ("S3", "F2", "C3", LV),
        ]
    else:
        edges += [("S1", "T", "C1", LV), ("S2", "T", "C2", LV), ("S3", "T", "C3", LV)]
    return make_graph("power", nodes, edges)


def test_a_fault_on_a_service_line_blows_only_its_circuits_fuse():
    report = power_outage(protected_feeder(), "S1")
    trip = report.trip
    assert (trip.code, trip.kind, trip.reason) == ("F1", "fuse", "clears_fault")
    assert (trip.level, trip.voltage_kv, trip.on) == ("lv", 0.4, "line")
    assert report.customers_at_trip.customer_nodes == ["C1", "C2"]
    assert report.customers_at_trip.households == 5
    assert trip.note == "fuse CC lộ 1 TBA T trips: the fault on the 0.4 kV line is behind it"
    assert report.to_dict()["trip"]["code"] == "F1"


def test_a_fault_between_the_lv_breaker_and_the_fuses_trips_the_lv_breaker():
    report = power_outage(protected_feeder(), "L1")
    assert (report.trip.code, report.trip.kind) == ("AT", "lv_breaker")
    assert report.customers_at_trip.customer_nodes == ["C1", "C2", "C3"]


def test_a_fault_at_a_fuse_is_cleared_by_the_device_above_it():
    report = power_outage(protected_feeder(), "F2")
    assert (report.trip.code, report.trip.on, report.trip.level) == ("AT", "node", "lv")
    assert report.trip.note.startswith("lv_breaker AT tổng TBA T trips: the fault at F2")


@pytest.mark.parametrize(("fault", "device"), [("M4", "RC"), ("M5", "RC"), ("M3", "CB")])
def test_medium_voltage_faults_pass_the_lv_devices_to_the_recloser_or_breaker(fault, device):
    report = power_outage(protected_feeder(), fault)
    assert (report.trip.code, report.trip.level, report.trip.reason) == (
        device,
        "mv",
        "clears_fault",
    )
    assert report.customers_at_trip.customer_nodes == ["C1", "C2", "C3"]


def test_without_lv_protection_the_nearest_mv_device_clears_and_says_why():
    report = power_outage(protected_feeder(lv_protection=False), "S3")
    trip = report.trip
    assert (trip.code, trip.reason, trip.level) == ("RC", "backup", "lv")
    assert "no device clearing low voltage faults is recorded upstream" in trip.note
    assert report.customers_at_trip.customer_nodes == ["C1", "C2", "C3"]


def test_a_network_without_any_protection_cuts_at_its_source():
    G = protected_feeder()
    for device in ("CB", "RC", "AT", "F1", "F2"):
        G.nodes[device]["kind"] = "switch"
    trip = power_outage(G, "S1").trip
    assert (trip.code, trip.kind, trip.reason) == ("S", "substation", "no_protection")


def test_an_unknown_voltage_trips_the_nearest_protective_device():
    G = protected_feeder()
    del G.edges["F1", "C1", "S1"]["voltage_kv"]
    trip = power_outage(G, "S1").trip
    assert (trip.code, trip.reason, trip.level, trip.voltage_kv) == (
        "F1",
        "clears_fault",
        None,
        None,
    )


def test_a_node_fault_takes_the_voltage_of_the_line_feeding_it():
    G = protected_feeder()
    del G.nodes["T"]["voltage_kv"]
    at_transformer = power_outage(G, "T").trip
    assert (at_transformer.code, at_transformer.level, at_transformer.voltage_kv) == (
        "RC",
        "mv",
        22.0,
    )
    at_customer = power_outage(G, "C3").trip
    assert (at_customer.code, at_customer.level, at_customer.reason) == (
        "F2",
        "lv",
        "clears_fault",
    )
