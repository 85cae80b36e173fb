"""Two ``twin live run`` workers on one shared subscription: the stream split, each message once.

Two real ingest processes, each with a persistent session of its own, share
``$share/twin/twin/#`` on a real Mosquitto.  A stream of QoS 1 messages is
split between them; one is killed with SIGKILL mid-stream and started again
under its client id, and gets back what it had not acknowledged and what the
broker queued for it meanwhile.  Every message is stored exactly once.  When
it then leaves the group (``twin live leave``), the other gets the whole stream.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import create_engine, pool, text

from tests.processes import ROOT, kill_hard, twin_process, wait_until
from tests.twin.live.owndb import city_database, ingest_env
from twin.db.engine import session_scope
from twin.live.broker import Broker
from twin.live.simcity import load_sim_devices
from twin.live.simulate import Simulator

pytestmark = [pytest.mark.db, pytest.mark.slow]
MESSAGES = 6000
LATER = 500


@pytest.fixture
def city_url(db_url):
    with city_database(db_url, "twin_shared_ingest") as url:
        yield url


def stored(engine) -> tuple[int, int]:
    """Readings stored, and distinct message ids among them."""
    with engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT count(*), count(DISTINCT msg_id) FROM live.reading")).one())


def accepted(stats_file) -> int:
    return json.loads(stats_file.read_text()).get("accepted", 0) if stats_file.exists() else 0


def test_two_workers_split_the_stream_and_a_killed_one_loses_nothing(
        city_url, db_home, broker_home, tmp_path):
    engine = create_engine(city_url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        devices = load_sim_devices(session)
    env = ingest_env(city_url, db_home, broker_home)
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    stats = [tmp_path / "w1.json", tmp_path / "w2.json"]

    def worker(n: int):
        args = ["live", "run", "--batch-size", "200", "--client-id", f"shared-ingest-{n + 1}",
                "--share", "twin", "--stats-file", str(stats[n])]
        return twin_process(args, env, logs[n])

    sim = Simulator(devices, Broker(broker_home).target(), rate=4000, seed=5)
    publisher = threading.Thread(target=sim.run, kwargs={"count": MESSAGES})
    with worker(0) as first, worker(1) as second:
        for log in logs:
            wait_until(lambda log=log: "ingesting from" in log.read_text(), 60, "subscribed")
        publisher.start()
        wait_until(lambda: stored(engine)[0] >= MESSAGES // 4, 60, "both writing")
        kill_hard(second)
        killed_at = stored(engine)[0]
        publisher.join(60)
        assert sim.stats.published == MESSAGES
        wait_until(lambda: accepted(stats[0]) > 0, 30, "the first worker's counters")
        assert killed_at < MESSAGES, "the second worker was to be killed mid-stream"
        with worker(1):  # the same client id: its session's messages come back to it
            wait_until(lambda: stored(engine)[0] >= MESSAGES, 90, "every message written")
            assert first.poll() is None
        assert stored(engine) == (MESSAGES, MESSAGES)
        # The second worker leaves for good: the survivor then gets the whole stream.
        left = subprocess.run([sys.executable, "-m", "twin.cli", "live", "leave", "--client-id",
                               "shared-ingest-2"], env={**os.environ, "PYTHONPATH": str(ROOT),
                                                         **env}, cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        assert left.returncode == 0, left.stdout + left.stderr
        Simulator(devices, Broker(broker_home).target(), rate=4000, seed=6).run(count=LATER)
        wait_until(lambda: stored(engine)[0] >= MESSAGES + LATER, 60, "the later messages")
        assert stored(engine) == (MESSAGES + LATER, MESSAGES + LATER)
    # Both took part: the survivor wrote some, and so did the other worker.
    first_share = accepted(stats[0])
    assert 0 < first_share < MESSAGES + LATER
    with engine.connect() as conn:
        quarantined = conn.execute(text("SELECT count(*) FROM live.quarantine")).scalar()
    assert quarantined == 0
    engine.dispose()
