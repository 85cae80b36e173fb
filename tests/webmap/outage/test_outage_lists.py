"""The light outage answer over HTTP: summary, full detail on request, paged lists, highlight."""

from __future__ import annotations

import pytest

from tests.twin.network.demo_db import first_breaker
from tests.webmap.map.apptest import login

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]


@pytest.fixture(scope="module")
def breaker(network_demo) -> str:
    return first_breaker(network_demo.url)


def _analyse(crew, code, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    response = crew.post(
        "/outage/analyse" + suffix, json={"codes": [code]}, headers={"X-CSRFToken": crew.csrf}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_the_answer_is_a_summary_and_the_full_detail_is_asked_for(crew, breaker):
    summary = _analyse(crew, breaker.lower())
    full = _analyse(crew, breaker, detail="full")
    assert summary.get_json()["assets"] == full.get_json()["assets"] == [breaker]
    assert "map" in full.get_json() and "map" not in summary.get_json()
    assert len(summary.data) < len(full.data) / 3


def test_the_customers_come_a_page_at_a_time(crew, breaker):
    total = _analyse(crew, breaker).get_json()["lists"]["customers"]
    one = crew.get(f"/outage/list/customers?code={breaker}&page=1&size=3").get_json()
    two = crew.get(f"/outage/list/customers?code={breaker}&page=2&size=3").get_json()
    assert one["total"] == total and one["page"] == 1 and len(one["items"]) == min(3, total)
    assert not {c["code"] for c in one["items"]} & {c["code"] for c in two["items"]}


def test_streets_of_one_utility_only(crew, breaker):
    summary = _analyse(crew, breaker).get_json()
    for totals in summary["utilities"]:
        found = crew.get(
            f"/outage/list/streets?code={breaker}&size=500&utility={totals['utility']}"
        ).get_json()
        assert {s["utility"] for s in found["items"]} <= {totals["utility"]}
        assert sum(s["customers"] for s in found["items"]) == totals["customers"]


def test_the_highlight_names_its_roles(crew, breaker):
    summary = _analyse(crew, breaker).get_json()
    drawn = crew.get(f"/outage/highlight.json?code={breaker}").get_json()
    roles = {f"{f['properties']['utility']}:{f['properties']['role']}" for f in drawn["features"]}
    assert roles == set(summary["highlight"])


def test_bad_list_requests_are_problems(crew, breaker):
    assert crew.get(f"/outage/list/everything?code={breaker}").status_code == 422
    assert crew.get(f"/outage/list/customers?code={breaker}&page=0").status_code == 422
    assert crew.get(f"/outage/list/customers?code={breaker}&size=100000").status_code == 422
    assert crew.get("/outage/list/customers?code=NOPE-1").status_code == 404


@pytest.mark.parametrize("path", ["/outage/list/customers", "/outage/highlight.json"])
@pytest.mark.parametrize(("user", "status"), [(None, 401), ("vera", 403)])
def test_lists_and_highlight_need_the_crew_role(app, breaker, path, user, status):
    client = app.test_client()
    if user:
        login(client, user)
    response = client.get(f"{path}?code={breaker}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_the_work_order_has_one_street_table_per_utility(crew, breaker):
    full = _analyse(crew, breaker, detail="full").get_json()
    html = crew.get(f"/outage/workorder?code={breaker}").get_data(as_text=True)
    utilities = sorted({s["utility"] for s in full["by_street"]})
    assert len(utilities) > 1
    assert all(f'id="wo-streets-{u}"' in html for u in utilities)
    assert html.count('id="wo-critical"') == 1
    assert html.count("<li>", html.index('id="wo-critical"')) >= len(full["facilities"])
    assert len(full["facilities"]) == len({c["code"] for c in full["critical"]})
