"""Hole 6: ``/logout?next=/%09/evil.example`` (and the same after login) answered
``Location: //evil.example``; ``next=/%0a/...`` gave a 500.  Now ``next`` is kept
only when it is a plain path of this site; logout is a POST."""

from __future__ import annotations

import pytest

from tests.security.accounts import new_user
from tests.webmap.api.apptest import PASSWORD, login

pytestmark = pytest.mark.db

#: As they appear in a URL's query (percent-encoded once).
ELSEWHERE = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "/%0A%0DSet-Cookie:x=1",
    "/%2509/evil.example",
    "//evil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%5C/evil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "%20//evil.example",
    "/%00/evil.example",
    "/%7F/evil.example",
    "evil.example",
]


def _logged_in(app, api_engine):
    client = app.test_client()
    csrf = login(client, new_user(api_engine, "viewer"))
    return client, csrf


@pytest.mark.parametrize("target", ELSEWHERE)
def test_logout_never_redirects_off_site(app, api_engine, target):
    client, csrf = _logged_in(app, api_engine)
    r = client.post(f"/logout?next={target}", data={"csrf_token": csrf})
    assert (r.status_code, r.headers["Location"]) == (302, "/")
    assert not client.get("/me").get_json()["authenticated"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_login_never_redirects_off_site(app, api_engine, target):
    client = app.test_client()
    name = new_user(api_engine, "viewer")
    csrf = client.get("/me").get_json()["csrf_token"]
    form = {"username": name, "password": PASSWORD, "csrf_token": csrf}
    r = client.post(f"/login?next={target}", data=form)
    assert (r.status_code, r.headers["Location"]) == (302, "/")
    page = client.get(f"/login?next={target}")
    assert page.status_code == 200 and 'name="next" value="/"' in page.text


@pytest.mark.parametrize(
    "target", ["/map/", "/map/?lang=en", "/collections/trees_tree/items?limit=5"]
)
def test_paths_of_the_site_are_kept(app, api_engine, target):
    client, csrf = _logged_in(app, api_engine)
    r = client.post("/logout", data={"csrf_token": csrf, "next": target})
    assert r.headers["Location"] == target


def test_logout_by_get_is_refused_and_the_session_stays(app, api_engine):
    client, _ = _logged_in(app, api_engine)
    r = client.get("/logout?next=/%09/evil.example")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]
    assert client.get("/me").get_json()["authenticated"]


def test_logout_needs_the_csrf_token(app, api_engine):
    client, _ = _logged_in(app, api_engine)
    r = client.post("/logout")  # an image or a form on another site
    assert r.status_code == 403 and "CSRF" in r.get_json()["detail"]
    assert client.get("/me").get_json()["authenticated"]


def test_the_map_page_logs_out_with_a_form_carrying_the_token(app, api_engine):
    client, _ = _logged_in(app, api_engine)
    page = client.get("/map/").get_data(as_text=True)
    assert 'href="/logout"' not in page
    form = page[page.index('<form class="logout"') :]
    form = form[: form.index("</form>")]
    assert 'method="post"' in form and 'action="/logout"' in form and 'name="csrf_token"' in form
