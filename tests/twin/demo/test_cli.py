"""``twin demo``: report and planted conflicts from the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from twin.config import Settings
from twin.demo.cli import demo


@pytest.mark.db
def test_report_prints_every_network(demo_small_url):
    settings = Settings(database_url=demo_small_url)
    result = CliRunner().invoke(demo, ["report", "--json"], obj=settings)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["networks"]) == {"water", "power", "drainage", "telecom", "lighting"}
    assert all(r["dangling_ends"] == 0 for r in report["networks"].values())


@pytest.mark.db
def test_load_refuses_a_database_with_features(demo_small_url, tmp_path):
    settings = Settings(home=tmp_path, database_url=demo_small_url)
    result = CliRunner().invoke(demo, ["load", "--scale", "small"], obj=settings)
    assert result.exit_code != 0
    assert "already holds" in str(result.exception)


def test_conflicts_lists_the_planted_inconsistencies():
    result = CliRunner().invoke(demo, ["conflicts", "--scale", "small", "--seed", "1"])
    assert result.exit_code == 0, result.output
    kinds = {c["kind"] for c in json.loads(result.output)}
    assert {"overlap", "gap", "land_use_conflict", "red_line_mismatch"} <= kinds
