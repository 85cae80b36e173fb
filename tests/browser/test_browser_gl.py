"""Maps drawn with WebGL: the map page, and the base map and legend on the crew's outage map.

MapLibre GL draws the twin's vector tiles inside Leaflet from the style the
server derives from the layers; the contexts fixture fails any test whose
page broke the Content-Security-Policy or threw a script error.
"""

from __future__ import annotations

from layers import feature_type
from tests.browser.mapdriver import (
    MARKS,
    TILES_DRAWN,
    click_at,
    first_feature,
    first_vertex,
    login,
    open_map,
)

pytestmark = MARKS

#: The MapLibre map of the first WebGL layer on the Leaflet map named by `leaflet`.
_GL_MAP = """(leaflet) => {
  let found = null;
  window[leaflet].eachLayer((l) => { if (!found && l.getMaplibreMap) found = l.getMaplibreMap(); });
  return found;
}"""

#: Source layers (tables) MapLibre has drawn in the view.
_DRAWN_TABLES = f"""() => {{
  const m = ({_GL_MAP})("twinGlHost");
  return [...new Set(m.queryRenderedFeatures().map((f) => f.sourceLayer))].sort();
}}"""


def _expose(page, expression: str) -> None:
    page.evaluate(f"() => {{ window.twinGlHost = {expression}; }}")


def test_the_map_page_draws_its_tiles_with_webgl_in_the_declared_colours(page):
    login(page, "vera")
    valve = first_feature(page, "water_valve")
    open_map(page, valve, zoom=17, renderer="webgl")
    page.wait_for_function(TILES_DRAWN)
    _expose(page, "Twin.state.map")
    context = page.evaluate(
        "() => { const c = Twin.layers.glMap().getCanvas();"
        " return c.getContext('webgl2') ? 'webgl2' : c.getContext('webgl') ? 'webgl' : null; }"
    )
    assert context in ("webgl2", "webgl")
    drawn = page.evaluate(_DRAWN_TABLES)
    assert {"water_valve", "water_pipe", "base_road"} <= set(drawn), drawn
    # The valve's circle has the colour its declaration gives its normal state.
    colour = page.evaluate(
        """(code) => {
          const m = Twin.layers.glMap();
          const hit = m.queryRenderedFeatures({ layers: ["water_valve"] })
            .find((f) => f.properties.code === code);
          return hit && hit.layer.paint["circle-color"];
        }""",
        valve["id"],
    )
    declared = feature_type("water_valve").style.colors[valve["properties"]["normal_state"]]
    assert colour is not None
    assert "#" + "".join(f"{round(colour[c] * 255):02x}" for c in "rgb") == declared


def test_a_click_on_a_feature_drawn_with_webgl_opens_its_panel(page):
    login(page, "vera")
    valve = first_feature(page, "water_valve")
    open_map(page, valve, zoom=19, renderer="webgl")
    page.wait_for_function(TILES_DRAWN)
    click_at(page, *first_vertex(valve))
    panel = page.locator(f"#feature-panel article.feature[data-code='{valve['id']}']")
    panel.wait_for()
    assert panel.locator("h2.code").inner_text() == valve["id"]


def test_switching_a_layer_off_hides_it_without_fetching_tiles_again(page):
    login(page, "vera")
    open_map(page, first_feature(page, "water_valve"), zoom=17, renderer="webgl")
    page.wait_for_function(TILES_DRAWN)
    _expose(page, "Twin.state.map")
    assert "water_pipe" in page.evaluate(_DRAWN_TABLES)
    page.uncheck("input.layer-toggle[data-layer=water]")
    page.wait_for_function(f"() => !({_DRAWN_TABLES})().includes('water_pipe')")
    assert "base_road" in page.evaluate(_DRAWN_TABLES)


def test_the_crew_outage_map_has_the_twins_base_map_and_a_legend(contexts):
    page = contexts.new_page()
    login(page, "cris")
    page.goto("/outage/")
    page.wait_for_selector(".twin-legend")
    page.wait_for_function("() => document.querySelector('#outage-map').dataset.basemap")
    _expose(page, "window.twinOutageMap")
    drawn = page.evaluate(_DRAWN_TABLES)
    assert "base_road" in drawn and "base_building" in drawn, drawn
    assert not [t for t in drawn if not t.startswith("base_")], "the base map holds no assets"
    legend = page.locator(".twin-legend")
    assert legend.locator("summary").inner_text() == "Chú giải"
    titles = legend.locator("h4").all_inner_texts()
    assert titles[:2] == ["Mạng lưới", "Phân tích sự cố mạng lưới"] and "Nền địa lý" in titles
    entries = legend.locator("li").all_inner_texts()
    assert "cấp nước" in entries and "Vùng cô lập" in entries and "Đường giao thông" in entries
    # The map's background is the base map's, no longer Leaflet's grey.
    assert page.locator("#outage-map canvas.maplibregl-canvas").count() == 1


def test_the_zoning_map_has_the_base_map_and_a_legend_of_the_conflicts(contexts):
    page = contexts.new_page()
    login(page, "adam")
    page.goto("/zoning/")
    page.wait_for_function("() => document.querySelector('#map').dataset.basemap")
    legend = page.locator(".twin-legend")
    assert legend.locator("summary").inner_text() == "Chú giải"
    assert "Xung đột theo mức độ" in legend.locator("h4").all_inner_texts()
