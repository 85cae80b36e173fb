"""A big layer is checked and written part by part: the same outcome as all at once."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from twin.io import ImportRejected, import_features, importer

pytestmark = pytest.mark.db

ROWS = 250


@pytest.fixture(autouse=True)
def in_parts(monkeypatch):
    """Parts of 100 features, so 250 make three; the calls of the part-by-part import."""
    monkeypatch.setattr(importer, "PART_ROWS", 100)
    calls = []
    real = importer._import_in_parts

    def counted(*args, **kwargs):
        calls.append(args[1].pairs[0][1].table)
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "_import_in_parts", counted)
    return calls


def _valves(tmp_path, states: dict[int, str] | None = None, codes: dict[int, str] | None = None):
    """A CSV of ROWS valves, numbered by their longitude; ``states`` replace the
    state of some rows (0-based); with ``codes`` the file has a code column."""
    states = states or {}
    lines = ["code,lon,lat,normal_state" if codes else "lon,lat,normal_state"]
    for i in range(ROWS):
        code = f"{codes.get(i, f'PRT-V{i:03d}')}," if codes else ""
        lines.append(f"{code}{106.15 + i * 1e-4:.4f},21.27,{states.get(i, 'open')}")
    path = tmp_path / "valves.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _written(session, user="parts"):
    return session.execute(
        text("SELECT count(*) FROM assets.water_valve WHERE created_by = :u"), {"u": user}
    ).scalar()


def test_parts_write_every_feature_and_record_one_load(session, tmp_path, in_parts):
    seen = []
    report = import_features(
        session, "water:valve", _valves(tmp_path), user="parts", progress=seen.append
    )
    assert in_parts == ["water_valve"]
    assert report.written and report.counts == {"water_valve": ROWS} and sum(seen) == ROWS
    assert set(report.timings) >= {"read", "preflight", "write"}
    rows = session.execute(
        text(
            "SELECT id, code, normal_state, ST_X(geom) AS lon FROM assets.water_valve "
            "WHERE created_by = 'parts' ORDER BY id"
        )
    ).all()
    # File order kept across parts, ids and the twin's codes rising with it.
    assert [round(r.lon, 4) for r in rows] == [round(106.15 + i * 1e-4, 4) for i in range(ROWS)]
    assert [r.code for r in rows] == [f"WTR-VLV-{r.id:06d}" for r in rows]
    assert {r.normal_state for r in rows} == {"open"}
    load = session.execute(
        text("SELECT features FROM audit.bulk_load WHERE changed_by = 'parts'")
    ).one()
    assert load.features == ROWS
    ids = [r.id for r in rows]
    loaded = session.execute(
        text(
            "SELECT count(*) FROM unnest(CAST(:ids AS int8[])) AS a(id) JOIN audit.bulk_load b "
            "ON b.asset_ids @> a.id WHERE b.changed_by = 'parts'"
        ),
        {"ids": ids},
    ).scalar()
    assert loaded == ROWS


def test_a_problem_in_any_part_writes_nothing_and_every_problem_is_named(
    session, tmp_path, in_parts
):
    path = _valves(tmp_path, states={4: "ajar", 229: "shut"})
    with pytest.raises(ImportRejected) as err:
        import_features(session, "water:valve", path, user="parts")
    assert in_parts == ["water_valve"]
    named = {p.feature for _, p in err.value.report.problems}
    assert named == {"row 5", "row 230"}
    assert err.value.report.problem_total == 2
    assert _written(session) == 0
    assert not session.execute(
        text("SELECT count(*) FROM audit.bulk_load WHERE changed_by = 'parts'")
    ).scalar()


def test_a_problem_after_parts_were_written_rolls_them_back(session, tmp_path, in_parts):
    path = _valves(tmp_path, states={240: "ajar"})
    with pytest.raises(ImportRejected) as err:
        import_features(session, "water:valve", path, user="parts")
    assert [p.feature for _, p in err.value.report.problems] == ["row 241"]
    assert _written(session) == 0
    # The caller's transaction is still usable: the savepoint was rolled back.
    import_features(session, "water:valve", _valves(tmp_path), user="parts")
    assert _written(session) == ROWS


def test_a_code_given_twice_in_different_parts_is_found(session, tmp_path, in_parts):
    # A file with its own codes is checked whole before anything is written.
    path = _valves(tmp_path, codes={10: "PRT-TWICE", 210: "PRT-TWICE"})
    with pytest.raises(ImportRejected) as err:
        import_features(session, "water:valve", path, user="parts")
    assert in_parts == []
    found = {(p.rule, p.feature) for _, p in err.value.report.problems}
    assert found == {
        ("unique_code", "row 11 (PRT-TWICE)"),
        ("unique_code", "row 211 (PRT-TWICE)"),
    }
    assert _written(session) == 0


def test_a_field_missing_from_the_layer_is_named_once_for_all_its_features(
    session, tmp_path, in_parts
):
    path = tmp_path / "valves.csv"
    path.write_text("lon,lat\n" + "".join(f"{106.15 + i * 1e-4:.4f},21.27\n" for i in range(ROWS)))
    with pytest.raises(ImportRejected) as err:
        import_features(session, "water:valve", path, user="parts")
    assert in_parts == ["water_valve"]
    problems = [p for _, p in err.value.report.problems]
    assert [(p.field, p.rule) for p in problems] == [("normal_state", "required")]
    assert f"all {ROWS} features" in problems[0].message
    assert _written(session) == 0
