"""The map offers the last computed mobile coverage as a tile layer, switched off at first."""

from __future__ import annotations

import io

import numpy as np
import pytest
from affine import Affine
from PIL import Image

from tests.webmap.map.apptest import make_app
from twin.coverage import RSRP_FILE, folder
from twin.coverage.grids import Grid, write_values
from twin.coverage.store import save_summary

pytestmark = pytest.mark.db

BOUNDS = {"south": 21.25, "west": 106.17, "north": 21.29, "east": 106.22}
#: Tiles at zoom 14 inside BOUNDS: one in its west half, one in its east half.
WEST, EAST = (14, 13024, 7200), (14, 13026, 7200)


def _computed(home):
    """A received-power file as ``twin coverage compute`` writes it: strong in the west
    half of BOUNDS, too weak in the east half."""
    out = folder(home, "all")
    out.mkdir(parents=True)

    cols, rows = 50, 40
    cell_x = (BOUNDS["east"] - BOUNDS["west"]) / cols
    cell_y = (BOUNDS["north"] - BOUNDS["south"]) / rows
    transform = Affine(cell_x, 0, BOUNDS["west"], 0, -cell_y, BOUNDS["north"])
    rsrp = np.full((rows, cols), -130.0)
    rsrp[:, : cols // 2] = -85.0
    write_values(out / RSRP_FILE, rsrp, Grid(z=rsrp, transform=transform, crs="EPSG:4326"))
    save_summary(home, "all", {"bounds": BOUNDS, "communes": []})


def _url(tile) -> str:
    z, x, y = tile
    return f"/map/coverage/{z}/{x}/{y}.png"


def _alpha(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[..., 3]


def test_without_coverage_the_map_has_no_coverage_layer(client):
    html = client.get("/map/").get_data(as_text=True)
    assert "/map/coverage/" not in html
    assert client.get(_url(WEST)).status_code == 404


def test_a_computed_coverage_is_served_as_tiles(map_db_url, tmp_path):
    _computed(tmp_path)
    client = make_app(map_db_url, tmp_path).test_client()
    html = client.get("/map/").get_data(as_text=True)
    assert "/map/coverage/{z}/{x}/{y}.png?v=" in html
    assert 'data-coverage="Vùng phủ sóng di động (4G/5G)"' in html
    response = client.get(_url(WEST))
    assert response.status_code == 200 and response.mimetype == "image/png"
    # The strong west half is coloured; the east half, below the threshold, is not drawn.
    assert (_alpha(response.data) > 0).mean() > 0.9
    pixels = np.asarray(Image.open(io.BytesIO(response.data)).convert("RGBA"))
    assert tuple(pixels[128, 128]) == (49, 163, 84, 150)  # -85 dBm: the class from -95 dBm
    assert not _alpha(client.get(_url(EAST)).data).any()
    again = client.get(_url(WEST),
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    far = client.get("/map/coverage/14/0/0.png")
    assert far.status_code == 200 and not _alpha(far.data).any()
    assert client.get("/map/coverage/40/0/0.png").status_code == 400  # bounds checked first
