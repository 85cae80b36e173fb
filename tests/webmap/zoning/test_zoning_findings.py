"""Findings at the scale of real plans: grouped by kind, paged, decided in bulk by area."""

import uuid

import pytest

from tests.twin.zoning.places import CRS, at, lonlat
from tests.webmap.zoning.test_zoning_page import bearer
from twin.db.engine import session_scope
from twin.zoning import run_store
from twin.zoning.model import Finding

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("zoning-web")]

#: 25 clearance findings along a street (10 west of x = 100 m, 15 east), 3 gaps.
WEST = at(-5, 490, 95, 520)


def _finding(kind: str, x: float, tag: str) -> Finding:
    return Finding(
        kind,
        "medium",
        f"{kind} rule",
        at(x, 500, x + 5, 505),
        involved=(f"asset:{tag}-{kind}-{x:g}",),
        area_m2=25.0,
    )


@pytest.fixture
def run_id(own_engine) -> int:
    """A finished run of its own (its conflicts decided nowhere else)."""
    tag = uuid.uuid4().hex[:8]
    found = [_finding("clearance", 10.0 * i, tag) for i in range(25)]
    found += [_finding("gap", 10.0 * i, tag) for i in range(3)]
    with session_scope(own_engine) as session:
        run = run_store.start_run(session, [], [], with_assets=True, user="planner")
        run_store.store_findings(session, run, found, crs=CRS, plan_ids={})
        run_store.finish_run(session, run, counts=run_store.kind_counts(found))
        return run.id


def _page(client, token, run_id, **args):
    response = client.get(
        f"/zoning/runs/{run_id}/findings", query_string=args, headers=bearer(token)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_findings_come_a_page_at_a_time_with_counts_by_kind(client, tokens, run_id):
    planner = tokens["planner"]
    first = _page(client, planner, run_id, per_page=10)
    assert (first["total"], first["page"], len(first["features"])) == (28, 1, 10)
    assert first["kinds"] == {
        "gap": {"total": 3, "open": 3},
        "clearance": {"total": 25, "open": 25},
    }
    last = _page(client, planner, run_id, kind="clearance", per_page=10, page=3)
    assert (last["total"], len(last["features"])) == (25, 5)
    assert {f["properties"]["kind"] for f in last["features"]} == {"clearance"}
    seen = [
        f["id"]
        for page in (1, 2, 3)
        for f in _page(client, planner, run_id, kind="clearance", per_page=10, page=page)[
            "features"
        ]
    ]
    assert len(set(seen)) == 25 and seen == sorted(seen)
    west = ",".join(str(v) for v in lonlat(WEST).bounds)
    assert _page(client, planner, run_id, kind="clearance", bbox=west)["total"] == 10
    bad = client.get(
        f"/zoning/runs/{run_id}/findings?kind=nonsense&page=0", headers=bearer(planner)
    )
    assert bad.status_code == 422
    assert (
        client.get(f"/zoning/runs/{run_id}/findings?page=0", headers=bearer(planner)).status_code
        == 422
    )
    assert client.get("/zoning/runs/987654/findings", headers=bearer(planner)).status_code == 404


def test_a_planner_accepts_every_finding_of_a_kind_in_the_view_at_once(client, tokens, run_id):
    planner = tokens["planner"]
    body = {
        "kind": "clearance",
        "bbox": list(lonlat(WEST).bounds),
        "status": "accepted",
        "note": "clearances on this street agreed with the power company",
    }
    answer = client.post(f"/zoning/runs/{run_id}/decisions", json=body, headers=bearer(planner))
    assert answer.status_code == 200, answer.get_json()
    decided = answer.get_json()["decided"]
    assert answer.get_json()["count"] == len(decided) == 10
    still_open = _page(client, planner, run_id, status="open", per_page=100)
    assert still_open["total"] == 18
    assert not set(decided) & {f["id"] for f in still_open["features"]}
    assert still_open["kinds"]["clearance"] == {"total": 15, "open": 15}
    # Each finding has the decision in its own history.
    for finding_id in (decided[0], decided[-1]):
        detail = client.get(f"/zoning/findings/{finding_id}", headers=bearer(planner)).get_json()
        assert detail["finding"]["properties"]["status"] == "accepted"
        assert [(h["status"], h["decided_by"], h["note"]) for h in detail["history"]] == [
            ("accepted", "planner", body["note"])
        ]
    # The rest of the kind, wherever it lies; the decided ones are not decided twice.
    rest = {k: v for k, v in body.items() if k != "bbox"}
    again = client.post(f"/zoning/runs/{run_id}/decisions", json=rest, headers=bearer(planner))
    assert again.get_json()["count"] == 15
    assert _page(client, planner, run_id, status="open")["kinds"] == {
        "gap": {"total": 3, "open": 3}
    }


def test_bulk_decisions_need_a_planner_a_known_kind_and_a_note(client, tokens, run_id):
    url = f"/zoning/runs/{run_id}/decisions"
    body = {"kind": "gap", "status": "accepted", "note": "fine"}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers=bearer(tokens["viewer"])).status_code == 403
    planner = bearer(tokens["planner"])
    for wrong, field in (
        ({"note": ""}, "note"),
        ({"status": "ignored"}, "status"),
        ({"kind": "nonsense"}, "kind"),
        ({"kind": None}, "kind"),
        ({"bbox": [1, 2]}, "bbox"),
    ):
        refused = client.post(url, json={**body, **wrong}, headers=planner)
        assert refused.status_code == 422, wrong
        assert refused.get_json()["problems"][0]["field"] == field
    assert _page(client, tokens["planner"], run_id, status="open")["total"] == 28
    assert client.post(url, json=body, headers=bearer(tokens["admin"])).get_json()["count"] == 3


def test_the_page_says_what_to_do_before_any_check_and_how_to_page_and_decide(client, tokens):
    vi = client.get("/zoning/?lang=vi", headers=bearer(tokens["planner"])).get_data(as_text=True)
    assert 'id="empty"' in vi
    assert "Chưa có lượt đối chiếu nào: bấm “Chạy kiểm tra” để chạy." in vi
    assert "Quyết định tất cả xung đột loại này" in vi and "trang trước" in vi
    en = client.get("/zoning/?lang=en", headers=bearer(tokens["planner"])).get_data(as_text=True)
    assert "No check has been run yet: press “Run the check” to run one." in en
