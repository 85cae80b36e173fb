"""Photos over HTTP: upload from a phone, EXIF shown, thumbnails, limits, who sees them."""

import pytest

from tests.factories import committed_asset
from tests.twin.photos.images import phone_jpeg
from tests.webmap.api.apptest import bearer

pytestmark = pytest.mark.db


@pytest.fixture
def lamp(api_engine) -> str:
    return committed_asset(api_engine, "lighting_light")


def _upload(client, token, ref, data, kind="asset"):
    return client.post(f"/api/photos/{kind}/{ref}", data=data,
                       headers=bearer(token, **{"Content-Type": "image/jpeg"}))


def test_a_crew_photo_is_stored_with_its_exif_and_read_back(client, tokens, lamp):
    photo = phone_jpeg(106.21, 21.28, "2026:12:06 17:40:00")
    made = _upload(client, tokens["crew"], f"lighting_light/{lamp}", photo)
    assert made.status_code == 201, made.get_json()
    stored = made.get_json()
    assert (stored["lon"], stored["lat"]) == pytest.approx((106.21, 21.28), abs=1e-6)
    assert stored["taken_at"].startswith("2026-12-06T10:40:00")  # 17:40 in Vietnam
    listed = client.get(f"/api/photos/asset/lighting_light/{lamp}",
                        headers=bearer(tokens["viewer"])).get_json()
    assert [p["id"] for p in listed] == [stored["id"]]
    original = client.get(f"/photos/{stored['id']}", headers=bearer(tokens["viewer"]))
    assert original.data == photo and original.mimetype == "image/jpeg"
    assert "private" in original.headers["Cache-Control"]
    thumb = client.get(f"/photos/{stored['id']}/thumbnail.jpg", headers=bearer(tokens["viewer"]))
    assert thumb.mimetype == "image/jpeg" and 0 < len(thumb.data) < len(photo)


def test_the_same_photo_sent_again_is_stored_once(client, tokens, lamp):
    photo = phone_jpeg(colour=(1, 2, 3))
    first = _upload(client, tokens["crew"], f"lighting_light/{lamp}", photo)
    again = _upload(client, tokens["crew"], f"lighting_light/{lamp}", photo)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["repeated"] and again.get_json()["id"] == first.get_json()["id"]


def test_a_photo_of_something_missing_or_not_an_image_is_refused(client, tokens, lamp):
    assert _upload(client, tokens["crew"], "lighting_light/LGT-POLE-999999",
                   phone_jpeg()).status_code == 404
    assert _upload(client, tokens["crew"], "1", phone_jpeg(), kind="camera").status_code == 404
    svg = _upload(client, tokens["crew"], f"lighting_light/{lamp}", b"<svg onload=alert(1)>")
    assert svg.status_code == 422
    assert svg.get_json()["problems"][0]["field"] == "file"


def test_viewers_may_not_add_photos(client, tokens, lamp):
    response = _upload(client, tokens["viewer"], f"lighting_light/{lamp}", phone_jpeg())
    assert response.status_code == 403
