"""Fixtures of the live tests that talk to a real Mosquitto."""

from __future__ import annotations

import pytest

from twin.live.broker import Broker


@pytest.fixture
def broker(tmp_path):
    """A private broker of the test's own, on its own port."""
    b = Broker(tmp_path / "home")
    b.start()
    yield b
    b.stop()


@pytest.fixture
def broker_home(broker):
    """A twin home whose private broker runs (an ingest started there finds it)."""
    return broker.folder.parent
