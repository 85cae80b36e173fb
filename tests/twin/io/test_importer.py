"""import_features as the web upload calls it: in the caller's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from twin.errors import InvalidInput
from twin.io import ImportRejected, import_features
from twin.io.mapping import Mapping

pytestmark = pytest.mark.db


def _valves(tmp_path, rows):
    path = tmp_path / "valves.csv"
    path.write_text("code,lon,lat,normal_state\n" + "".join(f"{r}\n" for r in rows))
    return path


def _count(session, table="assets.water_valve"):
    return session.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_import_reports_progress_and_writes_in_the_callers_transaction(session, tmp_path):
    path = _valves(tmp_path, [f"IMP-V{i},106.19,21.2{i},open" for i in range(5)])
    seen = []
    report = import_features(session, "water:valve", path, user="uploader", progress=seen.append)
    assert report.written and report.counts == {"water_valve": 5} and sum(seen) == 5
    assert (
        session.execute(
            text(
                "SELECT sum(features) FROM audit.bulk_load WHERE action = 'import' "
                "AND changed_by = 'uploader'"
            )
        ).scalar()
        == 5
    )


def test_a_dry_run_writes_nothing(session, tmp_path):
    before = _count(session)
    report = import_features(
        session, "water:valve", _valves(tmp_path, ["IMP-D,106.19,21.27,"]), user="u", dry_run=True
    )
    assert report.dry_run and not report.written
    assert [(p.field, p.rule) for _, p in report.problems] == [("normal_state", "required")]
    assert _count(session) == before


def test_problems_reject_the_whole_file(session, tmp_path):
    before = _count(session)
    path = _valves(tmp_path, ["IMP-A,106.19,21.27,open", "IMP-B,106.19,21.27,ajar"])
    with pytest.raises(ImportRejected) as err:
        import_features(session, "water:valve", path, user="u")
    assert "row 2 (IMP-B)" in err.value.message and "'ajar'" in err.value.message
    assert err.value.report.problem_total == 1
    assert _count(session) == before


def test_defaults_fill_only_empty_cells(session, tmp_path):
    path = _valves(tmp_path, ["IMP-E,106.19,21.27,closed", "IMP-F,106.19,21.28,"])
    import_features(
        session,
        "water:valve",
        path,
        user="u",
        mapping=Mapping.parse(defaults=["normal_state=open"]),
    )
    states = dict(
        session.execute(
            text("SELECT code, normal_state FROM assets.water_valve WHERE code LIKE 'IMP-%'")
        ).all()
    )
    assert states == {"IMP-E": "closed", "IMP-F": "open"}


def test_an_unknown_layer_names_the_choices(session, tmp_path):
    with pytest.raises(InvalidInput) as err:
        import_features(session, "water:tap", _valves(tmp_path, []), user="u")
    assert "water:valve" in err.value.message
