"""Tiles behind a caching proxy: kept while their layers do not change, never served stale.

The TileJSON names the data version of its layers in the tile URLs (``?v=``);
a tile drawn at that version may be kept by any cache, and an edit in the
layer changes the URL.  The last test puts Debian's nginx, configured as
docs/scaling.md says, in front of the app served over HTTP.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from urllib.error import URLError

import mapbox_vector_tile
import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from layers import feature_type
from tests.factories import sample_properties
from tests.processes import free_port, wait_until
from tests.webmap.api.apptest import bearer
from tests.webmap.api.test_http_tiles import tile_of

pytestmark = pytest.mark.db
TABLE = "trees_tree"  # a layer anonymous visitors read: shared caches may keep its tiles


def tree(lon: float, lat: float) -> dict:
    props = sample_properties(feature_type(TABLE))
    props.pop("code", None)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props}


def codes_in(data: bytes) -> set[str]:
    layer = mapbox_vector_tile.decode(data).get(TABLE, {"features": []})
    return {f["properties"].get("code") for f in layer["features"]}


def tile_path(template: str, lon: float, lat: float, z: int = 17) -> str:
    z, x, y = tile_of(lon, lat, z)
    path = template.split("/tiles/", 1)[1]
    return "/tiles/" + path.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def test_a_tile_at_its_version_is_kept_and_an_edit_changes_its_url(client, tokens):
    lon, lat = 105.9105, 21.9105
    template = client.get(f"/tiles/{TABLE}.json").get_json()["tiles"][0]
    assert "?v=" in template
    path = tile_path(template, lon, lat)
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    signed_in = client.get(path, headers=bearer(tokens["viewer"]))
    assert signed_in.headers["Cache-Control"].startswith("private, ")

    made = client.post(f"/collections/{TABLE}/items", json=tree(lon, lat),
                       headers=bearer(tokens["editor"]))
    assert made.status_code == 201, made.data
    code = made.get_json()["id"]
    assert code not in codes_in(first.data)

    newer = client.get(f"/tiles/{TABLE}.json").get_json()["tiles"][0]
    assert newer != template
    fresh = client.get(tile_path(newer, lon, lat))
    assert code in codes_in(fresh.data)
    assert fresh.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The old URL is answered with what is there now, and not to be kept.
    old = client.get(path)
    assert code in codes_in(old.data) and old.headers["Cache-Control"] == "no-cache"
    assert client.get(path.split("?")[0]).headers["Cache-Control"] == "no-cache"
    assert client.get(path.split("?")[0] + "?v=x").status_code == 400


def test_item_pages_are_revalidated_and_private_when_signed_in(client, tokens):
    made = client.post(f"/collections/{TABLE}/items", json=tree(105.91, 21.91),
                       headers=bearer(tokens["editor"]))
    url = f"/collections/{TABLE}/items/{made.get_json()['id']}"
    anonymous = client.get(url)
    assert anonymous.headers["Cache-Control"] == "no-cache" and anonymous.headers["ETag"]
    assert "Cookie" in anonymous.headers["Vary"] and "Accept" in anonymous.headers["Vary"]
    mine = client.get(url, headers=bearer(tokens["viewer"]))
    assert mine.headers["Cache-Control"] == "private, no-cache"


def test_the_app_login_reads_the_versions_but_cannot_set_them(app):
    with app.extensions["twin_engine"].connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit.layer_version")).scalar() >= 0
        for statement in ("UPDATE audit.layer_version SET version = 0",
                          "INSERT INTO audit.layer_version (layer, version) VALUES ('x', 9)",
                          "SELECT audit.bump_layer_version()"):
            with pytest.raises(DBAPIError) as refused:
                conn.execute(text(statement))
            assert isinstance(refused.value.orig, (psycopg.errors.InsufficientPrivilege,
                                                   psycopg.errors.FeatureNotSupported))
            conn.rollback()


NGINX_CONF = """
daemon off;
user root;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    proxy_cache_path {run}/cache levels=1:2 keys_zone=twin_tiles:10m max_size=1g inactive=7d;
    upstream twin {{ server {upstream}; }}
    server {{
        listen 127.0.0.1:{port};
        location /tiles/ {{
            proxy_pass http://twin;
            proxy_cache twin_tiles;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_bypass $http_authorization $cookie_session;
            proxy_no_cache $http_authorization $cookie_session;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
        location / {{ proxy_pass http://twin; }}
    }}
}}
"""


@pytest.fixture
def proxy(live_server, tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.fail("Debian's nginx is not installed: `make test` installs nginx-light")
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(run=tmp_path, port=port,
                                      upstream=live_server.split("//", 1)[1]))
    server = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def answering():
        try:
            urllib.request.urlopen(base + "/conformance", timeout=2)
            return True
        except (URLError, ConnectionError):
            assert server.poll() is None, (tmp_path / "error.log").read_text()
            return False

    wait_until(answering, 15, "nginx answering")
    yield base
    server.terminate()
    server.wait(10)


def fetch(url: str, **headers) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read(), dict(answer.headers)


def test_nginx_keeps_tiles_and_never_serves_one_from_before_an_edit(proxy, tokens):
    lon, lat = 105.9305, 21.9305
    template = json.loads(fetch(f"{proxy}/tiles/{TABLE}.json")[0])["tiles"][0]
    url = proxy + tile_path(template, lon, lat)
    first, headers = fetch(url)
    assert headers["X-Cache-Status"] == "MISS"
    again, headers = fetch(url)
    assert headers["X-Cache-Status"] == "HIT" and again == first

    body = json.dumps(tree(lon, lat)).encode()
    request = urllib.request.Request(
        f"{proxy}/collections/{TABLE}/items", data=body, method="POST",
        headers={"Content-Type": "application/geo+json", **bearer(tokens["editor"])})
    with urllib.request.urlopen(request, timeout=10) as made:
        code = json.loads(made.read())["id"]
    assert code not in codes_in(first)

    started = time.monotonic()
    newer = json.loads(fetch(f"{proxy}/tiles/{TABLE}.json")[0])["tiles"][0]
    data, headers = fetch(proxy + tile_path(newer, lon, lat))
    assert headers["X-Cache-Status"] == "MISS"
    assert code in codes_in(data)
    assert time.monotonic() - started < 5
    data, headers = fetch(proxy + tile_path(newer, lon, lat))
    assert headers["X-Cache-Status"] == "HIT" and code in codes_in(data)
