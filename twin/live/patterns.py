"""Daily patterns of the simulated city: what a healthy device reports at a given time.

Local time is Vietnam's (UTC+7, no daylight saving).  Sunset in northern
Vietnam moves between about 17:15 in December and 18:45 in June; lights
switch on 10 minutes after sunset and off 10 minutes before sunrise, at full
power until 22:00 and dimmed to 60 % until 04:30.  Water demand peaks in the
morning (about 06:30) and the evening (about 18:30), and network pressure
dips accordingly.  Feeder load follows the evening peak.  Every function
takes the local time, the device's parameters and a random generator, and
returns the ``readings`` object of :mod:`twin.live.schema`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

__all__ = ["LOCAL", "healthy_readings", "is_dark", "water_demand_factor"]

LOCAL = timezone(timedelta(hours=7), "ICT")


def _hour(t: datetime) -> float:
    t = t.astimezone(LOCAL)
    return t.hour + t.minute / 60 + t.second / 3600


def _sun_shift_h(t: datetime) -> float:
    """Hours by which sunset is later than 18:00 (and sunrise earlier than 06:00)."""
    day = t.astimezone(LOCAL).timetuple().tm_yday
    return 0.75 * math.sin(2 * math.pi * (day - 80) / 365)


def is_dark(t: datetime) -> bool:
    """Lights on: from 10 min after sunset to 10 min before sunrise."""
    h, shift = _hour(t), _sun_shift_h(t)
    return h >= 18 + shift + 1 / 6 or h < 6 - shift - 1 / 6


def _gauss(h: float, centre: float, width: float) -> float:
    return math.exp(-(((h - centre + 12) % 24 - 12) ** 2) / (2 * width**2))


def water_demand_factor(t: datetime) -> float:
    """Demand relative to the daily mean: morning and evening peaks, low at night."""
    h = _hour(t)
    return 0.45 + 1.1 * _gauss(h, 6.5, 1.0) + 0.8 * _gauss(h, 18.5, 1.3) + 0.3 * _gauss(h, 12, 2)


def _dimming(t: datetime) -> float:
    h = _hour(t)
    return 60.0 if 22 <= h or h < 4.5 else 100.0


def _luminaire(t, p, rng):
    if not is_dark(t):
        return {
            "on": False,
            "dimming_pct": 0,
            "power_w": round(rng.uniform(0.3, 0.8), 2),
            "fault": None,
        }
    dim = _dimming(t)
    watts = float(p.get("wattage_w") or 100.0)
    power = watts * (0.1 + 0.9 * dim / 100) * rng.gauss(1.0, 0.02)
    return {"on": True, "dimming_pct": dim, "power_w": round(max(power, 0.0), 1), "fault": None}


def _cabinet(t, p, rng):
    load = float(p.get("connected_w") or 2000.0)
    on = is_dark(t)
    power = load * (0.1 + 0.9 * _dimming(t) / 100) * rng.gauss(1.0, 0.01) if on else 5.0
    return {
        "on": on,
        "power_w": round(power, 1),
        "voltage_v": round(rng.gauss(228, 2), 1),
        "fault": None,
    }


def _pressure(t, p, rng):
    base = float(p.get("base_bar", 3.2))
    value = base - 0.35 * (water_demand_factor(t) - 0.45) + rng.gauss(0, 0.015)
    return {"pressure_bar": round(value, 3)}


def _flow(t, p, rng):
    mean = float(p.get("mean_m3h", 120.0))
    return {"flow_m3h": round(mean * water_demand_factor(t) * rng.gauss(1.0, 0.02), 2)}


def _breaker(t, p, rng):
    h = _hour(t)
    load = 0.45 + 0.55 * _gauss(h, 19.5, 2.0) + 0.25 * _gauss(h, 10, 3)
    return {
        "position": "closed",
        "current_a": round(float(p.get("base_a", 180.0)) * load * rng.gauss(1, 0.02), 1),
    }


def _env(t, p, rng):
    h = _hour(t)
    temp = 24 + 5 * math.cos(2 * math.pi * (h - 14) / 24) + rng.gauss(0, 0.2)
    traffic = _gauss(h, 7.5, 1.2) + _gauss(h, 17.5, 1.5)
    return {
        "temperature_c": round(temp, 1),
        "humidity_pct": round(min(100, max(20, 80 - 2.5 * (temp - 24) + rng.gauss(0, 1))), 1),
        "pm25_ugm3": round(max(0, 28 + 35 * traffic + rng.gauss(0, 3)), 1),
        "noise_dba": round(48 + 18 * min(1, traffic + 0.4 * (7 <= h < 22)) + rng.gauss(0, 1), 1),
        "rain_mm_h": 0.0,
    }


def _camera(t, p, rng):
    return {"online": True, "recording": True,
            "bitrate_kbps": round(4000 + 1500 * rng.random(), 0)}


_PATTERNS = {
    "luminaire": _luminaire,
    "lighting_cabinet": _cabinet,
    "pressure_sensor": _pressure,
    "flow_meter": _flow,
    "breaker": _breaker,
    "env_station": _env,
    "camera": _camera,
}


def healthy_readings(kind: str, t: datetime, params: Mapping, rng: random.Random) -> dict:
    """What a healthy device of ``kind`` with ``params`` reports at ``t``."""
    return _PATTERNS[kind](t, params, rng)
