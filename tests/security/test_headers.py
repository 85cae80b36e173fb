"""Every response carries the protective headers; every inline script of a page carries the nonce.

Hole: no Content-Security-Policy and no frame protection, so a value that
reached a page as HTML could run script, and any site could frame the map.
The routes are read from the app's URL map, so a new page is checked the
day it is added.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.webmap.api.apptest import login
from webmap.headers import SECURITY_HEADERS

pytestmark = pytest.mark.db

#: Directives the policy must hold, word for word.
REQUIRED_DIRECTIVES = (
    "default-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
#: Pages that need a signed-in user with every right (they render templates with inline scripts).
PAGES = (
    "/map/",
    "/outage/",
    "/ops/",
    "/ops/map",
    "/ops/incidents",
    "/fiber/",
    "/zoning/",
    "/login",
    "/collections?f=html",
)


def get_routes(app) -> list[str]:
    """Every GET route of the app without a parameter."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
    )


def fetch(client, path: str, **kwargs):
    """The response to GET ``path``, its body read and the file it streams closed."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def assert_protected(response, where: str) -> None:
    headers = response.headers
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, f"{where}: {name} is {headers.get(name)!r}"
    policy = headers.get("Content-Security-Policy")
    assert policy, f"{where}: no Content-Security-Policy"
    for directive in REQUIRED_DIRECTIVES:
        assert directive in policy, f"{where}: {directive!r} missing from {policy!r}"
    found = directives(policy)
    for name in ("script-src", "style-src"):
        assert found[name][0] == "'self'", f"{where}: {name} {found[name]}"
        assert "'unsafe-inline'" not in found[name], f"{where}: {name} allows inline code"
        assert "'unsafe-eval'" not in found[name], f"{where}: {name} allows eval"
    assert "geolocation=(self)" in headers["Permissions-Policy"]


class Tags(HTMLParser):
    """The opening tags of a page with their attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def policy_nonce(response) -> str:
    match = re.search(
        r"script-src 'self' 'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]
    )
    assert match, f"no nonce in {response.headers['Content-Security-Policy']!r}"
    return match[1]


@pytest.fixture
def admin_client(app, tokens, monkeypatch):
    """A client signed in as the admin; a failing view answers 500 instead of raising."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    client = app.test_client()
    login(client, "admin")
    return client


def test_every_route_answers_anonymous_readers_with_the_headers(app, client, tokens, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    routes = get_routes(app)
    assert "/map/" in routes and "/ops/" in routes and "/login" in routes
    for route in routes:
        assert_protected(fetch(client, route), f"GET {route}")


def test_every_route_answers_a_signed_in_admin_with_the_headers_and_nonced_pages(app, admin_client):
    for route in get_routes(app):
        if route == "/logout":
            continue  # it would end the session of the routes after it
        response = fetch(admin_client, route)
        assert_protected(response, f"GET {route} as admin")
        if response.mimetype == "text/html":
            assert_inline_code_nonced(response, f"GET {route} as admin")


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/leaflet/dist/leaflet.js",
        "/map/static/map/twin.js",
        "/vendor/no-such-package/x.js",
        "/no/such/page",
        "/collections/no_such_table/items",
        "/map/tiles/3/0/0.mvt",
    ],
)
def test_files_tiles_and_errors_carry_the_headers(client, tokens, path):
    assert_protected(fetch(client, path), f"GET {path}")


def test_refused_writes_carry_the_headers(client, tokens):
    response = client.post("/collections/trees_tree/items", json={"type": "Feature"})
    assert response.status_code in (401, 403, 404)
    assert_protected(response, "anonymous POST")


def assert_inline_code_nonced(response, where: str) -> None:
    """Inline scripts and style blocks carry the request's nonce; no handlers, no ``javascript:``."""
    tags = tags_of(response.get_data(as_text=True))
    inline = [
        (tag, attrs)
        for tag, attrs in tags
        if tag == "style" or (tag == "script" and "src" not in attrs)
    ]
    nonce = policy_nonce(response) if inline else None
    for tag, attrs in inline:
        assert attrs.get("nonce") == nonce, f"{where}: <{tag}> without the request's nonce: {attrs}"
    for tag, attrs in tags:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"{where}: <{tag}> has inline event handlers {handlers}"
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), f"{where}: <{tag} {name}={value!r}>"


@pytest.mark.parametrize("path", PAGES)
def test_every_inline_script_and_style_of_a_page_carries_the_nonce(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    assert response.mimetype == "text/html"
    assert_inline_code_nonced(response, path)


def test_the_map_page_runs_folium_only_with_the_nonce(admin_client):
    response = admin_client.get("/map/")
    nonce = policy_nonce(response)
    scripts = [attrs for tag, attrs in tags_of(response.get_data(as_text=True)) if tag == "script"]
    inline = [attrs for attrs in scripts if "src" not in attrs]
    assert len(inline) >= 2  # folium's settings in the head and the map itself
    assert all(attrs.get("nonce") == nonce for attrs in inline)
    assert all(attrs["src"].startswith("/") for attrs in scripts if "src" in attrs), (
        "a script from elsewhere"
    )


def test_the_nonce_changes_with_every_request(admin_client):
    seen = {policy_nonce(admin_client.get("/ops/")) for _ in range(5)}
    assert len(seen) == 5
    assert all(len(nonce) >= 22 for nonce in seen)  # 128 bits, URL-safe base64


def test_responses_without_inline_code_get_no_nonce(client, tokens):
    policy = client.get("/collections?f=json").headers["Content-Security-Policy"]
    assert "nonce-" not in policy
    assert "script-src 'self';" in policy


def test_an_online_basemap_adds_only_its_own_origin_to_images(app, admin_client):
    basemap = {"url": "https://{s}.tile.example.org/{z}/{x}/{y}.png", "attribution": "OSM"}
    app.config["MAP_ONLINE_BASEMAP"] = basemap
    try:
        policy = admin_client.get("/map/").headers["Content-Security-Policy"]
    finally:
        app.config["MAP_ONLINE_BASEMAP"] = None
    assert directives(policy)["img-src"] == [
        "'self'",
        "data:",
        "blob:",
        "https://*.tile.example.org",
    ]
    assert directives(policy)["connect-src"] == ["'self'"]
