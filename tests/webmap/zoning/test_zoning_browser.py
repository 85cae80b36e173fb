"""The planner page in a real browser (Debian's chromium, headless, through Playwright)."""

from __future__ import annotations

import threading

import pytest
import waitress
from sqlalchemy.orm import Session

from tests.browser.csp import PolicyWatch
from tests.twin.zoning.places import CRS, at
from tests.webmap.map.apptest import stop_server
from tests.webmap.zoning.conftest import PASSWORD
from twin.zoning import tables
from twin.zoning.model import Plan, Zone
from twin.zoning.store import save_plan

pytestmark = [
    pytest.mark.db,
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("zoning-web"),
]


@pytest.fixture(scope="module")
def served(app, own_engine, tokens):
    """Plans to check (a park turned into homes, 1 km east of the other tests'), and the app served."""
    with Session(own_engine) as session:
        general = Plan(
            "GB",
            "general",
            "general",
            [Zone("park", "DKV", at(1000, 0, 1100, 100))],
            status="approved",
        )
        zoning = Plan("ZB", "zoning", "zoning", [Zone("homes", "ODT", at(1000, 0, 1100, 100))])
        save_plan(session, general, crs=CRS)
        draft = save_plan(session, zoning, crs=CRS)
        session.commit()
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", draft
    stop_server(server, thread)


@pytest.fixture
def page(served, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    policy = PolicyWatch()
    policy.watch(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []
    assert policy.violations == []


def test_a_planner_runs_the_check_compares_both_sides_decides_and_draws(page, served, own_engine):
    base, draft = served
    page.goto(f"{base}/zoning/")
    page.fill("input[name=username]", "planner")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#plans tbody tr")
    for box in page.locator("#plans input.check").all():
        box.uncheck()
    page.check(f"#plans input.check[value='{draft}']")

    page.click("#run")
    # the page is in Vietnamese: the script writes its words and the values' names in it
    page.wait_for_selector("#findings li:has-text('xung đột sử dụng đất')", timeout=30_000)
    assert "xung đột" in page.inner_text("#counts")
    assert page.locator("#runs option").first.inner_text().startswith("lượt chạy ")
    plan_rows = page.locator("#plans tbody").inner_text()
    assert "phân khu" in plan_rows and "dự thảo" in plan_rows and "đã phê duyệt" in plan_rows
    page.locator("#findings li:has-text('xung đột sử dụng đất')").first.click()
    page.wait_for_selector("#detail .side")
    titles = page.locator("#detail .side b").all_inner_texts()
    assert titles == [
        "quy hoạch GB@1 (chung, đã phê duyệt)",
        "quy hoạch ZB@1 (phân khu, dự thảo)",
    ]
    assert page.inner_text("#detail .title").startswith("xung đột sử dụng đất (cao) — chưa xử lý")
    assert page.locator("#detail .side tr.involved").count() == 2

    page.fill("#decision input[name=note]", "the park moves north")
    page.click("#decision button")
    page.wait_for_selector("#detail .history li")
    assert "chưa xử lý → đã xử lý" in page.inner_text("#detail .history")

    page.check(f"#plans input[name=edit][value='{draft}']")
    page.wait_for_selector(".leaflet-pm-icon-polygon")
    page.once("dialog", lambda dialog: dialog.accept("DGD"))
    page.click(".leaflet-pm-icon-polygon")
    frame = page.locator("#map").bounding_box()
    x, y = frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2
    for dx, dy in ((0, 0), (60, 0), (60, 40), (0, 40)):
        page.mouse.click(x + dx, y + dy)
    created = f"/zoning/plans/{draft}/zones"
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(created)) as saved:
        page.mouse.click(x, y)
    assert saved.value.status == 201
    with Session(own_engine) as session:
        codes = session.query(tables.Zone.source_code).filter_by(plan_id=draft).all()
    assert sorted(code for (code,) in codes) == ["DGD", "ODT"]


def test_findings_are_grouped_paged_highlighted_and_decided_by_kind(page, served, own_engine):
    """A run of 130 clearance findings: two pages, the chosen one highlighted, all accepted at once."""
    from tests.webmap.zoning.test_zoning_findings import _finding
    from twin.zoning import run_store

    with Session(own_engine) as session:
        found = [_finding("clearance", 2000 + 7.0 * i, "browser") for i in range(130)]
        run = run_store.start_run(session, [], [], with_assets=True, user="planner")
        run_store.store_findings(session, run, found, crs=CRS, plan_ids={})
        run_store.finish_run(session, run, counts=run_store.kind_counts(found))
        session.commit()
        run_id = run.id
    base, _ = served
    page.goto(f"{base}/zoning/")
    page.fill("input[name=username]", "planner")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f"#runs option[value='{run_id}']", state="attached")
    page.select_option("#runs", str(run_id))
    page.wait_for_selector("#kinds button[data-kind=clearance]")
    assert page.locator("#findings li").count() == 100
    assert page.inner_text("#pager .where") == "trang 1/2"
    page.click("#kinds button[data-kind=clearance]")
    page.wait_for_selector("#bulk:not([hidden])")
    page.click("#next")
    page.wait_for_selector("#pager .where:has-text('trang 2/2')")
    assert page.locator("#findings li").count() == 30

    page.locator("#findings li").first.click()
    page.wait_for_selector("#map path.finding-selected")
    assert page.locator("#map path.finding-selected").count() == 1
    assert page.locator("#findings li.selected").count() == 1

    page.uncheck("#bulk input[name=in_view]")
    page.select_option("#bulk select[name=status]", "accepted")
    page.fill("#bulk input[name=note]", "clearances agreed with the power company")
    page.click("#bulk button[type=submit]")
    page.wait_for_selector("#bulk .done:has-text('130')")
    page.wait_for_selector("#kinds button:has-text('0 chưa xử lý / 130')")
    with Session(own_engine) as session:
        statuses = session.query(tables.Finding.status).filter_by(run_id=run_id).distinct().all()
    assert statuses == [("accepted",)]
