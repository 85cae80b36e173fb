"""``twin serve``: the web app served on its port, connected as the app login."""

from __future__ import annotations

import json
import secrets
import urllib.request

import pytest
from sqlalchemy import create_engine, pool, text

from tests.databases import app_role_url, scratch_database
from tests.processes import free_port, twin_process, wait_until

pytestmark = [pytest.mark.db, pytest.mark.slow]


def _get(port: int, path: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.loads(response.read())


def _answers(port: int) -> bool:
    try:
        return _get(port, "/conformance")[0] == 200
    except OSError:
        return False


def test_serve_answers_on_its_port_as_the_app_login(db_url, db_home, tmp_path):
    with scratch_database(db_url, "twin_serve", copy=True) as url:
        app_url = app_role_url(url, db_home)
        port = free_port()
        env = {"DATABASE_URL": url, "TWIN_APP_DATABASE_URL": app_url or url,
               "TWIN_HOME": str(tmp_path), "TWIN_SECRET_KEY": secrets.token_urlsafe(48)}
        log = tmp_path / "serve.log"
        with twin_process(["serve", "--port", str(port), "--threads", "2"], env, log) as proc:
            wait_until(lambda: proc.poll() is not None or _answers(port), 120, "twin serve")
            assert proc.poll() is None, log.read_text()
            status, body = _get(port, "/collections")
            assert status == 200
            assert {"base_road", "base_admin_unit"} <= {c["id"] for c in body["collections"]}
            engine = create_engine(url, poolclass=pool.NullPool)
            with engine.connect() as conn:
                logins = set(conn.execute(text(
                    "SELECT usename FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalars())
            engine.dispose()
        if app_url:
            assert logins == {"twin_app"}
