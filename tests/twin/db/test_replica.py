"""A real primary and a real hot standby: reads from the standby, writes read back, failover.

Two embedded clusters in homes of their own: the primary, migrated, and a
standby made from it by ``twin db replica create``.  The web app is given
the standby as its replica.  Pausing the standby's replay makes it visibly
behind, so a read that sees the old state was served by the standby, and a
read that sees the new one by the primary.  The tests run in this order on
one xdist worker: the last one stops the primary and promotes the standby.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import mapbox_vector_tile
import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, pool

from tests.factories import sample_geometry, sample_properties
from tests.processes import wait_until
from tests.webmap.api.apptest import bearer
from tests.webmap.api.test_http_tiles import tile_of
from twin.auth import users
from twin.cli import cli
from twin.config import Settings
from twin.db import migrate
from twin.db.cluster import Cluster
from twin.db.engine import session_scope
from twin.db.replica import replication_url
from twin.edits import create_feature
from webmap import create_app
from webmap.db import router

pytestmark = [pytest.mark.db, pytest.mark.slow, pytest.mark.xdist_group("replica_drill")]
TABLE = "water_valve"
VALVE = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [105.61, 21.61]},
    "properties": {"normal_state": "open", "valve_type": "gate", "diameter_mm": 150},
}


@dataclass
class Pair:
    base: Path
    primary: Cluster
    standby: Cluster
    tokens: dict

    def app(self, **changes):
        settings = Settings(home=self.base / "web", database_url=self.primary.url(),
                            app_database_url=self.primary.app_url(),
                            replica_urls=(self.standby.app_url("postgresql"),),
                            secret_key="replica-test-key").with_(**changes)
        return create_app(settings, {"TESTING": True})

    def replay(self, on: bool) -> None:
        with psycopg.connect(self.standby.url("postgresql", "twin"), autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_resume()" if on else "SELECT pg_wal_replay_pause()")
            if not on:
                wait_until(lambda: conn.execute(
                    "SELECT pg_get_wal_replay_pause_state()").fetchone()[0] == "paused",
                    10, "the replay paused")

    def caught_up(self) -> bool:
        with psycopg.connect(self.primary.url("postgresql"), autocommit=True) as p, \
                psycopg.connect(self.standby.url("postgresql"), autocommit=True) as s:
            end = p.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
            return s.execute("SELECT pg_last_wal_replay_lsn() >= %s", (end,)).fetchone()[0]

    def valve_on_primary(self, code: str) -> None:
        engine = create_engine(self.primary.url(), poolclass=pool.NullPool)
        from layers import feature_type

        ft = feature_type(TABLE)
        with session_scope(engine) as session:
            create_feature(session, TABLE, sample_properties(ft, code=code),
                           sample_geometry(ft), user="survey")
        engine.dispose()


@pytest.fixture(scope="module")
def pair():
    base = Path(tempfile.mkdtemp(prefix="twin-replica-"))
    primary = Cluster(base / "primary")
    standby = None
    try:
        primary.start()
        migrate.upgrade(primary.url())
        engine = create_engine(primary.url(), poolclass=pool.NullPool)
        with session_scope(engine) as session:
            users.add_user(session, "editor", "editor", "a good password")
            tokens = {"editor": users.issue_token(session, "editor", label="tests")}
        engine.dispose()
        made = CliRunner().invoke(cli, [
            "db", "replica", "create", "--from", replication_url(primary),
            "--home", str(base / "standby"), "--secrets-from", str(primary.home)])
        assert made.exit_code == 0, made.output
        standby = Cluster(base / "standby")
        assert standby.standby and standby.running()
        yield Pair(base, primary, standby, tokens)
    finally:
        for cluster in (standby, primary):
            if cluster is not None:
                cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def app(pair):
    app = pair.app()
    router(app).check()  # the first check, which a serving process runs in the background
    assert router(app).healthy_urls()
    return app


def test_the_replication_secret_is_private_and_the_standby_refuses_writes(pair):
    secret = pair.primary.home / "pg-replication.secret"
    assert secret.stat().st_mode & 0o777 == 0o600
    with psycopg.connect(pair.standby.app_url("postgresql"), autocommit=True) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("DELETE FROM assets.water_valve")


def test_reads_are_served_from_the_standby(pair, app):
    pair.replay(False)
    try:
        pair.valve_on_primary("VAN-PAUSED-1")
        seen = app.test_client().get(f"/collections/{TABLE}/items/VAN-PAUSED-1",
                                     headers=bearer(pair.tokens["editor"]))
        assert seen.status_code == 404  # the standby has not replayed it yet
    finally:
        pair.replay(True)
    wait_until(pair.caught_up, 20, "the standby caught up")
    seen = app.test_client().get(f"/collections/{TABLE}/items/VAN-PAUSED-1",
                                 headers=bearer(pair.tokens["editor"]))
    assert seen.status_code == 200


def test_an_edit_is_read_back_at_once_by_its_author(pair, app):
    author, other = app.test_client(), app.test_client()
    headers = bearer(pair.tokens["editor"])
    made = author.post(f"/collections/{TABLE}/items", json=VALVE, headers=headers)
    assert made.status_code == 201, made.data
    code = made.get_json()["id"]
    # Replaying: the author's read waits the moment it takes and finds it.
    assert author.get(f"/collections/{TABLE}/items/{code}", headers=headers).status_code == 200

    pair.replay(False)
    try:
        made = author.post(f"/collections/{TABLE}/items", json=VALVE, headers=headers)
        code = made.get_json()["id"]
        started = time.monotonic()
        mine = author.get(f"/collections/{TABLE}/items/{code}", headers=headers)
        assert mine.status_code == 200  # the standby is stuck: the primary answered
        assert time.monotonic() - started < 3
        theirs = other.get(f"/collections/{TABLE}/items/{code}", headers=headers)
        assert theirs.status_code == 404  # others still read the standby
        listed = author.get(f"/collections/{TABLE}/items?limit=1000", headers=headers)
        assert code in {f["id"] for f in listed.get_json()["features"]}
        # The TileJSON the author gets names the new version; its tile comes from the primary.
        template = author.get(f"/tiles/{TABLE}.json", headers=headers).get_json()["tiles"][0]
        z, x, y = tile_of(*VALVE["geometry"]["coordinates"], 17)
        path = template.split("/tiles/", 1)[1].replace("{z}", str(z)).replace(
            "{x}", str(x)).replace("{y}", str(y))
        tile = other.get(f"/tiles/{path}", headers=headers)
        assert tile.status_code == 200
        assert code in {f["properties"]["code"]
                        for f in mapbox_vector_tile.decode(tile.data)[TABLE]["features"]}
    finally:
        pair.replay(True)


def test_a_stopped_standby_leaves_reads_to_the_primary_without_error(pair, app):
    client = app.test_client()
    headers = bearer(pair.tokens["editor"])
    pair.valve_on_primary("VAN-STOPPED-1")
    wait_until(pair.caught_up, 20, "the standby caught up")
    assert client.get(f"/collections/{TABLE}/items/VAN-STOPPED-1", headers=headers
                      ).status_code == 200
    pair.standby.stop()
    try:
        for path in (f"/collections/{TABLE}/items/VAN-STOPPED-1", f"/collections/{TABLE}/items",
                     f"/tiles/{TABLE}/0/0/0.mvt", "/collections"):
            assert client.get(path, headers=headers).status_code == 200, path
        assert router(app).healthy_urls() == []
        router(app).check()
        assert router(app).healthy_urls() == []
    finally:
        pair.standby.start()
    wait_until(pair.caught_up, 30, "the restarted standby caught up")
    router(app).check()
    assert router(app).healthy_urls() == [pair.standby.app_url()]


def test_promote_after_the_primary_stops_accepts_writes_again(pair):
    pair.valve_on_primary("VAN-BEFORE-PROMOTE-1")  # the last write the standby replays
    wait_until(pair.caught_up, 20, "the standby caught up")
    pair.primary.stop()
    promoted = CliRunner().invoke(cli, ["db", "promote", "--home", str(pair.standby.home)])
    assert promoted.exit_code == 0, promoted.output
    assert not pair.standby.standby
    app = pair.app(database_url=pair.standby.url(), app_database_url=pair.standby.app_url(),
                   replica_urls=())
    client, headers = app.test_client(), bearer(pair.tokens["editor"])
    assert client.get(f"/collections/{TABLE}/items/VAN-BEFORE-PROMOTE-1", headers=headers
                      ).status_code == 200
    made = client.post(f"/collections/{TABLE}/items", json=VALVE, headers=headers)
    assert made.status_code == 201, made.data
    assert client.get(f"/collections/{TABLE}/items/{made.get_json()['id']}", headers=headers
                      ).status_code == 200
