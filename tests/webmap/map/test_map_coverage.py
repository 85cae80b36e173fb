"""The map offers the last computed mobile coverage as an image overlay."""

from __future__ import annotations

import pytest

from tests.webmap.map.apptest import make_app
from twin.coverage import folder
from twin.coverage.store import save_summary

pytestmark = pytest.mark.db

BOUNDS = {"south": 21.25, "west": 106.17, "north": 21.29, "east": 106.22}


def test_without_coverage_the_map_has_no_overlay(client):
    html = client.get("/map/").get_data(as_text=True)
    assert "/map/coverage.png" not in html
    assert client.get("/map/coverage.png").status_code == 404


def test_a_computed_coverage_is_an_overlay_switched_off_at_first(map_db_url, tmp_path):
    out = folder(tmp_path, "all")
    out.mkdir(parents=True)
    (out / "overlay.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    save_summary(tmp_path, "all", {"bounds": BOUNDS, "communes": []})
    client = make_app(map_db_url, tmp_path).test_client()
    html = client.get("/map/").get_data(as_text=True)
    assert "/map/coverage.png" in html and "[21.25, 106.17]" in html
    assert 'data-coverage="Vùng phủ sóng di động (4G/5G)"' in html
    with client.get("/map/coverage.png") as response:
        assert response.status_code == 200 and response.mimetype == "image/png"
