"""Live data meets the model: a reading far from the latest water run raises
"model and field disagree", through a real Mosquitto into an incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from tests.twin.live.messages import DEVICES, NOW, payload
from tests.twin.live.owndb import city_database
from tests.twin.live.test_end_to_end import wait_until
from twin.live.alarms import AlarmEngine, load_rules
from twin.live.credentials import device_account
from twin.live.ingest import Ingester
from twin.live.model_reference import ModelReference, expected_reading
from twin.live.schema import validate_message
from twin.live.simcity import load_sim_devices
from twin.live.simulate import make_message
from twin.simulation.algorithms.hydraulics import HydraulicResult
from twin.simulation.store import save_run

BAR_PER_M = 0.0980665


def _message(readings, minutes=0):
    topic, body = payload("PRS-1", readings, ts=NOW + timedelta(minutes=minutes))
    return validate_message(topic, body, devices=DEVICES, now=NOW + timedelta(minutes=minutes))


def _engine(expected_bar):
    return AlarmEngine(load_rules(), expected=lambda rule, m: expected_bar)


def test_a_reading_far_from_the_model_raises_and_a_near_one_clears():
    alarms = _engine(3.0)
    assert alarms.on_message(_message({"pressure_bar": 2.0})) == []  # 1 bar off: within 1.5
    [raised] = alarms.on_message(_message({"pressure_bar": 1.2}, 1))
    assert raised.rule_id == "model_pressure" and raised.raised and raised.asset_code == "WTR-JCT-1"
    assert raised.details == {"expected": 3.0, "difference": -1.8}
    assert alarms.on_message(_message({"pressure_bar": 2.0}, 2)) == []  # not yet back within 0.75
    [cleared] = alarms.on_message(_message({"pressure_bar": 2.5}, 3))
    assert cleared.rule_id == "model_pressure" and not cleared.raised


def test_no_model_value_keeps_the_rule_quiet():
    assert _engine(None).on_message(_message({"pressure_bar": 0.1})) == []
    assert AlarmEngine(load_rules()).on_message(_message({"pressure_bar": 0.1})) == []


def test_expected_values_come_from_nodes_links_and_plant_outflows():
    rules = {r.id: r for r in load_rules()}
    results = {"nodes": {"J": {"pressure_m": 30.0}, "PLANT": {"demand_lps": -20.0}},
               "links": {"PUMP": {"flow_lps": 10.0}}}
    assert expected_reading(rules["model_pressure"], "J", results) == pytest.approx(30 * BAR_PER_M)
    assert expected_reading(rules["model_flow"], "PUMP", results) == pytest.approx(36.0)
    assert expected_reading(rules["model_flow"], "PLANT", results) == pytest.approx(72.0)
    assert expected_reading(rules["model_pressure"], "ELSEWHERE", results) is None


def _store_run(url, codes, pressure_m: float) -> int:
    """A day's run, hour by hour, with every node of ``codes`` at ``pressure_m``."""
    times = list(range(0, 86400 + 1, 3600))
    nodes = {c: np.full(len(times), pressure_m) for c in codes}
    result = HydraulicResult(
        times, {"pressure_m": nodes, "head_m": nodes,
                "demand_lps": {c: np.zeros(len(times)) for c in codes}},
        {"flow_lps": {}, "velocity_ms": {}})
    run = {"scenario": "normal", "duration_s": 86400, "step_s": 3600, "data_version": None,
           "inputs": {}, "summary": {}, "created_by": "tester"}
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        run_id = save_run(session, run, result)
    engine.dispose()
    return run_id


@pytest.mark.db
def test_the_reference_reads_the_latest_run_at_the_time_of_day(db_url):
    with city_database(db_url, "twin_model_ref") as url:
        _store_run(url, ["WTR-JCT-1"], 20.0)
        latest = _store_run(url, ["WTR-JCT-1"], 30.0)
        engine = create_engine(url)
        reference = ModelReference(engine)
        rule = next(r for r in load_rules() if r.id == "model_pressure")
        expected = reference(rule, _message({"pressure_bar": 3.0}))
        assert reference._run["id"] == latest
        engine.dispose()
    assert expected == pytest.approx(30 * BAR_PER_M)


def _publish(broker, device, readings) -> None:
    target = broker.target(device_account(device.kind))
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"hand-{device.device_id}")
    target.prepare(client)
    client.connect(target.host, target.port)
    client.loop_start()
    topic, body = make_message(device, datetime.now(UTC), readings)
    client.publish(topic, body, qos=1).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()


@pytest.mark.db
@pytest.mark.slow
def test_a_logger_far_from_the_model_opens_an_incident_through_the_broker(
    db_url, broker, tmp_path
):
    with city_database(db_url, "twin_model_e2e") as url:
        engine = create_engine(url, pool_size=4)
        with Session(engine) as session:
            loggers = [d for d in load_sim_devices(session) if d.kind == "pressure_sensor"]
        far, near = loggers[:2]
        _store_run(url, [d.asset_code for d in loggers], 30.0)  # 2.94 bar everywhere
        ingester = Ingester(engine, broker.target(), client_id=f"ingest-{tmp_path.name}",
                            flush_s=0.02).start()
        try:
            _publish(broker, far, {"pressure_bar": 0.9})
            _publish(broker, near, {"pressure_bar": 3.0})

            def incidents():
                with engine.connect() as conn:
                    return conn.execute(text(
                        "SELECT i.rule_id, a.subject FROM live.incident i "
                        "JOIN live.alarm a ON a.incident_id = i.id "
                        "WHERE i.rule_id = 'model_pressure'")).all()

            wait_until(lambda: bool(incidents()))
            assert ingester.wait_idle(quiet_s=0.5, timeout_s=30)
            assert [tuple(r) for r in incidents()] == [("model_pressure", far.device_id)]
        finally:
            ingester.stop()
            engine.dispose()
