"""Daily patterns: lights at dusk, pressure dips at the morning peak."""

import random
from datetime import datetime

from twin.live.patterns import LOCAL, healthy_readings, is_dark, water_demand_factor


def local(hour, minute=0, month=11):
    return datetime(2026, month, 21, hour, minute, tzinfo=LOCAL)


def test_lights_are_on_from_dusk_to_dawn_and_dusk_is_later_in_june():
    assert not is_dark(local(12))
    assert is_dark(local(22)) and is_dark(local(3))
    assert is_dark(local(17, 50, month=12)) and not is_dark(local(17, 50, month=6))


def test_lamps_dim_after_ten_at_night():
    rng = random.Random(1)
    evening = healthy_readings("luminaire", local(20), {"wattage_w": 100}, rng)
    night = healthy_readings("luminaire", local(1), {"wattage_w": 100}, rng)
    day = healthy_readings("luminaire", local(13), {"wattage_w": 100}, rng)
    assert (evening["dimming_pct"], night["dimming_pct"], day["on"]) == (100, 60, False)
    assert evening["power_w"] > night["power_w"] > day["power_w"]


def test_pressure_dips_at_the_morning_peak():
    rng = random.Random(1)

    def pressure(h):
        return healthy_readings("pressure_sensor", local(h), {"base_bar": 3.0}, rng)["pressure_bar"]

    assert water_demand_factor(local(6, 30)) > 1.3 > 0.6 > water_demand_factor(local(2))
    assert pressure(2) - pressure(6) > 0.3
