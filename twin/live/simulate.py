"""``twin live simulate``: the registered devices of the city, publishing over MQTT.

Each device reports the healthy daily pattern of :mod:`twin.live.patterns`
at the simulated time, round robin, at ``rate`` messages per second in all.
Injected faults (:class:`Faults`) change what chosen devices report — a lamp
out, a cabinet trip, a breaker opening, a burst that lowers the pressure at
the sensors near it (by network distance), devices falling silent — and
spoil a share of messages (malformed or duplicated) to exercise the
quarantine and the deduplication.

The simulated clock starts at ``start`` (default: now) and runs ``speed``
times faster than the real one until it catches up with the real clock,
after which it follows it: timestamps are never in the future.

Devices of one kind share a connection logged in with their kind's account
(:func:`twin.live.credentials.device_account`), which may publish only under
that kind's topics.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt

from layers import feature_type
from twin.errors import InvalidInput, Problem
from twin.network.roles import PROTECTIVE_KINDS

from .broker import MqttTarget
from .credentials import device_account
from .patterns import healthy_readings
from .schema import topic_for

#: Switches whose telemetry the simulator trips: the declared protective kinds.
_SWITCH = feature_type("power_switch")

__all__ = ["Faults", "SimDevice", "SimStats", "Simulator", "make_message", "parse_faults"]

#: Messages published but not yet acknowledged before the simulator waits.
MAX_UNACKED = 2000
MALFORMATIONS = (
    "not_json",
    "implausible_value",
    "unknown_device",
    "timestamp_in_future",
    "unknown_reading",
)


@dataclass(frozen=True)
class Faults:
    """Faults to inject: counts of devices for the first five, shares of messages for the rest."""

    lamp_out: int = 0
    cabinet_fault: int = 0
    breaker_open: int = 0
    pressure_drop: int = 0
    silent: int = 0
    malformed: float = 0.0
    duplicate: float = 0.0


def parse_faults(spec: str | None) -> Faults:
    """``"lamp_out=3,breaker_open=1,malformed=0.01"`` -> :class:`Faults`."""
    if not spec:
        return Faults()
    known = {f.name: f.type for f in fields(Faults)}
    values, problems = {}, []
    for part in spec.split(","):
        name, _, raw = part.strip().partition("=")
        if name not in known:
            problems.append(
                Problem("faults", "allowed_values", f"{name!r} is not one of {', '.join(known)}")
            )
            continue
        try:
            values[name] = (int if known[name] == "int" else float)(raw or "1")
        except ValueError:
            problems.append(Problem("faults", "number", f"{name}={raw!r} is not a number"))
    if problems:
        raise InvalidInput("--faults", problems)
    return Faults(**values)


@dataclass(frozen=True)
class SimDevice:
    device_id: str
    kind: str
    asset_code: str
    params: dict = field(default_factory=dict)


@dataclass
class SimStats:
    published: int = 0
    malformed: int = 0
    duplicates: int = 0
    silenced: list[str] = field(default_factory=list)
    faulted: dict[str, list[str]] = field(default_factory=dict)


def make_message(device: SimDevice, ts: datetime, readings: dict) -> tuple[str, bytes]:
    """Topic and JSON payload of one well-formed message."""
    body = {
        "msg_id": uuid.uuid4().hex,
        "device_id": device.device_id,
        "kind": device.kind,
        "ts": ts.isoformat(timespec="milliseconds"),
        "readings": readings,
    }
    return topic_for(device.kind, device.device_id), json.dumps(body).encode()


def _malform(kind: str, topic: str, payload: bytes) -> tuple[str, bytes]:
    body = json.loads(payload)
    if kind == "not_json":
        return topic, payload[: len(payload) // 2]
    if kind == "implausible_value":
        numbers = [
            k
            for k, v in body["readings"].items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        ]
        if not numbers:  # nothing numeric to spoil: make it unparseable instead
            return topic, payload[: len(payload) // 2]
        body["readings"][numbers[0]] = -999999
    elif kind == "unknown_device":
        body["device_id"] = "GHOST-" + body["device_id"]
        topic = topic_for(body["kind"], body["device_id"])
    elif kind == "timestamp_in_future":
        body["ts"] = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    else:
        body["readings"]["gremlins"] = 1
    return topic, json.dumps(body).encode()


class Simulator:
    """Publishes the devices' messages; see the module docstring.

    Parameters
    ----------
    devices : list of SimDevice
    target : MqttTarget
    rate : float
        Messages per second, all devices together.
    faults : Faults
    fault_after_s : float
        Simulated seconds of healthy reports before the faults show.
    drop_bar : mapping, optional
        ``device_id -> bar`` the injected burst(s) take off each pressure
        sensor (see :func:`twin.live.simcity.burst_drops`); chosen here at
        random among pressure sensors when absent.
    """

    def __init__(
        self,
        devices: list[SimDevice],
        target: MqttTarget,
        *,
        rate: float = 100.0,
        faults: Faults = Faults(),
        seed: int = 1,
        start: datetime | None = None,
        speed: float = 1.0,
        drop_bar: Mapping[str, float] | None = None,
        client_id: str | None = None,
        clock: Callable[[], datetime] | None = None,
        fault_after_s: float = 0.0,
    ):
        if not devices:
            raise InvalidInput(
                "simulate", [Problem("devices", "required", "no registered device to simulate")]
            )
        self.devices, self.target, self.rate, self.faults = devices, target, rate, faults
        self.rng = random.Random(seed)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.speed, self._t0_real = speed, self.clock()
        self._t0_sim = start or self._t0_real
        #: Simulated time from which the faults show (healthy before, for baselines).
        self.faults_from = (
            self._t0_sim + timedelta(seconds=fault_after_s) if fault_after_s else None
        )
        self.stats = SimStats()
        self._choose_faults(drop_bar)
        base_id = client_id or f"twin-sim-{uuid.uuid4().hex[:8]}"
        kinds = sorted({d.kind for d in devices})
        self._clients = {kind: self._client_for(kind, f"{base_id}-{kind}") for kind in kinds}
        self._acked_by_kind = dict.fromkeys(kinds, 0)

    def _client_for(self, kind: str, client_id: str) -> mqtt.Client:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id, protocol=mqtt.MQTTv5)
        self.target.login(device_account(kind)).prepare(client)
        client.max_inflight_messages_set(1000)
        client.reconnect_delay_set(0.1, 2)

        def on_publish(client, userdata, mid, reason_code, properties):
            self._acked_by_kind[kind] += 1  # each client's own network thread

        client.on_publish = on_publish
        return client

    @property
    def _acked(self) -> int:
        return sum(self._acked_by_kind.values())

    def _pick(self, kind: str, n: int) -> list[str]:
        ids = sorted(d.device_id for d in self.devices if d.kind == kind)
        if kind == "breaker":  # protection trips; load-break switches are opened by people
            tripping = [
                d.device_id
                for d in self.devices
                if d.kind == kind and _SWITCH.kind_of(d.params) in PROTECTIVE_KINDS
            ]
            ids = sorted(tripping) or ids
        return self.rng.sample(ids, min(n, len(ids)))

    def _choose_faults(self, drop_bar) -> None:
        f = self.faults
        self.stats.faulted = {
            "lamp_out": self._pick("luminaire", f.lamp_out),
            "cabinet_fault": self._pick("lighting_cabinet", f.cabinet_fault),
            "breaker_open": self._pick("breaker", f.breaker_open),
        }
        if drop_bar is None:
            drop_bar = {d: 1.5 for d in self._pick("pressure_sensor", f.pressure_drop)}
        self.drop_bar = dict(drop_bar) if f.pressure_drop else {}
        self.stats.faulted["pressure_drop"] = sorted(self.drop_bar)
        self.stats.silenced = self._pick_silent(f.silent)
        self._lamp_out = set(self.stats.faulted["lamp_out"])
        self._cab_fault = set(self.stats.faulted["cabinet_fault"])
        self._open = set(self.stats.faulted["breaker_open"])
        self._silent = set(self.stats.silenced)

    def _pick_silent(self, n: int) -> list[str]:
        ids = sorted(d.device_id for d in self.devices)
        return self.rng.sample(ids, min(n, len(ids)))

    def sim_time(self) -> datetime:
        now = self.clock()
        return min(now, self._t0_sim + (now - self._t0_real) * self.speed)

    def readings(self, device: SimDevice, t: datetime) -> dict:
        """The device's readings at ``t`` with the injected faults applied."""
        r = healthy_readings(device.kind, t, device.params, self.rng)
        if self.faults_from is not None and t < self.faults_from:
            return r
        if device.device_id in self._lamp_out:  # the controller keeps the fault by day too
            r.update(power_w=0.0, fault="lamp_out")
        if device.device_id in self._cab_fault:
            r.update(on=False, power_w=0.0, fault="circuit_trip")
        if device.device_id in self._open:
            r.update(position="open", current_a=0.0)
        if device.device_id in self.drop_bar:
            r["pressure_bar"] = round(
                max(-0.5, r["pressure_bar"] - self.drop_bar[device.device_id]), 3
            )
        return r

    def _publish(self, device: SimDevice) -> None:
        # Back-pressure: paho scans its whole outgoing queue on every acknowledgement,
        # so a long queue makes publishing quadratic; wait for the broker instead.
        while self.stats.published - self._acked > MAX_UNACKED:
            time.sleep(0.001)
        t = self.sim_time()
        topic, payload = make_message(device, t, self.readings(device, t))
        if self.faults.malformed and self.rng.random() < self.faults.malformed:
            topic, payload = _malform(self.rng.choice(MALFORMATIONS), topic, payload)
            self.stats.malformed += 1
        client = self._clients[device.kind]
        client.publish(topic, payload, qos=1)
        self.stats.published += 1
        if self.faults.duplicate and self.rng.random() < self.faults.duplicate:
            client.publish(topic, payload, qos=1)
            self.stats.published += 1
            self.stats.duplicates += 1

    def connect(self, *, timeout_s: float = 15.0) -> None:
        for client in self._clients.values():
            client.connect(self.target.host, self.target.port, keepalive=30)
            client.loop_start()
        deadline = time.monotonic() + timeout_s
        while not all(c.is_connected() for c in self._clients.values()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no connection to the MQTT broker at {self.target.url}")
            time.sleep(0.02)

    def disconnect(self) -> None:
        for client in self._clients.values():
            client.disconnect()
            client.loop_stop()

    def run(
        self,
        *,
        count: int | None = None,
        duration_s: float | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> SimStats:
        """Publish until ``count`` messages or ``duration_s`` seconds; waits for the acks."""
        self.connect()
        active = [d for d in self.devices if d.device_id not in self._silent]
        start, i = time.monotonic(), 0
        try:
            while (count is None or i < count) and (
                duration_s is None or time.monotonic() - start < duration_s
            ):
                due = int((time.monotonic() - start) * self.rate) + 1
                while i < due and (count is None or i < count):
                    self._publish(active[i % len(active)])
                    i += 1
                    if progress is not None:
                        progress(1)
                time.sleep(min(0.01, 1 / self.rate))
            self.flush()
        finally:
            self.disconnect()
        return self.stats

    def flush(self, *, timeout_s: float = 120.0) -> bool:
        """Wait until the broker acknowledged every published message."""
        deadline = time.monotonic() + timeout_s
        while self._acked < self.stats.published and time.monotonic() < deadline:
            time.sleep(0.02)
        return self._acked >= self.stats.published
