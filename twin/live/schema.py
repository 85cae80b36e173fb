"""The JSON messages field devices publish, one schema per device kind.

Every message is one JSON object on topic ``twin/<kind>/<device_id>``::

    {"msg_id": "7f1c...",            # unique per message; redeliveries repeat it
     "device_id": "LUM-LGT-POLE-000123",
     "kind": "luminaire",
     "ts": "2026-11-22T11:05:00+00:00",   # device clock, RFC 3339 with offset
     "readings": {"on": true, "dimming_pct": 70, "power_w": 84.0, "fault": null}}

:func:`validate_message` checks the envelope, the device registry, the clock
and each reading against :data:`DEVICE_KINDS`; it is pure (no database, no
clock of its own) so the ingest, the simulator and the tests share it.  A
rejected message carries every :class:`~twin.errors.Problem` found; the first
rule broken is its quarantine reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from layers import feature_types
from twin.errors import Problem

__all__ = [
    "DEVICE_KINDS",
    "MAX_FUTURE",
    "MAX_AGE",
    "DeviceKind",
    "Message",
    "ReadingField",
    "Rejection",
    "asset_status",
    "json_schema",
    "topic_for",
    "validate_message",
]

#: A device clock may run ahead of the ingest by this much (clock drift, not fraud).
MAX_FUTURE = timedelta(minutes=5)
#: Older messages are refused: a device replaying last month's buffer is a fault.
MAX_AGE = timedelta(days=30)
TOPIC_ROOT = "twin"
_ENVELOPE = ("msg_id", "device_id", "kind", "ts", "readings")


@dataclass(frozen=True)
class ReadingField:
    """One reading: JSON type, unit and the plausible range (outside = quarantine)."""

    name: str
    type: str  # "number", "boolean", "integer" or "enum"
    doc: str
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    nullable: bool = False


@dataclass(frozen=True)
class DeviceKind:
    """A kind of field device and its readings.

    The asset tables it may be registered on are declared with the layers
    (``FeatureType.devices``).
    """

    name: str
    doc: str
    fields: tuple[ReadingField, ...]
    #: The operational status a reading gives its asset; None leaves it unchanged
    #: (an environmental station says nothing about the pole it hangs on).
    status: Callable[[Mapping], str | None] = field(default=lambda readings: "ok", compare=False)

    @cached_property
    def asset_tables(self) -> tuple[str, ...]:
        return tuple(ft.table for ft in feature_types() if self.name in ft.devices)

    @cached_property
    def _by_name(self) -> dict[str, ReadingField]:
        return {f.name: f for f in self.fields}

    def field(self, name: str) -> ReadingField | None:
        return self._by_name.get(name)


def _on_off_fault(readings: Mapping) -> str:
    if readings.get("fault"):
        return "fault"
    if "on" in readings:
        return "on" if readings["on"] else "off"
    return "ok"


LAMP_FAULTS = ("lamp_out", "driver_fault", "overvoltage", "undervoltage", "comms_lost")
CABINET_FAULTS = ("mains_lost", "circuit_trip", "door_open", "contactor_fault")

DEVICE_KINDS: dict[str, DeviceKind] = {
    k.name: k
    for k in (
        DeviceKind(
            "luminaire",
            "Luminaire controller on a light pole (remote management node).",
            (
                ReadingField("on", "boolean", "Lamp switched on", required=True),
                ReadingField("dimming_pct", "number", "Dimming level", "%", 0, 100),
                ReadingField("power_w", "number", "Active power drawn", "W", 0, 2500),
                ReadingField(
                    "fault",
                    "enum",
                    "Fault code, null when healthy",
                    choices=LAMP_FAULTS,
                    nullable=True,
                ),
            ),
            _on_off_fault,
        ),
        DeviceKind(
            "lighting_cabinet",
            "Lighting control cabinet controller (circuits, mains, energy).",
            (
                ReadingField("on", "boolean", "Circuits switched on", required=True),
                ReadingField("power_w", "number", "Active power of all circuits", "W", 0, 200000),
                ReadingField("voltage_v", "number", "Supply voltage (phase)", "V", 0, 300),
                ReadingField(
                    "fault",
                    "enum",
                    "Fault code, null when healthy",
                    choices=CABINET_FAULTS,
                    nullable=True,
                ),
            ),
            _on_off_fault,
        ),
        DeviceKind(
            "pressure_sensor",
            "Water pressure logger at a node of the distribution network.",
            (
                ReadingField(
                    "pressure_bar", "number", "Gauge pressure", "bar", -1, 25, required=True
                ),
            ),
        ),
        DeviceKind(
            "flow_meter",
            "Bulk flow meter on a main or at a pump station (positive = normal direction).",
            (
                ReadingField(
                    "flow_m3h", "number", "Flow rate", "m³/h", -20000, 20000, required=True
                ),
                ReadingField("total_m3", "number", "Totaliser", "m³", 0, None),
            ),
        ),
        DeviceKind(
            "breaker",
            "Position and feeder current of a breaker, recloser or switch.",
            (
                ReadingField(
                    "position",
                    "enum",
                    "Contact position",
                    choices=("open", "closed"),
                    required=True,
                ),
                ReadingField("current_a", "number", "Feeder current (phase mean)", "A", 0, 5000),
            ),
            lambda readings: str(readings["position"]),
        ),
        DeviceKind(
            "camera",
            "Street camera's heartbeat: online, recording, stream bit rate.",
            (
                ReadingField("online", "boolean", "Camera reachable and streaming", required=True),
                ReadingField("recording", "boolean", "Recording to the video server"),
                ReadingField("bitrate_kbps", "number", "Stream bit rate", "kbit/s", 0, 100000),
            ),
            lambda readings: "ok" if readings.get("online") else "offline",
        ),
        DeviceKind(
            "env_station",
            "Environmental station (often on a light pole).",
            (
                ReadingField("temperature_c", "number", "Air temperature", "°C", -20, 60),
                ReadingField("humidity_pct", "number", "Relative humidity", "%", 0, 100),
                ReadingField("pm25_ugm3", "number", "PM2.5 concentration", "µg/m³", 0, 2000),
                ReadingField("noise_dba", "number", "Noise level", "dB(A)", 0, 150),
                ReadingField("rain_mm_h", "number", "Rain intensity", "mm/h", 0, 500),
            ),
            lambda readings: None,
        ),
    )
}


@dataclass(frozen=True)
class Message:
    """An accepted message, ready to be written."""

    msg_id: str
    device_id: str
    kind: str
    ts: datetime
    readings: dict
    asset_code: str
    asset_table: str
    status: str | None


@dataclass(frozen=True)
class Rejection:
    """A refused message: ``reason`` is the first rule broken, ``problems`` all of them."""

    reason: str
    problems: tuple[Problem, ...]
    device_id: str | None = None
    msg_id: str | None = None


def topic_for(kind: str, device_id: str) -> str:
    return f"{TOPIC_ROOT}/{kind}/{device_id}"


def asset_status(kind: str, readings: Mapping) -> str | None:
    """The operational status an asset takes from one reading of its device."""
    return DEVICE_KINDS[kind].status(readings)


def _check_value(f: ReadingField, value, where: str) -> Problem | None:
    if value is None:
        ok = f.nullable
        return None if ok else Problem(f"readings.{f.name}", "reading_type", "is null", where)
    if f.type == "boolean":
        if not isinstance(value, bool):
            return Problem(f"readings.{f.name}", "reading_type", "must be true or false", where)
        return None
    if f.type == "enum":
        if value not in f.choices:
            return Problem(
                f"readings.{f.name}",
                "reading_value",
                f"{value!r} is not one of {', '.join(f.choices)}",
                where,
            )
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return Problem(f"readings.{f.name}", "reading_type", "must be a number", where)
    if (f.minimum is not None and value < f.minimum) or (
        f.maximum is not None and value > f.maximum
    ):
        return Problem(
            f"readings.{f.name}",
            "implausible_value",
            f"{value} {f.unit or ''} outside [{f.minimum}, {f.maximum}]".replace("  ", " "),
            where,
        )
    return None


def _reading_problems(kind: DeviceKind, readings, where: str) -> list[Problem]:
    if not isinstance(readings, dict) or not readings:
        return [Problem("readings", "envelope", "must be a non-empty object", where)]
    problems = [
        Problem(f"readings.{name}", "unknown_reading", f"not a reading of {kind.name}", where)
        for name in readings
        if kind.field(name) is None
    ]
    for f in kind.fields:
        if f.name not in readings:
            if f.required:
                problems.append(
                    Problem(f"readings.{f.name}", "missing_reading", "is required", where)
                )
            continue
        found = _check_value(f, readings[f.name], where)
        if found:
            problems.append(found)
    return problems


def _envelope_problems(doc) -> list[Problem]:
    if not isinstance(doc, dict):
        return [Problem("message", "envelope", "must be a JSON object")]
    problems = [Problem(k, "envelope", "is required") for k in _ENVELOPE if k not in doc]
    problems += [
        Problem(k, "envelope", "is not part of the message schema")
        for k in doc
        if k not in _ENVELOPE
    ]
    for key in ("msg_id", "device_id", "kind", "ts"):
        value = doc.get(key)
        if key in doc and (
            not isinstance(value, str) or not 0 < len(value) <= 128 or not value.isprintable()
        ):
            problems.append(
                Problem(key, "envelope", "must be a printable string of 1 to 128 characters")
            )
    return problems


def _parse_ts(value: str) -> datetime | None:
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        return None
    return ts if ts.tzinfo is not None else None


def validate_message(
    topic: str,
    payload: bytes,
    *,
    devices: Mapping[str, tuple[str, str, str]],
    now: datetime,
    max_future: timedelta = MAX_FUTURE,
    max_age: timedelta = MAX_AGE,
) -> Message | Rejection:
    """Check one MQTT message against the schema, the registry and the clock.

    Parameters
    ----------
    topic : str
        The topic it arrived on; must be ``twin/<kind>/<device_id>`` of the payload.
    payload : bytes
        The raw message body (UTF-8 JSON).
    devices : mapping
        ``device_id -> (kind, asset_table, asset_code)`` of the registered, active devices.
    now : datetime
        The ingest clock (timezone-aware), against which ``ts`` is judged.
    max_future, max_age : timedelta
        How far ahead of ``now`` / behind it a device timestamp may be.

    Returns
    -------
    Message or Rejection
        The accepted message with its asset and derived status, or every problem found.
    """
    try:
        doc = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        reason = "not_utf8" if isinstance(exc, UnicodeDecodeError) else "not_json"
        return Rejection(reason, (Problem("payload", reason, str(exc)[:200]),))
    problems = _envelope_problems(doc)
    if problems:
        ids = doc if isinstance(doc, dict) else {}
        return _reject(problems, ids.get("device_id"), ids.get("msg_id"))
    device_id, msg_id = doc["device_id"], doc["msg_id"]
    where = f"device {device_id}"
    registered = devices.get(device_id)
    if registered is None:
        return _reject(
            [Problem("device_id", "unknown_device", "is not a registered active device", where)],
            device_id,
            msg_id,
        )
    kind_name, asset_table, asset_code = registered
    if doc["kind"] != kind_name:
        problems.append(
            Problem(
                "kind",
                "kind_mismatch",
                f"{doc['kind']!r} but the device is registered as {kind_name!r}",
                where,
            )
        )
    if topic != topic_for(kind_name, device_id):
        problems.append(
            Problem(
                "topic",
                "topic_mismatch",
                f"{topic!r} instead of {topic_for(kind_name, device_id)!r}",
                where,
            )
        )
    ts = _parse_ts(doc["ts"])
    if ts is None:
        problems.append(
            Problem("ts", "timestamp_format", "must be RFC 3339 with a UTC offset", where)
        )
    elif ts - now > max_future:
        problems.append(
            Problem(
                "ts",
                "timestamp_in_future",
                f"{(ts - now).total_seconds():.0f} s ahead of the ingest clock "
                f"(limit {max_future.total_seconds():.0f} s)",
                where,
            )
        )
    elif now - ts > max_age:
        problems.append(
            Problem("ts", "timestamp_too_old", f"older than {max_age.days} days", where)
        )
    problems += _reading_problems(DEVICE_KINDS[kind_name], doc["readings"], where)
    if problems:
        return _reject(problems, device_id, msg_id)
    readings = doc["readings"]
    return Message(
        msg_id,
        device_id,
        kind_name,
        ts,
        readings,
        asset_code,
        asset_table,
        asset_status(kind_name, readings),
    )


def _reject(problems: list[Problem], device_id=None, msg_id=None) -> Rejection:
    return Rejection(
        problems[0].rule,
        tuple(problems),
        device_id if isinstance(device_id, str) else None,
        msg_id if isinstance(msg_id, str) else None,
    )


def json_schema(kind: str) -> dict:
    """The JSON Schema (draft 2020-12) of the messages of one device kind, for the docs."""
    dk = DEVICE_KINDS[kind]
    props = {}
    for f in dk.fields:
        if f.type == "enum":
            spec: dict = {"enum": list(f.choices) + ([None] if f.nullable else [])}
        else:
            spec = {"type": [f.type, "null"] if f.nullable else f.type}
            if f.minimum is not None:
                spec["minimum"] = f.minimum
            if f.maximum is not None:
                spec["maximum"] = f.maximum
        spec["description"] = f.doc + (f" [{f.unit}]" if f.unit else "")
        props[f.name] = spec
    text = {"type": "string", "minLength": 1, "maxLength": 128}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{kind} message",
        "description": dk.doc,
        "type": "object",
        "additionalProperties": False,
        "required": list(_ENVELOPE),
        "properties": {
            "msg_id": text,
            "device_id": text,
            "kind": {"const": kind},
            "ts": {"type": "string", "format": "date-time"},
            "readings": {
                "type": "object",
                "additionalProperties": False,
                "properties": props,
                "required": [f.name for f in dk.fields if f.required],
                "minProperties": 1,
            },
        },
    }
