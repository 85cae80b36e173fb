"""The plan page: viewers look, planners run a plan with progress, everyone downloads."""

from __future__ import annotations

import json

import pytest

from tests.twin.fiber.plan_db import GROUP
from twin.auth import users
from twin.config import Settings
from twin.db.engine import session_scope
from twin.fiber.writeback import remove_plan
from webmap import create_app

pytestmark = [pytest.mark.db, GROUP]


@pytest.fixture(scope="module")
def app(fiber_demo, tmp_path_factory):
    settings = Settings(
        home=tmp_path_factory.mktemp("fiber-home"),
        database_url=fiber_demo.url,
        secret_key="test-secret",
    )
    return create_app(settings, {"TESTING": True})


@pytest.fixture(scope="module")
def auth(fiber_engine) -> dict[str, dict]:
    """Authorization headers of the viewer and the planner."""
    with session_scope(fiber_engine) as session:
        return {
            role: {"Authorization": "Bearer " + users.issue_token(session, role, label="t")}
            for role in ("viewer", "planner")
        }


@pytest.fixture(scope="module")
def finished_run(app, auth, fiber_engine):
    client = app.test_client()
    response = client.post(
        "/fiber/runs",
        headers=auth["planner"],
        json={"plan_id": "web-plan", "years": 3, "redundant_above": 10, "time_limit_s": 5},
    )
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    app.extensions["twin_fiber_jobs"].wait(job["id"], timeout=120)
    yield client.get(f"/fiber/runs/{job['id']}", headers=auth["planner"]).get_json()
    with session_scope(fiber_engine) as session:
        remove_plan(session, "web-plan", user="tester")


def test_anonymous_visitors_are_sent_to_log_in(app):
    response = app.test_client().get("/fiber/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_viewer_sees_the_page_without_the_run_form(app, auth):
    page = app.test_client().get("/fiber/?lang=en", headers=auth["viewer"]).get_data(as_text=True)
    assert "Fibre rollout plan" in page and "coverage-chart" in page
    assert "chart.js/dist/chart.umd.js" in page and "leaflet/dist/leaflet.js" in page
    assert 'id="run-form"' not in page


def test_the_page_is_in_vietnamese_by_default_and_in_english_on_request(app, auth):
    client = app.test_client()
    vi = client.get("/fiber/", headers=auth["planner"]).get_data(as_text=True)
    assert '<html lang="vi">' in vi
    for words in (
        "Kế hoạch phát triển cáp quang",
        "Bảng khối lượng",
        "Đơn vị tính",
        "Chạy kế hoạch",
    ):
        assert words in vi, words
    assert '"today": "Hi\\u1ec7n t\\u1ea1i"' in vi  # the script's words, sent with the page
    en = client.get("/fiber/?lang=en", headers=auth["planner"]).get_data(as_text=True)
    assert '<html lang="en">' in en and "Bill of quantities" in en and "Bảng khối lượng" not in en


def test_a_viewer_may_not_run_a_plan(app, auth):
    response = app.test_client().post("/fiber/runs", headers=auth["viewer"], json={"years": 2})
    assert response.status_code == 403
    assert "planner" in response.get_json()["detail"]


def test_a_planner_sees_the_run_form(app, auth):
    page = app.test_client().get("/fiber/", headers=auth["planner"]).get_data(as_text=True)
    assert 'id="run-form"' in page


@pytest.mark.parametrize(
    "body", [{"years": 0}, {"years": "many"}, {"plan_id": "../etc"}, {"budget_per_year_vnd": -1}]
)
def test_bad_options_are_refused(app, auth, body):
    response = app.test_client().post("/fiber/runs", headers=auth["planner"], json=body)
    assert response.status_code == 422


def test_a_run_reports_progress_to_the_end_and_the_page_shows_its_tables(app, auth, finished_run):
    assert finished_run["status"] == "done", finished_run
    assert finished_run["done"] == finished_run["total"] == 100
    assert finished_run["written"]["telecom_access_node"] > 0
    client = app.test_client()
    listed = client.get("/fiber/plans", headers=auth["viewer"]).get_json()["plans"]
    assert "web-plan" in [p["plan_id"] for p in listed]
    summary = client.get("/fiber/plans/web-plan", headers=auth["viewer"]).get_json()
    assert {line["item"] for line in summary["bill"]} >= {"drops", "village access nodes"}
    assert [p["year"] for p in summary["phases"]][:1] == [1]
    assert summary["targets"]["year_all_villages"] is not None
    assert summary["rings"]
    # every year that connected a village certifies its network against a lower bound
    gaps = [p["gap_pct"] for p in summary["phases"] if p["villages_added"] or p["gap_pct"]]
    assert gaps and all(0 <= g < 100 for g in gaps)
    assert 0 <= summary["design"]["solver_gap_pct"] < 100


def _get(client, url, headers):
    """A response read whole and closed (file responses hold the file open)."""
    with client.get(url, headers=headers) as response:
        response.direct_passthrough = False
        return response.status_code, response.headers, response.get_data()


def test_the_plan_downloads_and_the_maps_data(app, auth, finished_run):
    client, who = app.test_client(), auth["viewer"]
    status, headers, data = _get(client, "/fiber/plans/web-plan/files/gpkg", who)
    assert status == 200 and data[:16] == b"SQLite format 3\x00"
    assert "attachment" in headers["Content-Disposition"]
    status, _, data = _get(client, "/fiber/plans/web-plan/files/geojson", who)
    layers = {f["properties"]["layer"] for f in json.loads(data)["features"]}
    assert {"villages", "cables", "access_nodes"} <= layers
    _, _, data = _get(client, "/fiber/plans/web-plan/files/phases.csv", who)
    assert data.decode().startswith("year,budget_vnd,spent_vnd")
    existing = client.get("/fiber/existing.geojson", headers=who).get_json()
    assert {f["properties"]["layer"] for f in existing["features"]} == {"pop", "cable"}
    assert client.get("/fiber/plans/web-plan/files/secrets", headers=who).status_code == 404
    assert client.get("/fiber/plans/never-run", headers=who).status_code == 404


def test_the_page_scripts_are_served(app, auth):
    client = app.test_client()
    for name in ("plan.js", "plan.css"):
        status, _, data = _get(client, f"/fiber/static/fiber/{name}", auth["viewer"])
        assert status == 200 and data
