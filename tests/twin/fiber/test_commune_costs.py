"""Charging a plan's build order to communes: on plain data, then from saved files."""

from __future__ import annotations

import doctest
import json
import os
from datetime import UTC, datetime

import pytest

import twin.fiber.commune_costs
from twin.fiber.commune_costs import commune_costs
from twin.fiber.service import gap_costs


def _village(code, commune, households, status="planned"):
    return {
        "code": code,
        "commune": commune,
        "covered_households": households,
        "status": status,
    }


def _summary(*extensions):
    return {
        "plan_id": "p1",
        "order": [{"villages": list(v), "cost_vnd": c} for v, c in extensions],
    }


VILLAGES = [
    _village("A1", "A", 60),
    _village("A2", "A", 40),
    _village("B1", "B", 100),
    _village("C1", "C", 80, "connected"),
    _village("C2", "C", 20, "connected"),
    _village("D1", "D", 30, "unreachable"),
    _village("N1", None, 10),
]


def test_every_vnd_of_the_build_order_is_charged_once():
    summary = _summary(
        (["A1"], 120e6), (["A2", "B1"], 70e6), (["N1"], 9e6), ([], 15e6), (["B1"], 0.0)
    )
    costs = commune_costs(summary, VILLAGES)
    assert costs.total_vnd == pytest.approx(214e6)
    assert sum(costs.cost_vnd.values()) + costs.unallocated_vnd == pytest.approx(costs.total_vnd)
    assert costs.unallocated_vnd == 15e6
    assert costs.cost_vnd[None] == 9e6  # villages without a commune keep their own line


def test_a_commune_whose_villages_are_all_connected_costs_nothing():
    costs = commune_costs(_summary((["A1", "A2"], 50e6)), VILLAGES)
    assert costs.cost_vnd["C"] == 0.0 and costs.unreachable["C"] == 0


def test_an_extension_across_communes_is_split_by_households():
    # A2 brings 40 households, B1 100: B pays 100/140 of the shared extension
    costs = commune_costs(_summary((["A2", "B1"], 140e6), (["A1"], 10e6)), VILLAGES)
    assert costs.cost_vnd["A"] == pytest.approx(40e6 + 10e6)
    assert costs.cost_vnd["B"] == pytest.approx(100e6)


def test_villages_bringing_no_households_share_equally():
    villages = [_village("E1", "E", 0), _village("F1", "F", 0), _village("F2", "F", 0)]
    costs = commune_costs(_summary((["E1", "F1", "F2"], 90e6)), villages)
    assert costs.cost_vnd == pytest.approx({"E": 30e6, "F": 60e6})


def test_unreachable_villages_are_counted_not_priced():
    costs = commune_costs(_summary(), VILLAGES, saved=datetime(2025, 1, 2, tzinfo=UTC))
    assert costs.unreachable["D"] == 1 and costs.cost_vnd["D"] == 0.0
    assert costs.plan_id == "p1" and costs.saved.year == 2025 and costs.total_vnd == 0.0


def test_the_docstring_example_runs():
    result = doctest.testmod(twin.fiber.commune_costs)
    assert result.attempted > 0 and result.failed == 0


def _save(home, plan_id, cost_vnd, mtime, *, villages=True):
    folder = home / "fiber" / plan_id
    folder.mkdir(parents=True)
    summary = {**_summary((["A1"], cost_vnd)), "plan_id": plan_id, "totals": {"total_cost_vnd": 0}}
    (folder / "summary.json").write_text(json.dumps(summary))
    os.utime(folder / "summary.json", (mtime, mtime))
    if villages:
        (folder / f"{plan_id}_villages.csv").write_text(
            "code,name,commune,households,covered_households,status,phase,drops\n"
            "A1,Thôn 1,A,70,60,planned,1,60\nN1,Thôn 2,,10,10,connected,0,0\n"
        )


def test_the_service_reads_the_newest_complete_plan(tmp_path):
    assert gap_costs(tmp_path) is None
    _save(tmp_path, "old", 5e6, 1_700_000_000)
    _save(tmp_path, "new", 7e6, 1_700_000_100)
    _save(tmp_path, "saving", 9e6, 1_700_000_200, villages=False)
    costs = gap_costs(tmp_path)
    assert costs.plan_id == "new" and costs.cost_vnd == {"A": 7e6, None: 0.0}
    assert costs.saved == datetime.fromtimestamp(1_700_000_100, UTC)
