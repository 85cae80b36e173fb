"""``/qgis/twin.qgz``: the project of the twin for signed-in users."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.webmap.api.apptest import bearer

pytestmark = pytest.mark.db


def _qgs(response) -> str:
    with zipfile.ZipFile(io.BytesIO(response.data)) as zf:
        return zf.read("twin.qgs").decode("utf-8")


def test_anonymous_users_are_asked_to_sign_in(client):
    assert client.get("/qgis/twin.qgz").status_code == 401


def test_a_signed_in_user_downloads_the_postgis_project(client, tokens):
    response = client.get("/qgis/twin.qgz", headers=bearer(tokens["viewer"]))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    qgs = _qgs(response)
    assert "service='twin'" in qgs and 'table="qgis"."water_pipe"' in qgs
    assert "Cấp nước" in qgs


def test_the_oapif_variant_reads_the_address_it_came_from(client, tokens):
    response = client.get("/qgis/twin.qgz?via=oapif&lang=en", headers=bearer(tokens["viewer"]))
    qgs = _qgs(response)
    assert "url='http://localhost/'" in qgs and "typename='water_pipe'" in qgs
    assert "Water supply" in qgs and "<provider encoding=\"UTF-8\">OAPIF</provider>" in qgs


def test_an_unknown_variant_is_refused_by_name(client, tokens):
    response = client.get("/qgis/twin.qgz?via=wms", headers=bearer(tokens["viewer"]))
    assert response.status_code == 422  # InvalidInput, as everywhere in the API
    assert "via" in response.get_data(as_text=True)
