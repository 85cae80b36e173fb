"""The inspection tables' reads and writes: a phone key names one inspection only."""

from datetime import UTC, datetime

import pytest

from twin.errors import Conflict
from twin.inspections.store import add_inspection

pytestmark = pytest.mark.db

TABLE = "inspection_water_valve_exercise"


def _values(asset_code: str) -> dict:
    return {"client_id": "a-key-of-one-phone", "asset_id": 1, "asset_code": asset_code,
            "asset_version": 1, "inspected_at": datetime(2026, 12, 1, tzinfo=UTC),
            "inspected_by": "crew1", "result": "good", "operation": "exercised",
            "leak": "none"}


def test_a_key_already_stored_for_another_asset_is_a_conflict_not_a_database_error(session):
    add_inspection(session, TABLE, _values("WTR-VLV-000001"), None)
    with pytest.raises(Conflict, match="a-key-of-one-phone"):
        add_inspection(session, TABLE, _values("WTR-VLV-000002"), None)
