"""``twin maintenance``: the plan command runs against the database and says what it made."""

import pytest
from click.testing import CliRunner

from twin.cli import cli

pytestmark = pytest.mark.db


def test_the_plan_command_makes_a_work_order_of_the_due_valves(db_url):
    result = CliRunner().invoke(
        cli, ["maintenance", "plan", "water_valve", "--every", "12", "--until", "2026-12-31",
              "--title", "Exercise valves"], env={"DATABASE_URL": db_url})
    assert result.exit_code == 0, result.output
    assert result.output.startswith(("work order ", "no water_valve asset"))
