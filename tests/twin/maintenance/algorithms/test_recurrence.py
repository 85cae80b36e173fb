"""Recurring plans: due dates every N months, never-done assets due at once."""

from datetime import date

import pytest

from twin.maintenance.algorithms import add_months, due_assets


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 12, 7), 6, date(2027, 6, 7)),
    (date(2026, 3, 15), -3, date(2025, 12, 15)),
])
def test_months_are_added_by_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_only_assets_due_by_the_horizon_are_listed_earliest_first():
    done = {"a": date(2025, 6, 1), "b": date(2025, 1, 1), "c": date(2026, 5, 1), "d": None}
    due = due_assets(done, every_months=12, until=date(2026, 6, 30))
    assert list(due) == ["b", "a", "d"]
    assert due["d"] == date(2026, 6, 30)


def test_a_plan_recurs_at_least_monthly():
    with pytest.raises(ValueError):
        due_assets({}, every_months=0, until=date(2026, 1, 1))
