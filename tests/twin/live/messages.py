"""Plain helpers building MQTT payloads for the live tests."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from twin.live.schema import topic_for

NOW = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
DEVICES = {
    "LUM-1": ("luminaire", "lighting_light", "LGT-POLE-1"),
    "PRS-1": ("pressure_sensor", "water_junction", "WTR-JCT-1"),
    "BRK-1": ("breaker", "power_switch", "PWR-SW-1"),
    "ENV-1": ("env_station", "lighting_light", "LGT-POLE-1"),
    "VID-1": ("camera", "video_camera", "CAM-1"),
}


def payload(device_id="LUM-1", readings=None, *, ts=NOW, msg_id=None, kind=None, **extra):
    """(topic, bytes) of a message of a device of :data:`DEVICES`, overridable."""
    kind = kind or DEVICES.get(device_id, ("luminaire",))[0]
    body = {
        "msg_id": uuid.uuid4().hex if msg_id is None else msg_id,
        "device_id": device_id,
        "kind": kind,
        "ts": ts.isoformat() if isinstance(ts, datetime) else ts,
        "readings": readings
        if readings is not None
        else {"on": True, "dimming_pct": 100, "power_w": 98.5, "fault": None},
        **extra,
    }
    return topic_for(kind, device_id), json.dumps(body).encode()
