"""Inspections and work orders in ``/collections``: anonymous readers get no person, no photo.

An open-data layer's inspections (the trees' risk assessments) are open
too, but the inspector's name is masked, cannot be filtered on (a filter
would probe it), and no photo link is given.  The inspections of other
layers and the work orders (crews, costs, incidents) stay closed to them.
"""

from __future__ import annotations

import pyogrio
import pytest

from tests.factories import committed_asset
from tests.twin.photos.images import phone_jpeg
from tests.webmap.api.apptest import bearer
from twin.features import PERSONAL_HIDDEN

pytestmark = pytest.mark.db

TRAQ = "inspection_trees_tree_traq"


@pytest.fixture
def assessed(client, tokens, api_engine) -> int:
    """A tree assessed by the crew, with a photo of the inspection; its inspection id."""
    tree = committed_asset(api_engine, "trees_tree")
    body = {"answers": {"likelihood_failure": "probable", "likelihood_impact": "high",
                        "consequences": "significant"}, "asset_version": 1,
            "location": {"type": "Point", "coordinates": [106.2, 21.27]}}
    made = client.post(f"/api/inspections/trees_tree/{tree}/traq", json=body,
                       headers=bearer(tokens["crew"]))
    assert made.status_code == 201, made.get_json()
    inspection = made.get_json()["inspection"]["id"]
    photo = client.post(f"/api/photos/inspection/{TRAQ}/{inspection}", data=phone_jpeg(),
                        headers=bearer(tokens["crew"], **{"Content-Type": "image/jpeg"}))
    assert photo.status_code == 201
    return inspection


def test_anonymous_readers_see_open_inspections_without_names_or_photos(client, tokens,
                                                                        assessed, tmp_path):
    signed_in = client.get(f"/collections/{TRAQ}/items/{assessed}",
                           headers=bearer(tokens["viewer"])).get_json()
    assert signed_in["properties"]["inspected_by"] == "crew"
    assert any(link["rel"] == "enclosure" for link in signed_in["links"])
    anonymous = client.get(f"/collections/{TRAQ}/items/{assessed}")
    assert anonymous.status_code == 200
    feature = anonymous.get_json()
    assert feature["properties"]["inspected_by"] == PERSONAL_HIDDEN
    assert "links" not in feature and b"/photos/" not in anonymous.data
    page = client.get(f"/collections/{TRAQ}/items", query_string={"limit": 1000})
    assert b"crew" not in page.data and b"/photos/" not in page.data
    csv = client.get(f"/collections/{TRAQ}/items", query_string={"f": "csv"})
    assert csv.status_code == 200 and b"crew" not in csv.data
    path = tmp_path / "traq.gpkg"
    path.write_bytes(client.get(f"/collections/{TRAQ}/items",
                                query_string={"f": "gpkg"}).data)
    meta, _, _, fields = pyogrio.raw.read(path)
    names = dict(zip(meta["fields"], fields, strict=True))["inspected_by"]
    assert set(names) == {PERSONAL_HIDDEN}


def test_anonymous_readers_cannot_probe_the_inspector_with_a_filter(client, assessed):
    for query in ({"filter": "inspected_by = 'crew'"}, {"inspected_by": "crew"}):
        response = client.get(f"/collections/{TRAQ}/items", query_string=query)
        assert response.status_code == 400, query
    queryables = client.get(f"/collections/{TRAQ}/queryables").get_json()["properties"]
    assert "inspected_by" not in queryables and "likelihood_failure" in queryables


def test_closed_inspections_and_work_orders_are_not_for_anonymous_readers(client):
    listed = {c["id"] for c in client.get("/collections").get_json()["collections"]}
    assert TRAQ in listed
    assert "work_orders" not in listed
    assert "inspection_water_valve_exercise" not in listed
    for collection in ("work_orders", "inspection_water_valve_exercise"):
        for url in (f"/collections/{collection}", f"/collections/{collection}/items",
                    f"/collections/{collection}/items?f=gpkg",
                    f"/collections/{collection}/queryables",
                    f"/collections/{collection}/items/1"):
            assert client.get(url).status_code == 401, url


def test_anonymous_readers_html_pages_have_no_inspector(client, assessed):
    page = client.get(f"/collections/{TRAQ}/items?f=html&limit=1000&lang=en")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Inspected by" not in html and "crew" not in html and "/photos/" not in html
    one = client.get(f"/collections/{TRAQ}/items/{assessed}?f=html&lang=en")
    assert one.status_code == 200
    assert "Inspected by" not in one.get_data(as_text=True)
    assert "/photos/" not in one.get_data(as_text=True)
    assert client.get("/collections/work_orders/items?f=html").status_code == 401
