"""The database stopped and started under concurrent readers: 503 while away, 200 once back.

The app runs on a cluster of its own, served over real HTTP; four clients
read items and tiles, anonymously and with a token, while the cluster is
stopped and started again.  The app itself is never restarted.
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, pool, text
from werkzeug.serving import make_server

from layers import feature_type
from tests.factories import ORIGIN, sample_geometry, sample_properties
from tests.restarts import own_cluster, start_again, wait_for
from tests.webmap.api.apptest import PASSWORD, login
from twin.auth import users
from twin.config import Settings
from twin.db.engine import session_scope
from twin.edits import create_feature
from webmap import create_app
from webmap.db import get_session

pytestmark = [pytest.mark.db, pytest.mark.slow]

#: A request slower than this hangs, as far as a user is concerned (seconds).
PATIENCE_S = 5.0


def _tile_of(lon: float, lat: float, z: int) -> str:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"{z}/{x}/{y}"


@dataclass
class Answer:
    started: float
    ended: float
    status: int
    content_type: str
    retry_after: str | None
    body: bytes


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The cluster, a viewer's token and the app's HTTP address (one water pipe stored)."""
    with own_cluster() as cluster:
        owner = create_engine(cluster.url(), poolclass=pool.NullPool)
        ft = feature_type("water_pipe")
        with session_scope(owner) as session:
            create_feature(session, "water_pipe", sample_properties(ft), sample_geometry(ft),
                           user="test")
            users.add_user(session, "viewer", "viewer", PASSWORD)
            token = users.issue_token(session, "viewer", label="tests")
        owner.dispose()
        settings = Settings(home=tmp_path_factory.mktemp("restart-home"),
                            database_url=cluster.url(), app_database_url=cluster.app_url(),
                            secret_key="test-secret")
        app = create_app(settings, {"TESTING": True, "TWIN_ANONYMOUS_LAYERS": ["water"]})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield cluster, token, server.server_port, app
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


class Reader(threading.Thread):
    """One client reading one URL again and again until told to stop."""

    def __init__(self, port: int, path: str, headers: dict):
        super().__init__(daemon=True)
        self.port, self.path, self.headers = port, path, headers
        self.answers: list[Answer] = []
        self.failures: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            started = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3 * PATIENCE_S)
            try:
                conn.request("GET", self.path, headers=self.headers)
                response = conn.getresponse()
                self.answers.append(Answer(started, time.monotonic(), response.status,
                                           response.getheader("Content-Type", ""),
                                           response.getheader("Retry-After"), response.read()))
            except OSError as exc:  # a timeout or a dropped connection: the server hung
                self.failures.append(f"{self.path}: {exc!r}")
            finally:
                conn.close()
            self.halt.wait(0.05)

    def answered_since(self, t: float, status: int) -> bool:
        return any(a.started >= t and a.status == status for a in list(self.answers))

    def since(self, t: float) -> str:
        """What this reader got since ``t``, for a failure's message."""
        got = [(a.status, round(a.ended - a.started, 2)) for a in list(self.answers)
               if a.ended >= t]
        return f"{self.path} {sorted(self.headers)}: {got[:3]} … {got[-3:]} {self.failures}"


def test_readers_get_503_problems_while_the_database_is_away_and_200_once_it_is_back(served):
    cluster, token, port, _app = served
    bearer = {"Authorization": f"Bearer {token}"}
    tile = f"/tiles/water/{_tile_of(*ORIGIN, 14)}.mvt"
    readers = [
        Reader(port, "/collections/water_pipe/items?limit=5", {}),
        Reader(port, "/collections/water_pipe/items?limit=5", bearer),
        Reader(port, tile, {}),
        Reader(port, tile, bearer),
    ]
    for reader in readers:
        reader.start()
    try:
        assert wait_for(lambda: all(r.answered_since(0, 200) for r in readers), 30)
        cluster.stop()
        stopped = time.monotonic()
        assert wait_for(lambda: all(r.answered_since(stopped, 503) for r in readers),
                        PATIENCE_S), [r.since(stopped) for r in readers]
        restarting = time.monotonic()
        start_again(cluster)
        back = time.monotonic()
        assert wait_for(lambda: all(r.answered_since(back, 200) for r in readers), PATIENCE_S), (
            "the app did not reconnect by itself", [r.since(back) for r in readers]
        )
    finally:
        for reader in readers:
            reader.halt.set()
        for reader in readers:
            reader.join(3 * PATIENCE_S)

    for reader in readers:
        assert not reader.failures
        assert {a.status for a in reader.answers} <= {200, 503}, reader.since(0)
        assert max(a.ended - a.started for a in reader.answers) < PATIENCE_S, reader.since(0)
        away = [a for a in reader.answers if a.started >= stopped and a.ended <= restarting]
        assert away and all(a.status == 503 for a in away), reader.path
        for answer in away:
            assert answer.content_type == "application/problem+json"
            assert int(answer.retry_after) > 0
            problem = json.loads(answer.body)
            assert problem["status"] == 503 and "database" in problem["detail"]
        assert reader.answers[-1].status == 200
        if "items" in reader.path:
            assert json.loads(reader.answers[-1].body)["features"]


@pytest.mark.parametrize(
    ("lang", "heading", "other"),
    [
        ("vi", "Dịch vụ tạm thời không khả dụng", "Service temporarily unavailable"),
        ("en", "Service temporarily unavailable", "Dịch vụ tạm thời không khả dụng"),
    ],
)
def test_a_browser_gets_a_readable_page_in_its_language_while_the_database_is_away(
    served, lang, heading, other
):
    cluster, _token, _port, app = served
    client = app.test_client()
    login(client, "viewer")  # every page of a signed-in user asks the database who it is
    if lang != "vi":
        client.set_cookie("lang", lang)  # what the language switch leaves
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    assert client.get("/map/", headers=browser).status_code == 200
    cluster.stop()
    try:
        page = client.get("/map/", headers=browser)
        api_page = client.get("/collections/water_pipe/items?f=html")
        script = client.get("/collections/water_pipe/items", headers={"Accept": "*/*"})
    finally:
        start_again(cluster)
    for answer in (page, api_page):
        assert answer.status_code == 503 and answer.mimetype == "text/html"
        assert int(answer.headers["Retry-After"]) > 0
        assert "nonce-" in answer.headers["Content-Security-Policy"]
        text_ = answer.get_data(as_text=True)
        assert f"<h1>{heading}</h1>" in text_ and other not in text_
    assert 'data-lang="en"' in page.get_data(as_text=True)  # the language switch
    assert "data-lang" not in api_page.get_data(as_text=True)  # the API refuses ?lang=
    assert script.status_code == 503 and script.mimetype == "application/problem+json"
    assert wait_for(lambda: client.get("/map/", headers=browser).status_code == 200, PATIENCE_S)


def test_a_connection_closed_after_the_answer_was_made_does_not_fail_the_request(app, api_engine):
    with app.test_request_context("/collections"):
        pid = get_session().execute(text("SELECT pg_backend_pid()")).scalar()
        with api_engine.connect() as owner:  # as a restart would, before the teardown
            ended = owner.execute(text("SELECT pg_terminate_backend(:p, 5000)"), {"p": pid})
            assert ended.scalar()
    with app.test_request_context("/collections"):
        assert get_session().execute(text("SELECT 1")).scalar() == 1
