"""The work order's map in headless Chromium: served with its policy, and saved for offline use.

The saved file is opened from disk with every request that is not a file
aborted, as on a crew phone without network.
"""

from __future__ import annotations

import pytest

from tests.browser.csp import PolicyWatch
from tests.twin.network.demo_db import PASSWORD, pipe_with_valves
from tests.webmap.map.apptest import served
from twin.config import Settings
from webmap import create_app

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.xdist_group("network_demo")]


@pytest.fixture(scope="module")
def workorder_url(network_demo):
    settings = Settings(
        home=network_demo.home, database_url=network_demo.url, secret_key="workorder-secret"
    )
    pipe = pipe_with_valves(network_demo.url)
    with served(create_app(settings), threads=4) as url:
        yield url, f"/outage/workorder?code={pipe}&lang=vi"


@pytest.fixture
def watched(browser):
    """A new context whose policy violations fail the test."""
    made, policy = [], PolicyWatch()

    def new_context(**options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        policy.watch(context)
        made.append(context)
        return context

    yield new_context
    for context in made:
        context.close()
    assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"
    errors = [e for e in policy.console_errors if "/favicon.ico" not in e]  # the app has none
    assert not errors, f"console errors: {errors}"


def _assert_map_drawn(page) -> int:
    page.wait_for_selector("#wo-map[data-drawn]")
    for pane in ("map", "overlay", "tooltip"):
        assert page.locator(f"#wo-map .leaflet-{pane}-pane").count() == 1
    devices = page.locator("#wo-steps tbody tr").count()
    assert devices > 0
    assert page.locator("#wo-map path.wo-device").count() == devices
    assert page.locator("#wo-map .wo-label").count() == devices
    assert page.locator("#wo-map path.wo-line").count() > 0
    box = page.locator("#wo-map").bounding_box()
    assert box["height"] > 200 and box["width"] > 300
    return devices


def _open_as_crew(context, workorder_url):
    base, path = workorder_url
    page = context.new_page()
    page.goto(f"{base}/outage/?lang=vi")
    page.fill("#username", "cris")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/outage/**")
    page.goto(base + path)
    return page


def test_the_served_work_order_draws_its_map_and_saves_a_file_that_works_offline(
    watched, workorder_url, tmp_path
):
    page = _open_as_crew(watched(locale="vi-VN"), workorder_url)
    devices = _assert_map_drawn(page)
    assert page.locator("button.print svg").count() == 1
    assert page.locator("button.print").inner_text().strip() == "In phiếu"

    page.emulate_media(media="print")
    printed = page.locator("#wo-map").bounding_box()
    assert 600 < printed["width"] < 700  # 180 mm at 96 px per inch
    assert not page.locator("button.print").is_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.click("#wo-offline")
    saved = tmp_path / "workorder.html"
    download.value.save_as(saved)

    offline = watched().new_page()
    requested = []

    def only_files(route):
        requested.append(route.request.url)
        route.abort()

    offline.context.route(lambda url: not url.startswith("file:"), only_files)
    offline.goto(saved.as_uri())
    assert _assert_map_drawn(offline) == devices
    assert requested == []


def test_the_map_fits_a_phone(watched, workorder_url):
    page = _open_as_crew(watched(viewport={"width": 390, "height": 844}), workorder_url)
    _assert_map_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#wo-map").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def _roads_on_map(page) -> int:
    """Roads of the base map drawn inside the map's box."""
    box = page.locator("#wo-map").bounding_box()
    roads = page.locator("#wo-map path.wo-road")
    inside = 0
    for i in range(roads.count()):
        r = roads.nth(i).bounding_box()
        if r and r["x"] < box["x"] + box["width"] and r["x"] + r["width"] > box["x"] and (
            r["y"] < box["y"] + box["height"] and r["y"] + r["height"] > box["y"]
        ):
            inside += 1
    return inside


def test_the_saved_work_order_draws_the_base_map_and_devices_with_the_network_cut(
    watched, workorder_url, tmp_path
):
    page = _open_as_crew(watched(locale="vi-VN"), workorder_url)
    devices = _assert_map_drawn(page)
    roads = _roads_on_map(page)
    assert roads > 0, "the twin's own roads are drawn around the outage"
    assert page.locator("#wo-map path.wo-road-casing").count() >= roads
    assert page.locator("#wo-map canvas").count() >= 1  # the buildings
    legend = page.locator("#wo-legend").inner_text()
    for words in ("Nền bản đồ", "Đường phố", "Công trình, nhà", "Van/thiết bị cần thao tác"):
        assert words in legend
    with page.expect_download() as download:
        page.click("#wo-offline")
    saved = tmp_path / "workorder.html"
    download.value.save_as(saved)

    context = watched()
    context.set_offline(True)
    offline = context.new_page()
    offline.goto(saved.as_uri())
    assert _assert_map_drawn(offline) == devices
    assert _roads_on_map(offline) == roads
    assert offline.locator("#wo-map .wo-name").count() > 0, "names of streets and places"
    assert offline.locator("#wo-legend li").count() == page.locator("#wo-legend li").count()
