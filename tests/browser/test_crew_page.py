"""The crew page in headless Chromium: pick a pipe, analyse it, read the result.

The app runs behind waitress on a free port against the small demo city;
Chromium is Debian's (no browser download).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, pool, text

from tests.browser.csp import PolicyWatch
from tests.twin.network.demo_db import PASSWORD
from tests.webmap.map.apptest import served
from twin.config import Settings
from webmap import create_app

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.xdist_group("network_demo")]

#: Screen position of the middle of an SVG path (a point on the line itself).
MIDPOINT = """path => {
  const p = path.getPointAtLength(path.getTotalLength() / 2);
  const m = path.getScreenCTM();
  return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f];
}"""


@pytest.fixture(scope="module")
def crew_url(network_demo):
    settings = Settings(
        home=network_demo.home, database_url=network_demo.url, secret_key="crew-page-secret"
    )
    with served(create_app(settings), threads=4) as url:
        yield url


@pytest.fixture
def page(browser, crew_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    policy = PolicyWatch()
    policy.watch(context)
    page = context.new_page()
    page.goto(f"{crew_url}/outage/?lang=en")
    page.fill("#username", "cris")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/outage/**")
    yield page
    context.close()
    assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"


def _codes(network_demo, sql) -> list[str]:
    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        codes = [r[0] for r in conn.execute(text(sql))]
    engine.dispose()
    return codes


def test_click_a_pipe_and_see_the_isolation(page, network_demo, crew_url):
    page.wait_for_selector("#outage-map[data-loaded]")
    shown = page.eval_on_selector_all(
        "path.net-water_pipe[data-code]", "paths => paths.map(p => p.dataset.code)"
    )
    mains = set(_codes(network_demo, "SELECT code FROM assets.water_pipe WHERE diameter_mm >= 110"))
    pipe = sorted(c for c in shown if c in mains)[0]
    x, y = page.eval_on_selector(f'path.net-water_pipe[data-code="{pipe}"]', MIDPOINT)
    page.mouse.click(x, y)
    page.click("button.outage-analyse")
    page.wait_for_selector("body.outage-done")
    report = page.evaluate("window.twinOutage.state.report")
    assert report["assets"] == [pipe]
    isolated = page.locator("path.outage-role-isolated")
    isolated_edges = report["analysis_counts"].get(
        "isolated_edges", len(report["analysis"]["isolated_edges"])
    )
    assert isolated.count() == isolated_edges > 0
    listed = page.eval_on_selector_all(
        "#outage-steps li[data-device]", "items => items.map(i => i.dataset.device)"
    )
    assert listed == [s["device"] for s in report["work_order"]["steps"]]
    assert sorted(listed) == report["analysis"]["valves_to_close"]
    count = page.inner_text("#outage-panel .outage-count")
    assert int(count.replace(".", "")) == report["customers"]["customers"] > 0  # 1.234 in vi
    assert page.locator("path.outage-role-valve_to_close").count() == len(listed)
    # The pressure run is asked after the summary and fills its line when it comes.
    page.wait_for_selector("#outage-panel .outage-pressure:not([aria-busy])")
    shown = [int(n.replace(".", "").replace(",", ""))
             for n in re.findall(r"\d[\d.,]*", page.inner_text("#outage-panel .outage-pressure"))]
    groups = page.request.get(f"{crew_url}/outage/pressure.json?code={pipe}").json()["pressure"]
    assert shown == [groups[g][k] for g in ("cut_off", "low", "fine")
                     for k in ("customers", "households")]


def test_a_valve_that_cannot_be_operated_widens_the_isolation(page, network_demo):
    pipe = _codes(
        network_demo,
        "SELECT code FROM assets.water_pipe WHERE diameter_mm = 110 ORDER BY code LIMIT 1",
    )[0]
    page.fill("#outage-code", pipe)
    page.click("#outage-form button[type=submit]")
    page.wait_for_selector("#outage-steps li[data-device]")
    first = page.evaluate("window.twinOutage.state.report")
    stuck = first["work_order"]["steps"][0]["device"]
    page.locator(f'#outage-steps li[data-device="{stuck}"] button.outage-unavailable').click()
    page.wait_for_function(
        "code => (window.twinOutage.state.report.unavailable || []).includes(code)", arg=stuck
    )
    page.wait_for_selector("body.outage-done")
    second = page.evaluate("window.twinOutage.state.report")
    assert stuck in second["analysis"]["unavailable_valves"]
    assert page.locator(f'#outage-steps li[data-device="{stuck}"]').count() == 0
    assert page.locator("path.outage-role-unavailable_valve").count() >= 1


def test_a_breaker_fault_shows_the_cascade(page, network_demo):
    breakers = _codes(
        network_demo,
        "SELECT code FROM assets.power_switch WHERE device_type = 'breaker' ORDER BY code",
    )
    page.fill("#outage-code", breakers[0])
    page.click("#outage-form button[type=submit]")
    page.wait_for_selector("#outage-cascade li[data-utility]")
    page.wait_for_selector("body.outage-done")  # the summary first, the map drawn after
    report = page.evaluate("window.twinOutage.state.report")
    utilities = page.eval_on_selector_all(
        "#outage-cascade li[data-utility]", "items => items.map(i => i.dataset.utility)"
    )
    assert utilities == [s["utility"] for s in report["cascade"]["at_trip"][1:]]
    assert "water" in utilities
    assert page.locator("path.outage-role-cascade_stopped").count() >= 1
    assert page.locator("#outage-workorder").get_attribute("href").endswith(breakers[0])
