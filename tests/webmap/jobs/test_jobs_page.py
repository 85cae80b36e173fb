"""The admins' page of the job queue: who may see it, what it lists, cancel, and a restart."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy.orm import Session

from tests.databases import app_role_url
from tests.twin.jobs.kinds import worker_process
from tests.webmap.api.apptest import bearer, login
from twin import jobs
from webmap import create_app
from webmap.jobs import pool

pytestmark = pytest.mark.db


def _parked(engine, kind: str = "test_steps", **params) -> tuple[int, str]:
    """A job on a queue no runner serves, so it stays as queued; its id and queue."""
    queue = f"parked-{uuid.uuid4().hex[:8]}"
    with Session(engine) as session:
        job_id = jobs.enqueue(session, kind, params, owner="planner", queue=queue)
        session.commit()
    return job_id, queue


def _listed(client, token, job_id: int, lang: str = "vi") -> dict:
    answer = client.get(f"/jobs.json?lang={lang}", headers=bearer(token))
    assert answer.status_code == 200
    return next(job for job in answer.get_json()["jobs"] if job["id"] == job_id)


def test_only_admins_see_the_queue(client, tokens):
    assert client.get("/jobs/").status_code == 302
    assert "/login" in client.get("/jobs/").headers["Location"]
    assert client.get("/jobs.json").status_code == 401
    for role in ("viewer", "crew", "editor", "planner"):
        assert client.get("/jobs/", headers=bearer(tokens[role])).status_code == 403, role
        assert client.get("/jobs.json", headers=bearer(tokens[role])).status_code == 403, role
        refused = client.post("/jobs/1/cancel", headers=bearer(tokens[role]))
        assert refused.status_code == 403, role
    assert client.get("/jobs/", headers=bearer(tokens["admin"])).status_code == 200


def test_the_operations_centre_links_the_queue_for_admins_only(client, tokens):
    link = 'href="/jobs/"'
    assert link in client.get("/ops/incidents", headers=bearer(tokens["admin"])).get_data(True)
    assert link not in client.get("/ops/incidents", headers=bearer(tokens["viewer"])).get_data(True)


def test_the_page_lists_jobs_in_the_readers_language(client, tokens, api_engine):
    job_id, _ = _parked(api_engine, steps=2)
    vi = client.get("/jobs/", headers=bearer(tokens["admin"])).get_data(as_text=True)
    row = vi[vi.index(f'data-job="{job_id}"') :].split("</tr>")[0]
    assert "Tác vụ nền" in vi and 'data-status="queued"' in row
    assert "đang chờ" in row and "planner" in row
    assert 'name="csrf_token"' in row and f"/jobs/{job_id}/cancel" in row
    en = client.get("/jobs/?lang=en", headers=bearer(tokens["admin"])).get_data(as_text=True)
    row = en[en.index(f'data-job="{job_id}"') :].split("</tr>")[0]
    assert "Background jobs" in en and "queued" in row and "Cancel" in row

    shown = _listed(client, tokens["admin"], job_id)
    assert (shown["kind"], shown["status"], shown["owner"], shown["progress"]) == (
        "test_steps",
        "queued",
        "planner",
        None,
    )
    assert shown["status_name"] == "đang chờ" and shown["created_at"]


def test_the_step_under_way_is_shown_in_the_readers_language(app, client, tokens):
    runner = pool.runner(app)
    job = runner.wait(runner.submit("test_steps", {"steps": 2}, owner="admin")["id"], timeout=30)
    assert job["status"] == "done"
    vi = _listed(client, tokens["admin"], job["id"])
    assert (vi["progress"], vi["done"], vi["total"]) == (1.0, 2, 2)
    assert vi["step"] == "đang tải t2"
    assert _listed(client, tokens["admin"], job["id"], "en")["step"] == "loading t2"


def test_an_admin_cancels_a_job_with_the_pages_form(app, api_engine):
    job_id, _ = _parked(api_engine, steps=1)
    browser = app.test_client()
    csrf = login(browser, "admin")
    assert browser.post(f"/jobs/{job_id}/cancel").status_code in (400, 403)  # no CSRF token
    assert jobs.Runner(api_engine, ".").get(job_id)["status"] == "queued"
    answer = browser.post(f"/jobs/{job_id}/cancel", data={"csrf_token": csrf})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/jobs/")
    job = jobs.Runner(api_engine, ".").get(job_id)
    assert (job["status"], job["cancelled_by"]) == ("cancelled", "admin")


def test_a_job_interrupted_by_a_restart_of_the_server_is_shown_failed(
    app, tokens, api_db_url, api_engine, db_home, tmp_path
):
    job_id, queue = _parked(api_engine, kind="test_block")
    url = app_role_url(api_db_url, db_home) or api_db_url
    with worker_process(url, tmp_path, queue):  # a server's pool, killed mid-job
        deadline = time.monotonic() + 30
        while jobs.Runner(api_engine, tmp_path).get(job_id)["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert jobs.Runner(api_engine, tmp_path).get(job_id)["status"] == "running"

    restarted = create_app(app.config["TWIN_SETTINGS"], {"TESTING": True})
    pool.start(restarted)  # what twin web serve does at start-up
    try:
        shown = _listed(restarted.test_client(), tokens["admin"], job_id)
    finally:
        pool.runner(restarted).stop()
    assert shown["status"] == "failed", shown
    assert shown["error"].startswith("interrupted by a restart of the server at ")
    assert shown["finished_at"]
