"""The light outage view in headless Chromium, on a phone (390 × 844) and a desktop:
the summary first, a list a page at a time, the steps ticked off on the incident,
the way to the next device from the phone's position, and a photo of the incident
sent from its page."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool, text

from tests.browser.csp import PolicyWatch
from tests.twin.network.demo_db import PASSWORD, first_breaker, pipe_with_valves
from tests.twin.photos.images import phone_jpeg
from tests.webmap.map.apptest import served
from tests.webmap.outage.incidents import open_incident
from twin.config import Settings
from twin.network.algorithms.way import way
from webmap import create_app

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.xdist_group("network_demo")]

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1400, "height": 900}}


@pytest.fixture(scope="module")
def crew_url(network_demo):
    settings = Settings(
        home=network_demo.home, database_url=network_demo.url, secret_key="outage-light-secret"
    )
    with served(create_app(settings), threads=4) as url:
        yield url


@pytest.fixture(scope="module")
def pipe(network_demo) -> str:
    return pipe_with_valves(network_demo.url)


@pytest.fixture(scope="module")
def breaker(network_demo) -> str:
    return first_breaker(network_demo.url)


def _crew_page(browser, url, screen, **options):
    context = browser.new_context(
        viewport=SCREENS[screen],
        locale="vi-VN",
        has_touch=screen == "phone",
        base_url=url,
        **options,
    )
    policy = PolicyWatch()
    policy.watch(context)
    page = context.new_page()
    page.goto("/outage/?lang=vi")
    page.fill("#username", "cris")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/outage/**")
    return context, policy, page


@pytest.fixture(params=sorted(SCREENS))
def screen(request):
    return request.param


@pytest.fixture
def crew(browser, crew_url, screen):
    context, policy, page = _crew_page(browser, crew_url, screen)
    yield page
    context.close()
    assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"


def _analyse(page, code):
    page.fill("#outage-code", code)
    page.click("#outage-form button[type=submit]")
    page.wait_for_selector("body.outage-done")
    return page.evaluate("window.twinOutage.state.report")


def test_the_summary_shows_each_utility_apart(crew, breaker):
    report = _analyse(crew, breaker.lower())
    shown = crew.eval_on_selector_all(
        "#outage-body p.outage-customers", "ps => ps.map(p => p.dataset.utility)"
    )
    expected = [report["utilities"][0]["utility"]] + [
        u["utility"] for u in report["utilities"][1:] if u["customers"] or u["households"]
    ]
    assert shown == expected and "water" in shown
    own = crew.inner_text("#outage-panel .outage-count")
    assert int(own.replace(".", "")) == report["utilities"][0]["customers"]
    sent = crew.evaluate(
        """() => performance.getEntriesByType("resource")
             .filter((e) => e.name.includes("/outage/analyse"))
             .map((e) => e.encodedBodySize)"""
    )
    assert sent and max(sent) < 200 * 1024


def test_a_list_loads_its_next_page(crew, breaker):
    report = _analyse(crew, breaker)
    total = report["lists"]["customers"]
    assert total > 20, "the demo breaker cuts more customers than one page"
    box = crew.locator('#outage-customers [data-list="customers"]')
    box.locator("button.outage-more").click()
    crew.wait_for_function(
        "() => document.querySelector('#outage-customers [data-list]').dataset.page === '1'"
    )
    assert box.locator("tbody tr").count() == 20
    box.locator("button.outage-more").click()
    crew.wait_for_function(
        "() => document.querySelector('#outage-customers [data-list]').dataset.page === '2'"
    )
    codes = box.locator("tbody tr td:first-child").all_inner_texts()
    assert len(codes) == min(40, total) and len(set(codes)) == len(codes)


def test_a_ticked_step_is_stored_on_the_incident_and_shown_after_a_reload(crew, network_demo, pipe):
    with open_incident(network_demo.url, "water_pipe", pipe, "water") as incident:
        report = _analyse(crew, pipe)
        first = report["work_order"]["steps"][0]
        crew.wait_for_selector("#outage-steps input.step-done")
        assert crew.get_attribute("#outage-steps p.step-note", "data-incident") == incident
        tick = crew.locator(f'#outage-steps li[data-device="{first["device"]}"] input.step-done')
        tick.check()
        crew.wait_for_selector(f'#outage-steps li[data-device="{first["device"]}"].step-is-done')
        engine = create_engine(network_demo.url, poolclass=pool.NullPool)
        with engine.connect() as conn:
            stored = conn.execute(
                text(
                    "SELECT e.actor, e.action, e.data->>'device' FROM live.incident_event e "
                    "JOIN live.incident i ON i.id = e.incident_id WHERE i.code = :c"
                ),
                {"c": incident},
            ).all()
        engine.dispose()
        assert [tuple(r) for r in stored] == [("cris", "step_done", first["device"])]
        crew.reload()
        _analyse(crew, pipe)
        crew.wait_for_selector("#outage-steps input.step-done")
        assert tick.is_checked()
        assert "cris" in crew.inner_text(f'#outage-steps li[data-device="{first["device"]}"]')
        crew.goto(f"/ops/incidents/{incident}?lang=vi")
        crew.wait_for_selector("#work-order input.step-done")
        row = crew.locator(f'#work-order tr[data-device="{first["device"]}"]')
        assert row.locator("input.step-done").is_checked()
        assert "đã làm bước" in crew.inner_text("#timeline")


def test_a_photo_sent_from_the_incident_page_shows_with_its_exif(crew, network_demo, pipe):
    with open_incident(network_demo.url, "water_pipe", pipe, "water") as incident:
        crew.goto(f"/ops/incidents/{incident}?lang=vi")
        assert "Chưa có ảnh" in crew.inner_text("#incident-photos")
        crew.set_input_files("#incident-photo", files=[{
            "name": "burst.jpg", "mimeType": "image/jpeg",
            "buffer": phone_jpeg(106.21, 21.28, "2026:12:07 09:40:00")}])
        with crew.expect_navigation():
            crew.click("form.photo-upload button")
        shown = crew.locator("#incident-photos li[data-photo]")
        assert shown.count() == 1
        text_ = shown.inner_text()
        assert "09:40" in text_ and "21,28" in text_, text_
        thumb = crew.locator("#incident-photos li[data-photo] img")
        thumb.scroll_into_view_if_needed()
        crew.wait_for_function(
            "() => document.querySelector('#incident-photos img').naturalWidth > 0")
        assert thumb.bounding_box()["width"] <= crew.viewport_size["width"]
        assert crew.evaluate("document.documentElement.scrollWidth") <= (
            crew.viewport_size["width"])
        engine = create_engine(network_demo.url, poolclass=pool.NullPool)
        with engine.connect() as conn:
            kept = conn.execute(text(
                "SELECT p.uploaded_by FROM ops.photo p JOIN live.incident i "
                "ON p.subject = i.id::text WHERE p.kind = 'incident' AND i.code = :c"),
                {"c": incident}).scalars().all()
            conn.execute(text("DELETE FROM ops.photo WHERE kind = 'incident' AND subject = "
                              "(SELECT id::text FROM live.incident WHERE code = :c)"),
                         {"c": incident})
            conn.commit()
        engine.dispose()
        assert kept == ["cris"]


def test_without_an_incident_the_steps_say_they_are_not_recorded(crew, pipe):
    _analyse(crew, pipe)
    note = crew.inner_text("#outage-steps p.step-note")
    assert "Chưa có sự cố" in note
    assert crew.locator("#outage-steps input.step-done").count() == 0


def test_the_way_to_the_next_device_from_the_phones_position(browser, crew_url, screen, pipe):
    somewhere = {"longitude": 106.19, "latitude": 21.27}
    context, policy, page = _crew_page(
        browser, crew_url, screen, permissions=["geolocation"], geolocation=somewhere
    )
    report = _analyse(page, pipe)
    device = report["work_order"]["steps"][0]
    lon, lat = device["lonlat"]
    here = {"longitude": lon - 0.002, "latitude": lat - 0.002}  # about 300 m south-west
    context.set_geolocation(here)
    expected = way((here["longitude"], here["latitude"]), (lon, lat))
    metres = round(expected["distance_m"])
    page.wait_for_function(
        "m => (document.querySelector('#outage-next .outage-way') || {}).textContent"
        "?.replace(/[.\\s\u00a0]/g, '').includes(m + 'm')",
        arg=str(metres),
    )
    text_shown = page.inner_text("#outage-next .outage-way")
    assert "hướng Đông Bắc" in text_shown and expected["compass"] == "ne"
    link = page.get_attribute("#outage-next a.outage-device-link", "href")
    assert link.startswith("/map/#19/") and f"{lat:.6f}" in link
    context.close()
    assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"


def test_without_a_position_the_page_says_so(browser, crew_url, pipe):
    context, policy, page = _crew_page(browser, crew_url, "phone")
    context.clear_permissions()
    _analyse(page, pipe)
    page.wait_for_selector("#outage-next .outage-way-unknown")
    page.wait_for_function(
        "() => document.querySelector('#outage-next .outage-way-unknown')"
        ".textContent.includes('Không có vị trí')"
    )
    context.close()
    assert not policy.violations


def test_the_browser_computes_the_way_as_the_server_does(crew):
    points = [((106.19, 21.27), (106.2, 21.28)), ((106.0, 21.0), (105.99, 20.995))]
    for a, b in points:
        found = crew.evaluate(
            "([a, b]) => [Twin.way.distanceM(a, b), Twin.way.bearingDeg(a, b),"
            " Twin.way.compass(Twin.way.bearingDeg(a, b))]",
            [list(a), list(b)],
        )
        expected = way(a, b)
        assert found[0] == pytest.approx(expected["distance_m"], rel=1e-9)
        assert found[1] == pytest.approx(expected["bearing_deg"], abs=1e-9)
        assert found[2] == expected["compass"]
