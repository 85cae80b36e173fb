"""Lamps with repeated faults: lamp checks that found a lamp out or dim count with the alarms."""

import pytest
from shapely.geometry import Point

from layers import feature_type
from tests.factories import sample_properties
from twin.edits import create_feature
from twin.inspections import Inspection, record_inspection
from twin.live.decisions import faulty_circuits

pytestmark = pytest.mark.db


def _lamp(session, code: str, circuit: str, dx: float) -> str:
    ft = feature_type("lighting_light")
    props = {**sample_properties(ft, code=code), "circuit": circuit, "cabinet": "CAB-CHECK"}
    return create_feature(session, ft.table, props, Point(106.42 + dx, 21.42),
                          user="editor").feature["id"]


def _check(session, code: str, found: str) -> None:
    record_inspection(session, "lighting_light", code, "lamp_check",
                      Inspection({"lamp": found}, 1), user="crew")


def _circuits(session) -> list[dict]:
    return [c for c in faulty_circuits(session, top=1000) if c["cabinet"] == "CAB-CHECK"]


def test_lamps_found_out_or_dim_rank_their_circuit_and_say_so(session):
    first = _lamp(session, "LGT-POLE-CHK-1", "CHK-A", 0.0)
    seconds = [_lamp(session, f"LGT-POLE-CHK-{n}", "CHK-B", n * 0.0001) for n in (2, 3, 4)]
    _check(session, first, "out")
    assert [(c["circuit"], c["faults"], c["faults_from"]) for c in _circuits(session)] == [
        ("CHK-A", 1, "inspections")]
    _check(session, seconds[0], "dim")
    _check(session, seconds[1], "out")
    _check(session, seconds[2], "working")
    ranked = _circuits(session)
    assert [(c["circuit"], c["inspected_faults"], c["lamps_faulted"], c["lamps"])
            for c in ranked] == [("CHK-B", 2, 2, 3), ("CHK-A", 1, 1, 1)]
    assert all(c["alarm_faults"] == 0 for c in ranked)
