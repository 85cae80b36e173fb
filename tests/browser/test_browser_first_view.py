"""The map's first view: its tiles asked for while the scripts load, each once; MapLibre
loaded only for WebGL.

early.js fetches the catalogue and the canvas renderer's 512-pixel tiles of
the opening view before the page's other scripts have run; canvas.js and
twin.js must take those answers rather than ask again.
"""

from __future__ import annotations

from tests.browser.mapdriver import MARKS, TILES_DRAWN, first_feature, login, open_map

pytestmark = MARKS

#: When the parser was done (every classic script run) and when each tile was asked for.
_TIMES = """() => ({
  parsed: performance.getEntriesByType("navigation")[0].domInteractive,
  tiles: performance.getEntriesByType("resource")
    .filter((r) => r.name.includes("/map/tiles/")).map((r) => r.startTime),
})"""


def _watch(page, fragments: tuple[str, ...]) -> list[str]:
    asked: list[str] = []
    page.on(
        "request", lambda r: asked.append(r.url) if any(f in r.url for f in fragments) else None
    )
    return asked


def test_the_first_views_tiles_are_asked_for_before_the_scripts_ran_and_only_once(page):
    login(page, "vera")
    valve = first_feature(page, "water_valve")
    asked = _watch(page, ("/map/tiles/", "/map/layers.json", "maplibre", "/static/gl.js"))
    open_map(page, valve, zoom=17)
    page.wait_for_function(TILES_DRAWN)
    assert page.get_attribute(".folium-map", "data-renderer") == "canvas"
    tiles = [url for url in asked if "/map/tiles/" in url]
    assert tiles and all("size=512" in url and "/16/" in url for url in tiles), tiles
    assert len(tiles) == len(set(tiles)), "a tile was fetched twice"
    assert sum("/map/layers.json" in url for url in asked) == 1
    assert not [url for url in asked if "maplibre" in url or "gl.js" in url]
    times = page.evaluate(_TIMES)
    assert times["tiles"] and min(times["tiles"]) < times["parsed"], times


def test_maplibre_is_loaded_when_the_page_draws_with_webgl(page):
    login(page, "vera")
    asked = _watch(page, ("maplibre-gl.mjs", "maplibre-gl.css", "/static/gl.js"))
    open_map(page, first_feature(page, "water_valve"), zoom=17, renderer="webgl")
    page.wait_for_function(TILES_DRAWN)
    assert page.get_attribute(".folium-map", "data-renderer") == "webgl"
    assert len(asked) == 3 and len(set(asked)) == 3, asked
    assert page.locator("canvas.maplibregl-canvas").count() == 1
