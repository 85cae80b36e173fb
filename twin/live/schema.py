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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from twin.errors import Problem

from .device_kinds import DEVICE_KINDS, DeviceKind, ReadingField

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
    doc = _envelope(payload)
    if isinstance(doc, Rejection):
        return doc
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
    problems = _registration_problems(doc, topic, kind_name, where)
    ts = _parse_ts(doc["ts"])
    problems += _clock_problems(ts, now, max_future, max_age, where)
    problems += _reading_problems(DEVICE_KINDS[kind_name], doc["readings"], where)
    if problems:
        return _reject(problems, device_id, msg_id)
    readings = doc["readings"]
    status = asset_status(kind_name, readings)
    return Message(msg_id, device_id, kind_name, ts, readings, asset_code, asset_table, status)


def _envelope(payload: bytes) -> dict | Rejection:
    """The message as a JSON object with the envelope's keys, or why it is not one."""
    try:
        doc = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        reason = "not_utf8" if isinstance(exc, UnicodeDecodeError) else "not_json"
        return Rejection(reason, (Problem("payload", reason, str(exc)[:200]),))
    problems = _envelope_problems(doc)
    if problems:
        ids = doc if isinstance(doc, dict) else {}
        return _reject(problems, ids.get("device_id"), ids.get("msg_id"))
    return doc


def _registration_problems(doc: dict, topic: str, kind_name: str, where: str) -> list[Problem]:
    """The message's kind and topic against the kind its device is registered as."""
    device_id = doc["device_id"]
    problems = []
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
    return problems


def _clock_problems(
    ts: datetime | None, now: datetime, max_future: timedelta, max_age: timedelta, where: str
) -> list[Problem]:
    """The device timestamp (``None`` if not RFC 3339 with an offset): neither too far
    ahead of ``now`` nor too old."""
    if ts is None:
        return [Problem("ts", "timestamp_format", "must be RFC 3339 with a UTC offset", where)]
    if ts - now > max_future:
        return [
            Problem(
                "ts",
                "timestamp_in_future",
                f"{(ts - now).total_seconds():.0f} s ahead of the ingest clock "
                f"(limit {max_future.total_seconds():.0f} s)",
                where,
            )
        ]
    if now - ts > max_age:
        return [Problem("ts", "timestamp_too_old", f"older than {max_age.days} days", where)]
    return []


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
