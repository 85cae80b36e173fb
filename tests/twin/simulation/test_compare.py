"""Two runs side by side: junction pressure differences, the largest first."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy.orm import Session

from twin.simulation.algorithms.compare import pressure_differences
from twin.simulation.algorithms.hydraulics import HydraulicResult
from twin.simulation.store import save_run


def test_differences_come_largest_first_with_junctions_of_one_run_apart():
    found = pressure_differences({"A": 30.0, "B": 20.0, "C": 12.0, "OLD": 5.0},
                                 {"A": 31.0, "B": 14.0, "C": 12.0, "NEW": 40.0}, limit=2)
    assert [(r["code"], r["difference_m"]) for r in found.rows] == [("B", -6.0), ("A", 1.0)]
    assert found.compared == 3 and found.largest_m == 6.0
    assert found.mean_abs_m == pytest.approx(7 / 3, abs=1e-3)
    assert found.only_in_a == ["OLD"] and found.only_in_b == ["NEW"]


def test_identical_runs_differ_nowhere():
    found = pressure_differences({"A": 30.0}, {"A": 30.0})
    assert found.largest_m == 0 and found.rows[0]["difference_m"] == 0


def _run(engine, pressures: dict[str, tuple[float, float]]) -> int:
    """A stored run of two reported times (0 and 7 h) with these junction pressures."""
    nodes = {code: np.array(p) for code, p in pressures.items()}
    result = HydraulicResult(
        [0, 7 * 3600],
        {"pressure_m": nodes, "head_m": nodes, "demand_lps": {c: np.zeros(2) for c in nodes}},
        {"flow_lps": {"P1": np.array([1.0, 2.0])}, "velocity_ms": {"P1": np.zeros(2)}},
    )
    run = {"scenario": "normal", "duration_s": 7 * 3600, "step_s": 3600, "data_version": None,
           "inputs": {}, "summary": {}, "created_by": "tester"}
    with Session(engine) as session, session.begin():
        return save_run(session, run, result)


@pytest.mark.db
def test_the_cli_lists_the_largest_differences_at_the_peak_hour(water_engine, twin):
    a = _run(water_engine, {"J1": (30.0, 28.0), "J2": (30.0, 25.0), "J3:out": (1.0, 1.0)})
    b = _run(water_engine, {"J1": (30.0, 27.0), "J2": (30.0, 12.0), "J3:out": (1.0, 9.0)})
    result = twin("simulate", "compare", a, b, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["at_s"] == 7 * 3600 and found["compared"] == 2
    assert [(r["code"], r["difference_m"]) for r in found["rows"]] == [("J2", -13.0), ("J1", -1.0)]
    text = twin("simulate", "compare", a, b, "--at", "0").stdout
    assert "largest difference 0.00 m" in text
    missing = twin("simulate", "compare", a, 999999)
    assert missing.exit_code != 0 and "no water run 999999" in missing.output
