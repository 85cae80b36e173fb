"""A bulk load is recorded once, and every asset it brought keeps its past."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import Point
from sqlalchemy import func, select, text

from twin.api.timetravel import history_of, state_at
from twin.bulk import copy_features
from twin.bulk.loads import id_ranges
from twin.edits import delete_feature, revert_feature, update_feature
from twin.features import get_feature

LON, LAT = 106.19, 21.27
TREE = "trees_tree"


def test_id_ranges_hold_exactly_the_ids():
    assert id_ranges([5, 6, 7, 9, 3, 6]) == "{[3,4),[5,8),[9,10)}"
    assert id_ranges(range(10, 1_000_010)) == "{[10,1000010)}"
    assert id_ranges([]) == "{}"


def _now(session):
    return session.execute(select(func.clock_timestamp())).scalar_one()


def _load(session, n=3, user="loader"):
    rows = [
        {"geom": Point(LON + i * 1e-4, LAT), "species_scientific": "Delonix regia", "height_m": 5.0}
        for i in range(n)
    ]
    copy_features(session, TREE, rows, user=user, reason="survey 2026")
    return (
        session.execute(
            text(f"SELECT code FROM assets.{TREE} WHERE created_by = :u ORDER BY id"), {"u": user}
        )
        .scalars()
        .all()
    )


@pytest.mark.db
def test_the_load_is_one_record_naming_its_assets(session):
    codes = _load(session, 40, user="one-record")
    load = session.execute(
        text(
            "SELECT b.features, b.changed_by, b.reason, count(t.id) AS covered "
            "FROM audit.bulk_load b JOIN assets.trees_tree t ON b.asset_ids @> t.id "
            "WHERE b.changed_by = 'one-record' GROUP BY b.id"
        )
    ).one()
    assert (load.features, load.covered, load.reason) == (40, 40, "survey 2026")
    assert len(codes) == 40


@pytest.mark.db
def test_history_of_a_loaded_asset_shows_the_load_then_its_edits(session):
    code = _load(session)[0]
    [entry] = history_of(session, TREE, code)
    assert (entry["action"], entry["changed_by"], entry["reason"]) == (
        "import",
        "loader",
        "survey 2026",
    )
    assert entry["feature"] == get_feature(session, TREE, code)
    assert entry["version"] == 1

    update_feature(session, TREE, code, {"height_m": 7.5}, expected_version=1, user="editor")
    load, edit = history_of(session, TREE, code)
    assert load["action"] == "import" and load["feature"]["properties"]["height_m"] == 5.0
    assert edit["action"] == "update" and edit["changes"] == {"height_m": [5.0, 7.5]}

    delete_feature(session, TREE, code, expected_version=2, user="editor")
    actions = [e["action"] for e in history_of(session, TREE, code)]
    assert actions == ["import", "update", "delete"]
    assert history_of(session, TREE, code)[0]["feature"]["properties"]["height_m"] == 5.0


@pytest.mark.db
def test_the_loaded_version_can_be_restored(session):
    code = _load(session)[1]
    update_feature(session, TREE, code, {"height_m": 9.0}, expected_version=1, user="editor")
    reverted = revert_feature(session, TREE, code, 1, expected_version=2, user="admin")
    assert reverted.feature["properties"]["height_m"] == 5.0
    assert reverted.version == 3


@pytest.mark.db
def test_time_travel_sees_the_loaded_state_before_an_edit(session):
    # The rows of a load are created when its transaction starts (now()).
    before = session.execute(select(func.now())).scalar_one() - timedelta(microseconds=1)
    code = _load(session)[2]
    loaded = _now(session)
    update_feature(session, TREE, code, {"height_m": 11.0}, expected_version=1, user="editor")
    edited = _now(session)

    def height(when):
        src = state_at(TREE, when)
        row = session.execute(select(src.c.height_m).where(src.c.code == code)).first()
        return row and row[0]

    assert [height(t) for t in (before, loaded, edited)] == [None, 5.0, 11.0]
