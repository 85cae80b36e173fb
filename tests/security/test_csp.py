"""Every page works under the Content-Security-Policy, in a real browser.

Hole: no Content-Security-Policy, so script that reached a page through data
(an incident owner, an asset code) ran in the viewer's browser.  Each page
is opened in Debian's headless Chromium on the small demo city, signed in
with every right; the test fails on any policy violation, console error,
script error or request leaving the app, and checks that the page did its
job (tiles drawn, charts made, its script started).  The last tests show
the policy is really enforced: injected inline code does not run.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, pool, text

from tests.browser.csp import PolicyWatch
from tests.browser.mapdriver import TILES_DRAWN, first_feature
from tests.twin.network.demo_db import PASSWORD, acquire, release
from tests.webmap.map.apptest import served
from twin.auth import users
from twin.config import Settings
from twin.db.engine import session_scope
from webmap import create_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.db,
    pytest.mark.slow,
    pytest.mark.xdist_group("network_demo"),
]

ADMIN = "csp-admin"
MAP_READY = "body.twin-ready"


@pytest.fixture(scope="session")
def demo(db_url, tmp_path_factory):
    """The shared small demo city, with an admin of these tests (removed at the end)."""
    shared = acquire(db_url, tmp_path_factory)
    engine = create_engine(shared.url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        users.add_user(session, ADMIN, "admin", PASSWORD)
    yield shared
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM auth.users WHERE name = :name"), {"name": ADMIN})
    engine.dispose()
    release(db_url)


@pytest.fixture(scope="module")
def base_url(demo):
    settings = Settings(home=demo.home, database_url=demo.url, secret_key="csp-test-secret")
    with served(create_app(settings), threads=4) as url:
        yield url


class Visit:
    """One browser context confined to the app: what it blocked, broke and logged."""

    def __init__(self, browser, base_url: str):
        self.base_url = base_url
        self.watch = PolicyWatch()
        self.page_errors: list[str] = []
        self.external: list[str] = []
        self.context = browser.new_context(
            viewport={"width": 1400, "height": 900}, locale="en-GB", base_url=base_url
        )
        self.context.route(re.compile(".*"), self._route)
        self.watch.watch(self.context)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.base_url, "data:", "blob:")):
            return route.continue_()
        self.external.append(url)
        return route.abort()

    def sign_in(self, user: str = ADMIN) -> None:
        csrf = self.page.request.get("/me").json()["csrf_token"]
        response = self.page.request.post(
            "/login", data={"username": user, "password": PASSWORD}, headers={"X-CSRFToken": csrf}
        )
        assert response.ok, response.text()

    def open(self, path: str, ready: str) -> None:
        """Go to ``path``, wait for the selector ``ready`` and for the network to settle."""
        response = self.page.goto(path)
        assert response.ok, f"{path}: {response.status}"
        assert "nonce-" in response.headers["content-security-policy"]
        self.page.wait_for_selector(ready, state="attached")
        self.page.wait_for_load_state("networkidle")

    def assert_clean(self) -> None:
        assert not self.watch.violations, f"policy violations: {self.watch.violations}"
        assert not self.watch.console_errors, f"console errors: {self.watch.console_errors}"
        assert not self.page_errors, f"script errors: {self.page_errors}"
        assert not self.external, f"requests leaving the app: {self.external}"


@pytest.fixture
def visit(browser, base_url):
    made = Visit(browser, base_url)
    yield made
    made.context.close()


@pytest.fixture
def admin(visit):
    visit.sign_in()
    return visit


def _drawn_canvases(page, selector: str) -> int:
    return page.eval_on_selector_all(selector, "cs => cs.filter(c => c.width && c.height).length")


def test_the_login_form_signs_in_and_lands_on_the_map(visit):
    visit.open("/login?next=/map/", "form input[name=password]")
    visit.page.fill("input[name=username]", ADMIN)
    visit.page.fill("input[name=password]", PASSWORD)
    visit.page.click("button[type=submit]")
    visit.page.wait_for_selector(MAP_READY)
    visit.assert_clean()


@pytest.mark.parametrize(
    ("renderer", "drawn"),
    [("webgl", ".leaflet-pane canvas.maplibregl-canvas"),  # MapLibre's worker and WebGL
     ("canvas", ".leaflet-twin-assets-pane canvas")],  # the canvas renderer's tiles
)
def test_the_map_draws_its_tiles_and_hillshade(admin, renderer, drawn):
    admin.open(f"/map/?renderer={renderer}", MAP_READY)
    page = admin.page
    page.wait_for_function(TILES_DRAWN)  # under the policy, whichever draws them
    assert page.get_attribute(".folium-map", "data-renderer") == renderer
    assert _drawn_canvases(page, drawn) >= 1
    assert page.evaluate("() => typeof Twin.start") == "function"
    admin.assert_clean()


def test_the_crew_page_draws_the_networks(admin):
    admin.open("/outage/", "#outage-map[data-loaded]")
    assert admin.page.locator("path.net-water_pipe[data-code]").count() > 0
    admin.assert_clean()


def test_the_work_order_shows_its_steps_and_prints_with_its_button(admin):
    pipe = first_feature(admin.page, "water_pipe")["properties"]["code"]
    admin.context.add_init_script("window.print = () => { window.twinPrinted = true; };")
    admin.open(f"/outage/workorder?code={pipe}", "#wo-customers")
    admin.page.click("button.print")
    assert admin.page.evaluate("() => window.twinPrinted") is True
    admin.assert_clean()


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/ops/", "#kpi-table"),
        ("/ops/decisions", "#renewals"),
        ("/ops/incidents?status=all", "#incidents"),
        ("/ops/map", "#map.leaflet-container"),
        ("/ops/map?mine=1", "#map.leaflet-container"),
    ],
)
def test_the_operations_pages(admin, path, ready):
    admin.open(path, ready)
    admin.assert_clean()


def test_the_kpi_dashboard_draws_its_charts(admin):
    admin.open("/ops/", "#chart-kpi")
    made = admin.page.eval_on_selector_all(
        "canvas", "cs => cs.filter(c => window.Chart && Chart.getChart(c)).length"
    )
    assert made == admin.page.locator("canvas").count() > 0
    admin.assert_clean()


@pytest.fixture(scope="module")
def fiber_url(demo, tmp_path_factory):
    """The app with a home of its own, so that the plan run here stays out of the demo's."""
    settings = Settings(
        home=tmp_path_factory.mktemp("csp-fiber"), database_url=demo.url, secret_key="csp-fiber"
    )
    with served(create_app(settings), threads=4) as url:
        yield url


def test_the_fibre_plan_page_runs_a_plan_and_draws_its_maps_and_chart(browser, fiber_url):
    visit = Visit(browser, fiber_url)
    try:
        visit.sign_in()
        visit.open("/fiber/", "#no-plan:not([hidden])")
        page = visit.page
        page.fill("input[name=years]", "2")
        page.fill("input[name=time_limit_s]", "2")
        page.click("#run")
        page.wait_for_selector("#phase-maps .leaflet-container", timeout=90_000)
        page.wait_for_load_state("networkidle")
        assert page.locator("#order tbody tr").count() > 0
        assert _drawn_canvases(page, "#phase-maps canvas") > 0
        assert page.evaluate("() => !!Chart.getChart(document.getElementById('coverage-chart'))")
        assert page.locator("#error").is_hidden()
        visit.assert_clean()
    finally:
        visit.context.close()


def test_the_plan_reconciliation_page_lists_the_plans(admin):
    admin.open("/zoning/", "#plans tbody tr")
    assert admin.page.evaluate("() => typeof window.ZONING.words") == "object"
    assert admin.page.locator("#map.leaflet-container").count() == 1
    admin.assert_clean()


def test_the_api_pages_for_people(admin):
    admin.open("/collections?f=html", "a[href*='/collections/']")
    admin.assert_clean()


def test_injected_inline_code_is_blocked_and_reported(admin):
    """The policy is enforced: markup added as HTML (what stored XSS does) runs nothing."""
    admin.open("/ops/", "#kpi-table")
    admin.page.evaluate(
        """() => {
          document.body.insertAdjacentHTML("beforeend",
            '<img src="data:," onerror="window.twinPwned = 1"><a id="x" href="javascript:window.twinPwned = 2">x</a>');
          const s = document.createElement("script");
          s.textContent = "window.twinPwned = 3";
          document.body.append(s);
        }"""
    )
    admin.page.click("#x")
    admin.page.wait_for_timeout(300)
    assert admin.page.evaluate("() => window.twinPwned") is None
    blocked = {v.get("directive") for v in admin.watch.violations if "directive" in v}
    assert blocked >= {"script-src-attr", "script-src-elem"}, admin.watch.violations


def test_a_script_from_another_origin_is_refused(admin):
    admin.open("/ops/", "#kpi-table")
    admin.page.evaluate(
        """() => { const s = document.createElement("script");
                   s.src = "https://cdn.example.org/evil.js"; document.head.append(s); }"""
    )
    admin.page.wait_for_timeout(300)
    assert any(
        v.get("blocked", "").startswith("https://cdn.example.org") for v in admin.watch.violations
    )
    assert not admin.external  # blocked by the browser before any request
