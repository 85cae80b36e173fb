"""Cameras in the live pipeline: heartbeats give their status, silence and 'not streaming' alarm."""

from __future__ import annotations

from tests.twin.live.messages import DEVICES, NOW, payload
from twin.live.alarms import load_rules
from twin.live.schema import DEVICE_KINDS, Message, validate_message


def _check(readings):
    topic, body = payload("VID-1", readings)
    return validate_message(topic, body, devices=DEVICES, now=NOW)


def test_cameras_are_the_devices_of_the_video_layer():
    assert DEVICE_KINDS["camera"].asset_tables == ("video_camera",)


def test_a_heartbeat_sets_the_camera_online_or_offline():
    up = _check({"online": True, "recording": True, "bitrate_kbps": 4500})
    assert isinstance(up, Message) and (up.asset_table, up.status) == ("video_camera", "ok")
    assert _check({"online": False}).status == "offline"


def test_a_heartbeat_without_the_online_flag_is_rejected():
    rejected = _check({"recording": True})
    assert not isinstance(rejected, Message)


def test_a_camera_silent_for_ten_minutes_or_not_streaming_raises_a_major_alarm():
    rules = {r.id: r for r in load_rules()}
    silent, down = rules["camera_offline"], rules["camera_down"]
    assert silent.definition["silent_s"] == 600 and "camera" in silent.definition["kinds"]
    assert down.definition["field"] == "online" and down.definition["value"] is False
    assert silent.severity == down.severity == "major"
