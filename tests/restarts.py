"""Restarting the database under running code: a cluster of its own, started again on its port.

Tests of the web app and the ingest stop and start a whole server while
their code runs, so the cluster is their own (never the session's).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from twin.db import cluster as cluster_module
from twin.db import migrate
from twin.db.cluster import Cluster

__all__ = ["own_cluster", "start_again", "wait_for"]


@contextmanager
def own_cluster():
    """A started, migrated embedded cluster of its own, stopped and removed on exit.

    Its home is outside pytest's base folder, as the session cluster's is
    (see ``tests/conftest.py``).
    """
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="twin-restart-home-")))
    try:
        cluster.start()
        migrate.upgrade(cluster.url())
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.home, ignore_errors=True)


def start_again(cluster: Cluster) -> None:
    """Start a stopped ``cluster`` again on the port it had, as ``twin db start`` must.

    Its clients' closed connections leave that port in TIME_WAIT, which a
    plain bind reports as taken; PostgreSQL binds with SO_REUSEADDR and may
    take it back at once, so the check is waived here.
    """
    port = cluster.port()
    with mock.patch.object(cluster_module, "_port_free", lambda port: True, create=True):
        cluster.start()
    assert cluster.port() == port, "the database came back on another port"


def wait_for(condition, timeout_s: float) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout_s`` passed (False)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
