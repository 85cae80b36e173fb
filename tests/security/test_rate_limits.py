"""Expensive endpoints are rate-limited per user, per address for anonymous callers.

Outage analysis, criticality, search, hillshade shading, exports and plan
runs cost far more than a page: past its kind's limit a caller gets ``429``
problem+json naming the limit, with ``Retry-After``, and other callers go on.
"""

from __future__ import annotations

import pytest

from tests.webmap.api.apptest import bearer
from twin.config import RATE_LIMITS, Settings
from webmap import create_app

LIMITS = {**RATE_LIMITS, "search": "3 per minute", "analysis": "2 per minute", "export": "2/hour"}


@pytest.fixture
def limited(api_db_url, tmp_path):
    settings = Settings(
        home=tmp_path, database_url=api_db_url, secret_key="test-secret", rate_limits=LIMITS
    )
    return create_app(settings, {"TESTING": True})


def _refused(response, limit: str, kind: str) -> None:
    assert response.status_code == 429, response.data[:300]
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 429
    assert kind in problem["detail"] and limit in problem["detail"]
    assert 0 < int(response.headers["Retry-After"]) <= 3600


def test_anonymous_search_past_its_limit_gets_429_other_addresses_and_users_do_not(limited, tokens):
    client = limited.test_client()
    here = {"REMOTE_ADDR": "198.51.100.7"}
    for _ in range(3):
        assert client.get("/map/search?q=tree", environ_base=here).status_code == 200
    _refused(client.get("/map/search?q=tree", environ_base=here), "3 per minute", "search")
    other = {"REMOTE_ADDR": "198.51.100.8"}
    assert client.get("/map/search?q=tree", environ_base=other).status_code == 200
    viewer = bearer(tokens["viewer"])
    assert client.get("/map/search?q=tree", environ_base=here, headers=viewer).status_code == 200


def test_a_user_past_the_analysis_limit_gets_429_another_user_does_not(limited, tokens):
    client = limited.test_client()
    crew, editor = bearer(tokens["crew"]), bearer(tokens["editor"])
    analyse = {"codes": ["WTR-VLV-NONE"]}
    first = client.post("/outage/analyse", json=analyse, headers=crew).status_code
    assert first != 429
    assert client.post("/outage/analyse", json=analyse, headers=crew).status_code == first
    _refused(
        client.get("/outage/workorder.csv?code=WTR-VLV-NONE", headers=crew),
        "2 per minute",
        "analysis",
    )
    assert client.post("/outage/analyse", json=analyse, headers=editor).status_code == first


def test_exports_are_limited(limited, tokens):
    client = limited.test_client()
    viewer = bearer(tokens["viewer"])
    for _ in range(2):
        assert client.get("/ops/export/incidents.csv", headers=viewer).status_code == 200
    _refused(client.get("/ops/export/incidents.csv", headers=viewer), "2/hour", "export")


def test_limits_are_on_by_default_and_a_bad_one_stops_the_start(app, api_db_url, tmp_path):
    assert app.extensions["twin_rate_limits"].enabled
    assert app.config["TWIN_RATE_LIMITS"] == RATE_LIMITS
    wrong = Settings(
        home=tmp_path,
        database_url=api_db_url,
        secret_key="test-secret",
        rate_limits={**RATE_LIMITS, "search": "often"},
    )
    with pytest.raises(ValueError, match="search"):
        create_app(wrong, {"TESTING": True})


def test_limits_come_from_the_environment():
    settings = Settings.from_env({"TWIN_RATE_LIMITS": "search=5 per second; run=1/hour"})
    assert settings.rate_limits == {**RATE_LIMITS, "search": "5 per second", "run": "1/hour"}
    assert settings.rate_limit_storage == "memory://"
