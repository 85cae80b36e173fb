"""``twin qgis project`` writes the project of the twin it is pointed at."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from twin.config import Settings
from twin.qgis import ProjectOptions, project_qgs
from twin.qgis.cli import qgis

pytestmark = pytest.mark.db


def test_project_command_writes_a_qgz(qgis_twin, tmp_path):
    out = tmp_path / "mine.qgz"
    result = CliRunner().invoke(qgis, ["project", "--out", str(out), "--via", "oapif",
                                       "--url", "https://twin.example.vn/", "--lang", "en",
                                       "--crs", "vn2000:bac-ninh-cu"],
                                obj=Settings(home=tmp_path, database_url=qgis_twin.url))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        qgs = zf.read("twin.qgs").decode("utf-8")
    assert "url='https://twin.example.vn/'" in qgs
    assert "<authid>EPSG:9209</authid>" in qgs  # the former Bắc Ninh province's zone
    assert "Water supply" in qgs


def test_an_unknown_zone_is_refused_by_name(qgis_twin, tmp_path):
    result = CliRunner().invoke(qgis, ["project", "--out", str(tmp_path / "x.qgz"),
                                       "--crs", "vn2000:atlantis"],
                                obj=Settings(home=tmp_path, database_url=qgis_twin.url))
    assert result.exit_code != 0
    assert not (tmp_path / "x.qgz").exists()


def test_a_malformed_authcfg_is_refused(qgis_twin, tmp_path):
    result = CliRunner().invoke(qgis, ["project", "--out", str(tmp_path / "x.qgz"), "--via",
                                       "oapif", "--authcfg", "x' sslmode='disable"],
                                obj=Settings(home=tmp_path, database_url=qgis_twin.url))
    assert result.exit_code != 0
    assert not (tmp_path / "x.qgz").exists()


def test_quotes_in_the_address_stay_inside_the_url_value():
    qgs = project_qgs(ProjectOptions(via="oapif", url="http://evil' typename='x"))
    assert "url='http://evil\\' typename=\\'x/'" in qgs
