import io
import json
import time
import zipfile

import pytest
import shapely.geometry

from tests.twin.zoning.places import CRS, at, lonlat
from tests.webmap.zoning.conftest import PASSWORD
from twin.db.engine import session_scope
from twin.i18n import N_, Message
from twin.zoning.model import FINDING_KINDS, Plan, Zone
from twin.zoning.store import save_plan
from webmap.zoning import runs
from webmap.zoning.jobs import Progress

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("zoning-web")]


@pytest.fixture(scope="module")
def plans(own_engine):
    """An approved general plan with a park and a draft zoning plan putting homes into it."""
    general = Plan(
        "G",
        "general",
        "general plan",
        [Zone("park", "DKV", at(0, 0, 100, 100)), Zone("town", "ODT", at(100, 0, 400, 100))],
        status="approved",
    )
    zoning = Plan(
        "Z",
        "zoning",
        "zoning plan",
        [Zone("homes", "ODT", at(0, 0, 40, 100)), Zone("green", "DKV", at(40, 0, 100, 100))],
    )
    with session_scope(own_engine) as session:
        return {"G": save_plan(session, general, crs=CRS), "Z": save_plan(session, zoning, crs=CRS)}


def bearer(token, **headers):
    return {"Authorization": f"Bearer {token}", **headers}


def finished(client, token, run_id, timeout_s=30.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run = client.get(f"/zoning/runs/{run_id}", headers=bearer(token)).get_json()
        if run["status"] != "running":
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish in {timeout_s} s")


def test_only_planners_and_admins_get_in(client, tokens, plans):
    assert client.get("/zoning/").status_code == 302
    assert client.get("/zoning/plans").status_code == 401
    assert client.get("/zoning/plans", headers=bearer(tokens["viewer"])).status_code == 403
    assert client.get("/zoning/plans", headers=bearer(tokens["admin"])).status_code == 200
    page = client.get("/zoning/", headers=bearer(tokens["planner"]))
    assert page.status_code == 200
    assert b"leaflet.js" in page.data and b"planner.js" in page.data
    listed = client.get("/zoning/plans", headers=bearer(tokens["planner"])).get_json()["plans"]
    listed = [p for p in listed if p["name"] in ("G", "Z")]
    assert [(p["name"], p["level"], p["zones"], p["in_force"]) for p in listed] == [
        ("G", "general", 2, True),
        ("Z", "zoning", 2, True),
    ]


def test_the_page_is_in_vietnamese_by_default_and_in_english_on_request(client, tokens, plans):
    vi = client.get("/zoning/", headers=bearer(tokens["planner"])).get_data(as_text=True)
    assert '<html lang="vi">' in vi
    for words in ("Rà soát, đối chiếu quy hoạch", "Chạy kiểm tra", "Xung đột", "Quyết định"):
        assert words in vi, words
    assert '<option value="resolved">đã xử lý</option>' in vi
    en = client.get("/zoning/?lang=en", headers=bearer(tokens["planner"])).get_data(as_text=True)
    assert '<html lang="en">' in en and "Run the check" in en and "Xung đột" not in en
    assert '<option value="resolved">resolved</option>' in en


def script_config(html: str, name: str) -> dict:
    """The ``name`` entry of the ``window.ZONING`` the page sends to its script."""
    line = next(line for line in html.splitlines() if line.strip().startswith(f"{name}: "))
    return json.loads(line.strip()[len(name) + 2 :].rstrip(","))


def test_the_script_gets_its_words_and_the_names_of_values_in_the_readers_language(
    client, tokens, plans
):
    vi = client.get("/zoning/?lang=vi", headers=bearer(tokens["planner"])).get_data(as_text=True)
    assert '<option value="land_use_conflict">xung đột sử dụng đất</option>' in vi
    assert '<option value="overlap">chồng lấn</option>' in vi
    words, names = script_config(vi, "words"), script_config(vi, "names")
    assert words["run_n"] == "lượt chạy {id}" and words["conflicts"] == "{count} xung đột"
    assert words["plan_side"] == "quy hoạch {name}@{version} ({level}, {status})"
    assert names["kinds"]["overlap"] == "chồng lấn"
    assert names["levels"] == {"general": "chung", "zoning": "phân khu", "detailed": "chi tiết"}
    assert names["plan_statuses"]["draft"] == "dự thảo"
    assert names["statuses"] == {
        "open": "chưa xử lý",
        "resolved": "đã xử lý",
        "accepted": "chấp nhận",
    }
    assert names["severities"]["high"] == "cao"
    assert names["run_statuses"]["running"] == "đang chạy"
    assert set(names["kinds"]) == set(FINDING_KINDS)

    en = client.get("/zoning/?lang=en", headers=bearer(tokens["planner"])).get_data(as_text=True)
    assert '<option value="land_use_conflict">land-use conflict</option>' in en
    words, names = script_config(en, "words"), script_config(en, "names")
    assert words["run_n"] == "run {id}" and words["kept"] == "{count} earlier decisions kept"
    assert names["kinds"]["plan_overlap"] == "plans overlap"
    assert (
        names["levels"]["general"] == "general" and names["plan_statuses"]["approved"] == "approved"
    )


def test_a_check_runs_in_the_background_and_its_conflicts_show_both_sides(client, tokens, plans):
    planner = tokens["planner"]
    started = client.post("/zoning/runs", json={"plans": [plans["Z"]]}, headers=bearer(planner))
    assert started.status_code == 202
    run = finished(client, planner, started.get_json()["id"])
    assert (run["status"], run["counts"], run["against_ids"]) == (
        "done",
        {"land_use_conflict": 1},
        [plans["G"]],
    )
    assert run["progress"]["done"] == run["progress"]["total"]

    (feature,) = client.get(
        f"/zoning/runs/{run['id']}/findings", headers=bearer(planner)
    ).get_json()["features"]
    # The rule in the reader's language; stored (and exported) in English.
    assert feature["properties"]["rule"].startswith(
        "ODT không được phép nằm trong khu DKV của quy hoạch cấp trên: "
    )
    (english,) = client.get(
        f"/zoning/runs/{run['id']}/findings?lang=en", headers=bearer(planner)
    ).get_json()["features"]
    assert english["properties"]["rule"].startswith(
        "ODT is not permitted inside the higher plan's DKV: "
    )
    detail = client.get(
        f"/zoning/findings/{feature['id']}?lang=vi", headers=bearer(planner)
    ).get_json()
    assert detail["finding"]["properties"]["rule"] == feature["properties"]["rule"]
    titles = [side["title"] for side in detail["sides"]]
    assert titles == ["plan G@1 (general, approved)", "plan Z@1 (zoning, draft)"]
    involved = [
        f["properties"]["ref"]
        for side in detail["sides"]
        for f in side["features"]
        if f["properties"]["involved"]
    ]
    assert involved == ["zone:G/park", "zone:Z/homes"]

    decided = client.post(
        f"/zoning/findings/{feature['id']}/decision",
        json={"status": "accepted", "note": "park moves north"},
        headers=bearer(planner),
    ).get_json()
    assert decided["finding"]["properties"]["status"] == "accepted"
    assert [h["decided_by"] for h in decided["history"]] == ["planner"]

    archive = client.get(f"/zoning/runs/{run['id']}/report.zip", headers=bearer(planner))
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert sorted(names) == ["conflicts.csv", "conflicts.gpkg", "summary.csv", "summary.html"]


def test_bad_requests_are_problems_naming_the_field(client, tokens, plans):
    planner = bearer(tokens["planner"])
    empty = client.post("/zoning/runs", json={"plans": []}, headers=planner)
    assert (empty.status_code, empty.get_json()["problems"][0]["field"]) == (422, "plan")
    typed = client.post("/zoning/runs", json={"plans": ["Z"]}, headers=planner)
    assert typed.get_json()["problems"][0]["rule"] == "list_of_ids"
    assert client.get("/zoning/findings/987654", headers=planner).status_code == 404


def square(x0, y0, size=20):
    return shapely.geometry.mapping(lonlat(at(x0, y0, x0 + size, y0 + size)))


def test_zones_of_draft_plans_are_drawn_and_edited_with_a_version_check(client, tokens, plans):
    planner = bearer(tokens["planner"])
    created = client.post(
        f"/zoning/plans/{plans['Z']}/zones",
        json={"geometry": square(0, 200), "properties": {"code": "DGD", "name": "school"}},
        headers=planner,
    )
    assert created.status_code == 201
    zone = created.get_json()
    assert (zone["properties"]["code"], zone["properties"]["version"]) == ("DGD", 1)

    stale = client.patch(
        f"/zoning/zones/{zone['id']}",
        json={"version": 7, "properties": {"code": "TMD"}},
        headers=planner,
    )
    assert stale.status_code == 412
    assert stale.get_json()["current"]["properties"]["code"] == "DGD"
    moved = client.patch(
        f"/zoning/zones/{zone['id']}",
        json={"version": 1, "geometry": square(0, 250), "properties": {"code": "TMD"}},
        headers=planner,
    ).get_json()
    assert (moved["properties"]["code"], moved["properties"]["version"]) == ("TMD", 2)

    assert (
        client.delete(f"/zoning/zones/{zone['id']}?version=1", headers=planner).status_code == 412
    )
    assert (
        client.delete(f"/zoning/zones/{zone['id']}?version=2", headers=planner).status_code == 204
    )

    approved = client.post(
        f"/zoning/plans/{plans['G']}/zones",
        json={"geometry": square(0, 200), "properties": {"code": "DGD"}},
        headers=planner,
    )
    assert (approved.status_code, approved.get_json()["problems"][0]["rule"]) == (422, "draft_only")


def test_browser_writes_need_the_csrf_header(client, tokens, plans):
    csrf = client.get("/me").get_json()["csrf_token"]
    login = client.post(
        "/login",
        data={"username": "planner", "password": PASSWORD, "csrf_token": csrf, "next": "/zoning/"},
    )
    assert login.status_code == 302
    csrf = client.get("/me").get_json()["csrf_token"]
    body = {"geometry": square(60, 200), "properties": {"code": "ODT"}}
    refused = client.post(f"/zoning/plans/{plans['Z']}/zones", json=body)
    assert refused.status_code == 403
    accepted = client.post(
        f"/zoning/plans/{plans['Z']}/zones", json=body, headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201


def test_the_step_under_way_is_named_in_the_readers_language(app):
    step = Progress(
        Message(N_("checking %(plan)s against %(higher)s"), {"plan": "Z", "higher": "G"})
    )
    with app.test_request_context("/zoning/runs/1?lang=vi"):
        assert runs._progress_json(step)["message"] == (
            "đang đối chiếu Z với quy hoạch cấp trên G"
        )
    with app.test_request_context("/zoning/runs/1?lang=en"):
        assert runs._progress_json(step)["message"] == "checking Z against G"
    with app.test_request_context("/zoning/runs/1?lang=vi"):
        assert runs._progress_json(Progress("done", 3, 3)) == {
            "message": "done",
            "done": 3,
            "total": 3,
        }
