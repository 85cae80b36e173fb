"""Steps the browser tests take on the map page, written once."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.webmap.map.apptest import PASSWORD

#: Marks of the map's browser tests: one xdist worker runs them all on one server.
MARKS = [pytest.mark.browser, pytest.mark.db, pytest.mark.xdist_group("browser")]
READY = "body.twin-ready"
#: Every tile of the view fetched and drawn by MapLibre (layers.js sets the mark).
TILES_DRAWN = "() => !!document.querySelector('.folium-map').dataset.tilesDrawn"


def login(page, user: str) -> None:
    """Log the page's browser context in (the session cookie), without loading the map."""
    csrf = page.request.get("/me").json()["csrf_token"]
    response = page.request.post(
        "/login", data={"username": user, "password": PASSWORD}, headers={"X-CSRFToken": csrf}
    )
    assert response.ok, response.text()


def open_map(
    page, at: dict | None = None, *, zoom: int = 19, lang: str = "", renderer: str = ""
) -> None:
    """Open the map, centred on feature ``at`` (its first vertex) if given, and wait.

    ``renderer`` (``webgl``, ``canvas``) overrides the app's choice, ``auto``.
    """
    view = ""
    if at is not None:
        lon, lat = first_vertex(at)
        view = f"#{zoom}/{lat}/{lon}"
    if "/map/" in page.url:
        page.goto("about:blank")  # a new hash alone would not load the page again
    query = "&".join(f"{k}={v}" for k, v in (("lang", lang), ("renderer", renderer)) if v)
    page.goto("/map/" + (f"?{query}" if query else "") + view)
    page.wait_for_selector(READY)


def first_vertex(feature: dict) -> tuple[float, float]:
    coords = feature["geometry"]["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    return coords[0], coords[1]


def api(page, path: str):
    """GET a JSON document of the API with the page's session."""
    response = page.request.get(path, headers={"Accept": "application/json"})
    assert response.ok, f"{path}: {response.status}"
    return response.json()


def first_feature(page, table: str, **params) -> dict:
    query = urlencode({"limit": 1, **params})
    return api(page, f"/collections/{table}/items?{query}")["features"][0]


def set_view(page, lon: float, lat: float, zoom: int) -> None:
    page.evaluate(
        "([lat, lon, zoom]) => Twin.state.map.setView([lat, lon], zoom, {animate: false})",
        [lat, lon, zoom],
    )


def screen_point(page, lon: float, lat: float) -> tuple[float, float]:
    """Where a lon/lat lies on the screen, in page pixels."""
    return tuple(
        page.evaluate(
            """([lat, lon]) => {
            const map = Twin.state.map;
            const p = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }""",
            [lat, lon],
        )
    )


def click_at(page, lon: float, lat: float) -> None:
    page.mouse.click(*screen_point(page, lon, lat))


_VERTICES = "() => Twin.state.map.pm.Draw.Line._layer?.getLatLngs().length ?? 0"


def add_vertex(page, lon: float, lat: float, *, attempts: int = 3) -> None:
    """Click a vertex of the line being drawn and wait until the line has it.

    On a loaded machine the map may still be settling when the test clicks,
    so a click that added nothing is made again where the point now is.
    """
    before = page.evaluate(_VERTICES)
    for attempt in range(attempts):
        page.evaluate("() => Twin.state.map.stop()")  # no pan or zoom still running
        click_at(page, lon, lat)
        try:
            page.wait_for_function(f"() => ({_VERTICES})() > {before}", timeout=4_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def open_feature(page, feature: dict) -> None:
    """Click a feature where it lies on the map and wait for its panel."""
    page.evaluate("() => Twin.inspect.close()")
    click_at(page, *first_vertex(feature))
    page.wait_for_selector(f"article.feature[data-code='{feature['id']}']")


def draw_point(page, table: str, lon: float, lat: float) -> None:
    """Start drawing a point feature of ``table`` and place it; the form opens."""
    page.select_option("#draw-type", table)
    page.click("#tool-draw")
    page.wait_for_function("() => Twin.state.map.pm.globalDrawModeEnabled()")
    click_at(page, lon, lat)
    page.wait_for_selector(f"form.feature-form[data-table='{table}']")


def message_texts(page) -> list[str]:
    return page.locator("#messages .message").all_inner_texts()


@contextmanager
def served_demo(demo, secret_key: str):
    """The web app on the demo database ``demo`` (url, home), served; its base URL."""
    from tests.webmap.map.apptest import served
    from twin.config import Settings
    from webmap import create_app

    settings = Settings(home=demo.home, database_url=demo.url, secret_key=secret_key)
    with served(create_app(settings), threads=4) as url:
        yield url


def watched_page(browser, **context_options):
    """``(context, policy, page)``: a new context whose policy violations and console
    errors a :class:`~tests.browser.csp.PolicyWatch` records, and a page in it."""
    from tests.browser.csp import PolicyWatch

    context = browser.new_context(**context_options)
    policy = PolicyWatch()
    policy.watch(context)
    return context, policy, context.new_page()
