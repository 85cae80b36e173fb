"""Fixtures of the map tests: an app on a database of its own, users, a live server.

The map's views read what the feature API wrote, so these tests commit; they
use a scratch database in the test cluster (dropped at the end) so that
other tests' counts are never disturbed.  The browser tests reuse the same
functions with the small demo loaded.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import waitress
from waitress import wasyncore

from tests.webmap.api.apptest import login  # noqa: F401  (the one way tests log in)
from twin.auth import users
from twin.config import Settings
from twin.db.engine import session_scope
from webmap import create_app

PASSWORD = "a good password"
#: Chromium from the Debian package (never downloaded by Playwright), headless.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Users of the map tests: name -> role.
USERS = {"vera": "viewer", "cris": "crew", "edna": "editor", "eddie": "editor", "adam": "admin"}


def add_users(engine) -> None:
    with session_scope(engine) as session:
        for name, role in USERS.items():
            users.add_user(session, name, role, PASSWORD)


def make_app(db_url: str, home, **config):
    settings = Settings(home=home, database_url=db_url, secret_key="map-test-secret")
    return create_app(settings, {"TESTING": True, **config})


def logout(client) -> None:
    """Log a test client out (a POST with its CSRF token, as the map page's button does)."""
    csrf = client.get("/me").get_json()["csrf_token"]
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 302


@contextmanager
def served(app, threads: int = 6):
    """``app`` behind waitress on a free loopback port; yields its base URL."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop_server(server, thread)


def stop_server(server, thread) -> None:
    """Close a waitress server running in ``thread`` and wait for it.

    Its sockets are closed from its own loop (through its trigger): closed
    from here, they would vanish under the ``select()`` the loop is in.
    """
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    thread.join(timeout=5)
    server.task_dispatcher.shutdown()
