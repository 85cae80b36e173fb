"""Fixtures of the map tests."""

from __future__ import annotations

import warnings

import pytest


@pytest.fixture
def warning_filter_swaps(monkeypatch) -> list:
    """Each ``warnings.catch_warnings`` entered while the test runs.

    Swapping the process's warning filters is not thread-safe, and tiles are
    drawn on several server threads at once: tile code must never do it.
    """
    swaps = []

    class CountedSwap(warnings.catch_warnings):
        def __enter__(self):
            swaps.append(self)
            return super().__enter__()

    monkeypatch.setattr(warnings, "catch_warnings", CountedSwap)
    return swaps
