"""``twin asset export``: what is exported imports back the same; personal data stays in."""

from __future__ import annotations

import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from sqlalchemy.orm import Session

from twin.edits import create_feature
from twin.features import feature_select, row_to_feature
from twin.io import exporter
from twin.io.mapping import TWIN_MANAGED
from twin.models import model

pytestmark = pytest.mark.db

LON, LAT = 106.19, 21.27
#: Properties the twin gives anew on import: ids, versions, stamps, derived lengths, and
#: the commune of features the source leaves without one (joined from the communes).
_NEW_ON_IMPORT = TWIN_MANAGED | {"commune"}
_FEATURES = [
    ("water_junction", {"code": "J1", "elevation_m": 12.5}, Point(LON, LAT)),
    ("water_junction", {"code": "J2", "elevation_m": None}, Point(LON + 0.002, LAT)),
    (
        "water_pipe",
        {
            "code": "P1",
            "diameter_mm": 150,
            "material": "hdpe",
            "install_year": 2019,
            "roughness": 130.0,
            "status": "in_service",
            "owner": "Công ty Nước",
            "commissioned_on": "2019-06-30",
            "extra": {"dma": "BG-01", "note": "mới"},
        },
        LineString([(LON, LAT), (LON + 0.001, LAT + 0.0004), (LON + 0.002, LAT)]),
    ),
    (
        "water_service_connection",
        {
            "code": "S1",
            "customer_category": "residential",
            "households": 3,
            "customer_name": "Nguyễn Văn A",
            "phone": "0912 345 678",
        },
        Point(LON + 0.0021, LAT),
    ),
    (
        "trees_tree",
        {
            "code": "T1",
            "species_scientific": "Dracontomelon duperreanum",
            "species_vi": "Sấu",
            "trunk_diameter_cm": 41.3,
            "height_m": 12.0,
            "planting_date": "1998-03-15",
            "condition": "good",
            "heritage": True,
            "risk_level": None,
        },
        Point(LON + 0.01, LAT + 0.01),
    ),
    (
        "trees_tree",
        {
            "code": "T2",
            "species_scientific": "Delonix regia",
            "heritage": False,
            "status": "planned",
        },
        Point(LON + 0.011, LAT + 0.01),
    ),
    (
        "base_admin_unit",
        {
            "code": "26401",
            "name": "Phường Trần Phú",
            "level": "commune",
            "population": 12345,
            "valid_from": "2025-07-01",
        },
        MultiPolygon(
            [
                Polygon(
                    [
                        (LON - 0.01, LAT - 0.01),
                        (LON + 0.03, LAT - 0.01),
                        (LON + 0.03, LAT + 0.03),
                        (LON - 0.01, LAT + 0.03),
                    ]
                )
            ]
        ),
    ),
]
TABLES = (
    "water_junction",
    "water_pipe",
    "water_service_connection",
    "trees_tree",
    "base_admin_unit",
)


@pytest.fixture
def stored(io_engine):
    with Session(io_engine) as session:
        for table, props, geom in _FEATURES:
            create_feature(session, table, props, geom, user="tester")
        session.commit()
    return snapshot(io_engine)


def snapshot(engine) -> dict:
    """Every feature by (table, code): its properties and geometry, start/end as codes."""
    out = {}
    with Session(engine) as session:
        codes = {}
        for table in TABLES:
            for row in session.execute(feature_select(table)):
                feature = row_to_feature(table, row)
                props = feature["properties"]
                codes[props["id"]] = feature["id"]
                out[(table, feature["id"])] = feature
        for feature in out.values():
            props = feature["properties"]
            props["ends"] = tuple(codes.get(props.get(k)) for k in ("start_node", "end_node"))
            for key in _NEW_ON_IMPORT:
                props.pop(key, None)
    return out


def assert_same(before: dict, after: dict) -> None:
    assert after.keys() == before.keys()
    for key, feature in before.items():
        again = after[key]
        for name, value in feature["properties"].items():
            got = again["properties"][name]
            assert got == (pytest.approx(value) if isinstance(value, float) else value), (key, name)
        a, b = (shapely.geometry.shape(f["geometry"]) for f in (feature, again))
        # Shapefiles turn polygon rings clockwise: compare normalised geometries.
        assert a.geom_type == b.geom_type and a.normalize().equals_exact(b.normalize(), 1e-9), key


def _files(out, fmt):
    if fmt == "gpkg":
        return [out]
    return sorted(out.iterdir())


def _import_order(path) -> int:
    # Nodes before the lines that snap to them.
    return 1 if "pipe" in path.name else 0


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "shp", "csv"])
def test_export_then_import_gives_the_same_features(
    twin, stored, io_engine, tmp_path, fmt, monkeypatch
):
    from twin.auth.users import add_user

    monkeypatch.setattr(exporter, "CHUNK_ROWS", 1)  # every feature after the first is appended
    with Session(io_engine) as session:
        add_user(session, "boss", "admin", "a long password")
        session.commit()
    for lyr in ("water", "trees", "base"):
        out = tmp_path / (f"{lyr}.gpkg" if fmt == "gpkg" else lyr)
        result = twin(
            "asset",
            "export",
            out,
            "--layer",
            lyr,
            "--format",
            fmt,
            "--include-personal",
            "--as-user",
            "boss",
        )
        assert result.exit_code == 0, result.output
    with io_engine.begin() as conn:
        for table in TABLES:
            conn.execute(model(table).__table__.delete())
    for lyr in ("water", "trees", "base"):
        out = tmp_path / (f"{lyr}.gpkg" if fmt == "gpkg" else lyr)
        for path in sorted(_files(out, fmt), key=_import_order):
            if path.suffix in (".gpkg", ".geojson", ".shp", ".csv"):
                result = twin("asset", "import", path, "--layer", lyr)
                assert result.exit_code == 0, (path, result.output)
    assert_same(stored, snapshot(io_engine))


def test_personal_fields_are_left_out(twin, stored, tmp_path):
    out = tmp_path / "connections.gpkg"
    result = twin("asset", "export", out, "--layer", "water:service_connection", "--format", "gpkg")
    assert result.exit_code == 0, result.output
    assert (
        "personal fields left out of water_service_connection: customer_name, phone"
        in result.output
    )
    # The file also holds QGIS's style table (layer_styles): name the feature layer.
    fields = set(pyogrio.read_info(out, layer="water_service_connection")["fields"])
    assert {"customer_category", "households"} <= fields
    assert not fields & {"customer_name", "phone"}


def test_personal_fields_need_an_admin(twin, stored, io_engine, tmp_path):
    from twin.auth.users import add_user

    with Session(io_engine) as session:
        add_user(session, "viewer1", "viewer", "a long password")
        session.commit()
    out = tmp_path / "connections.geojson"
    personal = ("asset", "export", out, "--layer", "water:service_connection",
                "--format", "geojson", "--include-personal")
    refused = twin(*personal, "--as-user", "viewer1")
    assert refused.exit_code == 1
    assert "role 'viewer' may not" in refused.stderr and not out.exists()
    unnamed = twin(*personal)
    assert unnamed.exit_code == 1 and "--as-user" in unnamed.stderr


def test_bbox_commune_and_crs(twin, stored, io_engine, tmp_path):
    with io_engine.begin() as conn:
        conn.execute(
            model("trees_tree")
            .__table__.update()
            .where(model("trees_tree").code == "T2")
            .values(commune="26401")
        )
    out = tmp_path / "t.csv"
    assert (
        twin(
            "asset", "export", out, "--layer", "trees:tree", "--format", "csv", "--commune", "26401"
        ).exit_code
        == 0
    )
    assert pyogrio.read_info(out)["features"] == 1
    box = f"{LON + 0.0105},{LAT},{LON + 0.02},{LAT + 0.02}"
    assert (
        twin(
            "asset", "export", out, "--layer", "trees:tree", "--format", "csv", "--bbox", box
        ).exit_code
        == 0
    )
    assert pyogrio.read_info(out)["features"] == 1
    shp = tmp_path / "tree.shp"
    assert (
        twin(
            "asset",
            "export",
            shp,
            "--layer",
            "trees:tree",
            "--format",
            "shp",
            "--crs",
            "vn2000:bac-giang",
        ).exit_code
        == 0
    )
    meta, _, wkb, fields = pyogrio.raw.read(shp)
    assert "9214" in meta["crs"] or "VN-2000" in meta["crs"]
    x = shapely.get_x(shapely.from_wkb(wkb))
    assert (x > 400_000).all() and (x < 450_000).all()  # metres east in the Bắc Giang zone


def test_progress_is_told_of_every_chunk(stored, io_engine, tmp_path, monkeypatch):
    monkeypatch.setattr(exporter, "CHUNK_ROWS", 1)
    bars = []

    class Bar:
        def __init__(self, total, desc):
            self.total, self.desc, self.steps, self.closed = total, desc, [], False
            bars.append(self)

        def update(self, n):
            self.steps.append(n)

        def close(self):
            self.closed = True

    with Session(io_engine) as session:
        report = exporter.export_features(
            session, "water", tmp_path / "water.gpkg", fmt="gpkg", progress=Bar
        )
    by_table = {bar.desc: bar for bar in bars}
    assert set(by_table) == set(report.counts)
    for table, n in report.counts.items():
        bar = by_table[table]
        assert bar.total == n == sum(bar.steps) and bar.closed
        assert all(step == 1 for step in bar.steps)
    assert max(len(bar.steps) for bar in bars) >= 2  # some table came in several chunks
