"""The map drawn on a canvas: chosen where WebGL is software, the declared colours, the notes.

Headless chromium here has WebGL only in software (SwiftShader), so the
page's ``auto`` renderer paints the tiles on canvas tiles (canvas.js, tiledraw.js);
``?renderer=webgl`` keeps MapLibre (test_browser_gl.py).
"""

from __future__ import annotations

from layers import feature_type
from tests.browser.mapdriver import (
    MARKS,
    TILES_DRAWN,
    first_feature,
    login,
    open_feature,
    open_map,
    screen_point,
    set_view,
)

pytestmark = MARKS

#: The colour (#rrggbb) of the canvas pixel at page point x, y of the asset pane.
_PIXEL = """([x, y]) => {
  for (const canvas of document.querySelectorAll(".leaflet-twin-assets-pane canvas")) {
    const box = canvas.getBoundingClientRect();
    if (x < box.left || x >= box.right || y < box.top || y >= box.bottom) continue;
    const scale = canvas.width / box.width;
    const [r, g, b, a] = canvas.getContext("2d").getImageData(
      Math.floor((x - box.left) * scale), Math.floor((y - box.top) * scale), 1, 1).data;
    if (a) return "#" + [r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("");
  }
  return null;
}"""


def _close(colour: str, other: str, within: int = 12) -> bool:
    return all(
        abs(int(colour[i : i + 2], 16) - int(other[i : i + 2], 16)) <= within for i in (1, 3, 5)
    )


def test_software_webgl_draws_the_tiles_on_canvas_in_the_declared_colours(page):
    login(page, "vera")
    valve = first_feature(page, "water_valve")
    open_map(page, valve, zoom=19)
    page.wait_for_function(TILES_DRAWN)
    assert page.get_attribute(".folium-map", "data-renderer") == "canvas"
    assert page.locator("canvas.maplibregl-canvas").count() == 0
    declared = feature_type("water_valve").style.colors[valve["properties"]["normal_state"]]
    drawn = page.evaluate(_PIXEL, list(screen_point(page, *valve["geometry"]["coordinates"])))
    assert drawn and _close(drawn, declared), (drawn, declared)  # 95 % opaque over the ground
    open_feature(page, valve)  # a click is answered by the server, whatever draws


def test_switching_a_layer_off_fetches_tiles_without_it(page):
    login(page, "vera")
    open_map(page, first_feature(page, "water_valve"), zoom=17)
    page.wait_for_function(TILES_DRAWN)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/map/tiles/" in r.url else None)
    page.uncheck("input.layer-toggle[data-layer=water]")
    page.wait_for_function("() => document.querySelector('.leaflet-twin-assets-pane canvas')")
    page.wait_for_timeout(300)
    assert asked and all("water_pipe" not in url and "base_road" in url for url in asked)


def test_the_layer_list_says_which_features_show_only_deeper(page):
    login(page, "vera")
    valve = first_feature(page, "water_valve")
    open_map(page, valve, zoom=15)
    page.evaluate("() => { document.querySelector('details.layer[data-layer=water]').open = true; }")
    note = page.locator("li.type[data-table=water_pipe] .detail-zoom[data-min-zoom='17']")
    assert not page.locator(
        "li.type[data-table=water_pipe] .detail-zoom[data-min-zoom='15']"
    ).is_visible(), "distribution pipes are drawn from 15"
    assert note.is_visible() and note.inner_text() == "< 63 mm chỉ hiển thị từ mức zoom 17"
    lon, lat = valve["geometry"]["coordinates"]
    set_view(page, lon, lat, 17)
    page.wait_for_function(
        "() => !document.querySelector('li.type[data-table=water_pipe] .detail-zoom.below')"
    )
    assert not note.is_visible()
    alley = page.locator("li.type[data-table=base_road] .detail-zoom")
    assert alley.inner_text() == "Ngõ, hẻm chỉ hiển thị từ mức zoom 15" and not alley.is_visible()
    set_view(page, lon, lat, 14)
    page.wait_for_function(
        "() => document.querySelectorAll('li.type[data-table=water_pipe] .detail-zoom.below')"
        ".length === 2"
    )
    assert note.is_visible() and alley.is_visible()
