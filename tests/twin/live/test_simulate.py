"""The simulator's fault injection and message building, without a broker."""

import json
from datetime import UTC, datetime

import pytest

from twin.errors import InvalidInput
from twin.live.broker import MqttTarget
from twin.live.patterns import LOCAL
from twin.live.schema import validate_message
from twin.live.simulate import (
    MALFORMATIONS,
    Faults,
    SimDevice,
    Simulator,
    _malform,
    make_message,
    parse_faults,
)

DEVICES = [SimDevice(f"LUM-{i}", "luminaire", f"L{i}", {"wattage_w": 100}) for i in range(4)] + [
    SimDevice("BRK-1", "breaker", "S1"),
    SimDevice("PRS-1", "pressure_sensor", "J1"),
]
REGISTRY = {d.device_id: (d.kind, "x", d.asset_code) for d in DEVICES}
NIGHT = datetime(2026, 11, 21, 22, 0, tzinfo=LOCAL)


def test_faults_are_parsed_and_bad_names_are_all_reported():
    assert parse_faults("lamp_out=3, malformed=0.01,breaker_open") == Faults(
        lamp_out=3, malformed=0.01, breaker_open=1
    )
    with pytest.raises(InvalidInput) as info:
        parse_faults("lamp=1,duplicate=x")
    assert len(info.value.problems) == 2


def test_injected_faults_change_what_the_chosen_devices_report():
    sim = Simulator(
        DEVICES,
        MqttTarget("127.0.0.1", 1),
        faults=Faults(lamp_out=2, breaker_open=1),
        drop_bar={"PRS-1": 1.2},
    )
    out = set(sim.stats.faulted["lamp_out"])
    assert len(out) == 2 and sim.stats.faulted["breaker_open"] == ["BRK-1"]
    for d in DEVICES:
        r = sim.readings(d, NIGHT)
        if d.device_id in out:
            assert (r["fault"], r["power_w"]) == ("lamp_out", 0.0)
        elif d.kind == "luminaire":
            assert r["fault"] is None and r["power_w"] > 50
    assert sim.readings(DEVICES[4], NIGHT)["position"] == "open"
    assert sim.drop_bar == {}  # no pressure_drop fault asked for


def test_faults_wait_for_their_time():
    start = datetime(2026, 11, 21, 12, tzinfo=UTC)
    sim = Simulator(
        DEVICES,
        MqttTarget("127.0.0.1", 1),
        faults=Faults(breaker_open=1),
        start=start,
        fault_after_s=3600,
        clock=lambda: start,
    )
    breaker = DEVICES[4]
    assert sim.readings(breaker, start.replace(hour=12, minute=59))["position"] == "closed"
    assert sim.readings(breaker, start.replace(hour=13, minute=1))["position"] == "open"


def test_the_simulated_clock_catches_up_and_never_runs_ahead():
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    clock = iter([now, now.replace(minute=1), now.replace(minute=3)])
    sim = Simulator(
        DEVICES,
        MqttTarget("127.0.0.1", 1),
        start=now.replace(hour=10),
        speed=60,
        clock=lambda: next(clock),
    )
    assert sim.sim_time() == now.replace(hour=11)
    assert sim.sim_time() == now.replace(minute=3)  # 13:00 simulated would be the future


@pytest.mark.parametrize("kind", MALFORMATIONS)
def test_each_malformation_is_caught_by_validation(kind):
    topic, body = make_message(DEVICES[0], NIGHT, {"on": True, "power_w": 90.0, "fault": None})
    assert json.loads(body)["device_id"] == "LUM-0"
    bad_topic, bad = _malform(kind, topic, body)
    result = validate_message(bad_topic, bad, devices=REGISTRY, now=NIGHT)
    assert result.reason == kind


def test_breaker_faults_open_protective_devices_not_load_break_switches():
    devices = [
        SimDevice("BRK-A", "breaker", "A", {"device_type": "load_break_switch"}),
        SimDevice("BRK-B", "breaker", "B", {"device_type": "recloser"}),
        SimDevice("BRK-C", "breaker", "C", {"device_type": "load_break_switch"}),
    ]
    for seed in range(5):
        sim = Simulator(
            devices, MqttTarget("127.0.0.1", 1), faults=Faults(breaker_open=1), seed=seed
        )
        assert sim.stats.faulted["breaker_open"] == ["BRK-B"]
