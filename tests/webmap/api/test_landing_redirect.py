"""A person opening the twin's address lands on the map; tools get the OGC landing page."""

import pytest

from tests.webmap.api.apptest import api_db_url, api_engine, app, client  # noqa: F401

pytestmark = pytest.mark.db


def test_browser_is_sent_to_the_map_and_tools_get_json(client):  # noqa: F811
    browser = client.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 302 and browser.headers["Location"].endswith("/map/")
    tool = client.get("/", headers={"Accept": "application/json"})
    assert tool.status_code == 200
    assert any(link["rel"] == "conformance" for link in tool.get_json()["links"])
    explicit = client.get("/?f=html")
    assert explicit.status_code == 200 and "text/html" in explicit.content_type
