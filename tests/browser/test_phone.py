"""The crew's pages on a phone (390 × 844 CSS pixels) in headless Chromium.

Nothing may scroll sideways, what the crew needs must be inside the screen,
and every page's header links the pages the user may open.
"""

from __future__ import annotations

import pytest

from tests.browser.csp import PolicyWatch
from tests.twin.network.demo_db import PASSWORD, pipe_with_valves
from tests.webmap.map.apptest import served
from twin.config import Settings
from webmap import create_app

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.xdist_group("network_demo")]

PHONE = {"width": 390, "height": 844}
#: What the crew may open, in the header's order (no zoning: that is the planners').
CREW_PAGES = ["/map/", "/outage/", "/ops/", "/fiber/", "/maintenance/"]

SIDEWAYS = "document.documentElement.scrollWidth"


@pytest.fixture(scope="module")
def phone_url(network_demo):
    settings = Settings(
        home=network_demo.home, database_url=network_demo.url, secret_key="phone-page-secret"
    )
    with served(create_app(settings), threads=4) as url:
        yield url


def _logged_in(browser, url, viewport, user="cris"):
    context = browser.new_context(viewport=viewport, locale="vi-VN", has_touch=True, base_url=url)
    policy = PolicyWatch()
    policy.watch(context)
    page = context.new_page()
    page.goto("/outage/?lang=vi")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/outage/**")
    return context, policy, page


@pytest.fixture
def phone(browser, phone_url):
    context, policy, page = _logged_in(browser, phone_url, PHONE)
    yield page
    context.close()
    assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"


@pytest.fixture
def desktop(browser, phone_url):
    context, policy, page = _logged_in(browser, phone_url, {"width": 1400, "height": 900})
    yield page
    context.close()
    assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"


@pytest.fixture(scope="module")
def pipe(network_demo) -> str:
    return pipe_with_valves(network_demo.url)


def _box(page, selector) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def _on_screen(page, selector) -> dict:
    box = _box(page, selector)
    assert box["x"] >= -0.5 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (selector, box)
    assert box["y"] >= -0.5 and box["y"] + box["height"] <= PHONE["height"] + 0.5, (selector, box)
    return box


def _assert_fits(page) -> None:
    width = page.evaluate(SIDEWAYS)
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


def _site_links(page) -> list[str]:
    _on_screen(page, "nav.site-nav")
    return page.eval_on_selector_all(
        "nav.site-nav a", "links => links.map(a => new URL(a.href).pathname)"
    )


def test_outage_map_first_results_in_a_sheet_that_expands(phone, pipe):
    assert _site_links(phone) == CREW_PAGES
    assert phone.get_attribute('nav.site-nav a[href$="/outage/"]', "aria-current") == "page"
    phone.wait_for_selector("#outage-map[data-loaded]")
    _assert_fits(phone)
    assert _on_screen(phone, "#outage-map")["height"] > 0.7 * PHONE["height"]

    phone.fill("#outage-code", pipe)
    phone.click("#outage-form button[type=submit]")
    phone.wait_for_selector("#outage-steps li[data-device]")
    _assert_fits(phone)
    sheet = _on_screen(phone, "#outage-panel")
    assert sheet["y"] + sheet["height"] == pytest.approx(PHONE["height"], abs=1)
    assert sheet["height"] < 0.5 * PHONE["height"], "collapsed, the sheet leaves the map in view"
    _on_screen(phone, "#outage-panel .outage-count")
    assert (
        phone.eval_on_selector("#outage-panel", "p => parseFloat(getComputedStyle(p).fontSize)")
        >= 14
    )
    # The isolated pipes are fitted into the part of the map above the sheet
    # (once the map has finished its animated fit).
    phone.wait_for_function(
        """top => {
            const ps = [...document.querySelectorAll("path.outage-role-isolated")];
            return ps.length > 0 && Math.max(...ps.map(p => p.getBoundingClientRect().bottom)) <= top;
        }""",
        arg=sheet["y"] + 1,
        timeout=10_000,
    )

    toggle = "#outage-panel button.outage-sheet"
    button = _on_screen(phone, toggle)
    assert button["height"] >= 44 and button["width"] >= 44
    phone.click(toggle)
    assert phone.get_attribute(toggle, "aria-expanded") == "true"
    expanded = _on_screen(phone, "#outage-panel")
    assert expanded["height"] > 0.7 * PHONE["height"]
    step = phone.locator("#outage-steps li[data-device]").first
    step.scroll_into_view_if_needed()
    _on_screen(phone, "#outage-steps li[data-device]")
    _assert_fits(phone)
    phone.click(toggle)
    assert phone.get_attribute(toggle, "aria-expanded") == "false"
    assert _box(phone, "#outage-panel")["height"] < 0.5 * PHONE["height"]


def test_map_gives_the_screen_to_the_map_and_the_layers_to_a_button(phone):
    phone.goto("/map/?lang=vi")
    phone.wait_for_selector("#layer-list details", state="attached")
    assert _site_links(phone) == CREW_PAGES
    _assert_fits(phone)
    assert not phone.is_visible("#sidebar")
    area = _on_screen(phone, "#map-area")
    assert area["width"] == PHONE["width"] and area["height"] > 0.8 * PHONE["height"]
    _on_screen(phone, "#search-input")

    toggle = "#layers-toggle"
    assert _on_screen(phone, toggle)["height"] >= 44
    phone.click(toggle)
    assert phone.get_attribute(toggle, "aria-expanded") == "true"
    _on_screen(phone, "#sidebar")
    _on_screen(phone, "#layer-list details")
    _assert_fits(phone)
    phone.click(toggle)
    assert not phone.is_visible("#sidebar")


def test_work_order_is_readable_on_a_phone_and_printable(phone, pipe):
    phone.goto(f"/outage/workorder?code={pipe}&lang=vi")
    viewport = phone.get_attribute('meta[name="viewport"]', "content")
    assert "width=device-width" in viewport
    assert _site_links(phone) == CREW_PAGES
    _assert_fits(phone)
    assert phone.eval_on_selector("body", "b => parseFloat(getComputedStyle(b).fontSize)") >= 14
    _on_screen(phone, "#wo-steps tbody tr")
    assert _box(phone, "#wo-steps")["width"] <= PHONE["width"]

    phone.emulate_media(media="print")
    assert not phone.is_visible("nav.site-nav")
    assert phone.eval_on_selector("#wo-steps thead", "h => getComputedStyle(h).display") == (
        "table-header-group"
    )


@pytest.mark.parametrize("path", ["/ops/", "/ops/incidents", "/ops/decisions", "/ops/map"])
def test_ops_pages_do_not_scroll_sideways(phone, path):
    phone.goto(f"{path}?lang=vi")
    phone.wait_for_load_state("networkidle")
    assert _site_links(phone) == CREW_PAGES
    assert phone.get_attribute('nav.site-nav a[href$="/ops/"]', "aria-current") == "page"
    _assert_fits(phone)
    _on_screen(phone, "main h2, main h1, main table, #map")
    widths = phone.eval_on_selector_all(
        "main table", "ts => ts.map(t => t.getBoundingClientRect().right)"
    )
    assert all(right <= PHONE["width"] for right in widths)


@pytest.mark.parametrize("path", ["/collections/work_orders/items",
                                  "/collections/inspection_water_pipe_pipe_condition/items"])
def test_record_pages_share_the_header_and_do_not_scroll_sideways(phone, path):
    phone.goto(f"{path}?f=html&lang=vi")
    phone.wait_for_load_state("networkidle")
    assert _site_links(phone) == CREW_PAGES
    _assert_fits(phone)
    _on_screen(phone, "h1")


def test_an_anonymous_reader_is_offered_the_map_only(browser, phone_url):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=phone_url)
    page = context.new_page()
    page.goto("/map/?lang=vi")
    assert _site_links(page) == ["/map/"], "an anonymous reader may open the map only"
    context.close()


def test_the_isolated_area_lies_above_the_map_and_beside_its_panels(desktop, pipe):
    desktop.goto("/map/?lang=vi")
    desktop.wait_for_function("window.Twin && window.Twin.state && window.Twin.state.map")
    desktop.wait_for_function("window.twinOutage && window.twinOutage.state.map")
    desktop.evaluate("code => window.twinOutage.analyse([code])", pipe)
    desktop.wait_for_function("document.body.classList.contains('outage-done')")
    panes = desktop.evaluate("""() => {
      const map = window.Twin.state.map;
      const z = (name) => Number(getComputedStyle(map.getPane(name)).zIndex);
      return { outage: z("twin-outage"),
               others: Object.keys(map.getPanes()).filter((n) =>
                 !["twin-outage", "tooltipPane", "popupPane", "mapPane"].includes(n)).map(z) };
    }""")
    assert panes["outage"] > max(panes["others"])
    left = _box(desktop, "#sidebar")
    right = _box(desktop, "#outage-panel")
    paths = desktop.evaluate("""() => {
      const { map, layer } = window.twinOutage.state;
      const x0 = map.getContainer().getBoundingClientRect().left;
      return layer.getLayers().filter((l) => l.feature.properties.role === "isolated").map((l) => {
        const b = l.getBounds();
        const x = (lng) => x0 + map.latLngToContainerPoint([b.getCenter().lat, lng]).x;
        return [x(b.getWest()), x(b.getEast())];
      });
    }""")
    assert paths
    assert all(a >= left["x"] + left["width"] - 1 and b <= right["x"] + 1 for a, b in paths)
