"""``twin fiber steiner`` on SteinLib files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from twin.fiber.cli import fiber

STEINLIB = Path(__file__).resolve().parents[2] / "data" / "steinlib"


def fields(output: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in output.splitlines())}


def test_prints_cost_bound_gap_time_and_gap_to_the_known_optimum():
    result = CliRunner().invoke(
        fiber, ["steiner", str(STEINLIB / "B" / "b01.stp"), "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.output
    lines = fields(result.stdout)
    assert lines["instance"] == "B01 (b01.stp)"
    assert lines["terminals"] == "9"
    assert lines["cost"] == "82"
    assert lines["lower bound"] == "82"
    assert lines["gap"] == "0.00 %"
    assert lines["proven"].startswith("optimal")
    assert lines["optimum"] == "82"
    assert lines["optimum gap"] == "0.00 %"
    assert float(lines["time"].split()[0]) < 5


def test_gap_is_cost_over_bound_when_not_proven(tmp_path):
    """c18 is not closed in a tenth of a second: the printed gap is (cost - bound) / bound."""
    result = CliRunner().invoke(
        fiber, ["steiner", str(STEINLIB / "C" / "c18.stp"), "--time-limit", "0.1"]
    )
    assert result.exit_code == 0, result.output
    lines = fields(result.stdout)
    cost, bound = float(lines["cost"]), float(lines["lower bound"])
    assert 0 < bound <= 113 <= cost  # 113 is the known optimum
    gap = float(lines["gap"].split()[0])
    assert gap == pytest.approx(100 * (cost - bound) / bound, abs=0.01)


def test_without_optima_prints_no_gap_and_reads_optima_option(tmp_path):
    copy = tmp_path / "b04.stp"
    shutil.copy(STEINLIB / "B" / "b04.stp", copy)
    runner = CliRunner()
    plain = runner.invoke(fiber, ["steiner", str(copy), "--seed", "2"])
    assert plain.exit_code == 0, plain.output
    assert fields(plain.stdout)["cost"] == "59" and "optimum" not in plain.stdout
    given = runner.invoke(fiber, ["steiner", str(copy), "--optima", str(STEINLIB / "optima.csv")])
    assert fields(given.stdout)["optimum"] == "59"


def test_invalid_file_exits_non_zero_with_the_rule(tmp_path):
    path = tmp_path / "roads.stp"
    path.write_text("not a steiner file\n", encoding="utf-8")
    result = CliRunner().invoke(fiber, ["steiner", str(path)])
    assert result.exit_code != 0
    assert "not a SteinLib STP file" in result.output


def test_group_lists_the_steiner_command():
    result = CliRunner().invoke(fiber, ["--help"])
    assert result.exit_code == 0
    assert "steiner" in result.output
