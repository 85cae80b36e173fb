"""The map page and its JSON endpoints, through the Flask test client."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from layers import LAYERS, feature_types
from tests.webmap.map.apptest import login, logout
from tests.webmap.map.conftest import X, Y

pytestmark = pytest.mark.db


def test_map_page_is_vietnamese_by_default_and_links_only_local_assets(client):
    html = client.get("/map/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Bản sao số hạ tầng kỹ thuật" in html
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links, "the page links its scripts and styles"
    assert all(not link.startswith(("http:", "https:", "//")) for link in links), links
    assert "/vendor/leaflet/dist/leaflet.js" in links
    # MapLibre GL (1.6 MB) is loaded by basemap.js only when the page draws with WebGL.
    assert "/static/basemap.js" in links and "/static/gl.js" not in links
    assert "://" not in html, "no absolute URL at all: nothing leaves this server"
    for link in links:
        if link.startswith(("/vendor/", "/map/static/")):
            with client.get(link) as response:
                assert response.status_code == 200, link


def _early(page: str) -> dict:
    """The settings the page gives early.js (its data-early attribute)."""
    return json.loads(unescape(re.search(r'data-early="([^"]*)"', page).group(1)))


def test_early_js_asks_for_the_tables_the_catalogue_lists_in_its_order(client):
    anonymous = _early(client.get("/map/").get_data(as_text=True))
    catalog = client.get("/map/layers.json").get_json()
    open_tables = [t["table"] for lyr in catalog["layers"] for t in lyr["types"]]
    assert anonymous["tables"].split(",") == open_tables and "water_pipe" not in open_tables
    assert anonymous["renderer"] == "auto" and anonymous["layers"] == "/map/layers.json"
    login(client, "vera")
    early = _early(client.get("/map/?renderer=canvas").get_data(as_text=True))
    catalog = client.get("/map/layers.json").get_json()
    assert early["tables"].split(",") == [
        t["table"] for lyr in catalog["layers"] for t in lyr["types"]
    ]
    assert early["renderer"] == "canvas" and early["tiles"] == "/map/tiles/{z}/{x}/{y}.mvt"
    assert len(early["center"]) == 2 and 0 <= early["zoom"] <= 18


def test_language_switch_is_remembered_in_a_cookie(client):
    english = client.get("/map/?lang=en")
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "lang=en" in english.headers["Set-Cookie"]
    again = client.get("/map/").get_data(as_text=True)
    assert "Infrastructure digital twin" in again
    back = client.get("/map/?lang=vi").get_data(as_text=True)
    assert "Bản sao số hạ tầng kỹ thuật" in back


def test_anonymous_visitors_get_only_open_data_layers(client):
    catalog = client.get("/map/layers.json").get_json()
    open_data = [lyr.name for lyr in LAYERS if lyr.open_data]
    assert "water" not in open_data and "base" in open_data
    assert [lyr["name"] for lyr in catalog["layers"]] == open_data
    page = client.get("/map/").get_data(as_text=True)
    assert 'id="edit-tools"' not in page and "/login?next=" in page


def test_layers_json_derives_every_type_and_style_from_the_declarations(client):
    login(client, "vera")
    catalog = client.get("/map/layers.json?lang=en").get_json()
    assert [lyr["name"] for lyr in catalog["layers"]] == [lyr.name for lyr in LAYERS]
    served = {t["table"]: t for lyr in catalog["layers"] for t in lyr["types"]}
    assert set(served) == {ft.table for ft in feature_types()}
    for ft in feature_types():
        entry = served[ft.table]
        assert entry["label"] == ft.en
        assert entry["min_zoom"] == ft.min_zoom
        assert entry["style"]["color"] == ft.style.color
        assert entry["style"]["by"] == ft.style.by
        assert [a["name"] for a in entry["attributes"]] == [a.name for a in ft.attributes]
    pipe = served["water_pipe"]
    assert pipe["details"] == [
        {"label": "< 200 mm", "min_zoom": 15},
        {"label": "< 63 mm", "min_zoom": 17},
    ]
    assert served["base_road"]["details"] == [{"label": "Alley", "min_zoom": 15}]
    water = next(lyr for lyr in catalog["layers"] if lyr["name"] == "water")
    assert water["tiles"] == "/tiles/water/{z}/{x}/{y}.mvt"
    material = next(a for a in pipe["attributes"] if a["name"] == "material")
    assert {"value": "ductile_iron", "label": "Ductile iron"} in material["choices"]
    vietnamese = client.get("/map/layers.json?lang=vi").get_json()
    pipe_vi = next(
        t for lyr in vietnamese["layers"] for t in lyr["types"] if t["table"] == "water_pipe"
    )
    assert pipe_vi["label"] == "Ống cấp nước"
    assert next(a for a in pipe_vi["attributes"] if a["name"] == "diameter_mm") == {
        "name": "diameter_mm",
        "type": "integer",
        "label": "Đường kính",
        "unit": "mm",
        "required": True,
        "personal": False,
        "minimum": 10,
        "maximum": 5000,
    }


def _identify(client, lon, lat, zoom, tables):
    response = client.get(
        "/map/identify",
        query_string={"lon": lon, "lat": lat, "zoom": zoom, "tables": ",".join(tables)},
    )
    assert response.status_code == 200
    return response.get_json()["feature"]


def test_identify_prefers_the_point_on_a_line_and_respects_zoom_and_tolerance(client, samples):
    login(client, "vera")
    tables = ["water_valve", "water_pipe", "base_admin_unit"]
    hit = _identify(client, X + 0.00001, Y + 0.001, 18, tables)
    assert hit["code"] == samples["valve"]["id"] and hit["table"] == "water_valve"
    on_pipe = _identify(client, X + 0.0015, Y + 0.00101, 18, tables)
    assert on_pipe["code"] == samples["pipe"]["id"]
    # The valve is drawn from zoom 15 only: at zoom 14 a click there finds the pipe.
    assert _identify(client, X, Y + 0.001, 14, tables)["code"] == samples["pipe"]["id"]
    # Inside the ward but far from any line or point: the ward itself.
    assert _identify(client, X - 0.008, Y - 0.008, 18, tables)["code"] == "ADM-HVT"
    assert _identify(client, X - 0.008, Y - 0.008, 18, ["water_pipe"]) is None


def test_identify_hides_asset_layers_from_anonymous_visitors(client, samples):
    assert _identify(client, X, Y + 0.001, 18, ["water_valve"]) is None


def test_search_by_code_road_without_diacritics_commune_and_address(client, samples):
    login(client, "vera")
    code = samples["light"]["id"]
    results = client.get("/map/search", query_string={"q": code}).get_json()["results"]
    assert results[0] == {
        "kind": "asset",
        "table": "lighting_light",
        "code": code,
        "label": code,
        "bbox": [X + 0.002, Y - 0.002, X + 0.002, Y - 0.002],
    }
    roads = client.get("/map/search?q=hoang van thu").get_json()["results"]
    road = next(r for r in roads if r["kind"] == "road")
    assert road["label"] == "Đường Hoàng Văn Thụ"
    assert road["bbox"] == pytest.approx([X - 0.004, Y, X + 0.004, Y])
    assert any(r["kind"] == "commune" and r["code"] == "ADM-HVT" for r in roads)
    addresses = client.get("/map/search?q=ngo quyen").get_json()["results"]
    assert [(r["kind"], r["code"]) for r in addresses] == [("address", samples["meter"]["id"])]


def test_panel_labels_units_and_numbers_follow_the_language(client, samples):
    login(client, "vera")
    code = samples["light"]["id"]
    vi = client.get(f"/map/panel/lighting_light/{code}?lang=vi").get_data(as_text=True)
    assert "Cột đèn, bộ đèn" in vi and "Đang vận hành" in vi
    assert re.search(r"Công suất</th>\s*<td>1\.234,5 <span class=\"unit\">W</span>", vi)
    assert re.search(r"Năm lắp đặt</th>\s*<td>2019<", vi)
    assert "Phường Hoàng Văn Thụ (ADM-HVT)" in vi
    en = client.get(f"/map/panel/lighting_light/{code}?lang=en").get_data(as_text=True)
    assert "Light pole / luminaire" in en and "In service" in en
    assert re.search(r"Wattage</th>\s*<td>1,234\.5 <span class=\"unit\">W</span>", en)
    assert re.search(r"Lamp type</th>\s*<td>LED<", en)
    assert "created" in en and 'data-action="edit"' not in en


def test_panel_hides_personal_data_from_all_but_admins(client, samples):
    code = samples["meter"]["id"]
    login(client, "edna")
    editor = client.get(f"/map/panel/water_service_connection/{code}?lang=en").get_data(
        as_text=True
    )
    assert "Nguyễn Văn A" not in editor and "hidden (personal data)" in editor
    assert 'data-action="edit"' in editor and 'data-action="revert"' not in editor
    logout(client)
    login(client, "adam")
    admin = client.get(f"/map/panel/water_service_connection/{code}").get_data(as_text=True)
    assert "Nguyễn Văn A" in admin


def test_panel_of_unknown_feature_or_type_is_404(client):
    login(client, "vera")
    assert client.get("/map/panel/lighting_light/NOPE-1").status_code == 404
    assert client.get("/map/panel/no_such_table/X").status_code == 404


def test_panel_offers_the_crew_only_to_set_a_device_state(client, samples):
    login(client, "cris")
    valve = client.get(f"/map/panel/water_valve/{samples['valve']['id']}").get_data(as_text=True)
    assert 'data-action="operate"' in valve and 'data-action="edit"' not in valve
    pipe = client.get(f"/map/panel/water_pipe/{samples['pipe']['id']}").get_data(as_text=True)
    assert 'data-action="operate"' not in pipe


def test_page_config_tells_scripts_the_user_actions_but_no_secret(client):
    login(client, "edna")
    html = client.get("/map/").get_data(as_text=True)
    assert 'id="edit-tools"' in html and 'id="tool-import"' in html
    assert '"actions": ["edit", "import"]' in html
    assert "map-test-secret" not in html and "password" not in html.lower()


def test_outage_panel_of_the_map_is_labelled_in_the_users_language(client):
    login(client, "cris")
    html = client.get("/map/").get_data(as_text=True)
    assert 'class="outage-close" aria-label="Xóa kết quả"' in html
    assert "built-in method" not in html


def test_a_click_on_empty_ground_opens_the_province_in_force_not_the_abolished_one(client):
    login(client, "vera")
    tables = ["base_admin_unit"]
    inside_ward = _identify(client, X - 0.008, Y - 0.008, 12, tables)
    assert inside_ward["code"] == "ADM-HVT" and inside_ward["in_force"] is True
    # Outside the ward, inside both the merged province and the one it replaced.
    merged = _identify(client, X + 0.03, Y + 0.03, 12, tables)
    assert merged == {**merged, "code": "ADM-NEW", "in_force": True}
    # Only where nothing in force lies is the abolished one chosen, and said to be abolished.
    west = _identify(client, X - 0.08, Y, 12, tables)
    assert west["code"] == "ADM-OLD" and west["in_force"] is False
    panel = client.get("/map/panel/base_admin_unit/ADM-OLD")
    assert panel.status_code == 200
    assert 'data-status="abolished"' in panel.text and "Đã bãi bỏ" in panel.text
    current = client.get("/map/panel/base_admin_unit/ADM-NEW").text
    assert 'data-status="in_service"' in current
