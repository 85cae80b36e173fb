"""An inspection made on a phone without a network: queued, sent once back online, or reported.

Debian's headless Chromium at a phone's width opens a valve's inspection
page online (the service worker keeps it), loses the network, reloads the
page from the worker, fills the form with a photo and saves: the inspection
waits in IndexedDB.  Back online it is sent once with its photo, and the
valve's condition and history show it.  An inspection of a valve edited in
the meantime is reported on the phone and never applied.

``TWIN_SCREENSHOTS=docs`` saves the phone's page for the documentation.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, pool, text

from tests.browser.csp import PolicyWatch
from tests.twin.photos.images import phone_jpeg
from tests.webmap.map.apptest import PASSWORD
from twin.db.engine import session_scope
from twin.edits import update_feature

pytestmark = [pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def engine(demo_db_url):
    made = create_engine(demo_db_url, poolclass=pool.NullPool)
    yield made
    made.dispose()


def _valve(engine, offset: int) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT code FROM assets.water_valve ORDER BY code "
                                 "LIMIT 1 OFFSET :o"), {"o": offset}).scalar_one()


@pytest.fixture
def phone(browser, base_url):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=base_url,
                                  is_mobile=True, has_touch=True)
    policy = PolicyWatch()
    policy.watch(context)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield context, page
    context.close()
    assert not errors, errors
    assert not policy.violations, f"Content-Security-Policy violations: {policy.violations}"


def _open_offline(context, page, code: str) -> None:
    """Log in, open the valve's page online until the worker kept it, then lose the network."""
    page.goto(f"/login?next=/inspections/water_valve/{code}")
    page.fill("#username", "cris")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/inspections/water_valve/{code}")
    page.wait_for_selector("html[data-offline-ready='1']", state="attached", timeout=15000)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("form.inspection select[name=operation]")


def _fill_and_save(page, *, photo: bytes | None) -> None:
    page.select_option("#exercise-operation", "seized")
    page.select_option("#exercise-leak", "none")
    page.fill("#exercise-turns", "12")
    if photo is not None:
        page.set_input_files("#exercise-photo", files=[
            {"name": "valve.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.click("form.inspection button[type=submit] >> nth=0")
    page.wait_for_selector("html[data-queued='1']", state="attached")


def test_an_offline_inspection_with_a_photo_arrives_once_when_back_online(phone, engine):
    context, page = phone
    code = _valve(engine, 0)
    _open_offline(context, page, code)
    _fill_and_save(page, photo=phone_jpeg(106.2, 21.27))
    assert "Không có mạng" in page.inner_text("form.inspection .outcome >> nth=0")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ops.inspection_water_valve_exercise "
                                 "WHERE asset_code = :c"), {"c": code}).scalar() == 0
    context.set_offline(False)
    page.wait_for_selector("#history tbody tr img", timeout=15000)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT i.id, i.result, i.turns, (SELECT count(*) FROM ops.photo p "
            "  WHERE p.kind = 'inspection' "
            "  AND p.subject = 'inspection_water_valve_exercise/' || i.id) AS photos "
            "FROM ops.inspection_water_valve_exercise i WHERE asset_code = :c"),
            {"c": code}).all()
        valve = conn.execute(text("SELECT condition, last_inspected, version FROM "
                                  "assets.water_valve WHERE code = :c"), {"c": code}).one()
        reason = conn.execute(text("SELECT reason FROM audit.history WHERE code = :c "
                                   "ORDER BY id DESC LIMIT 1"), {"c": code}).scalar()
    assert [(r.result, r.turns, r.photos) for r in rows] == [("failed", 12, 1)]
    assert valve.condition == "failed" and valve.last_inspected is not None
    assert reason == "inspection exercise"
    assert page.get_attribute("html", "data-queued") == "0"
    assert "Hỏng" in page.inner_text("#asset")
    shots = os.environ.get("TWIN_SCREENSHOTS")
    if shots:  # the picture in docs/inspections.md
        page.screenshot(path=os.path.join(shots, "inspection-phone.png"), full_page=True)


def test_an_offline_inspection_of_a_valve_edited_meanwhile_is_reported_then_applied_on_request(
        phone, engine):
    context, page = phone
    code = _valve(engine, 1)
    _open_offline(context, page, code)
    _fill_and_save(page, photo=None)
    with session_scope(engine) as session:
        version = session.execute(text("SELECT version FROM assets.water_valve WHERE code = :c"),
                                  {"c": code}).scalar_one()
        update_feature(session, "water_valve", code, {"diameter_mm": 250},
                       expected_version=version, user="edna")
    context.set_offline(False)
    conflict = page.wait_for_selector("#queue li[data-state=conflict]", timeout=15000)
    assert "Chưa áp dụng" in conflict.inner_text()
    assert str(version + 1) in conflict.inner_text()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ops.inspection_water_valve_exercise "
                                 "WHERE asset_code = :c"), {"c": code}).scalar() == 0
        assert conn.execute(text("SELECT condition IS DISTINCT FROM 'failed' FROM "
                                 "assets.water_valve WHERE code = :c"), {"c": code}).scalar()
    # Never applied by itself: the page still shows the old version, so only a way to see
    # the asset now is offered; once it shows the newer edit, the crew may apply it.
    assert page.locator("#queue li[data-state=conflict] button.apply").count() == 0
    page.click("#queue li[data-state=conflict] a.see-now")
    page.wait_for_selector(f"#asset[data-version='{version + 1}']", state="attached")
    page.click("#queue li[data-state=conflict] button.apply")
    page.wait_for_selector("#history tbody tr", timeout=15000)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT asset_version, result FROM "
                                   "ops.inspection_water_valve_exercise WHERE asset_code = :c"),
                              {"c": code}).all()
        reason = conn.execute(text("SELECT reason FROM audit.history WHERE code = :c "
                                   "ORDER BY id DESC LIMIT 1"), {"c": code}).scalar()
    assert [tuple(r) for r in stored] == [(version + 1, "failed")]
    assert reason == (f"inspection exercise, made on version {version}, "
                      f"applied on version {version + 1}")
    page.wait_for_selector("html[data-queued='0']", state="attached")
    assert page.locator("#queue li").count() == 0


def _planned_by_a_crew(page, order: dict):
    """Log the crew in on the calendar and plan ``order`` for today (the phone's day)."""
    page.goto("/login?next=/maintenance/")
    page.fill("#username", "cris")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/maintenance/")
    token = page.evaluate("fetch('/me').then(r => r.json()).then(j => j.csrf_token)")
    today = page.evaluate("new Date().toISOString().slice(0, 10)")
    made = page.request.post("/api/workorders", headers={"X-CSRFToken": token},
                             data={**order, "planned_start": today})
    assert made.status == 201, made.text()
    return made


def test_the_maintenance_calendar_fits_a_phone(phone, engine):
    context, page = phone
    valve = _valve(engine, 2)
    made = _planned_by_a_crew(page, {"title": "Vận hành thử van khu 3", "crew": "Tổ 3",
                                     "cost_vnd": 2_500_000, "assets": [f"water_valve/{valve}"]})
    page.reload()
    assert page.locator(f"#calendar [data-order='{made.json()['id']}']").count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    shots = os.environ.get("TWIN_SCREENSHOTS")
    if shots:  # the picture in docs/inspections.md
        page.screenshot(path=os.path.join(shots, "maintenance-calendar.png"), full_page=True)


def test_the_map_of_open_work_draws_its_markers_and_picks_rows(phone, engine):
    context, page = phone
    valves = [_valve(engine, n) for n in (3, 4)]
    made = _planned_by_a_crew(page, {"title": "Vận hành thử hai van", "crew": "Tổ 4",
                                     "assets": [f"water_valve/{v}" for v in valves]})
    order = made.json()["id"]
    page.reload()
    page.wait_for_selector("#work-map[data-markers]")
    assert page.locator(f"#work-map path.wo-{order}").count() == 2
    drawn = int(page.get_attribute("#work-map", "data-markers"))
    assert drawn == page.locator("#work-map path.wo-marker").count() >= 2
    legend = page.text_content("#work-map .twin-legend")  # folded on a phone
    assert "Trạng thái" in legend and "sửa chữa" in legend.lower()
    page.click(f"#work-orders tr[data-order='{order}']")
    assert page.get_attribute("#work-map", "data-chosen") == str(order)
    assert page.locator(f"#work-map path.wo-{order}").first.get_attribute("stroke-width") == "5"
    page.evaluate("Twin.workMap.pick(-1)")
    page.locator(f"#work-map path.wo-{order}").first.click(force=True)
    assert "chosen" in page.get_attribute(f"#work-orders tr[data-order='{order}']", "class")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    shots = os.environ.get("TWIN_SCREENSHOTS")
    if shots:  # the picture in docs/inspections.md
        page.evaluate("Twin.workMap.map.closePopup()")
        page.click("#work-map .twin-legend summary")
        page.locator("#work-map").scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
        page.locator("#work-map").screenshot(path=os.path.join(shots, "maintenance-map.png"))
