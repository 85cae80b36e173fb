"""How clients discover the tiles: MapLibre styles and OGC API – Tiles documents over HTTP."""

from __future__ import annotations

import json
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

from layers import LAYERS, feature_type, layer
from tests.webmap.api.apptest import bearer
from twin.auth.roles import default_anonymous_layers
from webmap.assets import PROJECT_ROOT

pytestmark = pytest.mark.db

VALIDATOR = (
    PROJECT_ROOT / "node_modules/@maplibre/maplibre-gl-style-spec/dist/gl-style-validate.mjs"
)


def _style(client, path: str, token: str | None = None) -> dict:
    response = client.get(path, headers=bearer(token) if token else {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _validation_errors(style: dict, tmp_path) -> str:
    """What MapLibre's own style validator says of ``style`` (empty: valid)."""
    node = shutil.which("node")
    if node is None or not VALIDATOR.is_file():
        pytest.skip("node and the MapLibre style specification (npm ci) are needed")
    path = tmp_path / "style.json"
    path.write_text(json.dumps(style), encoding="utf-8")
    done = subprocess.run([node, str(VALIDATOR), str(path)], capture_output=True, text=True)
    return done.stdout + done.stderr + ("" if done.returncode == 0 else f" rc={done.returncode}")


def test_the_whole_map_style_is_valid_and_draws_every_declared_type(client, tokens, tmp_path):
    style = _style(client, "/tiles/style.json", tokens["viewer"])
    assert style["version"] == 8
    assert _validation_errors(style, tmp_path) == ""
    (source,) = style["sources"].values()
    assert source["type"] == "vector"
    tile_url = urlsplit(source["tiles"][0])
    assert tile_url.path == "/map/tiles/{z}/{x}/{y}.mvt" and "size=512" in tile_url.query
    drawn = {sl["source-layer"] for sl in style["layers"] if "source-layer" in sl}
    declared = {ft.table for lyr in LAYERS for ft in lyr.feature_types}
    assert drawn == declared
    by_id = {sl["id"]: sl for sl in style["layers"]}
    pipe = by_id["water_pipe"]
    assert pipe["type"] == "line" and pipe["metadata"]["twin:layer"] == "water"
    # Declared from (256-pixel) zoom 13: drawn from MapLibre's (512-pixel) zoom 12.
    assert pipe["minzoom"] == layer("water").feature_types[0].min_zoom - 1


def test_anonymous_readers_get_a_style_of_the_open_layers_only(client):
    style = _style(client, "/tiles/style.json")
    layers = {sl["metadata"]["twin:layer"] for sl in style["layers"] if "metadata" in sl}
    assert layers == set(default_anonymous_layers())
    (source,) = style["sources"].values()
    assert "water_" not in source["tiles"][0]


def test_a_group_style_draws_its_own_types_and_is_refused_to_whom_may_not_read_them(
    client, tokens, tmp_path
):
    assert client.get("/tiles/water/style.json").status_code == 401
    assert client.get("/tiles/sewage/style.json").status_code == 404
    style = _style(client, "/tiles/water/style.json", tokens["crew"])
    assert list(style["sources"]) == ["water"]
    tables = {sl["source-layer"] for sl in style["layers"] if "source-layer" in sl}
    assert tables == {ft.table for ft in layer("water").feature_types}
    assert _validation_errors(style, tmp_path) == ""
    base = _style(client, "/tiles/base/style.json")
    labels = {sl["source-layer"] for sl in base["layers"] if sl["type"] == "symbol"}
    assert {"base_road", "base_river", "base_village"} <= labels


def test_the_tilesets_list_and_the_metadata_lead_to_the_tiles(client, tokens):
    listed = _style(client, "/tiles", tokens["viewer"])
    titles = {t["title"] for t in listed["tilesets"]}
    assert {layer("water").en, feature_type("water_pipe").en} <= titles
    water = next(
        t
        for t in listed["tilesets"]
        if t["links"][0]["href"].endswith("/tiles/water/WebMercatorQuad")
    )
    assert water["dataType"] == "vector" and water["crs"].endswith("/EPSG/0/3857")
    meta = _style(client, "/tiles/water/WebMercatorQuad", tokens["viewer"])
    item = next(link for link in meta["links"] if link["rel"] == "item")
    assert item["templated"] and item["type"] == "application/vnd.mapbox-vector-tile"
    href = item["href"].format(tileMatrix=17, tileCol=104022, tileRow=57600)
    tile = client.get(urlsplit(href).path, headers=bearer(tokens["viewer"]))
    assert tile.status_code == 200 and tile.mimetype == "application/vnd.mapbox-vector-tile"
    assert {lyr["id"] for lyr in meta["layers"]} == {
        ft.table for ft in layer("water").feature_types
    }
    styles = [link["href"] for link in meta["links"] if link["rel"].endswith("/style")]
    assert styles and styles[0].endswith("/tiles/water/style.json")
    anonymous = _style(client, "/tiles")
    assert all("water" not in t["links"][0]["href"] for t in anonymous["tilesets"])
    assert client.get("/tiles/water/WebMercatorQuad").status_code == 401


def test_the_web_mercator_quad_is_described_zoom_by_zoom(client):
    assert _style(client, "/tileMatrixSets")["tileMatrixSets"][0]["id"] == "WebMercatorQuad"
    tms = _style(client, "/tileMatrixSets/WebMercatorQuad")
    matrices = tms["tileMatrices"]
    assert [m["id"] for m in matrices] == [str(z) for z in range(23)]
    assert matrices[0]["scaleDenominator"] == pytest.approx(559082264.0287178)
    assert matrices[18]["matrixWidth"] == 2**18 and matrices[18]["tileWidth"] == 256
    assert matrices[1]["pointOfOrigin"] == [-20037508.3427892, 20037508.3427892]


def test_the_landing_page_and_conformance_declare_the_tiles(client):
    landing = client.get("/?f=json").get_json()
    rels = {link["rel"]: link["href"] for link in landing["links"]}
    assert rels["http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"].endswith("/tiles")
    conforms = client.get("/conformance").get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset" in conforms
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in conforms
