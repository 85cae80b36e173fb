import pytest

from twin.errors import NotFound
from twin.network.telecom import telecom_outage

from .factories import telecom_ring


def test_ring_cable_cut_reroutes():
    report = telecom_outage(telecom_ring(), "F1")
    assert report.lost_nodes == [] and report.has_redundant_path
    assert report.rerouted_access_nodes == ["A1"]


def test_spur_cabinet_failure_cuts_a_village():
    report = telecom_outage(telecom_ring(), "K3")
    assert report.access_nodes == ["A3"] and report.villages == ["Bac"]
    assert report.customers.households == 2 and report.customers.customer_nodes == ["U1"]
    assert not report.has_redundant_path
    assert report.to_dict()["customers"]["households"] == 2


def test_both_ring_ends_fail():
    report = telecom_outage(telecom_ring(), ["F1", "F3"])
    assert report.villages == ["Bac", "Dong", "Tay"]
    with pytest.raises(NotFound):
        telecom_outage(telecom_ring(), "nope")
