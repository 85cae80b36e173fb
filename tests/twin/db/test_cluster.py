"""The embedded cluster: idempotent start, stop, two homes side by side."""

import psycopg
import pytest

from twin.db.cluster import Cluster

pytestmark = pytest.mark.db


def test_start_twice_is_harmless_and_stop_stops(tmp_path):
    cluster = Cluster(tmp_path / "a")
    cluster.start()
    port = cluster.port()
    cluster.start()
    assert cluster.running() and cluster.port() == port
    with psycopg.connect(cluster.url("postgresql")) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("twin",)
    cluster.stop()
    assert not cluster.running()
    cluster.stop()  # stopping a stopped cluster is harmless too


def test_two_homes_run_side_by_side(tmp_path, db_url):
    first, second = Cluster(tmp_path / "one"), Cluster(tmp_path / "two")
    first.start()
    second.start()
    try:
        assert first.port() != second.port()
        assert first.secret_file.read_text() != second.secret_file.read_text()
        with psycopg.connect(first.url("postgresql")) as a, \
                psycopg.connect(second.url("postgresql")) as b:
            a.execute("CREATE TABLE only_in_first (x int)")
            a.commit()
            exists = b.execute("SELECT to_regclass('only_in_first')").fetchone()[0]
            assert exists is None
    finally:
        first.stop()
        second.stop()


def test_secret_is_private(tmp_path):
    cluster = Cluster(tmp_path / "p")
    cluster.init()
    assert cluster.secret_file.stat().st_mode & 0o077 == 0


def test_the_app_login_is_made_at_start_even_when_the_cluster_runs(tmp_path):
    """A cluster made before the app login existed gets it at its next start."""
    cluster = Cluster(tmp_path / "older")
    cluster.start()
    try:
        cluster.app_secret_file.unlink()
        with psycopg.connect(cluster.url("postgresql"), autocommit=True) as conn:
            conn.execute("DROP ROLE twin_app")
        cluster.start()
        assert cluster.app_secret_file.stat().st_mode & 0o077 == 0
        with psycopg.connect(cluster.app_url("postgresql")) as conn:
            assert conn.execute("SELECT current_user, rolsuper FROM pg_roles "
                                "WHERE rolname = current_user").fetchone() == ("twin_app", False)
    finally:
        cluster.stop()
