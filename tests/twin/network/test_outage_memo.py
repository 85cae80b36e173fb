"""Analyses kept per key until their networks change (twin.network.outage_memo)."""

from __future__ import annotations

import threading

from twin.network.outage_memo import OutageMemo


def test_an_analysis_is_run_once_per_key():
    runs = []
    memo = OutageMemo(size=4)
    for _ in range(3):
        entry = memo.get(("db", ("P1",), (), (7,)), lambda: runs.append(1) or "report")
    assert entry.outcome == "report" and runs == [1]


def test_a_new_graph_version_is_a_new_analysis():
    memo = OutageMemo()
    before = memo.get(("db", ("P1",), (), (7,)), lambda: "before the edit")
    after = memo.get(("db", ("P1",), (), (8,)), lambda: "after the edit")
    assert (before.outcome, after.outcome) == ("before the edit", "after the edit")


def test_the_least_recently_used_entry_goes_first():
    memo = OutageMemo(size=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 0)  # a used again
    memo.get("c", lambda: 3)  # b goes
    assert memo.get("a", lambda: "again").outcome == 1
    assert memo.get("b", lambda: "again").outcome == "again"
    assert len(memo) == 2


def test_a_part_is_computed_once_even_by_concurrent_requests():
    entry = OutageMemo().get("k", lambda: "outcome")
    calls = []

    def compute():
        calls.append(1)
        return "streets"

    threads = [threading.Thread(target=entry.part, args=("streets", compute)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert entry.part("streets", compute) == "streets" and calls == [1]
