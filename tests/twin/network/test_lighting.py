import pytest

from twin.errors import NotFound
from twin.network.lighting import lighting_outage

from .factories import lighting_two_circuits


def test_circuit_failure_darkens_its_lights_only():
    report = lighting_outage(lighting_two_circuits(), circuits=["C1"])
    assert report.dark_lights == ["L1", "L2"]
    assert report.dark_segments == ["E1", "E2", "S1", "S2"]
    assert report.dark_length_m == 60.0 and report.cabinets == ["LC"]


def test_cabinet_and_segment_failures():
    G = lighting_two_circuits()
    assert lighting_outage(G, "LC").dark_lights == ["L1", "L2", "L3"]
    report = lighting_outage(G, "E2")
    assert report.dark_lights == ["L2"] and report.dark_segments == ["E2", "S2"]
    assert lighting_outage(G).dark_lights == []
    with pytest.raises(NotFound):
        lighting_outage(G, "nope")
