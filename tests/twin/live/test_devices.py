"""Devices are registered against existing assets of the kinds they fit."""

import pytest
from sqlalchemy import text

from tests.twin.live.city import make_city
from twin.errors import InvalidInput
from twin.live.devices import register_demo_devices, register_device
from twin.live.simcity import load_sim_devices

pytestmark = pytest.mark.db


def test_the_demo_fit_out_registers_each_kind_once(session):
    make_city(session)
    added = register_demo_devices(session, pressure_every=2)
    assert added["luminaire"] == 3 and added["lighting_cabinet"] == 1
    assert added["breaker"] == 2 and added["flow_meter"] == 1
    assert added["pressure_sensor"] == 1 + 3  # the hydrant and every other junction
    assert register_demo_devices(session, pressure_every=2) == dict.fromkeys(added, 0)
    owner = session.execute(
        text("SELECT asset_table, asset_code FROM live.device WHERE device_id = 'BRK-PWR-SW-2'")
    ).one()
    assert tuple(owner) == ("power_switch", "PWR-SW-2")


def test_simulated_devices_carry_parameters_from_the_register(session):
    make_city(session)
    register_demo_devices(session)
    devices = {d.device_id: d for d in load_sim_devices(session)}
    assert devices["LUM-LGT-POLE-1"].params == {"wattage_w": 100.0}
    assert devices["CAB-LGT-CAB-1"].params == {"connected_w": 300.0}
    assert len(load_sim_devices(session, limit=3)) == 3
    assert len({d.kind for d in load_sim_devices(session, limit=5)}) == 5


@pytest.mark.parametrize(
    "kind, table, code, field",
    [
        ("thermometer", "lighting_light", "LGT-POLE-1", "kind"),
        ("breaker", "lighting_light", "LGT-POLE-1", "asset_table"),
        ("breaker", "power_switch", "PWR-SW-404", "asset_code"),
    ],
)
def test_bad_registrations_name_the_field(session, kind, table, code, field):
    make_city(session)
    with pytest.raises(InvalidInput) as info:
        register_device(session, "D-1", kind, table, code)
    assert info.value.problems[0].field == field
