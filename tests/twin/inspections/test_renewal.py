"""The renewal ranking uses what an inspection found in a pipe, and says so."""

import pytest
from shapely.geometry import LineString

from layers import feature_type
from tests.factories import sample_properties
from twin.edits import create_feature
from twin.inspections import Inspection, record_inspection
from twin.live.decisions import renewal_ranking

pytestmark = pytest.mark.db


def _pipe(session, code: str, dx: float) -> str:
    ft = feature_type("water_pipe")
    props = {**sample_properties(ft, code=code), "install_year": 2022, "condition": None}
    line = LineString([(106.3 + dx, 21.3), (106.301 + dx, 21.3005)])
    return create_feature(session, ft.table, props, line, user="editor").feature["id"]


def _rows(session, codes):
    ranked, _ = renewal_ranking(session, top=100000)
    return {r["code"]: (i, r) for i, r in enumerate(ranked) if r["code"] in codes}


def test_a_pipe_found_in_poor_condition_rises_in_the_renewal_ranking(session):
    codes = [_pipe(session, "WTR-PIPE-RNW-A", 0.0), _pipe(session, "WTR-PIPE-RNW-B", 0.01)]
    before = _rows(session, codes)
    assert {r["condition_from"] for _, r in before.values()} == {"age"}
    assert before[codes[0]][1]["score"] == before[codes[1]][1]["score"]
    record_inspection(session, "water_pipe", codes[1], "pipe_condition",
                      Inspection({"corrosion": "moderate", "leak": "weeping"}, 1), user="crew")
    after = _rows(session, codes)
    worn = after[codes[1]][1]
    assert (worn["condition_from"], worn["condition"]) == ("inspection", 0.9)
    assert worn["inspected_on"] is not None
    assert after[codes[1]][0] < after[codes[0]][0]
    assert worn["score"] > before[codes[1]][1]["score"]
