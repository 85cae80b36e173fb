"""Who the client is behind a reverse proxy: forwarded addresses believed only when configured.

Rate limits and login throttling count by address; a client that could pick
its address with ``X-Forwarded-For`` would escape both, so the header counts
only for the number of proxies the operator declared.
"""

from __future__ import annotations

import pytest

from twin.config import RATE_LIMITS, Settings
from webmap import create_app

LIMITS = {**RATE_LIMITS, "search": "2 per minute"}
PROXY = {"REMOTE_ADDR": "127.0.0.1"}


def _app(api_db_url, home, proxies: int):
    settings = Settings(
        home=home,
        database_url=api_db_url,
        secret_key="test-secret",
        rate_limits=LIMITS,
        trusted_proxies=proxies,
    )
    return create_app(settings, {"TESTING": True})


def _search(client, forwarded: str):
    return client.get(
        "/map/search?q=tree", environ_base=PROXY, headers={"X-Forwarded-For": forwarded}
    ).status_code


@pytest.mark.db
def test_forwarded_addresses_are_ignored_unless_a_proxy_is_declared(api_db_url, tmp_path):
    """Without a declared proxy, changing X-Forwarded-For does not escape the limit."""
    client = _app(api_db_url, tmp_path, 0).test_client()
    statuses = [_search(client, f"203.0.113.{i}") for i in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.db
def test_behind_one_declared_proxy_each_client_address_has_its_own_count(api_db_url, tmp_path):
    client = _app(api_db_url, tmp_path, 1).test_client()
    assert [_search(client, "203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert _search(client, "203.0.113.2") == 200
    # A client's own X-Forwarded-For in front of the proxy's entry is not believed.
    assert _search(client, "198.51.100.9, 203.0.113.1") == 429


def test_the_number_of_proxies_comes_from_the_environment():
    assert Settings.from_env({"TWIN_TRUSTED_PROXIES": "2"}).trusted_proxies == 2
    assert Settings.from_env({}).trusted_proxies == 0


@pytest.mark.db
def test_behind_a_declared_proxy_session_cookies_are_https_only(api_db_url, tmp_path):
    """The session cookie (set here by /me's CSRF token) goes over HTTPS only."""
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
    for proxies, secure in ((1, True), (0, False)):
        client = _app(api_db_url, tmp_path, proxies).test_client()
        r = client.get("/me", environ_base=PROXY, headers=https)
        cookie = next(v for k, v in r.headers.items() if k == "Set-Cookie" and "session=" in v)
        assert ("Secure" in cookie) is secure and "HttpOnly" in cookie
