"""Hole 9: the history of an open-data item named the users who changed it to anyone.

Anonymous readers now get the versions without ``changed_by`` and with the
``created_by``/``updated_by`` of each state masked; signed-in users see them.
"""

from __future__ import annotations

import pytest

from tests.security.accounts import new_user
from tests.webmap.api.apptest import bearer, login
from twin.auth import users
from twin.db.engine import session_scope

pytestmark = pytest.mark.db

TREE = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [105.72, 21.72]},
    "properties": {"species_scientific": "Lagerstroemia speciosa"},
}


@pytest.fixture
def planted(client, api_engine):
    """A tree (open data) created and changed by an editor whose name must stay private."""
    editor = new_user(api_engine, "editor")
    with session_scope(api_engine) as session:
        token = users.issue_token(session, editor)
    made = client.post("/collections/trees_tree/items", json=TREE, headers=bearer(token))
    assert made.status_code == 201, made.data
    url = f"/collections/trees_tree/items/{made.get_json()['id']}"
    patch = {"properties": {"condition": "fair"}}
    assert (
        client.patch(url, json=patch, headers=bearer(token, **{"If-Match": '"1"'})).status_code
        == 200
    )
    return editor, url


def test_anonymous_history_names_no_user(client, planted):
    editor, url = planted
    r = client.get(f"{url}/history")
    assert r.status_code == 200
    versions = r.get_json()["versions"]
    assert [v["action"] for v in versions] == ["create", "update"]
    assert all("changed_by" not in v for v in versions)
    assert editor not in r.get_data(as_text=True)
    html = client.get(f"{url}/history", headers={"Accept": "text/html"})
    assert html.status_code == 200 and editor not in html.get_data(as_text=True)


def test_signed_in_readers_still_see_who_changed_it(client, tokens, planted):
    editor, url = planted
    versions = client.get(f"{url}/history", headers=bearer(tokens["viewer"])).get_json()["versions"]
    assert [v["changed_by"] for v in versions] == [editor, editor]
    assert versions[-1]["feature"]["properties"]["updated_by"] == editor


def test_the_map_panel_names_no_user_to_anonymous_readers(app, client, api_engine, planted):
    editor, url = planted
    code = url.rsplit("/", 1)[1]
    anonymous = client.get(f"/map/panel/trees_tree/{code}")
    assert anonymous.status_code == 200
    assert editor not in anonymous.get_data(as_text=True) and 'class="who"' not in anonymous.text
    reader = app.test_client()
    login(reader, new_user(api_engine, "viewer"))
    assert editor in reader.get(f"/map/panel/trees_tree/{code}").get_data(as_text=True)


def test_anonymous_items_and_item_name_no_user(client, planted):
    """The item and every page of items hide the user stamps from anonymous readers."""
    editor, url = planted
    item = client.get(url)
    assert item.status_code == 200
    props = item.get_json()["properties"]
    assert props["created_by"] != editor and props["updated_by"] != editor
    assert editor not in item.get_data(as_text=True)
    for query in (
        "",
        "?bbox=105.7,21.7,105.74,21.74",
        "?condition=fair",
        "?datetime=" + "2999-01-01T00:00:00Z",
    ):
        page = client.get(f"/collections/trees_tree/items{query}")
        assert page.status_code == 200, (query, page.data)
        assert editor not in page.get_data(as_text=True), query


def test_anonymous_readers_cannot_probe_user_names_by_filter(client, planted):
    editor, _ = planted
    for query in (f"?updated_by={editor}", f"?filter=created_by%3D%27{editor}%27"):
        r = client.get(f"/collections/trees_tree/items{query}")
        assert r.status_code == 400, (query, r.data)
        assert r.mimetype == "application/problem+json"
    schema = client.get("/collections/trees_tree/queryables").get_json()
    assert not {"created_by", "updated_by"} & schema["properties"].keys()


def test_signed_in_readers_see_and_filter_user_stamps(client, tokens, planted):
    editor, url = planted
    assert (
        client.get(url, headers=bearer(tokens["viewer"])).get_json()["properties"]["updated_by"]
        == editor
    )
    page = client.get(
        f"/collections/trees_tree/items?updated_by={editor}", headers=bearer(tokens["viewer"])
    ).get_json()
    assert [f["properties"]["updated_by"] for f in page["features"]] == [editor]
