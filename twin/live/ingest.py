"""``twin live run``: from the broker to PostGIS, at least once and written once.

The ingest subscribes to ``twin/#`` with QoS 1 in a persistent MQTT 5
session (fixed client id, ``clean_start`` false, a session that never
expires), so the broker keeps every message published while the ingest or
the broker itself was down.  With ``share`` the subscription is shared
(``$share/<group>/twin/#``, MQTT 5): ingest processes with client ids of
their own split the stream, each message going to one of them; a worker
that dies gets its unacknowledged messages, and those the broker queued for
its session meanwhile, when it comes back under the same client id.
(Mosquitto 2.0 does not restore shared subscriptions from its persistence
file: after a broker restart, what is published before the workers are
back is not kept for them.)  Messages are acknowledged by hand, only after
the transaction holding them has committed: a crash before the commit means
a redelivery, never a loss, and the redelivered copy is written once thanks
to the ``(msg_id, ts)`` key of ``live.reading``.

One writer thread takes the received messages in batches (up to
``batch_size`` or ``flush_s`` after the first one), validates them
(:func:`twin.live.schema.validate_message`), writes them with
:func:`twin.live.store.write_batch`, applies the alarm rules and commits.

Memory stays bounded when the database is slower than the devices: the
broker sends at most ``max_pending`` unacknowledged QoS 1 messages (the MQTT 5
receive maximum) and keeps the rest queued for the session; the queue to the
writer holds as many, and when it is full (QoS 0 messages escape the receive
maximum) the network thread waits for room, so the socket stops being read
and TCP pushes back on the broker.  Nothing is dropped.

The database may go away (a restart, a crash): the writer then keeps the
batch it could not write and tries again with a growing pause
(:data:`RETRY_FIRST_S` to :data:`RETRY_MAX_S`), logging once when the outage
begins and once when it ends.  Nothing was acknowledged, so the broker keeps
the batch and everything behind it, bounded by ``max_pending`` as above, and
the MQTT session is never dropped; once the database is back the backlog is
written, each message once.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..db.errors import database_unavailable
from .alarms import AlarmEngine, Rule, load_rules
from .batches import take_batch
from .broker import MqttTarget
from .credentials import INGEST
from .incidents import active_alarms, apply_transitions, drop_baselines, sync_rules
from .ingest_stats import IngestStats, percentile, write_summary
from .model_reference import ModelReference
from .schema import Message, Rejection, validate_message
from .store import Received, last_heard, load_registry, write_batch

__all__ = ["IngestStats", "Ingester", "percentile"]

log = logging.getLogger(__name__)
SESSION_NEVER_EXPIRES = 0xFFFFFFFF
#: The shared subscription's group: the ingest workers that split the stream.
SHARE_GROUP = "twin"
#: Seconds between the first two attempts to write a batch, and at most between two.
RETRY_FIRST_S, RETRY_MAX_S = 0.2, 2.0


class Ingester:
    """Subscribes, validates, writes and raises alarms until :meth:`stop`.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    target : MqttTarget
        The broker; the private one's ingest account is used.
    client_id : str
        The persistent session's id: keep it stable across restarts, and
        give each worker of a group its own.
    share : str or None
        The shared subscription's group of several workers (``None``: a
        subscription of its own).
    max_pending : int
        Messages received but not yet written that the ingest holds at most
        (besides the batch being written); default four batches, at most
        65,535 (MQTT's largest receive maximum).
    rules : list of Rule, optional
        Alarm rules (default: the rules data file), stored in ``live.alarm_rule``.
    clock : callable
        ``clock() -> datetime`` (timezone-aware): the ingest's notion of now.
    """

    def __init__(
        self,
        engine: Engine,
        target: MqttTarget,
        *,
        client_id: str = "twin-ingest",
        topic: str = "twin/#",
        share: str | None = None,
        batch_size: int = 5000,
        max_pending: int | None = None,
        flush_s: float = 0.05,
        rules: list[Rule] | None = None,
        silence_check_s: float = 30.0,
        registry_refresh_s: float = 30.0,
        stats_file: Path | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.engine, self.target = engine, target.login(INGEST)
        self.topic = f"$share/{share}/{topic}" if share else topic
        self._other_topic = topic if share else f"$share/{SHARE_GROUP}/{topic}"
        self.batch_size, self.flush_s = batch_size, flush_s
        self.silence_check_s, self.registry_refresh_s = silence_check_s, registry_refresh_s
        self.stats_file, self.clock = stats_file, clock
        self.rules = rules if rules is not None else load_rules()
        self.rules_by_id = {r.id: r for r in self.rules}
        self.stats = IngestStats()
        self.max_pending = min(max_pending or 4 * batch_size, 65535)
        self._queue: queue.Queue = queue.Queue(maxsize=self.max_pending)
        self._taken = self._written = 0  # messages off the network / through the writer
        self._stopping = threading.Event()
        self._connected = threading.Event()
        self._generation = 0
        self._away_since: float | None = None  # when the database was found away
        self._writer: threading.Thread | None = None
        self._client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        self.target.prepare(self._client)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_message = self._on_message
        self._client.reconnect_delay_set(0.1, 2)

    # -- MQTT callbacks (network thread) -----------------------------------
    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.warning("broker refused the connection: %s", reason_code)
            return
        self._generation += 1
        # A session kept from a run subscribed the other way would get every message twice.
        client.unsubscribe(self._other_topic)
        client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        failed = [rc for rc in reason_codes if rc.is_failure]
        if failed:
            log.warning("broker refused the subscription to %s: %s", self.topic, failed[0])
            return
        self._connected.set()  # only now does the broker route the devices' messages here

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self._connected.clear()

    def _on_message(self, client, userdata, msg):
        item = (self._generation, msg.mid, msg.qos, Received(msg.topic, msg.payload))
        while not self._stopping.is_set():  # stopping: left unacknowledged, redelivered
            try:
                self._queue.put(item, timeout=0.5)  # full: hold the network thread (backpressure)
            except queue.Full:
                continue
            self._taken += 1
            return

    # -- lifecycle -----------------------------------------------------------
    def _prepare(self) -> None:
        with Session(self.engine) as session, session.begin():
            sync_rules(session, self.rules)
            self._alarms = AlarmEngine(
                self.rules,
                active=active_alarms(session),
                baselines=drop_baselines(session, self.rules),
                expected=ModelReference(self.engine),
            )
        self._refresh_registry()
        self._next_silence = time.monotonic() + self.silence_check_s

    def _refresh_registry(self) -> None:
        with self.engine.connect() as conn:
            self.registry = load_registry(conn)
        self._registry_at = time.monotonic()

    def start(self, *, timeout_s: float = 15.0) -> Ingester:
        """Load rules and registry, connect, start the writer; returns once subscribed."""
        self._prepare()
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_NEVER_EXPIRES
        props.ReceiveMaximum = self.max_pending
        self._client.connect_async(
            self.target.host, self.target.port, keepalive=30, clean_start=False, properties=props
        )
        self._client.loop_start()
        self._writer = threading.Thread(
            target=self._write_loop, name="twin-live-writer", daemon=True
        )
        self._writer.start()
        if not self._connected.wait(timeout_s):
            self.stop()
            raise TimeoutError(f"no connection to the MQTT broker at {self.target.url}")
        self._write_stats()  # its presence says: subscribed
        return self

    def stop(self, *, timeout_s: float = 30.0, end_session: bool = False) -> IngestStats:
        """Write what was received, then disconnect (the session stays on the broker).

        ``end_session`` ends it instead: see :meth:`leave`.
        """
        self._stopping.set()
        if self._writer is not None:
            self._writer.join(timeout_s)
        props = Properties(PacketTypes.DISCONNECT)
        props.SessionExpiryInterval = 0
        self._client.disconnect(properties=props if end_session else None)
        self._client.loop_stop()
        self._write_stats()
        return self.stats

    def leave(self, *, timeout_s: float = 60.0) -> IngestStats:
        """Leave the group for good: no new messages, the queued ones written, the session ended.

        A worker of a shared subscription whose session stays on the broker
        keeps being handed its share of the stream, to be delivered when it
        returns; a worker that will not return must leave this way.
        """
        self._client.unsubscribe(self.topic)
        self.wait_idle(quiet_s=1.0, timeout_s=timeout_s)
        return self.stop(end_session=True)

    def wait_idle(self, *, quiet_s: float = 0.5, timeout_s: float = 60.0) -> bool:
        """Block until nothing arrived for ``quiet_s`` and the queue is empty."""
        deadline = time.monotonic() + timeout_s
        last, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            seen = self.stats.received
            if seen != last or not self._queue.empty():
                last, since = seen, time.monotonic()
            elif time.monotonic() - since >= quiet_s:
                return True
            time.sleep(0.05)
        return False

    def ingest(self, received: list[Received]) -> IngestStats:
        """Write messages that came by another way (a replay, a file) through the same path."""
        if not hasattr(self, "_alarms"):
            self._prepare()
        self._process([(self._generation, 0, 0, r) for r in received])
        return self.stats

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    @property
    def pending(self) -> int:
        """Messages received from the broker and not yet written (queued or in the batch)."""
        return self._taken - self._written

    # -- the writer thread ---------------------------------------------------
    def _write_loop(self) -> None:
        while not (self._stopping.is_set() and self._queue.empty()):
            batch = take_batch(self._queue, size=self.batch_size, flush_s=self.flush_s)
            if batch:
                if not self._write_until_done(batch):
                    return  # stopped first: unacknowledged, the broker redelivers them
                self._written += len(batch)
            if time.monotonic() >= self._next_silence:
                self._chore(self._check_silence)
            if time.monotonic() - self._registry_at > self.registry_refresh_s:
                self._chore(self._refresh_registry)
            if self.stats_file is not None and batch:
                self._write_stats()

    def _validate(self, batch) -> tuple[list[Message], list[tuple[Received, Rejection]]]:
        now = self.clock()
        results = [
            validate_message(r.topic, r.payload, devices=self.registry, now=now)
            for _, _, _, r in batch
        ]
        unknown = any(isinstance(x, Rejection) and x.reason == "unknown_device" for x in results)
        if unknown and time.monotonic() - self._registry_at > 2.0:
            self._refresh_registry()  # a device registered since the last refresh
            results = [
                validate_message(r.topic, r.payload, devices=self.registry, now=now)
                for _, _, _, r in batch
            ]
        accepted = [x for x in results if isinstance(x, Message)]
        rejected = [(item[3], x) for item, x in zip(batch, results) if isinstance(x, Rejection)]
        return accepted, rejected

    def _write_until_done(self, batch) -> bool:
        """Write ``batch``, trying again with a growing pause until it commits.

        False if :meth:`stop` came first: the batch stays unacknowledged.
        """
        delay, failed = RETRY_FIRST_S, False
        while True:
            try:
                if failed:
                    self._prepare()  # alarm memory back in step with what was committed
                self._process(batch)
            except Exception as exc:
                if database_unavailable(exc) is None:
                    log.exception("writing a batch of %d messages failed; retrying", len(batch))
                else:
                    self._database_away(exc)
            else:
                self._database_back()
                return True
            failed = True
            if self._stopping.wait(delay):
                return False
            delay = min(2 * delay, RETRY_MAX_S)

    def _chore(self, work: Callable[[], None]) -> None:
        """A periodic ``work`` that the database being away only puts off."""
        try:
            work()
        except Exception as exc:
            if database_unavailable(exc) is None:
                raise
            self._database_away(exc)
        else:
            self._database_back()

    def _database_away(self, exc: Exception) -> None:
        if self._away_since is None:
            self._away_since = time.monotonic()
            self.stats.database_outages += 1
            log.warning(
                "the database is unavailable (%s); %d messages held unacknowledged, "
                "the broker keeps the rest; retrying",
                (str(exc).splitlines() or [type(exc).__name__])[0], self.pending,
            )

    def _database_back(self) -> None:
        if self._away_since is not None:
            log.info("the database is back after %.1f s; writing the %d messages held",
                     time.monotonic() - self._away_since, self.pending)
            self._away_since = None

    def _process(self, batch) -> None:
        accepted, rejected = self._validate(batch)
        with self.engine.begin() as conn:
            result = write_batch(conn, accepted, rejected)
            transitions = [
                t
                for m in sorted(result.new, key=lambda m: m.ts)
                for t in self._alarms.on_message(m)
            ]
            self._open_incidents(conn, transitions)
        committed = datetime.now(UTC)
        for generation, mid, qos, _ in batch:
            if qos > 0 and generation == self._generation:
                self._client.ack(mid, qos)
        s = self.stats
        s.received += len(batch)
        s.accepted += len(result.new)
        s.duplicates += result.duplicates
        s.quarantined += result.quarantined
        s.batches += 1
        s.latencies.extend((committed - m.ts).total_seconds() for m in result.new)

    def _check_silence(self) -> None:
        self._next_silence = time.monotonic() + self.silence_check_s
        with self.engine.begin() as conn:
            self._open_incidents(conn, self._alarms.on_clock(self.clock(), last_heard(conn)))

    def _open_incidents(self, conn, transitions) -> None:
        """Apply alarm ``transitions`` to the incidents in ``conn``'s transaction."""
        if transitions:
            with Session(bind=conn) as session:
                self.stats.incidents += len(
                    apply_transitions(session, transitions, self.rules_by_id)
                )

    def _write_stats(self) -> None:
        if self.stats_file is not None:
            write_summary(self.stats, self.stats_file)
