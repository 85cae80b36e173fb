"""GDAL's OGC API – Features driver reads the API: collections, counts, attributes, copies.

Runs the real ``ogrinfo``/``ogr2ogr`` (gdal-bin) against the app served by
waitress on a free loopback port.
"""

import shutil
import subprocess
from urllib.parse import urlencode

import pytest
import shapely
from pyogrio.raw import read as read_layer
from shapely.geometry import Point
from sqlalchemy import text

from layers import feature_type
from tests.factories import sample_properties
from twin.db.engine import session_scope
from twin.edits import create_feature

pytestmark = [
    pytest.mark.db,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs gdal-bin"),
]


@pytest.fixture(scope="module")
def trees(api_engine):
    ft = feature_type("trees_tree")
    with session_scope(api_engine) as session:
        for i in range(23):
            props = sample_properties(
                ft, species_scientific=f"Species {i:02d}", height_m=float(i), heritage=i % 2 == 0
            )
            create_feature(session, ft.table, props, Point(105.9 + i * 1e-4, 21.9), user="t")
    with api_engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM assets.trees_tree")).scalar_one()


def _gdal(*args, headers: str | None = None) -> str:
    env = {"PATH": "/usr/bin:/bin", "GDAL_HTTP_TIMEOUT": "30", "CPL_DEBUG": "OFF"}
    if headers:
        env["GDAL_HTTP_HEADERS"] = headers
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ogrinfo_lists_the_collections_a_user_may_read(live_server, tokens):
    anonymous = _gdal("ogrinfo", "-ro", "-q", f"OAPIF:{live_server}/")
    assert "trees_tree" in anonymous and "water_pipe" not in anonymous
    viewer = _gdal(
        "ogrinfo",
        "-ro",
        "-q",
        f"OAPIF:{live_server}/",
        headers=f"Authorization: Bearer {tokens['viewer']}",
    )
    assert "water_pipe" in viewer and "power_switch" in viewer


def test_ogrinfo_reads_count_and_attributes(live_server, trees):
    out = _gdal("ogrinfo", "-ro", "-so", f"OAPIF:{live_server}/", "trees_tree")
    assert f"Feature Count: {trees}" in out
    for field in ("code:", "species_scientific:", "height_m:", "heritage:", "status:"):
        assert field in out


def test_ogr2ogr_copies_a_collection_to_geopackage(live_server, trees, tmp_path):
    target = tmp_path / "trees.gpkg"
    _gdal("ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{live_server}/", "trees_tree")
    meta, _, geometry, fields = read_layer(target, layer="trees_tree")
    columns = dict(zip(meta["fields"], fields))
    assert len(geometry) == trees
    i = list(columns["species_scientific"]).index("Species 07")
    assert columns["height_m"][i] == 7.0 and columns["code"][i].startswith("TRE-TREE-")
    assert shapely.from_wkb(geometry[i]).x == pytest.approx(105.9007)



def test_ogr2ogr_where_is_sent_to_the_server_as_a_queryable(live_server, trees, tmp_path):
    target = tmp_path / "one.gpkg"
    done = subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{live_server}/", "trees_tree"]
        + ["-where", "species_scientific = 'Species 07'"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "GDAL_HTTP_TIMEOUT": "30", "CPL_DEBUG": "ON"},
    )
    assert done.returncode == 0, done.stderr
    assert "species_scientific=Species%2007" in done.stderr  # filtered by the API, not by GDAL
    meta, _, geometry, fields = read_layer(target, layer="trees_tree")
    assert len(geometry) == 1 and list(dict(zip(meta["fields"], fields))["height_m"]) == [7.0]


def test_ogr2ogr_reads_sorted_selected_properties_across_keyset_pages(live_server, trees, tmp_path):
    target = tmp_path / "tall.gpkg"
    query = urlencode(
        {
            "filter": "height_m >= 10 AND species_scientific LIKE 'Species%'",
            "sortby": "-height_m",
            "properties": "species_scientific,height_m",
        }
    )
    source = f"OAPIF:{live_server}/collections/trees_tree?{query}"
    _gdal("ogr2ogr", "-f", "GPKG", "-oo", "PAGE_SIZE=4", str(target), source, "trees_tree")
    meta, _, geometry, fields = read_layer(target, layer="trees_tree")
    columns = dict(zip(meta["fields"], fields))
    assert set(columns) == {"id", "species_scientific", "height_m"}  # id: the feature's code
    assert list(columns["height_m"]) == [float(h) for h in range(22, 9, -1)]
    assert list(columns["species_scientific"])[0] == "Species 22" and len(geometry) == 13
