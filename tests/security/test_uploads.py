"""Hole 2: an upload read files of the server and fetched URLs.

A ``.geojson`` holding OGR VRT XML, uploaded to ``/map/imports``, read
``$TWIN_HOME/pg.secret`` (the password came back in the preflight) and made
the server fetch a ``/vsicurl/`` URL.  Now a file opens only with the GDAL
driver its suffix names, zips are checked before anything is extracted, and
upload folders are private and swept.
"""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import struct
import time
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely
from click.testing import CliRunner
from pyogrio.errors import DataSourceError
from sqlalchemy import text

from tests.security.bodies import problem
from tests.webmap.api.apptest import bearer
from twin.cli import cli
from twin.errors import InvalidInput
from twin.io.archives import unpack_shapefile
from twin.io.readers import read_source
from twin.io.safe_open import DRIVERS, gdal_path, harden_gdal
from twin.models import model

pytestmark = pytest.mark.db

SECRET = "pg-password-that-must-not-leak"
X, Y = 106.19, 21.27


@pytest.fixture
def home(app) -> Path:
    return Path(app.config["TWIN_SETTINGS"].home)


@pytest.fixture
def pg_secret(home) -> Path:
    """The cluster's password file as ``twin run`` leaves it in the home folder."""
    path = home / "pg.secret"
    path.write_text(f"{SECRET}\n")
    return path


class Listener:
    """A TCP port on loopback that nobody should connect to."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.3)
        self.port = self.sock.getsockname()[1]

    def connected(self) -> bool:
        """Whether anyone connected (connections wait in the backlog until accepted)."""
        try:
            conn, _ = self.sock.accept()
        except TimeoutError:
            return False
        conn.close()
        return True


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.sock.close()


def _vrt(source: str) -> bytes:
    return (
        "<OGRVRTDataSource><OGRVRTLayer name='leak'>"
        f"<SrcDataSource>{source}</SrcDataSource>"
        "<GeometryType>wkbPoint</GeometryType>"
        "</OGRVRTLayer></OGRVRTDataSource>"
    ).encode()


def _upload(client, token, data: bytes, name: str, table: str = "lighting_light"):
    return client.post(
        f"/map/imports?table={table}",
        headers=bearer(token),
        data={"crs": "wgs84", "file": (io.BytesIO(data), name)},
    )


def _count(api_engine, table: str) -> int:
    t = model(table).__table__
    with api_engine.connect() as conn:
        return conn.execute(text(f'SELECT count(*) FROM {t.schema}."{t.name}"')).scalar()


def _entries(home: Path) -> set[str]:
    folder = home / "uploads"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _lights_geojson(n: int = 2) -> bytes:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [X + 0.003, Y + i * 1e-4]},
            "properties": {"lamp_type": "led", "wattage_w": 60},
        }
        for i in range(n)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_vrt_in_a_geojson_is_refused_and_the_secret_not_read(
    client, tokens, pg_secret, home, api_engine
):
    before, folders = _count(api_engine, "lighting_light"), _entries(home)
    response = _upload(client, tokens["editor"], _vrt(f"CSV:{pg_secret}"), "lights.geojson")
    assert response.status_code == 422
    body = problem(response)
    assert body["problems"] == [
        {
            "field": "file",
            "rule": "content",
            "message": "a .geojson file must hold GeoJSON, this one holds an XML document",
            "feature": "lights.geojson",
        }
    ]
    assert SECRET not in response.get_data(as_text=True)
    assert _count(api_engine, "lighting_light") == before
    assert _entries(home) == folders  # the upload's folder is gone


def test_twin_import_refuses_the_same_vrt(tmp_path, pg_secret, api_db_url):
    path = tmp_path / "lights.geojson"
    path.write_bytes(_vrt(f"CSV:{pg_secret}"))
    run = CliRunner().invoke(
        cli,
        ["asset", "import", str(path), "--layer", "lighting:light", "--dry-run"],
        env={"DATABASE_URL": api_db_url},
    )
    assert run.exit_code == 1
    assert "must hold GeoJSON, this one holds an XML document [content]" in run.stderr
    assert SECRET not in run.output


def test_gdal_itself_no_longer_opens_a_vrt(tmp_path, pg_secret):
    """Even past the content check, the process's GDAL has no VRT driver to follow it."""
    harden_gdal()
    assert set(pyogrio.list_drivers()) == set(DRIVERS.values())
    path = tmp_path / "leak.geojson"
    path.write_bytes(_vrt(f"CSV:{pg_secret}"))
    with pytest.raises(DataSourceError):
        pyogrio.read_info(str(path))


def test_a_vsicurl_reference_is_refused_without_a_connection(client, tokens, listener):
    url = f"/vsicurl/http://127.0.0.1:{listener.port}/layer.csv"
    response = _upload(client, tokens["editor"], _vrt(url), "lights.json")
    assert response.status_code == 422
    assert problem(response)["problems"][0]["rule"] == "content"
    assert not listener.connected()


@pytest.mark.parametrize(
    "path",
    ["/vsicurl/http://127.0.0.1:{port}/a.geojson", "http://127.0.0.1:{port}/a.geojson"],
)
def test_twin_import_refuses_network_paths(listener, path):
    with pytest.raises(InvalidInput) as refused:
        read_source(path.format(port=listener.port))
    assert refused.value.problems[0].rule == "local_file"
    assert not listener.connected()


def test_a_geojson_crs_link_is_refused_and_never_fetched(tmp_path, listener):
    url = f"http://127.0.0.1:{listener.port}/crs.wkt"
    doc = json.loads(_lights_geojson(1))
    doc["crs"] = {"type": "link", "properties": {"href": url, "type": "ogcwkt"}}
    path = tmp_path / "linked.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidInput) as refused:
        read_source(path)
    assert refused.value.problems[0].rule == "crs_link"
    assert not listener.connected()
    # and GDAL, asked directly, sends the request nowhere (its proxy is a dead end)
    harden_gdal()
    pyogrio.read_info(str(path), layer=0)
    assert not listener.connected()


def _geopackage(path: Path) -> Path:
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.array([shapely.Point(X, Y)], dtype=object)),
        [np.array(["led"], dtype=object)],
        ["lamp_type"],
        geometry_type="Point",
        crs="EPSG:4326",
        driver="GPKG",
    )
    return path


@pytest.mark.parametrize(
    ("content", "name", "rule"),
    [
        ("gpkg", "lights.geojson", "content"),  # a GeoPackage named GeoJSON
        ("geojson", "lights.gpkg", "content"),  # GeoJSON named GeoPackage
        ("geojson", "lights.csv", "content"),  # GeoJSON named CSV
        ("kml", "lights.geojson", "content"),  # KML (XML) named GeoJSON
        ("vrt", "lights.csv", "content"),  # VRT named CSV
    ],
)
def test_a_file_must_be_what_its_suffix_says(client, tokens, tmp_path, home, content, name, rule):
    data = {
        "gpkg": lambda: _geopackage(tmp_path / "real.gpkg").read_bytes(),
        "geojson": _lights_geojson,
        "kml": lambda: b"<?xml version='1.0'?><kml><Placemark/></kml>",
        "vrt": lambda: _vrt("/etc/passwd"),
    }[content]()
    folders = _entries(home)
    response = _upload(client, tokens["editor"], data, name)
    assert response.status_code == 422
    found = problem(response)["problems"][0]
    assert (found["rule"], found["feature"]) == (rule, name)
    assert _entries(home) == folders


def test_suffix_with_no_driver_is_refused(tmp_path):
    path = tmp_path / "plan.kml"
    path.write_text("<kml/>")
    with pytest.raises(InvalidInput) as refused:
        gdal_path(path)
    assert refused.value.problems[0].rule == "suffix"


# --- zipped shapefiles -------------------------------------------------------


def _shapefile_parts(tmp_path: Path) -> dict[str, bytes]:
    shp = tmp_path / "shape" / "lights.shp"
    shp.parent.mkdir()
    pyogrio.raw.write(
        str(shp),
        shapely.to_wkb(np.array([shapely.Point(X + 0.004, Y), shapely.Point(X + 0.004, Y + 1e-4)])),
        [np.array(["led", "led"], dtype=object), np.array([60, 70])],
        ["lamp_type", "wattage_w"],
        geometry_type="Point",
        crs="EPSG:4326",
        driver="ESRI Shapefile",
    )
    return {p.name: p.read_bytes() for p in shp.parent.iterdir()}


def _zip(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _declare_size(archive: bytes, member: str, size: int) -> bytes:
    """The archive with ``member``'s unpacked size in the central directory set to ``size``."""
    data = bytearray(archive)
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, at + 24, size)
        at += 4
    return bytes(data)


def test_a_zipped_shapefile_is_unpacked_and_checked(client, tokens, tmp_path):
    archive = _zip({f"data/{n}": b for n, b in _shapefile_parts(tmp_path).items()})
    response = _upload(client, tokens["editor"], archive, "lights.zip")
    assert response.status_code == 202, response.data
    job = response.get_json()
    deadline = time.monotonic() + 30
    while job["state"] == "checking":
        assert time.monotonic() < deadline
        time.sleep(0.1)
        job = client.get(f"/map/imports/{job['id']}", headers=bearer(tokens["editor"])).get_json()
    assert job["state"] == "checked" and job["report"]["counts"] == {"lighting_light": 2}, job


@pytest.mark.parametrize(
    ("member", "rule"),
    [
        ("../lights.shp", "member_name"),
        ("/tmp/lights.shp", "member_name"),
        ("data/../../lights.shp", "member_name"),
        ("C:/lights.shp", "member_name"),
    ],
)
def test_zip_members_may_not_leave_the_folder(client, tokens, tmp_path, home, member, rule):
    parts = _shapefile_parts(tmp_path)
    members = {member: parts.pop("lights.shp"), **parts}
    folders = _entries(home)
    response = _upload(client, tokens["editor"], _zip(members), "lights.zip")
    assert response.status_code == 422
    found = problem(response)["problems"][0]
    assert found["rule"] == rule and member in found["feature"]
    assert not (home / "lights.shp").exists() and not Path("/tmp/lights.shp").exists()
    assert _entries(home) == folders


def test_a_symlink_member_is_refused(client, tokens, tmp_path, home):
    parts = _shapefile_parts(tmp_path)
    parts["lights.prj"] = b"/etc/passwd"
    response = _upload(client, tokens["editor"], _zip(parts, links=("lights.prj",)), "lights.zip")
    assert response.status_code == 422
    assert problem(response)["problems"][0]["rule"] == "member_link"


def test_a_zip_bomb_is_refused_before_extraction(client, tokens, tmp_path, home):
    archive = _declare_size(_zip(_shapefile_parts(tmp_path)), "lights.dbf", 3 * 1024**3)
    folders = _entries(home)
    response = _upload(client, tokens["editor"], archive, "lights.zip")
    assert response.status_code == 422
    found = problem(response)["problems"][0]
    assert found["rule"] == "unpacked_size" and "at most 2,147,483,648" in found["message"]
    assert _entries(home) == folders


def test_too_many_members_are_refused(tmp_path):
    members = {f"junk/{i}.txt": b"" for i in range(1001)}
    path = tmp_path / "many.zip"
    path.write_bytes(_zip({**_shapefile_parts(tmp_path), **members}))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput) as refused:
        unpack_shapefile(path, out)
    assert refused.value.problems[0].rule == "member_count"
    assert list(out.iterdir()) == []


def test_a_member_bigger_than_it_says_is_never_written_whole(tmp_path):
    """A header that understates the size: extraction stops, nothing is left."""
    parts = _shapefile_parts(tmp_path)
    parts["lights.dbf"] = parts["lights.dbf"] + b"\x00" * 1_000_000
    path = tmp_path / "lying.zip"
    path.write_bytes(_declare_size(_zip(parts), "lights.dbf", 100))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput) as refused:
        unpack_shapefile(path, out)
    assert refused.value.problems[0].rule in ("zip", "unpacked_size")
    assert list(out.iterdir()) == []


def test_only_the_shapefile_is_extracted(tmp_path):
    parts = _shapefile_parts(tmp_path)
    path = tmp_path / "extra.zip"
    path.write_bytes(_zip({**parts, "run.sh": b"#!/bin/sh", "other.gpkg": b"x"}))
    out = tmp_path / "out"
    out.mkdir()
    shp = unpack_shapefile(path, out)
    assert shp == out / "lights.shp"
    assert {p.name for p in out.iterdir()} == set(parts)
    assert {oct(p.stat().st_mode & 0o777) for p in out.iterdir()} == {"0o600"}


def test_twin_import_reads_a_zipped_shapefile_through_the_same_checks(tmp_path):
    path = tmp_path / "lights.zip"
    path.write_bytes(_zip(_shapefile_parts(tmp_path)))
    source = read_source(path)
    assert source.format == "ESRI Shapefile" and source.count == 2
    path.write_bytes(_zip({"../x.shp": b"", "x.dbf": b""}))
    with pytest.raises(InvalidInput) as refused:
        read_source(path)
    assert refused.value.problems[0].rule == "member_name"


# --- the upload folders ------------------------------------------------------


def test_upload_folders_are_private(client, tokens, home):
    response = _upload(client, tokens["editor"], _lights_geojson(), "lights.geojson")
    assert response.status_code == 202
    job_folder = home / "uploads" / response.get_json()["id"]
    assert stat.S_IMODE((home / "uploads").stat().st_mode) == 0o700
    if job_folder.exists():  # until the check has run and the job is kept
        assert stat.S_IMODE(job_folder.stat().st_mode) == 0o700
        for path in job_folder.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_old_uploads_are_swept(client, tokens, home):
    (home / "uploads").mkdir(mode=0o700, exist_ok=True)
    old, recent = home / "uploads" / "old-upload", home / "uploads" / "recent-upload"
    for folder in (old, recent):
        folder.mkdir(exist_ok=True)
        (folder / "left.geojson").write_text("{}")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    response = _upload(client, tokens["editor"], _lights_geojson(), "lights.geojson")
    assert response.status_code == 202
    assert not old.exists() and recent.exists()
