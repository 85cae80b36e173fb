"""Hole 1: a session cookie signed with the old fixed key opened /me as admin and reverted an asset.

The key is now generated per twin into ``$TWIN_HOME/session.key`` (0600),
and a weak key is refused before the twin listens beyond this machine.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from tests.security.accounts import forged_session, new_user, user_id
from tests.webmap.api.apptest import bearer
from twin.config import Settings
from twin.errors import Forbidden, InvalidInput
from webmap import create_app
from webmap.session_key import generated_key, require_strong_key, weakness

pytestmark = pytest.mark.db

OLD_FIXED_KEY = "change-me-in-production"
LIGHT = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [105.71, 21.71]},
    "properties": {"lamp_type": "led", "wattage_w": 60},
}


@pytest.fixture(scope="module")
def shipped_app(api_db_url, tmp_path_factory):
    """The app as ``make run`` starts it: no TWIN_SECRET_KEY."""
    home = tmp_path_factory.mktemp("shipped-home")
    return create_app(Settings(home=home, database_url=api_db_url), {"TESTING": True})


def _edited_light(client, editor_token) -> str:
    code = client.post(
        "/collections/lighting_light/items", json=LIGHT, headers=bearer(editor_token)
    ).get_json()["id"]
    patch = {"properties": {"wattage_w": 90}}
    url = f"/collections/lighting_light/items/{code}"
    edit = client.patch(url, json=patch, headers=bearer(editor_token, **{"If-Match": '"1"'}))
    assert edit.status_code == 200, edit.data
    return url


def test_a_cookie_signed_with_the_old_fixed_key_opens_nothing(shipped_app, api_engine, tokens):
    admin = new_user(api_engine, "admin")
    uid = user_id(api_engine, admin)
    attacker = shipped_app.test_client()
    url = _edited_light(attacker, tokens["editor"])
    for who in (str(uid), f"{uid}:0"):  # the old cookie format and the new one
        forged = forged_session(OLD_FIXED_KEY, {"_user_id": who, "_fresh": True})
        attacker.set_cookie("session", forged)
        me = attacker.get("/me").get_json()
        assert (me["authenticated"], me["user"]) == (False, None)
        csrf = me["csrf_token"]
        revert = attacker.post(
            f"{url}/revert", json={"version": 1}, headers={"X-CSRFToken": csrf, "If-Match": '"2"'}
        )
        assert revert.status_code == 401, revert.data
        assert "log in" in revert.get_json()["detail"]
    after = attacker.get(url, headers=bearer(tokens["viewer"])).get_json()["properties"]
    assert (after["version"], after["wattage_w"]) == (2, 90)
    # the same forgery with the twin's own key does open the session: the test can fail
    real = forged_session(shipped_app.secret_key, {"_user_id": f"{uid}:0", "_fresh": True})
    attacker.set_cookie("session", real)
    assert attacker.get("/me").get_json()["user"] == admin


def test_the_key_is_generated_private_from_the_start_and_reused(tmp_path):
    old = os.umask(0)  # even with a permissive umask nobody else may read it
    try:
        key = generated_key(tmp_path)
    finally:
        os.umask(old)
    path = tmp_path / "session.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert weakness(key) is None and key not in (OLD_FIXED_KEY, "")
    assert generated_key(tmp_path) == key == path.read_text().strip()
    app = create_app(Settings(home=tmp_path, database_url="postgresql://unused/x"))
    assert app.secret_key == key
    assert generated_key(tmp_path / "other") != key
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_key_file_others_can_read_is_refused(tmp_path):
    generated_key(tmp_path)
    (tmp_path / "session.key").chmod(0o644)
    with pytest.raises(Forbidden, match="readable by other users"):
        generated_key(tmp_path)


def test_twin_secret_key_wins_over_the_file(tmp_path):
    app = create_app(
        Settings(home=tmp_path, database_url="postgresql://unused/x", secret_key="k" * 40)
    )
    assert app.secret_key == "k" * 40 and not (tmp_path / "session.key").exists()


@pytest.mark.parametrize(
    "key",
    [OLD_FIXED_KEY, "test-secret", "secret", "x" * 64, "change-me-" + "A1b2C3d4E5f6G7h8I9j0K" * 2],
)
def test_weak_keys_are_refused_off_loopback_only(key):
    assert weakness(key)
    with pytest.raises(InvalidInput, match="weak session key"):
        require_strong_key(key, "0.0.0.0")
    with pytest.raises(InvalidInput, match="TWIN_SECRET_KEY"):
        require_strong_key(key, "192.168.1.20")
    for loopback in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        require_strong_key(key, loopback)


def _twin(*args: str, home, key: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "TWIN_HOME": str(home),
        "TWIN_SECRET_KEY": key,
        "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
    }
    return subprocess.run(
        [sys.executable, "-m", "twin.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", [("web", "serve"), ("run",)])
def test_serve_and_run_on_every_interface_refuse_a_weak_key(command, tmp_path):
    done = _twin(*command, "--host", "0.0.0.0", "--port", "1", home=tmp_path, key=OLD_FIXED_KEY)
    assert done.returncode == 1
    assert "weak session key" in done.stderr and "TWIN_SECRET_KEY" in done.stderr
    assert "database:" not in done.stdout  # refused before any other step
