"""``kill -9`` of ``twin live run`` in the middle of a batch: nothing partial, nothing lost.

A real ingest process takes a stream of QoS 1 messages in small batches and
is killed with SIGKILL while writing.  Each batch is one transaction
(readings, asset state, devices heard), and messages are acknowledged only
after it commits, so afterwards the state of every asset matches its newest
stored reading, and starting the same command again writes exactly the
messages that were missing (the broker redelivers the unacknowledged ones,
the ``(msg_id, ts)`` key skips those already written).
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, pool, text

from tests.processes import kill_hard, twin_process, wait_until
from tests.twin.live.owndb import city_database, ingest_env
from twin.db.engine import session_scope
from twin.live.broker import Broker
from twin.live.simcity import load_sim_devices
from twin.live.simulate import Simulator

pytestmark = [pytest.mark.db, pytest.mark.slow]
MESSAGES = 8000
CLIENT_ID = "crash-ingest"


@pytest.fixture
def city_url(db_url):
    with city_database(db_url, "twin_ingest_crash") as url:
        yield url


def counts(engine) -> tuple[int, int, int]:
    """Readings, asset states that disagree with their newest reading, quarantined messages."""
    with engine.connect() as conn:
        readings = conn.execute(text("SELECT count(*) FROM live.reading")).scalar()
        torn = conn.execute(text(
            "SELECT count(*) FROM (SELECT asset_code, max(ts) AS newest FROM live.reading "
            "GROUP BY asset_code) r FULL JOIN live.asset_state s USING (asset_code) "
            "WHERE r.newest IS DISTINCT FROM s.last_ts")).scalar()
        quarantined = conn.execute(text("SELECT count(*) FROM live.quarantine")).scalar()
    return readings, torn, quarantined


def test_kill_9_mid_batch_leaves_whole_batches_and_a_restart_writes_the_rest(
        city_url, db_home, broker_home, tmp_path):
    engine = create_engine(city_url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        devices = load_sim_devices(session)
    env = ingest_env(city_url, db_home, broker_home)
    args = ["live", "run", "--batch-size", "200", "--client-id", CLIENT_ID]
    log = tmp_path / "ingest.log"
    sim = Simulator(devices, Broker(broker_home).target(), rate=20_000, seed=3)
    publisher = threading.Thread(target=sim.run, kwargs={"count": MESSAGES})

    with twin_process(args, env, log) as ingest:
        wait_until(lambda: "ingesting from" in log.read_text(), 60, "the ingest subscribed")
        publisher.start()
        wait_until(lambda: counts(engine)[0] >= 500, 60, "the ingest writing")
        kill_hard(ingest)
    publisher.join(60)
    assert sim.stats.published == MESSAGES

    written, torn, quarantined = counts(engine)
    assert 0 < written < MESSAGES, "the ingest was to be killed mid-stream"
    assert torn == 0  # each batch's readings and state committed together
    assert quarantined == 0

    with twin_process(args, env, log):  # the same command: the broker redelivers the rest
        wait_until(lambda: counts(engine)[0] >= MESSAGES, 60, "every message written")
        assert counts(engine) == (MESSAGES, 0, 0)
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT count(DISTINCT msg_id) FROM live.reading")).scalar()
    assert keys == MESSAGES
    engine.dispose()
