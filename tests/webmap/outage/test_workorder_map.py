"""The work order's map over HTTP: the served page and the file saved for offline use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.webmap.map.apptest import login
from webmap.assets import LEAFLET_CSS, LEAFLET_JS

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]

#: What a page loads from elsewhere: links, sources and CSS ``url(...)`` to http(s).
_EXTERNAL_LOAD = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.I
)


def _map_data(html: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="wo-map-data">(.*?)</script>', html, re.S
    )
    assert found, "the work order carries no map data"
    return json.loads(found[1])


@pytest.fixture(scope="module")
def report(app, pipe):
    client = app.test_client()
    csrf = login(client, "cris")
    return client.post(
        "/outage/analyse", json={"codes": [pipe]}, headers={"X-CSRFToken": csrf}
    ).get_json()


def test_the_work_order_has_a_map_of_the_lines_and_the_devices(crew, pipe, report):
    response = crew.get(f"/outage/workorder?code={pipe}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="wo-map"' in html and 'class="folium-map"' in html
    data = _map_data(html)
    steps = [s for s in report["work_order"]["steps"] if s.get("lonlat")]
    assert steps, "the demo pipe needs valves to close"
    assert [d["device"] for d in data["devices"]] == [s["device"] for s in steps]
    lines = {f["properties"]["code"] for f in data["lines"]["features"]}
    assert pipe in lines
    assert all(
        f["geometry"]["type"] in ("LineString", "MultiLineString")
        for f in data["lines"]["features"]
    )
    # Leaflet from this app, every inline script nonced, the strict policy kept.
    assert "/vendor/leaflet/dist/leaflet.js" in html
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)[1]
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert (
        "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("style-src-attr")[0]
    )
    assert "🖶" not in html and "<svg" in html
    assert "offline=1" in html


def test_the_offline_file_holds_leaflet_and_the_data_and_loads_nothing(app, crew, pipe, report):
    response = crew.get(f"/outage/workorder?code={pipe}&offline=1")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and f"workorder-{pipe}.html" in disposition
    html = response.get_data(as_text=True)
    for part in (LEAFLET_JS, LEAFLET_CSS):  # inlined whole, as npm installed them
        text = (Path(app.config["NODE_MODULES"]).joinpath(*part)).read_text(encoding="utf-8")
        text = text.replace("</", "<\\/")
        assert text in html
        html = html.replace(text, "")  # Leaflet's own strings name its web site
    assert not _EXTERNAL_LOAD.search(html), _EXTERNAL_LOAD.search(html)
    assert "/vendor/" not in html and "<link" not in html
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"cdn|unpkg|jsdelivr", html, re.I)
    assert "twinWorkOrder" in html and "Twin.el" in html
    assert "default-src 'none'" in html
    data = _map_data(html)
    assert len(data["devices"]) == len(
        [s for s in report["work_order"]["steps"] if s.get("lonlat")]
    )
    assert 'class="site-nav' not in html  # the server's links do not work from a file


def test_coordinates_are_simplified_and_rounded(crew, pipe):
    data = _map_data(crew.get(f"/outage/workorder?code={pipe}").get_data(as_text=True))
    numbers = re.findall(r"-?\d+\.\d+", json.dumps(data))
    assert numbers and all(len(n.split(".")[1]) <= 6 for n in numbers)


def test_the_offline_file_needs_the_crew_role(app, pipe):
    assert app.test_client().get(f"/outage/workorder?code={pipe}&offline=1").status_code in (
        401,
        403,
    )


def test_the_map_carries_the_base_map_around_the_outage_and_a_legend(crew, pipe):
    html = crew.get(f"/outage/workorder?code={pipe}&lang=vi").get_data(as_text=True)
    data = _map_data(html)
    west, south, east, north = data["base"]["bbox"]
    for device in data["devices"]:
        lon, lat = device["lonlat"]
        assert west < lon < east and south < lat < north
    tables = {f["properties"]["table"] for f in data["base"]["features"]}
    assert {"base_road", "base_building"} <= tables
    assert set(data["base_styles"]) >= tables
    assert data["base_styles"]["base_road"]["colors"]["street"] == "#d9d9d9"
    legend = html.split('id="wo-legend"')[1].split("</div>")[0]
    for words in ("Nền bản đồ", "Đường phố", "Sông, kênh", "Sự cố", "Vùng cô lập"):
        assert words in legend
    assert "<meta" not in html.split("<body>")[1], "folium's meta stays out of the page"
