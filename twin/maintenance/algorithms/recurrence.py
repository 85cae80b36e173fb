"""Recurring maintenance: when each asset is next due under a rule "every N months"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

__all__ = ["add_months", "due_assets"]


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the end of a shorter month kept).

    >>> add_months(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(date(2026, 11, 15), 12)
    datetime.date(2027, 11, 15)
    """
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def due_assets(last_done: Mapping[str, date | None], *, every_months: int, until: date
               ) -> dict[str, date]:
    """The assets due by ``until`` under "every ``every_months`` months", with their due date.

    An asset never done is due at once (``until``); the others ``every_months``
    after they were last done.  Sorted by due date, then reference.

    >>> due_assets({"v1": date(2025, 1, 10), "v2": date(2026, 6, 1), "v3": None},
    ...            every_months=12, until=date(2026, 3, 1))
    {'v1': datetime.date(2026, 1, 10), 'v3': datetime.date(2026, 3, 1)}
    """
    if every_months < 1:
        raise ValueError("a plan recurs every one month or more")
    due = {ref: (until if done is None else add_months(done, every_months))
           for ref, done in last_done.items()}
    return dict(sorted(((r, d) for r, d in due.items() if d <= until),
                       key=lambda item: (item[1], item[0])))
