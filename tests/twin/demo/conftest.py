"""Fixtures of the demo twin: the small city as records (the loaded city is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from twin.demo.generate import generate_city


@pytest.fixture(scope="session")
def small_city():
    """The small demo city (seed 1) as generated records."""
    return generate_city("small", seed=1)


