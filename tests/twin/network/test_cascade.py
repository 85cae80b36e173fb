import json

import pytest

from twin.errors import InvalidInput
from twin.network.cascade import cascade, cascade_stages

from .factories import lighting_two_circuits, make_graph, telecom_ring, two_feeders


def water_with_pump():
    return make_graph(
        "water",
        {
            "TP": "treatment_plant",
            "J1": "junction",
            "PS": "pump_station",
            "J2": "junction",
            "S": {"kind": "service_connection", "households": 10},
            "T": "tank",
            "J3": "junction",
        },
        [
            ("P1", "TP", "J1"),
            ("P2", "J1", "PS"),
            ("P3", "PS", "J2"),
            ("C1", "J2", "S"),
            ("P4", "T", "J3"),
            ("P5", "J3", "J1"),
        ],
    )


def sewer_with_pump():
    return make_graph(
        "drainage",
        {"M1": "manhole", "M2": "manhole", "PSD": "pump_station", "O": "outfall"},
        [("C1", "M1", "M2"), ("C2", "M2", "PSD"), ("F1", "PSD", "O", {"kind": "force_main"})],
    )


def graphs():
    return {
        "power": two_feeders(),
        "water": water_with_pump(),
        "telecom": telecom_ring(),
        "lighting": lighting_two_circuits(),
        "drainage": sewer_with_pump(),
    }


DEPENDENCIES = {"PS": "C3", "TP": "C1", "K3": "C1", "LC": "C3", "PSD": "C3"}


def test_power_outage_stops_pumps_and_cabinets():
    report = cascade(graphs(), DEPENDENCIES, power_failed=["L5"])
    stages = {s.utility: s for s in report.stages}
    assert [s.utility for s in report.stages] == ["power", "water", "drainage", "lighting"]
    assert {"B3", "T3", "C3"} <= set(stages["power"].lost_nodes)
    assert stages["water"].stopped == ["PS"]
    assert stages["water"].lost_nodes == ["J2", "PS", "S"]
    assert stages["water"].customers.households == 10
    assert stages["lighting"].lost_nodes == ["L1", "L2", "L3", "LC", "P1", "P2", "P3"]
    assert stages["drainage"].lost_nodes == ["M1", "M2", "PSD"]
    json.dumps(report.to_dict())


def test_dark_set_from_a_staged_power_report():
    report = cascade(graphs(), DEPENDENCIES, power_dark={"C1"})
    stages = {s.utility: s for s in report.stages}
    # The tank keeps J1 and J3 in water when the treatment plant stops.
    assert stages["water"].stopped == ["TP"] and stages["water"].lost_nodes == ["TP"]
    assert stages["telecom"].lost_nodes == ["A3", "K3", "U1"]


def test_dependency_on_an_unknown_asset():
    with pytest.raises(InvalidInput):
        cascade(graphs(), {"NOPE": "C3"}, power_failed=["L5"])


def test_stages_of_one_fault_answer_as_one_cascade_each():
    G = graphs()
    stages = {"wide": ["B1", "C1", "B3", "T3", "C3"], "same pumps": ["B3", "C3"], "none": []}
    staged = cascade_stages(G, DEPENDENCIES, power_failed=["L5"], stages=stages)
    assert list(staged) == list(stages)
    for name, dark in stages.items():
        alone = cascade(G, DEPENDENCIES, power_failed=["L5"], power_dark=dark)
        assert staged[name].to_dict() == alone.to_dict(), name
    assert [s.utility for s in staged["none"].stages] == ["power"]
