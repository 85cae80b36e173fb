"""The latest water run on the map: pressure colours and flow arrows, on a desktop and a phone.

The small demo city is run for a day, then the map page switches the
"pressure and flow" layer on: junctions are drawn in the colours of their
pressure class, pipes get arrows the way the water flows, the legend says
what the colours mean in the page's language, and nothing scrolls sideways
at 390 px.  Any Content-Security-Policy violation or script error fails.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool

from tests.browser.mapdriver import served_demo, watched_page
from tests.twin.network.demo_db import PASSWORD
from twin.simulation import simulate_water

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.xdist_group("network_demo")]

PHONE = {"width": 390, "height": 844}
DRAWN = "() => Number(document.querySelector('.folium-map').dataset.pressureDrawn || 0) > 0"


@pytest.fixture(scope="module")
def map_url(network_demo):
    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    simulate_water(engine, network_demo.home, duration_h=24, user="tester")
    engine.dispose()
    with served_demo(network_demo, "pressure-map-secret") as url:
        yield url


@pytest.fixture
def open_page(browser, map_url):
    opened = []

    def open_(viewport: dict, lang: str):
        context, policy, page = watched_page(browser, viewport=viewport, locale="vi-VN",
                                             base_url=map_url)
        page.goto(f"/login?lang={lang}")
        page.fill("#username", "vera")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        node = page.request.get("/collections/water_service_connection/items?limit=1").json()
        lon, lat = node["features"][0]["geometry"]["coordinates"]
        page.goto(f"/map/?lang={lang}#17/{lat}/{lon}")
        page.wait_for_selector("body.twin-ready")
        opened.append((context, policy))
        return page

    yield open_
    for context, policy in opened:
        context.close()
        assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"
        errors = [e for e in policy.console_errors if "favicon.ico" not in e]
        assert not errors, errors


def _colours_drawn(page) -> int:
    """Pixels of the simulation canvas in the colour of a pressure class."""
    return page.evaluate(
        """() => {
          const canvas = document.querySelector('.leaflet-twin-simulation-pane canvas');
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          const classes = [[215, 25, 28], [253, 174, 97], [26, 150, 65], [43, 131, 186], [123, 50, 148]];
          let n = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 200 && classes.some(([r, g, b]) =>
              Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 12)) n++;
          }
          return n;
        }"""
    )


def test_the_layer_draws_pressure_colours_and_flow_arrows_with_a_legend(open_page):
    page = open_page({"width": 1400, "height": 900}, "en")
    assert page.locator("#pressure-panel .pressure-legend li").count() == 6
    assert page.locator(".leaflet-twin-simulation-pane canvas").count() == 0 or _colours_drawn(page) == 0
    page.check("#pressure-toggle")
    page.wait_for_function(DRAWN)
    drawn = page.evaluate("() => ({...document.querySelector('.folium-map').dataset})")
    assert int(drawn["pressureDrawn"]) > 0 and int(drawn["flowArrows"]) > 0
    assert _colours_drawn(page) > 50
    assert page.input_value("#pressure-hour") == "7"
    assert "Run " in page.text_content(".pressure-note")
    legend = page.locator("#pressure-panel .pressure-legend").inner_text()
    assert "below 10 m" in legend and "Direction of flow" in legend
    page.uncheck("#pressure-toggle")
    page.wait_for_function("() => !document.querySelector('.folium-map').dataset.pressureDrawn")


def test_on_a_phone_the_layer_is_in_vietnamese_and_nothing_scrolls_sideways(open_page):
    page = open_page(PHONE, "vi")
    page.click("#layers-toggle")
    page.check("#pressure-toggle")
    page.wait_for_function(DRAWN)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    legend = page.locator("#pressure-panel .pressure-legend").inner_text()
    assert "dưới 10 m" in legend and "Hướng dòng chảy" in legend
    box = page.locator("#pressure-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
