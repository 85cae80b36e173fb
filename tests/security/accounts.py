"""Helpers of the session and login tests: users of their own, forged cookies, browsers."""

from __future__ import annotations

import uuid

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import text

from tests.webmap.api.apptest import PASSWORD
from twin.auth import users
from twin.db.engine import session_scope


def new_user(engine, role: str = "viewer", *, password: str | None = PASSWORD) -> str:
    """A user of this test only (others' users keep their sessions and counters)."""
    name = f"{role}_{uuid.uuid4().hex[:8]}"
    with session_scope(engine) as session:
        users.add_user(session, name, role, password)
    return name


def user_id(engine, name: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT id FROM auth.users WHERE name = :n"), {"n": name}).scalar()


def forged_session(secret: str, payload: dict) -> str:
    """A session cookie value signed with ``secret`` as Flask would sign it."""
    forger = Flask("forger")
    forger.secret_key = secret
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(payload)


def browser(app, address: str = "127.0.0.1"):
    """A test client coming from ``address`` (each throttle test has its own)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def try_login(client, name: str, password: str, **form):
    csrf = client.get("/me").get_json()["csrf_token"]
    data = {"username": name, "password": password, "csrf_token": csrf, **form}
    return client.post("/login", data=data)


def unique_address() -> str:
    """A documentation address (RFC 5737) no other test uses."""
    n = uuid.uuid4().int
    return f"198.51.{n % 250}.{(n >> 8) % 250 + 1}"
