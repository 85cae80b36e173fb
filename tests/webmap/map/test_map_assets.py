"""Front-end packages served from node_modules, and folium kept off the CDNs."""

from __future__ import annotations

import folium
import folium.folium
import pytest
from flask import Flask

from webmap import assets
from webmap.map.page import build_map, map_parts


@pytest.fixture
def vendor_app(tmp_path):
    (tmp_path / "leaflet" / "dist").mkdir(parents=True)
    (tmp_path / "leaflet" / "dist" / "leaflet.js").write_text("/* leaflet */")
    (tmp_path / "@scope" / "pkg").mkdir(parents=True)
    (tmp_path / "@scope" / "pkg" / "x.css").write_text("a{}")
    (tmp_path / "not-declared").mkdir()
    (tmp_path / "not-declared" / "secret.js").write_text("no")
    app = Flask(__name__)
    app.config["NODE_MODULES"] = str(tmp_path)
    assets.init_app(app)
    assets.init_app(app)  # idempotent: several areas may ask for it
    app.extensions["twin_vendor_packages"] = frozenset({"leaflet", "@scope/pkg"})
    return app


def test_declared_packages_are_served_with_a_cache_lifetime(vendor_app):
    client = vendor_app.test_client()
    with client.get("/vendor/leaflet/dist/leaflet.js") as response:
        assert response.status_code == 200
        assert response.get_data(as_text=True) == "/* leaflet */"
        assert response.cache_control.max_age == 24 * 3600
    with client.get("/vendor/@scope/pkg/x.css") as response:
        assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/not-declared/secret.js",
        "/vendor/leaflet/../not-declared/secret.js",
        "/vendor/leaflet/",
        "/vendor/leaflet/dist/missing.js",
    ],
)
def test_other_files_of_node_modules_are_not_served(vendor_app, path):
    with vendor_app.test_client().get(path) as response:
        assert response.status_code == 404


def test_the_packages_served_are_those_package_json_declares():
    served = assets._served_packages(assets.PROJECT_ROOT)
    assert {"leaflet", "maplibre-gl", "@maplibre/maplibre-gl-leaflet"} <= served
    assert "@geoman-io/leaflet-geoman-free" in served


def test_folium_map_links_local_leaflet_and_leaves_folium_defaults_alone(vendor_app):
    defaults = list(folium.folium._default_js)
    with vendor_app.test_request_context():
        parts = map_parts(
            build_map(
                {"x": 1},
                hillshade_url="/map/hillshade/{z}/{x}/{y}.png",
                online_basemap={
                    "url": "https://tile.example/{z}/{x}/{y}.png",
                    "attribution": "Example",
                },
            )
        )
    assert '<script src="/vendor/leaflet/dist/leaflet.js"></script>' in parts["header"]
    assert "jquery" not in parts["header"] and "bootstrap" not in parts["header"]
    assert "://" not in parts["header"]
    assert "Twin.start(" in parts["script"] and '"hillshade": tile_layer_' in parts["script"]
    # The optional online basemap is defined, but not shown until the user asks.
    online = parts["script"].split("https://tile.example/")[1].split(");")[0]
    assert "addTo" not in online
    assert folium.folium._default_js == defaults
    assert folium.Map.default_js is folium.folium._default_js
