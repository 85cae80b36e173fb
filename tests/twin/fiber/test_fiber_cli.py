"""``twin fiber steiner`` on SteinLib files."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from twin.fiber.cli import fiber

STEINLIB = Path(__file__).resolve().parents[2] / "data" / "steinlib"


def test_prints_cost_time_and_gap_to_the_known_optimum():
    result = CliRunner().invoke(
        fiber, ["steiner", str(STEINLIB / "B" / "b01.stp"), "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.output
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines())
    assert lines["instance"].strip() == "B01 (b01.stp)"
    assert lines["terminals"].strip() == "9"
    assert lines["cost"].strip() == "82"
    assert lines["optimum"].strip() == "82"
    assert lines["gap"].strip() == "0.00 %"
    assert float(lines["time"].split()[0]) < 5


def test_without_optima_prints_no_gap_and_reads_optima_option(tmp_path):
    copy = tmp_path / "b04.stp"
    shutil.copy(STEINLIB / "B" / "b04.stp", copy)
    runner = CliRunner()
    plain = runner.invoke(fiber, ["steiner", str(copy), "--seed", "2"])
    assert plain.exit_code == 0, plain.output
    assert "cost:      59" in plain.stdout and "gap" not in plain.stdout
    given = runner.invoke(fiber, ["steiner", str(copy), "--optima", str(STEINLIB / "optima.csv")])
    assert "optimum:   59" in given.stdout


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
