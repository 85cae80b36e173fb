"""The embedded cluster: idempotent start, stop, two homes side by side, a port kept."""

import socket
import threading
import time

import psycopg
import pytest

from twin.db import cluster as cluster_module
from twin.db.archive import switch_and_wait
from twin.db.cli import backup_report
from twin.db.cluster import PORT_WAIT_S, Cluster, ClusterError

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


def test_restart_keeps_port_and_url_while_old_connections_linger(tmp_path):
    """Connections closed by the stop sit in TIME_WAIT; the next start still takes the port."""
    cluster = Cluster(tmp_path / "r")
    cluster.start()
    try:
        port, url = cluster.port(), cluster.url()
        clients = [psycopg.connect(url.replace("+psycopg", "")) for _ in range(3)]
        for conn in clients:
            conn.execute("SELECT 1")
        cluster.stop()
        started = time.monotonic()
        cluster.start()
        assert time.monotonic() - started < PORT_WAIT_S
        assert (cluster.port(), cluster.url()) == (port, url)
        with psycopg.connect(cluster.url("postgresql")) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        for conn in clients:
            conn.close()
    finally:
        cluster.stop()


def _listen(port: int) -> socket.socket:
    """Another program listening on ``port`` (binding as servers do, past TIME_WAIT)."""
    listener = socket.socket()
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen()
    except OSError:
        listener.close()
        raise
    return listener


def test_start_waits_for_its_port_then_names_it(tmp_path, monkeypatch):
    cluster = Cluster(tmp_path / "w")
    cluster.start()
    port = cluster.port()
    cluster.stop()
    squatter = _listen(port)
    threading.Timer(1.5, squatter.close).start()
    cluster.start()  # waits for the other program to let go
    try:
        assert cluster.port() == port and cluster.running()
    finally:
        cluster.stop()
    monkeypatch.setattr(cluster_module, "PORT_WAIT_S", 1.0)
    with _listen(port):
        with pytest.raises(ClusterError, match=f"port {port} of the embedded cluster is still "
                                               "used by another program after 1 s"):
            cluster.start()
    assert not cluster.running() and cluster.port() == port


def test_new_clusters_checksum_and_archive_old_ones_archive_after_restart(tmp_path):
    cluster = Cluster(tmp_path / "c")
    cluster.init()
    conf = cluster.data_dir / "postgresql.conf"
    # A cluster made before archiving: no include of the archive settings.
    conf.write_text("\n".join(line for line in conf.read_text().splitlines()
                              if "twin-archive" not in line) + "\n")
    cluster.start()
    try:
        with psycopg.connect(cluster.url("postgresql")) as conn:
            settings = dict(conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('archive_mode', 'archive_timeout', 'data_checksums', 'wal_level')").fetchall())
        assert settings == {"archive_mode": "on", "archive_timeout": "60",
                            "data_checksums": "on", "wal_level": "replica"}
        segment = switch_and_wait(cluster.url("postgresql"))
        assert (cluster.wal_archive / segment).stat().st_size == 16 * 2**20
        assert cluster.wal_archive.stat().st_mode & 0o777 == 0o700
        assert "1 segments" in backup_report(cluster.home, cluster.url())
        _archive_fails_and_status_says_so(cluster)
    finally:
        cluster.wal_archive.chmod(0o700)
        cluster.stop()


def _archive_fails_and_status_says_so(cluster):
    cluster.wal_archive.chmod(0)
    with psycopg.connect(cluster.url("postgresql"), autocommit=True) as conn:
        conn.execute("CREATE TABLE some_change (x int)")
        conn.execute("SELECT pg_switch_wal()")
        deadline = time.monotonic() + 20
        while not conn.execute("SELECT failed_count FROM pg_stat_archiver").fetchone()[0]:
            assert time.monotonic() < deadline, "the archiver never failed"
            time.sleep(0.2)
    report = backup_report(cluster.home, cluster.url())
    assert "last backup: none" in report
    assert "failed attempts" in report and "ARCHIVING IS FAILING" in report
