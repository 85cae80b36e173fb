"""The latest drainage and power runs on the map: flooding, conduit fullness, line loading
and bus voltage, on a desktop and a phone.

The small demo town is rained on by a 50-year storm (its sewers are designed for 2 and
5 years, so some manholes brim over) and its feeders are solved; the map page switches each
layer on: the flooded nodes and the conduits, the lines and buses of the view are drawn,
the legends are in the page's language, and nothing scrolls sideways at 390 px.  Any
Content-Security-Policy violation or script error fails.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool

from tests.browser.mapdriver import READY, login, served_demo, watched_page
from twin.simulation import simulate_drainage, simulate_power

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.xdist_group("network_demo")]

PHONE = {"width": 390, "height": 844}


def _drawn(key: str) -> str:
    return f"() => Number(document.querySelector('.folium-map').dataset.{key}Drawn || 0) > 0"


@pytest.fixture(scope="module")
def map_url(network_demo):
    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    storm = simulate_drainage(engine, network_demo.home, storm=50, user="tester")
    simulate_power(engine, user="tester")
    engine.dispose()
    assert storm["summary"]["flooded_nodes"] > 0
    with served_demo(network_demo, "run-layers-secret") as url:
        yield url, storm


@pytest.fixture
def open_page(browser, map_url):
    url, storm = map_url
    opened = []

    def open_(viewport: dict, lang: str, locate):
        context, policy, page = watched_page(browser, viewport=viewport, locale="vi-VN",
                                             base_url=url)
        login(page, "vera")
        lon, lat = locate(page)
        page.goto(f"/map/?lang={lang}#17/{lat}/{lon}")
        page.wait_for_selector(READY)
        opened.append((context, policy))
        return page

    yield open_, storm
    for context, policy in opened:
        context.close()
        assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"
        errors = [e for e in policy.console_errors if "favicon.ico" not in e]
        assert not errors, errors


def _pixels(page, colours: list[tuple[int, int, int]]) -> int:
    """Pixels of the simulation canvases in one of ``colours``."""
    return page.evaluate(
        """(classes) => {
          let n = 0;
          for (const canvas of document.querySelectorAll('.leaflet-twin-simulation-pane canvas')) {
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < data.length; i += 4) {
              if (data[i + 3] > 200 && classes.some(([r, g, b]) =>
                Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 12)) n++;
            }
          }
          return n;
        }""",
        colours,
    )


PURPLE, BLUE, GREEN, ORANGE, RED = (123, 50, 148), (43, 131, 186), (26, 150, 65), \
    (253, 174, 97), (215, 25, 28)


def test_the_drainage_layer_draws_flooding_and_fullness(open_page):
    open_, storm = open_page
    worst = storm["summary"]["worst"][0]["code"]
    run = f"/api/simulation/drainage/runs/{storm['run_id']}"
    page = open_({"width": 1400, "height": 900}, "en",
                 lambda p: p.request.get(run).json()["nodes"][worst]["lonlat"])
    legend = page.locator("#drainage-run-panel .run-legend").inner_text()
    assert "full or surcharged" in legend and "Flooded node" in legend
    page.check("#drainage-run-toggle")
    page.wait_for_function(_drawn("drainage"))
    assert "50-year storm" in page.text_content("#drainage-run-panel .pressure-note")
    assert _pixels(page, [PURPLE]) > 20, "the flooded nodes are drawn"
    assert _pixels(page, [BLUE, GREEN, ORANGE, RED]) > 50, "the conduits are drawn"
    page.uncheck("#drainage-run-toggle")
    page.wait_for_function("() => !document.querySelector('.folium-map').dataset.drainageDrawn")


def test_the_power_layer_on_a_phone_in_vietnamese(open_page):
    open_, _ = open_page
    page = open_(PHONE, "vi", lambda p: p.request.get(
        "/collections/power_transformer/items?limit=1").json()["features"][0]["geometry"]
        ["coordinates"])
    page.click("#layers-toggle")
    legend = page.locator("#power-run-panel .run-legend").inner_text()
    assert "quá tải, trên 100 %" in legend and "điện áp" in legend
    page.check("#power-run-toggle")
    page.wait_for_function(_drawn("power"))
    assert _pixels(page, [GREEN, BLUE, ORANGE, RED, PURPLE]) > 50
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator("#power-run-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
