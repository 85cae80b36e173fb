"""Looking at the map: offline assets, layers, a feature's panel, search, language."""

from __future__ import annotations

from tests.browser.mapdriver import (
    MARKS,
    PASSWORD,
    READY,
    TILES_DRAWN,
    api,
    first_feature,
    login,
    open_feature,
    open_map,
)

pytestmark = MARKS

VIETNAMESE_FOLD = str.maketrans(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
    "aaaaaaaaaaaaaaaaadeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy",
)


def test_map_loads_with_no_network_and_lists_the_six_layers_and_the_base(contexts):
    page = contexts.new_page()
    login(page, "vera")
    open_map(page)
    page.wait_for_function(TILES_DRAWN)  # MapLibre's worker fetched and drew the tiles
    assert not contexts.external, f"the page tried to reach: {contexts.external}"
    layers = page.locator("#layer-list details.layer").evaluate_all(
        "nodes => nodes.map(n => n.dataset.layer).filter(Boolean)"
    )
    assert layers == ["trees", "lighting", "water", "drainage", "power", "telecom", "video",
                      "base"]
    assert page.locator("details[data-layer=water] summary").inner_text() == "Cấp nước"
    assert page.locator("input[data-raster=hillshade]").is_checked()
    assert page.evaluate("() => L.version") == "1.9.4"


def test_an_editor_logs_in_through_the_form_gets_the_editing_tools_and_logs_out(page):
    page.goto("/map/")
    page.wait_for_selector(READY)
    assert page.locator("#edit-tools").count() == 0
    page.click("#account a")
    page.fill("#username", "edna")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(READY)
    assert page.locator("#account .user").inner_text() == "edna (biên tập viên)"
    assert page.locator("#edit-tools #tool-draw").is_visible()
    options = page.locator("#draw-type option").evaluate_all("os => os.map(o => o.value)")
    assert "lighting_light" in options and "base_road" not in options
    page.click("#account form.logout button")  # a POST with the CSRF token, not a link
    page.wait_for_selector(READY)
    assert page.url.endswith("/map/") and page.locator("#account .user").count() == 0
    assert page.locator("#edit-tools").count() == 0


def test_layers_and_types_switch_off_and_on(page):
    login(page, "vera")
    open_map(page, first_feature(page, "water_valve"), zoom=17)
    page.wait_for_function(TILES_DRAWN)
    visible = "() => Twin.layers.visibleTables()"
    fetched = "() => Twin.layers.shownTables()"  # style layers MapLibre draws
    assert "water_pipe" in page.evaluate(visible) and "water_pipe" in page.evaluate(fetched)
    page.uncheck("input.layer-toggle[data-layer=water]")
    assert not [t for t in page.evaluate(visible) if t.startswith("water_")]
    assert not [t for t in page.evaluate(fetched) if t.startswith("water_")]
    page.check("input.layer-toggle[data-layer=water]")
    page.locator("details[data-layer=water] summary").click()
    page.uncheck("input[data-table=water_pipe]")
    tables = page.evaluate(visible)
    assert "water_pipe" not in tables and "water_valve" in tables
    assert "water_pipe" not in page.evaluate(fetched)
    # Below a type's declared zoom the panel greys it out and says from when it shows.
    page.evaluate("() => Twin.state.map.setZoom(12, {animate: false})")
    valve = page.locator("li.type[data-table=water_valve]")
    assert "hidden-at-zoom" in valve.get_attribute("class")
    assert valve.locator(".min-zoom").inner_text() == "hiển thị từ mức zoom 15"


def test_clicking_a_light_opens_its_panel_with_labels_units_status_and_history(page):
    login(page, "vera")
    light = first_feature(page, "lighting_light")
    open_map(page, light)
    open_feature(page, light)
    panel = page.locator("#feature-panel")
    assert panel.locator("h2.code").inner_text() == light["id"]
    assert panel.locator(".type").first.inner_text() == "Cột đèn, bộ đèn"
    assert panel.locator("p.status").get_attribute("data-status") == light["properties"]["status"]
    if light["properties"]["wattage_w"] is not None:
        assert panel.locator("tr[data-field=wattage_w] td").inner_text().endswith(" W")
    assert panel.locator("ol.history-list li").count() >= 1
    # A viewer reads; the panel offers no editing.
    assert panel.locator("button[data-action=edit]").count() == 0


def test_search_by_code_zooms_to_the_asset_and_opens_it(page):
    login(page, "vera")
    valve = first_feature(page, "water_valve")
    open_map(page)
    page.fill("#search-input", valve["id"])
    page.locator("#search-results button.result").first.wait_for()
    page.press("#search-input", "Enter")
    page.wait_for_selector(f"article.feature[data-code='{valve['id']}']")
    assert page.evaluate("() => Twin.state.map.getZoom()") >= 17


def test_search_finds_a_commune_by_name_without_diacritics(page):
    login(page, "vera")
    commune = first_feature(page, "base_admin_unit", filter="level='commune' AND valid_to IS NULL")
    name = commune["properties"]["name"]
    open_map(page)
    page.fill("#search-input", name.split(" ", 1)[-1].lower().translate(VIETNAMESE_FOLD))
    result = page.locator("#search-results button.result[data-kind=commune]").first
    result.wait_for()
    assert result.locator(".label").inner_text() == name


def test_language_switches_to_english_and_stays(page):
    login(page, "vera")
    light = first_feature(page, "lighting_light")
    open_map(page, light)
    page.click("#lang a[data-lang=en]")
    page.wait_for_selector(READY)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("details[data-layer=water] summary").inner_text() == "Water supply"
    open_feature(page, light)
    assert page.locator("#feature-panel .type").first.inner_text() == "Light pole / luminaire"
    open_map(page)
    assert page.locator("#topbar h1").inner_text() == "Infrastructure digital twin"
    assert api(page, "/map/layers.json")["language"] == "en"


def test_clicking_a_camera_draws_its_view_cone(page):
    login(page, "vera")
    camera = first_feature(page, "video_camera")
    open_map(page, camera)
    open_feature(page, camera)
    page.wait_for_selector("path.view-cone")
    assert page.locator("path.view-cone").count() == 1
    assert page.locator("#feature-panel tr[data-field=field_of_view_deg]").count() == 1
    # The stream address is for operators only: a viewer reads that it is hidden.
    row = page.locator("#feature-panel tr[data-field=stream_url]")
    assert row.count() == 1
    assert "://" not in row.inner_text() and "://" not in page.inner_text("#feature-panel")
