"""Photos: anonymous readers see none, big bodies are refused unread, image bombs undecoded.

A photo may show faces or number plates; the operator decides what to do
with them, but no anonymous reader gets a photo, not even one of the
open-data tree layer.  An upload larger than the photo limit is refused
from its ``Content-Length`` before the caller is identified, and a small
file announcing billions of pixels is refused from its header.
"""

from __future__ import annotations

import time

import pytest

from layers import feature_type
from tests.factories import committed_asset
from tests.twin.photos.images import phone_jpeg, png_bomb
from tests.webmap.api.apptest import bearer

pytestmark = pytest.mark.db


@pytest.fixture
def tree(api_engine) -> str:
    return committed_asset(api_engine, "trees_tree")


def test_anonymous_readers_get_no_photo_even_of_an_open_data_layer(client, tokens, tree):
    assert feature_type("trees_tree").layer == "trees"
    made = client.post(f"/api/photos/asset/trees_tree/{tree}", data=phone_jpeg(),
                       headers=bearer(tokens["crew"]))
    assert made.status_code == 201
    photo = made.get_json()["id"]
    assert client.get(f"/collections/trees_tree/items/{tree}").status_code == 200
    for url in (f"/photos/{photo}", f"/photos/{photo}/thumbnail.jpg",
                f"/api/photos/asset/trees_tree/{tree}"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert b"\xff\xd8" not in response.data
    assert client.get(f"/photos/{photo}", headers=bearer(tokens["viewer"])).status_code == 200


def test_a_body_over_the_photo_limit_is_refused_before_anything_else(app, client, tree):
    limit = app.config["TWIN_PHOTO_MAX_BYTES"]
    response = client.post(f"/api/photos/asset/trees_tree/{tree}", data=b"x" * (limit + 1))
    assert response.status_code == 413
    assert "at most" in response.get_json()["detail"]


def test_an_image_bomb_is_refused_without_decoding(client, tokens, tree):
    started = time.monotonic()
    response = client.post(f"/api/photos/asset/trees_tree/{tree}", data=png_bomb(),
                           headers=bearer(tokens["crew"]))
    assert response.status_code == 422
    assert "over the limit" in response.get_json()["problems"][0]["message"]
    assert time.monotonic() - started < 2
