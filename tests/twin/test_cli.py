"""The ``twin`` command line: verbs grouped by area, the old spellings kept (hidden) for a release."""

import pytest
from click.testing import CliRunner

from twin.cli import ALIASES, cli


def _twin(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_help_lists_areas_not_the_old_top_level_verbs():
    listed = {
        line.split()[0]
        for line in _twin("--help").stdout.split("Commands:")[1].splitlines()
        if line.strip()
    }
    assert {"asset", "web", "network", "zoning", "run"} <= listed
    assert not listed & set(ALIASES)


@pytest.mark.parametrize(("old", "new"), sorted(ALIASES.items()))
def test_an_old_spelling_runs_the_new_command_and_says_so(old, new):
    before = _twin(old, "--help")
    after = _twin(*new, "--help")
    assert before.exit_code == after.exit_code == 0
    assert f"is now 'twin {' '.join(new)}'" in before.stderr and after.stderr == ""
    assert before.stdout.split("\n", 1)[1] == after.stdout.split("\n", 1)[1]  # the same options
