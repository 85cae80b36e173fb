"""Big point layers go column by column, and give the rows the general path gives."""

from __future__ import annotations

import datetime

import numpy as np
import pyogrio.raw
import pytest
import shapely
from shapely.geometry import box
from sqlalchemy import text

from twin.bulk import copy_features
from twin.crs import transformer
from twin.io import ImportRejected, columnar, import_features, importer

pytestmark = pytest.mark.db

ROWS = 30
COMMUNE = box(106.1, 21.2, 106.2, 21.4)  # holds the first half of the points

SAME = (
    "layer, status, commune, extra, version, created_by, updated_by, species_scientific, "
    "species_vi, height_m, trunk_diameter_cm, condition, heritage, planting_date, "
    "encode(ST_AsEWKB(geom), 'hex') AS geom"
)


@pytest.fixture
def paths(monkeypatch):
    """Column by column from 10 features, in parts of 7; the reports of that path."""
    monkeypatch.setattr(columnar, "MIN_FEATURES", 10)
    monkeypatch.setattr(columnar, "PART_ROWS", 7)
    taken = []
    real = importer.import_columnar

    def counted(*args, **kwargs):
        report = real(*args, **kwargs)
        taken.append(report is not None)
        return report

    monkeypatch.setattr(importer, "import_columnar", counted)
    return taken


@pytest.fixture
def commune(session):
    unit = {"geom": COMMUNE, "code": "COL-C1", "name": "Xã Thử", "level": "commune"}
    copy_features(session, "base_admin_unit", [unit], user="u", history=False)


def _trees(path, *, heights=None, conditions=None, crs="EPSG:4326"):
    lon = 106.2 + np.arange(ROWS) * 0.0003 - ROWS * 0.00015
    lat = np.full(ROWS, 21.27)
    if crs != "EPSG:4326":
        lon, lat = transformer("EPSG:4326", crs).transform(lon, lat)
    species = np.array(["Dracontomelon duperreanum", "Delonix regia"] * (ROWS // 2), dtype=object)
    vietnamese = np.array([None, "Phượng vĩ", "Sấu"] * (ROWS // 3), dtype=object)
    conditions = conditions or ["good", "fair", None]
    fields = [
        species,
        vietnamese,
        np.asarray(heights if heights is not None else np.arange(ROWS) * 0.7 + 2.05),
        np.arange(ROWS, dtype=np.int64) + 10,
        np.array((conditions * ROWS)[:ROWS], dtype=object),
        np.arange(ROWS) % 2 == 0,
        np.array([datetime.date(2001, 1, 1) + datetime.timedelta(days=i) for i in range(ROWS)]),
        np.array(["in_service", "planned"] * (ROWS // 2), dtype=object),
    ]
    names = [
        "species_scientific",
        "species_vi",
        "height_m",
        "trunk_diameter_cm",
        "condition",
        "heritage",
        "planting_date",
        "status",
    ]
    fields[6] = fields[6].astype("datetime64[D]")
    pyogrio.raw.write(
        path,
        shapely.to_wkb(shapely.points(lon, lat)),
        fields,
        names,
        layer="trees",
        driver="GPKG",
        geometry_type="Point",
        crs=crs,
    )
    return path


def _rows(session, user):
    return session.execute(
        text(f"SELECT {SAME} FROM assets.trees_tree WHERE created_by = :u ORDER BY id"), {"u": user}
    ).all()


def _both_ways(session, path, monkeypatch, paths, **options):
    """The rows the columnar path writes, and those of the general path."""
    nested = session.begin_nested()
    seen = []
    report = import_features(
        session, "trees:tree", path, user="twice", progress=seen.append, **options
    )
    columnar_rows = _rows(session, "twice")
    ids = session.execute(
        text("SELECT id, code FROM assets.trees_tree WHERE created_by = 'twice' ORDER BY id")
    ).all()
    load = session.execute(
        text("SELECT features FROM audit.bulk_load WHERE changed_by = 'twice'")
    ).scalar()
    nested.rollback()
    monkeypatch.setattr(columnar, "MIN_FEATURES", 10**9)
    import_features(session, "trees:tree", path, user="twice", **options)
    assert paths == [True, False]
    assert report.written and report.counts == {"trees_tree": ROWS} and sum(seen) == ROWS
    assert load == ROWS
    assert [c for _, c in ids] == [f"TRE-TREE-{i:06d}" for i, _ in ids]
    return columnar_rows, _rows(session, "twice")


def test_the_rows_are_those_of_the_general_path(session, commune, tmp_path, monkeypatch, paths):
    fast, general = _both_ways(session, _trees(tmp_path / "trees.gpkg"), monkeypatch, paths)
    assert fast == general and len(fast) == ROWS
    assert {r.commune for r in fast} == {"COL-C1", None}
    assert fast[1].condition == "fair" and fast[2].condition is None
    assert fast[0].species_vi is None and fast[1].species_vi == "Phượng vĩ"
    assert fast[1].planting_date == datetime.date(2001, 1, 2) and fast[0].heritage is True


def test_vn2000_coordinates_are_moved_as_the_general_path_moves_them(
    session, tmp_path, monkeypatch, paths
):
    path = _trees(tmp_path / "vn2000.gpkg", crs="EPSG:9214")  # VN-2000 / TM-3 107-00 (Bắc Giang)
    fast, general = _both_ways(session, path, monkeypatch, paths)
    assert fast == general
    lon = shapely.get_x(shapely.from_wkb(fast[0].geom))
    assert lon == pytest.approx(106.2 - ROWS * 0.00015, abs=1e-6)


def test_a_file_with_problems_is_reported_by_the_general_path(session, tmp_path, paths):
    heights = np.arange(ROWS) * 0.7 + 2.0
    heights[25] = 250.0  # above the maximum
    path = _trees(tmp_path / "bad.gpkg", heights=heights, conditions=["good", "splendid"])
    with pytest.raises(ImportRejected) as err:
        import_features(session, "trees:tree", path, user="bad")
    assert paths == [False]
    found = {(p.field, p.rule) for _, p in err.value.report.problems}
    assert found == {("height_m", "maximum"), ("condition", "allowed_values")}
    assert "row 26" in {p.feature for _, p in err.value.report.problems}
    assert not _rows(session, "bad")


def test_other_spellings_of_allowed_values_take_the_general_path(session, tmp_path, paths):
    path = _trees(tmp_path / "spelled.gpkg", conditions=["Good", "tốt"])
    import_features(session, "trees:tree", path, user="spelled")
    assert paths == [False]
    assert {r.condition for r in _rows(session, "spelled")} == {"good"}
